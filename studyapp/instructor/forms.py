"""Forms of the instructor area. Every field is validated; cross-field rules live in `validate`."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import FloatField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..domain import cardtext, scheduler
from ..domain.deckfile import SLUG_RE, TAG_RE
from ..interop.common import MAX_BACK, MAX_EXPLANATION, MAX_FRONT

KIND_CHOICES = {"fact": "Fact: something to remember", "argument": "Argument: a claim, a reason, a why"}
TYPE_CHOICES = {"basic": "Basic: prompt and answer", "cloze": "Cloze: fill in the gap"}


def _steps(form, field):
    try:
        steps = scheduler.parse_steps(field.data or "")
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    if len(steps) > 10:
        raise ValidationError("Use at most 10 steps.")


class DeckForm(FlaskForm):
    name = StringField("Name", validators=[InputRequired(message="Name the deck."), Length(max=200)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)],
                                description="One or two sentences; Markdown is shown as plain text.")
    submit = SubmitField("Create deck")

    def validate_name(self, field):
        if not field.data.strip():
            raise ValidationError("Name the deck.")


class DeckSettingsForm(DeckForm):
    desired_retention = FloatField(
        "Desired retention", validators=[InputRequired(message="Give a number from 0.70 to 0.99."),
                                         NumberRange(min=0.70, max=0.99, message="Between 0.70 and 0.99.")],
        description="The share of reviews a learner should get right: higher means more reviews.")
    new_per_day = IntegerField("New cards per day", validators=[
        InputRequired(message="Give a whole number."), NumberRange(min=0, max=9999, message="From 0 to 9999.")])
    reviews_per_day = IntegerField("Reviews per day", validators=[
        InputRequired(message="Give a whole number."), NumberRange(min=0, max=99999, message="From 0 to 99999.")])
    learning_steps = StringField("Learning steps", validators=[Length(max=100), _steps],
                                 description="Waits before a new card graduates, e.g. “1m 10m”.")
    relearning_steps = StringField("Relearning steps", validators=[Length(max=100), _steps],
                                   description="Waits after a forgotten card, e.g. “10m”.")
    submit = SubmitField("Save settings")


class CardForm(FlaskForm):
    kind = SelectField("Kind", choices=KIND_CHOICES, default="fact")
    type = SelectField("Type", choices=TYPE_CHOICES, default="basic")
    section = StringField("Section", validators=[Length(max=64)],
                          description="Pick an existing section or type a new id (lowercase, digits, dashes).")
    new_section_title = StringField("Title of a new section", validators=[Optional(), Length(max=200)],
                                    description="Only when the section above is new.")
    prompt = TextAreaField("Prompt (basic) or text with {{c1::gaps}} (cloze)",
                           validators=[InputRequired(message="Write the prompt."), Length(max=MAX_FRONT)],
                           description="Markdown: **bold**, *italics*, lists, [links](https://…). "
                                       "Cloze: {{c1::answer}} or {{c1::answer::hint}}.")
    answer = TextAreaField("Answer (basic cards)", validators=[Length(max=MAX_BACK)])
    explanation = TextAreaField("Explanation", validators=[Optional(), Length(max=MAX_EXPLANATION)],
                                description="Shown after answering: 1-3 sentences.")
    tags = StringField("Tags", validators=[Length(max=500)],
                       description="Separated by spaces: letters, digits, - _ : .")
    paragraph = IntegerField("Source paragraph", validators=[Optional(), NumberRange(min=1, max=100000,
                                                                                     message="A number of 1 or more.")])
    submit = SubmitField("Save card")

    def __init__(self, *args, sections: dict[str, str] | None = None, locked_type: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_sections = sections or {}
        self.locked_type = locked_type

    def validate_type(self, field):
        if self.locked_type and field.data != self.locked_type:
            raise ValidationError(f"This card is {self.locked_type}; its type cannot change. "
                                  "Retire it and add a new card instead.")

    def validate_section(self, field):
        slug = (field.data or "").strip()
        field.data = slug
        if not slug:
            return
        if not SLUG_RE.match(slug):
            raise ValidationError("Use lowercase letters, digits and dashes (at most 64), e.g. “history”.")
        if slug not in self.existing_sections and not (self.new_section_title.data or "").strip():
            raise ValidationError(f"There is no section “{slug}” in this deck: pick one from the list, "
                                  "or give the new section a title below to create it.")

    def validate_prompt(self, field):
        text = (field.data or "").strip()
        if not text:
            raise ValidationError("Write the prompt.")
        if self.type.data == "cloze":
            numbers = cardtext.cloze_numbers(text)
            if not numbers:
                raise ValidationError("A cloze needs at least one gap written as {{c1::answer}}.")
            for n in numbers:
                if not cardtext.cloze_answer(text, n).strip():
                    raise ValidationError(f"Gap c{n} is empty.")

    def validate_answer(self, field):
        if self.type.data == "basic" and not (field.data or "").strip():
            raise ValidationError("A basic card needs an answer.")

    def validate_tags(self, field):
        bad = [t for t in (field.data or "").split() if not TAG_RE.match(t)]
        if bad:
            raise ValidationError(f"“{bad[0]}” is not a tag: use letters, digits and - _ : . (no spaces).")

    def tag_list(self) -> list[str]:
        seen: list[str] = []
        for tag in (self.tags.data or "").split():
            if tag not in seen:
                seen.append(tag)
        return seen


class ActionForm(FlaskForm):
    """A button that changes something (retire, restore, confirm, cancel): only the CSRF token."""


class ImportForm(FlaskForm):
    upload = FileField("File", validators=[
        FileRequired(message="Choose a file to import."),
        FileAllowed(["csv", "tsv", "txt", "apkg"], "Upload a .csv, .tsv or .txt file, or an Anki .apkg package."),
    ], description="CSV/TSV with columns front, back, tags, id, section (Anki's #separator/#html/#tags column "
                   "header lines are read), or an Anki deck package.")
    submit = SubmitField("Preview the import")


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Text", validators=[Optional(), Length(max=200)])
    tag = StringField("Tag", validators=[Optional(), Length(max=64)])
    section = SelectField("Section", choices={"": "Any section"}, validate_choice=False)
    kind = SelectField("Kind", choices={"": "Any kind", "fact": "Fact", "argument": "Argument"},
                       validate_choice=False)
    type = SelectField("Type", choices={"": "Any type", "basic": "Basic", "cloze": "Cloze"},
                       validate_choice=False)
    status = SelectField("Status", choices={"active": "Active", "retired": "Retired", "": "Any status"},
                         default="active", validate_choice=False)
