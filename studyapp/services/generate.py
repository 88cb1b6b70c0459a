"""From an article to studyable cards: store the article and its candidates, keep the instructor's
decisions, add the accepted candidates as notes of a (draft) deck.

The generator runs ONCE per article, when it is saved: `articles.candidates` holds one JSON object
per candidate, best first, with the instructor's decision and edits on it:

    {"key": "a12-3-1969", "decision": "pending" | "accept" | "reject",
     "prompt": <edited prompt or null>, "answer": <edited answer or null>,
     "candidate": <cardgen.Candidate.to_dict()>}

The review screen reads that list and never recomputes it. `key` is the note key the candidate's
cards get (`a<article>-<n>-<answer-slug>`; a cloze's cards are `<key>.c1`, ...), fixed when the
candidate is stored, so adding a candidate again (edited or not) updates its cards instead of
duplicating them. Notes are built from the candidate's note with the edits applied, checked by
`notes.validate_note` (the one validator) and written by `notesync.sync_notes` (the one writer);
each card then gets a CardSource row naming the article and the source sentence. A rejected candidate
is never added, and rejecting one that was added retires its cards (`retire_rejected`).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import cardgen, cardtext
from ..domain.cardgen import Candidate
from ..domain.notes import (
    LIMITS,
    CardStatus,
    CardType,
    DeckStatus,
    FieldProblem,
    Note,
    fold_option,
    note_to_dict,
    validate_note,
)
from ..domain.notesync import slugify
from ..domain.quiztext import context_line
from ..models import Article, Card, CardSource, Deck, Section, User
from .decks import create_deck as create_any_deck
from .notesync import ensure_sections, sync_notes

MAX_ARTICLE_BYTES = 200_000
KEY_LENGTH = 60
GENERATED_TAG = "generated"
PENDING, ACCEPT, REJECT = "pending", "accept", "reject"
DECISIONS = (PENDING, ACCEPT, REJECT)


def title_from(text: str, fallback: str = "Untitled article") -> str:
    """The first non-empty line, shortened: a title when none was given."""
    for line in (text or "").splitlines():
        line = line.strip(" #*\t")
        if line:
            return line if len(line) <= 120 else line[:117].rstrip() + "…"
    return fallback


def card_answer(note: Note) -> str:
    """The answer of the note's first card: a basic note's answer, a cloze note's first deletion."""
    cards = note.cards()
    return cards[0].answer if cards else note.answer


def card_key(article: Article, index: int, candidate: Candidate) -> str:
    """A stable, unique slug for the candidate at `index` (0-based) of the article."""
    prefix = f"a{article.id}-{index + 1}"
    answer = slugify(cardtext.strip_markup(card_answer(candidate.note)), KEY_LENGTH - len(prefix) - 1)
    return f"{prefix}-{answer}" if answer else prefix


# -- stored candidates -----------------------------------------------------------------------------

@dataclass
class Entry:
    """One stored candidate with the instructor's decision and edits (None: not edited)."""

    index: int  # 0-based position in the stored list
    key: str
    candidate: Candidate
    decision: str = PENDING
    prompt: str | None = None
    answer: str | None = None

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def is_cloze(self) -> bool:
        return self.candidate.note.type == CardType.CLOZE

    @property
    def shown_prompt(self) -> str:
        return self.prompt if self.prompt is not None else self.candidate.note.prompt

    @property
    def shown_answer(self) -> str:
        return self.answer if self.answer is not None else card_answer(self.candidate.note)

    @property
    def edited(self) -> bool:
        return self.prompt is not None or self.answer is not None

    def card_keys(self) -> list[str]:
        """The keys of the cards this entry makes (a cloze: one per deletion of its prompt as shown)."""
        note = self.candidate.note.with_changes(note_key=self.key)
        if self.is_cloze and cardtext.cloze_numbers(self.shown_prompt):
            note = note.with_changes(prompt=self.shown_prompt)
        return [c.key for c in note.cards()] or [self.key]

    def to_json(self) -> dict:
        return {"key": self.key, "decision": self.decision, "prompt": self.prompt, "answer": self.answer,
                "candidate": self.candidate.to_dict()}

    @classmethod
    def from_json(cls, index: int, data: dict) -> Entry:
        decision = data.get("decision")
        return cls(index=index, key=data["key"], candidate=Candidate.from_dict(data["candidate"]),
                   decision=decision if decision in DECISIONS else PENDING,
                   prompt=data.get("prompt"), answer=data.get("answer"))


