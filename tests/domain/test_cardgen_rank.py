"""The card generator's learned keep-probability (`cardgen_rank`): what it reads and how it is used."""
import json
import math

from studyapp.domain import cardgen_rank as rank
from studyapp.domain.cardgen import analyse

TEXT = ("The Harbour Bridge\n\n"
        "In 1921 the city council asked Governor Alan Brooke to approve a new crossing over the harbour. "
        "The governor signed the plan in March 1922 after a long debate in the assembly.\n\n"
        "Engineer Ruth Calder designed the steel arch, which spans 503 metres. "
        "Construction took eight years because the foundations had to reach bedrock far below the water. "
        "Later the bridge carried 160,000 vehicles a day, Calder told the newspaper in 1960.\n")


def _features(**over):
    base = dict(reason="date", question=False, prompt="It opened in {{c1::1932}}.", answer="1932",
                source="It opened in 1932.", text=TEXT, start=TEXT.index("Construction"), led=False,
                second=False, hand=0.78, mentions=1)
    return rank.features(**{**base, **over})


def test_the_shipped_model_weighs_exactly_the_features_the_generator_computes():
    model = json.loads(rank.WEIGHTS.read_text(encoding="utf-8"))
    assert set(model["weights"]) == set(_features())
    assert model["labelled"] > 1000 and 0.5 < model["cv_auc"] <= 1


def test_a_the_noun_named_only_in_the_sentence_before_points_back():
    start = TEXT.index("The governor signed")
    body = "The governor signed the plan in {{c1::March 1922}} after a long debate in the assembly."
    assert rank.anaphors(body, TEXT, start) == 1          # "governor" is in the sentence before
    assert rank.anaphors("Governor Brooke said the governor signed.", TEXT, start) == 0  # named on the card
    assert rank.anaphors("The steel arch spans 503 metres.", TEXT, TEXT.index("Engineer")) == 0  # first mention
    often = "the canal " * 6 + ". The canal opened."
    assert rank.anaphors("The canal opened.", often, len(often) - 18) == 0  # the running subject is not a reference


def test_features_read_the_card_not_the_text_s_words():
    plain = _features(prompt="The bridge opened in {{c1::1932}}.", source="The bridge opened in 1932.")
    leaning = _features(prompt="Two years later it opened in {{c1::1932}}.", source="Two years later it opened in 1932.")
    assert plain["relative_time"] == 0 and leaning["relative_time"] == 1
    assert plain["pronouns"] == 0 and leaning["pronouns"] > 0
    assert _features(answer="3", prompt="It had {{c1::3}} spans.")["small_number"] == 1
    assert _features(answer="503", prompt="It spans {{c1::503}} metres.")["small_number"] == 0
    quote = _features(reason="quote", prompt="Who said: \u201cit will carry us all\u201d?", answer="Ruth Calder")
    assert quote["reason_quote"] == 1 and quote["quote_words"] > 0 and quote["pronouns"] == 0  # the claim's "it" is quoted


def test_probability_is_the_logistic_of_the_weighted_sum():
    model = {"bias": 0.5, "weights": {"led": -2.0, "question": 1.0}}
    assert math.isclose(rank.probability({"led": 1.0, "question": 1.0}, model), 1 / (1 + math.exp(0.5)))
    assert math.isclose(rank.probability({}, model), 1 / (1 + math.exp(-0.5)))


def test_every_candidate_s_score_is_its_probability_and_each_fact_s_best_card_comes_first():
    analysis = analyse(TEXT)
    assert analysis.candidates and len(analysis.features) == len(analysis.candidates)
    for c, f in zip(analysis.candidates, analysis.features, strict=True):
        assert c.score == round(rank.probability(f), 3)
        assert 0 <= f["hand_score"] <= 1 and f[f"reason_{c.reason}"] == 1
    # every sentence's first card, best first, then the second cards, best first
    count: dict[int, int] = {}
    ranks = []
    for c in analysis.candidates:
        count[c.start] = count.get(c.start, 0) + 1
        ranks.append(count[c.start])
    assert ranks == sorted(ranks) and ranks[-1] > 1
    for place in set(ranks):
        scores = [c.score for c, r in zip(analysis.candidates, ranks, strict=True) if r == place]
        assert scores == sorted(scores, reverse=True)
