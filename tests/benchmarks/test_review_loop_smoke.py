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


def test_review_loop_keep_alive_and_cpu_parts_inside_the_workers():
    """--keep-alive: gthread workers and kept-alive connections; --http-profile: the CPU of the request's parts
    measured inside the gunicorn workers (benchmarks/request_profile.instrumented_app), per answer."""
    from benchmarks.review_loop import main

    figures = main(["--quick", "--learners", "60", "--cards", "30", "--days", "4", "--answers", "10", "--seconds", "0.5",
                    "--keep-alive", "--http-profile"])
    assert figures["http_rps_16_keepalive"] > 0 and figures["http_errors_16_keepalive"] == 0
    parts = figures["http_cpu_parts"]
    assert parts["answers"] > 0 and figures["http_errors_16_instrumented"] == 0
    ms = parts["ms"]
    whole, app = ms["gunicorn worker, whole (from its first answer)"], ms["the WSGI app (gunicorn's call into Flask, response included)"]
    assert 0 < app <= whole
    assert 0 < ms["    the answer's reads and scheduling (study.plan_answer)"] < app
    assert 0 < ms["    the commit"] < app
