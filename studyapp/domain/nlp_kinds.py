"""Kind words for the card generator (pure): the English head nouns that say what a name is.

The small spaCy model often labels a name with the wrong kind (a company as a person, a lake as an
event). A name whose own last word, or the common noun just before it, is a kind word takes that
kind: "the Great Bitter Lake" is a place, "the Japanese company Shoei Kisen Kaisha" an organisation,
"the Presidential Medal of Freedom" a named thing (a term). These are words of the language, not of
any one article.
"""
from __future__ import annotations

import re

# Kind words: the head nouns that say a name is an organisation or a place (English, not any one text).
ORG_WORDS = frozenset({
    "company", "companies", "firm", "group", "corporation", "corp", "inc", "ltd", "bank", "agency",
    "authority", "ministry", "department", "university", "college", "institute", "foundation", "council",
    "committee", "commission", "party", "union", "association", "society", "journal", "newspaper",
    "magazine", "network", "airline", "club", "organisation", "organization", "charity", "court",
    "parliament", "congress", "senate", "assembly", "army", "navy", "administration", "alliance",
    "contractor", "manufacturer", "maker", "supplier", "publisher", "broadcaster", "retailer", "carmaker",
    "division", "subsidiary",
})
PLACE_WORDS = frozenset({
    "lake", "river", "sea", "ocean", "bay", "gulf", "strait", "canal", "island", "islands", "mountain",
    "mountains", "mount", "valley", "desert", "cape", "peninsula", "city", "town", "village", "port",
    "province", "region", "county", "state", "country", "coast", "forest", "plain", "plateau",
    "embankment", "tunnel", "bridge", "building", "tower", "station", "hall", "palace", "cathedral",
    "church", "museum", "stadium", "airport", "dam", "road", "street", "square", "park", "castle",
    "abbey", "monument", "harbour", "harbor", "channel", "colony", "territory", "district", "suburb",
    "volcano", "crater", "reef", "glacier", "escarpment", "shelf", "gorge", "basin", "ridge", "pass", "falls",
    "fjord", "highlands", "heights",
    # bodies of water and stretches of land: "Puget Sound", "the Menai Strait", "the Ruhr, its industrial heartland"
    "sound", "narrows", "straits", "firth", "loch", "lough", "inlet", "lagoon", "estuary", "creek", "bight", "atoll",
    "archipelago", "isthmus", "headland", "marsh", "swamp", "steppe", "land", "lands", "heartland", "hinterland",
    "zone",
})
ANIMAL_WORDS = frozenset({  # "his cocker spaniel, Tubby": a named animal is no person
    "dog", "puppy", "hound", "spaniel", "terrier", "retriever", "poodle", "collie", "sheepdog", "cat", "kitten",
    "horse", "pony", "mare", "stallion", "colt", "foal", "donkey", "mule", "cow", "bull", "ox", "pig", "sheep",
    "goat", "camel", "elephant", "monkey", "chimpanzee", "ape", "gorilla", "parrot", "pigeon", "dolphin", "whale",
})
EVENT_WORDS = frozenset({  # the head nouns of named events: "the First Barons' War", "the Battle of Bouvines"
    "war", "battle", "revolution", "rebellion", "uprising", "revolt", "siege", "crisis", "massacre", "blockade",
    "airlift", "campaign", "offensive", "invasion", "mutiny", "strike", "riots", "famine", "pandemic", "epidemic",
})
THING_WORDS = frozenset({  # named things that are neither people, organisations nor places
    "medal", "prize", "award", "trophy", "ship", "vessel", "carrier", "spacecraft", "module", "rocket",
    "satellite", "aircraft", "train", "car", "engine", "genus", "species", "disease", "virus", "drug",
    "book", "novel", "film", "song", "album", "painting", "programme", "program", "day",
    "currency", "system", "theory", "policy", "planet", "comet", "galaxy", "telescope", "camera", "instrument",
    "device", "missile", "weapon", "storm", "hurricane", "typhoon", "machine", "computer",
})
LAW_HEAD = re.compile(r"\b(?:Treaty|Act|Accords?|Agreement|Convention|Protocol|Pact|Charter|Law|Bill|"
                       r"Constitution|Declaration|Amendment|Code|Statute)\b")


