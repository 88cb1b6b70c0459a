import math
import random
from datetime import datetime, timedelta, timezone

import pytest

from studyapp.domain import optimizer
from studyapp.domain.scheduler import Settings, review

START = datetime(2026, 1, 5, 18, 0, tzinfo=timezone.utc)


def simulate_learner(n_cards: int = 300, n_days: int = 200, seed: int = 7) -> dict[int, list[tuple[datetime, int]]]:
    """A learner whose memory is NOT FSRS-6 with default parameters.

    Exponential forgetting p = 2^(-t/h) with a short first half-life (2 days: 71% recall after a day, where FSRS's
    default first stability for Good is 2.3 days at 90% recall), growing 2.5-fold on success and halving
    on failure. Intervals follow a simple expanding rule. Each card starts with a learning step.
    """
    rng = random.Random(seed)
    histories: dict[int, list[tuple[datetime, int]]] = {}
    for card in range(n_cards):
        first_day = rng.randrange(0, n_days // 2)
        at = START + timedelta(days=first_day, minutes=rng.randrange(0, 120))
        half_life = 2.0 * math.exp(rng.gauss(0, 0.3))
        history = [(at, 3), (at + timedelta(minutes=10), 3)]
        day, interval = first_day, 1
        while True:
            day += interval
            if day >= n_days:
                break
            p = 2 ** (-interval / half_life)
            passed = rng.random() < p
            when = START + timedelta(days=day, minutes=rng.randrange(0, 120))
            history.append((when, 3 if passed else 1))
            if passed:
                half_life *= 2.5 * math.exp(rng.gauss(0, 0.1))
                interval = max(1, round(interval * 2.2 * rng.uniform(0.8, 1.2)))
            else:
                half_life = max(0.5, half_life * 0.5)
                history.append((when + timedelta(minutes=10), 3))  # relearning step
                interval = 1
        histories[card] = history
    return histories


@pytest.fixture(scope="module")
def learner():
    return simulate_learner()


@pytest.fixture(scope="module")
def result(learner):
    return optimizer.fit(learner, holdout_share=0.2, rng_seed=0)


def test_day_deltas_use_the_study_day():
    ny = [
        (datetime(2026, 3, 10, 7, 30, tzinfo=timezone.utc), 3),  # 03:30 EDT: study day March 9
        (datetime(2026, 3, 10, 8, 30, tzinfo=timezone.utc), 3),  # 04:30 EDT: study day March 10
        (datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc), 1),
        (datetime(2026, 3, 13, 20, 0, tzinfo=timezone.utc), 3),
    ]
    assert optimizer.day_deltas(ny, "America/New_York") == [0, 1, 0, 3]
    assert optimizer.day_deltas(ny, "UTC") == [0, 0, 0, 3]


def test_build_items_one_per_later_day_review():
    t = START
    histories = {
        "a": [(t, 3), (t + timedelta(minutes=10), 3), (t + timedelta(days=2), 3), (t + timedelta(days=9), 1)],
        "b": [(t, 1), (t + timedelta(minutes=1), 3)],  # learning steps only: nothing to predict
        "c": [],
    }
    items = optimizer.build_items(histories)
    assert len(items) == 2
    assert [len(item.reviews) for item in items] == [3, 4]
    assert [item.long_term_review_cnt() for item in items] == [1, 2]


def test_invalid_histories_raise():
    with pytest.raises(ValueError):
        optimizer.build_items({1: [(START, 5)]})
    with pytest.raises(ValueError):
        optimizer.build_items({1: [(START.replace(tzinfo=None), 3)]})
    with pytest.raises(ValueError):
        optimizer.fit({1: [(START + timedelta(days=1), 3), (START, 3)]})


def test_split_is_by_card_and_deterministic():
    keys = list(range(50))
    train, held = optimizer.split_cards(keys, 0.2, rng_seed=3)
    assert len(held) == 10 and len(train) == 40
    assert sorted(train + held) == keys
    assert optimizer.split_cards(list(reversed(keys)), 0.2, rng_seed=3) == (train, held)
    assert optimizer.split_cards(keys, 0.2, rng_seed=4) != (train, held)
    assert optimizer.split_cards(["x", "y"], 0.2, 0) in ((["x"], ["y"]), (["y"], ["x"]))


