"""The card generator's results (`cardgen.generate` / `cardgen.analyse`): a candidate with its validated
note, and what was dropped and why. Pure."""
from __future__ import annotations

from dataclasses import dataclass, field

from .notes import Note, note_to_dict, validate_note


@dataclass
class Candidate:
    note: Note          # note_key is a provisional slug (the service re-keys it)
    source: str         # the source sentence exactly as in the text
    paragraph: int      # blank-line-separated block number from 1
    start: int          # offset of `source` in the text
    reason: str         # "figure", "date", "person", "quote", "why", "organisation", ...
    score: float        # 0..1, best first

    # read-only shortcuts to the note (older call sites read these)
    @property
    def type(self) -> str:
        return self.note.type.value

    @property
    def prompt(self) -> str:
        return self.note.prompt

    @property
    def answer(self) -> str:
        """The answer: a basic note's answer, a cloze's c1 deletion."""
        return self.note.cards()[0].answer

    @property
    def category(self) -> str | None:
        return self.note.category.value if self.note.category else None

    def to_dict(self) -> dict:
        return {"note": note_to_dict(self.note), "source": self.source, "paragraph": self.paragraph,
                "start": self.start, "reason": self.reason, "score": self.score}

    @classmethod
    def from_dict(cls, data: dict) -> "Candidate":
        """The exact inverse of `to_dict`; raises ValueError when the note does not validate."""
        note, problems = validate_note(data.get("note") or {})
        if note is None:
            raise ValueError("; ".join(str(p) for p in problems))
        return cls(note=note, source=str(data["source"]), paragraph=int(data["paragraph"]),
                   start=int(data["start"]), reason=str(data["reason"]), score=float(data["score"]))


@dataclass(frozen=True)
class Dropped:
    text: str
    paragraph: int | None
    reason: str
    answer: str | None = None


@dataclass
class Analysis:
    candidates: list[Candidate]
    dropped: list[Dropped]
    features: list[dict[str, float]] = field(default_factory=list)  # the ranking model's, per candidate
