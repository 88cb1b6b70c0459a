"""The learner's own progress: the review page, one page per card, suspending and unsuspending cards.

Every query is for `current_user`: a learner never sees anyone else's answers, whatever the URL.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from markupsafe import escape

from ..clock import now as clock_now
from ..domain import cardtext
from ..domain.notes import CardType
from ..extensions import db
from ..models import Card
from ..services import progress
from ..services.progress_card import card_history
from . import charts
from .forms import SuspendForm

bp = Blueprint("progress", __name__)
# The services hand the pages numbers; the templates draw them (also the class pages' learner report).
for _chart in (charts.heatmap_svg, charts.bar_chart_svg, charts.line_chart_svg):
    bp.add_app_template_global(_chart)


def render_front(card: Card) -> str:
    """The card's question as sanitised HTML (a cloze shows its gap, not the answer), after its context
    line when it has one ("The Halifax Explosion of 1917: How many people did the blast kill?")."""
    if card.type == CardType.CLOZE:
        front = cardtext.render_cloze(card.prompt, card.cloze_ord or 1, reveal=False)
    else:
        front = cardtext.render_markdown(card.prompt)
    return f'<span class="front-context">{escape(card.context)}:</span> {front}' if card.context else front


def report_context(user, now) -> dict:
    report = progress.report(db.session, user, now, current_app.config["DAY_ROLLOVER_HOUR"])
    cards = [card for _, card in report.cards.weakest] + [card for _, card in report.cards.suspended_cards]
    return {"report": report, "fronts": {card.id: render_front(card) for card in cards}, "tz": user.timezone}


@bp.route("/progress")
@login_required
def index():
    return render_template("progress/index.html", readonly=False, **report_context(current_user, clock_now()))


@bp.route("/progress/card/<int:card_id>")
@login_required
def card(card_id: int):
    card = db.session.get(Card, card_id)
    if card is None:
        abort(404)
    history = card_history(db.session, current_user, card, clock_now())
    return render_template("progress/card.html", history=history, card=card, front=render_front(card),
                           answer=_render_back(card), form=SuspendForm(back="card"), tz=current_user.timezone)


def _render_back(card: Card) -> str:
    if card.type == CardType.CLOZE:
        return cardtext.render_cloze(card.prompt, card.cloze_ord or 1, reveal=True)
    return cardtext.render_markdown(card.answer)


def _set(card_id: int, suspended: bool):
    form = SuspendForm()
    if not form.validate_on_submit():
        flash("That request could not be read; please try again.", "error")
        return redirect(url_for(".index"))
    if db.session.get(Card, card_id) is None:
        abort(404)
    if progress.set_suspended(db.session, current_user, card_id, suspended):
        flash("Card suspended: it will not be shown until you unsuspend it." if suspended
              else "Card unsuspended: it is back in your reviews.", "success")
    else:
        db.session.rollback()
        flash("You have not studied that card yet, so there is nothing to suspend.", "info")
    if form.back.data == "card":
        return redirect(url_for(".card", card_id=card_id))
    return redirect(url_for(".index", _anchor="weakest"))


@bp.route("/progress/suspend/<int:card_id>", methods=["POST"])
@login_required
def suspend(card_id: int):
    return _set(card_id, True)


@bp.route("/progress/unsuspend/<int:card_id>", methods=["POST"])
@login_required
def unsuspend(card_id: int):
    return _set(card_id, False)
