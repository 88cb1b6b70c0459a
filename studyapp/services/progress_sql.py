"""SQL building blocks shared by the progress services: epoch seconds and predicted recall in SQL.

Both work on SQLite (3.35+, with its math functions, as Debian and python.org build it) and on
PostgreSQL. Predicted recall follows `domain.progress_math.recall` exactly: whole elapsed days
(rounded down, never negative) and FSRS-6's power forgetting curve.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import BigInteger, case, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from ..domain.progress_math import BUCKET_SECONDS, curve_factor
from ..models import CardState

DAY_SECONDS = 86400


class epoch(FunctionElement):
    """Whole seconds since 1970-01-01 UTC of a UTCDateTime column."""

    type = BigInteger()
    inherit_cache = True


@compiles(epoch)
def _epoch_default(element, compiler, **kw):
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})) AS BIGINT)"


@compiles(epoch, "sqlite")
def _epoch_sqlite(element, compiler, **kw):
    # SQLite keeps UTCDateTime as naive UTC text; strftime('%s') reads it as UTC.
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


def epoch_of(moment: datetime) -> int:
    return int(moment.timestamp())


def bucket_of(column) -> ColumnElement:
    """The 15-minute UTC bucket a timestamp column falls in."""
    return epoch(column) / BUCKET_SECONDS


def recall_expr(now: datetime, decay: float, per_user: Mapping[int, float] | None = None) -> ColumnElement:
    """Predicted recall now of a CardState row; `per_user` overrides the decay for some learners."""
    elapsed = (epoch_of(now) - epoch(CardState.last_review)) / DAY_SECONDS
    elapsed = case((elapsed < 0, 0), else_=elapsed)
    if per_user:
        decay_expr = case(dict(per_user), value=CardState.user_id, else_=decay)
        factor_expr = case({uid: curve_factor(d) for uid, d in per_user.items()}, value=CardState.user_id,
                           else_=curve_factor(decay))
    else:
        decay_expr, factor_expr = decay, curve_factor(decay)
    value = func.power(1.0 + factor_expr * elapsed / CardState.stability, -decay_expr)
    return case((CardState.stability.is_(None), 0.0), (CardState.last_review.is_(None), 0.0),
                (CardState.stability <= 0, 0.0), else_=value)
