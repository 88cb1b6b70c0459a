"""Every main page, as an anonymous visitor, a learner and an instructor, at 1280 px and at 390 px (a phone):
axe-core (shipped inside the axe-playwright-python package, no CDN) finds no serious or critical violation,
and at 390 px nothing scrolls sideways. A screenshot of each page goes to artifacts/screenshots/a11y-*.png."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from browser_helpers import wait_study_ready
from support import PASSWORD

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
BLOCKING = ("serious", "critical")
# Visible selects whose chosen option's text is wider than the room the select gives it (it shows cut).
CUT_SELECTS = """() => {
  const ctx = document.createElement('canvas').getContext('2d'), cut = [];
  for (const select of document.querySelectorAll('select')) {
    if (!select.offsetParent || select.selectedIndex < 0) continue;
    const style = getComputedStyle(select), text = select.options[select.selectedIndex].text;
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (ctx.measureText(text).width > room + 1) cut.push(`${select.name}: ${text}`);
  }
  return cut;
}"""

CSV = "front,back,tags\nWhat flows into the Caspian Sea?,The Volga,rivers\nLongest river in Europe?,The Volga,rivers\n"
ARTICLE = """The Arden Valley Dam

The Arden Valley dam was finished in 1969 after eleven years of work by the regional water board.

About 3,200 engineers and labourers worked on the project, which cost the province nearly 40 million dollars back then.

"Nobody in the valley was ever asked whether they wanted their land flooded," Pavel Orlov said at a packed meeting.

