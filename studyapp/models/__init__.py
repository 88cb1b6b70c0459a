"""The tables. One module per area; import them all here so metadata is complete."""
from .accounts import THROTTLE_KINDS, ThrottleEvent, UserSession  # noqa: F401,E402
from .article import Article, CardSource  # noqa: F401,E402
from .authoring import CardRevision, PendingImport  # noqa: F401,E402
from .classes import Class, ClassMember, ExtraNewCards, class_decks  # noqa: F401,E402
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
from .fitting import SchedulerFit  # noqa: F401,E402
from .quiz import Quiz, QuizAnswer, QuizAttempt  # noqa: F401,E402
from .types import UTCDateTime, utcnow  # noqa: F401