def test_fit_returns_21_parameters_that_plug_into_the_scheduler(result):
    assert result.enough_data, result.reason
    assert result.parameters is not None
    assert len(result.parameters) == 21
    assert all(isinstance(w, float) for w in result.parameters)
    settings = Settings(parameters=result.parameters)
    memory = review(None, 3, START, settings)
    memory = review(memory, 3, START + timedelta(minutes=10), settings)
    after = review(memory, 3, memory.due, settings)
    assert after.state == 2 and after.due > memory.due


def test_fitted_beats_defaults_on_held_out_cards(result, learner):
    assert result.n_reviews == sum(len(h) for h in learner.values())
    assert result.n_holdout_predictions > 100
    assert result.logloss_fitted is not None and result.logloss_default is not None
    assert result.logloss_fitted <= result.logloss_default
    assert result.accept
    assert result.improvement == pytest.approx(
        (result.logloss_default - result.logloss_fitted) / result.logloss_default
    )


def test_fit_is_deterministic(learner, result):
    assert optimizer.fit(learner, holdout_share=0.2, rng_seed=0) == result


def test_predictions_match_fsrs_rs_evaluate(learner):
    """Our replay predicts each review exactly as fsrs-rs's own evaluation of that one item."""
    import fsrs_rs_python as fsrs_rs

    model = fsrs_rs.FSRS(list(optimizer.DEFAULT_PARAMETERS))
    some = {k: learner[k] for k in list(learner)[:10]}
    total, count = optimizer.log_loss(some, optimizer.DEFAULT_PARAMETERS)
    assert count == len(optimizer.build_items(some))
    losses = []
    for key, history in some.items():
        preds = optimizer.predictions(history, optimizer.DEFAULT_PARAMETERS)
        items = optimizer.build_items({key: history})
        assert len(preds) == len(items)
        for (p, passed), item in zip(preds, items):
            loss = -math.log(p) if passed else -math.log(1 - p)
            assert loss == pytest.approx(model.evaluate([item]).log_loss, rel=1e-4, abs=1e-5)
            losses.append(loss)
    assert total == pytest.approx(sum(losses) / len(losses))


def test_too_little_data_does_not_raise():
    few = simulate_learner(n_cards=5, n_days=30, seed=1)
    result = optimizer.fit(few)
    assert not result.enough_data
    assert not result.accept
    assert result.parameters is None
    assert result.reason

    empty = optimizer.fit({})
    assert not empty.enough_data and empty.n_reviews == 0
    assert optimizer.fit({1: [(START, 3)]}).enough_data is False


def test_fsrs_rs_keeping_its_defaults_means_not_enough_data():
    few = simulate_learner(n_cards=8, n_days=40, seed=2)
    result = optimizer.fit(few, min_train_items=1)  # let fsrs-rs itself decide
    assert not result.enough_data
    assert result.parameters is None
    assert "default" in result.reason
    assert result.logloss_default is not None  # the defaults are still measured


def test_to_fsrs6():
    five = list(optimizer.DEFAULT_PARAMETERS[:19])
    assert optimizer.to_fsrs6(five)[19:] == (0.0, 0.5)
    with pytest.raises(ValueError):
        optimizer.to_fsrs6([1.0] * 17)
    over = list(optimizer.DEFAULT_PARAMETERS)
    over[20] = 0.800000011920929  # float32 of the 0.8 upper bound
    assert optimizer.to_fsrs6(over)[20] == 0.8
    Settings(parameters=optimizer.to_fsrs6(over))  # accepted by py-fsrs
    review(None, 3, START, Settings(parameters=optimizer.to_fsrs6(over)))


def test_forgetting_curve_is_90_percent_at_stability():
    assert optimizer.forgetting_curve(7.0, 7.0, optimizer.DEFAULT_PARAMETERS) == pytest.approx(0.9)
    assert optimizer.forgetting_curve(0.0, 7.0, optimizer.DEFAULT_PARAMETERS) == 1.0
