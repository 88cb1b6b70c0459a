"""Who a pronoun stands for, only when a general rule makes it unambiguous (pure).

* "he"/"she" (and him/his/her/...) stands for a person P only when P is the one person named before
  it in its paragraph (earlier in the same sentence, or in an earlier sentence of the paragraph) whose
  gender is not known to be the other one, and the text itself shows P to be "he"/"she" (votes from
  `cardgen_quotes.Speakers`: "P ... his ...", or the sentence after one whose subject is P opens
  with the pronoun). A person the text calls "he" is never "she", and the reverse.
* "they" / "the report" stands for an organisation only when the nearest sentence naming one (this
  one, or one of the three before) names exactly one.
* A card whose text keeps a pronoun with no possible referent earlier in the card itself
  (`dangling`) is unusable out of context: the generator drops it ("unresolved pronoun").
"""
from __future__ import annotations

import re
from collections import Counter

from . import cardgen_anaphora, cardgen_context, cardgen_it, cardgen_terms, cardgen_title, nlp_kinds

PERSONAL = {"he": "he", "him": "he", "his": "he", "himself": "he",
            "she": "she", "her": "she", "hers": "she", "herself": "she"}
# generic English marks of gender: a title before a name, or a role noun said of the person
_TITLES = {"mr": "he", "sir": "he", "lord": "he", "king": "he", "prince": "he", "duke": "he",
           "mrs": "she", "ms": "she", "miss": "she", "lady": "she", "queen": "she", "princess": "she",
           "duchess": "she", "countess": "she", "dame": "she"}
_ROLES = {**{w: "he" for w in ("father", "son", "husband", "brother", "uncle", "nephew", "grandfather",
                               "king", "duke", "earl", "man", "boy", "widower", "actor")},
          **{w: "she" for w in ("mother", "daughter", "wife", "sister", "aunt", "niece", "grandmother",
                                "queen", "duchess", "countess", "woman", "girl", "widow", "actress")}}
THINGS = frozenset({"it", "its", "itself", "they", "them", "their", "theirs", "themselves"})
_PRONOUN = re.compile(r"(?<![\w'\u2019-])(" + "|".join(sorted({*PERSONAL, *THINGS}, key=len, reverse=True))
                      + r")(?![\w'\u2019-])", re.IGNORECASE)
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}")
_BODIES = frozenset({"government", "nation", "public", "press", "crown", "regime"})  # bodies that own no "his"
_QUOTED = re.compile(r"\u201c[^\u201d]*\u201d|\"[^\"]*\"")


def plain(text: str) -> str:
    """Card text as the learner reads it: cloze deletions filled in."""
    return _CLOZE.sub(lambda m: m.group(1), text)


