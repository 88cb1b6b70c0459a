"""The quiz quality gate: each check rejects a bad question; the shipped deck's quizzes pass it."""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from studyapp.domain.deckfile import parse_file
from studyapp.domain.quizgate import DeckFacts, check_question, check_quiz, mentions
from studyapp.domain.quizgen import QUESTION_TYPES, Question, QuizCard, build_quiz, quiz_card

SHIPPED = Path(__file__).resolve().parents[2] / "cards" / "china-russia.toml"


def card(id, prompt, answer, **kw):
    kw.setdefault("kind", "fact")
    kw.setdefault("type", "basic")
    kw.setdefault("note", id.split(".")[0])
    return QuizCard(id=id, prompt=prompt, answer=answer, **kw)


PATROL = card("patrol", "In what year did a joint patrol fly near South Korean airspace?", "2023",
              category="year", statement="A joint patrol flew near South Korean airspace in 2023.",
              distractors=("2015", "2017", "2011"))
PATROLS_ALSO = card("patrols-also", "What else do the joint patrols show?", "Closer military ties",
                    category="statement", statement="Joint patrols near South Korean airspace also flew in 2019.")
TREATY = card("treaty", "In what year did the two countries sign their friendship treaty?", "2001",
              category="year", statement="The two countries signed their friendship treaty in 2001.",
              explanation="It replaced an older treaty of 1950.")
TREATY_CLOZE = card("treaty-cloze.c1", "Their friendship treaty dates from […].", "2001", type="cloze",
                    category="year", fact="treaty", statement="Their friendship treaty dates from 2001.")
AUTHOR = card("author", "Who wrote the article?", "Michael Peck", category="person",
              statement="Michael Peck wrote the article.", alternatives=("Peck",))
COAUTHOR = card("coauthor", "Who co-wrote the study?", "Mark Cozad", category="person")
CLAIM = card("claim", "What does the study call the drills?", "More parallel than joint", kind="argument",
             category="statement", speaker="RAND", claim="The drills are more parallel than joint.")
CLAIM2 = card("claim2", "What did Cozad say of the drills?", "They are parallel rather than joint", kind="argument",
              category="statement", speaker="Mark Cozad", claim="These drills are parallel rather than joint.")
WHY = card("why", "Why is Russia becoming the junior partner?", "China's economy keeps growing faster",
           kind="argument", category="reason")
GAP = card("gap.c1", "Good relations let them […] their long border.", "demilitarise", type="cloze",
           category="term", note="gap")
CARDS = [PATROL, PATROLS_ALSO, TREATY, TREATY_CLOZE, AUTHOR, COAUTHOR, CLAIM, CLAIM2, WHY, GAP]
FACTS = DeckFacts(CARDS)


def mc(c, options, prompt=None, qtype="multiple_choice"):
    return Question(qtype, prompt or c.prompt, list(options), c.answer, c.id)


def checks(question, c):
    return {flaw.check for flaw in check_question(question, c, FACTS)}


def test_a_good_question_passes():
    assert checks(mc(PATROL, ["2023", "2015", "2017", "2011"]), PATROL) == set()
    assert checks(mc(AUTHOR, ["Mark Cozad", "Michael Peck", "Andrew Small", "Michael Kofman"]), AUTHOR) == set()


def test_options_must_be_distinct_after_folding_and_four():
    assert "options" in checks(mc(PATROL, ["2023", "2015", "2,015", "2011"]), PATROL)
    assert "options" in checks(mc(AUTHOR, ["Michael Peck", "Mark Cozad", "mark cozad.", "Andrew Small"]), AUTHOR)
    assert "options" in checks(mc(PATROL, ["2023", "2015", "2017"]), PATROL)
    assert "options" in checks(mc(PATROL, ["2015", "2017", "2011", "2013"]), PATROL)  # no answer
    assert "options" in checks(mc(AUTHOR, ["Michael Peck", "Peck", "Mark Cozad", "Andrew Small"]), AUTHOR)


