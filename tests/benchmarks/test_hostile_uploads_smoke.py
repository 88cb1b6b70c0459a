"""The hostile-uploads benchmark at small size: every quick case runs in its own process and is answered."""
import json

from benchmarks import hostile_uploads


def test_quick_run_refuses_each_hostile_case_and_accepts_the_good_one(capsys):
    results = hostile_uploads.main(["--quick", "--json"])
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out == results and {r["case"] for r in out} == {n for n, c in hostile_uploads.CASES.items() if c[0]}
    for result in out:
        if "accepted" in result["case"]:
            assert result["outcome"].startswith("accepted: ") and result["outcome"].endswith(" notes")
        else:
            assert not result["outcome"].startswith("accepted"), result
