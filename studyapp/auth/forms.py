"""Login, registration and account forms. The rules live in studyapp.services.users (the CLI uses them too)."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from ..services import users


def timezone_choices() -> list[tuple[str, str]]:
    return [(z, z.replace("_", " ")) for z in users.timezone_names()]


def _username_rules(form, field) -> None:
    problems = users.username_problems(field.data or "")
    if problems:
        raise ValidationError(problems[0])


def _timezone_rules(form, field) -> None:
    field.data = (field.data or "").strip()
    problems = users.timezone_problems(field.data)
    if problems:
        raise ValidationError(problems[0])


def _password_rules(username_of):
    def check(form, field) -> None:
        problems = users.password_problems(field.data or "", username_of(form))
        if problems:
            raise ValidationError(problems[0])
    return check


# An <input list> over a <datalist> of zone names: type to search, any browser, screen readers read it as a
# combo box. timezone.js puts the browser's own zone in while the field still holds the untouched default.
TIMEZONE_INPUT = {"list": "timezone-names", "autocomplete": "off", "spellcheck": "false",
                  "data-detect-timezone": "UTC"}
TIMEZONE_HINT = "Your study day starts at 4 AM in this time zone. Type to search, e.g. Paris or New York."


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=64)],
                           render_kw={"autocomplete": "username"})
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField("Keep me logged in (30 days on this device)")
    submit = SubmitField("Log in")


class RegisterForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), _username_rules],
                           render_kw={"autocomplete": "username"})
    password = PasswordField("Password", validators=[DataRequired(), _password_rules(lambda f: f.username.data)],
                             description="At least 8 characters; not a common password, not your username.",
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("Repeat password", validators=[DataRequired(), EqualTo("password",
                            message="The two passwords differ.")], render_kw={"autocomplete": "new-password"})
    timezone = StringField("Time zone", default="UTC", validators=[_timezone_rules], description=TIMEZONE_HINT,
                           render_kw=TIMEZONE_INPUT)
    submit = SubmitField("Create account")


class PasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=200)],
                            render_kw={"autocomplete": "current-password"})
    new = PasswordField("New password", validators=[DataRequired()],
                        description="At least 8 characters; not a common password, not your username.",
                        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("Repeat new password", validators=[DataRequired(), EqualTo("new",
                            message="The two passwords differ.")], render_kw={"autocomplete": "new-password"})
    submit = SubmitField("Change password")


class TimezoneForm(FlaskForm):
    timezone = StringField("Time zone", validators=[_timezone_rules], description=TIMEZONE_HINT,
                           render_kw=TIMEZONE_INPUT)
    submit = SubmitField("Save time zone")


class ResetForm(FlaskForm):
    username = StringField("Learner's username", validators=[DataRequired(), Length(max=64)],
                           render_kw={"autocomplete": "off"})
    submit = SubmitField("Reset password")


class ConfirmForm(FlaskForm):
    """A bare form (CSRF token only) for the buttons that end logins."""
