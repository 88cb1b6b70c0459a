"""Quantities written in words and ranges, as whole figure answers (pure; after `nlp_context.refine`).

The small model tags "ten to twelve days" as a DATE, "eight" as a bare CARDINAL and "between
twenty-two and forty-five kilograms" in pieces, and the repairs before this drop small number words
and durations in words. Here a quantity is read from the sentence's words (English number words, not
any one text's):

* a **range**: "ten to twelve", "150 to 250", "12-18", "between one and two", "fifty to one hundred
  and twenty";
* a **ratio**: "four in five", "three in ten" (the whole "four in five" is the answer); in "one to
  three of every 1,000" the answer is "one to three";
* a **number in words** with its **unit** (the noun it counts, one adjective or noun between at most):
  "nineteen years", "eight political parties", "five dollars", "sixty-five days", "two hours".

The answer is the quantity with its unit ("ten to twelve days"); a hedge before it ("about", "up to")
stays outside. A figure in digits alone ("46 colonies") is left as the model found it. Left out: a
lone "one" or "a", a number after "the"/a possessive ("the two men": no figure, a reference), a
relative time ("two years later"), a number glued to a word ("five-dollar day", "eight-hour"), and
anything overlapping a date or a name. `variants` gives the digit forms a learner may type ("10-12 days").
"""
from __future__ import annotations

import re

from .answers import SCALES, WORD_NUMBERS

_WORD_OF = {value: word for word, value in WORD_NUMBERS.items()}  # the number words typed answers read (answers.py)
_ONES = "|".join(_WORD_OF[n] for n in range(1, 10))
_TEENS = "|".join(_WORD_OF[n] for n in range(10, 20))
_TENS = "|".join(_WORD_OF[n] for n in range(20, 100, 10))
_WORD = rf"(?:(?:{_TENS})(?:-(?:{_ONES}))?|{_TEENS}|{_ONES})"
_BIG = r"(?:hundred|thousand|million|billion|trillion)"
_WNUM = rf"(?:(?:{_WORD}|a) {_BIG}(?: and {_WORD})?(?: {_BIG})?|{_WORD})(?: and a half)?"
_DNUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?: (?:million|billion|trillion))?"
_NUM = rf"(?:{_DNUM}|{_WNUM})"
QUANTITY = re.compile(
    rf"(?<![\w\-.,])(?P<between>between (?:about )?)?(?P<a>{_NUM})"
    rf"(?:(?P<sep> to | and |\u2013|-| or (?=[a-z]))(?P<b>{_NUM}))?"
    rf"(?P<ratio> in (?:every )?(?:{_WNUM}|\d{{1,3}}(?:,\d{{3}})*(?!\d)))?(?![\w\-]|[.,]\d)", re.IGNORECASE)
_SCALE = {word: int(SCALES[word]) for word in ("hundred", "thousand", "million", "billion", "trillion")}
_RELATIVE = frozenset({"later", "earlier", "ago", "afterwards"})
_DEFINITE = frozenset({"the", "these", "those", "its", "his", "her", "their", "our", "my", "your", "each", "every",
                       "first", "last", "next", "other"})
_FIGURE_LABELS = frozenset({"CARDINAL", "QUANTITY", "PERCENT", "MONEY"})
MEASURES = frozenset({  # units of time, money and measure (English words): "two hours" is a figure, "two cities" a guess
    "second", "minute", "hour", "day", "week", "month", "year", "decade", "century", "dollar", "pound", "euro", "cent",
    "franc", "mark", "rouble", "ruble", "yen", "shilling", "penny", "pence", "guinea", "metre", "meter", "kilometre",
    "kilometer", "mile", "foot", "feet", "inch", "yard", "kilogram", "gram", "tonne", "ton", "litre", "liter", "gallon",
    "degree", "volt", "watt", "acre", "hectare", "knot", "percent"})


def word_value(words: str) -> int | None:
    """The value of a number written in words ("one hundred and twenty" -> 120), or None."""
    total = current = 0
    seen = False
    for word in re.split(r"[\s-]+", words.lower()):
        if word in ("and", ""):
            continue
        if word == "a":
            current, seen = 1, True
        elif WORD_NUMBERS.get(word, 0):  # not "zero"
            current += WORD_NUMBERS[word]
            seen = True
        elif word in _SCALE:
            current = max(current, 1) * _SCALE[word]
            if _SCALE[word] >= 1000:
                total, current = total + current, 0
        else:
            return None
    return total + current if seen else None


