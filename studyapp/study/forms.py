from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import DataRequired, InputRequired, NumberRange


class AnswerForm(FlaskForm):
    card_id = IntegerField(validators=[InputRequired()])
    version = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
    rating = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=4)])
    shown_at = HiddenField(validators=[DataRequired()])


class UndoForm(FlaskForm):
    review_id = IntegerField(validators=[InputRequired(), NumberRange(min=1)])