def clean_text(text: str) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def propose(text: str, title: str | None = None) -> list[Candidate]:
    """The generator's candidates (the slow part: run it before any write). `title`: the one the instructor gave."""
    return cardgen.generate(clean_text(text), title=(title or "").strip() or None)


def _entries_for(article: Article, candidates: Sequence[Candidate]) -> list[Entry]:
    return [Entry(i, card_key(article, i, c), c) for i, c in enumerate(candidates)]


def store(article: Article, entries: Sequence[Entry]) -> None:
    article.candidates = [e.to_json() for e in entries]  # a new list: the JSON column sees the change


def create_article(session: Session, user: User, title: str, text: str, now: datetime,
                   candidates: Sequence[Candidate] | None = None) -> Article:
    """Save the article with its candidates: `propose(text)`, given (computed before the transaction
    writes, so the write lock is not held while the generator runs) or computed here. Once per article."""
    text = clean_text(text)
    if candidates is None:
        candidates = propose(text, title)
    article = Article(title=(title or "").strip()[:200] or title_from(text), text=text, created_by=user.id,
                      created_at=now)
    session.add(article)
    session.flush()  # the id goes into the card keys
    store(article, _entries_for(article, candidates))
    session.flush()
    return article


def entries(session: Session, article: Article) -> list[Entry]:
    """The article's stored candidates (an article saved before they were stored gets them now, once;
    so does one whose stored list an older generator wrote in a shape that can no longer be read)."""
    if article.candidates is not None:
        try:
            return [Entry.from_json(i, data) for i, data in enumerate(article.candidates)]
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # stored by an older generator in a shape this one cannot read: propose them afresh
    fresh = _entries_for(article, cardgen.generate(article.text, title=article.title))
    store(article, fresh)
    session.flush()
    return fresh


def recent_articles(session: Session, limit: int = 20) -> list[Article]:
    return list(session.scalars(select(Article).order_by(Article.created_at.desc(), Article.id.desc()).limit(limit)))


