"""Hypothesis drives the deck-file parser: whatever the bytes, it returns a deck or a DeckFileError."""
import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.domain.deckfile import DeckFileError, parse_text

BASE = {
    "deck": {"id": "d", "name": "Deck"},
    "section": [{"id": "s", "title": "S"}],
    "card": [{"id": "c", "section": "s", "prompt": "P", "answer": "A", "explanation": "E"}],
}

toml_scalars = st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=False), st.booleans(),
                         st.lists(st.text(max_size=10), max_size=3))


def to_toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(to_toml(v) for v in value) + "]"
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else "0.0"
    return str(value)


def render(data) -> str:
    lines = ["[deck]"] + [f"{k} = {to_toml(v)}" for k, v in data["deck"].items()]
    for table in ("section", "card"):
        for entry in data[table]:
            lines += ["", f"[[{table}]]"] + [f"{k} = {to_toml(v)}" for k, v in entry.items()]
    return "\n".join(lines) + "\n"


def outcome(text):
    try:
        return parse_text(text, "fuzz.toml")
    except DeckFileError as exc:
        assert exc.problems and all(str(p).startswith("fuzz.toml") for p in exc.problems)
        return None


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(raw):
    outcome(raw)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes(text):
    outcome(text)


@settings(max_examples=200, deadline=None)
@given(table=st.sampled_from(["deck", "section", "card"]),
       key=st.sampled_from(["id", "name", "title", "kind", "type", "section", "prompt", "answer", "text",
                            "explanation", "tags", "paragraph", "category", "distractors", "accept", "fact",
                            "desired_retention", "new_per_day", "learning_steps", "speaker", "guide"]),
       value=toml_scalars)
def test_any_single_field_value_gives_a_deck_or_located_problems(table, key, value):
    data = {"deck": dict(BASE["deck"]), "section": [dict(BASE["section"][0])], "card": [dict(BASE["card"][0])]}
    target = data[table] if table == "deck" else data[table][0]
    target[key] = value
    text = render(data)
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    spec = outcome(text)
    if spec is None:
        return
    for card in spec.cards():
        assert card.key and card.prompt and card.explanation
