"""Fitting FSRS parameters to review logs, and choosing which parameters a learner's schedule uses."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import or_, select
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
    forget_cached_parameters()
    return fit


def current_fit_id(user_id):
    """A scalar subquery: the id of the accepted fit the learner's schedule uses, their own, else the
    app-wide one. Fits are never changed once stored (a new fit is a new row), so a cache keyed by this
    id is right in every worker without telling the others; the study loop reads it in its card query."""
    return (select(SchedulerFit.id).where(SchedulerFit.accepted.is_(True),
                                          or_(SchedulerFit.user_id == user_id, SchedulerFit.user_id.is_(None)))
            .order_by(SchedulerFit.user_id.is_(None), SchedulerFit.fitted_at.desc(), SchedulerFit.id.desc())
            .limit(1).scalar_subquery())


def current_fit(session: Session, user: User) -> SchedulerFit | None:
    """The accepted fit the learner's schedule uses: their own, else the app-wide one."""
    fit_id = session.scalar(select(current_fit_id(user.id)))
    return session.get(SchedulerFit, fit_id) if fit_id is not None else None


_PARAMETERS: dict[int, tuple[float, ...] | None] = {}  # fit id -> its parameters, in this process


def parameters_of_fit(session: Session, fit_id: int | None) -> tuple[float, ...] | None:
    """The parameters of fit `fit_id` (None: the defaults), read once per process."""
    if fit_id is None:
        return None
    try:
        return _PARAMETERS[fit_id]
    except KeyError:
        pass
    parameters = session.scalar(select(SchedulerFit.parameters).where(SchedulerFit.id == fit_id))
    if len(_PARAMETERS) >= 4096:
        _PARAMETERS.clear()
    _PARAMETERS[fit_id] = value = tuple(parameters) if parameters else None
    return value


def forget_cached_parameters() -> None:
    """Drop this process's cache (a stored fit calls it; other processes key their caches by fit id)."""
    _PARAMETERS.clear()


def parameters_for(session: Session, user: User) -> tuple[float, ...] | None:
    return parameters_of_fit(session, session.scalar(select(current_fit_id(user.id))))
