"""The learner's study day: it rolls over at `rollover_hour` (the DAY_ROLLOVER_HOUR setting, 4 AM by
default, as Anki's) in their own time zone. Views read the setting and pass it down through the services."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ROLLOVER_HOUR = 4  # the default of the DAY_ROLLOVER_HOUR setting


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def study_day(now: datetime, tz_name: str, rollover_hour: int = ROLLOVER_HOUR):
    """The calendar date of the study day that `now` falls in (before the rollover hour counts as yesterday)."""
    local = now.astimezone(zone(tz_name))
    return (local - timedelta(hours=rollover_hour)).date()


def day_bounds(now: datetime, tz_name: str, rollover_hour: int = ROLLOVER_HOUR) -> tuple[datetime, datetime]:
    """UTC start and end of the learner's current study day."""
    tz = zone(tz_name)
    day = study_day(now, tz_name, rollover_hour)
    start_local = datetime.combine(day, time(rollover_hour), tzinfo=tz)
    end_local = datetime.combine(day + timedelta(days=1), time(rollover_hour), tzinfo=tz)
    return start_local.astimezone(timezone.utc), end_local.astimezone(timezone.utc)
