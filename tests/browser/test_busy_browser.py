"""Work that takes a while shows it: once the generator's form is sent, its button is disabled and says what
is happening until the server's answer replaces the page (recorded in the page just after the click)."""
import json
import re

import pytest

pytestmark = pytest.mark.browser

RECORD = """() => document.addEventListener('submit', () => setTimeout(() => {
  const form = document.querySelector('#article-form'), button = form.querySelector('input[type=submit]');
  sessionStorage.setItem('busy', JSON.stringify([button.disabled, button.value, form.getAttribute('aria-busy'),
                                                 form.querySelector('.busy-status').textContent]));
}, 0))"""


def test_the_generator_shows_a_busy_state_until_the_answer_comes(live_server, page):
    from browser_helpers import login

    login(page, live_server, "teacher")
    page.wait_for_url(re.compile(r"/instructor/"))
    page.goto(f"{live_server}/instructor/generate/")
    page.evaluate(RECORD)
    page.fill("#title", "Arden dam")
    page.fill("#text", "The Arden Valley dam was finished in 1969 after eleven years of work by the water board.\n")
    page.click("#article-form input[type=submit]")
    page.wait_for_selector("#review-form")
    disabled, label, aria_busy, status = json.loads(page.evaluate("() => sessionStorage.getItem('busy')"))
    assert disabled is True and label == "Reading the article…" and aria_busy == "true"
    assert status == "Reading the article…"
    assert page.locator("#review-form[data-busy]").count() == 1  # the review's buttons do the same
