"""Entity repairs read from a name's place in the sentence (pure; after `nlp._repair`).

The small model labels a name by its letters; the sentence around it often says better what it is.
These rules are English grammar, not lists of names:

* **treaty words**: a name ending in Treaty, Agreement, Protocol, Convention, Pact, Accord(s) or
  Charter is a treaty, whatever the model said ("the Vienna Convention" tagged EVENT);
* **places by company**: a name (with no kind word of its own, "Newnham College") that is the
  object of "in"/"at"/"near"/"from" and is followed by ", <place>" ("a hotel in Bretton Woods, New
  Hampshire") or coordinated with a place under the same kind of preposition ("in London in 1990 and in Copenhagen") is a place;
* **names a text gives**: a name the model calls an organisation or a place that is what something
  is "called"/"named" (the whole noun phrase) is a term ("a landmass, which he later called
  Pangaea"), or takes the kind of the noun it names ("a town called ..."); people stay people;
* **years as modifiers**: a four-digit number from 1500 to 2099 before a singular noun ("a 2022
  assessment") is a year, not a figure;
* **ranges** are one answer: "between about 15 and 35 kilometres" -> "15 and 35 kilometres";
* **people by "who" or kin**: a name with a relative clause opening with "who" is a person ("Ferdinand
  de Lesseps, who had built the Suez Canal", tagged ORG), as is one with a family or household word
  ("the household of Hugh Auld", "Auld's wife"); "a few hundred" is no figure;
* **titles**: a name inside a person's title ("the Treasury Secretary John Connally") is no answer;
* **named things** (`named_things`): a work named after a kind noun, a gerund "known as" term, and
  "X, a NOUN" definitions;
* **people side by side** ("Urbain" + "Le Verrier", found by two rules) are one name;
* **durations in words**: "for about twenty-five years", "ten more years": the number (ten or more)
  is a figure; not "the thirteen days" (a named period).
"""
from __future__ import annotations

import re

from . import cardgen_figures
from . import nlp_kinds as kinds

_TREATY_END = re.compile(r"\b(?:Treaty|Agreement|Protocol|Convention|Pact|Accords?|Charter|Act)$")
_PLACE_PREPS = frozenset({"in", "at", "near", "from"})
_NAMING = frozenset({"call", "name", "dub", "term", "nickname", "christen"})
_UNITS = frozenset({"year", "month", "week", "day", "hour", "minute", "decade", "century"})
_SMALL = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "a", "an"})
_PLACE_LABELS = ("GPE", "LOC")
_YEAR = re.compile(r"^(?:1[5-9]|20)\d\d$")
_NAMED = ("PERSON", "ORG", "GPE", "LOC", "NAME", "FAC", "EVENT", "NORP")
_SAME = {"GPE": "LOC", "FAC": "LOC", "TERM": "NAME"}  # labels of one category


def _tokens(sent, ent) -> list:
    return [t for t in sent.tokens if ent.start <= sent.token_start(t) < ent.end]


def _root(toks: list):
    ids = {t.i for t in toks}
    return next((t for t in toks if t.head.i not in ids or t.head.i == t.i), toks[-1])


def _label_at(ents: list, sent, token) -> str | None:
    start = sent.token_start(token)
    return next((e.label for e in ents if e.start <= start < e.end), None)


def _place_by_company(text: str, sent, ents: list, ent, root) -> bool:
    if root.dep_ != "pobj" or root.head.lower_ not in _PLACE_PREPS:
        return False
    end = _tokens(sent, ent)[-1].idx + len(_tokens(sent, ent)[-1].text) + sent.offset
    follow = text[end:end + 2]
    if follow.startswith(", "):
        near = re.match(r", (?:(?:near|outside|in) )?", text[end:end + 12]).end()  # "at Folkestone, near Calais"
        for other in ents:
            if other.start == end + near and other.label in _PLACE_LABELS:
                rest = text[other.end:sent.end].lstrip(" ")
                if not rest or not rest[0].isalnum():
                    return True
    prep = root.head
    top = prep
    while top.dep_ == "conj" and top.head.pos_ == "ADP":
        top = top.head  # "in London in 1990 and in Copenhagen": the second "in" hangs on the first
    others = [p for p in (*prep.conjuncts, *(c for c in prep.children if c.dep_ == "conj"),
                          *(c for c in top.head.children if c.dep_ == "prep" and c.lower_ == prep.lower_))
              if p.lower_ in _PLACE_PREPS and p is not prep]
    for other in others:
        for obj in other.children:
            if obj.dep_ == "pobj" and _label_at(ents, sent, obj) in _PLACE_LABELS:
                return True
    return any(_label_at(ents, sent, c) in _PLACE_LABELS for c in root.conjuncts)


