"""Per-learner FSRS parameters fitted to their own review log (see `flask optimize-scheduler`)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime


class SchedulerFit(db.Model):
    __tablename__ = "scheduler_fits"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)  # None: app-wide
    fitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    parameters: Mapped[list | None] = mapped_column(JSON)
    n_reviews: Mapped[int] = mapped_column(Integer, default=0)
    logloss_default: Mapped[float | None] = mapped_column(Float)
    logloss_fitted: Mapped[float | None] = mapped_column(Float)
    accepted: Mapped[bool] = mapped_column(Boolean, default=False)  # used by the scheduler only when better
    note: Mapped[str] = mapped_column(String(300), default="")
