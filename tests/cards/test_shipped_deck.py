"""The shipped deck (cards/*.toml) carries sound quiz material and no card gives another card away.

Every rule here is general: it reads the deck's own fields (answers, accepted variants, categories,
fact groups) and never names a card. `cards/README.md` states the same rules for authors.

"Specific" answers (the ones a front must not reveal) are decided by one rule, `is_specific`:
an answer is specific when it holds a figure (a digit), a name (a capitalised word or an acronym; the
sentence capital of a basic card's answer does not count), two or more content words (a phrase), or
when its card declares it a name, a figure or a term (`category`).
Only a single everyday lowercase word (or function words alone), answering a statement- or
reason-kind card, is generic: seeing it elsewhere tells a learner nothing about which card it answers.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

import pytest

from studyapp.domain import cardtext
from studyapp.domain.deckfile import parse_file
from studyapp.domain.notes import NAME_KINDS, NUMERIC_KINDS, AnswerKind, CardType, NoteCard, fold_option
from studyapp.domain.quiztext import length_cue

from support import CARDS_DIR

DECK_FILES = sorted(CARDS_DIR.glob("*.toml"))

# Function words: they carry no fact, so an answer made only of them is generic.
FUNCTION_WORDS = frozenset("""
    a an the of and or nor to in on at for by with from as into onto over under about than then
    is are was were be been it its this that these those their his her our your my not no but so
    each other both either neither any all some one's own
