"""The person the article's title names, as the one a he/she/his/her stands for (round 10): every generated card
shows the title above its front as its context line, so a pronoun nobody on the card names can be that person
(`cardgen_refer.Referents` asks; pure)."""
from __future__ import annotations

import re

from . import cardgen_context


def title_person(refs, sent, word: str, personal: dict[str, str], roles: dict[str, str]) -> bool:
    """Whether a he/she/his/her stands for the person the title names (every card shows the title above it):
    the one person of the headline, of the pronoun's gender by the text, when neither the sentence nor its
    paragraph before it names anyone else who could be meant (a person not shown to be of the other gender, or
    a role noun of that gender: "his teacher")."""
    if word in ("him", "himself", "herself") or not refs.title_person_allowed:
        return False
    if refs.headline_person is None:
        canon, titles = refs.reading.people.canonical, refs.reading.titles()
        headline = set(re.findall(r"\w+", titles))
        people = {canon(e.text) for s in refs.reading.sentences for e in s.entities if e.label == "PERSON"}
        named = {p for p in people if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", titles)} \
            or {p for p in people if headline & set(p.split())}  # "Mary Anning, ..." (not her brother Joseph Anning)
        if len(named) > 1 and refs.main in named:
            named = {refs.main}  # the most mentioned ("Hokusai, ...": Katsushika Hokusai, not a stray "Hokusai Manga")
        refs.headline_person = next(iter(named)) if len(named) == 1 else ""
    person, gender = refs.headline_person, personal[word]
    if not person or refs.gender(person, sent) != gender:
        return False
    if any(t.dep_ in ("nsubj", "nsubjpass") and cardgen_context.bare(t) == "the" and t.lower_ not in refs.context.title_nouns
           for t in cardgen_context.unquoted(sent)):
        return False  # "The couple settled ...", "Because the book named ...": more than the person is left unsaid
    i = refs.index[sent.start]
    before = [s for s in refs.reading.sentences[:i] if s.paragraph == sent.paragraph]
    subj = next((c for c in sent.tokens.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    a, b = (sent.token_start(subj.left_edge), sent.token_end(subj.right_edge)) if subj is not None else (0, 0)
    for s in [*before, sent]:
        for e in s.entities:
            other = refs.reading.people.canonical(e.text) if e.label == "PERSON" else None
            if other and other != person and (refs.gender(other, s) == gender or refs.gender(other, s) is None and (
                    before and s is before[-1] or s is sent and a <= e.start < b)):
                return False  # someone of that gender; or of unknown gender just before, or the sentence's subject
        if any(t.lemma_.lower() in roles and roles[t.lemma_.lower()] == gender and any(
                c.dep_ == "poss" or c.lower_ in ("the", "this", "that") for c in t.children) for t in s.tokens):
            return False  # "her mother", "the queen" (not "As a woman she ...")
    return True
