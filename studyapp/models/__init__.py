"""The tables. One module per area; import them all here so metadata is complete."""
from .core import (  # noqa: F401
    CARD_KINDS,
    CARD_STATUSES,
    CARD_TYPES,
    ROLES,
    SOURCES,
    Card,
    CardState,
    Deck,
    ReviewLog,
    Section,
    User,
)
from .types import UTCDateTime, utcnow  # noqa: F401
