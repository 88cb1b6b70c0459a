"""From an article to studyable cards: store the article, propose candidates, add the accepted ones.

Candidates come from `domain.cardgen.generate(article.text)`, which is deterministic, so the review
screen can regenerate them and refer to them by position. Accepted cards get a stable key
(`a<article>-<n>-<answer-slug>`, cloze cards `<key>.c1`), the tag `generated`, the candidate's
paragraph, and a CardSource row naming the article and the source sentence.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import cardgen, cardtext
from ..domain.cardgen import Candidate
from ..models import Article, Card, CardSource, Deck, Section, User

MAX_ARTICLE_BYTES = 200_000
MAX_PROMPT = 5000
MAX_ANSWER = 500
KEY_LENGTH = 60
GENERATED_TAG = "generated"


class PickError(ValueError):
    """An accepted candidate whose (edited) prompt or answer cannot make a card."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


def slugify(text: str, limit: int = 64) -> str:
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].strip("-")


def title_from(text: str, fallback: str = "Untitled article") -> str:
    """The first non-empty line, shortened: a title when none was given."""
    for line in (text or "").splitlines():
        line = line.strip(" #*\t")
        if line:
            return line if len(line) <= 120 else line[:117].rstrip() + "…"
    return fallback


def create_article(session: Session, user: User, title: str, text: str, now: datetime) -> Article:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    article = Article(title=(title or "").strip()[:200] or title_from(text), text=text, created_by=user.id,
                      created_at=now)
    session.add(article)
    session.flush()
    return article


def recent_articles(session: Session, limit: int = 20) -> list[Article]:
    return list(session.scalars(select(Article).order_by(Article.created_at.desc(), Article.id.desc()).limit(limit)))


def candidates(article: Article) -> list[Candidate]:
    """The generator's candidates for the article, best first (the same list every time)."""
    return cardgen.generate(article.text)


def highlight_span(candidate: Candidate) -> tuple[int, int] | None:
    """Where the answer sits in the candidate's source sentence, or None when it is not there verbatim."""
    source, answer = candidate.source, candidate.answer
    if candidate.type == "cloze" and "{{c1::" in candidate.prompt and " ".join(source.split()) == source:
        start = candidate.prompt.index("{{c1::")
        if source[start:start + len(answer)] == answer:
            return start, start + len(answer)
    start = source.find(answer) if answer else -1
    return (start, start + len(answer)) if start >= 0 else None


def card_key(article: Article, index: int, candidate: Candidate) -> str:
    """A stable, unique slug for the candidate at `index` (0-based) of the article."""
    prefix = f"a{article.id}-{index + 1}"
    answer = slugify(candidate.answer, KEY_LENGTH - len(prefix) - 1)
    return f"{prefix}-{answer}" if answer else prefix


def _replace_first_cloze(prompt: str, answer: str) -> str:
    match = next((m for m in cardtext.CLOZE_RE.finditer(prompt) if int(m.group(1)) == 1), None)
    if match is None:
        return prompt
    hint = f"::{match.group(3)}" if match.group(3) else ""
    return prompt[:match.start()] + "{{c1::" + answer + hint + "}}" + prompt[match.end():]


def checked_pick(candidate: Candidate, prompt: str, answer: str) -> tuple[str, str]:
    """The (prompt, answer) a card will get from an accepted candidate as edited; raises PickError.

    A cloze keeps its answer inside `{{c1::...}}`: an edited answer replaces that deletion's text.
    """
    prompt, answer = (prompt or "").strip(), (answer or "").strip()
    if not prompt:
        raise PickError("prompt", "The prompt cannot be empty.")
    if len(prompt) > MAX_PROMPT:
        raise PickError("prompt", f"Keep the prompt under {MAX_PROMPT} characters.")
    if len(answer) > MAX_ANSWER:
        raise PickError("answer", f"Keep the answer under {MAX_ANSWER} characters.")
    if candidate.type == "cloze":
        if 1 not in cardtext.cloze_numbers(prompt):
            raise PickError("prompt", "Keep the hidden part marked as {{c1::...}}.")
        if answer and answer != cardtext.cloze_answer(prompt, 1):
            prompt = _replace_first_cloze(prompt, answer)
        answer = cardtext.cloze_answer(prompt, 1).strip()
    if not answer:
        raise PickError("answer", "The answer cannot be empty.")
    return prompt, answer


@dataclass
class Pick:
    index: int  # position in `candidates(article)`
    candidate: Candidate
    prompt: str
    answer: str


@dataclass
class AcceptReport:
    deck: Deck
    section: Section
    added: list[Card] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # keys that were in the deck before


def create_deck(session: Session, name: str, now: datetime) -> Deck:
    base = slugify(name, 56) or "generated"
    taken = set(session.scalars(select(Deck.slug).where(Deck.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    deck = Deck(slug=slug, name=name.strip()[:200], description="Cards made with the card generator.",
                created_at=now)
    session.add(deck)
    session.flush()
    return deck


def ensure_section(session: Session, deck: Deck, title: str, guide: str = "") -> Section:
    title = (title or "").strip()[:200] or "Generated cards"
    slug = slugify(title) or "generated"
    section = session.scalar(select(Section).where(Section.deck_id == deck.id, Section.slug == slug))
    if section is None:
        last = session.scalar(select(func.max(Section.position)).where(Section.deck_id == deck.id))
        section = Section(deck_id=deck.id, slug=slug, title=title, guide=guide,
                          position=(last if last is not None else -1) + 1)
        session.add(section)
        session.flush()
    return section


def accept(session: Session, article: Article, deck: Deck, section: Section, picks: list[Pick],
           now: datetime) -> AcceptReport:
    """Add the picked candidates to the deck as cards (each once: a key already there is skipped)."""
    report = AcceptReport(deck, section)
    existing = set(session.scalars(select(Card.key).where(Card.deck_id == deck.id)))
    last = session.scalar(select(func.max(Card.position)).where(Card.deck_id == deck.id))
    position = (last if last is not None else -1) + 1
    for pick in picks:
        cand = pick.candidate
        prompt, answer = checked_pick(cand, pick.prompt, pick.answer)
        note_key = card_key(article, pick.index, cand)
        key = f"{note_key}.c1" if cand.type == "cloze" else note_key
        if key in existing:
            report.already.append(key)
            continue
        card = Card(
            deck_id=deck.id, key=key, note_key=note_key, cloze_ord=1 if cand.type == "cloze" else None,
            kind="fact", type=cand.type, prompt=prompt, answer=answer, alternatives=[],
            explanation=f"From the article, paragraph {cand.paragraph}: {cand.source}",
            section_id=section.id, tags=f" {GENERATED_TAG} ", paragraph=cand.paragraph,
            category=cand.category, distractors=[], speaker=answer if cand.reason == "quote" else None,
            fact_key=note_key, status="active", position=position, created_at=now, updated_at=now,
        )
        session.add(card)
        session.flush()
        session.add(CardSource(card_id=card.id, article_id=article.id, paragraph=cand.paragraph,
                               source_sentence=cand.source))
        existing.add(key)
        position += 1
        report.added.append(card)
    session.flush()
    return report


def added_keys(session: Session, article: Article) -> dict[str, str]:
    """Keys of cards already made from this article, with the name of the deck each is in."""
    rows = session.execute(select(Card.key, Deck.name).join(CardSource, CardSource.card_id == Card.id)
                           .join(Deck, Deck.id == Card.deck_id).where(CardSource.article_id == article.id))
    return {key: name for key, name in rows}
