"""Instructor area, cards: add, edit (with a live preview and the revision history), retire, restore."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.decorators import instructor_required
from ..domain import cardtext
from ..extensions import db
from ..interop.common import MAX_BACK, MAX_EXPLANATION, MAX_FRONT
from ..models import Card, Deck, utcnow
from ..services import authoring
from .blueprint import bp
from .forms import ActionForm, CardForm


def card_or_404(card_id: int) -> Card:
    card = db.session.get(Card, card_id)
    if card is None:
        abort(404)
    return card


def preview_cards(type_: str, prompt: str, answer: str) -> list[dict]:
    """Both sides of every card the note makes, rendered by the code the study page uses."""
    prompt = (prompt or "")[:MAX_FRONT]
    if type_ == "cloze":
        return [{"label": f"Card c{n}", "front": cardtext.render_cloze(prompt, n, reveal=False),
                 "back": cardtext.render_cloze(prompt, n, reveal=True)} for n in cardtext.cloze_numbers(prompt)]
    return [{"label": "Card", "front": cardtext.render_markdown(prompt),
             "back": cardtext.render_markdown((answer or "")[:MAX_BACK])}]


@bp.route("/preview", methods=["GET", "POST"])
@instructor_required
def preview():
    """JSON preview for preview.js: {cards: [{label, front, back}], explanation, note}."""
    data = request.form if request.method == "POST" else request.args
    type_ = data.get("type", "basic")
    prompt, answer = data.get("prompt", ""), data.get("answer", "")
    cards = preview_cards(type_, prompt, answer)
    note = ""
    if type_ == "cloze" and not cards:
        note = "No gap yet: write {{c1::answer}} to make a card."
    elif not prompt.strip():
        note = "Write a prompt to see the card."
    return jsonify(cards=cards, explanation=cardtext.render_markdown(data.get("explanation", "")[:MAX_EXPLANATION]),
                   note=note)


def _sections(deck: Deck) -> dict[str, str]:
    return {s.slug: s.title for s in authoring.sections_of(db.session, deck)}


def _values(deck: Deck, form: CardForm) -> authoring.NoteValues:
    section = None
    if form.section.data:
        section = authoring.ensure_section(db.session, deck, form.section.data, form.new_section_title.data)
    return authoring.NoteValues(
        kind=form.kind.data, type=form.type.data, prompt=form.prompt.data.strip(),
        answer=(form.answer.data or "").strip() if form.type.data == "basic" else "",
        explanation=(form.explanation.data or "").strip(), section=section, tags=form.tag_list(),
        paragraph=form.paragraph.data)


def _render_form(deck: Deck, form: CardForm, card: Card | None = None, status: int = 200):
    sections = _sections(deck)
    context = dict(deck=deck, form=form, card=card, sections=sections,
                   tags=authoring.tags_of(db.session, deck), action_form=ActionForm())
    if card is not None:
        context.update(saved=preview_cards(card.type, card.prompt, card.answer),
                       saved_explanation=cardtext.render_markdown(card.explanation),
                       siblings=authoring.note_cards(db.session, card.deck_id, card.note_key),
                       revisions=authoring.revisions_for(db.session, card))
    return render_template("instructor/card_form.html", **context), status


@bp.route("/decks/<int:deck_id>/cards/new", methods=["GET", "POST"])
@instructor_required
def new_card(deck_id: int):
    deck = db.session.get(Deck, deck_id) or abort(404)
    form = CardForm(sections=_sections(deck))
    if form.validate_on_submit():
        result = authoring.save_note(db.session, deck, current_user, _values(deck, form), utcnow())
        db.session.commit()
        flash(f"Card saved ({len(result.cards)} card{'s' if len(result.cards) != 1 else ''}: "
              f"{', '.join(c.key for c in result.cards)}).", "success")
        return redirect(url_for(".edit_card", card_id=result.cards[0].id))
    return _render_form(deck, form, status=422 if form.errors else 200)


@bp.route("/cards/<int:card_id>/edit", methods=["GET", "POST"])
@instructor_required
def edit_card(card_id: int):
    card = card_or_404(card_id)
    deck = card.deck
    form = CardForm(sections=_sections(deck), locked_type=card.type)
    if request.method == "GET":
        form.kind.data, form.type.data = card.kind, card.type
        form.section.data = card.section.slug if card.section else ""
        form.prompt.data, form.answer.data = card.prompt, card.answer if card.type == "basic" else ""
        form.explanation.data, form.tags.data = card.explanation, " ".join(card.tag_list)
        form.paragraph.data = card.paragraph
    elif form.validate_on_submit():
        try:
            result = authoring.save_note(db.session, deck, current_user, _values(deck, form), utcnow(),
                                         note_key=card.note_key)
        except authoring.NoteTypeChange as exc:
            db.session.rollback()
            form.type.errors.append(str(exc))
        else:
            db.session.commit()
            parts = [f"{len(result.updated)} updated" if result.updated else "",
                     f"{len(result.added)} added" if result.added else "",
                     f"{len(result.retired)} retired" if result.retired else "",
                     f"{len(result.restored)} restored" if result.restored else ""]
            message = ", ".join(p for p in parts if p)
            flash(f"Saved: {message}." if message else "Nothing changed.", "success" if message else "info")
            return redirect(url_for(".edit_card", card_id=card.id))
    return _render_form(deck, form, card, status=422 if form.errors else 200)


def _set_status(card_id: int, status: str):
    card = card_or_404(card_id)
    if not ActionForm().validate_on_submit():
        flash("The form expired; please try again.", "error")
        return redirect(url_for(".edit_card", card_id=card.id))
    changed = authoring.set_note_status(db.session, card, current_user, status, utcnow())
    db.session.commit()
    verb = "retired" if status == "retired" else "restored"
    flash(f"{len(changed)} card{'s' if len(changed) != 1 else ''} {verb}." if changed else f"Nothing to {verb[:-1]}.",
          "success" if changed else "info")
    return redirect(url_for(".edit_card", card_id=card.id))


@bp.route("/cards/<int:card_id>/retire", methods=["POST"])
@instructor_required
def retire_card(card_id: int):
    return _set_status(card_id, "retired")


@bp.route("/cards/<int:card_id>/restore", methods=["POST"])
@instructor_required
def restore_card(card_id: int):
    return _set_status(card_id, "active")