def test_options_must_be_of_the_answers_kind():
    assert "kind" in checks(mc(PATROL, ["2023", "2015", "Vietnam", "2011"]), PATROL)
    assert "kind" in checks(mc(PATROL, ["2023", "2015", "the 1990s", "2011"]), PATROL)  # a decade for a year
    assert "kind" in checks(mc(AUTHOR, ["Michael Peck", "Mark Cozad", "faith", "Andrew Small"]), AUTHOR)
    long = "A statement that goes on and on about many things at once"
    assert "kind" in checks(mc(GAP, ["demilitarise", "fortify", long, "close"]), GAP)


def test_options_must_follow_the_article_before_the_gap():
    article = card("art.c1", "He was a […] writer.", "defence", type="cloze", category="term", note="art")
    assert "kind" in checks(mc(article, ["defence", "economics", "sports", "travel"]), article)
    assert checks(mc(article, ["defence", "sports", "travel", "science"]), article) == set()


def test_options_must_read_in_the_stem():
    assert "kind" in checks(mc(GAP, ["demilitarise", "fortify", "Marriage", "close"]), GAP)
    # a question asking for a year whose answer is a person
    odd = card("odd", "In what year did Peck write?", "Mark Cozad", category="person")
    assert "kind" in checks(mc(odd, ["Mark Cozad", "Michael Peck", "Andrew Small", "Michael Kofman"]), odd)


def test_no_wrong_option_is_also_true_according_to_the_deck():
    # another card says patrols also flew in 2019, about the same subject
    assert "also-true" in checks(mc(PATROL, ["2023", "2019", "2017", "2011"]), PATROL)
    # the card's own explanation mentions 1950
    assert "also-true" in checks(mc(TREATY, ["2001", "1950", "1991", "1996"]), TREATY)
    reason = FACTS.also_true(PATROL, "2019", PATROL.prompt)
    assert "patrols-also" in reason
    assert FACTS.also_true(PATROL, "2015", PATROL.prompt) is None


def test_no_stem_gives_its_answer_away():
    leaky = card("leaky", "In 2001, what did the two countries sign in 2001?", "2001", category="year")
    assert "give-away" in checks(mc(leaky, ["2001", "1991", "1996", "2011"]), leaky)
    typed = Question("typed", "Which writer, Michael Peck, wrote it?", [], "Michael Peck", "author")
    assert "give-away" in checks(typed, AUTHOR)


def test_true_false_statements_are_sentences_true_or_false_as_marked():
    good_true = Question("true_false", "True or false? Michael Peck wrote the article.", ["True", "False"], "True",
                         "author", statement="Michael Peck wrote the article.")
    good_false = Question("true_false", "True or false? Mark Cozad wrote the article.", ["True", "False"], "False",
                          "author", statement="Mark Cozad wrote the article.")
    assert checks(good_true, AUTHOR) == set() and checks(good_false, AUTHOR) == set()
    glued = Question("true_false", "?", ["True", "False"], "True", "author",
                     statement="Who wrote the article? \u2014 Michael Peck")
    assert "statement" in checks(glued, AUTHOR)
    still_true = Question("true_false", "?", ["True", "False"], "False", "author",
                          statement="Michael Peck, not Mark Cozad, wrote the article.")
    assert "statement" in checks(still_true, AUTHOR)
    altered = Question("true_false", "?", ["True", "False"], "True", "author",
                       statement="Mark Cozad wrote the article.")
    assert "statement" in checks(altered, AUTHOR)
    wrong_kind = Question("true_false", "?", ["True", "False"], "False", "treaty",
                          statement="The two countries signed their friendship treaty in Moscow.")
    assert "kind" in checks(wrong_kind, TREATY)
    also_true = Question("true_false", "?", ["True", "False"], "False", "patrol",
                         statement="A joint patrol flew near South Korean airspace in 2019.")
    assert "also-true" in checks(also_true, PATROL)


