"""How many reviews does our scheduler need for the retention it gets? A simulation.

Simulated learners whose memory is NOT FSRS (exponential forgetting with half-lives that grow
on spaced successes, in the spirit of Duolingo's half-life regression) study the same cards
under five schedulers. Each scheduler sees the same learners, cards and random draws (every
card has its own seeded random stream), so differences come from the scheduling alone.

    python -m benchmarks.efficiency [--quick] [--json] [--learners N] [--jobs N]

See docs/efficiency.md for the model, the schedulers and measured figures.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta, timezone

from studyapp.domain import optimizer
from studyapp.domain.scheduler import Memory, Settings, review

LOG2_TARGET = math.log2(1 / 0.9)  # p = 2^(-t/h) falls to 0.9 at t = h * log2(1/0.9)
BASE = datetime(2026, 1, 5, tzinfo=timezone.utc)  # day 0 at midnight UTC; sessions at 18:00
LEITNER_DAYS = (1, 2, 4, 8, 16, 32, 64)


@dataclass(frozen=True)
class Config:
    learners: int = 100
    days: int = 180
    cards: int = 200
    new_per_day: int = 10
    budget_s: float = 20 * 60  # study time per day
    review_s: float = 8.0  # one answer to a due card (a failed card costs a second one: relearning)
    new_s: float = 20.0  # first sight of a card, learning steps included
    skip_share: float = 0.1  # days a learner does not study at all
    fit_day: int = 60  # the fitted scheduler fits on the log of days 0..fit_day-1
    measure_every: int = 30  # snapshots of true retention every 30 days
    final_window: int = 90  # "final" figures average the last 90 days: one day is too noisy
    growth: float = 4.0  # median half-life growth factor scale of the memory model (see `answer`)
    match_grid: tuple[float, ...] = tuple(round(0.80 + 0.01 * i, 2) for i in range(16))  # 0.80 .. 0.95
    seed: int = 2026


QUICK = Config(learners=3, days=60, cards=60, new_per_day=6, fit_day=30, final_window=30, match_grid=(0.85, 0.95))


# --------------------------------------------------------------------------- the memory model


@dataclass
class Learner:
    ability: float  # log-scale: better learners start with longer half-lives and grow faster
    skips: list[bool]


@dataclass
class Truth:
    """One card's true memory for one learner: recall after t days is 2^(-t/h)."""

    rng: random.Random
    difficulty: float
    growth: float
    half_life: float = 0.0
    relearned: float = 0.0  # the half-life fresh learning gives this learner on this card
    last_day: int = 0
    reviews: int = 0

    def recall(self, day: int) -> float:
        return 2.0 ** (-(day - self.last_day) / self.half_life)


def make_learner(config: Config, index: int) -> Learner:
    rng = random.Random(f"learner/{config.seed}/{index}")
    return Learner(ability=rng.gauss(0, 0.3), skips=[rng.random() < config.skip_share for _ in range(config.days)])


def make_truth(config: Config, learner_index: int, learner: Learner, card: int) -> Truth:
    rng = random.Random(f"card/{config.seed}/{learner_index}/{card}")
    difficulty = rng.gauss(0, 0.5)
    growth = config.growth * math.exp(0.5 * (learner.ability - difficulty))
    return Truth(rng=rng, difficulty=difficulty, growth=growth)


def first_sight(truth: Truth, learner: Learner, day: int) -> bool:
    """Learn the card; returns whether the learner knew it at first sight (after the reading)."""
    knew = truth.rng.random() < 1 / (1 + math.exp(-(learner.ability - truth.difficulty)))
    truth.half_life = truth.relearned = 2.0 * math.exp(learner.ability - truth.difficulty + truth.rng.gauss(0, 0.25))
    if knew:
        truth.half_life *= 2
    truth.last_day = day
    return knew


def answer(truth: Truth, day: int) -> bool:
    """A review on `day`: draw the outcome, then update the half-life.

    Success multiplies h by 1 + growth * sqrt(1 - p): the lower the recall p at the review (the
    longer the spacing), the more it grows. Failure cuts h to about 30%, but not below what
    learning the card afresh gives (the learner sees the answer again). Both with noise.
    """
    p = truth.recall(day)
    passed = truth.rng.random() < p
    noise = truth.rng.gauss(0, 0.15)
    if passed:
        truth.half_life *= (1 + truth.growth * math.sqrt(1 - p)) * math.exp(noise)
    else:
        truth.half_life = max(truth.relearned, truth.half_life * 0.3 * math.exp(noise))
    truth.last_day = day
    truth.reviews += 1
    return passed


