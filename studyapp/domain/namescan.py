"""Finding names, figures, dates and quotes in a sentence for the card generator (pure).

Heuristics, no model:

* names are runs of capitalised words (with "of" between two of them, "People's" inside,
  "Corp." and a trailing year as in "Vostok 2018"); a possessive or a comma ends a run;
  function words at the start ("The", "But") are dropped;
* a name is an organisation by its suffix ("Corp.", "Institute", "Army", "Insider"...), a short
  list of known bodies or an acronym; a place by a small gazetteer of countries, regions and
  capitals, a suffix ("River", "Sea") or a compass word ("South Korean", "Central Asia"); a treaty
  or an event by its words ("Treaty", "War", a year); a person when two or three plain
  capitalised words are backed by evidence: the surname used alone elsewhere in the text, a
  title ("Dr.", "President") or a speech verb / ", who" right after;
* figures are written numbers (3,200; 2.5 million; 25%); dates are years (1500-2099), decades
  ("1850s") and month-year dates.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

COUNTRIES = frozenset("""
Afghanistan Albania Algeria Angola Argentina Armenia Australia Austria Azerbaijan Bangladesh
Belarus Belgium Bolivia Bosnia Brazil Britain Bulgaria Burma Cambodia Cameroon Canada Chad Chile
China Colombia Congo Croatia Cuba Cyprus Czechia Denmark Ecuador Egypt England Eritrea Estonia
Ethiopia Finland France Georgia Germany Ghana Greece Guatemala Haiti Honduras Hungary Iceland
India Indonesia Iran Iraq Ireland Israel Italy Japan Jordan Kazakhstan Kenya Korea Kosovo Kuwait
Kyrgyzstan Laos Latvia Lebanon Libya Lithuania Luxembourg Malaysia Mali Mexico Moldova Mongolia
Montenegro Morocco Mozambique Myanmar Nepal Netherlands Nicaragua Niger Nigeria Norway Oman
Pakistan Palestine Panama Paraguay Peru Philippines Poland Portugal Qatar Romania Russia Rwanda
Scotland Senegal Serbia Singapore Slovakia Slovenia Somalia Spain Sudan Sweden Switzerland Syria
Taiwan Tajikistan Tanzania Thailand Tibet Tunisia Turkey Turkmenistan Uganda Ukraine Uruguay
Uzbekistan Venezuela Vietnam Wales Yemen Zambia Zimbabwe America
""".split())
MULTIWORD_PLACES = frozenset({
    "United States", "United Kingdom", "Soviet Union", "South Korea", "North Korea", "Saudi Arabia",
    "New Zealand", "South Africa", "Hong Kong", "Middle East", "Central Asia", "East Asia",
    "Southeast Asia", "South Asia", "Eastern Europe", "Western Europe", "Latin America",
    "North America", "South America", "Indo-Pacific", "South China Sea", "East China Sea",
    "New York", "New Delhi", "Sri Lanka", "Czech Republic", "Persian Gulf", "Black Sea",
})
REGIONS_AND_CITIES = frozenset("""
Europe Asia Africa Arctic Antarctica Balkans Caucasus Siberia Crimea Donbas Xinjiang Manchuria
Eurasia Pacific Atlantic Baltic Beijing Moscow Washington London Paris Berlin Tokyo Seoul Kyiv
Kiev Pyongyang Taipei Brussels Shanghai Delhi Tehran Ankara Warsaw Vienna Geneva Rome Madrid
Minsk Hanoi Manila Jakarta Islamabad Kabul Baghdad Damascus Cairo Jerusalem Vladivostok
""".split())
PLACE_SUFFIXES = frozenset({"River", "Sea", "Ocean", "Strait", "Straits", "Mountains", "Island",
                            "Islands", "Lake", "Peninsula", "Gulf", "Bay", "Province", "Region",
                            "Valley", "Desert", "Canal", "Plateau", "Basin", "Republic"})
COMPASS = frozenset({"North", "South", "East", "West", "Central", "Eastern", "Western",
                     "Northern", "Southern", "Northeast", "Southeast"})
ORG_SUFFIXES = frozenset({
    "Corp.", "Corp", "Corporation", "Inc.", "Ltd.", "Co.", "Group", "Institute", "University",
    "Univ.", "Agency", "Ministry", "Council", "Committee", "Party", "Army", "Navy", "Force",
    "Forces", "Bank", "Fund", "Organization", "Organisation", "Association", "Foundation",
    "Commission", "Department", "Office", "Times", "News", "Post", "Insider", "Journal",
    "Magazine", "Review", "Herald", "Tribune", "Guardian", "Command", "Guard", "Academy",
    "Center", "Centre", "Company", "Pentagon", "Kremlin",
})
KNOWN_ORGS = frozenset({
    "NATO", "RAND", "UN", "EU", "PLA", "CIA", "FBI", "NSA", "IMF", "WTO", "OPEC", "ASEAN", "SCO",
    "BRICS", "Pentagon", "Kremlin", "Forbes", "Reuters", "BBC", "CNN", "Congress", "Politburo",
    "Brookings", "Gazprom", "Huawei",
})
NOT_ORG_ACRONYMS = frozenset({"US", "USA", "UK", "II", "III", "IV", "MA", "BA", "PhD", "GDP",
                              "CEO", "TV", "AI", "ISR", "OK", "USSR"})
TREATY_WORDS = frozenset({"Treaty", "Accord", "Accords", "Agreement", "Pact", "Convention",
                          "Protocol", "Charter", "Declaration"})
EVENT_WORDS = frozenset({"War", "Battle", "Crisis", "Revolution", "Exercise", "Exercises",
                         "Games", "Summit", "Olympics", "Conference", "Alliance", "Uprising",
                         "Campaign", "Offensive", "Incident"})
TITLES = frozenset({"Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "President", "Premier", "Minister",
                    "General", "Gen.", "Admiral", "Adm.", "Col.", "Senator", "Sen.", "Secretary",
                    "Chancellor", "King", "Queen", "Prince", "Professor", "Chairman", "Ambassador"})
FUNCTION_WORDS = frozenset("""
The A An But And Or Nor Yet So In On At Of For With By From To As If It Its This That These Those
Some Many Most One Two Both Neither Either While When Where Which Who Whom Whose What Why How
Despite After Before Already Equally Instead Besides Today Notably Also Fast Good Successful
Such Each Every All Any No Not Only Even Still Then There Here Their They We He She I You Our
Your His Her My Meanwhile However Although Though Because Since Until Unless Whether Among
Under Over About Around Into Through During Against Between Without Within Yes Last Next First
Policymakers Capitalist Communist Exercises Read Follow
""".split())
NOT_NAME_WORDS = frozenset({"Allies", "Cold", "World", "Communist", "Capitalist", "Chinese",
                            "Russian", "Russians", "Soviet", "Soviets", "American", "British",
                            "Western", "Eastern", "European", "Sino-Russian", "Tsarist",
                            "Asian", "Korean", "Japanese", "Indian", "Ukrainian", "Syrian"})
SPEECH_VERBS = (r"said|says|told|tells|warned|warns|noted|notes|added|adds|wrote|writes|argued|"
                r"argues|explained|explains|pointed out|points out|recommended|recommends|"
                r"concluded|cautioned|stated|observed|insisted|claimed|suggested|emphasized|"
                r"emphasised|stressed|contrasted|believes|acknowledged|admitted")
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
          "December|Jan\\.|Feb\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\.")

# one country under several names: counted together when deciding a place is named too often
ALIASES = {
    "America": "United States", "US": "United States", "U.S.": "United States", "USA": "United States",
    "Washington": "United States", "Britain": "United Kingdom", "UK": "United Kingdom",
    "U.K.": "United Kingdom", "London": "United Kingdom", "Moscow": "Russia", "Kremlin": "Russia",
    "Beijing": "China", "Soviets": "Soviet Union", "USSR": "Soviet Union", "Kyiv": "Ukraine",
    "Kiev": "Ukraine", "Tokyo": "Japan", "Seoul": "South Korea", "Paris": "France",
    "Berlin": "Germany", "Taipei": "Taiwan", "Pyongyang": "North Korea", "Tehran": "Iran",
}


def entity(name: str) -> str:
    return ALIASES.get(name, name)


def entity_mentions(text: str, name: str) -> int:
    """Mentions of a place in the text, counting its other names ("Beijing" for China)."""
    key = entity(name)
    forms = {key, *(alias for alias, target in ALIASES.items() if target == key)}
    return sum(len(re.findall(rf"(?<![\w.]){re.escape(f)}(?![\w])", text)) for f in forms)


def initials(name: str) -> str:
    return "".join(w[0] for w in name.replace("'s", "").split() if w[:1].isupper())


_TOKEN = re.compile(r"\S+")
_LEAD_PUNCT = "\"'\u201c\u2018([{*_"
_TRAIL_PUNCT = ",;:!?)\"'\u201d\u2019]}*_"
_YEAR_TAIL = re.compile(r"^(?:[A-Z][\w]*-)?(?:1[5-9]|20)\d\d$")
DATE_RE = re.compile(
    rf"\b(?:(?:{MONTHS})\s+(?:\d{{1,2}},?\s+)?)?(?<![\d,.])(?:1[5-9]|20)\d\d(?:s\b)?(?!\d|[,.]\d)")
FIGURE_RE = re.compile(
    r"(?<![\w.,$\u20ac\u00a3-])[$\u20ac\u00a3]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    r"(?:\s?%|\s(?:percent|per cent)\b)?(?:\s(?:thousand|million|billion|trillion)\b)?(?![\w]|\.\d)")


@dataclass(frozen=True)
class Span:
    start: int  # offsets in the sentence
    end: int
    text: str


@dataclass(frozen=True)
class Found:
    span: Span
    category: str  # number, year, person, organisation, place, treaty, event
    reason: str


def tokens(sentence: str) -> list[tuple[Span, bool, bool]]:
    """Words without surrounding punctuation, whether punctuation preceded and followed them."""
    out = []
    for m in _TOKEN.finditer(sentence):
        s, e = m.start(), m.end()
        while s < e and sentence[s] in _LEAD_PUNCT:
            s += 1
        lead = s > m.start()
        trail = False
        while e > s and sentence[e - 1] in _TRAIL_PUNCT:
            e -= 1
            trail = True
        if e > s and sentence[e - 1] == ".":
            word = sentence[s:e]
            if word not in ORG_SUFFIXES and word not in TITLES and not re.fullmatch(r"(?:[A-Z]\.)+", word):
                e -= 1
                trail = True
        if e > s:
            out.append((Span(s, e, sentence[s:e]), lead, trail))
    return out


def _is_cap(word: str) -> bool:
    if not word[:1].isupper():
        return False
    if "-" in word:  # "Tsentr-2019" yes; "U.S.-led", "Russia-China", "Sino-Russian" no
        return bool(_YEAR_TAIL.match(word))
    return True


def name_runs(sentence: str) -> list[list[Span]]:
    """Runs of capitalised words, possessives stripped, leading function words dropped."""
    toks = tokens(sentence)
    runs: list[list[Span]] = []
    current: list[Span] = []
    i = 0
    while i < len(toks):
        span, lead, trail = toks[i]
        word = span.text
        if lead and current:  # "PLA [People's": an opening bracket or quote starts a new run
            runs.append(current)
            current = []
        connector = bool(word in ("of", "de", "von", "van") and current and i + 1 < len(toks)
                         and _is_cap(toks[i + 1][0].text))
        year_tail = bool(current and re.fullmatch(r"(?:1[5-9]|20)\d\d", word)
                         and not trail_prev(toks, i))
        if _is_cap(word) or connector or year_tail:
            possessive = bool(re.search(r"['\u2019]s?$", word)) and word != "People's"
            if possessive:
                cut = len(re.search(r"['\u2019]s?$", word).group(0))
                span = Span(span.start, span.end - cut, word[:-cut])
            current.append(span)
            if trail or possessive or year_tail:
                runs.append(current)
                current = []
        else:
            if current:
                runs.append(current)
            current = []
        i += 1
    if current:
        runs.append(current)
    cleaned = []
    for run in runs:
        while run and (run[0].text in FUNCTION_WORDS or run[0].text in TITLES):
            run = run[1:]
        while run and run[-1].text in ("of", "de", "von", "van"):
            run = run[:-1]
        if run:
            cleaned.append(run)
    return cleaned


def trail_prev(toks: list[tuple[Span, bool, bool]], i: int) -> bool:
    return i > 0 and toks[i - 1][2]


def _is_place(name: str, words: list[str]) -> bool:
    if name in COUNTRIES or name in MULTIWORD_PLACES or name in REGIONS_AND_CITIES:
        return True
    if len(words) > 1 and words[-1] in PLACE_SUFFIXES:
        return True
    if len(words) > 1 and words[0] in COMPASS:
        rest = " ".join(words[1:])
        return rest in COUNTRIES or rest in REGIONS_AND_CITIES or bool(
            re.search(r"(?:ean|ian|ese|ish|an)$", words[-1]))
    return False


def classify(name: str, *, text: str, sentence: str, end: int, known_people: set[str]) -> str | None:
    """Category of a name found in `sentence` (ending at `end`), or None if it is not one."""
    words = name.split()
    if any(w in TREATY_WORDS for w in words):
        return "treaty"
    if words[-1] in EVENT_WORDS or (len(words) > 1 and "War" in words) or _YEAR_TAIL.match(words[-1]) \
            and (len(words) > 1 or "-" in words[-1]):
        return "event"
    if words[-1] in ORG_SUFFIXES or name in KNOWN_ORGS or (
            len(words) == 1 and re.fullmatch(r"[A-Z]{3,6}", name) and name not in NOT_ORG_ACRONYMS):
        return "organisation"
    if _is_place(name, words):
        return "place"
    if name in known_people or (len(words) == 1 and any(p.split()[-1] == name for p in known_people)):
        return "person"
    if 2 <= len(words) <= 3 and all(re.fullmatch(r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?", w) for w in words) \
            and not any(w in NOT_NAME_WORDS or w in COMPASS for w in words):
        surname_alone = len(re.findall(rf"(?<!{re.escape(words[-2])} )\b{re.escape(words[-1])}\b", text))
        after = sentence[end:end + 40]
        titled = sentence[:max(0, end - len(name))].rstrip().split(" ")[-1:] in ([t] for t in TITLES)
        speech = re.match(rf"\s*(?:,\s*who\b|(?:{SPEECH_VERBS})\b)", after)
        if surname_alone or titled or speech:
            return "person"
    start = end - len(name)
    if len(words) == 1 and _lone_name(name, text=text, at_start=not sentence[:start].strip(_LEAD_PUNCT + " ")):
        # "near Kestle", "to Holt": after a preposition of place it is a place, else a person
        return "place" if _PLACE_PREPOSITION.search(sentence[:start]) else "person"
    return None


_PLACE_PREPOSITION = re.compile(
    r"\b(?:in|near|to|from|at|across|into|outside|around|towards?|via|through|of)\s+$", re.IGNORECASE)


_NOT_LONE_NAMES = frozenset("""
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
July August September October November December God Internet English French German Spanish
Arabic Christmas Easter Islam Christianity Western Eastern Northern Southern Allies Communist
Capitalist Parliament Congress Senate Cabinet Army Navy Government State Republic Empire Act
""".split())


def _lone_name(word: str, *, text: str, at_start: bool) -> bool:
    """A single capitalised word that is probably a person's name ("Hitler"): not at the start of
    a sentence, not an adjective or plural by its ending, never written in lower case."""
    if at_start or word in _NOT_LONE_NAMES or word in NOT_NAME_WORDS or word in FUNCTION_WORDS \
            or word in COMPASS:
        return False
    if not re.fullmatch(r"[A-Z][a-z]{3,}", word) or re.search(r"(?:an|ese|ish|ic|ist|s|ism)$", word):
        return False
    return not re.search(rf"\b{word.lower()}\b", text)


def find_people(text: str, sentences: list[str]) -> set[str]:
    """Full names of people in the whole text (so a later bare surname can be recognised)."""
    people: set[str] = set()
    for sent in sentences:
        for run in name_runs(sent):
            name = sentence_slice(sent, run)
            if len(run) >= 2 and classify(name, text=text, sentence=sent, end=run[-1].end,
                                          known_people=set()) == "person":
                people.add(name)
    return people


def sentence_slice(sentence: str, run: list[Span]) -> str:
    return sentence[run[0].start:run[-1].end]


def names(sentence: str, *, text: str, known_people: set[str]) -> list[Found]:
    out = []
    for run in name_runs(sentence):
        name = sentence_slice(sentence, run)
        if sentence[run[0].start - 1:run[0].start] == "-" or sentence[run[-1].end:run[-1].end + 1] == "-" \
                or re.search(r"-[A-Z][\w]*\s$", sentence[:run[0].start]):
            continue  # part of a compound: "US-South Korea", "Russia-China"
        category = classify(name, text=text, sentence=sentence, end=run[-1].end,
                            known_people=known_people)
        if category:
            out.append(Found(Span(run[0].start, run[-1].end, name), category,
                             "named " + category if category in ("person", "organisation", "place")
                             else category))
    return out


_NUMBERISH = r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|dozens)"
_RANGE_BEFORE = re.compile(rf"\b{_NUMBERISH}\s*(?:or|to|and|-|\u2013)\s*$", re.IGNORECASE)
_RANGE_AFTER = re.compile(rf"^\s*(?:or|to|-|\u2013)\s*{_NUMBERISH}\b", re.IGNORECASE)


def figures_and_dates(sentence: str) -> list[Found]:
    out: list[Found] = []
    taken: list[tuple[int, int]] = []
    for m in DATE_RE.finditer(sentence):
        out.append(Found(Span(m.start(), m.end(), m.group(0)), "year", "date"))
        taken.append((m.start(), m.end()))
    for m in FIGURE_RE.finditer(sentence):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        out.append(Found(Span(m.start(), m.end(), m.group(0)), "number", "figure"))
    # one end of a range or alternative ("five or 10 years"): the answer is the whole range
    widened: dict[tuple[int, int], Found] = {}
    for found in out:
        start, end = found.span.start, found.span.end
        before = _RANGE_BEFORE.search(sentence[:start])
        after = _RANGE_AFTER.match(sentence[end:])
        if before:
            start = before.start()
        if after:
            end = end + after.end()
        widened.setdefault((start, end), Found(Span(start, end, sentence[start:end]),
                                               found.category, found.reason))
    return list(widened.values())


# --- quotes -------------------------------------------------------------------------------

_GENERIC = r"the (?:report|study|paper|analysis|survey|authors?|researchers|document)"
_NAME = r"(?:the\s+)?[A-Z][\w.'\u2019-]*(?:\s+(?:of\s+)?[A-Z][\w.'\u2019-]*){0,3}"
_WHO = rf"(?P<who>{_GENERIC}|(?:the\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*\s+(?:report|study|paper)|{_NAME}|he|she|they)"
AFTER_QUOTE = re.compile(
    rf"^\s*[,.]?\s*(?:{_WHO}\s+(?:(?:also|later|then)\s+)?(?:{SPEECH_VERBS})\b"
    rf"|(?:{SPEECH_VERBS})\s+(?P<who2>{_GENERIC}|{_NAME})|according to (?P<acc>[^.;]+))")
BEFORE_QUOTE = re.compile(rf"(?P<who>{_NAME}|{_GENERIC})\s+(?:{SPEECH_VERBS})\b[^\"\u201c]{{0,40}}[,:]?\s*$")


def quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Content spans of double-quoted passages inside text[start:end] (absolute offsets)."""
    out = []
    opening: int | None = None
    for i in range(start, end):
        ch = text[i]
        if ch == "\u201c" or (ch == '"' and opening is None):
            opening = i + 1
        elif (ch == "\u201d" or ch == '"') and opening is not None:
            out.append((opening, i))
            opening = None
    return out


SHORT_QUOTE = re.compile(r"(?<![\w])['\u2018\"\u201c]([A-Za-z][^'\u2018\u2019\"\u201c\u201d]{0,40}?)"
                         r"[,.]?['\u2019\"\u201d](?![\w])")


def canonical_speaker(raw: str, known_people: set[str]) -> str:
    name = re.sub(r"^the\s+", "", raw.strip())
    while name.split(" ", 1)[0] in TITLES and " " in name:
        name = name.split(" ", 1)[1]
    name = re.sub(r"\s+(?:report|study|paper|think tank)$", "", name)
    name = re.sub(r"\s+(?:Corp\.?|Corporation|Inc\.?|Ltd\.?)$", "", name)
    for person in sorted(known_people):
        if person.split()[-1] == name:
            return person
    return name