def test_who_said_needs_a_claim_that_does_not_name_its_speaker():
    ok = Question("who_said", f"Who said or argued this: \u201c{CLAIM.claim}\u201d?",
                  ["RAND", "Michael Peck", "NATO", "Business Insider"], "RAND", "claim")
    assert checks(ok, CLAIM) == set()
    named = card("named", "?", "x", speaker="RAND", claim="RAND thinks the drills are for show.", category="statement")
    q = Question("who_said", f"Who said or argued this: \u201c{named.claim}\u201d?",
                 ["RAND", "Michael Peck", "NATO", "Business Insider"], "RAND", "named")
    assert "give-away" in checks(q, named)
    no_claim = Question("who_said", "Who said: \u201cWhat does the study call the drills? \u2014 x\u201d?",
                        ["RAND", "Michael Peck", "NATO", "Business Insider"], "RAND", "why")
    assert "who-said" in checks(no_claim, WHY)
    described = Question("who_said", f"Who said or argued this: \u201c{CLAIM.claim}\u201d?",
                         ["RAND", "Michael Peck, the author", "NATO", "Business Insider"], "RAND", "claim")
    assert "kind" in checks(described, CLAIM)  # one option stands out by its form
    # Cozad says much the same thing in another card: he is not a wrong answer
    both = Question("who_said", f"Who said or argued this: \u201c{CLAIM.claim}\u201d?",
                    ["RAND", "Mark Cozad", "NATO", "Business Insider"], "RAND", "claim")
    assert "also-true" in checks(both, CLAIM)


def test_typed_answers_must_be_gradable():
    phrase = card("phrase.c1", "Neither trusts […].", "the other's military prowess", type="cloze", category="term")
    q = Question("typed", phrase.prompt, [], phrase.answer, phrase.id)
    assert "kind" in checks(q, phrase)
    shorter = QuizCard(**{**phrase.__dict__, "alternatives": ("military prowess",)})
    assert checks(q, shorter) == set()
    assert "kind" in checks(Question("typed", WHY.prompt, [], WHY.answer, "why"), WHY)


def test_a_stem_must_stand_on_its_own():
    loose = card("loose", "?", "x", speaker="RAND", category="statement",
                 claim="For this reason, the drills did little for interoperability.")
    q = Question("who_said", f"Who said or argued this: \u201c{loose.claim}\u201d?",
                 ["RAND", "Michael Peck", "NATO", "Business Insider"], "RAND", "loose")
    assert "context" in checks(q, loose)


def test_who_said_uses_an_attribution_notes_own_wrong_sources():
    from studyapp.domain.quizpools import OptionPool
    attribution = card("attr", "Who said we lack the tools?", "Mark Cozad", category="person", speaker="Mark Cozad",
                       claim="We lack the tools.", distractors=("Andrew Small", "Michael Kofman", "Michael Peck"))
    pool = OptionPool([*CARDS, attribution])
    for seed in range(5):
        assert set(pool.other_speakers(attribution, random.Random(seed))) == {"Andrew Small", "Michael Kofman",
                                                                              "Michael Peck"}


def test_reason_questions_need_a_why_card():
    q = mc(CLAIM, [CLAIM.answer, "a", "b", "c"], qtype="reason")
    assert "kind" in checks(q, CLAIM)
    assert "kind" in checks(mc(WHY, [WHY.answer, "x", "y", "z"], qtype="multiple_choice"), WHY)


def test_a_quiz_with_one_fact_twice_an_unasked_type_or_a_give_away_is_flawed():
    by_id = {c.id: c for c in CARDS}
    one = Question("typed", TREATY.prompt, [], "2001", "treaty")
    two = Question("typed", TREATY_CLOZE.prompt, [], "2001", "treaty-cloze.c1")
    assert "siblings" in {f.check for f in check_quiz([one, two], by_id)}
    assert "types" in {f.check for f in check_quiz([one], by_id, {"true_false"})}
    shows = Question("true_false", "True or false? Michael Peck wrote the article.", ["True", "False"], "True",
                     "author", statement="Michael Peck wrote the article.")
    asks = Question("typed", "Who wrote the article?", [], "Michael Peck", "author")
    other = card("other", "Which writer of the article, Michael Peck, works for whom?", "Business Insider",
                 category="organisation")
    assert "give-away" in {f.check for f in check_quiz(
        [asks, Question("typed", other.prompt, [], other.answer, "other")], {**by_id, "other": other})}
    assert check_quiz([shows], by_id) == []


def test_options_are_compared_with_the_one_answer_normalisation():
    from studyapp.domain.distractors import same_option
    assert same_option("The 1950's", "1950s") and same_option("Ministry of Defence", "ministry of defense")
    assert same_option("3 200 troops", "3,200 troops") and not same_option("1950s", "1960s")
    assert "options" in checks(mc(PATROL, ["2023", "2015", "2 015", "2011"]), PATROL)


