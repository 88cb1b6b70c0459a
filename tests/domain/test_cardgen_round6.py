"""Card generator: general rules of round 6, helper G (docs/cardgen.md, "Round 6: precision and names").
Made-up sentences only; each test fails without its rule."""
from __future__ import annotations

from studyapp.domain.cardgen import generate

from cardgen_support import led
from cardgen_support import prompts as _prompts


def test_the_city_is_named_by_the_one_city_of_the_sentence_before():
    text = ("Road Tolls in Three Ports\n\n"
            "Madrid offers the clearest example of all. The city ran an eight-month test of the toll in "
            "1998, and the traffic in the centre fell sharply.")  # (not "from March to October 1998": a cut range)
    prompts = _prompts(text)
    assert any(p.startswith("Madrid ran an eight-month test") for p in prompts)
    assert not any(p.startswith("The city ran") for p in prompts)


def test_the_city_is_not_named_when_its_own_sentence_names_a_city():
    text = ("Vellmar lies on the northern coast of the island of Oster.\n\n"
            "Dorsby was divided in 1946, and the western half of the city was governed by a council from Vellmar "
            "until 12 June 1951.")
    assert not any("half of Vellmar" in p for p in _prompts(text))


def test_a_noun_introduced_in_the_sentence_before_leans_on_it():
    text = ("Karl Brenner built a pump for the mine at Hollby in 1810. "
            "The pump lifted about 400 litres of water a minute from a depth of 90 metres.")
    assert led(_prompts(text), "The pump lifted", "Karl Brenner built a pump")


def test_the_noun_of_the_headline_does_not_lean():
    text = ("The Hollby Pump\n\n"
            "Karl Brenner built a pump for the mine at Hollby in 1810. "
            "The pump lifted about 400 litres of water a minute from a depth of 90 metres.")
    assert any("The pump lifted" in p for p in _prompts(text))


def test_a_noun_in_a_relative_clause_of_a_person_does_not_lean():
    text = ("In 1988 the city of Vellmar began a trial of a road toll. "
            "The economist Lena Marsk, who studied the trial, argued in 1991 that drivers had changed their habits "
            "within three weeks.")
    assert any("{{c1::Lena Marsk}}" in p or "Lena Marsk" in p for p in _prompts(text))


def test_this_noun_as_the_main_object_leans():
    text = ("In 2015 a team at Orlen University found that the fever wipes out between 20 and 60 per cent of a "
            "child's stored antibodies. Doctors call this effect fever blindness because the body forgets old infections.")
    assert led(_prompts(text), "this effect", "In 2015 a team at Orlen University")


def test_such_nouns_lean():
    text = ("Long strings of repeated letters appear in the genes of many moulds. "
            "Hana Ostrova, a Czech chemist, first saw such strings in the mould Aspergillus in 1979, but nobody "
            "knew what they were for.")
    assert led(_prompts(text), "such strings", "Long strings of repeated letters")


def test_afterwards_leans():
    text = ("The Brenner works stopped making the small pump in 1840. "
            "Production ended soon afterwards, and the workshops were closed for about a year while they were "
            "refitted for the larger Model B, which went on sale in March 1843.")
    assert not any("soon afterwards" in p for p in _prompts(text))


def test_a_comparative_description_is_not_borrowed():
    text = ("The Oster Dam\n\n"
            "Some engineers argued that the valley should have built a larger dam further upstream. "
            "Others point out that the valley has not flooded since the dam was finished in 1962.")
    assert not any("larger dam was finished" in p for p in _prompts(text))


def test_a_letter_that_ends_a_name_elsewhere_ends_a_sentence():
    text = ("On 3 May 1921 the Dunmore Motor Company introduced the Model K. Arthur Dunmore wanted a tractor that "
            "small farmers could afford.\n\n"
            "By 1925 the Model K was the best-selling tractor in Ireland, and Arthur Dunmore was rich.")
    prompts = _prompts(text)
    assert any(p.endswith("introduced the Model K.") for p in prompts)
    assert not any("Model K. Arthur" in p for p in prompts)


def test_a_name_that_begins_like_a_pronoun_is_no_pronoun():
    text = ("The new tool also raised fears among doctors. In November 2018 He Jiankui, a Chinese scientist, announced "
            "the birth of twin girls whose genes he had edited as embryos. He was sentenced to three years in prison in 2019.")
    assert any("He Jiankui" in c.answer or "{{c1::He Jiankui}}" in c.prompt for c in generate(text))


