import json

from benchmarks import efficiency

KEYS = {
    "reviews_fsrs",
    "reviews_fsrs_fitted",
    "reviews_sm2",
    "reviews_leitner",
    "reviews_oracle",
    "retention_fsrs",
    "retention_sm2",
    "retention_oracle",
    "saving_vs_sm2",
    "excess_vs_oracle",
}


def test_quick_run_prints_a_table_and_sane_json(capsys):
    efficiency.main(["--quick", "--json"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("scheduler")
    out = json.loads(lines[-1])
    assert KEYS <= out.keys()
    for name in ("fsrs", "fsrs_fitted", "sm2", "leitner", "oracle"):
        assert out[f"reviews_{name}"] > 0
        assert 0 < out[f"retention_{name}"] < 1
    assert out["reviews_oracle"] > 0
    assert -1 < out["saving_vs_sm2"] < 1
    assert abs(out["excess_vs_oracle"] - (out["reviews_fsrs"] / out["reviews_oracle"] - 1)) < 1e-3
    assert abs(out["saving_vs_sm2"] - (1 - out["reviews_fsrs"] / out["reviews_sm2"])) < 1e-3
    assert out["retention_oracle"] > 0.85  # the oracle reviews at true recall 0.9


def test_simulation_is_deterministic():
    config = efficiency.QUICK
    first = efficiency.simulate(config, 0, "fsrs")
    again = efficiency.simulate(config, 0, "fsrs")
    assert first == again
    assert efficiency.simulate(config, 1, "fsrs") != first


def test_memory_model_spacing_effect():
    config = efficiency.QUICK
    learner = efficiency.make_learner(config, 0)
    early = efficiency.make_truth(config, 0, learner, 0)
    late = efficiency.make_truth(config, 0, learner, 0)  # same card, same random stream
    for truth in (early, late):
        efficiency.first_sight(truth, learner, 0)
        truth.half_life = 10.0
        truth.rng.seed(1)  # same outcome draws: both succeed (p >= 0.5 and the draw below it)
    assert efficiency.answer(early, 1) and efficiency.answer(late, 8)
    assert late.half_life > early.half_life  # recalled at a lower p: grows more
