"""The instructor blueprint object and the lookups its views share (no view module imports another)."""
from flask import Blueprint

from ..extensions import db
from ..models import Card, Deck

bp = Blueprint("instructor", __name__, url_prefix="/instructor")


def deck_or_404(deck_id: int) -> Deck:
    return db.get_or_404(Deck, deck_id)


def card_or_404(card_id: int) -> Card:
    return db.get_or_404(Card, card_id)
