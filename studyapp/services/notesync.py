"""The one card writer: every path that adds, edits, retires or restores cards goes through `sync_notes`.

Deck files (`flask load-cards`, `flask import-deck`), the card editor, CSV/TSV and .apkg imports and
the card generator hand it notes (`domain.notes.Note`, already validated). It loads the deck's cards
and sections once, plans with the pure diff (`domain.notesync.plan_sync`), then writes: cards in one
bulk INSERT and bulk UPDATEs, one CardRevision per changed card in one bulk INSERT, one flush.
Nothing here commits: the request (or the CLI command) owns the transaction.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Table, func, insert, inspect, select, update
from sqlalchemy.orm import Session

from ..domain.notes import AnswerKind, CardKind, CardStatus, CardType, Note
from ..domain.notesync import CARD_FIELDS, CardChange, ExistingCard, SyncPlan, pad_tags, plan_sync
from ..models import Card, CardRevision, Deck, Section

ACTIONS = ("create", "edit", "import", "retire", "restore")


class NoteTypeChange(ValueError):
    """A note would change between basic and cloze (its cards' keys would all change)."""


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    card_ids: dict[str, int] = field(default_factory=dict)   # every wanted (or retired) card's id

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.retired or self.restored)

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.updated)} updated, {len(self.retired)} retired, "
                f"{len(self.restored)} restored, {len(self.unchanged)} unchanged")


# -- sections -------------------------------------------------------------------------------------
def ensure_sections(session: Session, deck: Deck, wanted: Iterable[tuple[str, str | None, str | None]]
                    ) -> dict[str, Section]:
    """The deck's sections by slug, after adding those of `wanted` (slug, title, guide) it lacks.

    New sections go after the last one; a missing title is made from the slug. Existing ones are
    left as they are. One SELECT, one flush when something was added.
    """
    sections = {s.slug: s for s in session.scalars(select(Section).where(Section.deck_id == deck.id))}
    position = max((s.position for s in sections.values()), default=-1) + 1
    added = False
    for slug, title, guide in wanted:
        if slug in sections:
            continue
        title = (title or "").strip() or slug.replace("-", " ").capitalize()
        sections[slug] = Section(deck_id=deck.id, slug=slug, title=title[:200], guide=guide or "", position=position)
        session.add(sections[slug])
        position, added = position + 1, True
    if added:
        session.flush()
    return sections


# -- the writer -----------------------------------------------------------------------------------
_COLUMNS = tuple(f for f in CARD_FIELDS if f != "section")


def _existing(session: Session, deck_id: int,
              slugs: Mapping[int, str]) -> tuple[dict[str, ExistingCard], dict[str, int]]:
    rows = session.execute(select(Card.id, Card.key, Card.status, Card.position, Card.section_id,
                                  *(getattr(Card, c) for c in _COLUMNS)).where(Card.deck_id == deck_id))
    cards, ids = {}, {}
    for row in rows:
        values = {c: getattr(row, c) for c in _COLUMNS}
        values["section"] = slugs.get(row.section_id) if row.section_id else None
        values["tags"] = tuple((row.tags or "").split())
        values["alternatives"] = tuple(row.alternatives or ())
        values["distractors"] = tuple(row.distractors or ())
        cards[row.key] = ExistingCard(row.key, values, row.status, row.position)
        ids[row.key] = row.id
    return cards, ids


def deck_cards(session: Session, deck: Deck) -> dict[str, ExistingCard]:
    """The deck's cards as the diff sees them (one query for sections, one for cards)."""
    slugs = {s.id: s.slug for s in session.scalars(select(Section).where(Section.deck_id == deck.id))}
    return _existing(session, deck.id, slugs)[0]


def preview_sync(session: Session, deck: Deck, notes: Sequence[Note], **options) -> SyncPlan:
    """What `sync_notes` would do, without writing (options as plan_sync's)."""
    return plan_sync(deck_cards(session, deck), list(notes), **options)


def deck_notes(session: Session, deck: Deck, sections: Sequence[Section] | None = None) -> list[Note]:
    """The deck's active notes in deck order, one per note key, every field as the cards hold it."""
    if sections is None:
        sections = list(session.scalars(select(Section).where(Section.deck_id == deck.id)))
    slugs = {s.id: s.slug for s in sections}
    notes: dict[str, Note] = {}
    cards = session.scalars(select(Card).where(Card.deck_id == deck.id, Card.status == CardStatus.ACTIVE)
                            .order_by(Card.position, Card.id))
    for card in cards:
        if card.note_key not in notes:
            notes[card.note_key] = note_from_card(card, slugs.get(card.section_id) if card.section_id else None)
    return list(notes.values())


