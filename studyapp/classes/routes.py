"""Class pages: an instructor's classes (list, create, edit, join code and link, members) and joining one.

An instructor sees and manages only their own classes: another instructor's class answers 404.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..auth.decorators import instructor_required
from ..clock import now as clock_now
from ..domain import examplan as domain_examplan
from ..domain.days import zone
from ..extensions import db
from ..models import Class, Deck, User
from ..services import classes as class_service
from ..services import exam_forecast, examplan, quiz_results
from .blueprint import bp
from .forms import ActionForm, ClassForm, JoinForm

bp.add_app_template_global(exam_forecast.exam_forecast_for_template, "exam_forecast")


def _own_or_404(class_id: int) -> Class:
    klass = class_service.class_for_instructor(db.session, current_user, class_id)
    if klass is None:
        abort(404)
    return klass


def _deck_choices(form: ClassForm) -> None:
    form.decks.choices = [(d.id, d.name + (" (draft)" if d.is_draft else ""))
                          for d in db.session.scalars(select(Deck).order_by(Deck.name, Deck.id))]


def _input(form: ClassForm) -> class_service.ClassInput:
    exam_at = class_service.exam_datetime(form.exam_date.data, form.exam_time.data, current_user.timezone)
    return class_service.ClassInput(name=form.name.data.strip(), deck_ids=tuple(form.decks.data or ()),
                                    exam_at=exam_at, daily_minutes=form.daily_minutes.data)


@bp.route("/")
@login_required
def index():
    if current_user.is_instructor:
        return render_template("classes/index.html",
                               classes=class_service.classes_of_instructor(db.session, current_user))
    return render_template("classes/mine.html", classes=class_service.classes_of_learner(db.session, current_user),
                           form=JoinForm())


@bp.route("/new", methods=["GET", "POST"])
@instructor_required
def new():
    form = ClassForm()
    _deck_choices(form)
    if form.validate_on_submit():
        try:
            klass = class_service.create_class(db.session, current_user, _input(form), clock_now())
        except class_service.ClassError as exc:
            form.name.errors = list(form.name.errors) + [str(exc)]
        else:
            class_id, code = klass.id, klass.join_code
            flash(f"Class created. Its join code is {code}.", "success")
            return redirect(url_for(".show", class_id=class_id))
    return render_template("classes/form.html", form=form, klass=None), 400 if form.errors else 200


@bp.route("/<int:class_id>")
@instructor_required
def show(class_id: int):
    klass = _own_or_404(class_id)
    members = class_service.members_with_users(db.session, klass.id)
    columns, forecast = exam_forecast.class_forecast(db.session, klass, clock_now())
    section_means = {c.key: round(100 * sum(r.sections.get(c.key, 0.0) for r in forecast) / len(forecast))
                     for c in columns} if forecast else {}
    # percentages formatted here once: a class of 500 is 5,000 cells
    grid = [(r.username, round(100 * r.exam), [round(100 * r.sections.get(c.key, 0.0)) for c in columns])
            for r in forecast]
    class_mean = round(100 * sum(r.exam for r in forecast) / len(forecast)) if forecast else None
    calibration = exam_forecast.review_calibration(db.session, [u.id for _, u in members], domain_examplan.fsrs_model())
    return render_template("classes/show.html", klass=klass, members=members, action=ActionForm(),
                           link=url_for(".join_link", code=klass.join_code, _external=True),
                           tz=current_user.timezone, columns=columns, forecast=forecast, section_means=section_means,
                           grid=grid, class_mean=class_mean,
                           at_risk=[r for r in forecast if r.exam < exam_forecast.AT_RISK],
                           risk_line=exam_forecast.AT_RISK,
                           calibration=calibration, quizzes=quiz_results.class_quizzes(db.session, klass.id))


@bp.route("/<int:class_id>/edit", methods=["GET", "POST"])
@instructor_required
def edit(class_id: int):
    klass = _own_or_404(class_id)
    form = ClassForm(obj=None if request.method == "POST" else klass)
    _deck_choices(form)
    if request.method == "GET":
        form.decks.data = [d.id for d in klass.decks]
        if klass.exam_at is not None:
            local = klass.exam_at.astimezone(zone(current_user.timezone))
            form.exam_date.data, form.exam_time.data = local.date(), local.time().replace(second=0, microsecond=0)
    if form.validate_on_submit():
        try:
            class_service.update_class(db.session, klass, _input(form))
        except class_service.ClassError as exc:
            form.name.errors = list(form.name.errors) + [str(exc)]
        else:
            flash("Class saved.", "success")
            return redirect(url_for(".show", class_id=class_id))
    return render_template("classes/form.html", form=form, klass=klass), 400 if form.errors else 200


@bp.route("/<int:class_id>/code", methods=["POST"])
@instructor_required
def new_code(class_id: int):
    klass = _own_or_404(class_id)
    if not ActionForm().validate_on_submit():
        flash("That request could not be read; please try again.", "error")
        return redirect(url_for(".show", class_id=class_id))
    code = class_service.new_code(db.session, klass)
    flash(f"New join code: {code}. The old code and link no longer work.", "success")
    return redirect(url_for(".show", class_id=class_id))


@bp.route("/<int:class_id>/members/<int:user_id>/remove", methods=["POST"])
@instructor_required
def remove_member(class_id: int, user_id: int):
    klass = _own_or_404(class_id)
    if not ActionForm().validate_on_submit():
        flash("That request could not be read; please try again.", "error")
    elif class_service.remove_member(db.session, klass, user_id):
        flash("Learner removed from the class.", "success")
    else:
        flash("That learner is not in this class.", "info")
    return redirect(url_for(".show", class_id=class_id))


@bp.route("/<int:class_id>/delete", methods=["GET", "POST"])
@instructor_required
def delete(class_id: int):
    """Delete a class after a confirmation page: its members leave it (their cards and answers stay), its published
    quizzes are unpublished. The default class, where new learners go, stays."""
    klass = _own_or_404(class_id)
    if klass.is_default:
        flash("The default class cannot be deleted: every new learner joins it.", "error")
        return redirect(url_for(".show", class_id=class_id))
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            flash("That request could not be read; please try again.", "error")
            return redirect(url_for(".delete", class_id=class_id))
        name = klass.name
        unpublished = class_service.delete_class(db.session, klass)
        quizzes = f" {unpublished} published quiz{'zes' if unpublished != 1 else ''} unpublished." if unpublished else ""
        flash(f"Class {name} deleted; its learners keep their cards and answers.{quizzes}", "success")
        return redirect(url_for(".index"))
    members = len(class_service.member_ids(db.session, klass.id))
    return render_template("classes/delete.html", klass=klass, members=members, action=form)


def _joined(klass_name: str, joined: bool):
    if joined:
        flash(f"You joined {klass_name}.", "success")
    else:
        flash(f"You are already in {klass_name}.", "info")
    return redirect(url_for("study.index"))


@bp.route("/join", methods=["GET", "POST"])
@login_required
def join():
    form = JoinForm()
    if form.validate_on_submit():
        try:
            klass, joined = class_service.join(db.session, current_user, form.code.data, clock_now())
        except class_service.ClassError as exc:
            form.code.errors = list(form.code.errors) + [str(exc)]
        else:
            return _joined(klass.name, joined)
    return render_template("classes/join.html", form=form, klass=None), 400 if form.errors else 200


@bp.route("/join/<code>", methods=["GET", "POST"])
@login_required
def join_link(code: str):
    klass = class_service.find_by_code(db.session, code)
    if klass is None:
        flash("That join link is not valid (the code may have been changed). Type the code you were given.", "error")
        return redirect(url_for(".join"))
    form = JoinForm(data={"code": klass.join_code})
    if request.method == "POST" and form.validate_on_submit():
        klass, joined = class_service.join(db.session, current_user, klass.join_code, clock_now())
        return _joined(klass.name, joined)
    teacher = db.session.get(User, klass.instructor_id) if klass.instructor_id else None
    return render_template("classes/join.html", form=form, klass=klass, teacher=teacher)


@bp.route("/study-ahead/<int:deck_id>", methods=["POST"])
@login_required
def study_ahead(deck_id: int):
    """Custom study once the day is done: the next days' reviews of this deck, brought forward to today."""
    from ..domain.days import day_bounds
    from ..services.decks import visible_to

    deck = db.session.get(Deck, deck_id)
    if deck is None or not visible_to(current_user, deck):
        abort(404)
    if not ActionForm().validate_on_submit():
        flash("That request could not be read; please try again.", "error")
        return redirect(url_for("study.index"))
    now = clock_now()
    _start, end = day_bounds(now, current_user.timezone, current_app.config["DAY_ROLLOVER_HOUR"])
    moved = examplan.study_ahead(db.session, current_user, deck.id, now, end)
    if moved:
        flash(f"Studying ahead: {moved} card{'s' if moved != 1 else ''} due in the next {examplan.AHEAD_DAYS} days "
              "brought forward to today. Reviewed early, they grow a little less than on their day.", "info")
        return redirect(url_for("study.session", deck_id=deck.id))
    flash(f"Nothing to study ahead: no reviews are due in the next {examplan.AHEAD_DAYS} days.", "info")
    return redirect(url_for("study.index"))

from . import ahead  # noqa: E402,F401  (more new cards today: routes on this blueprint)
