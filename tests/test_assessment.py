"""The "Should I go back?" check: the summary logic, the form's reading of answers, the actions,
and its wording (validated, cited, in our own words)."""

import asyncio

import pytest
from rasa_sdk.events import SlotSet

from actions.advice import ActionGiveTopicAdvice
from actions.assessment import (
    ActionStartAssessment,
    ActionSummariseAssessment,
    ValidateAssessmentForm,
    evaluate,
)
from actions.content_store import ContentError, content
from actions.guided_content import (
    FINDINGS,
    RESULTS,
    all_texts,
    assessment_content,
    load_guided,
    reflections_content,
)
from conftest import make_tracker, payloads, texts
from test_content import _ngrams, _words, seed_ngrams  # noqa: F401 (a fixture)

A = assessment_content()
HEALTHY = {
    "assess_breakups": "first",
    "assess_red_flags": "none",
    "assess_motive": "none",
    "assess_foundation": "shared_values",
    "assess_cause": "fixable",
    "assess_moving_on": "yes",
}


def answers(**changes):
    return {**HEALTHY, **changes}


# --- summary logic -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, time_since, result",
    [
        ({}, "2_to_6_months", "careful_yes"),
        ({}, "under_2_weeks", "not_yet"),  # too soon to decide
        ({"assess_breakups": "third_plus"}, None, "let_go"),
        (
            {
                "assess_breakups": "third_plus",
                "assess_motive": None,
                "assess_foundation": None,
                "assess_cause": None,
                "assess_moving_on": None,
            },
            None,
            "let_go",
        ),  # the form stops early
        ({"assess_breakups": "second"}, None, "repeat_breakup"),
        ({"assess_red_flags": "cheating"}, None, "cheating_caution"),
        ({"assess_cause": "recurring"}, None, "recurring_problem"),
        ({"assess_motive": "hate_single", "assess_foundation": "none"}, None, "wrong_reasons"),
        ({"assess_motive": "miss_them", "assess_foundation": "chemistry"}, None, "wrong_reasons"),
        ({"assess_foundation": "chemistry"}, None, "weak_reason"),
        ({"assess_motive": "idealise"}, None, "not_yet"),  # a real basis, but need speaks loudest
        ({"assess_moving_on": "no"}, None, "not_yet"),
        ({"assess_moving_on": "starting"}, None, "not_yet"),
        ({"assess_cause": "unsure"}, None, "not_yet"),
        ({"assess_red_flags": "toxic_patterns"}, None, "careful_yes"),  # patterns can change
    ],
)
def test_results(changes, time_since, result):
    assert evaluate(answers(**changes), time_since, A).result == result


def test_a_third_breakup_outranks_everything_else():
    summary = evaluate(
        answers(assess_breakups="third_plus", assess_red_flags="cheating", assess_cause="recurring"), None, A
    )
    assert summary.result == "let_go" and summary.focus == "healing"
    assert summary.findings[:2] == ["third_breakup", "cheating"]


def test_findings_explain_each_answer_that_matters():
    summary = evaluate(answers(assess_motive="the_one", assess_moving_on="no"), "under_2_weeks", A)
    assert summary.findings == ["too_soon", "the_one", "shared_values", "fixable", "not_moved_on"]


def test_every_result_and_finding_is_written():
    assert set(RESULTS) <= set(A.results) and set(FINDINGS) <= set(A.findings)


# --- the actions ---------------------------------------------------------------------------------


def test_summary_is_reasoned_cited_and_never_a_number(dispatcher, domain):
    tracker = make_tracker(
        slots={
            **answers(assess_motive="miss_them", assess_foundation="none"),
            "time_since": "2_weeks_to_2_months",
        }
    )
    events = ActionSummariseAssessment().run(dispatcher, tracker, domain)
    said = texts(dispatcher)
    assert A.results["wrong_reasons"].headline in said
    assert A.findings["miss_them"].text in said and A.findings["no_foundation"].text in said
    assert (
        "What to work on first:" in said
        and "Source: Should you try to get your ex back? (with reader questions)" in said
        and ".txt" not in said
    )
    assert "%" not in said and "score" not in said.replace("isn't a score", "")
    assert not any(ch.isdigit() for ch in said.split("Source:")[0].replace("30 to 60", ""))
    assert SlotSet("assessment_result", "wrong_reasons") in events
    assert SlotSet("assessment_focus", "healing") in events
    assert "/ask_healing" in payloads(dispatcher) and "/show_plan" in payloads(dispatcher)