def _clean(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()


def record(entry: Entry, decision: str | None, prompt: str | None, answer: str | None) -> None:
    """Keep what the instructor chose and typed (an edit equal to the generator's text is no edit)."""
    if decision in DECISIONS:
        entry.decision = decision
    if prompt is not None:  # None: the field was not sent; keep what is stored
        prompt = _clean(prompt)
        entry.prompt = None if prompt == _clean(entry.candidate.note.prompt) else prompt
    if answer is not None:
        answer = _clean(answer)
        entry.answer = None if answer == _clean(card_answer(entry.candidate.note)) else answer


# -- from an entry to a note ----------------------------------------------------------------------

def highlight_span(candidate: Candidate) -> tuple[int, int] | None:
    """Where the answer sits in the candidate's source sentence, or None when it is not there verbatim."""
    note, source = candidate.note, candidate.source
    answer = card_answer(note)
    if note.type == CardType.CLOZE and "{{c1::" in note.prompt and " ".join(source.split()) == source:
        start = note.prompt.index("{{c1::")
        if source[start:start + len(answer)] == answer:
            return start, start + len(answer)
    start = source.find(answer) if answer else -1
    return (start, start + len(answer)) if start >= 0 else None


def _replace_first_cloze(prompt: str, answer: str) -> str:
    match = next((m for m in cardtext.CLOZE_RE.finditer(prompt) if int(m.group(1)) == 1), None)
    if match is None:
        return prompt
    hint = f"::{match.group(3)}" if match.group(3) else ""
    return prompt[:match.start()] + "{{c1::" + answer + hint + "}}" + prompt[match.end():]


def _explanation(candidate: Candidate) -> str:
    if candidate.note.explanation:
        return candidate.note.explanation
    text = f"From the article, paragraph {candidate.paragraph}: {candidate.source}"
    return text if len(text) <= LIMITS.explanation else text[:LIMITS.explanation - 1].rstrip() + "…"


def build_note(entry: Entry, section: str, context: str | None = None) -> tuple[Note | None, list[FieldProblem]]:
    """The note the entry makes, as edited, checked by `validate_note`; or None and the problems.

    A cloze's edited answer replaces the text of its `{{c1::...}}` deletion. When the instructor edits
    a card, the generator's quiz material follows: a who-said card's speaker is its (edited) answer, a
    statement that no longer holds the answer is dropped (a cloze's then comes from its text), and a
    distractor equal to the new answer is dropped. `context`: the line its cards show above their front
    (usually the article's title), left off when it states the card's answer (`context_of`).
    """
    cand = entry.candidate
    raw = note_to_dict(cand.note)
    # The generator's fact key groups candidates of one fact (siblings); it is made unique to the article.
    fact_key = f"{entry.key.split('-', 1)[0]}-{slugify(cand.note.fact_key)}" if cand.note.fact_key else None
    raw.update(note_key=entry.key, section=section, paragraph=cand.paragraph, fact_key=fact_key,
               explanation=_explanation(cand),
               tags=list(dict.fromkeys([*cand.note.tags, GENERATED_TAG])))
    if entry.edited:
        prompt, answer = entry.shown_prompt.strip(), entry.shown_answer.strip()
        if entry.is_cloze:
            has_c1 = 1 in cardtext.cloze_numbers(prompt)
            if entry.answer and has_c1 and entry.answer != cardtext.cloze_answer(prompt, 1):
                prompt = _replace_first_cloze(prompt, entry.answer)  # an edited answer wins
            answer = cardtext.cloze_answer(prompt, 1).strip() if has_c1 else answer
            raw.update(prompt=prompt)
            if prompt != cand.note.prompt:
                raw["statement"] = None
        else:
            raw.update(prompt=prompt, answer=answer)
            if raw.get("statement") and fold_option(answer) not in fold_option(raw["statement"]):
                raw["statement"] = None
            if cand.note.speaker and fold_option(cand.note.speaker) == fold_option(card_answer(cand.note)):
                raw["speaker"] = answer or raw["speaker"]
        taken = {fold_option(answer), *(fold_option(a) for a in raw.get("alternatives") or [])}
        raw["distractors"] = [d for d in raw.get("distractors") or [] if fold_option(d) not in taken]
    raw["context"] = context_of(entry, context)
    return validate_note(raw, sections={section})


def context_of(entry: Entry, line: str | None) -> str | None:
    """The context line the entry's cards would get from `line`, as shown and edited."""
    return context_line(line, cardtext.strip_markup(entry.shown_answer), *entry.candidate.note.alternatives,
                        limit=LIMITS.context)


def check(entry: Entry, section: str = "generated", context: str | None = None) -> list[FieldProblem]:
    """The problems an entry's edits have ([] when it makes a valid note)."""
    return build_note(entry, section, context)[1]


# -- adding cards ---------------------------------------------------------------------------------

@dataclass
class AddReport:
    deck: Deck
    section_title: str
    added: list[str] = field(default_factory=list)     # card keys
    updated: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)   # unchanged: the same card was there already


def picked(all_entries: Sequence[Entry], *, min_score: float | None = None) -> list[Entry]:
    """The entries to add: accepted ones, plus (with `min_score`) undecided ones scoring at least it.

    A rejected candidate is never picked."""
    return [e for e in all_entries if e.decision == ACCEPT or (
        min_score is not None and e.decision == PENDING and e.candidate.score >= min_score)]


def create_deck(session: Session, name: str, now: datetime) -> Deck:
    """A new deck for generated cards: a draft, which learners do not see until it is published."""
    return create_any_deck(session, (name or "").strip()[:200] or "Generated cards",
                           "Cards made with the card generator.", now, fallback_slug="generated",
                           status=DeckStatus.DRAFT)