def _digits(number: str) -> str | None:
    if re.search(r"\d", number):
        return number
    half = number.lower().endswith(" and a half")
    value = word_value(number[:-len(" and a half")] if half else number)
    if value is None:
        return None
    return f"{value:,}" + (".5" if half else "")


def variants(answer: str) -> list[str]:
    """Digit forms of a figure in words ("ten to twelve days" -> "10 to 12 days", "10-12 days")."""
    m = QUANTITY.match(answer)
    if m is None or m.group("ratio") or not re.search(r"[a-z]", m.group("a") + (m.group("b") or ""), re.IGNORECASE):
        return []
    a = _digits(m.group("a"))
    b = _digits(m.group("b")) if m.group("b") else None
    if a is None or m.group("b") and b is None:
        return []
    rest = answer[m.end("b") if m.group("b") else m.end("a"):]
    if not m.group("b"):
        return [a + rest]
    out = [f"{a}{m.group('sep')}{b}{rest}"]
    if m.group("sep").strip() == "to":
        out.append(f"{a}-{b}{rest}")
    return out


def _value(number: str) -> float | None:
    plain = number.replace(",", "").lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", plain):
        return float(plain)
    half = plain.endswith(" and a half")
    value = word_value(plain.removesuffix(" and a half"))
    return None if value is None else value + (0.5 if half else 0)


def _rises(a: str, b: str) -> bool:
    """Whether "a to b" is a range: b above a (numbers with "million" are compared by their words too)."""
    va, vb = _value(re.sub(r" (?:million|billion|trillion)$", "", a)), _value(re.sub(r" (?:million|billion|trillion)$", "", b))
    return va is not None and vb is not None and vb > va or va is None or vb is None


def small(answer: str) -> bool:
    """A lone number under ten in words, with or without its unit ("three air corridors", "two years"):
    scored as a single digit is (`cardgen`)."""
    m = QUANTITY.match(answer)
    return bool(m) and not m.group("b") and not m.group("ratio") and re.fullmatch(_ONES, m.group("a"), re.IGNORECASE) is not None




# nouns a writer counts to announce what follows ("Critics make three arguments", "do three things"): the
# count is the text's own structure, not a fact about the subject
_DISCOURSE = frozenset({"thing", "things", "argument", "arguments", "reason", "reasons", "lesson", "lessons",
                        "way", "ways", "point", "points", "question", "questions", "problem", "problems",
                        "idea", "ideas", "objection", "objections", "option", "options", "factor", "factors"})
_CONVERTED = re.compile(rf"{_NUM}\s+[a-z]+(?:\s[a-z]+)?\s*(?:,\s*or|\()\s*(?:about|around|roughly|some|nearly|almost|"
                        r"approximately|just over|just under)?\s*$", re.IGNORECASE)


def idle(text: str, start: int, answer: str) -> str | None:
    """Why a figure answer is no fact to learn, or None: a small count of a discourse noun ("three
    arguments"), the same quantity in other units right after another ("363 miles long, or about
    {{584}} kilometres", "5 miles (8 km)"), or the base of a rate ("one to three of every 1,000")."""
    words = answer.split()
    if len(words) == 2 and small(answer) and words[1].lower() in _DISCOURSE:
        return "a count of the text's own points ('three arguments'): no fact"
    if _CONVERTED.search(text[max(0, start - 60):start]):
        return "the same quantity in other units as the figure before it"
    if answer[:1].isupper() and not re.search(r"(?:^|[.!?:\n\"\u201c]\s*)$", text[max(0, start - 3):start]) \
            and re.match(r"\s+[A-Z]", text[start + len(answer):start + len(answer) + 2]):
        return "a number in a title ('issued {{Thirty-Six}} Views of Mount Fuji'): a name, not a figure"
    if re.search(r"\b(?:of|in|out of) every\s*$", text[max(0, start - 20):start]):
        return "the base of a rate ('one to three of every {{1,000}}'): the rate is the fact"
    return None


