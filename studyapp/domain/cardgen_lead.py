"""A card that leans on the sentence before carries that sentence as its lead (pure; round 7).

Articles name a thing once and go on with "the researchers", "the country", "it", "there", "At the end" or
"Instead". A card made from such a sentence alone does not say what it is about. Earlier rounds dropped the
card when they saw the lean and kept it as it stood when they did not. A textbook reader reads the sentence
before, and so does the card: the sentence before is put ahead of the card as its lead, the way a teacher
writes a question's stem ("Germany paid for the First World War by borrowing. In {{c1::1921}} the Allies set
its reparations at 132 billion gold marks.").

`Leads.needs(sent)` says whether a sentence leans; these are signs in English, not any text's words:

* a definite noun phrase ("the/this/these NOUN", with at most adjectives or a number between: "the 61
  companies", "the original plan") that says nothing after it about which one, when the sentence before
  uses the same noun, or the determiner is a demonstrative in the main clause, or the noun is the subject or
  object and a kind of place or a country's institution ("the country", "the government", "the central bank"),
  its own sentence names no place and the sentence before does, or the subject is a group of people by their
  trade ("The researchers, from ...");
* a subject that is a "later"/"earlier" one ("A later attempt");
* "there" as a place ("the workers there"), an opening that continues a story ("Instead", "At the end",
  "As a result", "By then", "The next day"; round 8: a time counted from the sentence before, "Two years
  later", "Over the following days"; an argument's next step, "Second,", "Moreover,"; "That is why"; a
  "this"/"that" standing alone as the subject, "That is real harm");
* an "it"/"its"/"they"/"them"/"their" outside quotation marks with no noun before it in its own sentence that
  could be what it stands for (a subject or object; not a noun inside an opening phrase, not a person).

`Leads.lead(sent, answers, kind)` is the sentence before as the generator writes it (its "he" named), or None when
that sentence cannot serve: over `MAX_WORDS` words; leaning itself (by `needs` or by the stricter checks the
generator passes in); a he/she of its own not after the name of someone the text shows to be of that gender, an
it/they not after a thing subject (a plural noun); showing one of the card's answers (or half the words of a
reason); for "the committee"/"the port", not naming exactly one of that kind. `put_lead` gives the generator's draft
its lead; `dangling` checks the card's pronouns with it (`_stands_for`). A card with no lead is dropped when its sentence
surely leans (`needs` 2: an opening, "there", a demonstrative, "its", "they"; or the generator's own checks,
as before) and kept as it stands when it only seems to (`needs` 1: a definite noun used before, a bare "it").
"""
from __future__ import annotations

import re

from . import cardgen_anaphora, cardgen_it, cardtext
from .cardgen_refer import PERSONAL

MAX_WORDS = 35
_DEFINITE = ("the", "this", "these", "those", "that")
_DEMONSTRATIVE = ("this", "these", "those", "that")
_PLACE_KINDS = frozenset({"country", "city", "town", "capital", "state", "nation", "region", "island", "colony",
                          "government", "province", "territory", "village", "port",  # and a country's institutions:
                          "parliament", "army", "navy", "police", "bank", "economy", "currency", "treasury"})
# groups of people a text has just brought in, by their trade: "The researchers found ..." (which researchers?)
_GROUPS = frozenset({"researcher", "scientist", "author", "worker", "engineer", "investigator", "official", "organiser",
                     "organizer", "doctor", "volunteer", "participant", "employee", "economist", "analyst", "inspector"})
# nouns whose "the" seldom points back: one of a kind, or the world around every text
_GENERIC = frozenset({"world", "public", "time", "first", "same", "end", "beginning", "rest", "past", "future",
                      "moment", "day", "year", "century", "sun", "moon", "earth", "sea", "air", "people", "way",
                      "number", "most", "top", "bottom", "middle", "start", "case", "use", "result", "fact"})
