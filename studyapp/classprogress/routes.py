"""The instructor's progress pages: the class grid, one learner's report (read-only), a CSV export."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from ..auth.decorators import instructor_required
from ..clock import now as clock_now
from ..domain.progress_math import level
from ..extensions import db
from ..progress.routes import render_front, report_context
from ..services import class_progress, quiz_results
from ..services import classes as class_service

bp = Blueprint("classprogress", __name__, url_prefix="/instructor/progress")


def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


def grid_rows(overview: class_progress.ClassOverview) -> list[tuple]:
    """The grid's cells formatted once here: (row, retention, (level, overall), [(level, text), ...])."""
    out = []
    for row in overview.learners:
        cells = [(level(value), percent(value)) for value in (row.mastery.get(c.key) for c in overview.columns)]
        out.append((row, percent(row.retention), (level(row.overall), percent(row.overall)), cells))
    return out


def _class_filter():
    """(the instructor's classes, the chosen class or None, its scope or None) from ?class_id=; another
    instructor's class is 404."""
    mine = class_service.classes_of_instructor(db.session, current_user)
    class_id = request.args.get("class_id", type=int)
    if class_id is None:
        return mine, None, None
    klass = class_service.class_for_instructor(db.session, current_user, class_id)
    if klass is None:
        abort(404)
    return mine, klass, class_progress.class_scope(db.session, klass)


@bp.route("")
@instructor_required
def index():
    classes, chosen, scope = _class_filter()
    overview = class_progress.overview(db.session, clock_now(), scope)
    shown = {row.card.id: row.card for row in overview.cards}
    return render_template("classprogress/index.html", overview=overview, tz=current_user.timezone,
                           grid=grid_rows(overview), classes=classes, chosen=chosen,
                           fronts={card_id: render_front(card) for card_id, card in shown.items()})


@bp.route("/learner/<int:user_id>")
@instructor_required
def learner(user_id: int):
    user = class_progress.learner(db.session, user_id)
    if user is None:
        abort(404)
    return render_template("classprogress/learner.html", learner=user, readonly=True,
                           **report_context(user, clock_now()))


def _cell(value: str) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ (or a tab/CR) is read as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _percent(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}"


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


@bp.route("/export.csv")
@instructor_required
def export():
    now = clock_now()
    _classes, chosen, scope = _class_filter()
    overview = class_progress.overview_for_export(db.session, now, scope)
    out = io.StringIO()
    writer = csv.writer(out)
    # one class: its published quizzes too, each learner's best full attempt (empty: not finished)
    quizzes = quiz_results.class_quizzes(db.session, chosen.id) if chosen else []
    best = quiz_results.best_percents(db.session, quizzes, [row.user_id for row in overview.learners])
    writer.writerow(["learner", "last_activity_utc", f"reviews_{overview.window_days}d",
                     f"retention_{overview.window_days}d_percent", "mastery_percent"]
                    + [_cell(f"mastery_percent: {c.deck} / {c.title}") for c in overview.columns]
                    + [_cell(f"quiz_best_percent: {q.title} (#{q.id})") for q in quizzes])
    for row in overview.learners:
        writer.writerow([_cell(row.username), row.last_activity.isoformat() if row.last_activity else "",
                         row.reviews, _percent(row.retention), _percent(row.overall)]
                        + [_percent(row.mastery.get(c.key)) for c in overview.columns]
                        + [_score(best.get((row.user_id, q.id))) for q in quizzes])
    filename = f"class-progress-{now:%Y-%m-%d}{f'-class-{chosen.id}' if chosen else ''}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
