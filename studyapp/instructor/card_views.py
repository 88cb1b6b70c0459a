"""Instructor area, cards: add, edit (with a live preview and the revision history), retire, restore."""
from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.decorators import instructor_required
from ..domain import cardtext
from ..domain.notes import LIMITS, Note
from ..extensions import db
from ..models import Card, Deck, utcnow
from ..services import authoring, notesync
from .blueprint import bp, card_or_404, deck_or_404
from .forms import ActionForm, CardForm


def preview_cards(type_: str, prompt: str, answer: str) -> list[dict]:
    """Both sides of every card the note makes, rendered by the code the study page uses."""
    prompt = (prompt or "")[:LIMITS.prompt]
    if type_ == "cloze":
        return [{"label": f"Card c{n}", "front": cardtext.render_cloze(prompt, n, reveal=False),
                 "back": cardtext.render_cloze(prompt, n, reveal=True)} for n in cardtext.cloze_numbers(prompt)]
    return [{"label": "Card", "front": cardtext.render_markdown(prompt),
             "back": cardtext.render_markdown((answer or "")[:LIMITS.answer])}]


@bp.route("/preview", methods=["GET", "POST"])
@instructor_required
def preview():
    """JSON preview for preview.js: {cards: [{label, front, back}], explanation, note, context}."""
    data = request.form if request.method == "POST" else request.args
    type_ = data.get("type", "basic")
    prompt, answer = data.get("prompt", ""), data.get("answer", "")
    cards = preview_cards(type_, prompt, answer)
    note = ""
    if type_ == "cloze" and not cards:
        note = "No gap yet: write {{c1::answer}} to make a card."
    elif not prompt.strip():
        note = "Write a prompt to see the card."
    return jsonify(cards=cards, explanation=cardtext.render_markdown(data.get("explanation", "")[:LIMITS.explanation]),
                   note=note, context=" ".join(data.get("context", "").split())[:LIMITS.context])


def _sections(deck: Deck) -> dict[str, str]:
    return {s.slug: s.title for s in authoring.sections_of(db.session, deck)}


def _checked_note(deck: Deck, form: CardForm, note_key: str, base: Note | None) -> Note | None:
    """The form's note, checked by the one validator (problems shown on the form), or None."""
    def check(raw, sections):
        return authoring.check_note({**raw, "note_key": note_key}, sections=sections, base=base)

    valid = form.validate_on_submit()
    note = form.check_note(check)
    return note if valid else None


def _save(deck: Deck, form: CardForm, note: Note, user_id: int) -> authoring.SyncReport:
    if note.section and note.section not in form.existing_sections:
        notesync.ensure_sections(db.session, deck, [(note.section, form.new_section_title.data, "")])
    return authoring.save_note(db.session, deck, user_id, note, utcnow(), action="edit")


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
    deck = deck_or_404(deck_id)
    form = CardForm(sections=_sections(deck))
    if request.method == "POST":
        key = authoring.new_note_key(db.session, deck, form.prompt.data or "")
        note = _checked_note(deck, form, key, None)
        if note is not None:
            result = _save(deck, form, note, current_user.id)
            keys = [card.key for card in note.cards()]
            flash(f"Card saved ({len(keys)} card{'s' if len(keys) != 1 else ''}: {', '.join(keys)}).", "success")
            return redirect(url_for(".edit_card", card_id=result.card_ids[keys[0]]))
    return _render_form(deck, form, status=422 if form.errors else 200)


@bp.route("/cards/<int:card_id>/edit", methods=["GET", "POST"])
@instructor_required
def edit_card(card_id: int):
    card = card_or_404(card_id)
    deck, card_id = card.deck, card.id
    form = CardForm(sections=_sections(deck), locked_type=card.type)
    if request.method == "GET":
        note = authoring.note_of(db.session, card)
        for name in CardForm.FIELDS:
            value = getattr(note, name)
            getattr(form, name).data = " ".join(value) if name == "tags" else (value or "") if name != "paragraph" \
                else value
    else:
        note = _checked_note(deck, form, card.note_key, authoring.note_of(db.session, card))
        if note is not None:
            try:
                result = _save(deck, form, note, current_user.id)
            except authoring.NoteTypeChange as exc:
                db.session.rollback()
                form.type.errors = [*form.type.errors, str(exc)]
            else:
                parts = [f"{len(result.updated)} updated" if result.updated else "",
                         f"{len(result.added)} added" if result.added else "",
                         f"{len(result.retired)} retired" if result.retired else "",
                         f"{len(result.restored)} restored" if result.restored else ""]
                message = ", ".join(p for p in parts if p)
                flash(f"Saved: {message}." if message else "Nothing changed.", "success" if message else "info")
                return redirect(url_for(".edit_card", card_id=card_id))
    return _render_form(deck, form, card, status=422 if form.errors else 200)


def _set_status(card_id: int, status: str):
    card = card_or_404(card_id)
    changed = authoring.set_note_status(db.session, card, current_user.id, status, utcnow())
    verb = "retired" if status == "retired" else "restored"
    flash(f"{len(changed)} card{'s' if len(changed) != 1 else ''} {verb}." if changed else f"Nothing to {verb[:-1]}.",
          "success" if changed else "info")
    return redirect(url_for(".edit_card", card_id=card_id))


@bp.route("/cards/<int:card_id>/retire", methods=["POST"])
@instructor_required
def retire_card(card_id: int):
    return _set_status(card_id, "retired")


@bp.route("/cards/<int:card_id>/restore", methods=["POST"])
@instructor_required
def restore_card(card_id: int):
    return _set_status(card_id, "active")