# an argument's later step markers: "Second, ...", "Moreover, ..." (left off the card, `without_connective`)
_STEPS = "Second|Third|Fourth|Fifth|Secondly|Thirdly|Finally|Lastly|Moreover|Furthermore|In addition|Besides|Also"
# openings that continue a story told before: English discourse markers
_OPENINGS = re.compile(
    r"^(?:Instead|Meanwhile|Nevertheless|Nonetheless|Even so|As a result(?! of)|In response|In return|By then|"
    r"By that time|At the end(?! of)|In the end|After that|Since then|Until then|Before that|For this reason|"
    r"Because of this|Despite this|(?:Soon|Shortly) after(?:wards\b|,)|The next (?:day|year|month|week|morning)|"
    r"The following (?:day|year|month|week|morning)|The same (?:day|year|month|week)|That (?:day|year|month|week)|"
    r"(?:This|That) (?:is|was) (?:why|how|what|because))\b"
    rf"|^(?:{_STEPS}),")
# a time told from the sentence before, opening the sentence: "Nine days later", "Over the following weeks"
_RELATIVE_TIME = re.compile(
    r"^(?:When [\w\s]{0,30}?)?(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|several|some|\d+) "
    r"(?:hours?|days?|weeks?|months?|years?|decades?) (?:later|earlier|afterwards|before)(?! than)|"
    r"(?:over|in|during|within) the (?:following|next|previous|preceding) (?:hours?|days?|weeks?|months?|years?|decades?))\b",
    re.IGNORECASE)
_LEAD_PRONOUNS = re.compile(r"\b(?:[Hh]e|[Ss]he|[Ii]ts?|[Tt]hey|[Tt]hem|[Tt]heir|[Hh]is|[Hh]er|[Hh]im)\b")
_QUOTES = re.compile(r"\u201c[^\u201d]*\u201d|\"[^\"]*\"")
_THING_PRONOUNS = {"it": "s", "its": "s", "they": "p", "them": "p", "their": "p"}
_PERSONAL = re.compile(r"(?<![\w'\u2019-])(?:he|she|his|her|hers|him)(?![\w'\u2019-])", re.IGNORECASE)
_CONTENT = re.compile(r"[A-Za-z][\w'-]{3,}")


def _words(text: str) -> int:
    return len(re.findall(r"[\w'\u2019]+", text))


def _quoted(sent) -> set[int]:
    """Token indices inside quotation marks (the speaker's words)."""
    out, inside, curly = set(), False, 0
    for t in sent.tokens:
        if inside or curly > 0:
            out.add(t.i)
        curly += t.text.count("\u201c") - t.text.count("\u201d")
        inside ^= t.text.count('"') % 2 == 1
    return out


def _definite(noun) -> str | None:
    """The determiner of a definite noun phrase that says nothing after the noun about which one ("the researchers,
    from the University of Cambridge," do not say which study)."""
    if noun.pos_ != "NOUN" or noun.ent_type_ not in ("", "CARDINAL") or noun.dep_ == "compound":
        return None
    det = next((c for c in noun.children if c.dep_ == "det" and c.i < noun.i), None)
    if det is None or det.lower_ not in _DEFINITE or det.lower_ == "that" and det.i and det.nbor(-1).pos_ in ("VERB", "AUX"):
        return None  # "To prove that radium existed": a conjunction
    if any(c.i > noun.i and c.dep_ in ("prep", "relcl", "acl", "appos") and not (
            c.lower_ in ("from", "at") and noun.lemma_.lower() in _GROUPS) and not cardgen_anaphora.aside(c)
           for c in noun.children) \
            or noun.i + 1 < len(noun.doc) and noun.nbor(1).pos_ == "PROPN" or noun.text[:1].isupper() and noun.i != noun.sent.start:
        return None  # "the government of Chancellor Cuno", "the cell that ...", "the astronomer William Lassell"
    if any(c.i < noun.i and c.dep_ not in ("det", "amod", "nummod", "compound", "punct") for c in noun.children):
        return None  # "the country's", possessives and the like
    return det.lower_


def _main(noun) -> bool:
    """In the main clause: not inside a relative, adverbial or complement clause."""
    return not any(t.dep_ in ("relcl", "acl", "advcl", "ccomp", "xcomp", "pcomp") for t in noun.ancestors)


