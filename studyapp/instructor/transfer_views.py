"""Instructor area, decks that travel: upload -> preview -> confirm imports, and CSV/.apkg/TOML downloads.

The upload is parsed once and parked server-side (PendingImport) under a random token; the confirm
form posts only that token, so nothing the browser re-sends is trusted. Both POSTs read and parse
first without SQLite's write lock (`@writes_later`), then take it for one short write
(`begin_write`): learners keep answering while a big file is read and planned. The request commits.
"""
from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from ..auth.decorators import instructor_required
from ..db_setup import begin_write, writes_later
from ..extensions import db
from ..interop.common import MAX_NOTES, UPLOAD_LIMIT, ImportFileError
from ..models import utcnow
from ..services import transfer
from .blueprint import bp, deck_or_404
from .forms import ActionForm, ImportForm

PREVIEW_ROWS = 300   # rows of each preview table; the counts above them are complete


@bp.route("/decks/<int:deck_id>/import", methods=["GET", "POST"])
@writes_later
@instructor_required
def import_upload(deck_id: int):
    deck = deck_or_404(deck_id)
    form = ImportForm()
    problems = []
    if form.validate_on_submit():
        upload = form.upload.data
        try:
            parsed = transfer.parse_upload(upload.filename or "upload", upload.stream,
                                           current_app.config.get("MAX_CONTENT_LENGTH") or UPLOAD_LIMIT)
        except ImportFileError as exc:
            problems = exc.problems
            form.upload.errors.append("Nothing was imported: the file cannot be used (details below).")
        else:
            user_id = current_user.id
            begin_write()
            token = transfer.store_pending(db.session, user_id, deck_id, parsed, utcnow())
            return redirect(url_for(".import_preview", token=token))
    status = 422 if form.errors else 200
    return render_template("instructor/import.html", deck=deck, form=form, problems=problems,
                           max_notes=MAX_NOTES), status


def _pending_or_404(token: str):
    found = transfer.load_pending(db.session, token, current_user, utcnow())
    if found is None:
        abort(404)
    return found


@bp.route("/imports/<token>")
@instructor_required
def import_preview(token: str):
    pending, parsed = _pending_or_404(token)
    deck = deck_or_404(pending.deck_id)
    plan = transfer.plan_import(db.session, deck, parsed)
    return render_template("instructor/import_preview.html", deck=deck, pending=pending, plan=plan,
                           form=ActionForm(), token=token, shown=PREVIEW_ROWS)


@bp.route("/imports/<token>/confirm", methods=["POST"])
@writes_later
@instructor_required
def import_confirm(token: str):
    pending, parsed = _pending_or_404(token)
    deck = deck_or_404(pending.deck_id)
    deck_id, filename, user = deck.id, pending.filename, current_user._get_current_object()
    report = transfer.apply_import(db.session, deck, parsed, user, utcnow(), before_write=begin_write)
    transfer.drop_pending(db.session, token)
    flash(f"Imported {filename}: {report.summary()}.", "success")
    return redirect(url_for(".deck", deck_id=deck_id))


@bp.route("/imports/<token>/cancel", methods=["POST"])
@instructor_required
def import_cancel(token: str):
    pending, _ = _pending_or_404(token)
    deck_id = pending.deck_id
    transfer.drop_pending(db.session, token)
    flash("Import cancelled; nothing was written.", "info")
    return redirect(url_for(".deck", deck_id=deck_id))


def _download(data: str | bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/decks/<int:deck_id>/export.csv")
@instructor_required
def export_csv(deck_id: int):
    """Spreadsheet (CSV): comma-separated, a header row, Markdown as typed, formula-safe cells."""
    deck = deck_or_404(deck_id)
    return _download(transfer.export_spreadsheet(db.session, deck), transfer.export_filename(deck, ".csv"),
                     "text/csv; charset=utf-8")


@bp.route("/decks/<int:deck_id>/export.txt")
@instructor_required
def export_anki_text(deck_id: int):
    """Anki text (TSV): what Anki's File > Import reads as it is (tab-separated, HTML, Anki's header lines)."""
    deck = deck_or_404(deck_id)
    return _download(transfer.export_csv(db.session, deck), transfer.export_filename(deck, ".txt"),
                     "text/tab-separated-values; charset=utf-8")


@bp.route("/decks/<int:deck_id>/export.apkg")
@instructor_required
def export_apkg(deck_id: int):
    deck = deck_or_404(deck_id)
    return _download(transfer.export_apkg(db.session, deck, utcnow()), transfer.export_filename(deck, ".apkg"),
                     "application/octet-stream")


@bp.route("/decks/<int:deck_id>/export.toml")
@instructor_required
def export_toml(deck_id: int):
    deck = deck_or_404(deck_id)
    return _download(transfer.dump_toml(db.session, deck), transfer.export_filename(deck, ".toml"),
                     "application/toml; charset=utf-8")
