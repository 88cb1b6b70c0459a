from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf, Optional

BACK_TO = ("index", "card")


class SuspendForm(FlaskForm):
    """Suspend or unsuspend one card (the URL names the card); `back` says which page to return to."""

    back = HiddenField(validators=[Optional(), AnyOf(BACK_TO)])
