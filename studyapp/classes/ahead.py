"""Custom study, more new cards today: a form to take N more new cards of a deck today (services/study_ahead.py).

Routes on the classes blueprint beside "Study ahead" (the next days' reviews, classes/routes.py). No script
needed: a plain form, posted and redirected to the study session.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import IntegerField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from ..clock import now as clock_now
from ..domain.days import day_bounds
from ..extensions import db
from ..models import Deck
from ..services import examplan, study, study_ahead
from ..services.decks import visible_to
from .blueprint import bp


class MoreNewForm(FlaskForm):
    count = IntegerField("Extra new cards today", default=10, validators=[
        InputRequired(message="Type how many new cards to add."),
        NumberRange(min=1, max=study_ahead.MAX_PER_REQUEST,
                    message=f"From 1 to {study_ahead.MAX_PER_REQUEST} cards.")])
    submit = SubmitField("Add to today's new cards")


def _day_start(now):
    return day_bounds(now, current_user.timezone, current_app.config["DAY_ROLLOVER_HOUR"])[0]


def extra_new_today(deck_id: int) -> int:
    """For the study pages: the extra new cards the learner took today in this deck (0 without a grant, and no
    query for a learner without a recent one)."""
    if not current_user.is_authenticated:
        return 0
    now = clock_now()
    return study_ahead.extra_today(db.session, current_user.id, deck_id, _day_start(now), now)


bp.add_app_template_global(extra_new_today, "extra_new_today")


def _budget(deck_id: int, now, start, adding: int) -> dict | None:
    """The learner's class study budget today, when one applies to this deck: minutes budgeted, studied, and
    about how many the cards being added take."""
    policy = examplan.exam_policy(db.session, current_user.id, deck_id, now)
    if policy is None or policy.daily_minutes is None:
        return None
    spent, per_card = examplan.seconds_today(db.session, current_user.id, start)
    return {"minutes": policy.daily_minutes, "studied": round(spent / 60), "class_name": policy.class_name,
            "adding": round(adding * per_card / 60)}


def _minutes(n: int) -> str:
    return f"{n} minute{'s' if n != 1 else ''}"


@bp.route("/more-new/<int:deck_id>", methods=["GET", "POST"])
@login_required
def more_new(deck_id: int):
    """Take N more new cards of this deck today (custom study): today's new-card limit is raised by N."""
    deck = db.session.get(Deck, deck_id)
    if deck is None or not visible_to(current_user, deck):
        abort(404)
    now = clock_now()
    start = _day_start(now)
    rollover = current_app.config["DAY_ROLLOVER_HOUR"]
    _picked, counts, queue = study.queue(db.session, current_user.id, current_user.timezone, deck, now, rollover)
    form = MoreNewForm()
    extra = study_ahead.extra_today(db.session, current_user.id, deck.id, start, now)
    if form.validate_on_submit():
        try:
            grant = study_ahead.add_new_cards(db.session, current_user.id, deck.id, form.count.data, start=start,
                                              now=now, new_done=queue.new_done, new_left=counts.new,
                                              unseen=queue.new)
        except study_ahead.AheadError as exc:
            flash(str(exc), "error")
            return redirect(url_for(".more_new", deck_id=deck.id))
        session[study_ahead.HINT_KEY] = int((now + study_ahead.RECENT).timestamp())  # the next page may be
        # served by another worker, whose list of learners with a grant is up to a minute old
        cut = "" if grant.added == form.count.data else f" (of the {form.count.data} asked: no more unseen cards)"
        total = "" if grant.extra_today == grant.added else f"; {grant.extra_today} extra new cards today in all"
        flash(f"{grant.added} extra new card{'s' if grant.added != 1 else ''} added to today in {deck.name}"
              f"{cut}{total}.", "success")
        budget = _budget(deck.id, now, start, counts.new + grant.added)
        if budget and budget["studied"] + budget["adding"] > budget["minutes"]:
            flash(f"This goes past the daily study budget of {budget['class_name']} ({_minutes(budget['minutes'])}): "
                  f"{_minutes(budget['studied'])} studied today, and today's new cards take about "
                  f"{_minutes(budget['adding'])} more. They also add reviews in the next days.", "info")
        return redirect(url_for("study.session", deck_id=deck.id))
    room = max(0, min(study_ahead.MAX_PER_DAY - extra, queue.new - counts.new))
    return render_template("study/ahead_new.html", deck=deck, form=form, counts=counts, unseen=queue.new,
                           extra=extra, room=room, max_per_day=study_ahead.MAX_PER_DAY,
                           per_request=study_ahead.MAX_PER_REQUEST,
                           budget=_budget(deck.id, now, start, counts.new)), (400 if form.errors else 200)
