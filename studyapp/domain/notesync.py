"""The card-sync diff: a deck's cards as they are against the notes wanted, as a plan of changes.

`plan_sync` is pure (no database): the service `services.notesync` loads the deck's cards once,
calls it, and writes the plan in bulk. A note gives one card (basic, key = note key) or one card per
deletion (cloze, key `<note>.c<n>`). Cards are compared field by field in `CARD_FIELDS` (the `cards`
columns, with `section` as its slug and lists as tuples); each change is {field: [old, new]}.
"""
from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from . import cardtext
from .notes import NOTE_FIELDS, CardStatus, Note, NoteCard

#: What a card row stores of its note, compared by the diff (section: a slug; lists: tuples).
CARD_FIELDS = ("note_key", "cloze_ord", "kind", "type", "prompt", "answer", "alternatives", "explanation",
               "section", "tags", "paragraph", "category", "distractors", "speaker", "claim", "statement",
               "fact_key", "context")
#: Fields read from the note as a whole (a cloze note's cards share them); keepable from existing cards.
NOTE_LEVEL = tuple(f for f in CARD_FIELDS if f not in ("cloze_ord", "answer", "note_key"))


def slugify(text: str, limit: int = 64) -> str:
    """Lowercase ASCII letters, digits and dashes: a deck, section or key slug made from any text."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")


def pad_tags(tags) -> str:
    """Tags as the `cards.tags` column stores them: " a b " (so LIKE '% a %' finds a whole tag)."""
    tags = [t for t in tags if t]
    return f" {' '.join(tags)} " if tags else ""


def new_note_key(prompt: str, taken: Collection[str], suffix=None, stem_length: int = 40) -> str:
    """A key for a new note: a slug of its prompt and a short random suffix, none of `taken`."""
    stem = slugify(_plain(prompt), stem_length) or "card"
    suffix = suffix or (lambda: secrets.token_hex(2))
    for _ in range(50):
        key = f"{stem}-{suffix()}"
        if key not in taken:
            return key
    raise RuntimeError("could not find an unused note key")


def _plain(text: str) -> str:
    return cardtext.strip_markup(text or "")


def card_values(card: NoteCard) -> dict:
    """The values a card row should hold for this card of its note (enums as their codes)."""
    note = card.note
    return {
        "note_key": note.note_key, "cloze_ord": card.cloze_ord, "kind": str(note.kind), "type": str(note.type),
        "prompt": note.prompt, "answer": card.answer, "alternatives": tuple(note.alternatives),
        "explanation": note.explanation or "", "section": note.section, "tags": tuple(note.tags),
        "paragraph": note.paragraph, "category": str(note.category) if note.category else None,
        "distractors": tuple(note.distractors), "speaker": note.speaker, "claim": note.claim,
        "statement": note.statement, "fact_key": note.fact, "context": note.context,
    }


@dataclass(frozen=True)
class ExistingCard:
    """One card row as the diff sees it: `values` holds CARD_FIELDS (section as slug, lists as tuples)."""

    key: str
    values: Mapping[str, object]
    status: str
    position: int


@dataclass
class CardChange:
    key: str
    action: str                    # create, edit, retire, restore
    values: dict                   # the card's wanted values (CARD_FIELDS)
    changes: dict                  # {field: [old, new]}, JSON-safe
    status: str = CardStatus.ACTIVE.value
    position: int | None = None    # a new position (new cards, or reordered ones)
    summary: str = ""


@dataclass
class SyncPlan:
    add: list[CardChange] = field(default_factory=list)
    update: list[CardChange] = field(default_factory=list)      # edits, restores, retirements
    moves: dict[str, int] = field(default_factory=dict)          # key -> position, no other change
    unchanged: list[str] = field(default_factory=list)
    type_changes: list[str] = field(default_factory=list)        # note keys whose type differs from the deck's

    def keys(self, action: str) -> list[str]:
        return [c.key for c in (self.add if action == "create" else self.update) if c.action == action]


def _json(value):
    if isinstance(value, tuple):
        return list(value)
    return value


def _readable(name: str, value):
    if name == "tags":
        return " ".join(value or ())
    return _json(value)


def _diff(old: Mapping[str, object], new: Mapping[str, object]) -> dict:
    return {name: [_readable(name, old.get(name)), _readable(name, new[name])]
            for name in CARD_FIELDS if old.get(name) != new[name]}


def plan_sync(existing: Mapping[str, ExistingCard], notes: Sequence[Note], *, retire_missing: bool = False,
              retire: bool = False, reorder: bool = False,
              keep: Collection[str] | Mapping[str, Collection[str]] = ()) -> SyncPlan:
    """What to write so the deck holds `notes`.

    * a wanted card not in the deck is added (positions after the deck's last card, in note order);
    * a wanted card that differs is updated, a retired one restored (both may happen at once);
    * an active card not wanted is retired when its note is among `notes` (a deletion removed from
      a cloze text) or when `retire_missing` (the notes are the whole deck, as a deck file is);
    * `retire`: the given notes are retired instead (every active card of theirs);
    * `reorder`: every wanted card's position is its place in `notes` (a deck file's order);
    * `keep`: fields existing notes keep (for every note, or per note key): what an edge does not carry.
    """
    plan = SyncPlan()
    by_note: dict[str, list[ExistingCard]] = {}
    for card in sorted(existing.values(), key=lambda c: (c.values.get("cloze_ord") or 0, c.key)):
        by_note.setdefault(str(card.values["note_key"]), []).append(card)
    seen_notes: set[str] = set()
    for note in notes:
        if note.note_key in seen_notes:
            raise ValueError(f"note '{note.note_key}' is given twice")
        seen_notes.add(note.note_key)
    if retire:
        for note in notes:
            for card in by_note.get(note.note_key, ()):
                if card.status == CardStatus.ACTIVE:
                    plan.update.append(CardChange(card.key, "retire", dict(card.values),
                                                  {"status": ["active", "retired"]},
                                                  status=CardStatus.RETIRED.value, summary="retired"))
        return plan

    next_position = max((c.position for c in existing.values()), default=-1) + 1
    wanted: set[str] = set()
    order = 0
    for note in notes:
        old_cards = by_note.get(note.note_key, [])
        if old_cards and str(old_cards[0].values["type"]) != str(note.type):
            plan.type_changes.append(note.note_key)
        fields = keep.get(note.note_key, ()) if isinstance(keep, Mapping) else keep
        if old_cards and fields:
            first = old_cards[0].values
            note = note.with_changes(**{f: first[f] for f in fields if f in NOTE_FIELDS and f in NOTE_LEVEL})
        for card in note.cards():
            values = card_values(card)
            key = card.key
            wanted.add(key)
            position = order if reorder else None
            order += 1
            row = existing.get(key)
            if row is None:
                if position is None:
                    position, next_position = next_position, next_position + 1
                plan.add.append(CardChange(key, "create", values,
                                           {k: [None, _readable(k, v)] for k, v in values.items()
                                            if v not in (None, "", ())},
                                           position=position, summary=f"created {key}"))
                continue
            changes = _diff(row.values, values)
            moved = position is not None and position != row.position
            if row.status != CardStatus.ACTIVE:
                changes["status"] = [row.status, CardStatus.ACTIVE.value]
                plan.update.append(CardChange(key, "restore" if set(changes) == {"status"} else "edit", values,
                                              changes, position=position if moved else None, summary="restored"))
            elif changes:
                plan.update.append(CardChange(key, "edit", values, changes, position=position if moved else None,
                                              summary=f"{'; '.join(sorted(changes))} changed"))
            else:
                plan.unchanged.append(key)
                if moved:
                    plan.moves[key] = position  # type: ignore[assignment]
    for key, row in existing.items():
        if key in wanted or row.status != CardStatus.ACTIVE:
            continue
        note_key = str(row.values["note_key"])
        if retire_missing or note_key in seen_notes:
            why = (f"deletion c{row.values.get('cloze_ord')} was removed from the text" if note_key in seen_notes
                   else "no longer in the deck")
            plan.update.append(CardChange(key, "retire", dict(row.values), {"status": ["active", "retired"]},
                                          status=CardStatus.RETIRED.value, summary=why))
    return plan
