"""Log in, log out, register. The account page (password, time zone, logins) is in account.py, same blueprint."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..models import utcnow
from ..services import throttle, users
from . import logins
from .blueprint import bp, home_for, safe_next
from .forms import LoginForm, RegisterForm, timezone_choices

LOGIN_FAILED = "Unknown username or wrong password."


def _in_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{(seconds + 59) // 60} minutes"


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        now, address = utcnow(), logins.client_address()
        policy = logins.throttle_policy()
        if logins.limits_on():
            wait = throttle.login_wait(db.session, form.username.data, address, now, policy)
            if wait:
                # Even the right password waits: no guessing through the limit. Nothing is recorded.
                message = (f"Too many login attempts for this account or network; wait {_in_words(wait)} "
                           "and try again.")
                return render_template("auth/login.html", form=form, refused=message), 429, {"Retry-After": str(wait)}
        user = users.authenticate(db.session, form.username.data, form.password.data)
        if user is None:
            if logins.limits_on():
                throttle.record_login_failure(db.session, form.username.data, address, now, policy)
            flash(LOGIN_FAILED, "error")
            return render_template("auth/login.html", form=form), 200
        throttle.clear_login_failures(db.session, form.username.data)
        logins.start_login(user, remember=form.remember.data)
        target = safe_next(request.args.get("next"))
        if user.must_change_password:
            flash("Your password was reset. Choose a new one to continue.", "info")
            return redirect(url_for("auth.password", next=target))
        return redirect(target or home_for(user))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout():
    # GET asks for confirmation: a log-out link in a third-party page must not log anyone out.
    if request.method == "GET":
        return render_template("auth/logout.html")
    logins.end_login()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = RegisterForm()
    if form.validate_on_submit():
        now, address = utcnow(), logins.client_address()
        if logins.limits_on() and throttle.register_refused(db.session, address, now, logins.throttle_policy()):
            message = "Too many accounts were made from this network in the last hour; try again later or ask your instructor."
            return render_template("auth/register.html", form=form, zones=timezone_choices(), refused=message), 429, {"Retry-After": "3600"}
        try:
            user = users.create_user(db.session, form.username.data, form.password.data, "learner", now,
                                     timezone=form.timezone.data)
        except users.UserExists:
            if logins.limits_on():
                throttle.record(db.session, "taken", address, now)
            form.username.errors.append("That username is taken; choose another.")
        else:
            if logins.limits_on():
                throttle.record(db.session, "register", address, now)
            logins.start_login(user, remember=False)
            flash(f"Welcome, {user.username}! Your account is ready.", "success")
            return redirect(url_for("study.index"))
    return render_template("auth/register.html", form=form, zones=timezone_choices())


from . import account  # noqa: E402,F401  (the account pages join this blueprint)
