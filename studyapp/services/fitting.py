"""Fitting FSRS parameters to review logs, and choosing which parameters a learner's schedule uses."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import optimizer
from ..models import ReviewLog, SchedulerFit, User

APP_WIDE_REVIEW_CAP = 300_000  # the most recent reviews used for the app-wide fit


def histories(session: Session, user: User | None, limit: int | None = None) -> dict:
    """(card) -> [(reviewed_at, rating)] oldest first, for one learner or (user, card) for everyone."""
    q = select(ReviewLog.user_id, ReviewLog.card_id, ReviewLog.reviewed_at, ReviewLog.rating)
    if user is not None:
        q = q.where(ReviewLog.user_id == user.id)
    q = q.order_by(ReviewLog.id.desc())
    if limit:
        q = q.limit(limit)
    out: dict = defaultdict(list)
    for user_id, card_id, reviewed_at, rating in session.execute(q):
        out[card_id if user is not None else (user_id, card_id)].append((reviewed_at, rating))
    for history in out.values():
        history.sort(key=lambda item: item[0])
    return dict(out)


def fit_and_store(session: Session, user: User | None, now: datetime) -> SchedulerFit:
    """Fit on the log, keep the parameters only if they beat the defaults on held-out cards."""
    data = histories(session, user, None if user else APP_WIDE_REVIEW_CAP)
    result = optimizer.fit(data, tz_name=user.timezone if user else "UTC")
    accepted = bool(result.enough_data and result.improvement is not None and result.improvement > 0)
    if not result.enough_data:
        note = result.reason
    elif accepted:
        note = f"held-out log loss {result.logloss_default:.4f} -> {result.logloss_fitted:.4f}"
    else:
        note = "the fitted parameters did not predict held-out reviews better than the defaults"
    fit = SchedulerFit(
        user_id=user.id if user else None, fitted_at=now,
        parameters=list(result.parameters) if accepted and result.parameters else None,
        n_reviews=result.n_reviews, logloss_default=result.logloss_default,
        logloss_fitted=result.logloss_fitted, accepted=accepted, note=note[:300],
    )
    session.add(fit)
    session.flush()
    return fit


def current_fit(session: Session, user: User) -> SchedulerFit | None:
    """The accepted fit the learner's schedule uses: their own, else the app-wide one."""
    for owner in (SchedulerFit.user_id == user.id, SchedulerFit.user_id.is_(None)):
        fit = session.scalar(select(SchedulerFit).where(owner, SchedulerFit.accepted.is_(True))
                             .order_by(SchedulerFit.fitted_at.desc(), SchedulerFit.id.desc()).limit(1))
        if fit is not None:
            return fit
    return None


def parameters_for(session: Session, user: User) -> tuple[float, ...] | None:
    fit = current_fit(session, user)
    return tuple(fit.parameters) if fit is not None and fit.parameters else None
