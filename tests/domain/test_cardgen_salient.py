"""Rare words as key terms (`cardgen_salient`): the concepts an article teaches that are not names."""
from studyapp.domain import cardgen, cardgen_salient, nlp


def _terms(text: str) -> list[str]:
    return [e.text for s in nlp.read(text).sentences for e in cardgen_salient.terms(s)]


def test_a_rare_noun_in_a_noun_place_is_a_term():
    assert _terms("The monks of the abbey brewed their famous tonic from wormwood gathered on the hills.") == ["wormwood"]


def test_common_words_are_no_terms():
    assert _terms("The workers of the town repaired the old bridge over the river after the long winter.") == []


def test_a_rare_adjective_belongs_to_the_term_and_a_common_one_does_not():
    assert _terms("The old painter died of aplastic anaemia in a clinic near the coast.") == ["aplastic anaemia"]
    assert _terms("The old painter suffered from severe anaemia during the last winter of his life.") == ["anaemia"]


def test_a_unit_after_a_number_is_no_term():
    assert _terms("By the spring of that year the crack in the lens had grown to two micrometres across.") == []


def test_a_bare_plural_subject_is_a_class_of_people_not_a_term():
    assert _terms("Glaziers repaired every window of the cathedral after the storm had passed.") == []


def test_quoted_words_are_left_to_the_who_said_card():
    assert _terms('The minister said the plan was "pure alchemy" and left the meeting early.') == []


def test_the_generator_asks_about_a_rare_term_as_a_term_card():
    text = ("The Monastery Tonic\n\n"
            "For three centuries the monks of Saint Aldric sold a bitter tonic to travellers on the pilgrim road. "
            "One of the brothers later distilled the tonic from wormwood gathered on the steep hills above the abbey.\n\n"
            "The abbey closed in 1791, and the recipe was lost for more than a century.")
    concepts = [c for c in cardgen.generate(text) if c.reason == "concept"]  # only where a sentence has room
    assert [(c.answer, c.category) for c in concepts] == [("wormwood", "term")]
    assert "{{c1::wormwood}}" in concepts[0].prompt


def test_an_ordinal_before_the_word_is_no_number():
    # "first" is like_num in spaCy; only a real number before a word makes it a unit
    assert _terms("That winter the old collector found the first pterosaur skeleton outside the valley.") == ["pterosaur"]


def test_a_count_of_the_texts_own_points_and_a_unit_conversion_are_no_figure_cards():
    text = ("The Canal Tax\n\n"
            "The new canal across the county was 120 miles long, or about 193 kilometres, and it opened in 1841. "
            "Critics of the toll make three arguments, and each of them deserves an answer from the board.")
    answers = {c.answer for c in cardgen.generate(text) if c.category == "number"}
    assert "120" in answers
    assert not answers & {"193", "three arguments"}


def test_idle_figures():
    from studyapp.domain.cardgen_figures import idle
    text = "The road was 363 miles long, or about 584 kilometres, and the pass 5 miles (8 km) high; it cost 40 pounds."
    assert idle(text, text.index("584"), "584")
    assert idle(text, text.index("8 km"), "8")
    assert idle(text, text.index("363"), "363") is None
    assert idle(text, text.index("40"), "40") is None
    assert idle("They did three things.", 9, "three things")
    assert idle("They built three bridges.", 11, "three bridges") is None


def test_a_fronted_date_stays_in_front_of_a_question_that_ends_in_a_clause():
    text = ("The Idle Century\n\n"
            "In 1911 Oskar Brenholt predicted that machines would soon do most of the work in the cotton mills of his town."
            "\n\nFew of his colleagues agreed with him at the time.")
    prompts = [c.prompt for c in cardgen.generate(text)]
    assert "In 1911, who predicted that machines would soon do most of the work in the cotton mills of his town?" in prompts
    assert not any(p.endswith("of his town in 1911?") for p in prompts)  # 1911 would read as the mills' date
