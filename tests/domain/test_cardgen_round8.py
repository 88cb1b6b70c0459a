"""Card generator, round 8 (the lead): small wording faults the held-out texts showed. Made-up sentences."""
from __future__ import annotations

from studyapp.domain import cardtext
from studyapp.domain.cardgen import generate


def test_at_first_is_no_part_of_the_figure():
    prompts = [c.prompt for c in generate("In the Vell valley the toll on a cart of grain was at first 50 pence, "
                                          "and the council raised it to 80 pence in 1881.")]
    assert any("at first {{c1::50}} pence" in p for p in prompts)
    assert not any("{{c1::first 50}}" in p for p in prompts)


def test_no_when_question_about_a_sentence_with_its_own_when():
    text = ("The Vell mill closed for good in July 1914, when its owners were ruined by the collapse of the Dorn bank "
            "that spring.")
    prompts = [c.prompt for c in generate(text)]
    assert not any(p.startswith("When ") and " when " in p for p in prompts)
    assert any("{{c1::July 1914}}" in p for p in prompts)  # the date is still asked, as a cloze


def test_it_for_a_bare_subject_is_not_given_a_the():
    text = ("Vell fever rarely appears below about 2,500 metres in the Dorn hills. It usually begins six to twelve "
            "hours after arrival and is marked by a headache together with at least one other symptom.")
    prompts = [c.prompt for c in generate(text) if "usually begins" in c.prompt]
    assert prompts and all(p.startswith("Vell fever usually begins") for p in prompts)


def test_a_regnal_number_is_no_answer_on_its_own():
    from studyapp.domain.cardgen_pick import surname
    assert surname("Innocent III") is None and surname("Henry Ford Jr") is None and surname("Stalin") is None
    assert surname("Lucius Clay") == "Clay"
    text = ("In 1209 the quarrel over the archbishop ended when Pope Innocent III placed all of England under an "
            "interdict that lasted six years.")
    for c in generate(text):
        if c.category == "person":
            assert "III" not in c.note.alternatives and c.answer != "III"


def test_a_name_the_model_reads_as_a_person_alone_is_a_person():
    from studyapp.domain import nlp

    def labels(text):
        return {e.text: e.label for s in nlp.read(text).sentences for e in s.entities}
    # in these sentences the small model tags the names as organisations
    assert labels("In 1907 Lise Meitner moved to Berlin to hear the lectures of Max Planck.")["Max Planck"] == "PERSON"
    # not a company named by its own kind word, before or after it
    text = "Akira Yoshino, a chemist at the Asahi Kasei company, replaced the lithium metal of the anode in 1985."
    assert labels(text).get("Asahi Kasei") != "PERSON"


def test_an_argument_s_step_marker_is_left_off_the_card():
    text = ("The Vell treaty had three parts. First, each side cut its army to 40,000 men within two years. "
            "Second, a fund created in 1990 paid poorer towns to rebuild their bridges.")
    prompts = [c.prompt for c in generate(text)]
    assert any(p.startswith("A fund created in {{c1::1990}}") for p in prompts)
    assert any(p.startswith("Each side cut its army to {{c1::40,000}}") for p in prompts)
    assert not any("Second," in p or "First," in p for p in prompts)


def test_a_name_right_after_the_step_marker_is_blanked_without_the_marker():
    text = ("Critics make three points. First, Anna Lind of the Vell Institute and others say that the toll "
            "punishes poor drivers.")
    clozes = [c for c in generate(text) if "{{c1::Anna Lind}}" in c.prompt]
    assert clozes and all(c.prompt.startswith("{{c1::Anna Lind}} of the Vell Institute") for c in clozes)
    for c in generate(text):
        if c.type == "cloze":
            assert cardtext.strip_markup(c.prompt) == c.note.plain_statement()


def test_a_deletion_right_after_the_step_marker_takes_the_capital():
    text = ("Economists like the Vell toll for two reasons. First, the amount of land in Vell is fixed, so a toll on "
            "it cannot reduce the supply of farms or be passed on to tenants in the valley.")
    for c in generate(text):
        assert not c.prompt.startswith("First,")
        if c.type == "cloze":
            assert cardtext.strip_markup(c.prompt) == c.note.plain_statement()
    from studyapp.domain import cardgen_lead, nlp
    sent = nlp.read(text).sentences[1]
    at = text.index("the amount")
    cuts = cardgen_lead.without_connective(text, sent, [(at, at + 10, "{{c1::the amount}}")])
    assert sorted(cuts) == [(sent.start, at, ""), (at, at + 10, "{{c1::The amount}}")]


def test_a_her_beside_another_person_does_not_make_him_a_she():
    text = ("Mary Vell was born in Dorn in 1799. Mary Vell found her first complete skeleton on the Dorn cliffs in 1811. "
            "Mary Vell sold it to a collector for 23 pounds.\n\n"
            "Hugh Brant, an Oxford geologist, relied heavily on her observations. She noticed in 1824 that the stones "
            "inside the skeletons broke open to reveal 40 fish bones.")
    for c in generate(text):
        assert "Hugh Brant noticed" not in c.prompt and "Hugh Brant noticed" not in (c.note.statement or "")


def test_its_after_a_passive_with_a_named_agent_is_not_the_subject_s():
    text = ("The campaign against the Vell toll was planned by the Dorn Farmers Union in 1921. "
            "From the 1930s its lawyers, led by Anna Lind, brought 40 cases against the toll in the valley courts.")
    for c in generate(text):
        assert "the campaign's lawyers" not in c.prompt.lower() and "the campaign's lawyers" not in (c.note.statement or "").lower()


def test_a_possessed_subject_is_not_named_by_its_bare_noun():
    from studyapp.domain import cardgen_it, nlp
    doc = nlp.pipeline()("The parasite's life cycle explains the fever of the Vell marshes.")
    subj = next(t for t in doc if t.dep_ == "nsubj")
    assert subj.text == "cycle" and cardgen_it._phrase(subj) is None  # was "life cycle", then "the life cycle"
    doc = nlp.pipeline()("The old stone bridge carried 40 carts a day.")
    assert cardgen_it._phrase(next(t for t in doc if t.dep_ == "nsubj")) == "the old stone bridge"
