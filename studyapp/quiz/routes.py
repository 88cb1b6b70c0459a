"""Quizzes in the browser: start one, answer one question per page, see the result, retry the misses.

Plain HTML forms throughout (no JavaScript needed). Every answer also goes into the learner's
schedule (services.quiz.answer_question); only an attempt's owner can see or answer it.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..domain import cardtext
from ..extensions import db
from ..models import Card, Deck, QuizAttempt, Section, utcnow
from ..services import classes as class_service
from ..services import fitting, quiz_results, study
from ..services import quiz as quizzes
from ..services.decks import learner_visible, visible_to
from .forms import TYPE_LABELS, ActionForm, ChoiceAnswerForm, StartQuizForm, TypedAnswerForm

bp = Blueprint("quiz", __name__, url_prefix="/quiz")
ALREADY_ANSWERED = "You already answered this question; your first answer is the one kept."


def scope_choices() -> dict[str, dict[str, str]]:
    """Deck and section options, grouped by deck: values "deck-<id>" and "section-<id>"."""
    choices: dict[str, dict[str, str]] = {}
    for deck in db.session.scalars(learner_visible(select(Deck), current_user).order_by(Deck.name)):
        options = choices.setdefault(deck.name, {})
        options[f"deck-{deck.id}"] = "The whole deck"  # its optgroup names the deck (a long name was cut on a phone)
        options.update({f"section-{s.id}": s.title for s in deck.sections})
    return choices


def _id(text: str) -> int | None:
    """A row id from a form value: ASCII digits within an id column's range (not '²', not 10**30)."""
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) <= class_service.MAX_ID else None


def _scope(value: str) -> tuple[Deck, Section | None]:
    kind, _, ident = (value or "").partition("-")
    if kind == "deck" and _id(ident) and (deck := db.session.get(Deck, _id(ident))):
        if visible_to(current_user, deck):
            return deck, None
    if kind == "section" and _id(ident) and (section := db.session.get(Section, _id(ident))):
        if visible_to(current_user, section.deck):
            return section.deck, section
    abort(400)


EVERY_LEARNER = "Every learner (all classes)"


def _start_form() -> StartQuizForm:
    form = StartQuizForm()
    form.scope.choices = scope_choices()
    if current_user.is_instructor:
        classes = class_service.classes_of_instructor(db.session, current_user)
        form.publish_to.choices = [(str(c.id), c.name) for c in classes] + [("", EVERY_LEARNER)]
        if request.method == "GET" and classes:
            form.publish_to.data = str(classes[0].id)
    return form


def _publish_class():
    """The class the instructor publishes for (None: every learner); a class they do not manage is 404."""
    value = (request.form.get("publish_to") or "").strip()
    if not value:
        return None
    klass = class_service.class_for_instructor(db.session, current_user, _id(value)) if _id(value) else None
    if klass is None:
        abort(404)
    return klass


def _index_page(form: StartQuizForm, status: int = 200):
    return render_template(
        "quiz/index.html", form=form, published=quizzes.published_quizzes(db.session, current_user),
        history=quizzes.history(db.session, current_user), type_labels=TYPE_LABELS, percent=quizzes.percent,
        action_form=ActionForm(), generator_url=_generator_url(),
    ), status


def _generator_url() -> str | None:
    if current_user.is_instructor and "generate.index" in current_app.view_functions:
        return url_for("generate.index")
    return None


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    form = _start_form()
    if not form.validate_on_submit():
        return _index_page(form, 400 if request.method == "POST" else 200)
    deck, section = _scope(form.scope.data)
    publish = bool(form.publish.data) and current_user.is_instructor
    klass = _publish_class() if publish else None
    length = None if form.length.data == "all" else int(form.length.data)
    now = utcnow()
    notices: list[str] = []
    try:
        quiz = quizzes.create_quiz(db.session, current_user, deck, now, section=section, length=length,
                                   types=form.types.data, published=publish, title=form.title.data or "",
                                   notices=notices, klass=klass)
    except quizzes.NoQuestions as exc:
        db.session.rollback()
        form.types.errors = [*form.types.errors, str(exc)]
        return _index_page(form, 422)
    for notice in notices:
        flash(notice, "info")
    if publish:
        flash(f"Quiz published for {klass.name if klass else 'every learner'}. Share its link with the class.", "success")
        return redirect(url_for(".show", quiz_id=quiz.id))
    attempt = quizzes.start_attempt(db.session, current_user, quiz, now)
    return redirect(url_for(".question", attempt_id=attempt.id, n=1))