def _personish(t) -> bool:
    """A person, or a noun that describes one: "the economist Phillip Cagan" (however the parser joined them)."""
    return t.ent_type_ == "PERSON" or any(u.ent_type_ == "PERSON" for u in t.subtree) \
        or t.i + 1 < len(t.doc) and t.nbor(1).ent_type_ == "PERSON"


def _core_nouns_before(sent, token, plural: bool) -> bool:
    """Whether a subject or object noun (or name) that the pronoun could stand for stands before it in its
    sentence: singular for "it"/"its" (not a person), plural for "they"/"them"/"their"."""
    for t in sent.tokens:
        if t.i >= token.i:
            return False
        if t.pos_ not in ("NOUN", "PROPN") or t.dep_ not in ("nsubj", "nsubjpass", "dobj", "attr", "conj", "appos") \
                or t.ent_type_ in ("DATE", "TIME", "QUANTITY", "MONEY", "PERCENT", "CARDINAL"):
            continue  # not "spent twenty years editing them"
        if plural and t.tag_ in ("NNS", "NNPS") or not plural and not _personish(t) and t.tag_ in ("NN", "NNP"):
            return True
    return False


def _own_things(sent) -> bool:
    """Whether every "it"/"its" of a lead has a thing as a subject before it in the lead, and every "they"/"them"/
    "their" a plural noun ("Frederick Sanger worked out the order of its amino acids": no)."""
    quoted = _quoted(sent)
    for t in sent.tokens:
        if t.i in quoted or t.lower_ not in _THING_PRONOUNS or t.pos_ != "PRON":
            continue
        if t.lower_ in ("it", "its") and not any(
                u.i < t.i and u.dep_ in ("nsubj", "nsubjpass") and u.pos_ in ("NOUN", "PROPN") and u.tag_ in ("NN", "NNP")
                and not _personish(u) for u in sent.tokens):
            return False
        if t.lower_ not in ("it", "its") and not _core_nouns_before(sent, t, True):
            return False
    return True


