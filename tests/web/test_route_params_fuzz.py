"""No 500 from any number or odd text in any route's parameters (issue 12: "numbers with bounds").

The app's URL map is walked, not listed: every rule's `<int:...>`, `<slug>` and `<path:...>` parts get
huge, negative and odd values (2^31, 2^63, 10^30, -1, text), common query parameters and form fields
(card_id, version, rating, ...) get the same, and every response must be an answer (2xx/3xx/4xx),
never a 500 or an exception. A deterministic pass with the known-bad numbers runs first, then Hypothesis.
"""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from studyapp import MAX_ID

from support import token

# No shrinking: a failure already names the route and the value; each example hits every route.
FUZZ = settings(max_examples=6, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
#: Routes that end the session or change the password: fuzzing them would only log the client out.
SKIPPED = {"static", "auth.login", "auth.logout", "auth.register", "auth.password", "auth.reset_password",
           "auth.end_login", "auth.end_all_logins", "auth.timezone", "classes.join", "classes.join_link"}
QUERY_NAMES = ("page", "deck", "deck_id", "class_id", "reveal", "card_id", "section", "status", "next", "n")
FORM_NAMES = ("card_id", "version", "rating", "review_id", "deck_id", "paragraph", "new_per_day",
              "reviews_per_day", "desired_retention", "daily_minutes", "answer", "choice", "option", "n")
HUGE = (2**31, 2**31 - 1, 2**32, 2**63 - 1, 2**63, 2**64, 10**30, -1, -(2**63) - 1, 0)
PART_RE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")

ints = st.one_of(st.sampled_from(HUGE), st.integers(min_value=-(2**80), max_value=2**80)).map(str)
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/?#"), max_size=24)
values = st.one_of(ints, texts, st.sampled_from(["1e400", "nan", "-0", "0x10", "9" * 5000, " 1", "1.5"]))


def routes(app):
    """(methods, rule text, endpoint) of every route worth fuzzing."""
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED:
            continue
        methods = sorted((rule.methods or set()) & {"GET", "POST"})
        out.append((methods, rule.rule, rule.endpoint))
    return sorted(out, key=lambda r: r[1])


def fill(rule: str, pick) -> str:
    """The rule with each variable replaced by pick(converter) (URL-quoted)."""
    return PART_RE.sub(lambda m: quote(pick(m.group(1) or "default"), safe=""), rule)


#: 500s this test finds in code owned by other work in progress when it was written (reported to the lead):
#: while only these fail the test is an expected failure naming them; once they are fixed it simply passes.
ELSEWHERE = {"classprogress.index": "?class_id=2**63 (request.args.get(type=int) unbounded)",
             "classprogress.export": "?class_id=2**63",
             "study.undo": "review_id=2**63 in the undo form (an unbounded IntegerField)"}


def check(failures: list[tuple[str, str]], expect_known: bool = True) -> None:
    """No failure outside ELSEWHERE; with `expect_known`, an expected failure naming those that remain."""
    ours = [text for endpoint, text in failures if endpoint not in ELSEWHERE]
    assert ours == [], "\n".join(ours)
    if failures and expect_known:
        pytest.xfail("known elsewhere: " + "; ".join(sorted({ELSEWHERE[e] for e, _ in failures})))


def hit_all(app, client, pick_path, pick_value) -> list[tuple[str, str]]:
    """Every route once with these values; the failures (status 500 or an exception): (endpoint, description)."""
    csrf = token(client, "/account") if client.get("/account").status_code == 200 else token(client, "/login")
    failures = []
    for methods, rule, endpoint in routes(app):
        path = fill(rule, pick_path)
        query = "&".join(f"{name}={quote(pick_value(), safe='')}" for name in QUERY_NAMES)
        for method in methods:
            try:
                if method == "GET":
                    response = client.get(f"{path}?{query}")
                else:
                    data = {name: pick_value() for name in FORM_NAMES}
                    data["csrf_token"] = csrf
                    response = client.post(path, data=data)
            except Exception as exc:  # noqa: BLE001 - TESTING propagates the view's exception: that is the 500
                failures.append((endpoint, f"{method} {path}: {type(exc).__name__}: {str(exc)[:120]}"))
                continue
            if response.status_code >= 500:
                failures.append((endpoint, f"{method} {path}: {response.status_code}"))
    return failures


def ensure_login(client, auth, username):
    if client.get("/login").status_code != 302:
        auth.login(username)


@pytest.fixture(params=["teacher", "alice"])
def visitor(request, client, auth, deck, instructor, learner):
    ensure_login(client, auth, request.param)
    return request.param


def test_the_converter_refuses_ids_beyond_the_columns(app, client, auth, deck, instructor):
    auth.login("teacher")
    assert client.get(f"/instructor/decks/{deck.id}").status_code == 200
    for number in (MAX_ID + 1, 2**63, 2**64, 10**30):
        assert client.get(f"/instructor/decks/{number}").status_code == 404
        assert client.get(f"/study/{number}").status_code == 404
    assert client.get(f"/instructor/decks/{MAX_ID}").status_code == 404       # in range: simply not there


@pytest.mark.parametrize("number", [2**31, 2**63, 10**30, -1])
def test_known_bad_numbers_in_every_route(app, client, auth, visitor, number):
    failures = hit_all(app, client, lambda converter: str(number), lambda: str(number))
    check(failures)


@pytest.mark.parametrize("number", [2**31, 2**63, 10**30])
def test_known_bad_numbers_in_every_form_and_query_of_existing_things(app, client, auth, visitor, number):
    """Ids in the path that exist (1: the first deck, card, user), the bad numbers in forms and queries."""
    failures = hit_all(app, client, lambda converter: "1" if converter == "int" else "x", lambda: str(number))
    check(failures)


@FUZZ
@given(data=st.data())
def test_fuzzed_values_in_every_route(app, client, auth, visitor, data):
    ensure_login(client, auth, visitor)

    def pick_path(converter):
        return data.draw(ints if converter == "int" else values)

    failures = hit_all(app, client, pick_path, lambda: data.draw(values))
    check(failures, expect_known=False)     # the known ones are the deterministic tests' business: fuzz on
