"""Column types shared by the models."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from .. import clock


class UTCDateTime(TypeDecorator):
    """Stores UTC; always hands back an aware datetime whose tzinfo is `timezone.utc`.

    SQLite keeps no zone, so values are stored naive-in-UTC there; PostgreSQL uses timestamptz.
    Naive datetimes are refused on the way in: they are a bug waiting for a time zone.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware UTC datetime")
        value = value.astimezone(timezone.utc)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def utcnow() -> datetime:
    """The app's clock (`studyapp.clock.now`): tests pin it through the `CLOCK` setting."""
    return clock.now()
