"""Who is a person, from the text itself: names the small model does not tag PERSON everywhere.

- a capitalised name after a generic English honorific or title ("Lord Byron", "Dr Watson");
- the people a headline names ("Lovelace" then stands for "Ada Lovelace");
- a name of two or three capitalised words whose last word is a known person's name
  ("Augusta Ada Byron" once "Byron" is known).
The caller adds each name and its last word to the names it treats as people; a surname alone then
stands for the full name (`nlp.People.canonical`).
"""
from __future__ import annotations

import re
from collections import Counter

from . import nlp_kinds as kinds

TITLES = {"lord", "lady", "sir", "dame", "mr", "mrs", "ms", "miss", "dr", "professor", "prof", "king",
          "queen", "prince", "princess", "countess", "count", "duke", "duchess", "baron", "baroness",
          "earl", "president", "general", "colonel", "captain", "admiral", "senator", "pope", "saint"}
_WORD = re.compile(r"[A-Z][a-z'\u2019\-]+")


def titled(tokens) -> list[tuple[int, int, str]]:
    """Names after an honorific in a run of tokens: (first token index, end index, name). A one-word
    name keeps its title ("Lord Byron"); a longer one is the name alone ("Sir Isaac Newton")."""
    out = []
    for token in tokens:
        if token.text.rstrip(".").lower() not in TITLES or not token.text[:1].isupper():
            continue
        if token.ent_type_ and token.ent_type_ != "PERSON" or token.ent_iob_ == "I":
            continue  # "General Motors", "the General Assembly"; "William King" is no title
        if token.i > 0 and _WORD.fullmatch(token.nbor(-1).text) and token.nbor(-1).pos_ == "PROPN":
            continue
        run = []
        doc = token.doc
        j = token.i + 1
        while j < len(doc) and len(run) < 3 and _WORD.fullmatch(doc[j].text) and doc[j].pos_ == "PROPN":
            run.append(doc[j])
            j += 1
        if not run or j < len(doc) and doc[j].text[:1].isupper() and doc[j].pos_ == "PROPN":
            continue
        if len(run) == 1:
            out.append((token.i, run[0].i + 1, f"{token.text} {run[0].text}"))
        else:
            out.append((run[0].i, run[-1].i + 1, " ".join(t.text for t in run)))
    return out


def headline(docs) -> list[str]:
    """The full names of people a headline or subhead names ("Ada Lovelace, the first programmer")."""
    return [e.text for doc in docs for e in doc.ents if e.label_ == "PERSON"
            and 2 <= len(e.text.split()) <= 3 and all(_WORD.fullmatch(w) for w in e.text.split())]


def title_of(prev) -> bool:
    """A name after "<title> of" is a place or a title's seat, not the person: "the Countess of Lovelace"."""
    return prev is not None and prev.lower_ == "of" and prev.i > 0 and prev.nbor(-1).lower_ in TITLES


def called(full: list[str]) -> str | None:
    """Of several full names sharing a surname, the one a bare surname stands for: a title and that
    surname ("Lord Byron" beside "Augusta Ada Byron")."""
    titled_ones = [f for f in full if len(f.split()) == 2 and f.split()[0].rstrip(".").lower() in TITLES]
    return titled_ones[0] if len(titled_ones) == 1 and len(full) > 1 else None


def person_names(sentences, headline_docs=()) -> set[str]:
    """Names (and their last words) the text shows to be people beyond the model's multi-word tags."""
    names = set(headline(headline_docs))
    for sent in sentences:
        for _, _, name in titled(sent.tokens):
            names.add(name)
    return names


def model_names(sentences) -> set[str]:
    """The names the model tags as people, of two capitalised words or more (no acronym nor digit), with their
    first and last words and a surname with its particles ("Henry De la Beche" -> "De la Beche", "Theodore von
    Karman" -> "von Karman"); not a name the sentence gives a thing ("nicknamed it Galloping Gertie", "a document
    known as Magna Carta", `kinds.said_kind`)."""
    out: set[str] = set()
    for ent in (e for s in sentences for e in s.tokens.ents if e.label_ == "PERSON"):
        every = re.sub(r"['\u2019]s$", "", ent.text.strip()).split()  # "Robert Falcon Scott's last expedition"
        words = [w for w in every if w[:1].isupper()]
        if len(words) < 2 or any(w.isupper() and w.isalpha() and len(w) > 1 or re.search(r"\d", w) for w in words) \
                or _given(ent):
            continue
        out.update({" ".join(words), words[0], words[-1]})
        particle = next((n for n, w in enumerate(every) if n > 0 and w.lower() in _PARTICLES), None)
        if particle is not None and particle < len(every) - 1:
            out.add(" ".join(every[particle:]))
    return out