def test_third_breakup_summary_points_to_letting_go(dispatcher, domain):
    tracker = make_tracker(slots={"assess_breakups": "third_plus", "assess_red_flags": "none"})
    events = ActionSummariseAssessment().run(dispatcher, tracker, domain)
    assert "letting go" in texts(dispatcher)
    assert SlotSet("assessment_result", "let_go") in events
    assert not {"/ask_reaching_out", "/ask_meeting_up"} & set(payloads(dispatcher))


def test_after_abuse_the_summary_is_the_safety_answer(dispatcher, domain):
    tracker = make_tracker(slots={**HEALTHY, "safety": "abuse"})
    events = ActionSummariseAssessment().run(dispatcher, tracker, domain)
    said = texts(dispatcher)
    assert (
        "won't help with getting back together" in said and "findahelpline.com" in said
    )  # no country: the directory
    assert "worth a careful try" not in said
    assert SlotSet("assessment_result", "abuse") in events
    reconciling = {f"/{t.intent}" for t in content().registry.topics.values() if t.coaches_reconciliation}
    assert not reconciling & set(payloads(dispatcher))


def test_start_clears_old_answers_and_keeps_what_triage_knows(dispatcher, domain):
    events = ActionStartAssessment().run(dispatcher, make_tracker(slots={"breakup_count": "first"}), domain)
    assert SlotSet("assess_motive", None) in events and SlotSet("assess_breakups", "first") in events
    events = ActionStartAssessment().run(dispatcher, make_tracker(slots={"breakup_count": "repeat"}), domain)
    assert SlotSet("assess_breakups", "first") not in events  # second or third? still asked


def test_the_should_i_go_back_card_offers_the_check(dispatcher, domain):
    ActionGiveTopicAdvice().run(dispatcher, make_tracker(intent="ask_should_i_go_back"), domain)
    assert "/start_assessment" in payloads(dispatcher)
    blocked = type(dispatcher)()
    ActionGiveTopicAdvice().run(
        blocked, make_tracker(intent="ask_should_i_go_back", slots={"safety": "abuse"}), domain
    )
    assert "/start_assessment" not in payloads(blocked)


# --- the form ---------------------------------------------------------------------------------


def _form_tracker(requested, text, intent="inform", entities=None, **slots):
    return make_tracker(
        slots={"requested_slot": requested, **slots},
        intent=intent,
        text=text,
        entities=entities,
        active_loop="assessment_form",
    )


def _extract(slot, tracker, dispatcher, domain):
    form = ValidateAssessmentForm()
    return asyncio.run(getattr(form, f"extract_{slot}")(dispatcher, tracker, domain))


@pytest.mark.parametrize(
    "slot, text, value",
    [
        ("assess_breakups", "this is our third breakup", "third_plus"),
        ("assess_breakups", "we broke up twice", "second"),
        ("assess_breakups", "first time", "first"),
        ("assess_red_flags", "he cheated on me", "cheating"),
        ("assess_red_flags", "we fought all the time", "toxic_patterns"),
        ("assess_red_flags", "no, nothing like that", "none"),
        ("assess_motive", "i just miss him so much", "miss_them"),
        ("assess_motive", "i can't stand being alone", "hate_single"),
        ("assess_motive", "she's my soulmate", "the_one"),
        ("assess_foundation", "long distance was the problem", "circumstances"),
        ("assess_foundation", "we want the same things in life", "shared_values"),
        ("assess_cause", "it would keep happening", "recurring"),
        ("assess_cause", "i don't know", "unsure"),
        ("assess_cause", "yes we could work on it", "fixable"),
        ("assess_moving_on", "not yet", "no"),
        ("assess_moving_on", "slowly starting to", "starting"),
    ],
)
def test_free_text_answers(slot, text, value, dispatcher, domain):
    assert _extract(slot, _form_tracker(slot, text), dispatcher, domain) == {slot: value}


def test_cheating_said_while_another_question_waits_is_kept(dispatcher, domain):
    """Heard in a conversation: asked how many breakups, "kinda? she cheated once but said sorry"
    was read as the first breakup ("once"), and the next question asked about cheating as if it
    had not been said."""
    text = "kinda? she cheated once but said sorry"
    cheating = [{"entity": "red_flag", "value": "cheating", "start": 11, "end": 18}]
    tracker = _form_tracker("assess_breakups", text, entities=cheating)
    assert _extract("assess_red_flags", tracker, dispatcher, domain) == {"assess_red_flags": "cheating"}
    assert _extract("assess_breakups", tracker, dispatcher, domain) == {"assess_breakups": "?"}
    answered = _form_tracker("assess_breakups", text, entities=cheating, assess_red_flags="none")
    assert _extract("assess_red_flags", answered, dispatcher, domain) == {}