def note_from_card(card: Card, section: str | None) -> Note:
    """The note a card row was written from (`section`: the slug of its section)."""
    return Note(
        note_key=card.note_key, kind=CardKind(card.kind), type=CardType(card.type), section=section,
        prompt=card.prompt, answer=card.answer if card.type == CardType.BASIC else "",
        alternatives=tuple(card.alternatives or ()), explanation=card.explanation or "", tags=tuple(card.tag_list),
        paragraph=card.paragraph, category=AnswerKind(card.category) if card.category else None,
        distractors=tuple(card.distractors or ()), speaker=card.speaker, statement=card.statement,
        claim=card.claim, fact_key=card.fact_key if card.fact_key != card.note_key else None,
        context=card.context)


def taken_keys(session: Session, deck: Deck) -> set[str]:
    """Every note key and card key in the deck (a new note key must be none of them)."""
    rows = session.execute(select(Card.key, Card.note_key).where(Card.deck_id == deck.id))
    return {key for row in rows for key in row}


def _row(values: Mapping[str, object], section_ids: Mapping[str, int]) -> dict:
    row = {c: values[c] for c in _COLUMNS}
    row["section_id"] = section_ids[values["section"]] if values["section"] else None  # type: ignore[index]
    row["tags"] = pad_tags(values["tags"])  # type: ignore[arg-type]
    row["alternatives"] = list(values["alternatives"])  # type: ignore[call-overload]
    row["distractors"] = list(values["distractors"])  # type: ignore[call-overload]
    return row


def _changed_columns(change: CardChange, section_ids: Mapping[str, int]) -> dict:
    full = _row(change.values, section_ids)
    names = {"section_id" if name == "section" else name for name in change.changes if name != "status"}
    return {name: full[name] for name in names}


@dataclass
class PreparedSync:
    """A plan made from one read of the deck, to be written later by `write_sync` (see `prepare_sync`)."""

    deck_id: int
    notes: list[Note]
    options: dict
    plan: SyncPlan
    existing: dict[str, ExistingCard]
    ids: dict[str, int]
    fingerprint: tuple


def _fingerprint(session: Session, deck_id: int) -> tuple:
    """Changes when the deck's cards or sections change (or any card gets a revision)."""
    cards = session.execute(select(func.count(Card.id), func.max(Card.id), func.max(Card.updated_at))
                            .where(Card.deck_id == deck_id)).one()
    sections = session.execute(select(func.count(Section.id), func.max(Section.id))
                               .where(Section.deck_id == deck_id)).one()
    return (*cards, *sections, session.scalar(select(func.max(CardRevision.id))))


def prepare_sync(session: Session, deck: Deck, notes: Sequence[Note], *, retire: bool = False,
                 retire_missing: bool = False, reorder: bool = False,
                 keep: Collection[str] | Mapping[str, Collection[str]] = ()) -> PreparedSync:
    """Read the deck once and plan (the slow part); reads only, so it can run before the write lock."""
    options = dict(retire=retire, retire_missing=retire_missing, reorder=reorder, keep=keep)
    fingerprint = _fingerprint(session, deck.id)
    slugs = {s.id: s.slug for s in session.scalars(select(Section).where(Section.deck_id == deck.id))}
    existing, ids = _existing(session, deck.id, slugs)
    notes = list(notes)
    return PreparedSync(deck.id, notes, options, plan_sync(existing, notes, **options), existing, ids, fingerprint)


