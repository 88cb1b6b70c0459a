import json

from benchmarks import progress_pages

KEYS = {"progress_p50_ms", "progress_p95_ms", "class_progress_p50_ms", "class_progress_p95_ms",
        "reviews_for_learner", "learners"}


def test_quick_run_prints_a_table_and_one_json_line(capsys):
    progress_pages.main(["--quick", "--json"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("page") and "/instructor/progress" in lines[2]
    out = json.loads(lines[-1])
    assert KEYS <= out.keys()
    assert out["reviews_for_learner"] == progress_pages.QUICK.reviews
    assert out["learners"] == progress_pages.QUICK.learners
    for key in KEYS - {"reviews_for_learner", "learners"}:
        assert 0 < out[key] < 60_000
    assert out["progress_p50_ms"] <= out["progress_p95_ms"]
    assert out["class_progress_p50_ms"] <= out["class_progress_p95_ms"]


def test_percentile_interpolates():
    assert progress_pages.percentile([10.0], 0.95) == 10.0
    assert progress_pages.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.5) == 3.0
    assert progress_pages.percentile([0.0, 100.0], 0.95) == 95.0
