"""Reflection exercises: choosing one, free-text answers, safety messages never stored, and the
answers kept in `reflections` only."""

import asyncio

import pytest
from rasa_sdk.events import SlotSet

from actions.guided_content import reflections_content
from actions.reflections import (
    ActionAskReflect1,
    ActionAskReflect4,
    ActionAskReflectExercise,
    ActionSaveReflection,
    ActionStartReflection,
    ValidateReflectionForm,
)
from conftest import make_tracker, payloads, texts

EXERCISES = reflections_content().exercises
FORM_SLOTS = ["reflect_exercise", "reflect_1", "reflect_2", "reflect_3", "reflect_4"]


def _tracker(requested, text, intent="inform", entities=None, **slots):
    return make_tracker(
        slots={"requested_slot": requested, **slots},
        intent=intent,
        text=text,
        entities=entities,
        active_loop="reflection_form",
    )


def _run(coro):
    return asyncio.run(coro)


def test_start_takes_the_choice_from_words_or_a_button(dispatcher, domain):
    events = ActionStartReflection().run(
        dispatcher, make_tracker(text="help me write my boundaries", intent="start_reflection"), domain
    )
    assert SlotSet("reflect_exercise", "boundaries") in events and SlotSet("reflect_1", None) in events
    button = make_tracker(
        text='/start_reflection{"reflect_exercise":"admire"}',
        intent="start_reflection",
        entities=[{"entity": "reflect_exercise", "value": "admire"}],
    )
    assert SlotSet("reflect_exercise", "admire") in ActionStartReflection().run(dispatcher, button, domain)
    vague = make_tracker(text="give me an exercise", intent="start_reflection")
    assert SlotSet("reflect_exercise", None) in ActionStartReflection().run(dispatcher, vague, domain)


def test_after_abuse_only_the_fitting_exercises_are_offered(dispatcher, domain):
    ActionAskReflectExercise().run(dispatcher, make_tracker(slots={"safety": "abuse"}), domain)
    offered = payloads(dispatcher)
    assert offered and all("boundaries" in p for p in offered)
    events = ActionStartReflection().run(
        dispatcher,
        make_tracker(text="three qualities i admire", intent="start_reflection", slots={"safety": "abuse"}),
        domain,
    )
    assert SlotSet("reflect_exercise", None) in events


def test_required_slots_follow_the_exercise(dispatcher, domain):
    form = ValidateReflectionForm()
    for exercise_id, exercise in EXERCISES.items():
        slots = _run(
            form.required_slots(
                FORM_SLOTS, dispatcher, make_tracker(slots={"reflect_exercise": exercise_id}), domain
            )
        )
        assert slots == FORM_SLOTS[: 1 + len(exercise.prompts)]
    assert _run(form.required_slots(FORM_SLOTS, dispatcher, make_tracker(), domain)) == ["reflect_exercise"]


def test_prompts_one_at_a_time(dispatcher, domain):
    ActionAskReflect1().run(dispatcher, make_tracker(slots={"reflect_exercise": "admire"}), domain)
    said = texts(dispatcher)
    assert EXERCISES["admire"].title in said and EXERCISES["admire"].prompts[0] in said
    other = type(dispatcher)()
    ActionAskReflect4().run(other, make_tracker(slots={"reflect_exercise": "differently"}), domain)
    assert other.messages == []  # "differently" has three prompts


def test_a_free_text_answer_is_kept_and_bounded(dispatcher, domain):
    form = ValidateReflectionForm()
    tracker = _tracker("reflect_2", "she never gave up on people", reflect_exercise="admire")
    assert _run(form.extract_reflect_2(dispatcher, tracker, domain)) == {
        "reflect_2": "she never gave up on people"
    }
    long = _tracker("reflect_1", "word " * 110, reflect_exercise="differently")
    assert len(_run(form.extract_reflect_1(dispatcher, long, domain))["reflect_1"]) <= 600


@pytest.mark.parametrize(
    "intent, text",
    [
        ("disclose_abuse", "he used to choke me when he was angry"),
        ("express_crisis", "i want to end my life"),
    ],
)
def test_safety_language_is_never_stored_as_an_answer(intent, text, dispatcher, domain):
    form = ValidateReflectionForm()
    tracker = _tracker("reflect_1", text, intent=intent, reflect_exercise="boundaries")
    assert _run(form.extract_reflect_1(dispatcher, tracker, domain)) == {}


def test_questions_and_other_requests_are_not_answers(dispatcher, domain):
    form = ValidateReflectionForm()
    for intent, text in (
        ("ask_no_contact", "should i do no contact?"),
        ("show_plan", "show my plan"),
        ("inform", '/inform{"who_ended":"ex"}'),
    ):
        tracker = _tracker("reflect_1", text, intent=intent, reflect_exercise="admire")
        assert _run(form.extract_reflect_1(dispatcher, tracker, domain)) == {}, text


def test_saving_keeps_answers_in_reflections_and_clears_the_form(dispatcher, domain):
    tracker = make_tracker(
        slots={
            "reflect_exercise": "differently",
            "reflect_1": "listen more",
            "reflect_2": "say what I need",
            "reflect_3": "listen more now",
            "reflections": {"admire": ["kind"]},
        }
    )
    events = ActionSaveReflection().run(dispatcher, tracker, domain)
    assert (
        SlotSet(
            "reflections",
            {"admire": ["kind"], "differently": ["listen more", "say what I need", "listen more now"]},
        )
        in events
    )
    for slot in FORM_SLOTS:
        assert SlotSet(slot, None) in events
    said = texts(dispatcher)
    assert (
        "Source: How to get him back after a breakup (give him the breakup, heal yourself)" in said
        and "/show_plan" in payloads(dispatcher)
    )


def test_thats_all_is_not_kept_as_an_answer(dispatcher, domain):
    tracker = make_tracker(
        slots={
            "reflect_exercise": "boundaries",
            "reflect_1": "loyalty",
            "reflect_2": "no yelling",
            "reflect_3": "That\u2019s all.",
        }
    )
    events = ActionSaveReflection().run(dispatcher, tracker, domain)
    assert SlotSet("reflections", {"boundaries": ["loyalty", "no yelling"]}) in events


def test_the_answers_live_only_in_slots(domain):
    # Nothing is written elsewhere: the slot is the store, and it goes with the conversation.
    slot = domain["slots"]["reflections"]
    assert slot["type"] == "any" and slot["influence_conversation"] is False


@pytest.mark.parametrize(
    "text, choice",
    [
        ("three", "admire"),
        ("the 3 one", "admire"),
        ("the qualities one", "admire"),
        ("ok nvm. my bf dumped me 3 weeks ago", None),
        ("we were together for three years", None),
    ],
)
def test_a_number_picks_the_first_exercise_only_as_the_whole_answer(text, choice, dispatcher, domain):
    tracker = _tracker("reflect_exercise", text)
    extracted = _run(ValidateReflectionForm().extract_reflect_exercise(dispatcher, tracker, domain))
    assert extracted.get("reflect_exercise") == choice