def kind_word(name: str, prev) -> str | None:
    """The label a kind word gives a name: its own last word ("Great Bitter Lake", "Suez Canal
    Authority", "Victoria Embankment", "First Barons' War"), the word before its "of" ("Presidential Medal
    of Freedom", "Battle of Bouvines") or the common noun just before it ("the Japanese company Shoei Kisen
    Kaisha"). A name described just after it ("the Fram, the ship that ...") is `nlp_people.things_stay_things`'."""
    words = [name.split()[-1].lower()]
    head = re.match(r"(?:The )?([A-Z][\w'-]*(?: [A-Z][\w'-]*)*) of ", name)
    if head:  # "Presidential Medal of Freedom", "University of Oxford": the noun before "of" is the head
        words.append(head.group(1).split()[-1].lower())
    own = len(words)  # the name's own words; then the nouns around it
    if prev is not None and prev.pos_ == "NOUN" and prev.text.islower():
        words.append(prev.text.lower())
    if len(name.split()) > 1 and name.split()[0].lower() in PLACE_WORDS and words[0] not in ORG_WORDS:
        return "LOC"  # "River Thames", "Lake Geneva", "Cape Horn" (not "Mount Holyoke College")
    for n, word in enumerate(words):
        if word in ORG_WORDS:
            return "ORG"
        if word in PLACE_WORDS:
            return "LOC"
        if word in THING_WORDS:
            return "NAME"
        if word in EVENT_WORDS and n < own:  # the name's own word: "First Barons' War", "Battle of Bouvines"
            return "EVENT"
    return None


def described(prev) -> bool:
    """A name right after a common noun that describes it ("the command module Odyssey"), not after
    a family word with a possessive ("her sister Bronislawa")."""
    if prev is None or prev.pos_ != "NOUN" or not prev.text.islower():
        return False
    if prev.lower_ == "law" and prev.i >= 2 and prev.nbor(-2).lower_ == "in":
        return False  # "son-in-law Frederic Joliot": family, as "her sister Bronislawa"
    return not any(t.dep_ == "poss" for t in prev.lefts)


def says_its_kind(name: str) -> bool:
    """Whether a name says itself that it is an organisation or a treaty ("University of Oxford",
    "Smithsonian Agreement"), so its category does not rest on the model's guess."""
    return bool(LAW_HEAD.search(name)) or any(w.lower().strip(".,'") in ORG_WORDS for w in name.split())


INITIALS = re.compile(r"^(?:[A-Z]\. ?)+[A-Z][a-z]")  # a person's name with initials: "J. Lloyd Haigh", "P. T. Barnum"
TITLE_OF = re.compile(r"^(?:Fellow|Secretary|Minister|Director|President|Professor|Chancellor|Governor|Member|Chairman|"
                      r"Dean|Warden|Rector|Provost|Master) of (?:the )?(.+)$")  # a title, then its seat
_TIME_NOUNS = frozenset({"year", "years", "summer", "winter", "spring", "autumn", "fall", "season", "decade", "class"})


def named_by_noun(sent, at: int) -> bool:
    """Whether the four-digit number at `at` follows a common noun that names it ("the number 1729", "room
    1905"), not a time word ("the year 1729", "the summer 1921")."""
    tok = next((t for t in sent.tokens if sent.token_start(t) == at), None)
    if tok is None or tok.i == 0:
        return False
    prev = tok.nbor(-1)
    return prev.tag_ in ("NN", "NNS") and prev.text.islower() and prev.lower_ not in _TIME_NOUNS


_PERSON_NOUN = re.compile(r"(?:ist|ian|or|er|man|woman|ess|child|boy|girl|people|person|wife|husband|son|daughter|"
                          r"mother|father|brother|sister|king|queen|friend|student|president|resident|merchant|servant|"
                          r"agent|parent|saint|tyrant|peasant)s?$")  # not every "-ent": "document", "element"
_COPULAS = frozenset({"be", "become", "remain"})
NAMING = frozenset({"call", "name", "dub", "term", "nickname", "christen"})


