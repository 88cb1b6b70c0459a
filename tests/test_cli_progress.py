"""Long commands show a progress bar with counts and time left on a terminal, and print nothing extra elsewhere."""
import io

from studyapp.cli_progress import progress
from studyapp.extensions import db
from studyapp.services import demo


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_with_counts_on_a_terminal_and_silence_in_a_pipe():
    shown, piped = Terminal(), io.StringIO()
    for stream in (shown, piped):
        with progress(4, "Simulating learners", stream) as bar:
            for _ in range(4):
                bar.update(1)
    assert "Simulating learners" in shown.getvalue() and "4/4" in shown.getvalue()
    assert piped.getvalue() == ""


def test_seed_demo_reports_every_learner_to_its_progress_callback(deck):
    from studyapp.models import utcnow

    steps: list[int] = []
    report = demo.seed_demo(db.session, deck, 5, 3, utcnow(), seed=7, jobs=1, on_progress=steps.append)
    assert sum(steps) == report.learners == 5


def test_the_seed_demo_command_prints_no_bar_when_not_on_a_terminal(runner, deck):
    result = runner.invoke(args=["seed-demo", "--learners", "3", "--days", "3", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "Simulating learners" not in result.output and result.output.startswith("Seeded 3 demo learners")


def test_a_step_says_when_it_is_done_on_a_terminal_only():
    from studyapp.cli_progress import step

    shown, piped = Terminal(), io.StringIO()
    for stream in (shown, piped):
        with step("Reading big.csv", stream):
            pass
    assert shown.getvalue().startswith("Reading big.csv... done in ") and piped.getvalue() == ""


def test_import_deck_prints_only_its_summary_when_not_on_a_terminal(runner, deck, tmp_path):
    path = tmp_path / "rivers.csv"
    path.write_text("front,back\nLongest river in Europe?,The Volga\n", encoding="utf-8")
    result = runner.invoke(args=["import-deck", str(path)])
    assert result.exit_code == 0, result.output
    assert "Reading" not in result.output and len(result.output.strip().splitlines()) == 1