def _terms(text: str) -> dict[str, str]:
    return {c.answer: c.category for c in generate(text)}


def test_a_bare_term_in_apposition_after_a_description_is_a_term():
    text = ("Welders in the shipyard at Kessel used two methods after 1952. The slow method, cold pressure welding, "
            "joins the plates without heat and leaves no seam.")
    assert _terms(text).get("cold pressure welding") == "term"


def test_a_term_followed_by_its_description_is_a_term():
    text = "About one miner in 200 developed silicosis, a scarring of the lungs that can leave lasting damage."
    assert _terms(text).get("silicosis") == "term"


def test_a_name_given_with_called_is_a_term_not_a_person():
    text = ("The first medicine made with the new method was approved in Norway in March 2021. "
            "Called Veltrinox, it treats a rare disease of the blood in young children.")
    terms = _terms(text)
    assert terms.get("Veltrinox") in (None, "term") and "Veltrinox" not in [a for a, c in terms.items() if c == "person"]


def test_a_who_question_keeps_no_second_subject():
    text = "David Ross of the Farmers Party was elected mayor and Otto Brand of the Labour Party became his deputy."
    assert not any(p.startswith("Who was elected") and "Otto Brand" in p for p in _prompts(text))


def test_the_idea_leans_on_the_sentence_before():
    text = ("In 1921 the Brenner works began to pay its fitters a share of the yearly profit. "
            "The idea is often credited to Otto Lang, the works manager, who had seen it in Leeds.")
    assert not any(p.startswith("The idea") for p in _prompts(text))


def test_this_noun_before_a_semicolon_leans():
    text = ("Doctors describe the spread of an illness by its contact number, the average number of people that one "
            "patient infects. For the common cold this number is usually between two and three; for mumps it is between "
            "10 and 12.")
    assert not any("this number" in p for p in _prompts(text))


def test_a_titled_name_with_a_regnal_number_is_a_person():
    text = ("The new bridge over the Tarn was finished in 1931. The first train crossed it on 2 May 1932, and "
            "King Edward VII opened it formally on 9 June 1932.")
    assert any(c.category == "person" and c.answer == "King Edward VII" for c in generate(text))


def test_his_after_the_one_person_of_the_sentence_is_that_person():
    text = ("Floods struck the valley of the Tarn in 1930.\n\n"
            "The council asked Hugo Brandt, a surveyor, to study the river, and his report of 1931 called for a dam.")
    assert any("{{c1::Hugo Brandt}}" in p for p in _prompts(text))


def test_her_after_a_person_outside_the_main_clause_stays_unresolved():
    text = ("The translation was published in Scientific Notes, a journal edited by Hugo Brandt, and signed only with "
            "her initials in 1843.")
    assert not any("{{c1::Hugo Brandt}}" in p for p in _prompts(text))


def test_a_founder_s_name_that_says_its_is_the_company():
    text = ("The Dunmore Motor Company was founded by Arthur Dunmore in 1903.\n\n"
            "In 1910 Dunmore moved production from its workshop in Leeds to a much larger factory at Hunslet, where "
            "it built tractors for forty years.")
    prompts = _prompts(text)
    assert any(p.startswith("In what year did Dunmore move production") or "{{c1::1910}}" in p for p in prompts)


def test_a_name_built_on_a_person_named_beside_it_is_no_blank():
    from types import SimpleNamespace

    from studyapp.domain import cardgen_pick, nlp
    sent = SimpleNamespace(entities=[nlp.Entity(0, 10, "PERSON", "Anna Roth"), nlp.Entity(70, 81, "PERSON", "Otto Brandt"),
                                     nlp.Entity(86, 98, "PERSON", "Paul Kessler")])
    assert cardgen_pick.gives_itself_away("Brandt-Kessler Engine Works", sent, "organisation")
    assert not cardgen_pick.gives_itself_away("Vienna Engine Works", sent, "organisation")
    assert not cardgen_pick.gives_itself_away("Otto Brandt", sent, "person")


def test_an_opening_that_leans_is_left_off_the_card():
    text = ("Otto Lang moved to Hollby in 1929 to work for a mining company.\n\n"
            "Later that year Otto Lang built a steam pump that lifted 400 litres of water a minute from a depth of 90 metres.")
    prompts = _prompts(text)
    assert any(p.startswith("Otto Lang built a steam pump") for p in prompts)
    assert not any("Later that year" in p for p in prompts)