def names_it(verb) -> bool:
    """A naming verb whose object is "it" or a thing a kind word says ("nicknamed it ...", "named the planet ...")."""
    return verb.lemma_ in NAMING and any(c.dep_ in ("dobj", "nsubjpass") and (
        c.lower_ == "it" or c.pos_ == "NOUN" and kind_word(c.text, None)) for c in verb.children)


def _noun_kind(noun, named: bool = False) -> str | None:
    """The kind a common noun gives the name it describes (`kind_word` of its lemma); with `named`, a noun of a
    thing that no kind word covers ("the document, later known as ...") makes the name a term."""
    if noun is None or noun.pos_ != "NOUN" or not noun.text.islower():
        return None
    kind = kind_word(noun.lemma_.lower(), None) or kind_word(noun.lower_, None)
    if kind is not None or not named or _PERSON_NOUN.search(noun.lower_):
        return kind
    part = next((g for c in noun.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"), None)
    if part is not None and part.pos_ == "NOUN":  # "a strip of land, known as ..."
        kind = kind_word(part.lemma_.lower(), None)
    return kind or "TERM"


def said_kind(root) -> str | None:
    """The kind the sentence says a name is, from the parse (English, not any one text):

    - "the document, later known as Magna Carta" / "it was known as X": what is known as the name;
    - "cities such as La Paz and Cusco": the noun before "such as";
    - "Chloroquine ... became the standard drug": the noun a copula gives the name as its subject;
    - "lost Normandy and most of his other lands": the noun after "other" the name is joined to;
    - "the Penicillium genus": the kind noun the name is a modifier of.
    """
    top = root
    while top.dep_ == "conj" and top.head.pos_ == "PROPN":
        top = top.head  # "La Paz and Cusco": Cusco is read as La Paz is
    head = top.head
    if top.dep_ == "pobj" and head.lower_ == "as":
        verb = head.head
        if verb.lemma_ == "know":
            noun = verb.head if verb.dep_ == "acl" else next(
                (c for c in verb.children if c.dep_ == "nsubjpass"), None)
            return _noun_kind(noun, named=True)
        if any(c.lower_ == "such" for c in head.children) and verb.tag_ == "NNS":
            return _noun_kind(verb)
    if top.dep_ == "compound" and head.pos_ == "NOUN" and head.i == top.i + 1 and head.tag_ == "NN":
        return _noun_kind(head)  # "a member of the Penicillium genus", "the Asahi company"
    if top.dep_ == "nsubj" and head.lemma_ in _COPULAS:
        attr = next((c for c in head.children if c.dep_ == "attr"), None)
        return _noun_kind(attr)
    for conj in top.children:
        if conj.dep_ != "conj":
            continue
        if conj.pos_ == "ADJ":  # "most of his other lands"
            conj = next((g for c in conj.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"), conj)
        if conj.tag_ == "NNS" and any(c.lower_ == "other" for c in conj.children):
            return _noun_kind(conj)
    return None


_LINKS = frozenset({"of", "the", "for"})


def court_cases(sent, ents: list, make) -> list:
    """A court case ("Plessy v. Ferguson", "Brown v. Board of Education") is one named thing (TERM): never a
    person, an organisation or a place, never cut at its "v."."""
    toks = list(sent.tokens)
    for k, tok in enumerate(toks[1:-1], start=1):
        if tok.text not in ("v.", "vs.", "v", "vs") or not (toks[k - 1].text.istitle() and toks[k - 1].text.isalpha()
                                                            and toks[k + 1].text[:1].isupper()):
            continue
        a = k - 1
        while a > 0 and toks[a - 1].pos_ == "PROPN" and toks[a - 1].text[:1].isupper() and k - a < 4:
            a -= 1
        b = k + 1
        while b + 1 < len(toks) and (toks[b + 1].text[:1].isupper() and toks[b + 1].pos_ == "PROPN" or toks[b + 1].lower_
                                     in _LINKS and b + 2 < len(toks) and toks[b + 2].text[:1].isupper()):
            b += 1
        start, end = sent.token_start(toks[a]), sent.token_end(toks[b])
        ents = [e for e in ents if not (e.start < end and start < e.end)]
        ents.append(make(start, end, "TERM", sent.tokens.doc.text[toks[a].idx:toks[b].idx + len(toks[b].text)]))
    return sorted(ents, key=lambda e: e.start)
