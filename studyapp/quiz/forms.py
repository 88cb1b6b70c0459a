from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..domain.quizgen import QUESTION_TYPES

TYPE_LABELS = {
    "multiple_choice": "Multiple choice",
    "true_false": "True or false",
    "typed": "Typed answer",
    "who_said": "Who said it",
    "reason": "Reason (why?)",
}
LENGTH_CHOICES = {"10": "10 questions", "20": "20 questions", "all": "Every card"}


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class StartQuizForm(FlaskForm):
    scope = SelectField("Cards", validators=[DataRequired(message="Choose a deck or a section.")],
                        description="A whole deck, or one section of it.")
    length = SelectField("Length", choices=LENGTH_CHOICES, default="10")
    types = CheckboxesField("Question types", choices={t: TYPE_LABELS[t] for t in QUESTION_TYPES},
                            default=list(QUESTION_TYPES),
                            validators=[DataRequired(message="Tick at least one question type.")])
    publish = BooleanField("Publish for a class (everyone gets the same questions in the same order)")
    publish_to = SelectField("Publish for", choices=[], validate_choice=False,
                             description="Its members see it on their quiz page; you see their results.")
    title = StringField("Title (for a published quiz)", validators=[Optional(), Length(max=200)])
    submit = SubmitField("Start quiz")


class ChoiceAnswerForm(FlaskForm):
    given = RadioField("Your answer", choices={}, invalid_choice_message="Choose one of the answers.")
    shown_at = HiddenField()
    submit = SubmitField("Answer")


class TypedAnswerForm(FlaskForm):
    given = StringField("Your answer", validators=[Length(max=500)],
                        description="Leave it blank if you do not know.")
    shown_at = HiddenField()
    submit = SubmitField("Answer")


class ActionForm(FlaskForm):
    """A button that changes something (start, retry, unpublish): only the CSRF token."""