def test_mentions_folds_numbers_case_and_spelling():
    assert mentions("Some 3,200 troops took part.", "3200")
    assert mentions("The Ministry of Defence said so.", "ministry of defense")
    assert not mentions("Some 3,200 troops took part.", "320")
    assert not mentions("Joint exercises since 2005.", "2015")


# -- the shipped deck ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped():
    spec = parse_file(SHIPPED)
    return [quiz_card(c, c.note.section or "") for c in spec.cards()]


def test_the_shipped_deck_over_many_seeds_has_no_gate_failure(shipped):
    by_id = {c.id: c for c in shipped}
    facts = DeckFacts(shipped)
    made = Counter()
    for seed in range(10):
        build = build_quiz(shipped, rng=random.Random(seed), count=20)
        assert len(build.questions) == 20 and build.message is None
        assert check_quiz(build.questions, by_id, QUESTION_TYPES) == []
        for q in build.questions:
            assert check_question(q, by_id[q.card_id], facts) == [], (seed, q)
            made[q.type] += 1
    assert set(made) == set(QUESTION_TYPES)  # every type is asked somewhere


def test_every_card_of_the_shipped_deck_is_gated_and_nearly_every_fact_can_be_asked(shipped):
    by_id = {c.id: c for c in shipped}
    facts = DeckFacts(shipped)
    asked = set()
    for qtype in QUESTION_TYPES:
        for seed in range(3):
            build = build_quiz(shipped, rng=random.Random(seed), count=None, types={qtype})
            assert {q.type for q in build.questions} <= {qtype}
            assert check_quiz(build.questions, by_id, {qtype}) == []
            for q in build.questions:
                assert check_question(q, by_id[q.card_id], facts) == []
                asked.add(by_id[q.card_id].fact_group)
    all_facts = {c.fact_group for c in shipped}
    assert len(asked) >= 0.9 * len(all_facts), sorted(all_facts - asked)


def test_who_said_refuses_a_source_the_deck_ties_to_the_right_one():
    from studyapp.domain.quizgate import DeckFacts, check_question
    report = card("report", "What does the survey find?", "Rivers are warming", kind="argument", category="statement",
                  speaker="Lakeside Institute", claim="Rivers are warming faster than the air above them.")
    author = card("author", "Who led the survey?", "Ana Ruiz", category="person",
                  statement="Ana Ruiz led the Lakeside Institute survey of river temperatures.")
    unrelated = card("other", "Who doubts it?", "Tom Berg", category="person", speaker="Tom Berg",
                     claim="The warming is a measuring artefact.")
    facts = DeckFacts([report, author, unrelated])
    prompt = f"Who said or argued this: \u201c{report.claim}\u201d?"
    tied = Question("who_said", prompt, ["Lakeside Institute", "Ana Ruiz", "Tom Berg", "Harbour Trust"],
                    "Lakeside Institute", "report")
    assert "also-true" in {f.check for f in check_question(tied, report, facts)}
    untied = Question("who_said", prompt, ["Lakeside Institute", "Ben Ford", "Tom Berg", "Harbour Trust"],
                      "Lakeside Institute", "report")
    assert "also-true" not in {f.check for f in check_question(untied, report, facts)}


def test_an_answer_that_stands_out_by_its_length_is_refused():
    long_why = card("long-why", "Why did the two sides keep their drills apart?",
                    "Each side kept its own commanders and its own plans, and neither trusted the other with either",
                    kind="argument", category="reason")
    short = ["Their radios could not talk", "The weather was poor", "Both wanted to save money"]
    similar = ["Their radios could not talk to each other, and no common language was agreed for the drills",
               "The weather was too poor for joint flying on most days, so each air force flew alone",
               "Both wanted to save money by sending as few units as possible to any drill abroad"]
    facts = DeckFacts([long_why])
    assert "length" in {f.check for f in check_question(mc(long_why, [long_why.answer, *short], qtype="reason"),
                                                        long_why, facts)}
    assert "length" not in {f.check for f in check_question(mc(long_why, [long_why.answer, *similar],
                                                               qtype="reason"), long_why, facts)}
    # names are not held to it: "RAND" among longer names is no cue a learner can use
    assert "length" not in checks(mc(AUTHOR, ["Michael Peck", "Mark Cozad", "Andrew Small", "Michael Kofman"]),
                                  AUTHOR)