def _old_name_of_place(sent, ents: list, root) -> bool:
    """"in Christiania, as Oslo was then called": the name a place was (or is) called is a place too."""
    verb = root.head
    if root.dep_ != "nsubjpass" or verb.lemma_ not in _NAMING | {"know"} \
            or not any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
        return False
    first = min(t.i for t in verb.subtree)
    before = root.doc[first - 2] if first - 2 >= sent.tokens.start and root.doc[first - 1].text == "," else None
    return before is not None and _label_at(ents, sent, before) in _PLACE_LABELS


def _named_noun(root):
    """The common noun a "call"/"name" name is given to ("a landmass, which he called ..."), or None."""
    verb = root.head
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i < root.i), None)
    if obj is not None and obj.pos_ == "NOUN":
        return obj
    return verb.head if verb.dep_ in ("relcl", "acl") else None


def _given_name(root) -> bool:
    return root.head.lemma_ in _NAMING and (root.dep_ == "oprd" or root.dep_ == "dobj" and any(  # "nicknamed it X"
        c.dep_ == "dobj" and c.i < root.i for c in root.head.children))


def _named_it(root) -> bool:
    """The name is given to "it" ("it was named Anak Krakatau") or to a thing a kind word says ("The new
    planet was named Neptune"): a thing, not a person."""
    return any(c.dep_ in ("nsubjpass", "dobj") and (c.lower_ == "it" or c.pos_ == "NOUN" and kinds.kind_word(c.text, None))
               for c in root.head.children)


def _whole_phrase(sent, ent, root) -> bool:
    """Whether the entity is its whole noun phrase (bar "the"): not "Curies" of "little Curies"."""
    words = [t for t in root.subtree if t.dep_ != "det" and not t.is_punct and t.i <= root.i]
    return all(ent.start <= sent.token_start(t) < ent.end for t in words)


_KIN = frozenset({"household", "family", "wife", "husband", "son", "daughter", "mother", "father", "brother",
                  "sister", "widow", "widower", "servant", "employer"})


def _kin_of(root) -> bool:
    """A name of whom a family or household word is said ("the household of Hugh Auld", "Auld's wife", "her
    son-in-law Frederic Joliot")."""
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in _KIN:
        return True
    if root.dep_ == "poss" and root.head.lemma_.lower() in _KIN:
        return True
    first = root
    while first.i > 0 and first.nbor(-1).head == root and first.nbor(-1).dep_ == "compound" and first.nbor(-1).is_title:
        first = first.nbor(-1)
    prev = first.nbor(-1) if first.i > 0 else None  # "her sister Bronislawa", "son-in-law Frederic Joliot"
    return prev is not None and (prev.lower_ in _KIN or prev.lower_ == "law" and prev.i >= 2
                                 and prev.nbor(-2).lower_ == "in" and prev.nbor(-4).lower_ in _KIN)


def _appos_kind(root) -> str | None:
    """The kind a describing noun in apposition gives a name ("the Culebra Cut, a channel through ...",
    "a new currency, the Deutsche Mark")."""
    noun = next((c for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"  # "its industrial heartland"
                 and any(d.dep_ in ("det", "poss") for d in c.children)), None)
    if noun is None and root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.i < root.i \
            and any(d.dep_ == "det" for d in root.head.children):
        noun = root.head  # "a new currency, the Deutsche Mark"
    if noun is None:  # the same, parsed otherwise: ", the NAME," right after a noun with its article
        first = root
        while first.i > 0 and first.nbor(-1).head == root and first.nbor(-1).dep_ in ("compound", "det"):
            first = first.nbor(-1)
        doc = root.doc
        if 2 <= first.i and root.i + 1 < len(doc) and doc[first.i - 1].text == "," and doc[root.i + 1].text == "," \
                and doc[first.i - 2].pos_ == "NOUN" and any(d.dep_ == "det" for d in doc[first.i - 2].children):
            noun = doc[first.i - 2]
    return kinds.kind_word(noun.text, None) if noun is not None else None


