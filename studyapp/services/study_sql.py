"""The study loop's SQL, built once with bound parameters (building SQLAlchemy expressions costs far more
than SQLite takes to run them; the loop runs these on every answer).

Two reads serve a whole answer: `ANSWER_ROW` (the answered card, its deck settings, the learner's state
of it, the fit whose parameters they use, and the queue as it will be once the answer is stored: today's
counts and the next candidates with the answered card and its fact set aside) and `CARD_ROW` (the chosen
next card with its section and state). `QUEUE_ROW` is the same queue for a page with nothing answered.
The writes are Core statements on the tables (no unit of work), prepared like the reads: a compare-and-set
UPDATE (or the first INSERT) of the state and an INSERT ... RETURNING of the log row.
"""
from __future__ import annotations

from sqlalchemy import and_, bindparam, case, distinct, func, literal_column, select, union_all
from sqlalchemy.orm import aliased

from ..domain.notes import CardState as State
from ..domain.notes import CardStatus
from ..models import Card, CardState, Deck, ReviewLog, Section
from .fitting import current_fit_id

P = {name: bindparam(name) for name in ("user_id", "deck_id", "card_id", "start", "end", "until")}
LEARNING = (State.LEARNING, State.RELEARNING)
# Written into the SQL (IN (1, 3)): an expanding IN parameter would make SQLAlchemy rewrite the whole
# statement's SQL and parameters on every execution (it cost 1.5 ms per answer; SQLite itself 0.5 ms).
_IS_LEARNING = CardState.state.in_([literal_column(str(int(state))) for state in LEARNING])
_SeenCard = aliased(Card, name="seen_card")
_Answered = aliased(Card, name="answered_card")
_ACTIVE = and_(Card.deck_id == P["deck_id"], Card.status == CardStatus.ACTIVE)


def _queue_columns(skip_card, skip_fact) -> list:
    """Today's counts and the next candidates, leaving out `skip_card` (the card being answered) and
    the facts answered today plus `skip_fact` (siblings wait for tomorrow); None: nothing to leave out.

    Three row sets are read once each (`MATERIALIZED` common table expressions, SQLite 3.35+ and PostgreSQL
    12+) and every count and pick below is taken from them: today's answers in the deck (by the user-time
    index), the learner's learning cards and reviews due today, and the cards never seen. Before, each of the
    twelve subqueries scanned the log or the deck again (four times today's answers, four times the facts
    answered today, twice the deck's unseen cards)."""
    today = (select(ReviewLog.id, ReviewLog.state_before, ReviewLog.source, Card.fact_key)
             .select_from(ReviewLog).join(Card, Card.id == ReviewLog.card_id)
             .where(ReviewLog.user_id == P["user_id"], ReviewLog.reviewed_at >= P["start"],
                    Card.deck_id == P["deck_id"])
             .cte("today").prefix_with("MATERIALIZED"))
    fresh_fact = lambda fact_key: and_(fact_key.not_in(select(today.c.fact_key)),  # noqa: E731
                                       *([fact_key != skip_fact] if skip_fact is not None else []))
    states = (select(CardState.card_id, CardState.state, CardState.due, Card.position, Card.fact_key)
              .select_from(CardState).join(Card, Card.id == CardState.card_id)
              .where(CardState.user_id == P["user_id"], CardState.suspended.is_(False), _ACTIVE))
    # two searches of the (user, state, due) index, not one scan of every state the learner has
    due = union_all(states.where(_IS_LEARNING), states.where(CardState.state == State.REVIEW,
                                                             CardState.due < P["end"])
                    ).cte("due_cards").prefix_with("MATERIALIZED")
    unseen = (select(Card.id, Card.position, Card.fact_key)
              .where(_ACTIVE, Card.id.not_in(select(CardState.card_id).where(CardState.user_id == P["user_id"])),
                     fresh_fact(Card.fact_key))
              .cte("unseen").prefix_with("MATERIALIZED"))
    learning = select().select_from(due).where(due.c.state.in_([literal_column(str(int(s))) for s in LEARNING]))
    if skip_card is not None:
        learning = learning.where(due.c.card_id != skip_card)
    review = select().select_from(due).where(due.c.state == State.REVIEW, fresh_fact(due.c.fact_key))
    ahead = learning.where(due.c.due <= P["until"])
    first = (due.c.due, due.c.position)
    on_today = lambda *columns: select(*columns).select_from(today).scalar_subquery()  # noqa: E731
    return [
        on_today(func.count()).label("answered"),
        on_today(func.coalesce(func.sum(case((today.c.state_before == State.NEW, 1), else_=0)), 0)).label("new_done"),
        on_today(func.coalesce(func.sum(case((today.c.state_before == State.REVIEW, 1), else_=0)), 0))
        .label("reviews_done"),
        on_today(func.max(case((today.c.source == "study", today.c.id)))).label("last_review_id"),
        ahead.add_columns(due.c.card_id).order_by(*first).limit(1).scalar_subquery().label("learn_id"),
        ahead.add_columns(func.min(due.c.due)).scalar_subquery().label("learn_due"),
        review.add_columns(due.c.card_id).order_by(*first).limit(1).scalar_subquery().label("review_id"),
        select(unseen.c.id).order_by(unseen.c.position).limit(1).scalar_subquery().label("new_id"),
        learning.where(due.c.due < P["end"]).add_columns(func.count()).scalar_subquery().label("learning"),
        review.add_columns(func.count()).scalar_subquery().label("review"),
        select(func.count(distinct(unseen.c.fact_key))).scalar_subquery().label("new"),
        current_fit_id(P["user_id"]).label("fit_id"),
    ]


