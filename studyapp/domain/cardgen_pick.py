"""Which facts of a sentence deserve a card (pure; read from the dependency parse).

* `clause_of(token)`: the clause an answer belongs to, as the index of the verb that heads it. A
  clause counts only when it has its own subject (or is the sentence's root): "Israel invaded the
  Sinai, and days later British forces landed at Port Said" has two; "Eden resigned in January
  1957 after the crisis" has one.
* `place_is_point(token)`: whether a place name is the point of its clause (the object of a verb,
  "invaded the Sinai", or the place of an event, "landed at Port Said", "died in Greece", also one
  common noun away: "at a laboratory in Peoria"), and not a
  modifier ("Europe's oil", "interests in the Middle East", "Sèvres, near Paris"), a subject that
  acts ("the Soviet Union threatened"), or one name of a list ("Britain and France").
* `separate_fact(draft, siblings)`: one card per fact. A second card from a sentence is kept only
  when it tests a separate fact: a different clause with its own subject and verb, or, in the same
  clause, a different kind of answer (a second answer of the same kind only for a figure or a person
  not yet asked). Places reach this test only when they are the point of their clause
  (`place_is_point`): a modifier place is never a card, beside another or alone.
"""
from __future__ import annotations

import re

from .nlp import MONTHS

_SUBJECTS = ("nsubj", "nsubjpass", "expl", "csubj")
_CLAUSE_DEPS = ("conj", "parataxis", "advcl", "ccomp", "relcl", "acl")
_VERBS = ("VERB", "AUX")
TWICE_IN_A_CLAUSE = ("figure", "person")


def _has_subject(verb) -> bool:
    return any(c.dep_ in _SUBJECTS for c in verb.children)


def clause_of(token) -> int:
    """The index of the verb heading the clause (with its own subject) that `token` belongs to."""
    node = token
    while node.head.i != node.i:
        node = node.head
        if node.pos_ in _VERBS and node.dep_ in _CLAUSE_DEPS and _has_subject(node):
            return node.i
    return node.i  # the root


def span_root(doc, start: int, end: int):
    """The token of doc[start:end] whose head lies outside it ("Bay" of "the Bay of Pigs")."""
    return next((t for t in doc[start:end] if not start <= t.head.i < end or t.head.i == t.i), doc[end - 1])


def _anchored(token) -> bool:
    """Whether `token` is an object of a verb or the object of a verb's preposition."""
    if token.dep_ in ("dobj", "nsubjpass", "attr", "oprd"):
        return token.head.pos_ in _VERBS
    if token.dep_ == "pobj":
        prep = token.head
        return prep.dep_ in ("prep", "agent", "dative") and prep.head.pos_ in _VERBS
    return False


def first_to(token) -> bool:
    """A subject that "was"/"became" the first, last or only one of a kind ("Austria was the first member of
    the union to ...", "Ghent became the only city to ..."): which place it was is the point of the clause."""
    verb = token.head
    if token.dep_ != "nsubj" or verb.lemma_ not in ("be", "become"):
        return False
    attr = next((c for c in verb.children if c.dep_ in ("attr", "oprd") and c.i > verb.i and c.pos_ == "NOUN"), None)
    return attr is not None and any(c.dep_ == "det" and c.lower_ == "the" for c in attr.children) and any(
        c.dep_ == "amod" and (c.lower_ in ("first", "last", "only") or c.tag_ == "JJS") for c in attr.children)


def dated_doer(token) -> bool:
    """A place that is the subject of a main verb dated by a year in its own clause ("Denmark abolished the tax
    in 1920", "after the canal opened in 1914"): which place did it then is the clause's fact."""
    verb = token.head
    if token.dep_ != "nsubj" or verb.pos_ != "VERB" or verb.lemma_ in ("be", "have") or token.i > verb.i:
        return False
    return any(t.ent_type_ == "DATE" and re.fullmatch(r"1\d\d\d|20\d\d", t.text) and clause_of(t) == clause_of(token)
               for t in token.sent)


