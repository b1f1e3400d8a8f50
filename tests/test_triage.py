"""The triage form's extraction of free-text answers and its validation."""

import asyncio

import pytest
from rasa_sdk.events import SlotSet

from actions.triage import ValidateTriageForm
from conftest import make_tracker

FORM = ValidateTriageForm()


def validate(dispatcher, domain, **kwargs):
    return asyncio.run(FORM.run(dispatcher, make_tracker(active_loop="triage_form", **kwargs), domain))


@pytest.mark.parametrize(
    "answer, value",
    [
        ("him", "ex"),
        ("he did", "ex"),
        ("I think she did", "ex"),
        ("my ex", "ex"),
        ("me", "me"),
        ("i did", "me"),
        ("it was me", "me"),
        ("both of us", "mutual"),
        ("mutual", "mutual"),
    ],
)
def test_who_ended_from_a_short_answer(answer, value, dispatcher, domain):
    events = validate(dispatcher, domain, intent="inform", text=answer, slots={"requested_slot": "who_ended"})
    assert SlotSet("who_ended", value) in events


def test_who_ended_sets_the_scenario_at_once(dispatcher, domain):
    events = validate(
        dispatcher, domain, intent="inform", text="he did", slots={"requested_slot": "who_ended"}
    )
    assert SlotSet("scenario", "he_broke_up") in events


def test_a_repeat_overrides_who_ended_in_the_scenario(dispatcher, domain):
    events = validate(
        dispatcher,
        domain,
        intent="inform",
        text="twice before",
        slots={"requested_slot": "breakup_count", "who_ended": "ex"},
    )
    assert SlotSet("breakup_count", "repeat") in events
    assert SlotSet("scenario", "second_breakup") in events


@pytest.mark.parametrize(
    "answer, value",
    [
        ("no, not the first", "repeat"),
        ("second time", "repeat"),
        ("first time", "first"),
        ("3 times", "repeat"),
        ("2", "repeat"),
    ],
)
def test_breakup_count_from_a_short_answer(answer, value, dispatcher, domain):
    events = validate(
        dispatcher, domain, intent="inform", text=answer, slots={"requested_slot": "breakup_count"}
    )
    assert SlotSet("breakup_count", value) in events


@pytest.mark.parametrize(
    "answer, value",
    [
        ("he blocked me everywhere", "silent"),
        ("she's seeing someone new", "seeing_someone"),
        ("mixed signals", "hot_and_cold"),
        ("he's friendly", "friendly"),
        ("really angry", "hostile"),
        # Heard in a conversation: this got "I didn't understand" (too long), and "cold" alone
        # was read as hot and cold.
        ("he only talks to me about the kids, very cold", "silent"),
        ("she's hot and cold", "hot_and_cold"),
    ],
)
def test_ex_behaviour_from_a_short_answer(answer, value, dispatcher, domain):
    events = validate(
        dispatcher, domain, intent="inform", text=answer, slots={"requested_slot": "ex_behaviour"}
    )
    assert SlotSet("ex_behaviour", value) in events


@pytest.mark.parametrize("text", ["ok but should i text her", "idk, what do i say to him"])
def test_a_request_for_advice_is_not_an_answer_about_the_ex(text, dispatcher, domain):
    """Heard in a conversation: asked how the ex acts, "ok but should i text her" was read as
    friendly (its "ok"), the triage ended and the scenario card came instead of an answer."""
    events = validate(
        dispatcher, domain, intent="check_message", text=text, slots={"requested_slot": "ex_behaviour"}
    )
    assert not [e for e in events if e.get("name") == "ex_behaviour" and e.get("value")]


def test_time_since_from_the_entity(dispatcher, domain):
    entities = [{"entity": "time_since", "value": "two months ago"}]
    events = validate(
        dispatcher, domain, intent="they_broke_up", text="he left me two months ago", entities=entities
    )
    assert SlotSet("time_since", "2_weeks_to_2_months") in events


def test_a_known_time_is_kept_when_a_later_date_is_about_something_else(dispatcher, domain):
    """Heard in a conversation: "i broke up with him in march", then, mid-triage, "he told me last
    week he doesnt want to be friends" recorded the breakup as under two weeks ago."""
    entities = [{"entity": "time_since", "value": "last week"}]
    events = validate(
        dispatcher,
        domain,
        intent="out_of_scope",
        text="he told me last week he doesnt want to be friends",
        entities=entities,
        slots={"time_since": "2_to_6_months", "requested_slot": "breakup_count"},
    )
    assert not [e for e in events if e.get("name") == "time_since"]


def test_a_known_time_is_corrected_by_a_message_about_the_breakup(dispatcher, domain):
    entities = [{"entity": "time_since", "value": "last week"}]
    events = validate(
        dispatcher,
        domain,
        intent="they_broke_up",
        text="sorry, we actually broke up last week",
        entities=entities,
        slots={"time_since": "2_to_6_months", "requested_slot": "breakup_count"},
    )
    assert SlotSet("time_since", "under_2_weeks") in events


def test_time_since_from_a_bare_answer(dispatcher, domain):
    events = validate(
        dispatcher, domain, intent="inform", text="5 months", slots={"requested_slot": "time_since"}
    )
    assert SlotSet("time_since", "2_to_6_months") in events


def test_time_since_not_sure(dispatcher, domain):
    events = validate(
        dispatcher, domain, intent="unsure", text="no idea", slots={"requested_slot": "time_since"}
    )
    assert SlotSet("time_since", "unknown") in events