def test_a_thing_noun_two_sentences_after_a_named_thing_leans():
    text = ("The first medicine made with the method was approved in Norway in March 2021. Called Veltrinox, it treats a "
            "rare disease of the blood. Doctors give it by injection once a month. The treatment costs about 90,000 "
            "dollars per patient in Norway.")
    assert not any(p.startswith("The treatment costs") for p in _prompts(text))


def test_a_first_clause_that_leans_is_left_off_a_card_on_the_second():
    text = ("The Brenner works built its last steam pump in March 1931.\n\n"
            "Production ended soon afterwards, and the Brenner workshops were closed for about eight months while they "
            "were refitted for the diesel pump, which went on sale in December 1932.")
    prompts = _prompts(text)
    assert any(p.startswith("The Brenner workshops were closed") for p in prompts)
    assert not any("soon afterwards" in p for p in prompts)


def test_one_year_of_a_long_list_is_not_blanked():
    # Which of seven years is asked, nothing on the card says: no cloze on one of them (lead, after an unseen text).
    text = ("The northern lakes have dried out in 1976, 1989, 1995, 2003, 2011 and 2018, and the fishing villages "
            "on their shores lost most of their trade each time.")
    assert not any(any(y in p and "{{c1::" + y in p for y in ("1976", "1989", "1995", "2003", "2011", "2018"))
                   for p in _prompts(text))
    # Two years joined by "and" stay a fair question each.
    text = "The committee of the northern lakes met in 1962 and again in 1963 to decide the fate of the fishing villages."
    assert any("{{c1::1962}}" in p or "{{c1::1963}}" in p for p in _prompts(text))


def test_her_in_a_relative_clause_on_the_only_person_is_that_person():
    # "Ruth Gates, who led ... until her death": the grammar binds "her" to the one person (lead, unseen text).
    text = ("Reefs can recover, but it takes many years. Marine biologists such as Anna Lindqvist, who ran a "
            "reef laboratory in Fiji until her death in 2011, argued that heat-tolerant corals should be bred.")
    assert any("{{c1::Anna Lindqvist}}" in p for p in _prompts(text))
    # Not when the text knows another woman: "her" may be hers.
    text = ("Maria Olsen studied the reef for forty years. In 1990 she met a diver on the island. Marine "
            "biologists such as Anna Lindqvist, who ran a reef laboratory in Fiji with her help, argued that "
            "heat-tolerant corals should be bred.")
    assert led(_prompts(text), "{{c1::Anna Lindqvist}}", "In 1990 Maria Olsen met a diver")  # hers, the lead says


def test_the_first_words_of_a_longer_title_are_not_a_person_to_ask():
    # "{{Wonderful Adventures}} of Mrs Seacole in Many Lands": the model read the start of a memoir's title as a person.
    text = ("Mary Seacole returned to England in 1856 after the war. The same year she published her memoir, "
            "Wonderful Adventures of Mrs Seacole in Many Lands.")
    assert not any("{{c1::Wonderful Adventures}}" in p for p in _prompts(text))


def test_a_body_is_named_only_by_its_own_kind_word():
    # "the committee" after "the Bureau of ..." is another body: naming it so made a false card (held-out check).
    text = ("Metric Standards\n\n"
            "The International Bureau of Weights and Measures was set up near Paris in 1875 to keep the standard metre. "
            "In 1906 the committee chose Henri Moissan over Dmitri Mendeleev for the chemistry prize by a single vote.")
    prompts = _prompts(text)
    assert not any("Bureau of Weights and Measures chose" in p for p in prompts)


def test_he_after_a_rival_who_was_only_a_subordinate_subject_is_the_text_s_person():
    # "The congress impressed him, because Cannizzaro showed ... Back in Russia he became ...": the text's person.
    text = ("Anton Varga and the Salt Engine\n\n"
            "Anton Varga was born in Pecs in 1841, and his father ran a mill there.\n\n"
            "Anton Varga trained as an engineer in Vienna from 1860. The lectures impressed him deeply, because the "
            "Swiss engineer Karl Imhof showed there how steam could be measured. Back in Hungary he became the chief "
            "engineer of the salt works at Sovar in 1867.")
    prompts = _prompts(text)
    assert any("Anton Varga became the chief engineer" in p for p in prompts)
