"""An instructor writes a cloze card with a bold word, watches the live preview, saves; a learner studies it."""
import re

import pytest
from sqlalchemy import select

from browser_helpers import wait_study_ready

pytestmark = pytest.mark.browser

TEXT = "The **Volga** flows into the {{c1::Caspian Sea}}."


def test_instructor_writes_a_card_and_a_learner_studies_it(live_app, live_server, page, browser):
    from studyapp.extensions import db
    from studyapp.models import Card, CardRevision, Deck, ReviewLog

    from browser_helpers import login, screenshot

    login(page, live_server, "teacher")
    page.goto(f"{live_server}/instructor/")
    page.click("text=New deck")
    page.fill("input[name=name]", "Rivers (browser test)")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/instructor/decks/\d+/cards/new$"))

    page.select_option("select[name=type]", "cloze")
    assert page.is_hidden("#answer-field")                     # a cloze has no separate answer
    page.fill("textarea[name=prompt]", TEXT)
    page.fill("textarea[name=explanation]", "The *largest* lake on Earth.")
    page.fill("input[name=tags]", "rivers geo")
    page.wait_for_selector("#preview .preview-front strong")
    front = page.locator("#preview .preview-front").first
    back = page.locator("#preview .preview-back").first
    assert front.locator("strong").inner_text() == "Volga"
    assert front.locator("span.cloze").inner_text() == "[…]"
    assert back.locator("span.cloze-answer").inner_text() == "Caspian Sea"
    assert page.locator("#preview .preview-explanation em").inner_text() == "largest"

    # The preview follows every edit: a second gap gives a second card.
    page.fill("textarea[name=prompt]", TEXT.replace("The **Volga**", "The {{c2::**Volga**}}"))
    page.wait_for_function("() => document.querySelectorAll('#preview .preview-card').length === 2")
    assert page.locator("#preview .preview-card").nth(1).locator(".preview-front span.cloze").inner_text() == "[…]"
    assert page.locator("#preview .preview-card").nth(1).locator(".preview-back strong").inner_text() == "Volga"
    page.fill("textarea[name=prompt]", TEXT)
    page.wait_for_function("() => document.querySelectorAll('#preview .preview-card').length === 1")
    screenshot(page, "instructor-card-preview")

    page.click("input[type=submit][value='Save card']")
    page.wait_for_url(re.compile(r"/instructor/cards/\d+/edit$"))
    assert "Card saved" in page.inner_text(".flashes")
    assert page.locator("#preview .preview-front strong").inner_text() == "Volga"   # the saved card, rendered
    assert "create" in page.inner_text(".revisions")
    screenshot(page, "instructor-card-saved")

    with live_app.app_context():
        deck = db.session.scalar(select(Deck).where(Deck.name == "Rivers (browser test)"))
        card = db.session.scalar(select(Card).where(Card.deck_id == deck.id))
        deck_id, card_id = deck.id, card.id
        assert (card.type, card.cloze_ord, card.answer, card.tag_list) == ("cloze", 1, "Caspian Sea", ["rivers", "geo"])
        assert card.key == f"{card.note_key}.c1" and db.session.scalar(
            select(CardRevision.action).where(CardRevision.card_id == card.id)) == "create"

    learner = browser.new_context(viewport={"width": 1100, "height": 900})
    errors = []
    study = learner.new_page()
    study.on("pageerror", lambda exc: errors.append(str(exc)))
    login(study, live_server, "alice")
    study.wait_for_url(re.compile(r"/study/$"))
    study.click("text=Rivers (browser test)")
    wait_study_ready(study)
    assert study.locator("#front strong").inner_text() == "Volga"
    assert study.locator("#front span.cloze").inner_text() == "[…]"
    study.keyboard.press("Space")
    study.wait_for_selector("#back", state="visible")
    assert study.locator("#back .cloze-answer").inner_text() == "Caspian Sea"
    assert "largest" in study.inner_text("#back .explanation")
    screenshot(study, "instructor-card-studied")
    study.keyboard.press("3")
    # Answered: the page moves on (the card comes back later today as a learning card).
    study.wait_for_function("() => document.querySelector('#back') && document.querySelector('#back').hidden")
    assert "1 done today" in study.inner_text(".progress")
    learner.close()
    with live_app.app_context():
        logs = db.session.scalars(select(ReviewLog).where(ReviewLog.card_id == card_id)).all()
        assert [(log.rating, log.source) for log in logs] == [(3, "study")]
    assert errors == [] and deck_id