def test_a_future_date_is_asked_again(dispatcher, domain):
    events = validate(
        dispatcher, domain, intent="inform", text="next week", slots={"requested_slot": "time_since"}
    )
    assert not any(e.get("name") == "time_since" and e.get("value") for e in events)


def test_crisis_messages_are_never_read_as_answers(dispatcher, domain):
    events = validate(
        dispatcher,
        domain,
        intent="express_crisis",
        text="me. i want to die",
        entities=[{"entity": "time_since", "value": "yesterday"}],
        slots={"requested_slot": "who_ended"},
    )
    assert not [e for e in events if e.get("name") in ("who_ended", "time_since", "scenario")]


def test_a_topic_question_is_not_taken_as_an_answer(dispatcher, domain):
    events = validate(
        dispatcher,
        domain,
        intent="ask_no_contact",
        text="should i do no contact with him",
        slots={"requested_slot": "who_ended"},
    )
    assert not [e for e in events if e.get("name") == "who_ended"]


def test_values_nobody_offered_are_rejected(domain):
    tracker = make_tracker(slots={"requested_slot": "who_ended"})
    assert FORM._with_scenario(tracker, "who_ended", "<script>", domain) == {"who_ended": None}
    assert FORM.validate_time_since("forever", None, tracker, domain) == {"time_since": None}


def test_no_questions_after_abuse(dispatcher, domain):
    tracker = make_tracker(slots={"safety": "abuse"})
    slots = asyncio.run(FORM.required_slots(["who_ended"], dispatcher, tracker, domain))
    assert slots == []


def test_a_short_answer_counts_whatever_the_classifier_guessed(dispatcher, domain):
    events = validate(
        dispatcher,
        domain,
        intent="express_sadness",
        text="I think it was me",
        slots={"requested_slot": "who_ended"},
    )
    assert SlotSet("who_ended", "me") in events


@pytest.mark.parametrize("text", ["we dont talk", "we don't talk anymore", "we're not talking"])
def test_the_contact_fact_given_to_another_question_is_kept(text, dispatcher, domain):
    """ "we dont talk" typed while the triage asked whether it is the first breakup got "I didn't
    understand that": the patterns read it as the ex's silence, and the form keeps that fact."""
    from rasa_sdk import Tracker
    from conftest import pattern_facts

    entities = pattern_facts(text)
    assert ("ex_behaviour", "silent") in [(e["entity"], e["value"]) for e in entities]
    base = make_tracker(
        slots={"requested_slot": "breakup_count", "who_ended": "ex", "ex_behaviour": "silent"},
        intent="inform",
        text=text,
        entities=entities,
        active_loop="triage_form",
    )
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": base.latest_message},
        {"event": "slot", "name": "ex_behaviour", "value": "silent"},
    ]
    tracker = Tracker(
        base.sender_id,
        base.slots,
        base.latest_message,
        events,
        False,
        None,
        base.active_loop,
        "action_listen",
    )
    result = asyncio.run(FORM.run(dispatcher, tracker, domain))
    assert SlotSet("ex_behaviour", "silent") in result
    assert not any(e.get("name") == "breakup_count" for e in result)
    assert dispatcher.messages == []


def test_a_date_given_for_the_count_is_not_a_count(dispatcher, domain):
    """Asked whether it is the first breakup, "like 2 months ago in september" says when, not
    how many times: the "2" of the date must not record a repeat breakup."""
    text = "like 2 months ago in september"
    events = validate(
        dispatcher,
        domain,
        intent="inform",
        text=text,
        entities=[{"entity": "time_since", "value": "like 2 months ago", "start": 0, "end": 17}],
        slots={"requested_slot": "breakup_count", "who_ended": "ex"},
    )
    assert not [e for e in events if e.get("name") == "breakup_count" and e.get("value")]
    assert SlotSet("time_since", "2_weeks_to_2_months") in events


@pytest.mark.parametrize(
    "text, value",
    [("she did", "ex"), ("my ex did", "ex"), ("i did.", "me"), ("it was mutual", "mutual"), ("him", "ex")],
)
def test_who_ended_said_while_another_question_waits_is_read(text, value, dispatcher, domain):
    """Heard twice in conversations: asked whether it is the first breakup, "she did" (who ended
    it, already known from the first message) got "I'm sorry, I didn't understand that."."""
    events = validate(
        dispatcher,
        domain,
        intent="nlu_fallback",
        text=text,
        slots={"who_ended": "ex", "requested_slot": "breakup_count"},
    )
    assert SlotSet("who_ended", value) in events


@pytest.mark.parametrize("text", ["he left", "she just walked out."])
def test_he_left_as_a_whole_first_message_says_who_ended_it(text, dispatcher, domain):
    """Heard in a conversation: "he left" started the triage with "Who ended the relationship?"."""
    events = validate(dispatcher, domain, intent="they_broke_up", text=text)
    assert SlotSet("who_ended", "ex") in events


@pytest.mark.parametrize(
    "text", ["she did it again", "he did not reply", "did she love me", "he left the party early"]
)
def test_other_short_messages_are_not_read_as_who_ended(text, dispatcher, domain):
    events = validate(
        dispatcher, domain, intent="nlu_fallback", text=text, slots={"requested_slot": "breakup_count"}
    )
    assert not [e for e in events if e.get("name") == "who_ended"]
