"""The card generator's review screen: paste or upload an article, review the candidates, add cards.

Instructors only. One plain form per page, so it all works without JavaScript. The candidates are
stored with the article (computed once, when it is saved, before the request takes the write lock);
every POST of the review form keeps the instructor's decisions and edits on them, whatever else happens
(the request commits unless it fails with a server error). New decks are drafts until published.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import select

from ..auth.decorators import instructor_required
from ..db_setup import begin_write, writes_later
from ..domain.notes import DeckStatus
from ..extensions import db
from ..models import Article, Deck, utcnow
from ..services import generate as gen
from .forms import ArticleForm, ReviewForm, StatusForm

bp = Blueprint("generate", __name__, url_prefix="/instructor/generate")

FIELD_LABELS = {"prompt": "Prompt", "answer": "Answer", "statement": "Statement", "claim": "Claim",
                "speaker": "Speaker", "distractors": "Wrong options", "alternatives": "Accepted answers",
                "explanation": "Explanation", "category": "Answer kind", "note_key": "Key"}


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
@writes_later
@instructor_required
def index():
    form = ArticleForm()
    if form.validate_on_submit():
        text = _article_text(form)
        if text is not None:
            candidates = gen.propose(text, form.title.data)  # the slow part, without the write lock (learners keep answering)
            begin_write()
            article = gen.create_article(db.session, current_user, form.title.data or "", text, utcnow(),
                                         candidates=candidates)
            article_id = article.id
            return redirect(url_for(".review", article_id=article_id))
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
    return [("new", "A new deck (name it below)")] + [
        (str(d.id), f"{d.name} (draft)" if d.is_draft else d.name) for d in decks]


def _review_form(article: Article, entries: list[gen.Entry]) -> ReviewForm:
    if request.method == "POST":
        form = ReviewForm()
    else:
        chosen = request.args.get("deck") or (str(article.deck_id) if article.deck_id else "new")
        form = ReviewForm(data={
            "deck": chosen, "new_deck_name": article.title,
            "section_title": gen.last_section_title(db.session, article) or article.title,
            "context_line": gen.last_context(db.session, article) or article.title,
            "candidates": [{"decision": e.decision, "prompt": e.shown_prompt, "answer": e.shown_answer}
                           for e in entries],
        })
    form.deck.choices = _deck_choices()
    return form


def _summary(form: ReviewForm, entries: list[gen.Entry], notes: dict[int, list[str]]) -> list[tuple[str, str]]:
    """Every problem on the page as (anchor, message), in page order: shown at the top, each linked."""
    found = []
    for f in (form.deck, form.new_deck_name, form.section_title, form.context_line):
        found += [(f.id, f"{f.label.text}: {error}") for error in f.errors]
    for entry, sub in zip(entries, form.candidates.entries, strict=True):
        messages = [error if error.startswith(f.label.text) else f"{f.label.text}: {error}"
                    for f in sub.form for error in f.errors] + notes.get(entry.index, [])
        found += [(f"candidate-{entry.number}", f"Candidate {entry.number}: {m}") for m in messages]
    found += [(form.min_score.id, f"{form.min_score.label.text}: {error}") for error in form.min_score.errors]
    found += [("review-form", f"{f.label.text}: {error}") for f in (form.csrf_token,) for error in f.errors]
    return found


def _review_page(article, entries, form, status=200, notes=None):
    notes = notes or {}
    deck = db.session.get(Deck, article.deck_id) if article.deck_id else None
    return render_template("generate/review.html", article=article, form=form,
                           rows=list(zip(entries, form.candidates.entries, strict=True)), notes=notes,
                           problems=_summary(form, entries, notes), added=gen.added_keys(db.session, article),
                           highlight=highlighted_source, deck=deck, status_form=StatusForm(),
                           context_of=lambda entry: gen.context_of(entry, form.context_line.data)), status


@bp.route("/<int:article_id>", methods=["GET", "POST"])
@instructor_required
def review(article_id: int):
    article = db.get_or_404(Article, article_id)
    entries = gen.entries(db.session, article)  # stored; computed here only for an article saved without
    form = _review_form(article, entries)
    if request.method == "GET":
        return _review_page(article, entries, form)
    if len(form.candidates.entries) != len(entries):
        flash("The list of candidates changed; review them again.", "error")
        return redirect(url_for(".review", article_id=article.id))
    valid = form.validate_on_submit()
    for entry, sub in zip(entries, form.candidates.entries, strict=True):
        sent = sub.form
        gen.record(entry, sent.decision.data if sent.decision.raw_data else None,
                   sent.prompt.data if sent.prompt.raw_data else None,
                   sent.answer.data if sent.answer.raw_data else None)
    gen.store(article, entries)  # decisions and edits are kept whatever happens next
    if not valid:
        return _review_page(article, entries, form, 422)
    retired = gen.retire_rejected(db.session, article, entries, utcnow(), current_user)
    if retired:
        flash(f"Retired {len(retired)} {'card' if len(retired) == 1 else 'cards'} made from candidates you "
              "rejected: learners no longer see them (accept and add them again to bring them back).", "info")
    if form.save.data:
        flash("Decisions and edits saved.", "success")
        return redirect(url_for(".review", article_id=article.id))
    return _add(article, entries, form)


def _add(article: Article, entries: list[gen.Entry], form: ReviewForm):
    min_score = None
    if form.add_above.data:
        if form.min_score.data is None:
            form.min_score.errors.append("Give a score between 0 and 1.")
            return _review_page(article, entries, form, 422)
        min_score = form.min_score.data
    chosen = gen.picked(entries, min_score=min_score)
    if not chosen:
        flash("No card chosen: accept some candidates, or lower the score.", "info")
        return _review_page(article, entries, form)
    valid, notes = _check(form, chosen)
    deck = _target_deck(form)
    if not valid or deck is None:
        return _review_page(article, entries, form, 422, notes)
    now = utcnow()
    if deck == "new":
        deck = gen.create_deck(db.session, form.new_deck_name.data, now)
    report = gen.add_cards(db.session, article, deck, form.section_title.data, chosen, entries, now, current_user,
                           context=form.context_line.data)
    deck_id, deck_name, draft = deck.id, deck.name, deck.is_draft
    flash(_added_message(report, deck_name, draft), "success")
    return redirect(url_for(".review", article_id=article.id, deck=deck_id))


def _check(form: ReviewForm, chosen: list[gen.Entry]) -> tuple[bool, dict[int, list[str]]]:
    """Validate the chosen entries (the one validator): whether all are valid, and messages by entry index
    for problems not on the prompt or answer field (those go on the field itself)."""
    valid, notes = True, {}
    subs = form.candidates.entries
    for entry in chosen:
        for problem in gen.check(entry, context=form.context_line.data):
            valid = False
            label = FIELD_LABELS.get(problem.field, problem.field.replace("_", " ").capitalize())
            message = f"{label} {problem.message}"
            if problem.field in ("prompt", "answer"):
                getattr(subs[entry.index].form, problem.field).errors.append(message)
            else:
                notes.setdefault(entry.index, []).append(message)
    return valid, notes


def _added_message(report: gen.AddReport, deck_name: str, draft: bool) -> str:
    def cards(n: int) -> str:
        return f"{n} {'card' if n == 1 else 'cards'}"

    message = f"Added {cards(len(report.added))} to “{deck_name}”, section “{report.section_title}”."
    if report.updated:
        message += f" Updated {cards(len(report.updated))} already there."
    if report.already:
        verb = "was" if len(report.already) == 1 else "were"
        message += f" {cards(len(report.already)).capitalize()} {verb} already there."
    if draft:
        message += " The deck is a draft: learners see it once you publish it."
    return message


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


def _back(default: str) -> str:
    """Where to go after publishing: the page the button was on (a path of this site), else `default`."""
    target = request.form.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else default


@bp.route("/decks/<int:deck_id>/publish", methods=["POST"], endpoint="publish")
@bp.route("/decks/<int:deck_id>/unpublish", methods=["POST"], endpoint="unpublish")
@instructor_required
def change_status(deck_id: int):
    deck = db.session.get(Deck, deck_id)
    if deck is None:
        abort(404)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    publish = request.endpoint == "generate.publish"
    changed = gen.set_status(db.session, deck, DeckStatus.PUBLISHED if publish else DeckStatus.DRAFT)
    name = deck.name
    if not changed:
        flash(f"“{name}” was already {'published' if publish else 'a draft'}.", "info")
    elif publish:
        flash(f"“{name}” is published: learners can study it now.", "success")
    else:
        flash(f"“{name}” is a draft again: learners no longer see it.", "success")
    return redirect(_back(url_for("instructor.deck", deck_id=deck_id)))