def add_cards(session: Session, article: Article, deck: Deck, section_title: str, chosen: Sequence[Entry],
              all_entries: Sequence[Entry], now: datetime, user: User | None,
              context: str | None = None) -> AddReport:
    """Write the chosen entries' notes to the deck (all valid: check them first); flushes, never commits.

    `context`: the context line of the cards (`build_note`); the caller passes the article's title unless
    the instructor changed or cleared it.

    The chosen entries become accepted (an entry added by score is no longer undecided) and show the
    text their cards got; the article remembers the deck.
    """
    title = (section_title or "").strip()[:200] or "Generated cards"
    slug = slugify(title) or "generated"
    ensure_sections(session, deck, [(slug, title, f"Cards generated from the article “{article.title}”.")])
    notes: list[Note] = []
    for entry in chosen:
        note, problems = build_note(entry, slug, context)
        if note is None:
            raise ValueError(f"candidate {entry.number} is not valid: {'; '.join(map(str, problems))}")
        notes.append(note)
    sync = sync_notes(session, deck, notes, now=now, user_id=user.id if user else None, action="create",
                      summary=f"Generated from the article “{article.title}”")
    report = AddReport(deck, title, added=list(sync.added),
                       updated=list(dict.fromkeys([*sync.updated, *sync.restored])))
    report.already = [k for n in notes for k in (c.key for c in n.cards())
                      if k not in report.added and k not in report.updated]
    _write_sources(session, article, chosen, notes, sync.card_ids)
    for entry, note in zip(chosen, notes, strict=True):
        entry.decision = ACCEPT
        if entry.edited:  # show what the card says (a cloze's answer moved into its deletion)
            record(entry, ACCEPT, note.prompt, card_answer(note))
    store(article, all_entries)
    article.deck_id = deck.id
    session.flush()
    return report


def retire_rejected(session: Session, article: Article, all_entries: Sequence[Entry], now: datetime,
                    user: User | None) -> list[str]:
    """Retire the active cards made from candidates the instructor has since rejected, in whatever deck
    they went to (learners' history stays; accepting and adding the candidate again restores them).
    The keys of the cards retired."""
    rejected = {e.key: e for e in all_entries if e.decision == REJECT}
    if not rejected:
        return []
    rows = session.execute(select(Card.deck_id, Card.note_key).join(CardSource, CardSource.card_id == Card.id)
                           .where(CardSource.article_id == article.id, Card.status == CardStatus.ACTIVE,
                                  Card.note_key.in_(rejected)).distinct()).all()
    by_deck: dict[int, set[str]] = {}
    for deck_id, note_key in rows:
        by_deck.setdefault(deck_id, set()).add(note_key)
    retired: list[str] = []
    for deck_id, keys in sorted(by_deck.items()):
        notes = [rejected[k].candidate.note.with_changes(note_key=k, section=None) for k in sorted(keys)]
        report = sync_notes(session, session.get(Deck, deck_id), notes, now=now, action="retire",
                            user_id=user.id if user else None, summary="rejected in the card generator")
        retired += report.retired
    return retired


def _write_sources(session: Session, article: Article, chosen: Sequence[Entry], notes: Sequence[Note],
                   card_ids: dict[str, int]) -> None:
    wanted = {card_ids[c.key]: entry.candidate for entry, note in zip(chosen, notes, strict=True) for c in note.cards()
              if c.key in card_ids}
    have = set(session.scalars(select(CardSource.card_id).where(CardSource.card_id.in_(wanted)))) if wanted else set()
    for card_id, cand in wanted.items():
        if card_id not in have:
            session.add(CardSource(card_id=card_id, article_id=article.id, paragraph=cand.paragraph,
                                   source_sentence=cand.source))


def added_keys(session: Session, article: Article) -> dict[str, str]:
    """Keys of active cards made from this article, with the name of the deck each is in."""
    rows = session.execute(select(Card.key, Deck.name).join(CardSource, CardSource.card_id == Card.id)
                           .join(Deck, Deck.id == Card.deck_id)
                           .where(CardSource.article_id == article.id, Card.status == CardStatus.ACTIVE))
    return {key: name for key, name in rows}


def last_context(session: Session, article: Article) -> str | None:
    """The context line the article's cards last got (the review form offers it again)."""
    return session.scalar(select(Card.context).join(CardSource, CardSource.card_id == Card.id)
                          .where(CardSource.article_id == article.id, Card.context.is_not(None))
                          .order_by(Card.id.desc()).limit(1))


def last_section_title(session: Session, article: Article) -> str | None:
    """The section the article's cards last went to (the review form offers it again)."""
    return session.scalar(select(Section.title).join(Card, Card.section_id == Section.id)
                          .join(CardSource, CardSource.card_id == Card.id)
                          .where(CardSource.article_id == article.id).order_by(Card.id.desc()).limit(1))


# -- draft and published decks --------------------------------------------------------------------

def set_status(session: Session, deck: Deck, status: DeckStatus) -> bool:
    """Publish or unpublish a deck; whether it changed."""
    if deck.status == status:
        return False
    deck.status = status
    session.flush()
    return True