class Leads:
    def __init__(self, sentences, render, strict_leans, subject_words: set[str], cuts: dict, people: dict[str, str | None]):
        """`render(sent)`: the sentence as the generator writes it; `strict_leans(sent)`: the generator's own test
        that a sentence leans (its pronoun and definite-noun checks); `subject_words`: the headline's nouns;
        `cuts`: sentence start -> the (start, end, name) of what the generator already names ("It" -> "The court");
        `people`: each word of the names of the people in the text -> the gender the text shows, if one (a lead's "she"
        must follow the name of someone the text shows to be a she)."""
        self.people = people
        self.sentences, self.render, self.strict_leans, self.cuts = sentences, render, strict_leans, cuts
        self.subject_words = subject_words
        self.index = {s.start: i for i, s in enumerate(sentences)}
        self._needs: dict[int, int] = {}
        self.signs: dict[int, str] = {}  # sentence start -> the words that lean ("At the end", "the researchers")
        self.why = ""

    def needs(self, sent, card: str | None = None) -> int:
        """0: the sentence reads alone; 1: it seems to lean (a definite noun used before, an "it" that may be
        nobody's); 2: it leans (an opening, "there", a demonstrative, "its", "they"). With `card` (the card's text,
        which may be a question rewritten from the sentence): 0 unless the words that lean are on the card."""
        if sent.start not in self._needs:
            self._needs[sent.start] = self._leans(sent)
            self.signs[sent.start] = self.why
        sign = self.signs[sent.start].removeprefix("demonstrative ")
        if card is not None and sign and not re.search(rf"(?<!\w){re.escape(sign)}(?!\w)", card, re.IGNORECASE):
            return 0
        return self._needs[sent.start]

    def _leans(self, sent) -> int:
        self.why = ""
        text = sent.tokens.text
        opening = _OPENINGS.match(text) or _RELATIVE_TIME.match(text)
        if opening:
            self.why = opening.group(0)
            return 2
        quoted = _quoted(sent)
        first = cardgen_anaphora.demonstrative_subject(sent, quoted) or cardgen_anaphora.bare_event(sent) \
            or cardgen_anaphora.both_alone(sent, quoted)
        if first is not None:
            self.why = first.text  # "That is real harm", "Within an hour these reach the liver": what?
            return 2
        prev = self.previous(sent)
        told = [] if prev is None else [t for t in prev.tokens if t.i not in _quoted(prev)]
        used = {t.lemma_.lower() for t in told if t.pos_ == "NOUN"}  # the nouns of the sentence before
        places = any(e.label in ("GPE", "LOC", "NORP") for e in sent.entities)
        placed = prev is not None and any(e.label in ("GPE", "LOC") for e in prev.entities)
        weak = 0
        named = [(a, b) for a, b, _ in self.cuts.get(sent.start, [])]
        for t in sent.tokens:
            if t.i in quoted or any(a <= sent.token_start(t) < b for a, b in named):
                continue  # the speaker's words; what the generator names ("It" -> "The court of inquiry")
            low = t.lower_
            if low == "there" and t.dep_ == "advmod" and not any(e.label in ("GPE", "LOC", "FAC") and e.end <= sent.token_start(t)
                                                                  for e in sent.entities):
                self.why = "there"  # not "signed for Panama, although he had not lived there"
                return 2
            if low in _THING_PRONOUNS and t.pos_ == "PRON" and not _core_nouns_before(sent, t, low in ("they", "them", "their")):
                if low != "it":
                    self.why = low
                    return 2
                if prev is not None and any(u.tag_ in ("NN", "NNP") and u.ent_type_ != "PERSON" for u in prev.tokens):
                    self.why, weak = "it", 1  # "It was estimated that ...": an "it" may stand for nothing
            if t.lower_ in ("later", "earlier", "previous") and t.dep_ == "amod" and t.head.dep_ in ("nsubj", "nsubjpass"):
                self.why, weak = t.text, 1  # "A later attempt was abandoned": later than which?
            det = _definite(t)
            if det is None:
                continue
            lemma = t.lemma_.lower()
            if lemma in _GENERIC or lemma in self.subject_words or t.lower_.rstrip("s") in self.subject_words:
                continue
            if any(u.i < t.i and u.lemma_.lower() == lemma for u in sent.tokens):
                continue  # "a trial ... the trial", "which claimed ... that claim": said on the card
            if det in _DEMONSTRATIVE and _main(t):
                self.why = "demonstrative " + t.text
                return 2
            if det in _DEMONSTRATIVE:
                self.why, weak = "demonstrative " + t.text, 1  # "a lecture that challenged this view"
                continue
            if lemma in used or det == "the" and t.tag_ == "NNS" and any(c.dep_ == "nummod" for c in t.children) \
                    or lemma in _PLACE_KINDS and not places and placed and t.dep_ in ("nsubj", "nsubjpass", "dobj", "poss") \
                    or lemma in _GROUPS and t.tag_ == "NNS" and t.dep_ in ("nsubj", "nsubjpass"):
                self.why, weak = t.text, 1  # the noun: "the central bank" is on the card
        return weak

    def previous(self, sent):
        """The sentence before (in the paragraph before, for a paragraph's first), or None."""
        i = self.index[sent.start]
        return self.sentences[i - 1] if i else None

    def lead(self, sent, answers: list[str], kind: tuple[str, tuple[str, ...]] | None = None) -> str | None:
        """The sentence before, written out, when it can lead this sentence's card. `kind`: the noun that leans
        and the entity labels of what it stands for ("committee", ("ORG",)): the lead must name just one, and a body by
        its own kind word ("the committee" is the Nobel Committee, not the Bureau of Weights and Measures)."""
        prev = self.previous(sent)
        if prev is None:
            return None
        text = self.render(prev)
        if _words(text) > MAX_WORDS or text.rstrip()[-1:] not in ".!\u201d\"" or self.needs(prev) or self.strict_leans(prev):
            return None
        bare = _QUOTES.sub("", text)
        if re.match(r"(?:He|She|It|They|His|Her|Its|Their|This|These|Those)\b", bare) or not _own_things(prev):
            return None
        for m in _PERSONAL.finditer(bare):  # "Heezen dismissed her finding", "Truman appointed her": whose?
            gender = PERSONAL[m.group(0).lower()]
            if not any(self.people.get(w) == gender for w in re.findall(r"[A-Z][\w-]+", bare[:m.start()])):
                return None
        if kind is not None:
            noun, labels = kind
            if len({e.text for e in prev.entities if e.label in labels and (labels != ("ORG",) or noun in e.text.lower())}) != 1:
                return None  # "The Port of Malmo and the Port of Ystad ... The port handled": which one?
        for answer in answers:
            if answer and re.search(rf"(?<!\w){re.escape(answer)}(?!\w)", text, re.IGNORECASE):
                return None  # the lead would give the answer away
            words = {w.lower() for w in _CONTENT.findall(answer or "")}
            if len(words) >= 3 and len(words & {w.lower() for w in _CONTENT.findall(text)}) * 2 >= len(words):
                return None  # a reason the lead says in other words
        return text