def _given(ent) -> bool:
    root = ent.root  # "nicknamed it X": X is the verb's second object, or its object predicate
    return bool(kinds.said_kind(root)) or kinds.names_it(root.head) and (root.dep_ == "oprd" or root.dep_ == "dobj" and any(
        c.dep_ == "dobj" and c.i < root.i for c in root.head.children))


def given_things(sentences) -> set[str]:
    """Names (and their last words) the text gives a thing, whatever a headline says ("they nicknamed it Galloping
    Gertie"): no person's."""
    names = {e.text for s in sentences for e in s.tokens.ents if e.label_ == "PERSON" and _given(e)}
    return names | {n.split()[-1] for n in names}


def by_last_word(sentences, known: set[str]) -> set[str]:
    """Model entities of two or three capitalised words, not tagged PERSON, whose last word is a
    known person's name: "Augusta Ada Byron" beside "Lord Byron"."""
    out = set()
    for sent in sentences:
        for e in sent.tokens.ents:
            words = e.text.split()
            if e.label_ != "PERSON" and 2 <= len(words) <= 3 and all(_WORD.fullmatch(w) for w in words) \
                    and words[-1] in known and e[0].pos_ == "PROPN":
                out.add(e.text)
    return out


def _main_subject(sent):
    root = sent.tokens.root
    return next((t for t in root.children if t.dep_ in ("nsubj", "nsubjpass")), None)


def named_by_pronoun(sentences) -> set[str]:
    """Names the model missed but the text shows are people: a name that is a sentence's subject,
    followed by a sentence whose subject is "he" or "she" ("Rosalind Franklin was born ... She")."""
    out: set[str] = set()
    for sent, nxt in zip(sentences, sentences[1:], strict=False):
        subj, after = _main_subject(sent), _main_subject(nxt)
        if subj is not None and subj.pos_ == "NOUN":  # "the city politician Ernst Reuter spoke ... He"
            subj = next((c for c in subj.children if c.dep_ == "appos" and c.pos_ == "PROPN" and c.i > subj.i), None)
        if subj is None or after is None or after.lower_ not in ("he", "she") or subj.pos_ != "PROPN":
            continue
        run = [subj]
        while run[0].i > sent.tokens.start and (left := run[0].nbor(-1)).dep_ == "compound" \
                and left.pos_ == "PROPN":
            run.insert(0, left)
        words = [t.text for t in run]
        if 2 <= len(words) <= 3 and all(re.fullmatch(r"[A-Z][a-z'\-]+", w) for w in words) \
                and not any(t.ent_type_ == "PERSON" for t in run):  # only what the model missed
            out.add(" ".join(words))
    return out


_ROMAN = re.compile(r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})")
ROLE_APPOS = frozenset({"son", "daughter", "wife", "husband", "brother", "sister", "mother", "father", "widow", "heir",
                        "nephew", "niece", "cousin", "uncle", "aunt", "grandson", "granddaughter", "king", "queen",
                        "pope", "emperor", "empress", "prince", "princess", "bishop", "archbishop", "judge"})


def _regnal(sent, monarchs: bool) -> list[tuple[int, int]]:
    """(start, end) of each "Name + Roman numeral" person in the sentence ("Henry III", "King Philip II" ->
    "Philip II"): the name tagged a person by the model, or after a title, or any name in a text that numbers
    other rulers (`monarchs`); a lone "I" only in such a text: it is the pronoun elsewhere."""
    out = []
    for tok in sent.tokens:
        if tok.i <= sent.tokens.start or not _ROMAN.fullmatch(tok.text) or tok.text == "I" and not monarchs:
            continue
        name = tok.nbor(-1)
        if not _WORD.fullmatch(name.text) or name.tag_ != "NNP" or name.lower_ in TITLES:
            continue
        before = name.nbor(-1) if name.i > sent.tokens.start else None
        title = before is not None and before.text[:1].isupper() and before.text.rstrip(".").lower() in TITLES
        if not (title or monarchs or name.ent_type_ == "PERSON" or tok.ent_type_ == "PERSON") or not title and before is not None \
                and before.text[:1].isupper() and before.pos_ == "PROPN":
            continue  # "World War II", "Vatican II"
        after = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        if after is not None and after.text[:1].isupper() and after.pos_ == "PROPN":
            continue
        out.append((sent.token_start(name), sent.token_end(tok)))
    return out


