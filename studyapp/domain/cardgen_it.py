"""What a sentence's "it"/"its" stands for, when the sentence before makes it plain (pure).

A sentence whose subject is "it" (or begins with "Its ...") continues the previous sentence's subject
when that subject is one singular thing: "The blockade had failed. Stalin lifted it ..." -> "Stalin
lifted the blockade ...". Only when every one of these holds:

* the two sentences are in one paragraph, and the previous sentence's main subject is a singular
  common noun or a name that is not a person ("the bridge", "A court of inquiry", "Moscow"), not a
  group of people or things ("a group of officers"), nor a description of a person named beside it
  ("The chief engineer ..., Joseph Bazalgette,"), or an "it" resolved this way (a chain); and its
  main verb has no singular object or complement that "it" could be as well ("designed the new
  network");
* the previous sentence has no other "it"/"its" (it would be about something else as well);
* the pronoun is the main verb's subject, or the possessive of that subject ("Its designer"), with
  no singular thing named before it in its own sentence; or the main verb's object "it" when the
  previous sentence names nothing but its subject ("The bridge was admired at once. Queen Victoria
  crossed it ...") and the object's own subject is a person.

A sentence opening with the subject "They" stands for the one plural noun of the sentence before, when
that sentence names no other plural noun, no person and no they/them/their ("The system was designed
to have 24 satellites ... They orbit ..." -> "The satellites orbit ...").

The card then names the thing ("the bridge", "the bridge's"). Anything else stays unresolved (and a
card that keeps such a pronoun is dropped, `cardgen_refer.dangling`).
"""
from __future__ import annotations

import re

_SUBJECTS = ("nsubj", "nsubjpass")


def _subject(sent):
    return next((c for c in sent.tokens.root.children if c.dep_ in _SUBJECTS), None)


def _is_person(sent, token) -> bool:
    return any(e.label == "PERSON" and e.start <= sent.token_start(token) < e.end for e in sent.entities)


