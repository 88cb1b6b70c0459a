"""Anki packages (.apkg) written with genanki.

Our own note types ("studyapp Basic", "studyapp Cloze") with fixed model ids, one note per note key
(cloze siblings are one Cloze note), GUIDs derived from the deck slug and the note key (or the
original Anki GUID for notes that came from Anki), and a deck id derived from the slug: exporting
again and importing into Anki updates the same notes instead of adding copies.
"""
from __future__ import annotations

import hashlib
import html
import os
import tempfile

import genanki

from .common import ExportNote, guid_from_key
from .htmltext import markdown_to_html

BASIC_MODEL_ID = 1_716_204_800_101
CLOZE_MODEL_ID = 1_716_204_800_102
CSS = """.card { font-family: system-ui, sans-serif; font-size: 20px; text-align: left; color: #1d2430; }
.explanation { margin-top: 12px; color: #5b6473; font-size: 17px; }
.cloze { font-weight: bold; color: #2f5d8a; }
.context { margin-bottom: 10px; color: #5b6473; font-size: 15px; }"""
#: Shown above the front when the note has a context line (what the card is about).
CONTEXT = '{{#Context}}<div class="context">{{Context}}</div>{{/Context}}'

BASIC_MODEL = genanki.Model(
    BASIC_MODEL_ID, "studyapp Basic",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Explanation"}, {"name": "Key"}, {"name": "Context"}],
    templates=[{
        "name": "Card 1",
        "qfmt": CONTEXT + "{{Front}}",
        "afmt": '{{FrontSide}}<hr id="answer">{{Back}}'
                '{{#Explanation}}<div class="explanation">{{Explanation}}</div>{{/Explanation}}',
    }],
    css=CSS, sort_field_index=0,
)

CLOZE_MODEL = genanki.Model(
    CLOZE_MODEL_ID, "studyapp Cloze",
    fields=[{"name": "Text"}, {"name": "Back Extra"}, {"name": "Key"}, {"name": "Context"}],
    templates=[{
        "name": "Cloze",
        "qfmt": CONTEXT + "{{cloze:Text}}",
        "afmt": CONTEXT + '{{cloze:Text}}{{#Back Extra}}<div class="explanation">{{Back Extra}}</div>{{/Back Extra}}',
    }],
    css=CSS, model_type=genanki.Model.CLOZE,
)


def deck_id_for(slug: str) -> int:
    """A stable Anki deck id for our deck (Anki ids are positive 63-bit; keep well inside)."""
    digest = hashlib.sha256(f"studyapp-deck:{slug}".encode()).digest()
    return 1 << 40 | int.from_bytes(digest[:5], "big")


def guid_for(deck_slug: str, note_key: str) -> str:
    """The Anki GUID of a note: the original one for notes imported from Anki, else derived."""
    return guid_from_key(note_key) or genanki.guid_for(deck_slug, note_key)


def anki_tags(note: ExportNote) -> list[str]:
    tags = list(note.tags)
    if note.section:
        tags.append(f"section::{note.section}")
    if note.kind != "fact":
        tags.append(f"kind::{note.kind}")
    return tags


def build_deck(deck_slug: str, deck_name: str, notes: list[ExportNote], description: str = "") -> genanki.Deck:
    deck = genanki.Deck(deck_id_for(deck_slug), deck_name, description=markdown_to_html(description))
    for note in notes:
        if note.type == "cloze":
            model = CLOZE_MODEL
            fields = [markdown_to_html(note.front), markdown_to_html(note.explanation), note.key]
        else:
            model = BASIC_MODEL
            fields = [markdown_to_html(note.front), markdown_to_html(note.back), markdown_to_html(note.explanation),
                      note.key]
        fields.append(html.escape(note.context or "", quote=False))
        deck.add_note(genanki.Note(model=model, fields=fields, tags=anki_tags(note),
                                   guid=guid_for(deck_slug, note.key)))
    return deck


def write_apkg(deck_slug: str, deck_name: str, notes: list[ExportNote], description: str = "",
               timestamp: float | None = None) -> bytes:
    """The package's bytes. `timestamp` (seconds) stamps the notes: Anki updates a note it already has
    only from a package whose notes are newer than its copy, so pass the time of the export."""
    package = genanki.Package(build_deck(deck_slug, deck_name, notes, description))
    handle, path = tempfile.mkstemp(suffix=".apkg")
    os.close(handle)
    try:
        package.write_to_file(path, timestamp=timestamp)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)