# --------------------------------------------------------------------------- schedulers
# Answers are Again on failure and Good on success (no Hard/Easy: graded answers would need a
# second behavioural model, and every scheduler gets the same information this way).


class Policy:
    """A scheduler: `introduce` and `review` return the day the card is next due."""

    def introduce(self, card: int, day: int, knew: bool, truth: Truth) -> int:
        raise NotImplementedError

    def review(self, card: int, day: int, passed: bool, truth: Truth) -> int:
        raise NotImplementedError

    def start_day(self, day: int, due: dict[int, int]) -> None:
        """Called before each day's session (lets the fitted scheduler refit)."""


def _session(day: int) -> datetime:
    return BASE + timedelta(days=day, hours=18)


class Fsrs(Policy):
    """studyapp.domain.scheduler (py-fsrs, FSRS-6), default learning and relearning steps.

    Every answer of a session is given at the session's time (steps included), so the memory
    state sees whole days between sessions. No fuzz. With `fit_day`, the parameters are fitted
    with studyapp.domain.optimizer on the log of the days before, used from then on if they beat
    the defaults on held-out cards, and every card's memory is replayed with them.
    """

    def __init__(self, desired_retention: float = 0.9, fit_day: int | None = None, seed: int = 0) -> None:
        self.settings = Settings(desired_retention=desired_retention)
        self.memory: dict[int, Memory] = {}
        self.log: dict[int, list[tuple[datetime, int]]] = {}
        self.fit_day = fit_day
        self.seed = seed
        self.fit_result: optimizer.FitResult | None = None

    def _answer(self, card: int, memory: Memory | None, rating: int, now: datetime) -> Memory:
        self.log.setdefault(card, []).append((now, rating))
        return review(memory, rating, now, self.settings)

    def _settle(self, card: int, memory: Memory, now: datetime) -> int:
        while memory.state != 2:  # learning / relearning steps, answered Good within the session
            memory = self._answer(card, memory, 3, now)
        self.memory[card] = memory
        return (memory.due - BASE).days

    def introduce(self, card: int, day: int, knew: bool, truth: Truth) -> int:
        now = _session(day)
        return self._settle(card, self._answer(card, None, 3 if knew else 1, now), now)

    def review(self, card: int, day: int, passed: bool, truth: Truth) -> int:
        now = _session(day)
        return self._settle(card, self._answer(card, self.memory[card], 3 if passed else 1, now), now)

    def start_day(self, day: int, due: dict[int, int]) -> None:
        if day != self.fit_day:
            return
        self.fit_result = optimizer.fit(self.log, rng_seed=self.seed)
        if not self.fit_result.accept:
            return
        self.settings = replace(self.settings, parameters=self.fit_result.parameters)
        for card, history in self.log.items():
            memory = None
            for when, rating in history:
                memory = review(memory, rating, when, self.settings)
            assert memory is not None
            self.memory[card] = memory
            due[card] = max(day, (memory.due - BASE).days)


class Sm2(Policy):
    """Anki's classic SM-2: graduate at 1 day, then 6, then interval * ease (ease starts 2.5).

    Ease: Again -0.20 (floor 1.3), Good unchanged. A lapse resets the repetition count, so the
    intervals start again at 1 and 6 days (with the lowered ease after that).
    """

    def __init__(self) -> None:
        self.state: dict[int, tuple[int, float, int]] = {}  # card -> (repetitions, ease, interval)

    def introduce(self, card: int, day: int, knew: bool, truth: Truth) -> int:
        self.state[card] = (1, 2.5, 1)
        return day + 1

    def review(self, card: int, day: int, passed: bool, truth: Truth) -> int:
        reps, ease, interval = self.state[card]
        if passed:
            interval = 6 if reps == 1 else max(interval + 1, round(interval * ease))
            reps += 1
        else:
            reps, ease, interval = 1, max(1.3, ease - 0.2), 1
        self.state[card] = (reps, ease, interval)
        return day + interval