def _who_clause(root) -> bool:
    """Whether a relative clause of the name opens with "who" ("Ferdinand de Lesseps, who had built ...")."""
    return any(c.dep_ == "relcl" and any(g.lower_ == "who" and g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
               for c in root.children)


def _in_title(root) -> bool:
    """A name inside a person's title: "the Treasury Secretary John Connally", "Benjamin Disraeli, then
    Chancellor of the Exchequer"."""
    title = root.head.head if root.dep_ == "pobj" and root.head.lower_ == "of" else None
    if title is not None and title.dep_ == "appos" and title.text[:1].isupper() and title.head.ent_type_ == "PERSON":
        return True
    node = root
    while node.dep_ == "compound" and node.head.i != node.i:
        node = node.head
        if node.ent_type_ == "PERSON":
            return node is not root
    return False


def refine(text: str, sent, ents: list, make, person_names: frozenset[str] | set[str] = frozenset()) -> list:
    """The sentence's entities with the repairs above; `make(start, end, label, text)` builds one."""
    out = []
    skip: set[int] = set()
    ordered = sorted(ents, key=lambda e: e.start)
    for n, ent in enumerate(ordered):
        if n in skip:
            continue
        toks = _tokens(sent, ent)
        if not toks:
            out.append(ent)
            continue
        root, label = _root(toks), ent.label
        if label in _NAMED and re.match(r"[,/][A-Za-z0-9]", text[ent.end:ent.end + 2]):
            continue  # "RTS,S": a name that goes on past a comma or slash with no space is cut; no answer
        if label == "PERSON" and len(toks) == 1 and root.i == sent.tokens.start and root.tag_ == "NN" \
                and ent.text not in person_names:
            label = "TERM"  # "Quinine, taken from the bark of ...": a common noun capitalised by the sentence, no person
        if label not in ("PERSON", "DATE") and label in kinds_labels() and _TREATY_END.search(ent.text):
            label = "LAW"
        elif label not in ("DATE", "LAW") and label in kinds_labels() and _in_title(root):
            continue
        elif label == "ORG" and root.dep_ == "appos" and root.head.ent_type_ == "PERSON" and not kinds.says_its_kind(
                ent.text) and any(c.lower_ == "the" for c in root.children):
            label = "TERM"  # "George Airy, the Astronomer Royal": a person's title in apposition, no organisation
        elif label in ("CARDINAL",) and re.fullmatch(r"(?:hundreds?|thousands?|millions?|billions?|dozens?)", ent.text) \
                and root.i > 0 and root.nbor(-1).lower_ in ("few", "several", "many", "some"):
            continue  # "a few hundred boxes": no figure to ask
        elif label in ("CARDINAL", "QUANTITY") and _CLOCK.fullmatch(ent.text) \
                and _CLOCK_AFTER.match(text[ent.end:ent.end + 20]):
            continue  # "at about 10.02 local time": a time of day, not a figure
        elif label in ("PERSON", "ORG", "GPE", "LOC", "NAME", "FAC", "EVENT") and _appos_kind(root) \
                and _appos_kind(root) != {"ORG": "ORG", "LOC": "LOC", "GPE": "LOC", "FAC": "LOC"}.get(label, label) \
                and not (label == "PERSON" and kinds.INITIALS.match(ent.text)):  # "a contractor, J. Lloyd Haigh": a person
            label = {"NAME": "NAME"}.get(_appos_kind(root), _appos_kind(root))
        elif label in ("ORG", "PERSON", "NAME", "FAC") and _old_name_of_place(sent, ents, root):
            label = "GPE"  # "in Christiania, as Oslo was then called"
        elif label in _NAMED and (said := kinds.said_kind(root)) and _SAME.get(said, said) != _SAME.get(label, label) \
                and not (said == "TERM" and kinds.kind_word(ent.text, None)):  # "the Canal Zone": its own kind word
            label = said  # "later known as Magna Carta", "cities such as La Paz", "became the standard drug"
        elif label in ("ORG", "GPE", "NORP", "NAME", "FAC") and (_who_clause(root) or _kin_of(root)) \
                and not kinds.says_its_kind(ent.text):
            label = "PERSON"
        elif label in ("PERSON", "ORG", "NAME", "FAC", "EVENT") and not kinds.says_its_kind(ent.text) \
                and _place_by_company(text, sent, ents, ent, root):
            label = "GPE"
        elif (label in ("ORG", "GPE", "NORP", "LOC", "FAC") or label == "PERSON" and _named_it(root)) and _given_name(root) \
                and _whole_phrase(sent, ent, root):
            noun = _named_noun(root)
            kind = kinds.kind_word(noun.text, None) if noun is not None and noun.pos_ == "NOUN" else None
            if label in ("GPE", "ORG", "NORP", "PERSON") or kind in ("ORG", "NAME"):  # a place keeps its kind ...
                label = "TERM" if kind in (None, "NAME") else kind  # ... unless "a storm ... called X", "a company called X"
        elif label in ("CARDINAL", "QUANTITY") and re.fullmatch(r"(?:1[5-9]|20)\d\d[-\u2013](?:\d\d){1,2}", ent.text):
            label = "DATE"  # "the winter of 2013-14": a span of years, no figure
        elif label in ("CARDINAL", "QUANTITY") and _YEAR.match(ent.text) and root.head.tag_ == "NN" \
                and root.dep_ in ("nummod", "compound", "amod") and root.head.i > root.i:
            label = "DATE"
        if label in ("CARDINAL", "QUANTITY") and n + 1 < len(ordered):
            nxt = ordered[n + 1]
            gap = text[ent.end:nxt.start]
            before = text[max(sent.start, ent.start - 20):ent.start].lower().split()
            if nxt.label in ("CARDINAL", "QUANTITY") and gap in (" and ", " to ", "-", "\u2013") \
                    and any(w in ("between", "from") for w in before[-2:]):
                end = max([nxt.end] + [sent.token_start(r[-1]) + len(r[-1].text) for r in sent.tokens.ents
                                        if r.label_ == "QUANTITY" and sent.token_start(r[0]) <= nxt.start
                                        < sent.token_start(r[-1]) + len(r[-1].text)])
                out.append(make(ent.start, end, label, text[ent.start:end]))
                skip.add(n + 1)
                continue
        pair = re.fullmatch(r"([A-Z][\w'-]+) and ([A-Z][\w'-]+)", ent.text) if label == "GPE" else None
        if pair:  # "at Folkestone and Coquelles, near Calais": two places, never blanked together
            out += [make(ent.start + pair.start(k), ent.start + pair.end(k), label, pair.group(k)) for k in (1, 2)]
            continue
        out.append(ent if label == ent.label else make(ent.start, ent.end, label, ent.text))
    merged: list = []
    for ent in sorted(out, key=lambda e: e.start):  # "Urbain" + "Le Verrier": one person, never cut in two
        if merged and ent.label == merged[-1].label == "PERSON" and text[merged[-1].end:ent.start] == " ":
            merged[-1] = make(merged[-1].start, ent.end, "PERSON", text[merged[-1].start:ent.end])
        else:
            merged.append(ent)
    out = merged
    out = kinds.court_cases(sent, out, make)
    out += durations(text, sent, out, make)
    out += named_things(text, sent, out, make, person_names)
    return cardgen_figures.quantities(text, sent, out, make)  # ranges, ratios, numbers in words with their unit


_CLOCK = re.compile(r"\d{1,2}[.:]\d{2}")
_CLOCK_AFTER = re.compile(r"\s+(?:local time|a\.?m\b|p\.?m\b|in the (?:morning|afternoon|evening)|o'clock|GMT|UTC)")


def kinds_labels() -> tuple[str, ...]:
    return ("PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "LAW", "NORP", "NAME", "TERM")


def durations(text: str, sent, ents: list, make) -> list:
    """A duration in words from the model's DATE entities: "twenty-five years" -> figure "twenty-five"."""
    out = []
    for raw in sent.tokens.ents:
        if raw.label_ != "DATE" or re.search(r"\d", raw.text) or not any(t.lemma_ in _UNITS for t in raw):
            continue
        nums = [t for t in raw if t.like_num and t.tag_ == "CD"]
        if raw[0].lower_ == "the" or not nums or all(t.lower_ in _SMALL for t in nums):
            continue
        first, last = nums[0], nums[-1]
        if any(not (t.like_num or t.text == "-") for t in raw.doc[first.i:last.i + 1]):
            continue
        a, b = sent.token_start(first), sent.token_end(last)
        if not any(e.start < b and a < e.end for e in ents):
            out.append(make(a, b, "CARDINAL", text[a:b]))
    return out


def _free(ents: list, a: int, b: int) -> bool:
    return not any(e.start < b and a < e.end for e in ents)


def named_things(text: str, sent, ents: list, make, person_names) -> list:
    """Names the model leaves out or calls a work of art, made terms by their place in the sentence:

    * a title right after a kind noun ("the journal Nature", "a book, The Origin of ...") takes the
      noun's kind (a journal is an organisation, a book a term);
    * a gerund after "known as" ("became known as seafloor spreading") is a term;
    * a one-word proper noun, not a person, described by "a/an ... NOUN" in apposition ("Mesosaurus, a
      small freshwater reptile") is a term.
    """
    out: list = []
    doc = sent.tokens.doc
    for raw in sent.tokens.ents:
        if raw.label_ != "WORK_OF_ART" or raw.start == 0:
            continue
        prev = doc[raw.start - 1]
        if prev.text == "," and raw.start > 1:
            prev = doc[raw.start - 2]
        kind = kinds.kind_word(prev.text, None) if prev.pos_ == "NOUN" and prev.text.islower() else None
        words = [t for t in raw if not t.is_punct]
        if kind and words:
            a, b = sent.token_start(words[0]), sent.token_end(words[-1])
            if _free(ents + out, a, b):
                out.append(make(a, b, {"ORG": "ORG", "LOC": "LOC"}.get(kind, "TERM"), text[a:b]))
    for token in sent.tokens:
        if token.tag_ == "VBG" and token.dep_ == "pobj" and token.head.lower_ == "as" \
                and token.head.head.lower_ == "known":
            phrase = [t for t in token.subtree if not t.is_punct]
            if 1 <= len(phrase) <= 3 and phrase[-1] == token and all(t.text.islower() for t in phrase):
                a, b = sent.token_start(phrase[0]), sent.token_end(token)
                if _free(ents + out, a, b):
                    out.append(make(a, b, "TERM", text[a:b]))
        elif token.pos_ == "PROPN" and not token.ent_type_ and token.text not in person_names \
                and not any(c.dep_ == "compound" for c in token.children) and token.dep_ != "compound" \
                and token.i > sent.tokens.start:
            appos = next((c for c in token.children if c.dep_ == "appos" and c.pos_ == "NOUN"), None)
            if appos is not None and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in appos.children):
                a, b = sent.token_start(token), sent.token_end(token)
                if _free(ents + out, a, b):
                    out.append(make(a, b, "TERM", token.text))
    out += _untagged_names(text, sent, ents + out, make, person_names)
    return out


_NAME_DEPS = ("dobj", "pobj", "appos", "nsubj", "nsubjpass", "attr", "oprd")
_MONTH = re.compile(r"^(?:January|February|March|April|May|June|July|August|September|October|November|December)$")


def _untagged_names(text: str, sent, ents: list, make, person_names) -> list:
    """A run of capitalised words the model tagged as nothing, standing as an object or subject inside
    the sentence ("attended the Seneca Falls Convention", "a converted tanker named the Ideal X", "his
    book The Box": a capitalised "The" mid-sentence marks a title), is a named thing (a term), or takes
    the kind its last word says."""
    out: list = []
    for token in sent.tokens:
        if token.dep_ not in _NAME_DEPS or token.i == sent.tokens.start or not token.text[:1].isupper() \
                or token.pos_ not in ("PROPN", "NOUN"):
            continue
        run = [token]
        while run[0].i - 1 > sent.tokens.start and (left := run[0].nbor(-1)).dep_ == "compound" \
                and left.head == token and left.text[:1].isupper() and left.pos_ == "PROPN":
            run.insert(0, left)
        first = run[0].nbor(-1) if run[0].i > sent.tokens.start else None
        title = first is not None and first.text == "The" and first.i > sent.tokens.start
        if title:
            run.insert(0, first)
        if any(t.ent_type_ or t.text in person_names or _MONTH.match(t.text) for t in run) \
                or not (2 <= len(run) <= 5) or not all(re.fullmatch(r"[A-Z][\w'-]*", t.text) for t in run):
            continue
        a, b = sent.token_start(run[0]), sent.token_end(run[-1])
        if _free(ents + out, a, b) and not _glued(text, a, b):
            kind = kinds.kind_word(text[a:b], None)
            out.append(make(a, b, {"ORG": "ORG", "LOC": "LOC"}.get(kind or "", "TERM"), text[a:b]))
    return out


def _glued(text: str, a: int, b: int) -> bool:
    return (a > 0 and (text[a - 1].isalnum() or text[a - 1] == "-")) or (b < len(text) and (text[b].isalnum() or text[b] == "-"))


def coordinated_people(sentences) -> set[str]:
    """Full names (and their first and last words) the model tags as no person but coordinates with a
    person ("Mario Molina and Sherwood Rowland", the second tagged ORG), so that a later bare
    "Rowland" is known to be a person too."""
    out: set[str] = set()
    for sent in sentences:
        for ent in sent.tokens.ents:
            if ent.label_ != "PERSON":
                continue
            for conj in ent.root.conjuncts:
                if conj.i < ent.root.i or conj.pos_ != "PROPN" or conj.ent_type_ not in ("", "ORG"):
                    continue
                run = [conj]
                while run[0].i > 0 and (left := run[0].nbor(-1)).dep_ == "compound" and left.head == conj \
                        and left.text[:1].isupper():
                    run.insert(0, left)
                words = [t.text for t in run]
                if 2 <= len(words) <= 3 and all(re.fullmatch(r"[A-Z][a-z'\-]+", w) for w in words):
                    out.update({" ".join(words), words[0], words[-1]})
    return out
