"""Simulated learners for `flask seed-demo`: plausible review histories, computed without a database.

Each learner studies with the real scheduler (`domain.scheduler.review`) while a simple memory
model decides what they remember:

* ability `a ~ N(0, 0.35)` per learner, difficulty `d ~ N(0, 0.6)` per card (shared by the class,
  so some facts are hard for everyone);
* recall after `t` days is `2 ** (-t / h)`; the first sight sets `h = 3 days * exp(a - d + noise)`
  (doubled when the learner already knew the card from the article, with probability
  `logistic(a - d - 1.5)`); a success grows `h` by `1 + g * sqrt(1 - p)` (more for a harder recall,
  `g = 3.5 * exp((a - d) / 2)`), a failure cuts it to 30%, never below the first-sight value;
* ratings: a failure is Again; a success is Hard more often when recall was hard, Easy sometimes
  when it was easy, otherwise Good;
* habits: a usual study hour in the learner's own time zone, days skipped (5-35%), a daily
  budget of answers, a personal new-card limit, and some learners who give up part way.

Everything is drawn from `random.Random` seeded by (seed, learner index): same seed, same class.
Pure: `now` is passed in, nothing is read from the clock or stored.
"""
from __future__ import annotations

import heapq
import json
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from ..domain.days import study_day, zone
from ..domain.quizgen import rating_for
from ..domain.scheduler import NEW, Rating, Settings, review

TIME_ZONES = ("UTC", "Europe/London", "Europe/Paris", "America/New_York", "America/Chicago",
              "America/Los_Angeles", "Asia/Kolkata", "Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney")
STUDY_HOURS = (7, 8, 12, 13, 17, 18, 19, 20, 21, 22)
WAIT_FOR_LEARNING = timedelta(minutes=30)  # a learner waits this long at most for a learning step


@dataclass(frozen=True)
class SimCard:
    id: int
    fact: str
    difficulty: float


@dataclass(frozen=True)
class SimQuiz:
    id: int
    questions: list  # frozen question dicts: type, answer, options, card_db_id ...


@dataclass(frozen=True)
class SimConfig:
    days: int
    now: datetime
    settings: Settings
    new_per_day: int = 20
    reviews_per_day: int = 200
    seed: int = 2026
    fuzz: bool = True


@dataclass
class SimResult:
    """Rows to insert. Review logs carry their memory states as JSON text (`before_json`, `after_json`)."""

    logs: list[dict] = field(default_factory=list)
    states: list[dict] = field(default_factory=list)
    attempts: list[dict] = field(default_factory=list)


@dataclass
class _Truth:
    half_life: float = 0.0
    floor: float = 0.0
    last: datetime | None = None


@dataclass
class _Card:
    sim: SimCard
    memory: object = None  # scheduler.Memory or None
    after: str = "null"  # the last answer's memory.to_dict() as JSON text
    answers: int = 0
    truth: _Truth = field(default_factory=_Truth)


def card_difficulty(seed: int, card_id: int) -> float:
    return random.Random(f"demo-card/{seed}/{card_id}").gauss(0, 0.6)


def learner_zone(seed: int, index: int) -> str:
    return random.Random(f"demo-zone/{seed}/{index}").choice(TIME_ZONES)


