"""More terms and named things a text gives (pure; round 8, helper T), beside `cardgen_terms`.

English naming constructions the small model misses or labels as people, bodies or places:

* **a kind, then "called" Y**: "A drug called acetazolamide", "a gene called EPAS1", "a ceremony called the
  Wedding of the Waters": whatever word class or label the model gave Y (an adverb, a work of art);
* **"call this NOUN ... Y"**: "Doctors call this shortage of oxygen hypoxia" (the parse hangs Y on "of");
* **a described thing, then its name** in apposition: "Their ship, the Belgica, was ...", "their balloon,
  the Zenith, rose", "built their base, Framheim, on": a common noun with a determiner or possessive that is
  not a person, body or place word, then a capitalised name that is no person's name;
* **a kind noun, then the name**: "on the boat Seneca Chief", "in the airship Norge";
* **a quoted name or motto**: after "as", "called", "dubbed", "nicknamed" or a naming verb's object ("mocked
  the project as "Clinton's Ditch"", "nicknamed it "The Diver"") or a short lower-case quotation that ends a
  sentence after a colon ("...: "climb high, sleep low"");
* **acronyms**: before a kind of thing ("the MMR vaccine") or after "known as" ("units, known as TEU");
* **a long lower-case noun phrase opening a sentence after "In"**: "In high-altitude pulmonary oedema, fluid ...".

Each is a (first token, last token, strong) span; strong spans replace a clashing person, body or place
label the model guessed (the text names a thing, not a person).
"""
from __future__ import annotations

from .nlp_kinds import ORG_WORDS, PLACE_WORDS, THING_WORDS

NAMING = frozenset({"call", "name", "dub", "term", "nickname", "christen", "label"})
_QUOTE_AFTER = frozenset({"as", "called", "named", "dubbed", "nicknamed", "termed", "christened"})
_QUOTES = {'"': '"', "“": "”", "'": "'", "‘": "’"}
_DEMONSTRATIVE = frozenset({"this", "that", "these", "those", "such"})
_PERSON_ENDS = ("ist", "ian", "or", "er", "ant", "ent", "man", "woman", "ess")
_VESSELS = frozenset({"boat", "airship", "balloon", "tanker", "steamer", "liner", "freighter", "yacht",
                      "schooner", "submarine", "locomotive", "computer", "ceremony", "operation", "mission",
                      "base", "camp", "tent", "hut", "expedition", "project", "plan", "gene", "protein",
                      "enzyme", "hormone", "molecule", "element", "compound", "mineral", "bacterium",
                      "language", "machine", "robot", "vaccine", "medicine", "drug", "ship", "vessel",
                      "spacecraft", "rocket", "satellite", "aircraft", "plane", "train", "car", "engine",
                      "book", "novel", "film", "poem", "song", "painting", "statue", "telescope", "horse",
                      "dog", "cat", "bear", "whale", "nickname", "motto", "slogan", "code"})
_KIN = frozenset({"wife", "husband", "mother", "father", "brother", "sister", "son", "daughter", "uncle", "aunt",
                  "cousin", "friend", "partner", "widow", "child", "boy", "girl", "king", "queen", "prince",
                  "princess", "lord", "lady", "wife's", "people", "person", "chief", "head", "boss", "colleague",
                  "rival", "pupil", "student", "guest", "servant", "slave", "nephew", "niece", "bride", "heir"})
_COMMON = frozenset({"it", "this", "that", "them", "so", "off", "up", "out", "back", "one", "him", "her"})


def _thing_noun(noun) -> bool:
    """A common noun that names a kind of thing, not of person, body or place ("ship", "balloon", "base")."""
    word = noun.lower_
    if noun.pos_ != "NOUN" or not noun.text.islower() or word in ORG_WORDS or word in PLACE_WORDS or word in _KIN:
        return False
    return word in _VESSELS or word in THING_WORDS or not word.endswith(_PERSON_ENDS)


def _name_run(token) -> list:
    """A capitalised name ending at `token`: the token with its capitalised compound words before it."""
    run = [token]
    while run[0].i > 0 and (left := run[0].nbor(-1)).dep_ == "compound" and left.text[:1].isupper() \
            and left.pos_ == "PROPN":
        run.insert(0, left)
    return run