def _quiz_or_404(quiz_id: int):
    quiz = quizzes.visible_quiz(db.session, current_user, quiz_id)
    if quiz is None:
        abort(404)
    return quiz


@bp.route("/<int:quiz_id>")
@login_required
def show(quiz_id: int):
    quiz = _quiz_or_404(quiz_id)
    rows = [row for row in quizzes.published_quizzes(db.session, current_user) if row.quiz.id == quiz.id]
    manages = quiz.published and quizzes.may_manage(db.session, current_user, quiz)
    return render_template("quiz/show.html", quiz=quiz, row=rows[0] if rows else None, type_labels=TYPE_LABELS,
                           action_form=ActionForm(), share_url=url_for(".show", quiz_id=quiz.id, _external=True),
                           results=quiz_results.quiz_results(db.session, quiz) if manages else None,
                           audience=quiz.klass.name if quiz.klass else EVERY_LEARNER)


@bp.route("/<int:quiz_id>/print")
@login_required
def print_quiz(quiz_id: int):
    """A printable copy for a class on paper: the questions, then an answer key on its own page."""
    quiz = _quiz_or_404(quiz_id)
    if not quizzes.may_manage(db.session, current_user, quiz):
        abort(403)
    questions = [dict(q, html=cardtext.render_markdown(q["prompt"], inline=True))
                 for q in quizzes.paper_questions(db.session, quiz)]
    return render_template("quiz/print.html", quiz=quiz, questions=questions, letters="ABCDEFGH")


@bp.route("/<int:quiz_id>/start", methods=["POST"])
@login_required
def start(quiz_id: int):
    quiz = _quiz_or_404(quiz_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        attempt = quizzes.start_attempt(db.session, current_user, quiz, utcnow())
    except quizzes.NoQuestions as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for(".show", quiz_id=quiz.id))
    return redirect(url_for(".question", attempt_id=attempt.id, n=1))