def _role_appos(token) -> bool:
    """A one-word name with a family or ruler's noun in apposition: "Louis, the son of the French king"."""
    return any(c.dep_ == "appos" and c.pos_ == "NOUN" and c.lemma_.lower() in ROLE_APPOS
               and any(d.dep_ == "det" for d in c.children) for c in token.children)


def _role_named(sent, ent, first) -> bool:
    """"The Czechoslovak president, Edvard Benes,": a name of two or three capitalised words, no kind word, in
    apposition to a ruler's or family noun, is a person even when the model tags it an organisation."""
    words = ent.text.split()
    root = first.doc[first.i + len(words) - 1] if first.i + len(words) <= len(first.doc) else None
    return 2 <= len(words) <= 3 and all(_WORD.fullmatch(w) for w in words) and root is not None \
        and root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.lower_ in TITLES | ROLE_APPOS \
        and not kinds.says_its_kind(ent.text) and not kinds.kind_word(ent.text, None)


def regnal_and_kin(sentences, person_names: set[str], entity) -> None:
    """People the small model misses or mislabels, found by the text's own cues; each is added to `person_names`:

    - a name with a regnal number ("Innocent III", "Edward I", "King Philip II" -> "Philip II"), tagged a
      name, an organisation or a first name alone before;
    - a one-word name with a family or ruler's noun in apposition ("Louis, the son of the French king"), or an
      "organisation" of two or three words in apposition to one ("The Czechoslovak president, Edvard Benes");
    - a name of two or three capitalised words after a nationality ("the American Lincoln Ellsworth").
    A one-word "person" the model tagged as a nationality or a people ("the American", "Tibetans") is one."""
    if not all(hasattr(s, "tokens") for s in sentences):
        return
    monarchs = any(_regnal(s, False) for s in sentences)
    for sent in sentences:
        sent.entities = [entity(e.start, e.end, "NORP", e.text) if e.label == "PERSON" and " " not in e.text
                         and not _of_a_full_name(e.text, person_names) and _tagged_norp(sent, e) else e
                         for e in sent.entities]
        found = _regnal(sent, monarchs)
        for ent in sent.entities:
            tok = next((t for t in sent.tokens if sent.token_start(t) == ent.start), None)
            if ent.label in ("GPE", "ORG", "NAME", "LOC") and " " not in ent.text and tok is not None \
                    and tok.pos_ == "PROPN" and _role_appos(tok):
                found.append((ent.start, ent.end))
            elif ent.label == "ORG" and tok is not None and _role_named(sent, ent, tok):
                found.append((ent.start, ent.end))
        found += _after_nationality(sent)
        if not found:
            continue
        text = sent.tokens.doc.text
        # the model's own name with its title stays whole ("Queen Elizabeth II", "King Philip II")
        found = [(min([a] + [e.start for e in sent.entities if e.start < a and e.end == b
                             and e.text.split()[0].lower() in TITLES]), b) for a, b in found]
        names = [(a, b, text[a - sent.offset:b - sent.offset]) for a, b in found]
        person_names.update(n for _, _, n in names)
        kept = [e for e in sent.entities if not any(e.start < b and a < e.end for a, b, _ in names)]
        sent.entities = sorted(kept + [entity(a, b, "PERSON", n) for a, b, n in names], key=lambda e: (e.start, e.end))