def _capitalised(run) -> bool:
    return 1 <= len(run) <= 4 and all(t.text[:1].isupper() and t.pos_ == "PROPN" and t.ent_type_ not in
                                      ("DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY") for t in run)


def _called(token, sent_start: int) -> list | None:
    """The words of the name Y in "a KIND called Y": Y with its modifiers and "of" phrases (no determiner)."""
    head = token.head
    if token.dep_ != "oprd" or head.lemma_ not in NAMING or head.dep_ not in ("acl", "relcl") or head.head.pos_ != "NOUN" \
            or token.lower_ in _COMMON or token.pos_ in ("PRON", "DET", "ADP", "NUM", "PUNCT", "AUX", "PART"):
        return None
    words = [t for t in token.subtree if t.i >= head.i + 1]
    end = next((k for k, t in enumerate(words) if t.is_punct and t.text != "-"
                or t.dep_ in ("relcl", "acl", "appos", "cc", "conj") or t.lower_ in ("that", "which", "who")), None)
    words = words[:end] if end is not None else words
    while words and words[0].dep_ in ("det", "poss"):
        words = words[1:]
    if not words or words[0].i != head.i + 1 + (1 if head.nbor(1).dep_ in ("det", "poss") else 0):
        return None
    if len([t for t in words if t.text != "-"]) > 6 or words[-1].pos_ in ("ADP", "DET", "CCONJ"):
        return None
    if not (words[0].text[:1].isupper() or all(t.text.islower() or t.text.isupper() or any(c.isdigit() for c in t.text)
                                               or "-" in t.text for t in words)):
        return None
    return words


def _call_this(sent) -> list[tuple[object, object, bool]]:
    """"Doctors call this shortage of oxygen hypoxia.": the last noun of the clause after "call this ..."."""
    out = []
    toks = list(sent.tokens)
    for k, tok in enumerate(toks):
        if tok.lemma_ not in NAMING or tok.pos_ != "VERB" or tok.tag_ == "VBN":
            continue
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if obj is None or not any(c.dep_ == "det" and c.lower_ in _DEMONSTRATIVE for c in obj.children) \
                or any(c.dep_ in ("oprd", "ccomp", "xcomp") for c in tok.children):
            continue
        stop = next((m for m in range(k + 1, len(toks)) if toks[m].is_punct and toks[m].text != "-"), len(toks))
        last = toks[stop - 1]
        if last.i > obj.i and last.pos_ == "NOUN" and last.text.islower() and last.dep_ == "pobj" \
                and last.head.head == obj and last.tag_ == "NN" and len(last.text) > 3:
            first = last  # "hypoxia"; a hyphenated word is one ("high-altitude")
            while first.i - 2 >= 0 and first.nbor(-1).text == "-":
                first = first.nbor(-2)
            out.append((first, last, False))
    return out


def _described_name(sent, person_names) -> list[tuple[object, object, bool]]:
    """"Their ship, the Belgica, was ...", "their base, Framheim, on ...", "on the boat Seneca Chief"."""
    out = []
    start = sent.tokens.start
    for tok in sent.tokens:
        if tok.pos_ != "PROPN" or tok.i == start:
            continue
        run = _name_run(tok)
        text = " ".join(t.text for t in run)
        if not _capitalised(run) or text in person_names or any(t.text in person_names for t in run) \
                or any(c.dep_ == "appos" or c.lower_ == "of" for c in tok.children if c.i > tok.i):
            continue
        if tok.dep_ == "appos" and tok.i > 0:
            noun = tok.head
            before = run[0].nbor(-1)
            if before.lower_ == "the" and before.i > 0:
                before = before.nbor(-1)
            after = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
            if noun.i < run[0].i and before.text == "," and before.i - 1 == noun.i and after is not None \
                    and after.text == "," and any(c.dep_ in ("det", "poss") for c in noun.children) \
                    and _thing_noun(noun):
                out.append((run[0], run[-1], True))
                continue
        first = run[0]
        noun = first.nbor(-1) if first.i - 1 > start else None
        if noun is not None and noun.text.islower() and noun.i - 1 >= start and noun.nbor(-1).lower_ == "the" \
                and (noun.lower_ in _VESSELS or noun.pos_ == "NOUN" and noun.lower_ in THING_WORDS) \
                and run[-1].i + 1 < sent.tokens.end and not run[-1].nbor(1).text[:1].isupper():
            out.append((run[0], run[-1], True))
    return out


