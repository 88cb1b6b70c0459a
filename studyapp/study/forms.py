from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange


class UndoForm(FlaskForm):
    """Undo names the answer it takes back (a double submission takes back only that one)."""

    review_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