def named_doer(token) -> bool:
    """A place that is its clause's doer: "the first ... to" or the subject of a dated deed (a card of its own)."""
    return first_to(token) or dated_doer(token)


def place_is_point(token) -> bool:
    """Whether the place whose root is `token` is what its clause is about (see the module doc).

    Besides the object of a verb or of a verb's preposition, a place one common noun away from such
    an object counts ("landed in an area of the East End", "at a laboratory in Peoria"), as does a
    place naming a subject or object ("a new tunnel, the Thames Tideway Tunnel, was built"); a place
    beside another name ("Sèvres, near Paris") is that name's modifier.
    """
    if token.dep_ == "conj" or any(c.dep_ == "conj" for c in token.children):
        return False  # one name of a list
    if _anchored(token) or first_to(token) or dated_doer(token):
        return True
    noun = token.head.head if token.dep_ == "pobj" and token.head.dep_ == "prep" else None
    if noun is not None and noun.pos_ == "NOUN" and _anchored(noun):
        return True
    head = token.head
    return token.dep_ == "appos" and head.pos_ == "NOUN" and (_anchored(head) or head.dep_ == "nsubj")


def separate_fact(reason: str, clause: int | None, new_person: bool, siblings: list[tuple[str, int | None]]) -> str:
    """Whether a card (`reason`, answer in `clause`) tests a fact no kept card of its sentence tests:
    "yes", "no", or "later" for a place beside a card of its own clause (taken only after the cards
    of every other clause, so "landed at Port Said" in a second clause wins over a second card on
    the first clause).

    `siblings` are the kept cards of the sentence as (reason, clause); why and who-said cards are
    judged by their own rules and are not passed here.
    """
    verdict = "yes"
    for other, other_clause in siblings:
        if clause is None or other_clause is None or clause == other_clause:
            if reason == other and (reason not in TWICE_IN_A_CLAUSE or reason == "person" and not new_person):
                return "no"
            if reason == "place":
                verdict = "later"
    return verdict


def shows(card, answer: str) -> bool:
    """Whether a why or who-said card already shows (or answers with) `answer`."""
    if card.reason not in ("why", "quote"):
        return False
    pattern = rf"(?<![\w]){re.escape(answer)}(?![\w])"
    shown = [card.answer, *card.note.alternatives] + ([card.prompt] if card.type == "basic" else [])
    return any(re.search(pattern, t) for t in shown)


def named_in(name: str, text: str) -> bool:
    return bool(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text))


def same_answer(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def short_fact(root, reason: str, rng: tuple[int, int]) -> bool:
    """A sentence too short for a cloze still asks a date or figure when a named subject and its verb
    remain beside it ("Eden resigned in January 1957": "When did Eden resign?")."""
    subj = next((t for t in root.children if t.dep_ in ("nsubj", "nsubjpass")), None)
    rest = [t for t in root.sent if not t.is_punct and not rng[0] <= t.i < rng[1]]
    return (reason in ("date", "figure") and root.pos_ in _VERBS and subj is not None and subj.pos_ == "PROPN"
            and not rng[0] <= subj.i < rng[1] and len(rest) >= 3)


# Nouns for something a text has just described (a message sent, a piece of work begun): a bare "the
# letter" or "the calculation" means the one of the sentence before. English words, not any text's.
_TOLD_BEFORE = frozenset({"letter", "message", "telegram", "reply", "request", "proposal", "offer", "calculation"})


def _demonstrative(noun) -> bool:
    """A bare "this/that NOUN" (nothing after the noun says which): it points back."""
    return noun.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in ("this", "that")
                                       for c in noun.children) \
        and not any(c.dep_ in ("prep", "relcl", "acl", "appos") for c in noun.children)


def _the_subject(noun, subject: frozenset[str]) -> bool:
    """Whether the noun is what the article's title names ("the bridge" under "The Building of the Brooklyn Bridge"):
    the card shows the title above it, so the noun says which."""
    return noun.tag_ == "NN" and noun.lower_ in subject