def test_the_words_win_over_the_intent_guess(dispatcher, domain):
    # "it can be fixed" can classify as `unsure`; the words say fixable.
    tracker = _form_tracker("assess_cause", "it can be fixed", intent="unsure")
    assert _extract("assess_cause", tracker, dispatcher, domain) == {"assess_cause": "fixable"}
    tracker = _form_tracker("assess_cause", "hard to say", intent="unsure")
    assert _extract("assess_cause", tracker, dispatcher, domain) == {"assess_cause": "unsure"}


@pytest.mark.parametrize(
    "slot, text", [("assess_breakups", "idk maybe"), ("assess_motive", "skip"), ("assess_foundation", "pass")]
)
def test_i_dont_know_or_skip_is_a_clear_answer_not_asked_again(slot, text, dispatcher, domain):
    """Heard in a conversation: "idk maybe" and "skip" got "Sorry, I didn't quite catch that" and
    the same question, introduction included. They say the answer is not known: noted, and on."""
    tracker = _form_tracker(slot, text, intent="unsure")
    assert _extract(slot, tracker, dispatcher, domain) == {slot: "unknown"}


def test_a_button_answer(dispatcher, domain):
    tracker = _form_tracker(
        "assess_cause",
        '/inform{"assess_cause":"recurring"}',
        entities=[{"entity": "assess_cause", "value": "recurring"}],
    )
    assert _extract("assess_cause", tracker, dispatcher, domain) == {"assess_cause": "recurring"}


@pytest.mark.parametrize(
    "intent, text",
    [
        ("disclose_abuse", "he hit me, no other flags"),
        ("express_crisis", "none of it matters, i want to die"),
    ],
)
def test_safety_messages_are_never_answers(intent, text, dispatcher, domain):
    tracker = _form_tracker(
        "assess_red_flags", text, intent=intent, entities=[{"entity": "assess_red_flags", "value": "none"}]
    )
    assert _extract("assess_red_flags", tracker, dispatcher, domain) == {}


def test_an_unreadable_answer_is_asked_again(dispatcher, domain):
    tracker = _form_tracker("assess_foundation", "purple")
    extracted = _extract("assess_foundation", tracker, dispatcher, domain)
    result = ValidateAssessmentForm().validate_assess_foundation(
        extracted["assess_foundation"], dispatcher, tracker, domain
    )
    assert result == {"assess_foundation": None} and "didn't quite catch" in texts(dispatcher)


def test_required_slots(dispatcher, domain):
    form = ValidateAssessmentForm()
    all_slots = list(domain["forms"]["assessment_form"]["required_slots"])
    ask = lambda **slots: asyncio.run(
        form.required_slots(all_slots, dispatcher, make_tracker(slots=slots), domain)
    )
    assert ask() == all_slots
    assert ask(assess_breakups="third_plus") == ["assess_breakups", "assess_red_flags"]
    assert ask(safety="abuse") == []


def test_the_form_ignores_the_safety_intents(domain):
    assert set(domain["forms"]["assessment_form"]["ignored_intents"]) == {"express_crisis", "disclose_abuse"}
    assert set(domain["forms"]["reflection_form"]["ignored_intents"]) == {"express_crisis", "disclose_abuse"}


# --- the wording ----------------------------------------------------------------------------------


def test_guided_wording_is_our_own(seed_ngrams):
    for text in all_texts(A, reflections_content()):
        copied = _ngrams(_words(text)) & seed_ngrams
        assert not copied, f"copies: {' '.join(sorted(copied)[0])}: {text}"


def test_guided_content_rejects_unknown_sources_and_topics(tmp_path):
    import shutil

    import yaml
    from actions.guided_content import GUIDED_DIR

    shutil.copytree(GUIDED_DIR, tmp_path / "guided")
    path = tmp_path / "guided" / "assessment.yml"
    data = yaml.safe_load(path.read_text())
    data["results"]["let_go"]["topics"] = ["not_a_topic"]
    data["findings"]["cheating"]["sources"] = ["999_0000000000000000.txt"]
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError, match="not_a_topic") as error:
        load_guided(tmp_path / "guided", topics=set(content().registry.topics))
    assert "not in sources.yml" in str(error.value)