def test_a_name_the_question_already_has_is_no_option():
    charged = card("charged.c1", "[…], Le Medec and Wyatt were charged with manslaughter.", "Mackey", type="cloze",
                   category="person", statement="Mackey, Le Medec and Wyatt were charged with manslaughter.")
    led = card("led", "Who led the relief train from Boston?", "Abraham Ratshesky", category="person")
    facts = DeckFacts([charged, led])
    named = mc(charged, ["Mackey", "Wyatt", "Ratshesky", "Drysdale"])
    assert any("already named" in f.message for f in check_question(named, charged, facts))
    fine = mc(charged, ["Mackey", "Coleman", "Ratshesky", "Drysdale"])
    assert check_question(fine, charged, facts) == []
    # options written like the answer: not single names among full ones
    mixed = mc(led, ["Abraham Ratshesky", "Kenneth", "Arthur Drysdale", "Vince Coleman"])
    assert any("same form" in f.message for f in check_question(mixed, led, facts))
    assert check_question(mc(led, ["Abraham Ratshesky", "Kenneth Clark", "Arthur Drysdale", "Vince Coleman"]),
                          led, facts) == []
    # the context line above the question names one: it is no option either
    titled = replace(led, context="Vince Coleman and the Halifax Explosion")
    assert any("already named" in f.message for f in check_question(
        mc(titled, ["Abraham Ratshesky", "Kenneth Clark", "Arthur Drysdale", "Vince Coleman"]), titled, facts))
    swapped = Question("true_false", "True or false? Frederick Wyatt, Le Medec and Wyatt were charged with manslaughter.",
                       ["True", "False"], "False", "charged.c1",
                       statement="Frederick Wyatt, Le Medec and Wyatt were charged with manslaughter.")
    assert "kind" in {f.check for f in check_question(swapped, charged, facts)}


def test_place_options_are_places_of_the_answers_sort():
    from studyapp.domain.quiztext import place_sort

    assert [place_sort(p) for p in ("Christiania", "Barents Sea", "Northwest Passage", "Niagara Escarpment",
                                    "Brooklyn Bridge", "New York")] == [None, "water", "water", "land", "built", None]
    city = card("city.c1", "He studied medicine in […], as Oslo was then called.", "Christiania", type="cloze",
                category="place")
    facts = DeckFacts([city])
    mixed = mc(city, ["Christiania", "Barents Sea", "Melbourne", "Bergen"])
    assert any("sort of place" in f.message for f in check_question(mixed, city, facts))
    assert check_question(mc(city, ["Christiania", "Trondheim", "Melbourne", "Bergen"]), city, facts) == []


def test_an_acronym_and_its_name_are_one_option_and_an_age_is_a_human_one():
    who = card("who.c1", "In 2002 the […] recommended a new solution.", "WHO", type="cloze", category="organisation")
    facts = DeckFacts([who])
    both = mc(who, ["WHO", "World Health Organization", "UNICEF", "Red Cross"])
    assert "options" in {f.check for f in check_question(both, who, facts)}
    age = card("age.c1", "She died in 2018, aged […].", "88", type="cloze", category="number")
    old = mc(age, ["88", "66", "180", "44"])
    assert any("age" in f.message for f in check_question(old, age, DeckFacts([age])))
    assert check_question(mc(age, ["88", "66", "77", "44"]), age, DeckFacts([age])) == []


def test_a_term_in_a_noun_gap_agrees_in_number_with_the_answer():
    pigment = card("pig.c1", "The retina's cells contain a pigment called […].", "melanopsin", type="cloze",
                   category="term")
    facts = DeckFacts([pigment])
    plural = mc(pigment, ["melanopsin", "circadian rhythms", "melatonin", "erythropoietin"])
    assert any("singular or both plural" in f.message for f in check_question(plural, pigment, facts))
    assert check_question(mc(pigment, ["melanopsin", "rhodopsin", "melatonin", "erythropoietin"]), pigment,
                          facts) == []