def things_stay_things(sentences, person_names: set[str], entity) -> None:
    """A one-word name the text puts beside a noun of a thing ("Their ship, the Belgica", "the Fram, the ship
    that ...", "the Penicillium genus") is a named thing (NAME) in every sentence, not a person or an organisation ("the Gjoa reached Nome");
    a name in apposition to an animal noun, or right after one ("his cocker spaniel, Tubby", "the dog Rex"), is
    no answer in any sentence, nor is a party of a court case the text names ("Plessy" of "Plessy v. Ferguson")
    unless the text shows it is a person;
    a "person" that is the new name of a place is a place (`_renamed_place`)."""
    if not all(hasattr(s, "tokens") for s in sentences):
        return
    things = {t.text for s in sentences for t in s.tokens if t.pos_ == "PROPN" and t.text[:1].isupper() and (
        t.dep_ == "appos" and t.head.pos_ == "NOUN" and t.head.lower_ in kinds.THING_WORDS
        or any(c.dep_ == "appos" and c.pos_ == "NOUN" and c.lower_ in kinds.THING_WORDS for c in t.children)
        or t.dep_ == "compound" and t.head.tag_ == "NN" and t.head.i == t.i + 1 and t.head.lower_ in kinds.THING_WORDS
        or [w.lower_ for w in t.doc[t.i + 1:t.i + 4]][:1] == [","] and t.i + 3 < len(t.doc)
        and t.doc[t.i + 2].lower_ in ("the", "a", "an") and t.doc[t.i + 3].lower_ in kinds.THING_WORDS)}
    animals = {t.text for s in sentences for t in s.tokens if t.pos_ == "PROPN" and t.text[:1].isupper() and (
        t.dep_ == "appos" and t.head.pos_ == "NOUN" and t.head.lemma_.lower() in kinds.ANIMAL_WORDS
        or t.i > 0 and t.nbor(-1).pos_ == "NOUN" and t.nbor(-1).lemma_.lower() in kinds.ANIMAL_WORDS)}
    parties = {p.strip() for s in sentences for e in s.entities if e.label == "TERM" and re.search(r" vs?\. ", e.text)
               for p in re.split(r" vs?\. ", e.text)}  # "the attack on Plessy": a party alone stands for its case
    animals |= parties - person_names
    person_names.difference_update(things | animals)
    for sent in sentences:  # "his daughter's cocker spaniel, Tubby": a named animal is no answer (no person, no term)
        sent.entities = [e for e in sent.entities if e.text not in animals]
        sent.entities = [entity(e.start, e.end, "NAME", e.text) if e.label in ("PERSON", "ORG", "GPE") and e.text in things
                         else entity(e.start, e.end, "LOC", e.text) if e.label == "PERSON" and _renamed_place(sent, e)
                         else e for e in sent.entities]


def _renamed_place(sent, ent) -> bool:
    """"a harbour on King William Island, now called Gjoa Haven": the new name of a place is a place."""
    root = next((t for t in sent.tokens if sent.token_start(t) < ent.end <= sent.token_end(t)), None)
    if root is None or root.dep_ != "oprd" or root.head.lemma_ not in ("call", "name", "rename"):
        return False
    before = [t for t in sent.tokens if t.i < root.head.i and not (t.dep_ == "advmod" and t.head == root.head)][-2:]
    return len(before) == 2 and before[1].text == "," and (before[0].ent_type_ in ("GPE", "LOC", "FAC")
                                                           or before[0].lower_ in kinds.PLACE_WORDS)


def _of_a_full_name(word: str, person_names: set[str]) -> bool:
    """"Hahn" of "Otto Hahn": a surname the model once tags as a nationality is still the person."""
    return any(" " in n and word == n.split()[-1] for n in person_names)


def _tagged_norp(sent, ent) -> bool:
    return any(t.ent_type_ == "NORP" for t in sent.tokens if ent.start <= sent.token_start(t) < ent.end)


def _after_nationality(sent) -> list[tuple[int, int]]:
    """"the American Lincoln Ellsworth": two or three capitalised words, no place, date nor kind word, right after
    "the" and a nationality the model tagged alone."""
    out = []
    for tok in sent.tokens:
        if tok.ent_type_ != "NORP" or tok.ent_iob_ != "B" or tok.i <= sent.tokens.start or tok.nbor(-1).lower_ != "the":
            continue
        run, j = [], tok.i + 1
        while j < sent.tokens.end and _WORD.fullmatch(tok.doc[j].text) and tok.doc[j].tag_ == "NNP" and len(run) < 4:
            run.append(tok.doc[j])
            j += 1
        name = " ".join(t.text for t in run)
        if 2 <= len(run) <= 3 and all(t.ent_type_ in ("", "ORG", "PERSON") for t in run) and tok.doc[j - 1].dep_ != "compound" \
                and not kinds.says_its_kind(name) and not kinds.kind_word(name, None) and (j >= sent.tokens.end or not (
                    tok.doc[j].text[:1].isupper() and tok.doc[j].pos_ == "PROPN")):
            out.append((sent.token_start(run[0]), sent.token_end(run[-1])))
    return out


