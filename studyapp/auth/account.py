"""The account page: change password, change time zone, see and end logins; instructors reset a learner's
password (a temporary one, to be changed at the next login)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..models import UserSession, utcnow
from ..services import sessions, users
from . import logins
from .blueprint import bp, home_for, safe_next
from .decorators import instructor_required
from .forms import ConfirmForm, PasswordForm, ResetForm, TimezoneForm, timezone_choices

# While a reset password waits to be changed, only these pages open.
OPEN_WHILE_RESET = {"auth.password", "auth.logout", "auth.login", "static"}


@bp.before_app_request
def _changed_password_first():
    if request.endpoint in OPEN_WHILE_RESET or request.endpoint is None:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        flash("Your password was reset. Choose a new one to continue.", "info")
        return redirect(url_for("auth.password"))
    return None


def _page(password_form=None, timezone_form=None, status=200):
    now = utcnow()
    this = logins.current_login()
    rows = sessions.of_user(db.session, current_user.id, now)
    listed = [{"id": row.id, "device": sessions.describe_agent(row.user_agent), "agent": row.user_agent,
               "started": row.created_at, "last_seen": row.last_seen_at, "remembered": row.remembered,
               "this": this is not None and row.id == this.id} for row in rows]
    timezone_form = timezone_form or TimezoneForm(formdata=None, timezone=current_user.timezone)
    return render_template("account/index.html", password_form=password_form or PasswordForm(formdata=None),
                           timezone_form=timezone_form, zones=timezone_choices(), logins=listed,
                           confirm=ConfirmForm()), status


@bp.route("/account")
@login_required
def account():
    return _page()


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    forced = current_user.must_change_password
    if form.validate_on_submit():
        try:
            ended = users.change_password(db.session, current_user, form.current.data, form.new.data,
                                          keep=logins.current_login())
        except users.PasswordRefused as exc:
            target = form.current if "current password" in str(exc) else form.new
            target.errors.append(str(exc))
        else:
            logins.renew_login(current_user)
            others = f" {ended} other login{'s' if ended != 1 else ''} ended." if ended else ""
            flash(f"Your password was changed.{others}", "success")
            return redirect(safe_next(request.args.get("next")) or (home_for(current_user) if forced
                                                                     else url_for("auth.account")))
    if forced:
        return render_template("account/password.html", form=form), 200
    if request.method == "POST":
        return _page(password_form=form)
    return redirect(url_for("auth.account"))


@bp.route("/account/timezone", methods=["POST"])
@login_required
def timezone():
    form = TimezoneForm()
    if form.validate_on_submit():
        users.set_timezone(db.session, current_user, form.timezone.data)
        flash(f"Your time zone is now {form.timezone.data}.", "success")
        return redirect(url_for("auth.account"))
    return _page(timezone_form=form)


@bp.route("/account/logins/<int:login_id>/end", methods=["POST"])
@login_required
def end_login(login_id: int):
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    row = db.session.get(UserSession, login_id) if login_id < 2**62 else None
    if row is None or row.user_id != current_user.id:
        flash("That login had already ended.", "info")
        return redirect(url_for("auth.account"))
    this = logins.current_login()
    if this is not None and row.id == this.id:
        logins.end_login()
        flash("You are logged out.", "info")
        return redirect(url_for("auth.login"))
    sessions.end(db.session, row)
    flash("That login has ended: the device must log in again.", "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/logins/end-all", methods=["POST"])
@login_required
def end_all_logins():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    user_id = current_user.id
    logins.end_login()
    sessions.end_all(db.session, user_id)
    flash("You are logged out everywhere, on this device too.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/reset-password", methods=["GET", "POST"])
@instructor_required
def reset_password():
    form = ResetForm()
    temporary = None
    learner = None
    if form.validate_on_submit():
        learner = users.find_user(db.session, form.username.data)
        if learner is None:
            form.username.errors.append("No account has that username.")
        elif learner.is_instructor:
            form.username.errors.append("Only learners' passwords can be reset here; an instructor uses "
                                        "`flask reset-password` on the server.")
        else:
            temporary = users.reset_password(db.session, learner)
    return render_template("account/reset.html", form=form, temporary=temporary, learner=learner)
