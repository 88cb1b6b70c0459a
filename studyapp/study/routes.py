"""The learner's study session: deck list, one card at a time, answer, undo, study guides."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..clock import now as clock_now
from ..domain import cardtext, scheduler
from ..domain.notes import CardType
from ..extensions import db
from ..models import Card, Deck, Section
from ..services import fitting, study
from ..services.decks import learner_visible, visible_to
from .forms import AnswerForm, UndoForm

bp = Blueprint("study", __name__, url_prefix="/study")


def _deck_or_404(deck_id: int) -> Deck:
    deck = db.session.get(Deck, deck_id)
    if deck is None or not visible_to(current_user, deck):  # a draft: instructors only
        abort(404)
    return deck


def render_front(card: Card) -> str:
    if card.type == CardType.CLOZE:
        return cardtext.render_cloze(card.prompt, card.cloze_ord or 1, reveal=False)
    return cardtext.render_markdown(card.prompt)


def render_back(card: Card) -> str:
    if card.type == CardType.CLOZE:
        return cardtext.render_cloze(card.prompt, card.cloze_ord or 1, reveal=True)
    return cardtext.render_markdown(card.answer)


def _rollover_hour() -> int:
    return current_app.config["DAY_ROLLOVER_HOUR"]


@bp.route("/")
@login_required
def index():
    now = clock_now()
    decks = db.session.scalars(learner_visible(select(Deck), current_user).order_by(Deck.name)).all()
    rows = [(deck, study.deck_counts(db.session, current_user, deck, now, _rollover_hour()))
            for deck in decks]
    return render_template("study/index.html", rows=rows)


@bp.route("/<int:deck_id>")
@login_required
def session(deck_id: int):
    deck = _deck_or_404(deck_id)
    now = clock_now()
    showing = study.next_showing(db.session, current_user, deck, now, _rollover_hour())
    if showing is None:
        summary = study.day_summary(db.session, current_user, deck, now, _rollover_hour())
        return render_template("study/done.html", deck=deck, summary=summary, undo_form=UndoForm(),
                               tz=current_user.timezone)
    counts = study.deck_counts(db.session, current_user, deck, now, _rollover_hour())
    outcomes = _outcomes(showing, deck, now)
    revealed = request.args.get("reveal", type=int) == showing.card.id
    form = AnswerForm(card_id=showing.card.id, version=showing.version, shown_at=now.isoformat())
    return render_template(
        "study/card.html", deck=deck, showing=showing, card=showing.card, front=render_front(showing.card),
        back=render_back(showing.card), explanation=cardtext.render_markdown(showing.card.explanation),
        outcomes=outcomes, revealed=revealed, form=form, undo_form=UndoForm(), counts=counts,
        done=counts.done, progress=round(100 * counts.done / (counts.done + max(counts.total, 1))),
    )


def _settings(deck: Deck):
    if "fsrs_parameters" not in g:  # once per request: an answer needs them twice
        g.fsrs_parameters = fitting.parameters_for(db.session, current_user)
    return study.settings_for(deck, g.fsrs_parameters)


def _outcomes(showing: study.Showing, deck: Deck, now: datetime):
    memory = showing.memory
    seed = study.fuzz_seed(current_user.id, showing.card.id, memory.reps if memory else 0,
                           current_app.config["SCHEDULER_FUZZ"])
    return scheduler.next_states(memory, now, _settings(deck), seed)


def _card_json(showing: study.Showing | None, deck: Deck, now: datetime) -> dict | None:
    """The next card for API clients: what the study page shows, as data."""
    if showing is None:
        return None
    card = showing.card
    return {
        "card_id": card.id, "key": card.key, "version": showing.version, "queue": showing.queue,
        "front": render_front(card), "back": render_back(card),
        "explanation": cardtext.render_markdown(card.explanation), "shown_at": now.isoformat(),
        "intervals": {rating.label.lower(): outcome.label for rating, outcome in _outcomes(showing, deck, now).items()},
    }


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/<int:deck_id>/answer", methods=["POST"])
@login_required
def answer(deck_id: int):
    """Record one answer. HTML forms get a redirect to the next card; `Accept: application/json`
    clients get 201 with the review id once it is committed and the next card (or null), 409 for a
    repeat, 400 for a bad form."""
    deck = _deck_or_404(deck_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        if _wants_json():
            return jsonify(status="invalid", errors=form.errors), 400
        flash("That answer could not be read; please answer the card again.", "error")
        return redirect(url_for(".session", deck_id=deck.id))
    card = db.session.get(Card, form.card_id.data)
    if card is None or card.deck_id != deck.id:
        abort(404)
    now = clock_now()
    try:
        log = study.record_answer(
            db.session, current_user, card, form.rating.data, form.version.data, now,
            settings=_settings(deck), duration_ms=_duration_ms(form.shown_at.data, now),
            fuzz=current_app.config["SCHEDULER_FUZZ"],
        )
    except study.StaleAnswer:
        db.session.rollback()
        if _wants_json():
            return jsonify(status="duplicate"), 409
        flash("That card was already answered (a second click, the back button or another tab). "
              "Your first answer is the one kept.", "info")
    else:
        if _wants_json():
            # Answer this card and get the next one in one round trip.
            upcoming = _card_json(study.next_showing(db.session, current_user, deck, now, _rollover_hour()),
                                  deck, now)
            return jsonify(status="saved", review_id=log.id, card_id=card.id, version=form.version.data + 1,
                           next=upcoming), 201
    return redirect(url_for(".session", deck_id=deck.id))


def _duration_ms(shown_at: str, now: datetime) -> int | None:
    try:
        shown = datetime.fromisoformat(shown_at)
    except ValueError:
        return None
    if shown.tzinfo is None:
        shown = shown.replace(tzinfo=timezone.utc)
    return int((now - shown).total_seconds() * 1000)


@bp.route("/<int:deck_id>/undo", methods=["POST"])
@login_required
def undo(deck_id: int):
    deck = _deck_or_404(deck_id)
    if not UndoForm().validate_on_submit():
        abort(400)
    log = study.undo_last(db.session, current_user, deck)
    if log is None:
        flash("Nothing to undo.", "info")
    else:
        flash("Last answer undone.", "success")
    return redirect(url_for(".session", deck_id=deck.id))


@bp.route("/<int:deck_id>/guide")
@login_required
def guide(deck_id: int):
    deck = _deck_or_404(deck_id)
    sections = [(s, cardtext.render_markdown(s.guide)) for s in deck.sections]
    return render_template("study/guide.html", deck=deck, sections=sections)


@bp.route("/<int:deck_id>/guide/<slug>")
@login_required
def section_guide(deck_id: int, slug: str):
    deck = _deck_or_404(deck_id)
    section = db.session.scalar(select(Section).where(Section.deck_id == deck.id, Section.slug == slug))
    if section is None:
        abort(404)
    return redirect(url_for(".guide", deck_id=deck.id, _anchor=f"section-{section.slug}"))
