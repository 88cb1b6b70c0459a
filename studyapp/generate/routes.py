"""The card generator's review screen: paste or upload an article, review the candidates, add cards.

Instructors only. One plain form per page, so it all works without JavaScript.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import select

from ..auth.decorators import instructor_required
from ..extensions import db
from ..models import Article, Deck, utcnow
from ..services import generate as gen
from .forms import ArticleForm, ReviewForm

bp = Blueprint("generate", __name__, url_prefix="/instructor/generate")


def _read_upload(form: ArticleForm) -> str | None:
    """The uploaded file's text, or None with an error on the field."""
    raw = form.upload.data.read(gen.MAX_ARTICLE_BYTES + 1)
    if len(raw) > gen.MAX_ARTICLE_BYTES:
        form.upload.errors.append(f"The file is larger than {gen.MAX_ARTICLE_BYTES // 1000} kB; trim or split it.")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        form.upload.errors.append("The file is not UTF-8 text; save it as UTF-8 and try again.")
        return None


def _article_text(form: ArticleForm) -> str | None:
    has_file = bool(form.upload.data and getattr(form.upload.data, "filename", ""))
    pasted = (form.text.data or "").strip()
    if has_file and pasted:
        form.text.errors.append("Paste text or upload a file, not both.")
        return None
    text = _read_upload(form) if has_file else pasted
    if text is not None and not text.strip():
        (form.upload if has_file else form.text).errors.append("There is no text to make cards from.")
        return None
    if text is not None and "\x00" in text:
        form.upload.errors.append("The file contains NUL characters, which cannot be stored.")
        return None
    return text


@bp.route("/", methods=["GET", "POST"])
@instructor_required
def index():
    form = ArticleForm()
    if form.validate_on_submit():
        text = _article_text(form)
        if text is not None:
            article = gen.create_article(db.session, current_user, form.title.data or "", text, utcnow())
            db.session.commit()
            return redirect(url_for(".review", article_id=article.id))
    status = 422 if request.method == "POST" else 200
    return render_template("generate/index.html", form=form, articles=gen.recent_articles(db.session)), status


def highlighted_source(candidate) -> Markup:
    """The source sentence, escaped, with the answer wrapped in <mark>."""
    span = gen.highlight_span(candidate)
    if span is None:
        return Markup(escape(candidate.source))
    start, end = span
    source = candidate.source
    return Markup("{}<mark>{}</mark>{}").format(source[:start], source[start:end], source[end:])


def _deck_choices() -> list[tuple[str, str]]:
    decks = db.session.scalars(select(Deck).order_by(Deck.name))
    return [("new", "A new deck (name it below)")] + [(str(d.id), d.name) for d in decks]


def _review_form(article: Article, candidates) -> ReviewForm:
    if request.method == "POST":
        form = ReviewForm()
    else:
        chosen = request.args.get("deck", "new")
        form = ReviewForm(data={
            "deck": chosen, "new_deck_name": article.title, "section_title": article.title,
            "candidates": [{"decision": "pending", "prompt": c.prompt, "answer": c.answer} for c in candidates],
        })
    form.deck.choices = _deck_choices()
    return form


def _review_page(article, candidates, form, status=200):
    rows = list(zip(candidates, form.candidates.entries))
    keys = [gen.card_key(article, i, c) + (".c1" if c.type == "cloze" else "") for i, c in enumerate(candidates)]
    return render_template("generate/review.html", article=article, form=form, rows=rows, keys=keys,
                           added=gen.added_keys(db.session, article), highlight=highlighted_source), status


@bp.route("/<int:article_id>", methods=["GET", "POST"])
@instructor_required
def review(article_id: int):
    article = db.session.get(Article, article_id)
    if article is None:
        abort(404)
    candidates = gen.candidates(article)
    form = _review_form(article, candidates)
    if request.method == "GET":
        return _review_page(article, candidates, form)
    if not form.validate_on_submit():
        return _review_page(article, candidates, form, 422)
    if len(form.candidates.entries) != len(candidates):
        flash("The list of candidates changed; review them again.", "error")
        return redirect(url_for(".review", article_id=article.id))
    picks = _picks(form, candidates)
    if picks is None:
        return _review_page(article, candidates, form, 422)
    if not picks:
        flash("No card chosen: accept some candidates, or lower the score.", "info")
        return _review_page(article, candidates, form)
    deck = _target_deck(form)
    if deck is None:
        return _review_page(article, candidates, form, 422)
    now = utcnow()
    if deck == "new":
        deck = gen.create_deck(db.session, form.new_deck_name.data, now)
    section = gen.ensure_section(db.session, deck, form.section_title.data,
                                 guide=f"Cards generated from the article “{article.title}”.")
    report = gen.accept(db.session, article, deck, section, picks, now)
    db.session.commit()
    message = f"Added {len(report.added)} {'card' if len(report.added) == 1 else 'cards'} to “{deck.name}”"
    message += f", section “{section.title}”."
    if report.already:
        message += f" {len(report.already)} {'was' if len(report.already) == 1 else 'were'} already there."
    flash(message, "success")
    return redirect(url_for(".review", article_id=article.id, deck=deck.id))


def _picks(form: ReviewForm, candidates) -> list[gen.Pick] | None:
    """The candidates to add, as edited; None when an accepted one is invalid (errors on its fields)."""
    above = bool(form.add_above.data)
    if above and form.min_score.data is None:
        form.min_score.errors.append("Give a score between 0 and 1.")
        return None
    picks, ok = [], True
    for index, (candidate, entry) in enumerate(zip(candidates, form.candidates.entries)):
        decision = entry.form.decision.data
        take = decision == "accept" or (above and decision != "reject" and candidate.score >= form.min_score.data)
        if not take:
            continue
        try:
            gen.checked_pick(candidate, entry.form.prompt.data, entry.form.answer.data)
        except gen.PickError as exc:
            getattr(entry.form, exc.field).errors.append(str(exc))
            ok = False
            continue
        picks.append(gen.Pick(index, candidate, entry.form.prompt.data, entry.form.answer.data))
    return picks if ok else None


def _target_deck(form: ReviewForm):
    if form.deck.data == "new":
        if not (form.new_deck_name.data or "").strip():
            form.new_deck_name.errors.append("Name the new deck, or choose an existing one.")
            return None
        return "new"
    deck = db.session.get(Deck, int(form.deck.data)) if form.deck.data.isdigit() else None
    if deck is None:
        form.deck.errors.append("Choose a deck.")
    return deck
