"""SQL building blocks shared by the progress services: epoch seconds and predicted recall in SQL.

Both work on SQLite (3.35+, with its math functions, as Debian and python.org build it) and on
PostgreSQL. Predicted recall follows `domain.progress_math.recall` exactly: whole elapsed days
(rounded down, never negative) and FSRS-6's power forgetting curve.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import BigInteger, case, func, literal, literal_column
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
    # SQLite keeps UTCDateTime as naive UTC text. julianday() parses it about twice as fast as
    # strftime('%s'); rounding to the second makes the result exact for whole seconds.
    return f"CAST(ROUND((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400) AS INTEGER)"


class at_least_zero(FunctionElement):
    """max(x, 0) for a number, in one evaluation of x."""

    inherit_cache = True


@compiles(at_least_zero)
def _at_least_zero_default(element, compiler, **kw):
    return f"GREATEST({compiler.process(element.clauses, **kw)}, 0)"


@compiles(at_least_zero, "sqlite")
def _at_least_zero_sqlite(element, compiler, **kw):
    return f"max({compiler.process(element.clauses, **kw)}, 0)"


def epoch_of(moment: datetime) -> int:
    return int(moment.timestamp())


# Constants written into the SQL rather than bound: a GROUP BY expression must then read exactly like
# the selected one, which PostgreSQL checks (two bound parameters would make them differ).
ZERO = literal_column("0", BigInteger)


def bucket_of(column) -> ColumnElement:
    """The 15-minute UTC bucket a timestamp column falls in."""
    return epoch(column) // literal_column(str(BUCKET_SECONDS), BigInteger)


def recall_expr(now: datetime, decay: float, per_user: Mapping[int, float] | None = None) -> ColumnElement:
    """Predicted recall now of a CardState row; `per_user` overrides the decay for some learners.

    NULL (skipped by SUM, so counted as 0) for a row without stability; never evaluates a part twice."""
    elapsed = at_least_zero((epoch_of(now) - epoch(CardState.last_review)) // DAY_SECONDS)  # whole days
    if per_user:
        decay_expr = case(dict(per_user), value=CardState.user_id, else_=decay)
        factor_expr = case({uid: curve_factor(d) for uid, d in per_user.items()}, value=CardState.user_id,
                           else_=curve_factor(decay))
    else:
        decay_expr, factor_expr = literal(decay), literal(curve_factor(decay))
    return func.power(1.0 + factor_expr * elapsed / func.nullif(CardState.stability, 0), -decay_expr)