_ENUMERATION = re.compile(rf"(?:First|Firstly|{_STEPS}),\s+(?=\w)")


def without_connective(text: str, sent, cuts: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The cuts, and one that leaves an argument's step marker opening the sentence off the card ("Second, a fund
    created in 1990 paid ..." -> "A fund created ..."): the card states the step, not its place in a list. The next
    word is capitalised, inside the cloze's deletion when that starts there ("{{c1::The amount of land ...}}")."""
    m = _ENUMERATION.match(text, sent.start, sent.end)
    if m is None:
        return cuts
    start, end = sent.start, m.end()
    if not text[end].islower():  # a capital or a digit stays as it is
        return cuts if any(a < end and start < b for a, b, _ in cuts) else [*cuts, (start, end, "")]
    touching = [c for c in cuts if c[0] <= end and start < c[1]]
    if not touching:
        return [*cuts, (start, end + 1, text[end].upper())]
    a, b, piece = touching[0]
    if len(touching) > 1 or a != end or not piece.startswith("{{c1::"):
        return cuts
    k = len("{{c1::")
    return [c for c in cuts if c is not touching[0]] + [(a, b, piece[:k] + piece[k].upper() + piece[k + 1:]), (start, end, "")]


def put_lead(gen, draft) -> str | None:
    """Give the generator's draft card its lead when its sentence needs one (`draft.leans`: the generator's own
    checks; `Leads.needs`), and name what keeps the card out, if anything: a sentence that leans with no sentence
    before to lead it, or a pronoun that neither the card nor its lead names (`cardgen_refer.dangling`)."""
    f, lead, leads = draft.fields, None, gen.leads
    if draft.led:
        return None  # a draft put back in the queue
    answers = [draft.answer, f.get("answer") or "", *f.get("alternatives", []), *(draft.name or "").split()[-1:]]
    if draft.leans or (need := leads.needs(draft.sentence, f["prompt"])):
        lead = leads.lead(draft.sentence, answers, gen.speakers.refer.context.kind_leaning(draft.sentence))
        if lead is None and (draft.leans or need > 1):
            return draft.leans or "the sentence leans on the one before, which cannot lead its card"
    refer = gen.speakers.refer
    refer.title_person_allowed = False  # a lead that names the person says more than the title: tried first
    pronoun = dangling(gen, draft, lead)
    if pronoun and lead is None and (lead := leads.lead(draft.sentence, answers)):
        pronoun = dangling(gen, draft, lead)
    refer.title_person_allowed = True
    if pronoun:  # no lead names whom the pronoun means: the title's person may (`cardgen_title.title_person`)
        pronoun = dangling(gen, draft, lead)
    if pronoun:
        return f"unresolved pronoun ({pronoun!r} refers to no one named in the card)"
    if lead:
        prompt = lead + " " + f["prompt"]
        statement = cardtext.strip_markup(prompt).strip() if f["type"] == "cloze" else \
            f.get("statement") and lead + " " + f["statement"]  # a cloze's statement: its text, filled in
        draft.fields, draft.score, draft.led = {**f, "prompt": prompt, "statement": statement}, draft.score - 0.05, True
    return None


def dangling(gen, draft, lead: str | None = None) -> str | None:
    """A pronoun the card keeps with no referent named in the card or its lead (`cardgen_refer.dangling`); the lead's
    own pronouns were checked when it was chosen (`Leads.lead`). With a lead, an "it"/"they" is the lead's subject when
    that is one thing (several), and a he/she the one person the lead names, unless the text shows the other gender."""
    f, who = draft.fields, draft.fields.get("answer") or ""  # a "Who ... her ...?" answer is in the card
    text, who = f["prompt"] + " " + who, who if draft.reason == "person" and f["type"] == "basic" else ""
    if draft.reason == "why" and f["type"] == "basic" and (left := cardgen_anaphora.purpose_object(draft.sentence, f)):
        return left  # "Why did Eisenhower send soldiers ...? To escort them inside": them is not the soldiers
    he = gen._he(draft.sentence)
    cut = cardgen_it.person_cut(gen.speakers.refer, draft.sentence, bool(he))
    named = cut[2].removesuffix("'s") if cut else ""  # "took Ignaz Semmelweis to an asylum ..., where he"
    prev = gen.leads.previous(draft.sentence) if lead else None
    told = [e.text for e in prev.entities if e.label == "PERSON"] if prev else []
    told += [p for p in gen.people.full if lead and p in lead]  # "Her colleagues" written "Grace Hopper's colleagues"
    head = _LEAD_PRONOUNS.sub("", lead) + " " if lead else ""
    for _ in range(8):
        pronoun = gen.speakers.refer.dangling(draft.sentence, head + text, (he or "", who, named))
        if pronoun is None or prev is None or not _stands_for(gen, draft.sentence, prev, pronoun.lower(), told):
            return pronoun
        text = re.sub(rf"(?<![\w'\u2019-]){re.escape(pronoun)}(?![\w'\u2019-])", "", text, count=1)  # the lead names it
    return None


def _stands_for(gen, sent, prev, word: str, told: list[str]) -> bool:
    """Whether the lead (`prev`) says what the card's pronoun stands for: its subject, one thing for "it", several for
    "they"; for a subject he/she, the lead's subject when that is a person the text shows to be of that gender
    ("The mayor, Anton Fisk, decided to meet Otto Brandt ... He travelled to Dorn"); for any other he/she/his/her,
    the one person the lead names, when that person (or their "his ...") is its subject and the text shows them to be
    of the pronoun's gender (Ada is "she"; Babbage, of whom the text says nothing, is not)."""
    subject = next((c for c in prev.tokens.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if word in ("he", "she") and subject is not None:  # a subject "he" continues the lead's subject
        a, b = prev.token_start(subject.left_edge), prev.token_end(subject.right_edge)  # "The mayor of Vell, Anton Fisk,"
        within = {e.text for e in prev.entities if e.label == "PERSON" and a <= e.start and e.end <= b}
        person = next(iter(within)) if len(within) == 1 else None
        if person and gen.speakers.refer.gender(gen.people.canonical(person), sent) == word:
            return True  # not when the text does not show it: "Alan Frost ... She died in Leeds" (Ruth Kemp)
    if word in PERSONAL:
        people = {gen.people.canonical(p) for p in told}
        if len(people) != 1 or gen.speakers.refer.gender(next(iter(people)), sent) != PERSONAL[word]:
            return False
        return subject is not None and (subject.ent_type_ == "PERSON" or subject.lower_ in ("he", "she") and gen._he(prev)
                                        or any(c.dep_ == "poss" and (c.ent_type_ == "PERSON" or c.lower_ in ("his", "her"))
                                               for c in subject.children))  # the lead is about the person
    if subject is None or subject.pos_ not in ("NOUN", "PROPN") or subject.ent_type_ == "PERSON":
        return False
    plural = subject.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in subject.children)
    return plural if word in ("they", "them", "their", "theirs", "themselves") else not plural