class Leitner(Policy):
    """Seven boxes reviewed after 1, 2, 4, 8, 16, 32, 64 days; a success moves a card up a box,
    a failure back to the first."""

    def __init__(self) -> None:
        self.box: dict[int, int] = {}

    def introduce(self, card: int, day: int, knew: bool, truth: Truth) -> int:
        self.box[card] = 0
        return day + LEITNER_DAYS[0]

    def review(self, card: int, day: int, passed: bool, truth: Truth) -> int:
        box = min(self.box[card] + 1, len(LEITNER_DAYS) - 1) if passed else 0
        self.box[card] = box
        return day + LEITNER_DAYS[box]


class Oracle(Policy):
    """Knows the true half-life: reviews on the day true recall reaches 0.9 (nearest whole day)."""

    def introduce(self, card: int, day: int, knew: bool, truth: Truth) -> int:
        return day + max(1, round(truth.half_life * LOG2_TARGET))

    def review(self, card: int, day: int, passed: bool, truth: Truth) -> int:
        return self.introduce(card, day, passed, truth)


SCHEDULERS: dict[str, Callable[[Config, int, float], Policy]] = {
    "fsrs": lambda c, i, r: Fsrs(r),
    "fsrs_fitted": lambda c, i, r: Fsrs(r, fit_day=c.fit_day, seed=i),
    "sm2": lambda c, i, r: Sm2(),
    "leitner": lambda c, i, r: Leitner(),
    "oracle": lambda c, i, r: Oracle(),
}


# --------------------------------------------------------------------------- the simulation


@dataclass
class Run:
    reviews: int = 0
    introduced: int = 0
    seconds: float = 0.0
    retention: dict[int, float] = field(default_factory=dict)  # day -> mean true recall, introduced cards
    # averages over the start of each of the final `final_window` days (day days-window+1 .. days):
    final_retention: float = 0.0  # mean true recall of introduced cards
    final_expected_recalled: float = 0.0  # sum of true recall over all cards
    final_above_target: float = 0.0  # cards with true recall >= 0.9
    fit_accepted: bool | None = None


def simulate(config: Config, learner_index: int, scheduler: str, desired_retention: float = 0.9) -> Run:
    learner = make_learner(config, learner_index)
    policy = SCHEDULERS[scheduler](config, learner_index, desired_retention)
    truths: dict[int, Truth] = {}
    due: dict[int, int] = {}
    run = Run()

    def measure(day: int) -> float:
        return sum(t.recall(day) for t in truths.values()) / len(truths) if truths else 0.0

    def measure_final(day: int) -> None:
        recalls = [t.recall(day) for t in truths.values()]
        share = 1 / config.final_window
        run.final_retention += share * sum(recalls) / len(recalls)
        run.final_expected_recalled += share * sum(recalls)
        run.final_above_target += share * sum(p >= 0.9 for p in recalls)

    for day in range(config.days):
        if day and day % config.measure_every == 0:
            run.retention[day] = measure(day)
        if day > config.days - config.final_window:
            measure_final(day)
        policy.start_day(day, due)
        if learner.skips[day]:
            continue
        budget = config.budget_s
        for card in sorted((c for c, d in due.items() if d <= day), key=lambda c: (due[c], c)):
            if budget < config.review_s:
                break
            truth = truths[card]
            passed = answer(truth, day)
            cost = config.review_s * (1 if passed else 2)
            budget -= cost
            run.seconds += cost
            run.reviews += 1
            due[card] = policy.review(card, day, passed, truth)
        new_today = 0
        while budget >= config.new_s and new_today < config.new_per_day and len(truths) < config.cards:
            card = len(truths)
            truth = truths[card] = make_truth(config, learner_index, learner, card)
            knew = first_sight(truth, learner, day)
            budget -= config.new_s
            run.seconds += config.new_s
            new_today += 1
            due[card] = policy.introduce(card, day, knew, truth)
    run.retention[config.days] = measure(config.days)
    measure_final(config.days)
    run.introduced = len(truths)
    if isinstance(policy, Fsrs) and policy.fit_result is not None:
        run.fit_accepted = policy.fit_result.accept
    return run


def _simulate_args(args: tuple[Config, int, str, float]) -> Run:
    return simulate(*args)


