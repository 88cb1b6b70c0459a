"""The review-loop benchmark runs end to end (tiny sizes); its figures live in docs/benchmarks.md."""
import pytest

pytestmark = pytest.mark.slow


def test_review_loop_benchmark_runs_quick(capsys):
    from benchmarks.review_loop import main

    figures = main(["--quick", "--json", "--learners", "24", "--cards", "30", "--days", "4", "--answers", "30",
                    "--seconds", "0.5"])
    for key in ("inprocess_p50_ms", "inprocess_p99_ms", "http_rps_16", "http_p99_ms_16", "anki_p50_ms",
                "ratio_vs_anki", "server_cpu_ms_per_answer", "browser_statements_per_answer"):
        assert figures[key] > 0, key
    assert figures["inprocess_answers"] == 30 and figures["http_errors_16"] == 0
    # The browser's path as the page takes it: one request per answered card, one write transaction.
    assert figures["browser_round_trips"] == 1 and figures["browser_write_transactions_per_answer"] == 1
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("{")
