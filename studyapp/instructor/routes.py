"""Instructor area, decks: the deck list, creating a deck, its settings and its card list.

Instructors only (learners get 403, visitors the login page). Cards are in card_views.py, imports and
exports in transfer_views.py; all register on the one blueprint `bp`.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from ..auth.decorators import instructor_required
from ..domain import cardtext
from ..extensions import db
from ..models import Card, Deck, utcnow
from ..services import authoring, decks
from .blueprint import bp, deck_or_404
from .forms import DeckForm, DeckSettingsForm, SearchForm

__all__ = ["bp"]


@bp.route("/")
@instructor_required
def index():
    all_decks = db.session.scalars(select(Deck).order_by(Deck.name)).all()
    counts = dict(db.session.execute(select(Card.deck_id, func.count()).where(Card.status == "active")
                                     .group_by(Card.deck_id)).all())
    return render_template("instructor/index.html", decks=all_decks, counts=counts)


@bp.route("/decks/new", methods=["GET", "POST"])
@instructor_required
def new_deck():
    form = DeckForm()
    if form.validate_on_submit():
        deck = decks.create_deck(db.session, form.name.data, form.description.data or "", utcnow())
        flash(f"Deck “{deck.name}” created. Add its first card.", "success")
        return redirect(url_for(".new_card", deck_id=deck.id))
    return render_template("instructor/deck_new.html", form=form), 422 if form.errors else 200


@bp.route("/decks/<int:deck_id>/settings", methods=["GET", "POST"])
@instructor_required
def deck_settings(deck_id: int):
    deck = deck_or_404(deck_id)
    form = DeckSettingsForm(obj=deck)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in decks.DECK_SETTINGS}
        values["name"] = values["name"].strip()
        values["description"] = (values["description"] or "").strip()
        values["learning_steps"] = " ".join(values["learning_steps"].split())
        values["relearning_steps"] = " ".join(values["relearning_steps"].split())
        changed = decks.update_deck(db.session, deck, values)
        flash("Settings saved." if changed else "Nothing changed.", "success" if changed else "info")
        return redirect(url_for(".deck", deck_id=deck.id))
    return render_template("instructor/deck_settings.html", deck=deck, form=form), 422 if form.errors else 200


def _filters(form: SearchForm) -> authoring.CardFilter:
    def value(field):
        return (field.data or "").strip() if not field.errors else ""

    return authoring.CardFilter(q=value(form.q), tag=value(form.tag), section=value(form.section),
                                kind=value(form.kind), type=value(form.type),
                                status=form.status.data if form.status.data in ("active", "retired", "") else "active")


@bp.route("/decks/<int:deck_id>")
@instructor_required
def deck(deck_id: int):
    deck = deck_or_404(deck_id)
    sections = authoring.sections_of(db.session, deck)
    form = SearchForm(request.args)
    form.section.choices = {"": "Any section", "-": "No section", **{s.slug: s.title for s in sections}}
    form.validate()
    filters = _filters(form)
    page = authoring.list_cards(db.session, deck, filters, page=request.args.get("page", 1, type=int))
    params = {k: v for k, v in vars(filters).items() if v}
    if filters.status == "":
        params["status"] = ""
    titles = {s.id: s.title for s in sections}
    rows = [(card, cardtext.strip_markup(card.prompt), titles.get(card.section_id)) for card in page.cards]
    return render_template("instructor/deck.html", deck=deck, form=form, page=page, rows=rows, params=params,
                           tags=authoring.tags_of(db.session, deck))


from . import card_views, transfer_views  # noqa: E402,F401  (they add their routes to bp)