class Learner:
    def __init__(self, user_id: int, index: int, tz: str, cards: list[SimCard], config: SimConfig):
        self.user_id, self.index, self.tz, self.config = user_id, index, tz, config
        self.rng = random.Random(f"demo-learner/{config.seed}/{index}")
        rng = self.rng
        self.ability = rng.gauss(0, 0.35)
        self.skip = rng.uniform(0.05, 0.35)
        self.hour = rng.choice(STUDY_HOURS) + rng.uniform(0, 0.9)
        self.budget = rng.randint(40, 160)
        self.new_limit = min(config.new_per_day, rng.randint(5, 20))
        self.last_day = config.days if rng.random() > 0.2 else rng.randint(config.days // 3, config.days)
        self.cards = [_Card(c) for c in cards]
        self.result = SimResult()

    # -- memory model ---------------------------------------------------------------------------

    def _margin(self, card: _Card) -> float:
        return self.ability - card.sim.difficulty

    def recall(self, card: _Card, at: datetime) -> float:
        truth = card.truth
        if truth.last is None:
            return 1 / (1 + math.exp(-(self._margin(card) - 1.5)))  # guessing from the article
        days = (at - truth.last) / timedelta(days=1)
        return 2.0 ** (-max(0.0, days) / truth.half_life)

    def _remember(self, card: _Card, at: datetime) -> tuple[bool, float]:
        """Draw whether the learner recalls `card` at `at` (and the recall it had), updating their memory."""
        p = self.recall(card, at)
        passed = self.rng.random() < p
        self._update(card, at, passed, p)
        return passed, p

    def _update(self, card: _Card, at: datetime, passed: bool, p: float) -> None:
        truth, rng = card.truth, self.rng
        if truth.last is None:
            truth.floor = 3.0 * math.exp(self._margin(card) + rng.gauss(0, 0.25))
            truth.half_life = truth.floor * (2 if passed else 1)
        elif passed:
            growth = 3.5 * math.exp(self._margin(card) / 2)
            truth.half_life *= (1 + growth * math.sqrt(max(0.0, 1 - p))) * math.exp(rng.gauss(0, 0.15))
        else:
            truth.half_life = max(truth.floor, truth.half_life * 0.3 * math.exp(rng.gauss(0, 0.15)))
        truth.last = at

    def _rating(self, passed: bool, p: float) -> Rating:
        if not passed:
            return Rating.AGAIN
        draw = self.rng.random()
        if draw < 0.04 + 0.35 * (1 - p):
            return Rating.HARD
        if draw > (0.75 if p > 0.95 else 0.93):
            return Rating.EASY
        return Rating.GOOD

    # -- scheduling -------------------------------------------------------------------------------

    def _answer(self, card: _Card, rating: int, at: datetime, source: str, duration_ms: int) -> None:
        before = card.memory
        # the fuzz seed names the learner by index, not row id: the same seed gives the same class again
        seed = f"demo{self.index}:{card.sim.id}:{before.reps if before else 0}" if self.config.fuzz else None
        after = review(before, rating, at, self.config.settings, seed)
        after_json = json.dumps(after.to_dict())  # serialised here, in the worker process
        self.result.logs.append({
            "user_id": self.user_id, "card_id": card.sim.id, "rating": int(rating), "reviewed_at": at,
            "duration_ms": duration_ms, "source": source, "shown_version": card.answers,
            "state_before": before.state if before else NEW, "state_after": after.state,
            "before_json": card.after, "after_json": after_json,
        })
        card.memory, card.after = after, after_json
        card.answers += 1

    def _study(self, card: _Card, at: datetime) -> None:
        passed, p = self._remember(card, at)
        self._answer(card, self._rating(passed, p), at, "study", self.rng.randint(4000, 25000))

    def day(self, day: date) -> datetime | None:
        """One study session on `day` (a study day in the learner's zone); returns when it ended."""
        rng = self.rng
        hour = min(23.5, max(4.5, self.hour + rng.gauss(0, 0.6)))
        local = datetime.combine(day, time(0), tzinfo=zone(self.tz)) + timedelta(hours=hour)
        cursor = local.astimezone(timezone.utc)
        if cursor >= self.config.now:
            return None
        end = min(self.config.now, cursor + timedelta(hours=20))
        due = [c for c in self.cards if c.memory is not None and c.memory.due < end]
        due.sort(key=lambda c: (c.memory.state == 2, c.memory.due))  # learning cards first
        new = [c for c in self.cards if c.memory is None]
        facts: set[str] = set()
        budget, reviews_left, new_left = self.budget, self.config.reviews_per_day, self.new_limit
        learning: list[tuple[datetime, int, _Card]] = []
        queue = iter(due + new)
        seq = 0
        while budget > 0 and cursor < end:
            if learning and learning[0][0] <= cursor:
                card = heapq.heappop(learning)[2]
            else:
                card = next(queue, None)
                if card is None:
                    if not learning or learning[0][0] - cursor > WAIT_FOR_LEARNING:
                        break
                    cursor = learning[0][0]
                    card = heapq.heappop(learning)[2]
                elif card.memory is None:
                    if new_left <= 0 or card.sim.fact in facts:
                        continue
                    new_left -= 1
                elif card.memory.state == 2:
                    if reviews_left <= 0 or card.sim.fact in facts:
                        continue
                    reviews_left -= 1
            self._study(card, cursor)
            facts.add(card.sim.fact)
            budget -= 1
            cursor += timedelta(seconds=rng.randint(6, 30))
            if card.memory.state in (1, 3) and card.memory.due < end:
                seq += 1
                heapq.heappush(learning, (card.memory.due, seq, card))
        return cursor

    # -- quizzes ----------------------------------------------------------------------------------

    def quiz(self, quiz: SimQuiz, at: datetime) -> datetime:
        """Take `quiz` starting at `at`; returns when it ended."""
        by_id = {c.sim.id: c for c in self.cards}
        answers, score = [], 0
        started = at
        for position, question in enumerate(quiz.questions, start=1):
            card = by_id.get(question.get("card_db_id"))
            if card is None:
                continue
            qtype = question["type"]
            recalled, _ = self._remember(card, at)
            chance = {"true_false": 0.5, "typed": 0.0}.get(qtype, 0.25)  # a lucky guess
            correct = recalled or self.rng.random() < chance
            verdict = "correct" if correct else "wrong"
            rating = rating_for(qtype, verdict)
            given = question["answer"] if correct else _wrong_answer(question, self.rng)
            self._answer(card, rating, at, "quiz", self.rng.randint(5000, 30000))
            answers.append({"position": position, "card_id": card.sim.id, "question_type": qtype,
                            "given": given, "correct": correct, "verdict": verdict, "rating": rating,
                            "answered_at": at})
            score += 1 if correct else 0
            at += timedelta(seconds=self.rng.randint(8, 40))
        if not answers:
            return at
        self.result.attempts.append({"quiz_id": quiz.id, "user_id": self.user_id, "questions": quiz.questions,
                                     "started_at": started, "finished_at": answers[-1]["answered_at"],
                                     "score": score, "total": len(answers), "answers": answers})
        return at

    def states(self) -> list[dict]:
        out = []
        for card in self.cards:
            m = card.memory
            if m is None:
                continue
            out.append({"user_id": self.user_id, "card_id": card.sim.id, "state": m.state, "step": m.step,
                        "stability": m.stability, "difficulty": m.difficulty, "due": m.due,
                        "last_review": m.last_review, "reps": m.reps, "lapses": m.lapses, "suspended": False,
                        "version": card.answers})
        return out


def _wrong_answer(question: dict, rng: random.Random) -> str:
    wrong = [o for o in question.get("options") or [] if o != question.get("answer")]
    if question.get("type") == "true_false":
        return "False" if question.get("answer") == "True" else "True"
    return rng.choice(wrong) if wrong else ""


def simulate(user_id: int, index: int, tz: str, cards: list[SimCard], quizzes: list[SimQuiz],
             config: SimConfig) -> SimResult:
    """One learner's whole history: `config.days` study days ending today (in their zone)."""
    learner = Learner(user_id, index, tz, cards, config)
    today = study_day(config.now, tz)
    first = today - timedelta(days=config.days - 1)
    quiz_days = {}
    for quiz in quizzes:
        if learner.rng.random() < 0.7:
            quiz_days.setdefault(learner.rng.randint(config.days // 3, config.days - 1), []).append(quiz)
    for offset in range(config.days):
        if offset >= learner.last_day or learner.rng.random() < learner.skip:
            continue
        cursor = learner.day(first + timedelta(days=offset))
        for quiz in quiz_days.get(offset, ()):
            if cursor is not None and cursor + timedelta(minutes=30) < config.now:
                cursor = learner.quiz(quiz, cursor + timedelta(minutes=2))
    learner.result.states = learner.states()
    return learner.result
