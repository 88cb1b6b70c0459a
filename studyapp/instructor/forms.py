"""Forms of the instructor area. Every field is validated; cross-field rules live in `validate`."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import FloatField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..domain import deckfile
from ..domain.notes import SLUG_RE, AnswerKind, CardKind, CardType, Note
from ..domain.notesync import slugify

KIND_CHOICES = {CardKind.FACT.value: "Fact: something to remember",
                CardKind.ARGUMENT.value: "Argument: a claim or a why"}
TYPE_CHOICES = {CardType.BASIC.value: "Basic: prompt and answer", CardType.CLOZE.value: "Cloze: fill in the gap"}
NEW_SECTION = "__new__"  # the section select's "New section" choice: its id is made from the title
CATEGORY_CHOICES = {"": "Not set", **{k.value: k.value.capitalize() for k in AnswerKind}}


def _steps(form, field):
    """The deck files' rule (domain.deckfile.check_steps): at most 10 steps, each at most 365 days."""
    try:
        deckfile.check_steps(field.data or "")
    except ValueError as exc:
        message = str(exc)
        raise ValidationError(message[0].upper() + message[1:]) from exc


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
    """The card editor. Fields are named as the note model's; the note itself is checked by the one
    validator (`domain.notes.validate_note`, its LIMITS) through `check_note`: this form only reads values.
    """

    kind = SelectField("Kind", choices=KIND_CHOICES, default=CardKind.FACT.value)
    type = SelectField("Type", choices=TYPE_CHOICES, default=CardType.BASIC.value)
    # Shown as a select of the deck's sections (and "New section"); a plain string on the wire, so a deck file's
    # or a script's section id is read and checked the same way.
    section = StringField("Section", description="The part of the article the card belongs to: its study guide "
                                                 "page and quiz scope.")
    new_section_title = StringField("Title of a new section", validators=[Optional(), Length(max=200)],
                                    description="Only with “New section” above.")
    context = StringField("Context line", description="Optional: shown above the front wherever the card appears "
                                                      "(study, quizzes, exports), when the front needs it to say what "
                                                      "it is about, e.g. the article's title.")
    prompt = TextAreaField("Prompt (basic) or text with {{c1::gaps}} (cloze)",
                           description="Markdown: **bold**, *italics*, lists, [links](https://…). "
                                       "Cloze: {{c1::answer}} or {{c1::answer::hint}}.")
    answer = TextAreaField("Answer (basic cards)")
    explanation = TextAreaField("Explanation", description="Shown after answering: 1-3 sentences.")
    tags = StringField("Tags", description="Separated by spaces: letters, digits, - _ : .")
    paragraph = IntegerField("Source paragraph", validators=[Optional()],
                             description="Where in the article the card comes from: the number of the paragraph, "
                                         "counting blank-line-separated blocks from 1. Optional; kept for reference.")
    category = SelectField("Category (kind of answer)", choices=CATEGORY_CHOICES, default="",
                           description="What kind of thing the answer is: quiz options are drawn from the same kind.")
    statement = TextAreaField("Statement", description="The fact as one plain true sentence (true/false questions).")
    speaker = StringField("Speaker", description="Who says or argues it (needed with a claim).")
    claim = TextAreaField("Claim", description="What the speaker says, in their voice, without their name "
                                               "(who-said questions).")
    submit = SubmitField("Save card")

    FIELDS = ("kind", "type", "section", "context", "prompt", "answer", "explanation", "tags", "paragraph", "category",
              "statement", "speaker", "claim")

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
        if slug == NEW_SECTION:
            title = (self.new_section_title.data or "").strip()
            if not title:
                field.data = ""
                raise ValidationError("Give the new section a title below.")
            slug = slugify(title) or "section"
        field.data = slug
        if slug and SLUG_RE.match(slug) and slug not in self.existing_sections \
                and not (self.new_section_title.data or "").strip():
            raise ValidationError(f"There is no section “{slug}” in this deck: pick one from the list, "
                                  "or give the new section a title below to create it.")

    def tag_list(self) -> list[str]:
        seen: list[str] = []
        for tag in (self.tags.data or "").split():
            if tag not in seen:
                seen.append(tag)
        return seen

    def raw_note(self) -> dict:
        """The form's values named as the note's fields (what `validate_note` reads)."""
        is_basic = self.type.data == CardType.BASIC
        return {"kind": self.kind.data, "type": self.type.data, "section": self.section.data or None,
                "prompt": self.prompt.data or "", "answer": (self.answer.data or "") if is_basic else "",
                "explanation": self.explanation.data or "", "tags": self.tag_list(),
                "paragraph": self.paragraph.data, "category": self.category.data or None,
                "statement": self.statement.data or None, "speaker": self.speaker.data or None,
                "claim": self.claim.data or None, "context": self.context.data or None}

    def check_note(self, check) -> Note | None:
        """Run `check(raw, sections)` (the one validator) and show its problems on their fields.

        A field the form already found wrong (not a number, not a choice) is not reported twice.
        """
        sections = set(self.existing_sections)
        if self.section.data and (self.new_section_title.data or "").strip():
            sections.add(self.section.data)
        note, problems = check(self.raw_note(), sections)
        for problem in problems:
            field = getattr(self, problem.field, None) if problem.field in self.FIELDS else self.answer
            if problem.field == "section" and field.errors:
                continue
            if field.errors and problem.field in ("paragraph", "kind", "type", "category"):
                continue
            name = problem.field.replace("_", " ").capitalize()
            field.errors = [*field.errors, f"{name} {problem.message}."]
        return note if not problems else None


class ActionForm(FlaskForm):
    """A button that changes something (retire, restore, confirm, cancel): only the CSRF token."""


class ImportForm(FlaskForm):
    upload = FileField("File", validators=[
        FileRequired(message="Choose a file to import."),
        FileAllowed(["csv", "tsv", "txt", "apkg"], "Upload a .csv, .tsv or .txt file, or an Anki .apkg package."),
    ], description="CSV/TSV with columns front, back, tags, id, section, explanation (with a header row also "
                   "statement, claim, speaker, kind; Anki's #separator/#html/#tags column header lines are read), "
                   "or an Anki deck package.")
    submit = SubmitField("Preview the import")


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Text", validators=[Optional(), Length(max=200)])
    tag = StringField("Tag", validators=[Optional(), Length(max=64)])
    section = SelectField("Section", choices={"": "Any section"}, validate_choice=False)
    kind = SelectField("Kind", choices={"": "Any kind", **{k.value: k.value.capitalize() for k in CardKind}},
                       validate_choice=False)
    type = SelectField("Type", choices={"": "Any type", **{t.value: t.value.capitalize() for t in CardType}},
                       validate_choice=False)
    status = SelectField("Status", choices={"active": "Active", "retired": "Retired", "": "Any status"},
                         default="active", validate_choice=False)