""".split())
# Answer kinds that are specific whatever their length: names, figures and named terms.
SPECIFIC_KINDS = NAME_KINDS | NUMERIC_KINDS | {AnswerKind.TERM}
NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve twenty thirty forty "
                         "fifty sixty seventy eighty ninety hundred thousand million billion dozen".split())
YEAR_RE = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})(s|'s)?\b")


def fold(text: str) -> str:
    """Case, apostrophes, thousands separators and punctuation folded; words separated by one space."""
    text = fold_option(text).replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)      # 3,200 -> 3200
    text = text.replace("'", "")                          # people's -> peoples, 1950's -> 1950s
    text = re.sub(r"(?<=[a-z])(ense|ize|yze)\b", lambda m: {"ense": "ence", "ize": "ise", "yze": "yse"}[m.group(1)],
                  text)                                   # defense -> defence, organize -> organise
    return " ".join(re.findall(r"[^\W_]+", text))


def contains(haystack: str, needle: str) -> bool:
    """Whether the folded `needle` occurs in the folded `haystack` as whole words."""
    needle = fold(needle)
    return bool(needle) and f" {needle} " in f" {fold(haystack)} "


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_][\w'\u2019-]*", cardtext.strip_markup(text))


def is_specific(answer: str, category: AnswerKind | None, *, sentence_case: bool = False) -> bool:
    """Whether seeing `answer` in another card's front would give that answer away (see the module doc).

    `sentence_case`: the answer is written as a sentence (a basic card's answer), so the capital of its
    first word says nothing; elsewhere (cloze gaps, accepted variants) a capital marks a name.
    """
    content = [w for w in words(answer) if fold(w) not in FUNCTION_WORDS]
    if not content:
        return False
    if category in SPECIFIC_KINDS or any(ch.isdigit() for ch in answer) or len(content) >= 2:
        return True
    word = content[0]
    if word.isupper() and len(word) > 1:                  # an acronym: NATO, RAND
        return True
    starts_sentence = sentence_case and words(answer)[0] == word
    return word[:1].isupper() and not starts_sentence     # a single capitalised word is a name


# -- the deck, as the app reads it ---------------------------------------------------------------

@lru_cache(maxsize=None)
def load(path):
    return parse_file(path)


def front(card: NoteCard) -> str:
    """What a learner sees before answering: the prompt, or the cloze text with this deletion hidden."""
    if card.cloze_ord is None:
        return card.note.prompt
    return cardtext.cloze_plain(card.note.prompt, card.cloze_ord)


def answers(card: NoteCard) -> list[str]:
    """The card's answer and, where they apply to it, the note's accepted variants."""
    if card.cloze_ord is None or card.category is not None:
        return [card.answer, *card.note.alternatives]
    return [card.answer]


def specific_answers(card: NoteCard) -> list[str]:
    """The card's answers that a front of another fact must not show."""
    return [a for a in answers(card) if a and is_specific(
        a, card.category, sentence_case=card.cloze_ord is None and a == card.answer)]


def note_answers(note) -> list[str]:
    return [a for card in note.cards() for a in answers(card)]


@pytest.fixture(params=DECK_FILES, ids=lambda p: p.name)
def spec(request):
    return load(request.param)


def test_there_is_a_shipped_deck():
    assert DECK_FILES, f"no deck files in {CARDS_DIR}"


def test_the_deck_loads_with_quiz_material(spec):
    assert spec.notes and spec.cards()
    missing = [(n.note_key, field) for n in spec.notes for field in ("category", "section", "paragraph")
               if getattr(n, field) is None]
    assert missing == [], f"notes without a deck-rule field: {missing}"


# -- give-aways --------------------------------------------------------------------------------

def _give_aways(spec):
    """(card key, fact it reveals, the answer seen) for every front or claim holding another fact's answer."""
    by_fact = defaultdict(set)
    for card in spec.cards():
        by_fact[card.fact].update(specific_answers(card))
    shown = [(card.key, card.fact, front(card)) for card in spec.cards()]
    shown += [(f"{note.note_key} (claim)", note.fact, note.claim) for note in spec.notes if note.claim]
    found = []
    for key, own_fact, text in shown:
        for fact, texts in by_fact.items():
            if fact != own_fact:
                found += [(key, fact, answer) for answer in sorted(texts) if contains(text, answer)]
    return found


def test_no_front_or_claim_reveals_another_facts_answer(spec):
    assert _give_aways(spec) == []


def test_no_front_contains_its_own_answer(spec):
    leaks = []
    for card in spec.cards():
        for answer in answers(card):
            if any(fold(w) not in FUNCTION_WORDS for w in words(answer)) and contains(front(card), answer):
                leaks.append((card.key, answer))
    assert leaks == []


def test_the_give_away_check_catches_a_planted_give_away(spec):
    """The check is not vacuous: copying one fact's specific answer into another fact's prompt is caught."""
    basic = [n for n in spec.notes if n.type == CardType.BASIC]
    source = next(n for n in spec.notes if n.category in NUMERIC_KINDS)
    target = next(n for n in basic if n.fact != source.fact)
    planted = target.with_changes(prompt=f"{target.prompt} (compare: {note_answers(source)[0]})")
    notes = [planted if n is target else n for n in spec.notes]
    changed = type(spec)(slug=spec.slug, name=spec.name, sections=spec.sections, notes=notes)
    assert any(key == target.note_key and fact == source.fact for key, fact, _ in _give_aways(changed))
    claimed = target.with_changes(speaker="Someone", claim=f"It was {note_answers(source)[0]}.")
    notes = [claimed if n is target else n for n in spec.notes]
    changed = type(spec)(slug=spec.slug, name=spec.name, sections=spec.sections, notes=notes)
    assert any(key == f"{target.note_key} (claim)" and fact == source.fact for key, fact, _ in _give_aways(changed))


@pytest.mark.parametrize("answer, category, sentence_case, specific", [
    ("2001", AnswerKind.YEAR, True, True),
    ("About 3,200", AnswerKind.NUMBER, True, True),
    ("Mark Cozad", AnswerKind.PERSON, True, True),
    ("Cozad", None, False, True),                       # an accepted variant: a name
    ("Vietnam", None, False, True),                     # a later cloze gap: a name
    ("NATO", AnswerKind.STATEMENT, True, True),         # an acronym
    ("parallel", AnswerKind.TERM, False, True),         # declared a term
    ("historical baggage", AnswerKind.STATEMENT, False, True),
    ("low", AnswerKind.STATEMENT, False, False),
    ("Consult each other", AnswerKind.STATEMENT, True, False),
    ("no", AnswerKind.STATEMENT, False, False),
    ("each other", None, False, False),
])
def test_what_counts_as_a_specific_answer(answer, category, sentence_case, specific):
    assert is_specific(answer, category, sentence_case=sentence_case) is specific


def test_folding_matches_whole_words_only():
    assert contains("The PLA sent about 3200 troops.", "3,200")
    assert contains("China's People\u2019s Liberation Army", "people's liberation army")
    assert not contains("In 20019 nothing happened", "2001")
    assert not contains("a nationalist view", "nato")
    assert contains("no mutual defense clause", "mutual defence")


# -- quiz material -------------------------------------------------------------------------------

def test_every_basic_card_has_a_true_statement_that_holds_a_short_answer(spec):
    problems = []
    for note in spec.notes:
        if note.type != CardType.BASIC:
            continue
        if not note.statement:
            problems.append((note.note_key, "no statement"))
            continue
        if fold(note.statement) == fold(note.prompt):
            problems.append((note.note_key, "statement repeats the prompt"))
        short = len(words(note.answer)) <= 4 or note.category in SPECIFIC_KINDS
        if short and not any(contains(note.statement, a) for a in (note.answer, *note.alternatives)):
            problems.append((note.note_key, "statement lacks the answer word for word"))
    assert problems == []


def test_every_claim_has_a_speaker_who_is_not_named_in_it(spec):
    problems = []
    for note in spec.notes:
        if note.claim:
            if not note.speaker:
                problems.append((note.note_key, "claim without speaker"))
                continue
            names = {note.speaker, note.speaker.split()[-1]}
            if any(contains(note.claim, name) for name in names):
                problems.append((note.note_key, "claim names its speaker"))
        elif note.speaker:
            problems.append((note.note_key, "speaker without a claim (not an attribution)"))
    assert problems == []


def _is_figure(text: str) -> bool:
    return any(ch.isdigit() for ch in text) or any(fold(w) in NUMBER_WORDS for w in words(text))


def _is_name(text: str) -> bool:
    return any(w[:1].isupper() or w[:1].isdigit() for w in words(text))


def _same_kind(answer: str, option: str, category: AnswerKind) -> bool:
    if category == AnswerKind.YEAR:
        return bool(YEAR_RE.search(option))
    if category in NUMERIC_KINDS:
        return _is_figure(option)
    if category in NAME_KINDS:
        return _is_name(option)
    # terms, reasons, statements: of a comparable length (a phrase for a phrase, a clause for a clause)
    a, o = len(words(answer)), len(words(option))
    return o <= 3 * a + 2 and a <= 3 * o + 2


def test_every_note_has_three_distractors_of_its_answers_kind(spec):
    problems = []
    for note in spec.notes:
        first = note.cards()[0]
        if len(note.distractors) != 3:
            problems.append((note.note_key, f"{len(note.distractors)} distractors"))
        if note.category == AnswerKind.YEAR and not YEAR_RE.search(first.answer):
            problems.append((note.note_key, "a year card whose answer is not a year"))
        for option in note.distractors:
            if not _same_kind(first.answer, option, note.category):
                problems.append((note.note_key, f"'{option}' is not a {note.category} like '{first.answer}'"))
    assert problems == []


def test_no_phrase_or_sentence_answer_stands_out_from_its_distractors_by_length(spec):
    """Multiple choice over a phrase, a reason or a statement: the answer is not by far the longest (or the
    shortest) option, the cue test-wise learners use (the gate refuses such a question)."""
    text_kinds = {AnswerKind.TERM, AnswerKind.REASON, AnswerKind.STATEMENT}
    cues = [(n.note_key, cue) for n in spec.notes if n.category in text_kinds and n.distractors
            if (cue := length_cue(n.cards()[0].answer, list(n.distractors)))]
    assert cues == []


def test_no_distractor_is_an_accepted_answer_of_its_fact(spec):
    accepted = defaultdict(set)
    for note in spec.notes:
        accepted[note.fact].update(fold(a) for a in note_answers(note))
    clashes = [(n.note_key, d) for n in spec.notes for d in n.distractors if fold(d) in accepted[n.fact]]
    assert clashes == []


def test_numeric_answers_are_figures(spec):
    wrong = [card.key for card in spec.cards()
             if card.category in NUMERIC_KINDS and not _is_figure(card.answer)]
    assert wrong == []