@dataclass
class Summary:
    reviews_per_card: float
    retention: dict[int, float]
    final_retention: float
    above_target_share: float
    recalled_per_hour: float
    hours: float
    fits_accepted: int | None = None


def run_all(config: Config, scheduler: str, desired_retention: float, pool: ProcessPoolExecutor | None) -> Summary:
    jobs = [(config, i, scheduler, desired_retention) for i in range(config.learners)]
    runs = list(pool.map(_simulate_args, jobs)) if pool else [_simulate_args(j) for j in jobs]
    n = len(runs)
    introduced = sum(r.introduced for r in runs)
    hours = sum(r.seconds for r in runs) / 3600
    fits = [r.fit_accepted for r in runs if r.fit_accepted is not None]
    return Summary(
        reviews_per_card=sum(r.reviews for r in runs) / introduced,
        retention={d: sum(r.retention[d] for r in runs) / n for d in runs[0].retention},
        final_retention=sum(r.final_retention for r in runs) / n,
        above_target_share=sum(r.final_above_target for r in runs) / introduced,
        recalled_per_hour=sum(r.final_expected_recalled for r in runs) / hours,
        hours=hours / n,
        fits_accepted=sum(fits) if scheduler == "fsrs_fitted" else None,
    )


def match_retention(
    config: Config, target: float, pool: ProcessPoolExecutor | None, known: dict[float, Summary]
) -> tuple[float, Summary, bool]:
    """FSRS's cheapest desired retention on a grid whose final true retention is >= `target`.

    A grid, not a bisection: neither reviews nor achieved retention are monotonic in the desired
    retention (too low a target costs relearning; review waves make retention wobble). Returns
    (desired retention, summary, matched); unmatched gives the grid's best retention.
    """
    results = dict(known)
    for dr in config.match_grid:
        if dr not in results:
            results[dr] = run_all(config, "fsrs", dr, pool)
    good = [(s.reviews_per_card, dr) for dr, s in results.items() if s.final_retention >= target]
    if good:
        dr = min(good)[1]
        return dr, results[dr], True
    dr = max(results, key=lambda d: results[d].final_retention)
    return dr, results[dr], False


# --------------------------------------------------------------------------- report


def evaluate(config: Config, jobs: int = 1) -> dict:
    started = time.perf_counter()
    pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None
    try:
        results = {name: run_all(config, name, 0.9, pool) for name in SCHEDULERS}
        matched_dr, matched, found = match_retention(
            config, results["sm2"].final_retention, pool, {0.9: results["fsrs"]}
        )
    finally:
        if pool:
            pool.shutdown()
    fsrs, sm2, oracle = results["fsrs"], results["sm2"], results["oracle"]
    out: dict = {"config": asdict(config), "jobs": jobs}
    for name, summary in results.items():
        out[f"reviews_{name}"] = round(summary.reviews_per_card, 4)
        out[f"retention_{name}"] = round(summary.final_retention, 4)
    out.update(
        saving_vs_sm2=round(1 - fsrs.reviews_per_card / sm2.reviews_per_card, 4),
        retention_fsrs_vs_sm2=round(fsrs.final_retention - sm2.final_retention, 4),
        fsrs_retention_equal_or_better=fsrs.final_retention >= sm2.final_retention,
        matched_desired_retention=matched_dr,
        matched_found=found,
        reviews_fsrs_matched=round(matched.reviews_per_card, 4),
        retention_fsrs_matched=round(matched.final_retention, 4),
        saving_vs_sm2_matched=round(1 - matched.reviews_per_card / sm2.reviews_per_card, 4),
        saving_fitted_vs_sm2=round(1 - results["fsrs_fitted"].reviews_per_card / sm2.reviews_per_card, 4),
        excess_vs_oracle=round(fsrs.reviews_per_card / oracle.reviews_per_card - 1, 4),
        excess_fitted_vs_oracle=round(results["fsrs_fitted"].reviews_per_card / oracle.reviews_per_card - 1, 4),
        fits_accepted=results["fsrs_fitted"].fits_accepted,
        seconds=round(time.perf_counter() - started, 1),
    )
    out["summaries"] = {name: asdict(s) for name, s in results.items()} | {"fsrs_matched": asdict(matched)}
    return out