class Referents:
    def __init__(self, reading, gender_votes: dict[str, Counter], vote_of: dict[int, Counter],
                 window: int, opens_with: str | None = None):
        self.reading = reading
        cardgen_terms.companies(reading.sentences)  # "Ford moved production from its plant": the company
        self.votes = gender_votes
        self.vote_of = vote_of      # sentence start -> votes it cast, keyed (person, pronoun)
        self.window = window
        self.index = {s.start: i for i, s in enumerate(reading.sentences)}
        self.things = cardgen_it.referents(  # sentence start -> resolved it/its
            reading.sentences, frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", reading.titles())))
        for start, cuts in cardgen_it.named_descriptions(reading.sentences, reading.titles()).items():  # "The university" named
            self.things.setdefault(start, cuts)
        self.context = cardgen_context.Context(reading.text, reading.sentences, reading.titles(), self.things)
        self.things = self.context.cuts  # and "The city" named ("Stockholm"), `cardgen_context`
        self.marks = self._marks(reading)
        self.main = self._main(reading)
        self.opens_with = opens_with  # paragraphs open with this person's pronoun (`Speakers`)
        self._nouns: dict[int, dict[str, set[str]]] = {}  # sentence start -> `_thing_nouns`
        self.headline_person: str | None = None  # the one person the title names ("" for none), `cardgen_title.title_person`
        self.title_person_allowed = True  # off while `cardgen_lead.put_lead` looks for a lead that names the person
        self.chain: Counter = Counter()  # (person, pronoun) resolved by `_recent_subject` so far
        self.resolved: dict[int, str | None] = {}  # subject pronoun offset -> person, in text order
        self.subjects: dict[int, list[tuple[int, str | None]]] = {}  # sentence index -> (at, person)
        self.in_main_clause: set[tuple[int, int]] = set()  # (sentence index, at) of subjects of the main clause
        for i, sent in enumerate(reading.sentences):
            self.subjects[i] = []
            quoted = [m.span() for m in _QUOTED.finditer(reading.text, sent.start, sent.end)]
            for token in sent.tokens:
                if any(a <= sent.token_start(token) < b for a, b in quoted):
                    continue  # the speaker's words: "When Berlin falls, ..." he warned
                if token.dep_ in ("nsubj", "nsubjpass"):
                    person = self._subject_person(sent, token)
                    if person and person.startswith("~") and token.head.dep_ in ("relcl", "advcl", "acl") \
                            and self._subject(sent):
                        continue  # "X was born in Erode, where his father worked as a clerk": the father is no rival
                    self.subjects[i].append((sent.token_start(token), person))
                    root = sent.tokens.root
                    if token.head == root or token.head.dep_ == "conj" and token.head.head == root:
                        self.in_main_clause.add((i, sent.token_start(token)))

    @staticmethod
    def _main(reading) -> str | None:
        """Whom the text is about: the most-mentioned person the headline names, else the most
        mentioned person."""
        mentions = Counter(reading.people.canonical(e.text) for s in reading.sentences
                           for e in s.entities if e.label == "PERSON")
        headline = set(re.findall(r"\w+", reading.titles()))
        named = [p for p, _ in mentions.most_common() if headline & set(p.split())]
        return (named or [p for p, _ in mentions.most_common(1)] or [None])[0]

    def _subject_person(self, sent, token) -> str | None:
        """A subject's person: a named one, a resolved "he"/"she", or a role noun ("Her mother"),
        which is someone of that gender ("~mother")."""
        named = [token, *(c for c in token.children if c.dep_ in ("appos", "compound"))]  # "Her colleague Tom Reid"
        ent = next((e for t in named for e in sent.entities
                    if e.label == "PERSON" and e.start <= sent.token_start(t) < e.end), None)
        if ent is not None:
            return self.reading.people.canonical(ent.text)
        if token.lower_ in ("he", "she"):
            return self.person(sent, token)
        singular = token.tag_ == "NN"  # "Girls were not allowed ..., so she ...": not one of the girls
        return "~" + token.lemma_.lower() if singular and token.lemma_.lower() in _ROLES else None

    @staticmethod
    def _marks(reading) -> dict[str, set[str]]:
        """Gender shown by a title ("Lady Byron", "Mr Smith") or a role noun said of the person
        ("P, the mother of ...", "his wife P", "P was a countess")."""
        marks: dict[str, set[str]] = {}
        for sent in reading.sentences:
            for e in (e for e in sent.entities if e.label == "PERSON"):
                found = set()
                words = e.text.lower().replace(".", "").split()
                before = reading.text[max(0, e.start - 12):e.start].lower().replace(".", "").split()
                for w in [words[0] if len(words) > 1 else "", *before[-1:]]:
                    if w in _TITLES:
                        found.add(_TITLES[w])
                inside = [t for t in sent.tokens if e.start <= sent.token_start(t) < e.end]
                for t in inside:
                    heads = [t.head] if t.dep_ == "appos" else []
                    heads += [c for c in t.children if c.dep_ == "appos"]
                    if t.dep_ in ("nsubj", "nsubjpass"):
                        heads += [c for c in t.head.children if c.dep_ == "attr"]
                    for h in heads:
                        if h not in inside and h.lemma_.lower() in _ROLES:
                            found.add(_ROLES[h.lemma_.lower()])
                if found:
                    marks.setdefault(reading.people.canonical(e.text), set()).update(found)
        return marks

    def gender(self, person: str, sent=None, marks: bool = True) -> str | None:
        """"he" or "she" when the text only ever shows that one (any conflict: unknown). The vote
        cast by `sent`'s own subject pronoun is left out: a pronoun is no evidence for itself. Titles
        and role nouns (`marks`) count only to rule a person out, and there they win over votes (one
        "his" in a sentence about a woman is someone else's)."""
        if person.startswith("~"):
            return _ROLES[person[1:]]
        if marks and len(self.marks.get(person, ())) == 1:
            return next(iter(self.marks[person]))  # "Anna Murray, a free woman": stronger than a stray "his"
        votes = Counter(self.votes.get(person, Counter()))
        own = self.vote_of.get(sent.start, Counter()) if sent is not None else Counter()
        for pronoun in ("he", "she"):
            votes[pronoun] -= own[person, pronoun]
            votes[pronoun] += self.chain[person, pronoun] + (marks and pronoun in self.marks.get(person, ()))
        if bool(votes["he"]) == bool(votes["she"]):
            return None
        return "he" if votes["he"] else "she"

    def _before(self, sent, position: int, labels: tuple[str, ...]) -> list[str]:
        """Names (canonical) with one of `labels` named in the paragraph before `position`."""
        i = self.index[sent.start]
        earlier = [s for s in self.reading.sentences[:i] if s.paragraph == sent.paragraph]

        def names(sentences) -> list[str]:
            return [self.reading.people.canonical(e.text) if e.label == "PERSON" else e.text
                    for s in sentences for e in s.entities if e.label in labels and e.start < position]

        # a paragraph that has named no one yet: the last few sentences before it
        return names([*earlier, sent]) or names(self.reading.sentences[max(0, i - self.window):i])

    def person(self, sent, token) -> str | None:
        """The one person a "he"/"she"-type token can stand for, or None (ambiguous or no evidence)."""
        pronoun = PERSONAL.get(token.lower_)
        if pronoun is None:
            return None
        at = sent.token_start(token)
        if token.dep_ in ("nsubj", "nsubjpass"):  # worked out once, in text order
            if at not in self.resolved:
                found = self._recent_subject(sent, token, pronoun) or self._the_other(sent, token, pronoun)
                self.resolved[at] = found
                self.chain[found, pronoun] += found is not None
            return self.resolved[at]
        owned = {sent.token_start(t) for t in token.head.subtree}  # "his friend Jakob Kolletschka": not his
        fits = {p for p in self._before(sent, at, ("PERSON",)) if self.gender(p, sent) in (pronoun, None)}
        if len(fits) == 1 and self.gender(next(iter(fits)), sent, marks=False) == pronoun:
            return next(iter(fits))
        i = self.index[sent.start]
        told = {p for j in self._paragraph_upto(i) for a, p in self.subjects.get(j, []) if p and a < at}
        if (not fits or told == {self.main}) and token.dep_ in ("poss", "dobj") and self.opens_with \
                and self.opens_with == self.main \
                and self.gender(self.main, sent, marks=False) == pronoun and not any(
                    e.label == "PERSON" and not (token.dep_ == "poss" and e.start in owned) for e in sent.entities):
            return self.main  # "... named meitnerium in her honour", "his friend Jakob K.", in a text about him/her
        return None

    def _recent_subject(self, sent, token, pronoun: str) -> str | None:
        """A subject "he"/"she" continues the paragraph's subjects: the one person who was a subject
        earlier in the paragraph and is not known to be the other gender, if it is the person the text
        is about or the text's pronouns show it to be `pronoun` (a title or role noun only rules people
        out); when none was, the person the text is about, if shown to be `pronoun` and no one else who
        could be meant was a subject since. Several: None."""
        i, at = self.index[sent.start], sent.token_start(token)
        earlier = [j for j in range(i + 1) if self.reading.sentences[j].paragraph == sent.paragraph]
        subjects = {p for j in earlier for a, p in self.subjects.get(j, []) if p and (j < i or a < at)}
        fits = {p for p in subjects if self.gender(p, sent) in (pronoun, None)}
        if len(fits) > 1 and self.main in fits:  # "X ... because Y showed ... Back home he ...": the text's person,
            # when every other who fits was a subject only of a subordinate clause
            ruling = {p for j in earlier for a, p in self.subjects.get(j, []) if p in fits and (j < i or a < at)
                      and (j, a) in self.in_main_clause}
            fits = ruling if ruling == {self.main} else fits
        if len(fits) == 1:
            (only,) = fits
            if only.startswith("~"):  # "Her daughter ... She": someone the text does not name
                return None
            return only if self.gender(only, sent, marks=False) == pronoun or only == self.main \
                or self._sole_previous(sent, i, at, only) else None
        if fits or not self.main or self.gender(self.main, sent, marks=False) != pronoun:
            return None
        named = [e for s in self.reading.sentences[:i + 1] if s.paragraph == sent.paragraph
                 for e in s.entities if e.label == "PERSON" and e.start < at]
        if not named and not subjects and self.opens_with == self.main:
            return self.main  # a paragraph that speaks of "she" before naming anyone: the text's person
        for j in range(i, -1, -1):  # back to the main person's last time as a subject
            for a, p in reversed(self.subjects.get(j, [])):
                if p == self.main and (j < i or a < at):
                    return p
                if p and (j < i or a < at) and self.gender(p, sent) in (pronoun, None):
                    return None  # someone else who could be meant was a subject since
        return None

    def _paragraph_upto(self, i: int) -> list[int]:
        """Indexes of the sentences of sentence i's paragraph up to i ("In 1855 he left ... took him")."""
        sentences, j = self.reading.sentences, i
        while j > 0 and sentences[j - 1].paragraph == sentences[i].paragraph:
            j -= 1
        return list(range(j, i + 1))

    def _the_other(self, sent, token, pronoun: str) -> str | None:
        """A subject "he" in a text about a "she" (or the reverse) is the one other person named in the
        sentence before ("She kept writing to Hahn. In December 1938 he reported ..."), when nobody is
        named in its own sentence before it, the sentence before is in its paragraph and names no third
        person, and that person is not known to be the main person's gender."""
        i, at = self.index[sent.start], sent.token_start(token)
        if not self.main or i == 0 or self.gender(self.main, sent, marks=False) in (pronoun, None):
            return None
        prev = self.reading.sentences[i - 1]
        if prev.paragraph != sent.paragraph or any(e.label == "PERSON" and e.start < at for e in sent.entities):
            return None
        others = {self.reading.people.canonical(e.text) for e in prev.entities if e.label == "PERSON"} - {self.main}
        if len(others) != 1:
            return None
        (other,) = others
        return other if self.gender(other, sent) in (pronoun, None) else None

    def _sole_previous(self, sent, i: int, at: int, person: str) -> bool:
        """The sentence before (same paragraph) has `person` as its subject, no one else is named in
        the paragraph up to the pronoun, that sentence has no pronoun or role noun of a person, and no
        one named in this or the previous paragraph is known to be of the pronoun's gender
        ("President Richard Nixon announced ... He also imposed ...")."""
        if i == 0 or self.reading.sentences[i - 1].paragraph != sent.paragraph:
            return False
        prev = self.reading.sentences[i - 1]
        if not any(p == person for _, p in self.subjects.get(i - 1, [])):
            return False
        named = {self.reading.people.canonical(e.text) for s in self.reading.sentences[:i + 1]
                 if s.paragraph == sent.paragraph for e in s.entities if e.label == "PERSON" and e.start < at}
        if named != {person} or any(t.lower_ in PERSONAL or t.lemma_.lower() in _ROLES for t in prev.tokens):
            return False
        pronoun = PERSONAL[sent.tokens.doc[next(t.i for t in sent.tokens if sent.token_start(t) == at)].lower_]
        nearby = {self.reading.people.canonical(e.text) for s in self.reading.sentences[:i + 1]
                  if sent.paragraph - 1 <= s.paragraph <= sent.paragraph for e in s.entities if e.label == "PERSON"}
        return not any(self.gender(p, sent) == pronoun for p in nearby - {person})  # someone else it could be

    def organisation(self, sent, token) -> str | None:
        """What "they" / "the report" stands for: the nearest sentence (this one before `token`, or one
        of the three before it) that names an organisation must name exactly one; else None."""
        i = self.index[sent.start]
        position = sent.token_start(token)
        for s in [sent, *reversed(self.reading.sentences[max(0, i - 3):i])]:
            orgs = {e.text for e in s.entities if e.label == "ORG" and e.start < position}
            if orgs:
                return orgs.pop() if len(orgs) == 1 else None
        return None

    def dangling(self, sent, card_text: str, extra_names: tuple[str, ...] = ()) -> str | None:
        """The first pronoun of `card_text` with no possible referent before it in the card, or None.

        A personal pronoun needs a person named earlier in the card whose gender the text shows to be
        the pronoun's, or a role noun of that gender ("her father ... him"); or (unless an object
        "him"/"her", which is someone else) the sentence's named
        subject when nothing shows its gender is the other; or (a possessive) the main verb's resolved
        he/she subject named in the card, when it is the only person of that gender there; or (a
        possessive) an active common-noun subject. "it"/"they" need a noun or name of the sentence earlier in the card. Quoted words
        are in the speaker's voice and are not checked.
        """
        text = _QUOTED.sub(lambda m: " " * len(m.group(0)), plain(card_text))
        people = [e.text for e in sent.entities if e.label == "PERSON"]
        subject = self._subject(sent)  # "For her research, Marie Curie chose ...": her = the subject
        if sent.start not in self._nouns:
            self._nouns[sent.start] = cardgen_it.thing_nouns(sent, THINGS)
        nouns = self._nouns[sent.start]
        named_things = [name.removesuffix("'s") for *_, name in self.things.get(sent.start, [])]
        for m in _PRONOUN.finditer(text):
            word, head = m.group(1).lower(), text[:m.start()]
            after = re.match(r"\s+([A-Z][\w-]*)", text[m.end():])
            if m.group(1)[:1].isupper() and after and any(after.group(1) in p.split() for p in people):
                continue  # a name that begins like a pronoun ("He Jiankui")
            if word in PERSONAL:
                named = [p for p in [*people, *extra_names] if p and re.search(rf"(?<!\w){re.escape(p)}(?!\w)", head)]
                if any(self.gender(self.reading.people.canonical(p), sent) == PERSONAL[word] for p in named):
                    continue
                if word in ("his", "her") and self._only_person(sent, named, PERSONAL[word]):
                    continue  # "The government asked Hermann Bondi ... to study the danger, and his report ..."
                if cardgen_anaphora.role_before(head, PERSONAL[word], _ROLES, self.reading.people.all()):
                    continue  # "... the same age as her father, and was buried beside him"
                if word in ("him", "her") and self._other_clause_subject(sent, word, named):
                    continue  # "Gail Halvorsen began dropping sweets ..., and other crews soon joined him"
                own = word not in ("him", "her") or (word == "her" and all(  # an object is someone else
                    t.dep_ == "poss" for t in sent.tokens if t.lower_ == "her"))
                seen = head if word in ("he", "she") else text  # a subject pronoun cannot point forward
                if own and subject and self.gender(self.reading.people.canonical(subject), sent) in (
                        PERSONAL[word], None) and re.search(rf"(?<!\w){re.escape(subject)}(?!\w)", seen):
                    continue  # "Maria Lopez founded it with money from her uncle": the subject's
                he = extra_names[0] if extra_names else ""
                if word in ("his", "her", "hers") and own and he and re.search(rf"(?<!\w){re.escape(he)}(?!\w)", text) \
                        and self.gender(self.reading.people.canonical(he), sent) == PERSONAL[word] and not any(
                            self.gender(self.reading.people.canonical(p), sent) == PERSONAL[word]
                            for p in people if self.reading.people.canonical(p) != self.reading.people.canonical(he)):
                    continue  # "Because the book named his former owners, ... Frederick Douglass sailed ...": his
                if own and word != PERSONAL[word] and self._agent_before(sent, head):
                    continue  # "the president chose ..., which his advisers called ...": the subject's
                if own and cardgen_title.title_person(self, sent, word, PERSONAL, _ROLES):
                    continue  # "The prints he learned to make ..." under "Hokusai, the Old Man Mad About Painting"
                return m.group(1)
            elif not any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", head) for n in nouns.get(word, ())) \
                    and not (word in ("it", "its") and any(thing in head for thing in named_things)) \
                    and word not in nouns["<ahead>"]:  # "When it opened in 1883, the Brooklyn Bridge joined ..."
                return m.group(1)
        return None

    def _only_person(self, sent, named: list[str], pronoun: str) -> bool:
        """A possessive after the one person of the sentence, the main verb's subject or object, of unknown gender,
        when the paragraph names no one before it, no he/she/him is in the sentence and the possessive is no object "her"."""
        canon = self.reading.people.canonical
        people = {canon(e.text) for e in sent.entities if e.label == "PERSON"}
        if len({canon(p) for p in named}) != 1 or len(people) != 1 or self.gender(next(iter(people)), sent) is not None:
            return False
        if pronoun == "she" and not all(t.dep_ == "poss" for t in sent.tokens if t.lower_ == "her"):
            return False
        person = next(e for e in sent.entities if e.label == "PERSON")
        if not any(sent.token_start(t) >= person.start and sent.token_end(t) <= person.end and t.head == sent.tokens.root
                   and t.dep_ in ("nsubj", "nsubjpass", "dobj") for t in sent.tokens):
            return False  # the main verb's subject or object, not "a journal edited by X, and signed with her ..."
        i = self.index[sent.start]
        return not any(e.label == "PERSON" for s in self.reading.sentences[:i] if s.paragraph == sent.paragraph
                       for e in s.entities) and not any(t.lower_ in ("he", "she", "him") for t in sent.tokens)

    def _other_clause_subject(self, sent, word: str, named: list[str]) -> bool:
        """An object "him"/"her" stands for the one person named before it in the card when that person
        is the subject of another clause of the sentence (not the pronoun's own, whose subject it cannot
        be), the sentence names no one else, and the text does not show the person to be the other gender."""
        people = {self.reading.people.canonical(e.text) for e in sent.entities if e.label == "PERSON"}
        if len({self.reading.people.canonical(p) for p in named}) != 1 or len(people) != 1:
            return False
        (person,) = people
        if self.gender(person, sent) not in (PERSONAL[word], None):
            return False
        uses = [t for t in sent.tokens if t.lower_ == word and t.dep_ in ("dobj", "pobj", "dative")]
        if len(uses) != 1:
            return False
        verb = uses[0].head if uses[0].dep_ != "pobj" else uses[0].head.head
        subjects = [t for t in sent.tokens if t.dep_ in ("nsubj", "nsubjpass")]
        mine = [t for t in subjects if t.head == verb]

        def names_person(t) -> bool:
            return any(e.label == "PERSON" and e.start <= sent.token_start(c) < e.end
                       for c in (t, *t.children) for e in sent.entities)

        if any(t.lower_ in PERSONAL for t in mine):
            return False  # "Peter Lind was elected ..., and he asked her ...": he is Peter Lind, her someone else
        return bool(mine) and not any(names_person(t) for t in mine) and any(
            names_person(t) for t in subjects if t.head != verb)

    @staticmethod
    def _agent_before(sent, head: str) -> bool:
        """The main verb's active subject is a singular common noun already in the card (an agent: a
        person or a group), so a possessive "his"/"her"/"hers" reads as theirs ("British supporters ...
        his freedom" is someone else's)."""
        root = sent.tokens.root
        subj = next((t for t in root.children if t.dep_ == "nsubj" and t.pos_ == "NOUN" and t.tag_ == "NN"), None)
        if subj is not None and nlp_kinds.kind_word(subj.text, None) or subj is not None and subj.lower_ in _BODIES:
            return False  # "the Indian government declared his birthday ...": a body has no "his"
        return subj is not None and cardgen_anaphora.agent(subj, _ROLES) \
            and re.search(rf"(?<!\w){re.escape(subj.text)}(?!\w)", head) is not None

    def _subject(self, sent) -> str | None:
        """The person named as the subject of the sentence's main verb, if any."""
        root = sent.tokens.root
        for token in root.children:
            if token.dep_ in ("nsubj", "nsubjpass"):
                named = [token]  # "The economist Ann Vell", "The ship's captain, Ann Vell,": the name is the subject;
                if not any(c.dep_ == "poss" and c.pos_ == "PRON" for c in token.children):  # not in "His superior,
                    named += [c for c in token.children if c.dep_ == "appos"]  # Jon Klein, ...": "his" is someone else
                return next((e.text for t in named for e in sent.entities
                             if e.label == "PERSON" and e.start <= sent.token_start(t) < e.end), None)
        return None