def places_stay_places(sentences, person_names: set[str], entity) -> None:
    """First `regnal_and_kin`. Then: a one-word name the model tags a person once but a place at least twice elsewhere in the text, or
    joins to a place ("between Java and Sumatra"), and that no rule shows to be a person, is a place
    ("When Berlin falls, ...")."""
    regnal_and_kin(sentences, person_names, entity)
    things_stay_things(sentences, person_names, entity)
    places = Counter(e.text for s in sentences for e in s.entities if e.label in ("GPE", "LOC"))
    shown = {e.text for s in sentences for e in s.entities if e.label in ("PERSON", "ORG", "GPE") and " " not in e.text
             and e.text not in person_names and not kinds.says_its_kind(e.text) and _placed(s, e)}
    for sent in sentences:
        sent.entities = [entity(e.start, e.end, "GPE", e.text) if e.label == "PERSON" and " " not in e.text
                         and e.text not in person_names and (places[e.text] >= 2 or _beside_a_place(sent, e))
                         or e.label in ("PERSON", "ORG") and e.text in shown
                         else e for e in sent.entities]


_COMPASS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
                      "outskirts", "centre", "center"})


def _placed(sent, ent) -> bool:
    """The sentence shows a one-word name to be a place: "the town of Pripyat", "the island of Java",
    "100 kilometres north of Kyiv", or (a name tagged as a person) "in/at/near Kyiv"."""
    token = next((t for t in getattr(sent, "tokens", ()) if sent.token_start(t) == ent.start), None)
    if token is None or token.dep_ != "pobj":
        return False
    prep, head = token.head, token.head.head
    if prep.lower_ == "of":
        return head.lower_ in _COMPASS or head.pos_ == "NOUN" and head.lower_ in kinds.PLACE_WORDS \
            and any(c.dep_ == "det" and c.lower_ == "the" for c in head.children)
    return ent.label == "PERSON" and prep.lower_ in ("in", "at", "near")


def _beside_a_place(sent, ent) -> bool:
    """A name joined by "and"/"or" to a place the model found ("between Java and Sumatra")."""
    starts = {e.start for e in sent.entities if e.label in ("GPE", "LOC")}
    token = next((t for t in getattr(sent, "tokens", ()) if sent.token_start(t) == ent.start), None)
    return token is not None and any(sent.token_start(c) in starts for c in token.conjuncts)


_PARTICLES = frozenset({"de", "von", "van", "der", "da", "di", "du", "la", "le", "del", "ten", "bin", "ibn"})
_NOT_FIRST = frozenset({"st", "saint", "san", "santa", "fort", "port", "new", "north", "south", "east", "west", "upper",
                        "lower", "great", "little", "old"})  # the first word of a place's name, never a person's


def alone_a_person(sentences, pipeline) -> set[str]:
    """Names of two to four words the model tags as an organisation, a work or a product in the sentence ("Clemens
    Winkler", "Adrien de Gerlache") but as one whole person when it reads the name alone: the sentence's other
    words misled it. Not a name with a kind word of its own ("Max Planck Institute") nor a title or a digit."""
    found = []
    for sent in sentences:
        for e in sent.tokens.ents:
            words = e.text.split()
            prev = e[0].nbor(-1) if e.start > 0 else None  # "the Japanese company Asahi Kasei": a company
            after = e.doc[e.end].text if e.end < len(e.doc) else ""  # "the Asahi Kasei company"
            if e.label_ in ("ORG", "WORK_OF_ART", "PRODUCT") and 2 <= len(words) <= 4 \
                    and all(_WORD.fullmatch(w) or w in _PARTICLES for w in words) and words[0] not in _PARTICLES \
                    and words[-1] not in _PARTICLES and not kinds.says_its_kind(e.text) \
                    and kinds.kind_word(e.text, prev) is None and kinds.kind_word(f"{e.text} {after}", None) is None \
                    and words[0].lower() not in TITLES | _NOT_FIRST:
                found.append(e.text)
    names = sorted(set(found))
    return {name for name, doc in zip(names, pipeline.pipe(names), strict=True)
            if len(doc.ents) == 1 and doc.ents[0].label_ == "PERSON" and doc.ents[0].text == name}
