"""A learner takes a ten-question quiz in Debian's Chromium, misses one on purpose, reads the result,
and meets the missed card again in study."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

pytestmark = pytest.mark.browser


def _wrong(question):
    if question["type"] == "typed":
        return "definitely not the answer"
    return next(option for option in question["options"] if option != question["answer"])


def test_quiz_miss_one_see_the_score_and_meet_the_card_in_study(live_app, live_server, page):
    from studyapp.extensions import db
    from studyapp.models import CardState, Deck, QuizAttempt, ReviewLog, User, utcnow
    from studyapp.services import study

    from browser_helpers import login, screenshot

    with live_app.app_context():
        deck_id = db.session.scalar(select(Deck.id).where(Deck.slug == "china-russia"))

    login(page, live_server)
    page.wait_for_url(re.compile(r"/study/$"))
    page.click("nav >> text=Quizzes")
    page.wait_for_url(re.compile(r"/quiz/$"))
    page.select_option("#scope", f"deck-{deck_id}")
    page.select_option("#length", "10")
    assert page.locator("input[name=types]:checked").count() == 5  # every type ticked by default
    screenshot(page, "quiz-start")
    page.click("#start-quiz input[type=submit]")
    page.wait_for_url(re.compile(r"/quiz/attempt/\d+/q/1$"))
    attempt_id = int(re.search(r"/attempt/(\d+)/", page.url)[1])
    with live_app.app_context():
        questions = db.session.get(QuizAttempt, attempt_id).questions
    assert len(questions) == 10

    for n, question in enumerate(questions, start=1):
        page.wait_for_selector("#answer-form")
        assert f"Question {n} of 10" in page.inner_text("#quiz-position")
        given = _wrong(question) if n == 1 else question["answer"]
        if question["type"] == "typed":
            page.fill("input[name=given]", given)
        else:
            radios = page.locator("input[name=given]")
            assert radios.count() == len(question["options"])
            radios.nth(question["options"].index(given)).check()
        if n == 1:
            screenshot(page, "quiz-question")
        page.click("#answer-form input[type=submit]")
        page.wait_for_selector("#feedback")
        feedback = page.inner_text("#feedback")
        assert ("Wrong." if n == 1 else "Right.") in feedback
        assert "The right answer" in feedback
        page.click("#next")

    page.wait_for_url(re.compile(rf"/quiz/attempt/{attempt_id}/result$"))
    assert "9 / 10" in page.inner_text("#score") and "90%" in page.inner_text("#score")
    missed_row = page.locator(".quiz-result").first
    assert "wrong" in missed_row.inner_text()
    if questions[0]["explanation"]:
        assert questions[0]["explanation"].split()[0] in missed_row.locator(".explanation").inner_text()
    assert missed_row.locator("a", has_text="Study guide").count() == 1
    assert page.locator("text=Retry the ones I missed").count() == 1
    screenshot(page, "quiz-result")

    missed_id = questions[0]["card_db_id"]
    now = utcnow()
    with live_app.app_context():
        alice = db.session.scalar(select(User).where(User.username == "alice"))
        deck = db.session.get(Deck, deck_id)
        state = db.session.scalar(select(CardState).where(CardState.user_id == alice.id,
                                                          CardState.card_id == missed_id))
        assert state.state in (1, 3) and state.due <= now + timedelta(minutes=10)
        logs = db.session.scalars(select(ReviewLog).where(ReviewLog.user_id == alice.id)
                                  .order_by(ReviewLog.id)).all()
        assert len(logs) == 10 and {log.source for log in logs} == {"quiz"}
        assert [log.rating for log in logs if log.card_id == missed_id] == [1]
        later = study.next_showing(db.session, alice, deck, now + timedelta(minutes=11))
        assert later is not None and later.card.id == missed_id
        deck.new_per_day = 0  # nothing new today: the queue is down to what the quiz put in learning
        db.session.commit()
        db.session.remove()

    page.goto(f"{live_server}/study/{deck_id}")
    page.wait_for_selector("article.card")
    assert int(page.get_attribute("article.card", "data-card-id")) == missed_id
    assert page.get_attribute("article.card", "data-queue") == "learning"


def test_quiz_works_without_javascript(live_app, browser, live_server):
    from studyapp.extensions import db
    from studyapp.models import QuizAnswer

    from browser_helpers import login

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    login(page, live_server)
    page.goto(f"{live_server}/quiz/")
    page.select_option("#length", "10")
    page.click("#start-quiz input[type=submit]")
    page.wait_for_selector("#answer-form")
    if page.locator("input[name=given][type=radio]").count():
        page.locator("input[name=given]").first.check()
    else:
        page.fill("input[name=given]", "a guess")
    page.click("#answer-form input[type=submit]")
    page.wait_for_selector("#feedback")
    page.click("#next")
    page.wait_for_selector("#answer-form")
    assert "Question 2 of 10" in page.inner_text("#quiz-position")
    with live_app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(QuizAnswer)) == 1
    context.close()


def test_instructor_reviews_generated_cards_without_javascript(live_app, browser, live_server):
    from studyapp.extensions import db
    from studyapp.models import Card, CardSource

    from browser_helpers import login, screenshot

    context = browser.new_context(java_script_enabled=False, viewport={"width": 1100, "height": 900})
    page = context.new_page()
    login(page, live_server, "teacher")
    page.goto(f"{live_server}/instructor/generate/")
    page.fill("#title", "Arden dam")
    page.fill("#text", "The Arden Valley dam was finished in 1969 after eleven years of work by the water board.\n\n"
                       "About 3,200 engineers and labourers worked on the project, which cost nearly 40 million dollars.\n")
    page.click("#article-form input[type=submit]")
    page.wait_for_selector("#review-form")
    assert page.locator("blockquote.source mark").count() >= 2
    screenshot(page, "generate-review")
    page.check("#candidates-0-decision-1")
    page.check("#candidates-1-decision-1")
    page.fill("#new_deck_name", "Arden valley")
    page.click("#add_accepted")
    page.wait_for_selector(".flash-success")
    assert "Added 2 cards" in page.inner_text(".flash-success")
    with live_app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Card).where(Card.tags.like("% generated %"))) == 2
        assert db.session.scalar(select(db.func.count()).select_from(CardSource)) == 2
    context.close()


def test_a_ten_question_quiz_answered_with_number_keys_and_enter_only(live_app, live_server, page):
    """No mouse and no Tab: a number key picks an option, Enter answers, Enter goes on. Focus lands on the
    question's options (or the typed answer) and then on Next, and the live region says what happened."""
    from studyapp.extensions import db
    from studyapp.models import Deck, QuizAttempt

    from browser_helpers import login, screenshot

    with live_app.app_context():
        deck_id = db.session.scalar(select(Deck.id).where(Deck.slug == "china-russia"))
    login(page, live_server)
    page.wait_for_url(re.compile(r"/study/$"))
    page.goto(f"{live_server}/quiz/")
    page.select_option("#scope", f"deck-{deck_id}")
    page.select_option("#length", "10")
    page.click("#start-quiz input[type=submit]")
    page.wait_for_url(re.compile(r"/quiz/attempt/\d+/q/1$"))
    attempt_id = int(re.search(r"/attempt/(\d+)/", page.url)[1])
    with live_app.app_context():
        questions = db.session.get(QuizAttempt, attempt_id).questions

    for n, question in enumerate(questions, start=1):
        page.wait_for_selector("#answer-form")
        page.wait_for_function("() => document.getElementById('quiz-announce').textContent.length > 0")
        assert f"Question {n} of 10" in page.inner_text("#quiz-announce")
        focused = page.evaluate("() => [document.activeElement.name, document.activeElement.type]")
        if question["type"] == "typed":
            assert focused == ["given", "text"]
            page.keyboard.type(question["answer"])
        else:
            assert focused == ["given", "radio"]  # focus is on the options, not lost to <body>
            key = str(question["options"].index(question["answer"]) + 1)
            page.keyboard.press(key)
            assert page.locator("input[name=given]:checked").get_attribute("value") == question["answer"]
            if n == 1:
                screenshot(page, "quiz-keyboard-question")
        page.keyboard.press("Enter")
        page.wait_for_selector("#feedback")
        assert "Right." in page.inner_text("#feedback")
        # #feedback is in the DOM before the page's script has run (on a busy machine, well before): wait for the
        # script to move focus, and fail if it never does
        page.wait_for_function("() => document.activeElement && document.activeElement.id === 'next'", timeout=10_000)
        page.wait_for_function("() => document.getElementById('quiz-announce').textContent.includes('Right.')")
        page.keyboard.press("Enter")

    page.wait_for_url(re.compile(rf"/quiz/attempt/{attempt_id}/result$"))
    assert "10 / 10" in page.inner_text("#score")
