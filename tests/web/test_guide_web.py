"""The study guide reads as prose: the line breaks of the wrapped source text are folded (Markdown paragraphs)."""
from studyapp.domain import cardtext


def test_the_guide_folds_the_source_files_line_breaks(client, auth, deck, learner):
    auth.login()
    html = client.get(f"/study/{deck.id}/guide").get_data(as_text=True)
    # cards/china-russia.toml wraps "...that the West would be" / "unwise to try to break up."
    assert "the West would be\nunwise" in html or "the West would be unwise" in html
    assert "would be<br" not in html and "<br" not in html.split('class="guide-section"', 1)[1]
    assert html.count("<li>") >= 3  # lists are still lists


def test_cards_keep_a_typed_line_break_and_guides_fold_it():
    assert "<br" in cardtext.render_markdown("first line\nsecond line")
    assert "<br" not in cardtext.render_markdown("first line\nsecond line", breaks=False)
    assert "<li>" in cardtext.render_markdown("- a\n- b", breaks=False)