def in_words(n: int) -> str:
    """A whole number from 1 to 999,999 in words, as this module reads them ("one hundred and twenty")."""
    if n >= 1000:
        rest = n % 1000
        return in_words(n // 1000) + " thousand" + ("" if not rest else (" and " if rest < 100 else " ") + in_words(rest))
    if n >= 100:
        rest = n % 100
        return _WORD_OF[n // 100] + " hundred" + (f" and {in_words(rest)}" if rest else "")
    if n >= 20:
        return _WORD_OF[n - n % 10] + (f"-{_WORD_OF[n % 10]}" if n % 10 else "")
    return _WORD_OF[n] if n else ""


def options(answer: str, values_of) -> list[str]:
    """Wrong options for a figure in words, in words, best first: `values_of(n)` gives other values for
    the first number (as `distractors.figure_values` writes them); a range moves as a whole ("ten to
    twelve days" -> "twenty to twenty-four days"). A ratio or a half gives none."""
    m = QUANTITY.match(answer)
    if m is None or m.group("ratio") or "half" in answer.lower():
        return []
    a = word_value(m.group("a"))
    b = word_value(m.group("b")) if m.group("b") else None
    if a is None or m.group("b") and b is None or a >= 1_000_000 or (b or 0) >= 1_000_000:
        return []
    rest = answer[m.end("b") if m.group("b") else m.end("a"):]
    out = []
    for value in values_of(a):
        va = int(value.replace(",", "")) if value.replace(",", "").isdigit() else 0
        vb = round(b * va / a) if b else None
        if not 1 < va < 1_000_000 or vb is not None and not va < vb < 1_000_000:  # not "one political parties"
            continue
        if b and vb and va <= b and vb >= a:  # "nine to eleven days" is partly true of "ten to twelve days"
            continue
        text = in_words(va) + (f"{m.group('sep')}{in_words(vb)}" if vb else "") + rest
        out.append(text[:1].upper() + text[1:] if answer[:1].isupper() else text)
    return out


def _token_at(sent, offset: int):
    return next((t for t in sent.tokens if sent.token_start(t) <= offset < sent.token_end(t)), None)


def _unit(sent, last) -> list:
    """The noun a number counts, right after it (one adjective or noun between at most): [tokens] or []."""
    doc = sent.tokens.doc
    nxt = [doc[i] for i in range(last.i + 1, min(last.i + 3, sent.tokens.end))]
    if nxt and nxt[0].lower_ in ("per", "percent"):
        return nxt[:2] if nxt[0].lower_ == "per" and len(nxt) > 1 and nxt[1].lower_ == "cent" else nxt[:1]
    if nxt and nxt[0].pos_ == "NOUN" and not nxt[0].text[:1].isupper():
        return nxt[:1] if not (len(nxt) > 1 and nxt[1].pos_ == "NOUN" and nxt[1].tag_ == "NNS"
                               and nxt[0].tag_ == "NN" and nxt[0].dep_ == "compound") else nxt[:2]
    if len(nxt) == 2 and nxt[0].pos_ in ("ADJ", "NOUN") and nxt[0].text.islower() and nxt[1].pos_ == "NOUN" \
            and nxt[1].tag_ == "NNS" and nxt[0].head == nxt[1]:
        return nxt
    return []


def _cuts_a_compound(sent, ent) -> bool:
    """A figure the model found that ends inside a longer noun: "{{Four degree}} heating weeks"."""
    if ent.label not in _FIGURE_LABELS:
        return False
    last = _token_at(sent, ent.end - 1)
    return last is not None and last.pos_ == "NOUN" and last.dep_ == "compound" and last.head.i > last.i \
        and last.lower_ not in ("percent", "cent") \
        and sent.token_start(last.head) >= ent.end


# a split time with fractions of a second, or hours:minutes:seconds, is a duration (a race or record time), never a
# time of day: "ran 4:01.4", "in 2:03:59" -- the whole figure is the answer, never its minutes alone (round 11)
SPLIT_TIME = re.compile(r"(?<![\w:.,])(?:\d{1,2}:[0-5]\d(?::[0-5]\d)?\.\d{1,3}|\d{1,2}:[0-5]\d:[0-5]\d)(?![\w:]|[.,]\d)")
# figures the model cuts (round 11): "3 minutes 59.4 seconds" (a duration in two units), "half a million" (a
# fraction of a scale word), "a dollar and a half" (a unit of measure inside the number), "five votes to four"
# (a tally: a count of a plural noun to a smaller number after it)
_DIGIT = r"\d+(?:\.\d+)?"
WHOLE = re.compile(
    rf"(?<![\w\-.,])(?:{_DIGIT} (?:hours?|minutes?) (?:and )?{_DIGIT} (?:minutes?|seconds?)\b"
    rf"|(?:half an?|a half) {_BIG}\b|(?:an?|{_WORD}) (?P<unit>[a-z]+) and a half\b"
    rf"|(?P<n>{_NUM}) [a-z]+s to (?P<m>{_NUM})(?=[,.;:)]|\s+(?:in|with|on|against|and|but)\b))", re.IGNORECASE)


def _whole(text: str, sent, out: list, make) -> list:
    for m in [*SPLIT_TIME.finditer(text, sent.start, sent.end), *WHOLE.finditer(text, sent.start, sent.end)]:
        start, end = m.start(), m.end()
        if m.re is WHOLE and m.group("n") and not (
                (a := _value(m.group("n"))) is not None and (b := _value(m.group("m"))) is not None and b < a):
            continue  # "two votes to ten": no tally read from the words
        if m.re is WHOLE and m.group("unit") and re.sub(r"s$", "", m.group("unit").lower()) not in MEASURES:
            continue  # "a dollar and a half", "an hour and a half"; not "a cake and a half"
        if any(e.start < end and start < e.end and e.label not in _FIGURE_LABELS | {"TIME"} for e in out):
            continue
        out = [e for e in out if not (e.start < end and start < e.end)]
        out.append(make(start, end, "QUANTITY", m.group()))
    return out


def quantities(text: str, sent, ents: list, make) -> list:
    """The sentence's entities with ranges, ratios and numbers in words made whole figures."""
    s_text = text[sent.start:sent.end]
    out = [e for e in ents if not _cuts_a_compound(sent, e)]
    for m in QUANTITY.finditer(s_text):
        a_text, b_text = m.group("a"), m.group("b")
        sep = m.group("sep")
        if sep == " and " and not m.group("between") or m.group("between") and sep != " and ":
            b_text = None  # "and" makes a range only after "between": "fifty and ..." is a list
        in_words = bool(re.search(r"[a-z]", re.sub(r"million|billion|trillion", "", a_text + (b_text or "")), re.IGNORECASE))
        if b_text is not None and not _rises(a_text, b_text):
            b_text = None  # "a 3-2 vote", "1-0": a score, not a range
        ranged = b_text is not None or m.group("ratio") is not None
        if not ranged and not in_words:
            continue  # a figure in digits alone: the model's entity stands
        if not ranged and re.fullmatch(r"(?:one|a)", a_text, re.IGNORECASE) \
                and not re.match(r"\s+(?:per cent|percent)\b", s_text[m.end("a"):], re.IGNORECASE):
            continue  # a lone "one"/"a" counts nothing worth asking; "one per cent" is a figure
        start = sent.start + m.start("a")
        end = sent.start + (m.end("ratio") if m.group("ratio") else m.end("b") if b_text else m.end("a"))
        first, last = _token_at(sent, start), _token_at(sent, end - 1)
        if first is None or last is None:
            continue
        before = first.nbor(-1) if first.i > sent.tokens.start else None
        if before is not None and (before.lower_ in _DEFINITE and before.pos_ != "VERB" or before.dep_ == "poss" or before.text[:1].isupper()
                                   and before.i > sent.tokens.start and before.pos_ == "PROPN"):
            continue  # "the two men", "Apollo 13"
        if not ranged and before is not None and before.lower_ in ("in", "of", "or") and any(
                t.like_num for t in sent.tokens.doc[max(sent.tokens.start, before.i - 3):before.i]):
            continue  # a part of a ratio or a choice: "one mother in ten", "two or three"
        unit = [] if m.group("ratio") else _unit(sent, last)
        if unit and unit[-1].tag_ == "NN" and unit[0].lower_ not in ("per", "percent"):
            continue  # a singular noun after a number above one is not what it counts: "and eight cause widespread
            # death" (a verb read as a noun), "four degree heating weeks" (the first word of a longer name)
        measure = bool(unit) and (unit[-1].lemma_.lower() in MEASURES or unit[0].lower_ == "per")
        if unit and not ranged and not measure and (a_text.lower() == "two" or first.i == sent.tokens.start):
            continue  # "two cities", "Three lessons follow": a count a reader guesses
        if unit:
            end = sent.token_end(unit[-1])
            after = unit[-1].nbor(1) if unit[-1].i + 1 < sent.tokens.end else None
            if after is not None and after.lower_ in _RELATIVE and not ranged:
                continue  # "two years later": a relative time, not a figure
        elif not ranged and not re.search(rf"^(?:{_TEENS}|{_TENS}|.*{_BIG})", a_text, re.IGNORECASE):
            continue  # a small number word counting nothing named
        if any(e.start < end and start < e.end and e.label not in _FIGURE_LABELS for e in out):
            continue  # a date or a name is there
        out = [e for e in out if not (e.start < end and start < e.end)]
        out.append(make(start, end, "QUANTITY", text[start:end]))
    out = _whole(text, sent, out, make)
    return sorted(out, key=lambda e: (e.start, e.end))