def _quoted(sent, person_names) -> list[tuple[object, object, bool]]:
    """A quoted name after "as"/"called"/"dubbed" ..., or a short lower-case motto after a colon at the end."""
    out = []
    toks = list(sent.tokens)
    for k, tok in enumerate(toks[:-2]):
        if tok.text not in _QUOTES or k == 0:
            continue
        close = next((m for m in range(k + 1, min(k + 9, len(toks))) if toks[m].text in _QUOTES.values()
                      and toks[m].text != "'" or toks[m].text == "'" and tok.text == "'"), None)
        if close is None or close == k + 1:
            continue
        inner = toks[k + 1:close]
        words = [t for t in inner if not t.is_punct]
        before = toks[k - 1]
        rest = [t for t in toks[close + 1:] if not t.is_punct]
        called = before.dep_ == "dobj" and before.head.lemma_ in NAMING and (before.pos_ == "NOUN" or (
            before.pos_ == "PRON" and words and words[0].text[:1].isupper()  # not 'called her "our Marie Curie"'
            and not any(t.text in person_names or t.ent_type_ == "PERSON" for t in words)))
        if (before.lower_ in _QUOTE_AFTER and words and words[0].text[:1].isupper() or called) \
                and 1 <= len(words) <= 5 and not inner[-1].is_punct:  # call this effect "immune amnesia"
            out.append((inner[0], inner[-1], True))  # mocked the project as "Clinton's Ditch"
        elif before.text == ":" and not rest and 2 <= len(words) <= 6 and all(t.text.islower() for t in words) \
                and not inner[-1].is_punct:
            out.append((inner[0], inner[-1], True))  # ...: "climb high, sleep low"
    return out


def _bare_names(sent, person_names) -> list[tuple[object, object, bool]]:
    """"the MMR vaccine": an acronym naming a kind of thing, as is one a thing is "known as" ("units, known as
    TEU"); "In high-altitude pulmonary oedema, fluid leaks":
    a long lower-case noun phrase that opens a sentence after "In"."""
    out = []
    toks = list(sent.tokens)
    for tok in toks[1:-1]:
        if tok.text.isupper() and tok.text.isalpha() and 2 <= len(tok) <= 6 and tok.dep_ == "compound" \
                and tok.head.i == tok.i + 1 and tok.head.text.islower() \
                and (tok.head.lower_ in _VESSELS or tok.head.lower_ in THING_WORDS):
            out.append((tok, tok, True))  # "the MMR vaccine"
        if tok.text.rstrip("s").isupper() and tok.text.isalpha() and 2 <= len(tok) <= 6 and tok.dep_ == "pobj" \
                and tok.head.lower_ == "as" and tok.head.head.lower_ == "known" and tok.head.head.dep_ == "acl" \
                and tok.head.head.head.lower_ not in ORG_WORDS and tok.ent_type_ in ("", "ORG", "NORP", "GPE"):
            out.append((tok, tok, True))  # "twenty-foot equivalent units, known as TEU"
    if len(toks) > 4 and toks[0].text == "In":
        comma = next((m for m in range(2, min(8, len(toks))) if toks[m].text == ","), None)
        words = toks[1:comma] if comma else []
        content = [t for t in words if t.text != "-"]
        if words and words[-1].tag_ == "NN" and all((t.text.islower() or t.text == "-") and t.pos_ in ("NOUN", "ADJ", "PUNCT")
                                                    and not t.ent_type_ for t in words) \
                and (len(content) >= 3 or any(t.text == "-" for t in words)) \
                and not any(t.lower_ in ("many", "most", "some", "other", "such", "few", "several", "all", "each",
                                         "recent", "modern", "early", "late", "later") for t in words):
            out.append((words[0], words[-1], False))  # "In high-altitude pulmonary oedema, fluid leaks ..."
    return out


def spans(sent, person_names) -> list[tuple[object, object, bool]]:
    """(first token, last token, strong) for every term and named thing above in the sentence."""
    out = []
    for tok in sent.tokens:
        words = _called(tok, sent.tokens.start)
        if words:
            name = " ".join(t.text for t in words)
            if name not in person_names and not any(t.text in person_names for t in words):
                out.append((words[0], words[-1], True))
    out += _call_this(sent) + _described_name(sent, person_names) + _quoted(sent, person_names) + _bare_names(sent, person_names)
    return out