def table(out: dict) -> str:
    summaries = out["summaries"]
    days = list(next(iter(summaries.values()))["retention"])
    head = f"{'scheduler':<14}{'reviews/card':>13}" + "".join(f"{'R@' + str(d):>8}" for d in days)
    head += f"{'final':>8}{'>=0.9':>8}{'recalled/h':>12}{'hours':>8}"
    lines = [head, "-" * len(head)]
    for name, s in summaries.items():
        label = name if name != "fsrs_matched" else f"fsrs@{out['matched_desired_retention']}"
        lines.append(
            f"{label:<14}{s['reviews_per_card']:>13.2f}"
            + "".join(f"{s['retention'][d]:>8.3f}" for d in days)
            + f"{s['final_retention']:>8.3f}{s['above_target_share']:>8.2f}{s['recalled_per_hour']:>12.1f}{s['hours']:>8.1f}"
        )
    c = out["config"]
    verdict = "equal or better" if out["fsrs_retention_equal_or_better"] else "LOWER"
    lines += [
        "",
        f"{c['learners']} learners, {c['cards']} cards, {c['days']} days, {c['budget_s'] / 60:.0f} min/day; "
        f"R@d = mean true recall of introduced cards at the start of day d; final, >=0.9 (share of cards)\n"
        f"and recalled/h (expected cards recalled per hour of study) average the last {c['final_window']} days",
        f"FSRS (0.9) vs SM-2: {100 * out['saving_vs_sm2']:.1f}% fewer reviews at {verdict} final retention "
        f"({out['retention_fsrs']:.3f} vs {out['retention_sm2']:.3f})",
        f"FSRS at desired retention {out['matched_desired_retention']} (final retention "
        f"{out['retention_fsrs_matched']:.3f} {'>=' if out['matched_found'] else '< (no grid value matched)'} "
        f"SM-2's): {100 * out['saving_vs_sm2_matched']:.1f}% fewer reviews",
        f"FSRS fitted vs SM-2: {100 * out['saving_fitted_vs_sm2']:.1f}% fewer reviews "
        f"(final retention {out['retention_fsrs_fitted']:.3f})",
        f"FSRS vs oracle: {100 * out['excess_vs_oracle']:+.1f}% reviews "
        f"(fitted: {100 * out['excess_fitted_vs_oracle']:+.1f}%, fits accepted {out['fits_accepted']}/{c['learners']})",
        f"{out['seconds']} s with {out['jobs']} process(es)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few learners and days: a smoke test")
    parser.add_argument("--json", action="store_true", help="end with one JSON object on the last line")
    parser.add_argument("--learners", type=int, help="number of simulated learners")
    parser.add_argument("--seed", type=int, help="seed of the simulated population")
    parser.add_argument("--growth", type=float, help="memory model: half-life growth scale (default 4)")
    parser.add_argument("--jobs", type=int, help="processes (default: 1 with --quick, else the CPU count)")
    parser.add_argument("--exam", action="store_true", help="also run the exam scenario (benchmarks/exam.py) "
                        "on the same simulated learners; its figures join the JSON")
    args = parser.parse_args(argv)
    config = QUICK if args.quick else Config()
    if args.learners:
        config = replace(config, learners=args.learners)
    if args.seed is not None:
        config = replace(config, seed=args.seed)
    if args.growth is not None:
        config = replace(config, growth=args.growth)
    jobs = args.jobs or (1 if args.quick else (os.cpu_count() or 1))
    out = evaluate(config, jobs)
    print(table(out))
    if args.exam:
        from benchmarks import exam

        exam_config = exam.QUICK if args.quick else exam.ExamConfig()
        exam_config = replace(exam_config, base=replace(exam_config.base, seed=config.seed, growth=config.growth),
                              seed=config.seed)
        exam_out = exam.evaluate(exam_config, jobs)
        print(exam.report(exam_out))
        out.update({k: v for k, v in exam_out.items() if k.startswith(("exam_", "planner_", "fsrs90_", "best_fixed",
                                                                          "peak_to_mean", "calibration"))})
    if args.json:
        print(json.dumps({k: v for k, v in out.items() if k != "summaries"}, sort_keys=True))
    sys.stdout.flush()
    return out


if __name__ == "__main__":
    main()