def sync_notes(session: Session, deck: Deck, notes: Sequence[Note], *, now: datetime, user_id: int | None,
               action: str = "create", retire_missing: bool = False, summary: str = "", reorder: bool = False,
               keep: Collection[str] | Mapping[str, Collection[str]] = (),
               allow_type_change: bool = False) -> SyncReport:
    """Make the deck hold `notes`; each changed card gets a revision. Flushes once, never commits.

    `action`: "create"/"edit" (revisions named by what happened to each card), "import" (every
    revision says import), "retire" (the notes' cards are retired), "restore" (the notes are synced
    back, retired cards restored). `summary` replaces each revision's generated one. See
    `domain.notesync.plan_sync` for `retire_missing`, `reorder` and `keep`. A note changing type
    raises NoteTypeChange unless `allow_type_change` (a deck file is the truth about its notes).
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if deck.id is None:
        session.flush()
    prepared = prepare_sync(session, deck, notes, retire=action == "retire", retire_missing=retire_missing,
                            reorder=reorder, keep=keep)
    return _write(session, deck, prepared, now, user_id, action, summary, allow_type_change)


def write_sync(session: Session, deck: Deck, prepared: PreparedSync, *, now: datetime, user_id: int | None,
               action: str = "create", summary: str = "", allow_type_change: bool = False) -> SyncReport:
    """Write a prepared plan: bulk INSERT/UPDATE of cards, one bulk INSERT of revisions, one flush.

    When the deck changed since `prepare_sync` read it (another writer came first), it is read and
    planned again here, so what is written is always exact.
    """
    if prepared.fingerprint != _fingerprint(session, deck.id):
        prepared = prepare_sync(session, deck, prepared.notes, **prepared.options)
    return _write(session, deck, prepared, now, user_id, action, summary, allow_type_change)


def _write(session: Session, deck: Deck, prepared: PreparedSync, now: datetime, user_id: int | None, action: str,
           summary: str, allow_type_change: bool) -> SyncReport:
    plan, existing, ids = prepared.plan, prepared.existing, dict(prepared.ids)
    if plan.type_changes and not allow_type_change:
        key = plan.type_changes[0]
        raise NoteTypeChange(f"note '{key}' is a {existing_type(existing, key)} note in the deck; its type cannot "
                             f"change (retire it and add a new one)")
    sections = ensure_sections(session, deck, ((n.section, None, None) for n in prepared.notes if n.section))
    section_ids = {slug: s.id for slug, s in sections.items()}

    report = SyncReport(unchanged=list(plan.unchanged))
    if plan.add:
        rows = [{**_row(c.values, section_ids), "deck_id": deck.id, "key": c.key, "status": c.status,
                 "position": c.position, "created_at": now, "updated_at": now} for c in plan.add]
        _insert_rows(session, Card.__table__, rows)
        added = {c.key for c in plan.add}
        ids.update((key, card_id) for card_id, key in session.execute(
            select(Card.id, Card.key).where(Card.deck_id == deck.id, Card.created_at == now)) if key in added)
        report.added = [c.key for c in plan.add]
    updates = []
    for change in plan.update:
        row = {"id": ids[change.key], "updated_at": now, **_changed_columns(change, section_ids)}
        if "status" in change.changes:
            row["status"] = change.status
        if change.position is not None:
            row["position"] = change.position
        updates.append(row)
        if change.action == "retire":
            report.retired.append(change.key)
            continue
        if "status" in change.changes:
            report.restored.append(change.key)
        if set(change.changes) - {"status"}:
            report.updated.append(change.key)
    updates += [{"id": ids[key], "position": position} for key, position in plan.moves.items()]
    if updates:
        session.execute(update(Card), updates)
    revisions = [{"card_id": ids[c.key], "user_id": user_id, "at": now,
                  "action": "import" if action == "import" else c.action, "changes": c.changes,
                  "summary": (summary or c.summary)[:300]} for c in (*plan.add, *plan.update)]
    if revisions:
        _insert_rows(session, CardRevision.__table__, revisions)
    _expire_cards(session, deck.id)
    session.flush()
    report.card_ids = {key: ids[key] for key in (*report.added, *report.updated, *report.restored,
                                                  *report.retired, *report.unchanged)}
    return report


def _insert_rows(session: Session, table: Table, rows: list[dict]) -> None:
    """One executemany INSERT of many rows (all with the same keys), values bound by the columns' own types.

    On SQLite the bound tuples go to the driver's executemany directly: SQLAlchemy's per-row statement
    work cost three times the insert itself, and this runs while the write lock is held (an import).
    """
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite":
        session.execute(insert(table), rows)
        return
    names = list(rows[0])
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
           f"VALUES ({', '.join('?' for _ in names)})")
    columns = [_Binder(process) for process in processors]
    connection.exec_driver_sql(sql, [tuple(bind(row[name]) for name, bind in zip(names, columns, strict=True))
                                     for row in rows])


class _Binder:
    """A column's bind processor that reuses its last result for the very same object (`now` on every row)."""

    def __init__(self, process):
        self.process, self.last, self.result = process, object(), None

    def __call__(self, value):
        if self.process is None:
            return value
        if value is not self.last:
            self.last, self.result = value, self.process(value)
        return self.result


def existing_type(existing: Mapping[str, ExistingCard], note_key: str) -> str:
    return next((str(c.values["type"]) for c in existing.values() if c.values["note_key"] == note_key), "?")


def _expire_cards(session: Session, deck_id: int) -> None:
    """Card objects of this deck already in the session are stale after the bulk writes: reload on use."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Card) and inspect(obj).dict.get("deck_id") == deck_id:
            session.expire(obj)