@bp.route("/<int:quiz_id>/unpublish", methods=["POST"])
@login_required
def unpublish(quiz_id: int):
    quiz = _quiz_or_404(quiz_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if quiz.created_by != current_user.id:
        abort(403)
    quiz.published = False
    flash("The quiz is no longer listed for the class. Attempts already made are kept.", "info")
    return redirect(url_for(".index"))


def _attempt_or_404(attempt_id: int) -> QuizAttempt:
    attempt = quizzes.own_attempt(db.session, current_user, attempt_id)
    if attempt is None:
        abort(404)
    return attempt


def _answer_form(question: dict):
    if question["type"] == "typed":
        return TypedAnswerForm()
    form = ChoiceAnswerForm()
    form.given.choices = {option: option for option in question["options"]}
    return form


def _next_url(attempt: QuizAttempt) -> str:
    position = quizzes.next_position(attempt)
    if position is None:
        return url_for(".result", attempt_id=attempt.id)
    return url_for(".question", attempt_id=attempt.id, n=position)


def _question_page(attempt: QuizAttempt, n: int, form, status: int = 200):
    question = attempt.questions[n - 1]
    answer = quizzes.answer_for(attempt, n)
    deck = attempt.quiz.deck
    return render_template(
        "quiz/question.html", attempt=attempt, n=n, question=question, answer=answer, form=form, deck=deck,
        prompt=cardtext.render_markdown(question["prompt"], inline=True),
        explanation=cardtext.render_markdown(question.get("explanation") or ""),
        next_url=_next_url(attempt), answered=len(attempt.answers), type_labels=TYPE_LABELS,
        held_back=answer is not None and n in quizzes.held_back(db.session, attempt),
    ), status


@bp.route("/attempt/<int:attempt_id>")
@login_required
def resume(attempt_id: int):
    return redirect(_next_url(_attempt_or_404(attempt_id)))


@bp.route("/attempt/<int:attempt_id>/q/<int:n>", methods=["GET", "POST"])
@login_required
def question(attempt_id: int, n: int):
    attempt = _attempt_or_404(attempt_id)
    if not 1 <= n <= len(attempt.questions):
        abort(404)
    question = attempt.questions[n - 1]
    if request.method == "GET":
        form = _answer_form(question)
        form.shown_at.data = utcnow().isoformat()
        return _question_page(attempt, n, form)
    if quizzes.answer_for(attempt, n) is not None:  # a second click, the back button, another tab
        flash(ALREADY_ANSWERED, "info")
        return redirect(url_for(".question", attempt_id=attempt.id, n=n))
    form = _answer_form(question)
    if not form.validate_on_submit():
        return _question_page(attempt, n, form, 400)
    return _record(attempt, n, form)


def _record(attempt: QuizAttempt, n: int, form):
    now = utcnow()
    deck = attempt.quiz.deck
    try:
        quizzes.answer_question(
            db.session, current_user, attempt, n, form.given.data or "", now,
            settings=study.settings_for(deck, fitting.parameters_for(db.session, current_user)),
            fuzz=current_app.config["SCHEDULER_FUZZ"], duration_ms=_duration_ms(form.shown_at.data, now))
    except quizzes.AlreadyAnswered:
        db.session.rollback()
        flash(ALREADY_ANSWERED, "info")
    except study.StaleAnswer:
        db.session.rollback()
        flash("That card was being answered somewhere else at the same moment; please answer again.", "info")
    except LookupError:
        db.session.rollback()
        abort(404)
    return redirect(url_for(".question", attempt_id=attempt.id, n=n))


def _duration_ms(shown_at: str | None, now: datetime) -> int | None:
    try:
        shown = datetime.fromisoformat(shown_at or "")
    except ValueError:
        return None
    if shown.tzinfo is None:
        shown = shown.replace(tzinfo=timezone.utc)
    return max(0, int((now - shown).total_seconds() * 1000))


@bp.route("/attempt/<int:attempt_id>/result")
@login_required
def result(attempt_id: int):
    attempt = _attempt_or_404(attempt_id)
    if attempt.finished_at is None:
        flash("Answer every question to see your score.", "info")
        return redirect(_next_url(attempt))
    cards = {c.id: c for c in db.session.scalars(
        select(Card).where(Card.id.in_([q["card_db_id"] for q in attempt.questions])))}
    rows = []
    for position, question in enumerate(attempt.questions, start=1):
        card = cards.get(question["card_db_id"])
        rows.append({
            "n": position, "question": question, "answer": quizzes.answer_for(attempt, position),
            "prompt": cardtext.render_markdown(question["prompt"], inline=True),
            "explanation": cardtext.render_markdown(question.get("explanation") or ""),
            "section": card.section if card is not None else None,
        })
    missed = sum(1 for row in rows if row["answer"] is None or not row["answer"].correct)
    return render_template("quiz/result.html", attempt=attempt, rows=rows, missed=missed, deck=attempt.quiz.deck,
                           percent=quizzes.percent(attempt.score, attempt.total), action_form=ActionForm(),
                           schedule=quizzes.schedule_effect(db.session, attempt))


@bp.route("/attempt/<int:attempt_id>/retry", methods=["POST"])
@login_required
def retry(attempt_id: int):
    attempt = _attempt_or_404(attempt_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if attempt.finished_at is None:
        flash("Finish this attempt first.", "info")
        return redirect(_next_url(attempt))
    again = quizzes.retry_missed(db.session, current_user, attempt, utcnow())
    if again is None:
        flash("Nothing to retry: you got every question right.", "success")
        return redirect(url_for(".result", attempt_id=attempt.id))
    return redirect(url_for(".question", attempt_id=again.id, n=1))
