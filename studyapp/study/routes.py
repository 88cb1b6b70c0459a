"""The learner's study session: deck list, one card at a time, answer, undo, study guides."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask import session as cookie_session
from flask_login import current_user, login_required
from sqlalchemy import select

from ..clock import now as clock_now
from ..db_setup import begin_write, reads_outside_transaction, writes_later
from ..domain import cardtext, scheduler
from ..domain.notes import CardType
from ..extensions import db
from ..models import Deck, Section
from ..services import examplan, fitting, study, study_ahead
from ..services.decks import learner_visible, visible_to
from .forms import UndoForm

bp = Blueprint("study", __name__, url_prefix="/study")
MAX_INT = 2**31 - 1  # the largest id or version a column holds on both databases (PostgreSQL INTEGER)


@bp.before_request
def _extra_new_hint() -> None:
    """A learner who took extra new cards today, perhaps through another worker: this process counts them at
    once (services/study_ahead.py). A dictionary lookup for everyone else."""
    until = cookie_session.get(study_ahead.HINT_KEY)
    if until and until > clock_now().timestamp() and current_user.is_authenticated:
        study_ahead.remember_extra(db.session, current_user.id)


def _deck_or_404(deck_id: int) -> Deck:
    deck = db.session.get(Deck, deck_id)
    if deck is None or not visible_to(current_user, deck):  # a draft: instructors only
        abort(404)
    return deck


def render_front(card) -> str:
    if card.type == CardType.CLOZE:
        return cardtext.render_cloze(card.prompt, card.cloze_ord or 1, reveal=False)
    return cardtext.render_markdown(card.prompt)


def render_back(card) -> str:
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
    picked, counts, queue = study.queue(db.session, current_user.id, current_user.timezone, deck, now, _rollover_hour())
    if picked is None:
        summary = study.day_summary(db.session, current_user, deck, now, _rollover_hour())
        return render_template("study/done.html", deck=deck, summary=summary, tz=current_user.timezone,
                               last_review_id=queue.last_review_id)
    card = study.load_card(db.session, current_user.id, picked)
    settings = study.settings_for(deck, fitting.parameters_of_fit(db.session, queue.fit_id))
    revealed = request.args.get("reveal", type=int) == card.id
    return render_template(
        "study/card.html", deck=deck, card=card, front=render_front(card), back=render_back(card),
        explanation=cardtext.render_markdown(card.explanation), outcomes=_outcomes(card, deck.id, settings, now, current_user.id),
        revealed=revealed, shown_at=now.isoformat(), counts=counts, last_review_id=queue.last_review_id,
        progress=_progress(counts),
    )


def _progress(counts: study.DeckCounts) -> int:
    return round(100 * counts.done / (counts.done + max(counts.total, 1)))


def _outcomes(card: study.NextCard, deck_id: int, settings: scheduler.Settings, now: datetime, user_id: int):
    """The four buttons' outcomes; for a learner with a class exam ahead, with the exam plan's due dates."""
    memory = card.memory
    seed = study.fuzz_seed(user_id, card.id, memory.reps if memory else 0,
                           current_app.config["SCHEDULER_FUZZ"])
    outcomes = scheduler.next_states(memory, now, settings, seed)
    return examplan.planned_outcomes(db.session, user_id, deck_id, outcomes, now, settings.parameters)


def _card_json(card: study.NextCard, deck_id: int, settings: scheduler.Settings, now: datetime, user_id: int) -> dict:
    """The next card as data: everything the study page shows of it."""
    section = card.section
    here = url_for(".session", deck_id=deck_id)  # built once: the card's reveal link is this page with ?reveal=
    return {
        "card_id": card.id, "key": card.key, "version": card.version, "queue": card.queue, "kind": card.kind,
        "type": card.type, "context": card.context or "", "front": render_front(card), "back": render_back(card),
        "explanation": cardtext.render_markdown(card.explanation), "shown_at": now.isoformat(),
        "section": {"title": section.title, "url": url_for(".section_guide", deck_id=deck_id, slug=section.slug)}
        if section else None,
        "reveal_url": f"{here}?reveal={card.id}",
        "intervals": {rating.label.lower(): outcome.label for rating, outcome in _outcomes(card, deck_id, settings, now, user_id).items()},
    }


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _read_answer() -> tuple[dict, dict]:
    """card_id, version, rating, shown_at from a JSON body (the page's script) or the form (no script)."""
    data = request.get_json(silent=True) if request.is_json else request.form
    if not isinstance(data, dict) and not hasattr(data, "getlist"):
        return {}, {"body": ["Send a JSON object or the study form."]}
    values, errors = {}, {}
    for name, low, high in (("card_id", 1, MAX_INT), ("version", 0, MAX_INT), ("rating", 1, 4)):
        try:
            value = int(data.get(name))
        except (TypeError, ValueError, OverflowError):
            errors[name] = ["This field is required and must be a whole number."]
            continue
        if not low <= value <= high:
            errors[name] = [f"Must be between {low} and {high}."]
        values[name] = value
    shown_at = data.get("shown_at")
    if not isinstance(shown_at, str) or not shown_at:
        errors["shown_at"] = ["This field is required."]
    values["shown_at"] = shown_at if isinstance(shown_at, str) else ""
    return values, errors


@bp.route("/<int:deck_id>/answer", methods=["POST"])
@reads_outside_transaction  # its write is a compare-and-set on the version read, after begin_write()
@writes_later
@login_required
def answer(deck_id: int):
    """Record one answer and hand back the next card. The study page's script sends JSON (with the CSRF
    token in the X-CSRFToken header) and gets 201 with the review id, the next card (or null) and today's
    counts once the answer is committed: one round trip per card. Without JavaScript the form is posted
    and redirected to the next card. 409 for a repeat or a retired card, 404 for a card not in the deck,
    400 for a bad answer; nothing is written for any of them."""
    as_json = _wants_json()
    values, errors = _read_answer()
    if errors:
        if as_json:
            return jsonify(status="invalid", errors=errors), 400
        flash("That answer could not be read; please answer the card again.", "error")
        return redirect(url_for(".session", deck_id=deck_id))
    user_id, tz_name, instructor = current_user.id, current_user.timezone, current_user.is_instructor
    now = clock_now()
    try:
        planned = study.plan_answer(
            db.session, user_id, tz_name, deck_id, values["card_id"], values["rating"], values["version"], now,
            may_see_drafts=instructor, rollover_hour=_rollover_hour(), fuzz=current_app.config["SCHEDULER_FUZZ"],
            duration_ms=_duration_ms(values["shown_at"], now), want_next=as_json)
        # The next card (its text, its four intervals) is rendered before the write transaction begins: SQLite's
        # write lock is held for the UPDATE and the INSERT and the commit, not for this.
        upcoming = _card_json(planned.next, deck_id, planned.settings, now, user_id) if planned.next else None
        begin_write()
        result = study.store_answer(db.session, planned)
    except study.NotStudyable:
        db.session.rollback()
        if as_json:
            return jsonify(status="not_found", message="That card is not in a deck you can study."), 404
        abort(404)
    except (study.StaleAnswer, study.CardRetired) as exc:
        db.session.rollback()
        message = str(exc) if isinstance(exc, study.CardRetired) else (
            "That card was already answered (a second click, the back button or another tab). "
            "Your first answer is the one kept.")
        flash(message, "info")
        if as_json:
            status = "retired" if isinstance(exc, study.CardRetired) else "duplicate"
            return jsonify(status=status, message=message, reload=url_for(".session", deck_id=deck_id)), 409
        return redirect(url_for(".session", deck_id=deck_id))
    if not as_json:
        return redirect(url_for(".session", deck_id=deck_id))
    counts = result.counts
    return jsonify(
        status="saved", review_id=result.review_id, card_id=values["card_id"], version=result.version,
        counts={"new": counts.new, "learning": counts.learning, "review": counts.review, "done": counts.done,
                "progress": _progress(counts)},
        next=upcoming,
        done_url=url_for(".session", deck_id=deck_id),
    ), 201


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
    """Take back the answer the form names (its review id): a second submission of the same form finds
    it gone and takes back nothing more."""
    deck = _deck_or_404(deck_id)
    if not UndoForm().validate_on_submit():
        abort(400, "That undo could not be read; reload the page and try again.")
    log = study.undo_review(db.session, current_user, deck, UndoForm().review_id.data)
    if log is None:
        flash("Nothing to undo: that answer was already taken back, or the card was answered again since.", "info")
    else:
        flash("Last answer undone.", "success")
    return redirect(url_for(".session", deck_id=deck.id))


@bp.route("/<int:deck_id>/guide")
@login_required
def guide(deck_id: int):
    deck = _deck_or_404(deck_id)
    # The guide's source text is wrapped at ~110 characters: its line breaks are not the author's (folded).
    sections = [(s, cardtext.render_markdown(s.guide, breaks=False)) for s in deck.sections]
    return render_template("study/guide.html", deck=deck, sections=sections)


@bp.route("/<int:deck_id>/guide/<slug>")
@login_required
def section_guide(deck_id: int, slug: str):
    deck = _deck_or_404(deck_id)
    section = db.session.scalar(select(Section).where(Section.deck_id == deck.id, Section.slug == slug))
    if section is None:
        abort(404)
    return redirect(url_for(".guide", deck_id=deck.id, _anchor=f"section-{section.slug}"))