STATE_COLUMNS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
_STATE = [CardState.id.label("state_id"), CardState.version, CardState.suspended,
          *(getattr(CardState, name) for name in STATE_COLUMNS)]
_OWN_STATE = and_(CardState.card_id == Card.id, CardState.user_id == P["user_id"])

QUEUE_ROW = select(*_queue_columns(None, None))  # nothing being answered

ANSWER_ROW = (
    select(Card.id, Card.deck_id, Card.status.label("card_status"), Card.position, Deck.status.label("deck_status"),
           Deck.desired_retention, Deck.learning_steps, Deck.relearning_steps, Deck.new_per_day, Deck.reviews_per_day,
           *_STATE,
           *_queue_columns(P["card_id"], select(_Answered.fact_key).where(_Answered.id == P["card_id"])
                           .scalar_subquery()))
    .select_from(Card).join(Deck, Deck.id == Card.deck_id).outerjoin(CardState, _OWN_STATE)
    .where(Card.id == P["card_id"])
)

CARD_ROW = (
    select(Card.id, Card.key, Card.kind, Card.type, Card.prompt, Card.answer, Card.cloze_ord, Card.explanation,
           Card.context, Section.title.label("section_title"), Section.slug.label("section_slug"), *_STATE)
    .select_from(Card).outerjoin(Section, Section.id == Card.section_id).outerjoin(CardState, _OWN_STATE)
    .where(Card.id == P["card_id"])
)

_states = CardState.__table__
_logs = ReviewLog.__table__
# Every column named, so that they can run as prepared text (no default filled in by SQLAlchemy).
INSERT_STATE = _states.insert().values(
    **{name: bindparam(name, type_=_states.c[name].type) for name in ("user_id", "card_id", "version", "suspended",
                                                                     *STATE_COLUMNS)})
UPDATE_STATE = (
    _states.update().where(_states.c.id == bindparam("sid"), _states.c.version == bindparam("expected"))
    .values(version=bindparam("new_version", type_=_states.c.version.type),
            **{f: bindparam(f"v_{f}", type_=_states.c[f].type) for f in STATE_COLUMNS})
)
LOG_COLUMNS = ("user_id", "card_id", "rating", "reviewed_at", "duration_ms", "source", "shown_version", "state_before",
               "state_after", "before", "after")
INSERT_LOG = (_logs.insert().values(**{name: bindparam(name, type_=_logs.c[name].type) for name in LOG_COLUMNS})
              .returning(_logs.c.id))
WRITES = (INSERT_STATE, UPDATE_STATE, INSERT_LOG)  # every bound value a parameter: nothing constant in them


_PREPARED: dict = {}


def prepared(statement, dialect):
    """`statement` as SQL text for `dialect`, with typed parameters and result columns: executing it costs
    SQLAlchemy almost nothing (no cache key computed over a tree of a dozen subqueries on every run,
    which took longer than SQLite took to answer the query)."""
    key = (id(statement), dialect.name)
    found = _PREPARED.get(key)
    if found is not None:
        return found
    from sqlalchemy import column, text

    if dialect.name != "sqlite":
        _PREPARED[key] = statement  # PostgreSQL renders casts after its parameters (:x::INTEGER): as it is
        return statement
    named = type(dialect)(paramstyle="named")
    compiled = statement.compile(dialect=named)
    binds = {}
    every_bind_a_parameter = any(statement is write for write in WRITES)
    for bind, name in compiled.bind_names.items():
        if every_bind_a_parameter or name in P or name in binds:
            binds.setdefault(name, bindparam(name, type_=bind.type))
        else:  # a constant of the statement (a state code, LIMIT 1): bound once, here
            binds[name] = bindparam(name, compiled.params[name], type_=bind.type)
    binds = list(binds.values())
    clause = text(str(compiled)).bindparams(*binds)
    returned = statement.selected_columns if hasattr(statement, "selected_columns") else \
        getattr(statement, "_returning", ())  # an INSERT ... RETURNING
    if returned:
        clause = clause.columns(*(column(c.key if c.key else c.name, c.type) for c in returned))
    _PREPARED[key] = clause
    return clause