def _phrase(subj) -> str | None:
    """ "the" + the subject's describing words + its noun (+ a short "of" phrase): "the court of inquiry"."""
    if subj.tag_ not in ("NN", "NNP"):
        return None
    words = [c for c in subj.children if c.dep_ in ("compound", "amod") and c.i < subj.i]
    if subj.tag_ == "NNP" and not any(c.dep_ == "det" for c in subj.children):
        return " ".join(t.text for t in [*words, subj])  # "Moscow", "Britain"
    span = sorted([*(t for c in words for t in c.subtree), subj], key=lambda t: t.i)
    of = next((c for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None:
        pobj = [c for c in of.children if c.dep_ == "pobj"]
        if len(pobj) != 1 or pobj[0].tag_ in ("NNS", "NNPS") or pobj[0].pos_ == "PRON":
            return None  # "a group of officers": the group or the officers
        if len(list(of.subtree)) <= 3:
            span += list(of.subtree)
    if span[-1].i - span[0].i != len(span) - 1:
        return None
    words = [t.text for t in span]
    if any(c.dep_ == "poss" for c in subj.children):
        return None  # "The parasite's life cycle": not "the life cycle"
    if not any(c.dep_ == "det" for c in subj.children):  # a bare subject: "Acute mountain sickness ... It"
        if span[0].i == span[0].sent.start and span[0].tag_ != "NNP":
            words[0] = words[0][:1].lower() + words[0][1:]  # capitalised only as the sentence's first word
        return " ".join(words)
    return "the " + " ".join(words)


def _things_before(sent, token) -> bool:
    """A singular thing (not a person) named before `token` in its sentence."""
    return any(t.i < token.i and t.tag_ in ("NN", "NNP") and not _is_person(sent, t) for t in sent.tokens)


def _one_plural(prev) -> str | None:
    """The one plural thing of a sentence ("... designed to have 24 satellites, and about 31 are in
    service" -> "the satellites"), when it names no other plural noun, no person and no they/them/their."""
    measures = {"DATE", "TIME", "QUANTITY", "MONEY", "PERCENT"}
    nouns = [t for t in prev.tokens if t.tag_ in ("NNS", "NNPS") and not any(
        e.label in measures and e.start <= prev.token_start(t) < e.end for e in prev.entities)]
    if len(nouns) != 1 or any(e.label == "PERSON" for e in prev.entities) \
            or any(t.lower_ in ("they", "them", "their") for t in prev.tokens):
        return None
    noun = nouns[0]
    words = [c for c in noun.children if c.dep_ in ("compound", "amod") and c.i < noun.i and c.i == noun.i - 1]
    return "the " + " ".join(t.text for t in [*words, noun])


def referents(sentences, title_words: frozenset[str] = frozenset()) -> dict[int, list[tuple[int, int, str]]]:
    """Sentence start -> (start, end, replacement) for each "it"/"its" resolved by the rule above. `title_words`: the
    title's words, lower case; a subject the title names ("Measles is one of the most contagious diseases" under
    "Measles and ...") is what a next "it" continues even beside a singular object or complement (round 10)."""
    out: dict[int, list[tuple[int, int, str]]] = {}
    names: dict[int, str] = {}  # sentence index -> the thing its subject stands for
    for i, sent in enumerate(sentences):
        subj = _subject(sent)
        titled = subj is not None and subj.tag_ in ("NN", "NNP") and subj.lower_ in title_words
        rival = not titled and any(c.dep_ in ("dobj", "attr") and c.tag_ in ("NN", "NNP") or c.dep_ == "agent" and any(  # "planned
                    g.dep_ == "pobj" and g.tag_ in ("NN", "NNP") for g in c.children) for c in sent.tokens.root.children)  # by the NAACP"
        if subj is not None and subj.pos_ != "PRON" and not _is_person(sent, subj) and not rival \
                and not any(c.dep_ == "appos" and _is_person(sent, c) for c in subj.children) \
                and subj.lemma_.lower() not in ("one", "other"):
            phrase = _phrase(subj)
            if phrase:
                names[i] = phrase
        if i and sentences[i - 1].paragraph == sent.paragraph and subj is not None and subj.lower_ == "they" \
                and subj.i == sent.tokens.start and (plural := _one_plural(sentences[i - 1])):
            out[sent.start] = [(sent.token_start(subj), sent.token_end(subj), plural[:1].upper() + plural[1:])]
            continue
        if i == 0 or sentences[i - 1].paragraph != sent.paragraph or (i - 1) not in names:
            continue
        prev, thing = sentences[i - 1], names[i - 1]
        prev_subj = _subject(prev)
        if any(t.lower_ in ("it", "its") and t != prev_subj and cataphoric(prev, t.lower_) != prev_subj for t in prev.tokens):
            continue  # another "it" there (not one that is its subject: "When it opened in 1883, the bridge ...")
        root = sent.tokens.root
        cuts = []
        if subj is not None and subj.lower_ == "it" and not _things_before(sent, subj):
            cuts.append((subj, thing))
            names[i] = thing
        elif subj is not None and not _is_person(sent, subj):
            poss = next((c for c in subj.children if c.dep_ == "poss" and c.lower_ == "its"), None)
            if poss is not None and not _things_before(sent, poss):
                cuts.append((poss, thing + "'s"))
        obj = next((c for c in root.children if c.dep_ == "dobj" and c.lower_ == "it"), None)
        lone = [t for t in prev.tokens if t.pos_ in ("NOUN", "PROPN")] == [prev_subj]
        if obj is not None and lone and subj is not None and _is_person(sent, subj):
            cuts.append((obj, thing))
        if cuts:
            out[sent.start] = [(sent.token_start(t), sent.token_end(t),
                                (name[:1].upper() + name[1:]) if t.i == sent.tokens.start else name)
                               for t, name in cuts]
    return out


_UNNAMED = ("PERSON", "DATE", "CARDINAL", "QUANTITY", "PERCENT", "MONEY", "NORP")


def named_descriptions(sentences, titles: str = "") -> dict[int, list[tuple[int, int, str]]]:
    """Sentence start -> the cut naming a subject "the NOUN" whose noun is the head of the one such name in the
    text before it ("The university had no way ..." after "the University of Toronto" -> "The University of
    Toronto had no way ...")."""
    out: dict[int, list[tuple[int, int, str]]] = {}
    by_head: dict[str, set[str]] = {}  # head noun -> the names seen so far with that head (one pass: linear)
    for i, sent in enumerate(sentences):
        if i:
            for e in sentences[i - 1].entities:
                words = e.text.split()
                if e.label not in _UNNAMED and len(words) > 1:
                    for h in {words[-1], *(words[k - 1] for k, w in enumerate(words) if w == "of" and k)}:
                        by_head.setdefault(h.lower(), set()).add(e.text)
        for subj in sent.tokens:
            if subj.dep_ in ("nsubj", "nsubjpass") and subj.pos_ == "NOUN" and subj.tag_ == "NN" \
                    and [c.lower_ for c in subj.children] == ["the"] and i and sentences[i - 1].paragraph == sent.paragraph:
                described = _described_before(sentences[i - 1], sent, subj)
                if described and subj != _subject(sent):
                    out.setdefault(sent.start, []).append(described)
        subj = _subject(sent)
        if subj is None or subj.pos_ != "NOUN" or subj.tag_ != "NN" or [c.lower_ for c in subj.children] != ["the"]:
            continue
        word = subj.text.lower()
        names = set(by_head.get(word, ()))
        if not names and i and sentences[i - 1].paragraph == sent.paragraph \
                and (described := _described_before(sentences[i - 1], sent, subj)):
            out.setdefault(sent.start, []).append(described)
            continue
        if len(names) != 1 or any(e.label not in _UNNAMED and word in e.text.lower() for e in sent.entities) \
                or re.search(rf"\b{re.escape(word.capitalize())}\b", titles):
            continue  # the headline's "Panama Canal" is "the canal" too, though the text names only the Suez Canal
        det = next(c for c in subj.children if c.lower_ == "the")
        the = "The" if det.text == "The" else "the"
        out[sent.start] = [(sent.token_start(det), sent.token_end(subj), f"{the} {names.pop()}")]
    return out


def _described_before(prev, sent, subj) -> tuple[int, int, str] | None:
    """A bare subject "the NOUN" whose noun the sentence before describes once with words before it ("suffered
    from caisson disease ... the disease left him" -> "the caisson disease"): the cut that says which."""
    found = set()
    for t in prev.tokens:
        if t.lemma_.lower() == subj.lemma_.lower() and t.pos_ == "NOUN" and t.tag_ == "NN":
            words = [c for c in t.lefts if c.dep_ in ("compound", "amod") and not c.ent_type_]
            if not words or any(c.dep_ == "det" and c.lower_ not in ("a", "an", "the") for c in t.lefts) \
                    or words[-1].i != t.i - 1 or words[-1].i - words[0].i != len(words) - 1 \
                    or any(w.tag_ in ("JJR", "JJS") for w in words):  # "should have built a larger barrier"
                return None  # the same noun bare, or after "this", "his": no description to borrow
            if any(w.pos_ == "ADJ" and w.lemma_.lower() == u.lemma_.lower() for w in words for u in sent.tokens):
                return None  # "a long neck ... The neck was so long": "The long neck was so long" says it twice
            found.add(" ".join(w.text for w in [*words, t]))
    if len(found) != 1:
        return None
    det = next(c for c in subj.children if c.lower_ == "the")
    return sent.token_start(det), sent.token_end(subj), f"{'The' if det.text == 'The' else 'the'} {found.pop()}"


def _previous_subject_s(refer, sent) -> tuple[int, int, str] | None:
    """The subject's his/her stands for the sentence before's subject when that is the one person of the
    sentence before (named, or a resolved he/she), no one else has been named in the paragraph so far, the
    sentence names no one outside the subject itself ("His wife, Emily Roebling, ..."), and the person is
    not known to be the other gender (across a paragraph break: known to be that gender). "Akira Yoshino ...
    replaced the anode. His prototype of 1985 ..." -> "Akira Yoshino's prototype of 1985 ..."."""
    i = refer.index[sent.start]
    subj = _subject(sent)
    poss = next((c for c in subj.children if c.dep_ == "poss" and c.lower_ in ("his", "her")), None) if subj is not None else None
    if poss is None or i == 0:
        return None
    inside = {sent.token_start(t) for t in subj.subtree}
    if any(e.label == "PERSON" and e.start not in inside for e in sent.entities):
        return None
    pronoun = "he" if poss.lower_ == "his" else "she"
    owned = {refer.reading.people.canonical(e.text) for e in sent.entities if e.label == "PERSON"}
    if owned and any(o.i != poss.i and _GENDER.get(o.lower_) == pronoun for o in sent.tokens) \
            and any(refer.gender(p, sent) in (pronoun, None) for p in owned):
        return None  # "His superior, Johann Klein, refused to renew his post, and he left": whose post, who left?
    prev, canon = refer.reading.sentences[i - 1], refer.reading.people.canonical
    people = {p for _, p in refer.subjects.get(i - 1, []) if p and not p.startswith("~")}
    if len(people) != 1 or {canon(e.text) for e in prev.entities if e.label == "PERSON"} - people:
        return None
    (person,) = people
    named = {canon(e.text) for s in refer.reading.sentences[:i] if s.paragraph == sent.paragraph
             for e in s.entities if e.label == "PERSON"}
    gender = refer.gender(person, sent)
    if named - people or gender not in (pronoun, None) or prev.paragraph != sent.paragraph and gender != pronoun:
        return None
    return sent.token_start(poss), sent.token_end(poss), person + "'s"


_OBJECTS = {"him": "he", "his": "he", "her": "she"}
_GENDER = {**_OBJECTS, "he": "he", "she": "she", "himself": "he", "herself": "she"}


def _main_object(refer, sent) -> tuple[int, int, str] | None:
    """An object him/her, or a his/her, is the person the text is about (`Referents.main`, shown to be of that
    gender) when nobody else it could be is named in the sentence or before it in the paragraph: not the
    subject of the object's own clause, and no one else not known to be the other gender ("When Franklin
    Roosevelt became governor in 1929, he made her ..." -> "... he made Frances Perkins ...")."""
    main, canon = refer.main, refer.reading.people.canonical
    people = [e for e in sent.entities if e.label == "PERSON"]
    if not main or any(canon(e.text) == main for e in people):
        return None
    for t in sent.tokens:
        pronoun = _OBJECTS.get(t.lower_)
        if pronoun is None or t.dep_ not in ("dobj", "dative", "pobj", "poss"):
            continue
        if refer.gender(main, sent, marks=False) != pronoun or people and any(
                o.i != t.i and _GENDER.get(o.lower_) == pronoun for o in sent.tokens):
            return None  # "X's superior, Y, refused to renew his post, and he left": X or Y?
        subj = None
        if t.dep_ == "poss":
            own = list(t.head.subtree)  # "his friend Jakob Kolletschka": not his
        else:
            verb = t.head.head if t.dep_ == "pobj" else t.head
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            own = list(subj.subtree) if subj is not None else []  # "Roosevelt ... made her": not Roosevelt
        mine = {canon(e.text) for e in people if any(e.start <= sent.token_start(o) < e.end for o in own)}
        if t.dep_ != "poss" and subj is not None and subj.lower_ in ("he", "she"):
            mine.add(refer.person(sent, subj) or "")
        around = set(refer._before(sent, sent.token_start(t), ("PERSON",))) | {canon(e.text) for e in people}
        if any(p != main and p not in mine and refer.gender(p, sent) in (pronoun, None) for p in around):
            return None
        return sent.token_start(t), sent.token_end(t), main + ("'s" if t.dep_ == "poss" else "")
    return None


def person_cut(refer, sent, root_named: bool) -> tuple[int, int, str] | None:
    """A his/her/him of the sentence to name in a card (`Referents.person`), when no one is named before it
    in the sentence, in a text about one person (`Referents.opens_with`): a possessive ("in Lise Meitner's honour",
    "Ignaz Semmelweis's friend Jakob Kolletschka") or an object him/her ("took Ignaz Semmelweis to an asylum").
    None when the main verb's he/she subject is named already (`root_named`): the card reads as it stands."""
    if root_named:
        return None  # "In 1861 Ignaz Semmelweis published his findings": read in the card as it stands
    cuts = refer.__dict__.setdefault("person_cuts", {})  # worked out once, in text order, like he/she
    if sent.start not in cuts:
        cuts[sent.start] = _previous_subject_s(refer, sent) or _opener(refer, sent) or _main_object(refer, sent)
    return cuts[sent.start]


def _opener(refer, sent) -> tuple[int, int, str] | None:
    people_at = [e.start for e in sent.entities if e.label == "PERSON"]
    for t in sent.tokens:
        at = sent.token_start(t)
        if any(p < at for p in people_at):
            return None
        if refer.opens_with and (t.lower_ in ("his", "her") and t.dep_ == "poss"
                                 or t.lower_ in ("him", "her") and t.dep_ == "dobj"):
            person = refer.person(sent, t)
            if person != refer.opens_with or people_at and any(
                    o.i != t.i and o.lower_ in ("he", "she", "him", "his", "her") for o in sent.tokens):
                return None  # "X's superior, Y, refused ..., and he left": X or Y?
            return at, sent.token_end(t), person + ("'s" if t.dep_ == "poss" else "")
    return None


_PLURAL = {"they", "them", "their", "theirs", "themselves"}


def thing_nouns(sent, things) -> dict[str, set[str]]:
    """For each of it/its/they/them/..., the nouns of the sentence it can stand for in a card: not a
    person's name ("Queen Victoria crossed it"), of its number ("special relativity makes their
    clocks ...": not relativity's; a proper noun or a coordinated noun may be either), and not the
    subject of its own clause when it is that clause's object ("President Clinton ordered it ...").
    A noun ruled out for every occurrence of the word in the sentence is ruled out."""
    def is_person(t) -> bool:
        return any(e.label == "PERSON" and e.start <= sent.token_start(t) < e.end for e in sent.entities)

    def measure_or_person_word(t) -> bool:  # "22 December 2018", "the British biochemist Frederick Sanger"
        return any(e.label in ("DATE", "TIME", "QUANTITY", "CARDINAL", "MONEY", "PERCENT")
                   and e.start <= sent.token_start(t) < e.end for e in sent.entities) \
            or t.ent_type_ in ("DATE", "TIME") \
            or any(c.dep_ in ("appos", "compound") and is_person(c) for c in t.children) \
            or t.dep_ in ("appos", "compound") and is_person(t.head) \
            or t.i + 1 < sent.tokens.end and t.pos_ == "NOUN" and is_person(t.nbor(1))

    nouns = [t for t in sent.tokens if t.pos_ in ("NOUN", "PROPN") and t.text[:1].isalpha() and not is_person(t)
             and not measure_or_person_word(t)]
    out: dict[str, set[str]] = {}
    for word in things:
        plural = word in _PLURAL
        fits = {t.text for t in nouns if t.pos_ == "PROPN" or t.conjuncts
                or (t.tag_ in ("NNS", "NNPS")) == plural}
        uses = [t for t in sent.tokens if t.lower_ == word]
        banned = [_own_subject(t) | _holders(t) | _participle_before(t) for t in uses]  # "part of its flank": not part's
        out[word] = fits - set.intersection(*banned) if banned else fits
    out["<ahead>"] = {w for w in ("it", "its", "they", "their", "them") if _ahead(sent, w)}
    return out


def cataphoric(sent, word: str) -> object | None:
    """The main verb's subject when every `word` of the sentence is in a clause put before that subject
    ("When it opened in 1883, the Brooklyn Bridge joined ..."): the pronoun is that subject."""
    root = sent.tokens.root
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    uses = [t for t in sent.tokens if t.lower_ == word]
    if subj is None or not uses or subj.pos_ not in ("NOUN", "PROPN"):
        return None
    for t in uses:
        clause = next((a for a in t.ancestors if a.dep_ == "advcl" and a.head == root), None)
        if clause is None or max(x.i for x in clause.subtree) >= subj.left_edge.i:
            return None
    return subj


def _ahead(sent, word: str) -> bool:
    subj = cataphoric(sent, word)
    return subj is not None and not any(e.label == "PERSON" and e.start <= sent.token_start(subj) < e.end
                                        for e in sent.entities) \
        and (subj.tag_ in ("NNS", "NNPS")) == (word in _PLURAL)


def _participle_before(pronoun) -> set[str]:
    """The words of a participle's clause opening the sentence before a subject pronoun, whose understood subject the
    pronoun is ("Named after the astronomer Edwin Hubble, who had shown that the universe is expanding, it had
    cost ...": it is not the universe)."""
    if pronoun.dep_ not in ("nsubj", "nsubjpass"):
        return set()
    return {t.text for c in pronoun.head.children if c.dep_ == "advcl" and c.i < pronoun.i and c.tag_ in ("VBN", "VBG")
            and not any(u.dep_ in ("nsubj", "nsubjpass", "mark") for u in c.children) for t in c.subtree}


def _holders(pronoun) -> set[str]:
    """The nouns whose phrase holds the pronoun, which it cannot stand for ("part of its flank", "the man in
    charge of building it"); not a noun it is joined to by "and" ("the victims and their families")."""
    out, below = set(), pronoun
    if pronoun.lower_.endswith(("self", "selves")):
        return out  # "the volcano itself"
    for a in pronoun.ancestors:
        if a.pos_ in ("NOUN", "PROPN") and below.dep_ != "conj":
            out.add(a.text)
        below = a
    return out


def _own_subject(pronoun) -> set[str]:
    """The words of the subject of the clause whose object the pronoun is (empty for other pronouns)."""
    verb = pronoun.head
    if pronoun.dep_ in ("nsubj", "nsubjpass") and verb.dep_ in ("ccomp", "xcomp"):
        verb = verb.head  # "ordered it switched off": it is the ordering verb's object
    elif pronoun.dep_ not in ("dobj", "dative", "iobj"):
        return set()
    subj, controls = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None), set()
    while subj is None and verb.tag_ in ("VBG", "VB") and verb.dep_ in ("pcomp", "xcomp", "advcl", "acl") \
            and verb.head is not verb:  # "the company painted it instead of repairing it": the painter's
        purpose = verb.tag_ == "VB" and verb.dep_ in ("xcomp", "advcl")  # "sent soldiers to escort them": not theirs
        verb = next((a for a in verb.ancestors if a.pos_ in ("VERB", "AUX")), verb)  # "launched a campaign to wipe it
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)  # out": not the launcher
        controls |= {t.text for c in verb.children if purpose and c.dep_ == "dobj" for t in c.subtree}
        if verb.dep_ not in ("pcomp", "xcomp", "advcl", "acl"):
            break
    return controls | ({t.text for t in subj.subtree} if subj is not None else set())
