from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    FieldList,
    FloatField,
    Form,
    FormField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..services.generate import ACCEPT, MAX_ARTICLE_BYTES, PENDING, REJECT

DECISIONS = {PENDING: "Undecided", ACCEPT: "Accept", REJECT: "Reject"}


class ArticleForm(FlaskForm):
    title = StringField("Title", validators=[Optional(), Length(max=200)],
                        description="Optional: the first line of the text is used otherwise.")
    text = TextAreaField("Paste the article", validators=[Optional(), Length(max=MAX_ARTICLE_BYTES)],
                         description="Plain text or Markdown; paragraphs separated by blank lines.")
    upload = FileField("…or upload a .txt or .md file",
                       validators=[FileAllowed(["txt", "md"], "Upload a .txt or .md file.")],
                       description=f"Up to {MAX_ARTICLE_BYTES // 1000} kB of UTF-8 text.")
    submit = SubmitField("Propose cards")


class CandidateForm(Form):
    """One candidate row of the review form (the outer form carries the CSRF token).

    No limits here: an accepted candidate's text is checked by `notes.validate_note`, the one validator.
    """

    decision = RadioField("Decision", choices=DECISIONS, default=PENDING)
    prompt = TextAreaField("Prompt")
    answer = StringField("Answer")


class ReviewForm(FlaskForm):
    deck = SelectField("Add the cards to", default="new")
    new_deck_name = StringField("Name of the new deck", validators=[Optional(), Length(max=200)],
                                description="A new deck is a draft: learners see it once you publish it.")
    section_title = StringField("Section", validators=[InputRequired(message="Name the section."),
                                                       Length(max=200)],
                                description="An existing section of the deck with this title, or a new one.")
    context_line = StringField("Context line", validators=[Optional(), Length(max=200)],
                               description="Shown above every card's front in study, quizzes and exports, so that "
                                           "a card about “the bridge” says which bridge. Left off a card whose "
                                           "answer it contains. Empty: no context line.")
    candidates = FieldList(FormField(CandidateForm))
    min_score = FloatField("Score at least", default=0.8,
                           validators=[Optional(), NumberRange(min=0, max=1, message="Between 0 and 1.")],
                           description="A card's score says how much it resembles the cards careful teachers kept "
                                       "on hand-checked test articles. On a new article it ranks only a little "
                                       "better than chance and overstates how many cards are kept: read what you add.")
    save = SubmitField("Save decisions")
    add_accepted = SubmitField("Add the accepted cards")
    add_above = SubmitField("Add every card scoring at least this (except rejected ones)")


class StatusForm(FlaskForm):
    """Publish or unpublish a deck (a button; the form carries the CSRF token)."""

    submit = SubmitField("Publish")
