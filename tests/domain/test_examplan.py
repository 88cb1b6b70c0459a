"""The exam planner: FSRS in closed form agrees with py-fsrs; plans land before the exam, end near it, stop when
the card is safe; a final pass for cards below target; load balancing, budget, new-card pacing, calibration."""
from datetime import datetime, timedelta, timezone

import pytest

from studyapp.domain import examplan, scheduler

NOW = datetime(2026, 3, 2, 18, 0, tzinfo=timezone.utc)
MODEL = examplan.fsrs_model()


def graduated(rating=3):
    memory = scheduler.review(None, rating, NOW)
    while memory.state != 2:
        memory = scheduler.review(memory, 3, NOW)
    return memory


@pytest.mark.parametrize("days, rating", [(3, 3), (5, 1), (12, 3), (40, 1)])
def test_closed_form_matches_py_fsrs(days, rating):
    memory = graduated()
    later = NOW + timedelta(days=days)
    p = MODEL.recall(days, (memory.stability, memory.difficulty))
    assert p == pytest.approx(scheduler.retrievability(memory, later))
    after = scheduler.review(memory, rating, later)
    while after.state != 2:
        after = scheduler.review(after, 3, later)
    state = (MODEL.success if rating == 3 else MODEL.failure)((memory.stability, memory.difficulty), p)
    assert state == pytest.approx((after.stability, after.difficulty))


def test_plan_reviews_before_the_exam_and_ends_near_it():
    memory = graduated()
    state = (memory.stability, memory.difficulty)
    plan = examplan.plan(MODEL, state, 30)
    assert plan.next_in is not None and 1 <= plan.next_in < 30
    assert plan.planned_recall > plan.exam_recall
    assert MODEL.recall(plan.next_in, state) >= examplan.Policy().floor  # the card is never let die
    lo, hi = plan.window
    assert lo <= plan.next_in <= hi < 30
    # a strong card two days before the exam: its last review should come right before the exam or not at all
    strong = (60.0, 3.0)
    late = examplan.plan(MODEL, strong, 2.5)
    assert late.next_in in (None, 1)


def test_a_safe_card_is_not_reviewed_before_the_exam():
    plan = examplan.plan(MODEL, (400.0, 2.0), 10)
    assert plan.next_in is None and plan.exam_recall > 0.95


def test_a_card_below_target_gets_a_final_pass_even_when_reviews_are_dear():
    policy = examplan.Policy(review_cost=0.9, target=0.95)
    plan = examplan.plan(MODEL, (8.0, 5.0), 12, policy)
    assert plan.final_pass and plan.next_in is not None and plan.next_in < 12
    cheap_safe = examplan.plan(MODEL, (8.0, 5.0), 12, examplan.Policy(review_cost=0.9, target=0.5))
    assert cheap_safe.next_in is None


def test_adjust_due_plans_until_the_exam_then_hands_back():
    memory = graduated()
    exam = NOW + timedelta(days=20)
    normal = NOW + timedelta(days=3)
    due, plan = examplan.adjust_due(MODEL, (memory.stability, memory.difficulty), NOW, normal, exam)
    assert plan is not None and NOW < due < exam
    after, none = examplan.adjust_due(MODEL, (memory.stability, memory.difficulty), exam + timedelta(hours=1),
                                      normal, exam)
    assert after == normal and none is None
    safe, plan = examplan.adjust_due(MODEL, (400.0, 2.0), NOW, NOW + timedelta(days=5), exam)
    assert plan.next_in is None and safe == exam  # no review before the exam: not before it either


def test_balance_takes_the_lightest_day_in_the_window():
    assert examplan.balance(5, (4, 6), {4: 10, 5: 12, 6: 3}) == 6
    assert examplan.balance(5, (4, 6), {}) == 5
    assert examplan.balance(5, (4, 6), {4: 1, 6: 1, 5: 2}) == 4  # tie: the earlier of the nearest
    assert examplan.fuzz_window(2) == (2, 2) and examplan.fuzz_window(40) == (38, 42)


def test_budget_and_new_card_pacing():
    assert examplan.cards_in_budget(None, 0, 10) is None
    assert examplan.cards_in_budget(10, 300, 10) == 30
    assert examplan.cards_in_budget(10, 900, 10) == 0
    assert examplan.new_cards_today(100, 15, 5) == 10  # all seen 5 study days before the exam
    assert examplan.new_cards_today(10, 30, 20) == 20
    assert examplan.new_cards_today(0, 3, 20) == 0


def test_calibration_bins_and_rmse():
    pairs = [(0.95, True)] * 9 + [(0.95, False)] + [(0.55, True), (0.55, False)]
    table = examplan.calibration(pairs)
    assert [(b.low, b.count) for b in table] == [(0.5, 2), (0.9, 10)]
    assert table[1].observed == pytest.approx(0.9)
    rmse = examplan.calibration_rmse(table)
    assert rmse == pytest.approx(((10 * 0.05 ** 2 + 2 * 0.05 ** 2) / 12) ** 0.5)
    assert examplan.calibration_rmse([]) is None


def test_far_from_the_exam_the_floor_is_higher():
    policy = examplan.Policy()
    assert policy.floor_at(60) == policy.far_floor > policy.floor == policy.floor_at(20)
    state = (20.0, 5.0)
    far = examplan.plan(MODEL, state, 60, policy)
    assert MODEL.recall(far.next_in, state) >= policy.far_floor
    near = examplan.plan(MODEL, state, 25, policy)
    assert MODEL.recall(near.next_in, state) >= policy.floor


def test_budget_cuts_reviews_only_when_the_budget_leaves_some_but_not_all():
    assert examplan.budget_cuts_reviews(6, 200, 0, 10)
    assert not examplan.budget_cuts_reviews(200, 200, 0, 300)  # the deck's own limit, not the budget
    assert not examplan.budget_cuts_reviews(20, 200, 0, 10)  # every review fits
    assert not examplan.budget_cuts_reviews(6, 200, 6, 10)  # nothing left today: the order does not matter


def test_weakest_first_takes_the_lowest_predicted_recall_now():
    now = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)
    model = examplan.fsrs_model()
    cards = [(1, 30.0, now - timedelta(days=5), now - timedelta(hours=9), 1),
             (2, 2.0, now - timedelta(days=5), now - timedelta(hours=1), 2),  # weakest, due last
             (3, 2.0, now - timedelta(days=1), now - timedelta(hours=5), 3)]
    assert examplan.weakest_first(model, cards, now) == 2
    assert examplan.weakest_first(model, [], now) is None


def test_paced_budget_spreads_an_allowance_over_the_days_left():
    # 100 minutes left over 10 study days: 10 a day, though the cap would allow 15
    assert examplan.paced_budget(15 * 60, 100 * 60, 10) == 10 * 60
    assert examplan.paced_budget(8 * 60, 100 * 60, 10) == 8 * 60  # never past the daily cap
    assert examplan.paced_budget(15 * 60, 5 * 60, 0.4) == 5 * 60  # the last day: what is left, not more
    assert examplan.paced_budget(15 * 60, 0, 3) == 0 and examplan.paced_budget(15 * 60, -1, 3) == 0
    assert examplan.paced_budget(15 * 60, 100 * 60, 10, pace=1.2) == 12 * 60