Today the reservoir supplies water to roughly 250,000 people in the towns of Holt and Marrow.
"""


class Audit:
    """Visits pages in one browser context and collects what is wrong with each (all of it, then one assert)."""

    def __init__(self, browser, width_name: str):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.width_name = width_name
        width, height = WIDTHS[width_name]
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(f"JS error: {exc}"))
        self.problems: list[str] = []
        self.checked: list[str] = []

    def check(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        results = self.axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in BLOCKING:
                targets = "; ".join(", ".join(map(str, node["target"])) for node in violation["nodes"][:4])
                summary = violation["nodes"][0].get("failureSummary", "").replace("\n", " ")[:240]
                self.problems.append(f"{name} @{self.width_name}: axe {violation['impact']} {violation['id']} "
                                     f"({violation['help']}) at {targets}: {summary}")
        for cut in page.evaluate(CUT_SELECTS):
            self.problems.append(f"{name} @{self.width_name}: a select cuts its chosen text: {cut}")
        if page.locator("h1").count() == 0:
            self.problems.append(f"{name} @{self.width_name}: no <h1>")
        if self.width_name == "phone":
            scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if scroll > inner:
                self.problems.append(f"{name} @{self.width_name}: scrolls sideways ({scroll} px wide in a {inner} px window)")
        from browser_helpers import screenshot

        screenshot(page, f"a11y-{name}-{self.width_name}")
        self.checked.append(name)

    def visit(self, url: str, name: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status == 200, f"{name}: {url} answered {response and response.status}"
        self.check(name)

    def login(self, base: str, username: str) -> None:
        self.page.goto(f"{base}/login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("input[type=submit]")
        self.page.wait_for_url(re.compile(r"/(study|instructor)/"))

    def close(self) -> None:
        self.context.close()

    def verdict(self) -> None:
        assert not self.errors, self.errors
        assert not self.problems, f"{len(self.problems)} problems:\n" + "\n".join(self.problems)


def _ids(live_app):
    from studyapp.extensions import db
    from studyapp.models import Card, Deck

    with live_app.app_context():
        deck = db.session.scalar(select(Deck).where(Deck.slug == "china-russia"))
        card_id = db.session.scalar(select(Card.id).where(Card.deck_id == deck.id).order_by(Card.id))
        return deck.id, card_id


def _some_history(live_app):
    """alice answers a few cards over a few days (so /progress, the card page and the class page have data)."""
    from studyapp.extensions import db
    from studyapp.models import Deck, User
    from studyapp.services import study

    clock = live_app.config["CLOCK"]
    start = clock.at
    with live_app.app_context():
        alice = db.session.scalar(select(User).where(User.username == "alice"))
        deck = db.session.scalar(select(Deck).where(Deck.slug == "china-russia"))
        for day in range(3):
            clock.set(start - timedelta(days=3 - day))
            for n in range(8):
                showing = study.next_showing(db.session, alice, deck, clock.at)
                study.record_answer(db.session, alice, showing.card, 1 if (n + day) % 3 == 0 else 3, showing.version,
                                    clock.at, settings=study.settings_for(deck))
                clock.advance(timedelta(minutes=2))
        db.session.commit()
        db.session.remove()
    clock.set(start)


def _published_quiz(live_app) -> int:
    """teacher publishes a 10-question quiz for every learner (its print page is audited)."""
    from studyapp.extensions import db
    from studyapp.models import Deck, User, utcnow
    from studyapp.services import quiz as quizzes

    with live_app.app_context():
        teacher = db.session.scalar(select(User).where(User.username == "teacher"))
        deck = db.session.scalar(select(Deck).where(Deck.slug == "china-russia"))
        quiz = quizzes.create_quiz(db.session, teacher, deck, utcnow(), published=True, title="Week 2 check",
                                   types=["multiple_choice", "true_false", "typed", "who_said", "reason"])
        db.session.commit()
        quiz_id = quiz.id
        db.session.remove()
    return quiz_id


def _quiz_pages(audit: Audit, base: str, deck_id: int) -> None:
    page = audit.page
    audit.visit(f"{base}/quiz/", "quiz-setup")
    page.select_option("#scope", f"deck-{deck_id}")
    page.select_option("#length", "10")
    page.click("#start-quiz input[type=submit]")
    page.wait_for_url(re.compile(r"/quiz/attempt/\d+/q/1$"))
    for n in range(1, 11):
        page.wait_for_selector("#answer-form")
        if n == 1:
            audit.check("quiz-question")
        typed = page.locator("input[type=text][name=given]")
        if typed.count():
            typed.fill("an answer")
        else:
            page.locator("input[name=given]").first.check()
        page.click("#answer-form input[type=submit]")
        page.wait_for_selector("#feedback")
        if n == 1:
            audit.check("quiz-feedback")
        page.click("#next")
    page.wait_for_url(re.compile(r"/result$"))
    audit.check("quiz-result")
    audit.visit(f"{base}/quiz/", "quiz-history")  # the setup page again, now with the history table


@pytest.mark.parametrize("width", list(WIDTHS))
def test_anonymous_pages(live_server, browser, width):
    audit = Audit(browser, width)
    try:
        audit.visit(f"{live_server}/login", "login")
        audit.visit(f"{live_server}/register", "register")
    finally:
        audit.close()
    audit.verdict()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_learner_pages(live_app, live_server, browser, width):
    deck_id, card_id = _ids(live_app)
    _some_history(live_app)
    audit = Audit(browser, width)
    try:
        audit.login(live_server, "alice")
        audit.visit(f"{live_server}/study/", "deck-list")
        audit.visit(f"{live_server}/study/{deck_id}", "study-front")
        wait_study_ready(audit.page)
        audit.page.keyboard.press("Space")
        audit.page.wait_for_selector("#back", state="visible")
        audit.check("study-back")
        _quiz_pages(audit, live_server, deck_id)
        audit.visit(f"{live_server}/progress", "progress")
        audit.visit(f"{live_server}/progress/card/{card_id}", "card-history")
        audit.visit(f"{live_server}/study/{deck_id}/guide", "study-guide")
        audit.visit(f"{live_server}/classes/more-new/{deck_id}", "more-new-cards")
        if "account.index" in live_app.view_functions or any(r.rule == "/account" for r in live_app.url_map.iter_rules()):
            audit.visit(f"{live_server}/account", "account")
    finally:
        audit.close()
    audit.verdict()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_instructor_pages(live_app, live_server, browser, width, tmp_path):
    deck_id, card_id = _ids(live_app)
    _some_history(live_app)
    audit = Audit(browser, width)
    page = audit.page
    try:
        audit.login(live_server, "teacher")
        audit.visit(f"{live_server}/instructor/", "instructor-decks")
        audit.visit(f"{live_server}/instructor/decks/{deck_id}", "deck-cards")
        audit.visit(f"{live_server}/instructor/cards/{card_id}/edit", "card-editor")
        audit.visit(f"{live_server}/instructor/decks/{deck_id}/cards/new", "card-new")
        audit.visit(f"{live_server}/instructor/decks/{deck_id}/import", "import")
        upload = tmp_path / "rivers.csv"
        upload.write_text(CSV, encoding="utf-8")
        page.set_input_files("input[type=file]", str(upload))
        page.locator("form[enctype='multipart/form-data'] input[type=submit]").click()
        page.wait_for_url(re.compile(r"/instructor/imports/"))
        audit.check("import-preview")
        audit.visit(f"{live_server}/instructor/generate/", "generator")
        page.fill("input[name=title]", "Arden dam")
        page.fill("textarea[name=text]", ARTICLE)
        page.locator("#article-form input[type=submit]").click()
        page.wait_for_url(re.compile(r"/instructor/generate/\d+$"), timeout=60_000)
        page.check("#candidates-0-decision-2")  # a rejected candidate is greyed: its text must stay readable
        page.click("#save")
        page.wait_for_selector("#candidates-0-decision-2:checked")
        audit.check("generator-review")
        audit.visit(f"{live_server}/instructor/progress", "class-progress")
        audit.visit(f"{live_server}/quiz/{_published_quiz(live_app)}/print", "quiz-print")
    finally:
        audit.close()
    audit.verdict()


def test_account_page_is_covered_when_it_exists(live_app):
    """The account page is built elsewhere (issue 15); the learner test above visits it once the route exists."""
    if not any(r.rule == "/account" for r in live_app.url_map.iter_rules()):
        pytest.skip("/account does not exist yet: test_learner_pages will check it once it does")
