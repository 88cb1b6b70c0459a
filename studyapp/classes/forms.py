"""Forms of the class pages."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectMultipleField, StringField, SubmitField, TimeField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


class ClassForm(FlaskForm):
    name = StringField("Name", validators=[InputRequired(message="Name the class."), Length(max=200)])
    decks = SelectMultipleField("Decks", coerce=int, validators=[Optional()],
                                option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False),
                                description="The decks this class studies.")
    exam_date = DateField("Exam date", validators=[Optional()],
                          description="Optional. Learners' schedules plan toward this day.")
    exam_time = TimeField("Exam time", validators=[Optional()], description="Your time zone; 09:00 if left empty.")
    daily_minutes = IntegerField("Daily study budget (minutes)", validators=[
        Optional(), NumberRange(min=1, max=600, message="From 1 to 600 minutes.")],
        description="Optional. The study queue stops a learner's reviews for the day at this many minutes.")
    submit = SubmitField("Save class")

    def validate_name(self, field):
        if not (field.data or "").strip():
            raise ValidationError("Name the class.")


class JoinForm(FlaskForm):
    code = StringField("Join code", validators=[InputRequired(message="Type the code your instructor gave you."),
                                                Length(max=32)])
    submit = SubmitField("Join class")


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (new join code, remove a member)."""

    submit = SubmitField("Go")
