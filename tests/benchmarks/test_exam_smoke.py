"""The exam benchmark at small size: it runs, its JSON has the promised keys and the figures are consistent."""
import json

from benchmarks import exam

KEYS = {"exam_recall_planner", "exam_recall_fsrs90", "exam_recall_best_fixed", "exam_recall_oracle", "exam_gain_pp",
        "planner_reviews", "fsrs90_reviews", "peak_to_mean_daily", "calibration_rmse"}


def test_quick_run_prints_a_report_and_sane_json(capsys):
    exam.main(["--quick", "--json"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("exam on day")
    out = json.loads(lines[-1])
    assert KEYS <= out.keys()
    for key in ("exam_recall_planner", "exam_recall_fsrs90", "exam_recall_best_fixed", "exam_recall_oracle"):
        assert 0 < out[key] <= 1
    assert out["exam_recall_best_fixed"] >= out["exam_recall_fsrs90"]  # 0.90 is on the grid
    assert abs(out["exam_gain_pp"] - 100 * (out["exam_recall_planner"] - out["exam_recall_fsrs90"])) < 0.02
    assert out["planner_reviews"] > 0 and out["fsrs90_reviews"] > 0
    # equal minutes: never more than FSRS 0.90 (a last failed review may overrun by its relearning step, 8 s)
    assert out["planner_minutes"] <= out["fsrs90_minutes"] + 8 / 60
    assert out["peak_to_mean_daily"] >= 1
    assert 0 <= out["calibration_rmse"] < 1
    assert sum(b[2] for b in out["calibration"]) > 0
    # 80% of the minutes, and the fewest minutes that match FSRS 0.90 (None: not within the shares tried)
    assert out["planner_minutes_80pct"] <= 0.8 * out["fsrs90_minutes"] + 8 / 60
    assert 0 < out["exam_recall_oracle_80pct"] <= 1 and 0 < out["planner_new_cards_80pct"] <= exam.QUICK.base.cards
    for who in ("planner", "oracle"):
        share, minutes = out[f"{who}_fraction_to_match"], out[f"{who}_minutes_to_match"]
        assert (share is None) == (minutes is None)
        if share is not None:
            assert 0.6 <= share <= 1 and minutes <= out["fsrs90_minutes"] + 8 / 60


def test_to_match_interpolates_between_the_shares_tried():
    curve = [(0.6, 0.70, 60.0), (0.8, 0.80, 80.0), (1.0, 0.90, 100.0)]
    share, minutes = exam.to_match(curve, 0.85)
    assert abs(share - 0.9) < 1e-9 and abs(minutes - 90.0) < 1e-9
    assert exam.to_match(curve, 0.5) == (0.6, 60.0)
    assert exam.to_match(curve, 0.95) == (None, None)


def test_same_seed_same_numbers():
    config = exam.QUICK
    one = exam.simulate(config, 0, "planner", 20)
    two = exam.simulate(config, 0, "planner", 20)
    assert (one.exam_recall, one.reviews, one.seconds) == (two.exam_recall, two.reviews, two.seconds)


def test_efficiency_runs_the_exam_scenario_too(capsys):
    from benchmarks import efficiency

    efficiency.main(["--quick", "--json", "--exam"])
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert KEYS <= out.keys() and "reviews_fsrs" in out