def leans_on_one(sent, subject: frozenset[str] = frozenset()) -> bool:
    """Whether the sentence refers back with "one" ("led the American one"), a bare "the same NOUN" (not
    "the same age as ..."), or is short and its subject is a bare "the/this NOUN" ("The problem became known as ..."):
    it needs the sentence before. `subject`: the title's singular nouns; a subject noun among them is the article's subject,
    which the title shown on the card names ("The bridge had been open for four months")."""
    if any(t.lower_ == "same" and t.head.pos_ == "NOUN" and any(c.lower_ == "the" for c in t.head.children)
           and not any(c.dep_ in ("prep", "relcl", "acl", "advmod") for c in t.head.children)
           and not (t.head.i + 1 < sent.end and t.head.nbor(1).lower_ in ("as", "that"))
           and not (t.head.lemma_.lower() in _TIME_WORDS and _date_before(sent, t.i)) for t in sent):
        return True  # "worked on the same problem": the problem is in the sentence before
    if any(t.lower_ in ("then", "that") and t.dep_ in ("pobj", "pcomp") and t.head.lower_ in _SINCE
           and t.head.head == sent.root for t in sent):
        return True  # "Since then the price has fallen ...": since when is in the sentence before
    subj = next((c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None and subj.pos_ == "NOUN" and len([t for t in sent if not t.is_punct]) < 10 \
            and [c.lower_ for c in subj.children] in (["the"], ["this"], ["these"], ["that"]) \
            and not _the_subject(subj, subject):
        return True
    if subj is not None and _demonstrative(subj) and not _the_subject(subj, subject):
        return True  # "That protection ended in March 1938": which protection is in the sentence before
    if any(t.dep_ == "det" and (t.lower_ in ("that", "this") and t.head.lemma_.lower() in _TIME_WORDS
                                or t.lower_ == "that" and t.head.lemma_.lower() in _THEN_WORDS) for t in sent):
        return True  # "By November of that year": the year is in the sentence before
    if any(t.lower_ == "there" and t.dep_ == "advmod" and not any(
            u.i < t.i and (u.ent_type_ in ("GPE", "LOC", "FAC", "ORG") or u.pos_ == "PROPN" and u.ent_type_ != "PERSON")
            for u in sent) for t in sent):
        return True  # "Semmelweis died there on 13 August 1865": the place is in the sentence before
    if any(t.lemma_.lower() in _TOLD_BEFORE and [c.lower_ for c in t.children] == ["the"] for t in sent):
        return True  # "Galle received the letter on 23 September 1846": which letter is in the sentence before
    if any(t.lower_ == "such" and t.dep_ == "predet" and t.head.pos_ == "NOUN"
           and not any(c.dep_ == "prep" and c.lower_ == "as" for c in t.head.children) for t in sent):
        return True  # "had planned to make such a calculation": such as the sentence before describes
    return any(t.lower_ == "one" and t.pos_ in ("NOUN", "PRON", "NUM")
               and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in t.children)
               and any(c.dep_ == "amod" for c in t.children) for t in sent)


_TIME_WORDS = ("year", "month", "day", "week")
_THEN_WORDS = (*_TIME_WORDS, "time", "point", "moment", "stage")  # "At that time the disease still struck ..."
_SINCE = ("since", "by", "until", "till", "after", "before")


def _date_before(sent, i: int) -> bool:
    """Whether a date with a number or a month stands in the sentence before token i ("In February 1918 ...,
    and in October of the same year": the same year is on the card)."""
    return any(u.i < i and u.ent_type_ == "DATE" and (u.like_num or u.text[:1].isupper()) for u in sent)


def mentions(text: str, name: str) -> int:
    """How often `name` stands alone in `text` (not inside a longer word): a plain search, not a regular
    expression per name, so a long text costs linear time per name."""
    count, at = 0, text.find(name)
    while at >= 0:
        end = at + len(name)
        if not (at and (text[at - 1].isalnum() or text[at - 1] == "_")) \
                and not (end < len(text) and (text[end].isalnum() or text[end] == "_")):
            count += 1
            at = text.find(name, end)
        else:
            at = text.find(name, at + 1)
    return count


def cuts_a_name(tokens, rng: tuple[int, int], title_before: bool = False) -> bool:
    """Whether a deletion of tokens [start, end) leaves part of one name or one numbered pair outside: a
    capitalised word before it that modifies a word inside ("the Real {{IRA}}"; not a nationality: "the French
    {{Alps}}"), a number joined by "and"/"or" to a number inside ("{{Articles 2}} and 3"), or a number whose word
    is a name's ("Articles 2 and {{3}}", "Apollo {{11}}"), or the first words of a title that goes on ("{{Wonderful
    Adventures}} of Mrs Seacole in Many Lands", read as a person: a capitalised word that is no proper noun,
    then "of" + a name; "the {{North End}} of Boston" is a place and stays).
    `title_before` (the answer is a person): a capitalised word before it is a title ("General {{X}}"), not a cut."""
    doc = tokens.doc
    start, end = rng
    if start > tokens.start and doc[start - 1].ent_type_ == "WORK_OF_ART" and doc[start].ent_type_ != "WORK_OF_ART":
        return True  # the end of a title ("The Great Wave off {{Kanagawa}}")
    if start > tokens.start and not title_before:
        before = doc[start - 1]
        if before.pos_ == "PROPN" and before.text[:1].isupper() and before.dep_ in ("compound", "amod") \
                and before.ent_type_ != "NORP" and start <= before.head.i < end:
            return True
    if _name_goes_on(tokens, start, end):
        return True
    inside = range(start, end)
    if title_before and end < tokens.end and doc[end].lower_ in ("of", "in", "and", "to") and start <= doc[end].head.i < end \
            and any(c.dep_ == "pobj" and c.pos_ == "PROPN" and c.text[:1].isupper() for c in doc[end].children) \
            and any(doc[i].pos_ != "PROPN" and doc[i].text[:1].isupper() for i in inside):
        return True  # the first words of a longer title: "her memoir, {{Wonderful Adventures}} of Mrs Seacole in ..."
    for i in inside:
        tok = doc[i]
        if tok.pos_ != "NUM":
            continue
        named = tok.head.pos_ == "PROPN" and tok.head.text[:1].isupper() and tok.head.i < i  # "Articles 2"
        if named and tok.head.i not in inside and tok.dep_ in ("conj", "nummod"):
            return True
        if named and any(c.dep_ == "conj" and c.pos_ == "NUM" and c.i not in inside for c in tok.head.children):
            return True
    return False


_CALENDAR = re.compile(rf"^(?:{MONTHS}|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$", re.IGNORECASE)


def _name_goes_on(tokens, start: int, end: int) -> bool:
    """By the words' shape alone, whatever the model tagged: a name that starts with a capitalised "The" in
    mid-sentence ("The {{Times}}", or a title it opens, cut at either end), a place joined by "upon" to another
    ("{{Barrow}} upon Humber", "Barrow upon {{Humber}}"), or a number
    right after a capitalised word in mid-sentence that is no month or weekday ("Heinkel He {{178}}", "Route
    {{66}}"): the blank would leave part of the name outside."""
    doc = tokens.doc
    before = doc[start - 1] if start - 1 > tokens.start else None  # not the sentence's first word
    if before is not None and before.text == "The" and doc[start].text[:1].isupper():
        return True
    if end + 1 < tokens.end and doc[end].lower_ == "upon" and doc[end + 1].text[:1].isupper():
        return True
    if before is not None and before.lower_ == "upon" and doc[start - 2].text[:1].isupper():
        return True  # "Barrow upon {{Humber}}"
    i = start - 1
    while i > tokens.start and (doc[i].text[:1].isupper() or doc[i].lower_ in ("and", "of", ",")):
        if doc[i].text == "The":
            return True  # inside a title that a capital "The" opens: "The Etiology, Concept and {{Prophylaxis}}"
        i -= 1
    if end < tokens.end and doc[end].text.isdigit() and doc[end - 1].is_alpha and doc[end - 1].text[:1].isupper() \
            and not _CALENDAR.match(doc[end - 1].text):
        return True  # the name's number is left outside: "the prototype {{Fokker Vx}} 212"
    if doc[start].text == "The" and end + 1 < tokens.end and doc[end].lower_ in ("and", "of") \
            and doc[end + 1].text[:1].isupper():
        return True  # the first words of such a title: "{{The Etiology, Concept}} and Prophylaxis ..."
    return (before is not None and doc[start].text[:1].isdigit() and before.text[:1].isupper()
            and before.is_alpha and not _CALENDAR.match(before.text))


def one_of_a_list(tokens, rng: tuple[int, int]) -> bool:
    """Whether a deletion blanks some, not all, of a list of three or more numbers or years ("mass bleaching in
    {{1998}}, 2002, 2016 and 2024"): nothing on the card says which item is asked, and the others are no clue."""
    doc = tokens.doc
    start, end = rng
    seen, todo = set(), [doc[i] for i in range(start, end) if doc[i].like_num]
    while todo:
        tok = todo.pop()
        if tok.i in seen:
            continue
        seen.add(tok.i)
        todo += [t for t in (*tok.children, tok.head) if t.like_num and t.i not in seen
                 and (t.head == tok and t.dep_ in ("conj", "appos") or tok.head == t and tok.dep_ in ("conj", "appos"))]
    return len(seen) >= 3 and any(not start <= i < end for i in seen)


def gives_itself_away(answer: str, sent, reason: str) -> bool:
    """A name blank built on the name of a person the sentence names ("A destroyer, {{USS Hopper}}, was launched
    in Grace Hopper's name"; "the {{Eckert-Mauchly Computer Corporation}}, founded by John Mauchly and Presper
    Eckert"): the card answers itself."""
    if reason in ("person", "date", "figure", "why", "quote"):
        return False
    words = {w for w in re.split(r"[\s\-]+", answer) if len(w) > 3 and w[:1].isupper()}
    people = [e.text for e in sent.entities if e.label == "PERSON"]
    return any(w in words for p in people if p not in answer for w in p.split())


_DAY_PAIR = re.compile(rf"\s*(?:and|or|to|-|\u2013)\s*\d{{1,2}}\s+(?:{MONTHS})\b")


_MONTH_TO = re.compile(rf"\b(?:{MONTHS})(?: \d{{1,2}})?\s*(?:to|until|till|and|-|\u2013)\s*$")


def glued(text: str, start: int, end: int) -> bool:
    """Whether the deletion text[start:end] is part of a hyphened word ("eka-{{aluminium}}", "{{Paris}}-based"; not
    "{{300,000}}-strong"), the first day of a pair ("{{26}} and 27 August": a bare day number) or the end of a
    range whose start shares its year ("From June to {{December 2022}}")."""
    answer = text[start:end]
    return bool(re.fullmatch(r"[A-Za-z]-", text[max(0, start - 2):start])) \
        or answer[-1:].isalpha() and text[end:end + 1] == "-" or answer.isdigit() and bool(_DAY_PAIR.match(text, end)) \
        or bool(_MONTH_TO.search(text[max(0, start - 30):start]))


def surname(name: str) -> str | None:
    """The last word of a person's name of two words or more, which a typed answer may give alone; None for
    one word, or when the last word is a regnal number or a generation ("Innocent III", "Henry Ford Jr")."""
    words = name.split()
    if len(words) < 2 or re.fullmatch(r"[IVXL]+|Jr\.?|Sr\.?|Junior|Senior", words[-1]):
        return None
    return words[-1]


def first_mention(text: str, answer: str, at: int) -> bool:
    """Whether the answer at `at` is where the text first uses it: a term it goes on to use often ("the genus
    Plasmodium", "known as TEU") is asked where it is introduced, once (one card per name)."""
    m = re.search(rf"(?<![\w]){re.escape(answer)}(?![\w])", text)
    return m is not None and m.start() == at

