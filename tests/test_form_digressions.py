"""Digressions in the forms: asides are not answers, the question comes back once behind a bridge,
"why do you ask?" gets that question's reason, a question left unanswered twice is noted as unknown
and not asked a third time, and "stop asking" ends the form."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.assessment import ValidateAssessmentForm
from actions.form_digressions import (
    BRIDGE,
    ActionExplainQuestion,
    ActionStopAsking,
    AskWithBridge,
    digression,
    questions,
    times_unanswered,
)
from actions.guided_forms import answer_text
from actions.reflections import ActionAskReflect2, ValidateReflectionForm
from actions.triage import ValidateTriageForm
from conftest import make_tracker, pattern_facts, texts, with_events


def user(text: str, intent: str) -> Dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def action(name: str) -> Dict[str, Any]:
    return {"event": "action", "name": name}


def bot(text: str) -> Dict[str, Any]:
    return {"event": "bot", "text": text}


def asked(slot: str) -> Dict[str, Any]:
    return {"event": "slot", "name": "requested_slot", "value": slot}


def loop(name: Optional[str]) -> Dict[str, Any]:
    return {"event": "active_loop", "name": name}


def tracker_with(
    events: List[Dict[str, Any]],
    slots: Dict[str, Any],
    text: str,
    intent: str,
    form: Optional[str],
    entities=None,
) -> Tracker:
    base = make_tracker(slots=slots, intent=intent, text=text, entities=entities, active_loop=form)
    return with_events(base, events, events[-1].get("name", "action_listen") if events else "action_listen")


def triage_asked_once(then: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """ "my bf dumped me" started the triage, which asked whether it is the first breakup."""
    return [
        action("action_listen"),
        user("my bf dumped me", "they_broke_up"),
        action("triage_form"),
        loop("triage_form"),
        asked("breakup_count"),
        bot("Is this the first time..."),
        action("action_listen"),
    ] + then


def run(coro):
    return asyncio.run(coro)


# --- asides are not answers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, intent",
    [
        ("why does that matter?", "why_asked"),
        ("just tell me", "stop_asking"),
        ("what day of no contact am I on?", "ask_no_contact_day"),
    ],
)
def test_an_aside_is_never_read_as_a_triage_answer(text, intent, dispatcher, domain):
    tracker = make_tracker(
        slots={"requested_slot": "who_ended"},
        intent=intent,
        text=text,
        entities=pattern_facts(text),
        active_loop="triage_form",
    )
    form = ValidateTriageForm()
    assert form.extract_who_ended(dispatcher, tracker, domain) == {}


def test_a_no_contact_start_mid_triage_is_not_the_breakup_date(dispatcher, domain):
    """Mid-triage "I started no contact 10 days ago" was read as the breakup's date and the triage
    question came again, with the count never started."""
    text = "I started no contact 10 days ago"
    tracker = make_tracker(
        slots={"requested_slot": "time_since"},
        intent="start_no_contact",
        text=text,
        entities=pattern_facts(text),
        active_loop="triage_form",
    )
    assert ValidateTriageForm().extract_time_since(dispatcher, tracker, domain) == {}


def test_the_no_contact_intents_dont_fill_the_ex_behaviour(domain):
    mapping = domain["slots"]["ex_behaviour"]["mappings"][0]
    assert {"start_no_contact", "report_relapse", "ask_no_contact_day"} <= set(mapping["not_intent"])


def test_a_long_reflection_is_kept_whatever_the_classifier_hears():
    text = "I texted him far too often and never gave him room to miss me, I would do that differently"
    tracker = make_tracker(slots={"requested_slot": "reflect_1"}, intent="report_relapse", text=text)
    assert answer_text(tracker, "reflect_1", 120) == text
    short = make_tracker(slots={"requested_slot": "reflect_1"}, intent="why_asked", text="why do you ask?")
    assert answer_text(short, "reflect_1", 120) is None


# --- the question comes back once, behind a bridge ------------------------------------------------


def test_after_a_topic_answer_the_question_comes_back_behind_a_bridge(domain):
    events = triage_asked_once(
        [
            user("should I text him?", "ask_reaching_out"),
            {"event": "action_execution_rejected", "name": "triage_form"},
            action("action_give_topic_advice"),
            bot("Reaching out..."),
        ]
    )
    tracker = tracker_with(
        events, {"requested_slot": "breakup_count"}, "should I text him?", "ask_reaching_out", "triage_form"
    )
    assert digression(tracker) == "action_give_topic_advice"
    dispatcher = CollectingDispatcher()
    ask = AskWithBridge.__subclasses__()
    asker = next(c for c in ask if c.slot == "breakup_count")()
    asker.run(dispatcher, tracker, domain)
    assert len(dispatcher.messages) == 1
    said = dispatcher.messages[0]
    assert said["text"] == BRIDGE + "is this the first time the two of you have broken up?"
    assert [b["payload"] for b in said["buttons"]] == [
        '/inform{"breakup_count":"first"}',
        '/inform{"breakup_count":"repeat"}',
    ]


def test_without_a_digression_the_question_is_asked_in_full(domain):
    events = [action("action_listen"), user("my bf dumped me", "they_broke_up")]
    tracker = tracker_with(
        events, {"requested_slot": "breakup_count"}, "my bf dumped me", "they_broke_up", "triage_form"
    )
    dispatcher = CollectingDispatcher()
    next(c for c in AskWithBridge.__subclasses__() if c.slot == "breakup_count")().run(
        dispatcher, tracker, domain
    )
    assert dispatcher.messages[0]["text"] == domain["responses"]["utter_ask_breakup_count"][0]["text"]


def test_a_reflection_prompt_comes_back_behind_a_bridge():
    events = [
        action("action_listen"),
        user("give me an exercise", "start_reflection"),
        action("reflection_form"),
        loop("reflection_form"),
        asked("reflect_2"),
        bot("prompt"),
        action("action_listen"),
        user("what day am I on?", "ask_no_contact_day"),
        action("action_no_contact_status"),
        bot("You're on day 3"),
    ]
    tracker = tracker_with(
        events,
        {"requested_slot": "reflect_2", "reflect_exercise": "admire"},
        "what day am I on?",
        "ask_no_contact_day",
        "reflection_form",
    )
    dispatcher = CollectingDispatcher()
    ActionAskReflect2().run(dispatcher, tracker, {})
    assert texts(dispatcher).startswith("Back to where we were:")


def test_a_privacy_question_mid_triage_is_answered_then_the_question_comes_back(domain):
    """Mid-triage "ugh sorry, quick question do you store what i write?" got "I'm sorry, I didn't
    understand that.": it is a question of its own, answered by the privacy reply, then the bridge."""
    text = "ugh sorry, quick question do you store what i write?"
    assert "ask_privacy" in domain["intents"] and domain["responses"]["utter_privacy"]
    tracker = make_tracker(
        slots={"requested_slot": "breakup_count"},
        intent="ask_privacy",
        text=text,
        entities=pattern_facts(text),
        active_loop="triage_form",
    )
    assert ValidateTriageForm().extract_breakup_count(CollectingDispatcher(), tracker, domain) == {}
    short = make_tracker(slots={"requested_slot": "reflect_1"}, intent="ask_privacy", text="is this private?")
    assert answer_text(short, "reflect_1", 120) is None
    events = triage_asked_once(
        [
            user(text, "ask_privacy"),
            {"event": "action_execution_rejected", "name": "triage_form"},
            action("utter_privacy"),
            bot(domain["responses"]["utter_privacy"][0]["text"]),
        ]
    )
    tracker = tracker_with(events, {"requested_slot": "breakup_count"}, text, "ask_privacy", "triage_form")
    assert digression(tracker) == "utter_privacy"
    dispatcher = CollectingDispatcher()
    next(c for c in AskWithBridge.__subclasses__() if c.slot == "breakup_count")().run(
        dispatcher, tracker, domain
    )
    assert texts(dispatcher).startswith(BRIDGE)


def test_the_privacy_question_has_a_rule_that_answers_it_anywhere():
    import yaml
    from conftest import ROOT

    rules = yaml.safe_load((ROOT / "data" / "rules" / "privacy.yml").read_text())["rules"]
    assert any(
        r.get("steps") == [{"intent": "ask_privacy"}, {"action": "utter_privacy"}] and "condition" not in r
        for r in rules
    )


# --- why do you ask? --------------------------------------------------------------------------------


def test_why_gets_the_reason_for_that_question_then_the_question_alone(domain):
    """ "why does that matter?" once got the scope menu and the same question a third time."""
    events = triage_asked_once(
        [
            user("why does that matter?", "why_asked"),
            {"event": "action_execution_rejected", "name": "triage_form"},
        ]
    )
    tracker = tracker_with(
        events, {"requested_slot": "breakup_count"}, "why does that matter?", "why_asked", "triage_form"
    )
    dispatcher = CollectingDispatcher()
    ActionExplainQuestion().run(dispatcher, tracker, domain)
    assert questions()["breakup_count"]["why"] in texts(dispatcher)
    events += [action("action_explain_question"), bot(texts(dispatcher))]
    tracker = tracker_with(
        events, {"requested_slot": "breakup_count"}, "why does that matter?", "why_asked", "triage_form"
    )
    again = CollectingDispatcher()
    next(c for c in AskWithBridge.__subclasses__() if c.slot == "breakup_count")().run(again, tracker, domain)
    assert texts(again) == questions()["breakup_count"]["short"]


@pytest.mark.parametrize(
    "slot",
    [
        "who_ended",
        "breakup_count",
        "time_since",
        "ex_behaviour",
        "assess_breakups",
        "assess_red_flags",
        "assess_motive",
        "assess_foundation",
        "assess_cause",
        "assess_moving_on",
        "reflect_exercise",
        "reflect_answer",
    ],
)
def test_every_question_has_a_reason_and_a_short_form(slot):
    entry = questions()[slot]
    assert entry["why"].strip() and entry["short"].strip()


# --- unanswered twice: unknown, never a third time ---------------------------------------------------


def not_understood(text: str, form: str = "triage_form") -> List[Dict[str, Any]]:
    """A message nothing could read mid-form: rejected, the "I didn't understand" line."""
    return [
        user(text, "nlu_fallback"),
        {"event": "action_execution_rejected", "name": form},
        action("action_explain_scope"),
        bot("I'm sorry, I didn't understand that."),
    ]


def test_a_question_left_unanswered_twice_is_noted_as_unknown(domain):
    first = not_understood("blorp") + [
        action("triage_form"),
        asked("breakup_count"),
        bot("Back to where we were: ..."),
        action("action_listen"),
    ]
    events = triage_asked_once(first + not_understood("zzz qqq"))
    tracker = tracker_with(
        events,
        {"requested_slot": "breakup_count", "who_ended": "ex"},
        "zzz qqq",
        "nlu_fallback",
        "triage_form",
    )
    assert times_unanswered(tracker, "breakup_count") == 2
    result = run(ValidateTriageForm().run(CollectingDispatcher(), tracker, domain))
    assert any(e.get("name") == "breakup_count" and e.get("value") == "unknown" for e in result)


def test_two_asides_answered_in_a_row_use_up_no_try(domain):
    """Two asides in a row, each answered, made the question "unknown": an answered aside is not
    leaving the question unanswered."""
    first_aside = [
        user("should I text him?", "ask_reaching_out"),
        {"event": "action_execution_rejected", "name": "triage_form"},
        action("action_give_topic_advice"),
        bot("..."),
        action("triage_form"),
        asked("breakup_count"),
        bot("Back to where we were: ..."),
        action("action_listen"),
    ]
    second_aside = [
        user("do you store what i write?", "ask_privacy"),
        {"event": "action_execution_rejected", "name": "triage_form"},
        action("utter_privacy"),
        bot("I keep what you write..."),
    ]
    events = triage_asked_once(first_aside + second_aside)
    tracker = tracker_with(
        events,
        {"requested_slot": "breakup_count", "who_ended": "ex"},
        "do you store what i write?",
        "ask_privacy",
        "triage_form",
    )
    assert times_unanswered(tracker, "breakup_count") == 0
    result = run(ValidateTriageForm().run(CollectingDispatcher(), tracker, domain))
    assert not any(e.get("name") == "breakup_count" for e in result)


def test_the_same_question_is_not_shown_a_fourth_time_whatever_came_between(domain):
    """Heard in a conversation: "Is this the first time the two of you have broken up?" came five
    times in a row, each after something answered in between (a date, how the ex acts, "why does
    that matter", a sad message). The third message that leaves it open records it as unknown."""
    aside = [
        {"event": "action_execution_rejected", "name": "triage_form"},
        action("action_give_topic_advice"),
        bot("..."),
        action("triage_form"),
        asked("breakup_count"),
        bot("Back to where we were: ..."),
        action("action_listen"),
    ]
    said = ["should I text him?", "will she come back?"]
    events = []
    for text in said:
        events += [user(text, "ask_reaching_out")] + aside
    last = "honestly i just feel like a terrible person"
    events += [
        user(last, "express_sadness"),
        {"event": "action_execution_rejected", "name": "triage_form"},
        action("utter_sadness"),
        bot("I'm sorry, that sounds really painful."),
    ]
    tracker = tracker_with(
        triage_asked_once(events),
        {"requested_slot": "breakup_count", "who_ended": "ex"},
        last,
        "express_sadness",
        "triage_form",
    )
    assert times_unanswered(tracker, "breakup_count") == 0
    result = run(ValidateTriageForm().run(CollectingDispatcher(), tracker, domain))
    assert any(e.get("name") == "breakup_count" and e.get("value") == "unknown" for e in result)
    second = events[: 1 + len(aside)] + [user(said[1], "ask_reaching_out")] + aside[:3]
    two = tracker_with(
        triage_asked_once(second),
        {"requested_slot": "breakup_count", "who_ended": "ex"},
        said[-1],
        "ask_reaching_out",
        "triage_form",
    )
    result = run(ValidateTriageForm().run(CollectingDispatcher(), two, domain))
    assert not any(e.get("name") == "breakup_count" for e in result)


def test_a_second_bridge_in_a_row_is_worded_differently(domain):
    """Seen in a transcript: "Back to where we were: is this the first time ...?" ended three
    turns running, each after an answered aside."""
    bridge = "Back to where we were: is this the first time the two of you have broken up?"
    first_aside = [
        user("should I text him?", "ask_reaching_out"),
        {"event": "action_execution_rejected", "name": "triage_form"},
        action("action_give_topic_advice"),
        bot("..."),
        action("triage_form"),
        asked("breakup_count"),
        bot(bridge),
        action("action_listen"),
    ]
    second = [
        user("what are my odds?", "ask_odds"),
        {"event": "action_execution_rejected", "name": "triage_form"},
        action("action_give_topic_advice"),
        bot("..."),
        action("triage_form"),
        asked("breakup_count"),
    ]
    tracker = tracker_with(
        triage_asked_once(first_aside + second),
        {"requested_slot": "breakup_count", "who_ended": "ex"},
        "what are my odds?",
        "ask_odds",
        "triage_form",
    )
    said = texts(ask_breakup_count(tracker, domain))
    assert said != bridge and said.startswith("And to come back to my question: is this the first time")


def test_an_aside_then_a_message_nobody_could_read_is_one_try(domain):
    aside = [
        user("what are my odds?", "ask_odds"),
        {"event": "action_execution_rejected", "name": "triage_form"},
        action("action_give_topic_advice"),
        bot("..."),
        action("triage_form"),
        asked("breakup_count"),
        bot("Back to where we were: ..."),
        action("action_listen"),
    ]
    events = triage_asked_once(aside + not_understood("blorp"))
    tracker = tracker_with(
        events, {"requested_slot": "breakup_count"}, "blorp", "nlu_fallback", "triage_form"
    )
    assert times_unanswered(tracker, "breakup_count") == 1


def test_one_aside_is_not_yet_giving_up(domain):
    events = triage_asked_once(
        [
            user("should I text him?", "ask_reaching_out"),
            {"event": "action_execution_rejected", "name": "triage_form"},
            action("action_give_topic_advice"),
            bot("..."),
        ]
    )
    tracker = tracker_with(
        events,
        {"requested_slot": "breakup_count", "who_ended": "ex"},
        "should I text him?",
        "ask_reaching_out",
        "triage_form",
    )
    result = run(ValidateTriageForm().run(CollectingDispatcher(), tracker, domain))
    assert not any(e.get("name") == "breakup_count" for e in result)


def test_asking_why_is_not_leaving_the_question_unanswered(domain):
    events = triage_asked_once(
        [
            user("why?", "why_asked"),
            action("action_explain_question"),
            bot("..."),
            action("triage_form"),
            asked("breakup_count"),
            action("action_listen"),
            user("hm why does it matter", "why_asked"),
        ]
    )
    tracker = tracker_with(
        events, {"requested_slot": "breakup_count"}, "hm why does it matter", "why_asked", "triage_form"
    )
    assert times_unanswered(tracker, "breakup_count") == 0


def test_an_answer_the_check_cant_read_twice_is_unknown_without_another_apology(domain):
    events = [
        action("action_listen"),
        user("take the quiz", "start_assessment"),
        action("assessment_form"),
        loop("assessment_form"),
        asked("assess_motive"),
        bot("q"),
        action("action_listen"),
        user("blorp", "nlu_fallback"),
        action("assessment_form"),
        asked("assess_motive"),
        bot("Sorry..."),
        action("action_listen"),
        user("zzz", "nlu_fallback"),
    ]
    tracker = tracker_with(
        events, {"requested_slot": "assess_motive"}, "zzz", "nlu_fallback", "assessment_form"
    )
    dispatcher = CollectingDispatcher()
    result = ValidateAssessmentForm().validate_assess_motive("?", dispatcher, tracker, domain)
    assert result == {"assess_motive": "unknown"} and dispatcher.messages == []


def _reflection_with(first: List[Dict[str, Any]], second: List[Dict[str, Any]]) -> Tracker:
    events = [
        action("action_listen"),
        user("exercise", "start_reflection"),
        action("reflection_form"),
        loop("reflection_form"),
        asked("reflect_1"),
        bot("p"),
        action("action_listen"),
        *first,
        action("reflection_form"),
        asked("reflect_1"),
        action("action_listen"),
        *second,
    ]
    return tracker_with(
        events,
        {"requested_slot": "reflect_1", "reflect_exercise": "admire"},
        second[0]["text"],
        second[0]["parse_data"]["intent"]["name"],
        "reflection_form",
    )


def test_a_reflection_prompt_left_twice_is_skipped():
    def unanswered(text: str) -> List[Dict[str, Any]]:
        # a question no rule answers: the form rejects it and only "I didn't understand" follows
        return [
            user(text, "ask_odds"),
            {"event": "action_execution_rejected", "name": "reflection_form"},
            action("action_explain_scope"),
            bot("I'm sorry, I didn't understand that."),
        ]

    tracker = _reflection_with(unanswered("huh?"), unanswered("what?"))
    result = run(ValidateReflectionForm().run(CollectingDispatcher(), tracker, {}))
    assert any(e.get("name") == "reflect_1" and e.get("value") == "skip" for e in result)


def test_a_reflection_prompt_is_not_skipped_after_two_answered_asides():
    def answered(text: str, intent: str) -> List[Dict[str, Any]]:
        return [
            user(text, intent),
            {"event": "action_execution_rejected", "name": "reflection_form"},
            action("action_give_topic_advice"),
            bot("..."),
        ]

    tracker = _reflection_with(
        answered("what are my odds?", "ask_odds"),
        answered("how long should no contact be?", "ask_no_contact"),
    )
    result = run(ValidateReflectionForm().run(CollectingDispatcher(), tracker, {}))
    assert not any(e.get("name") == "reflect_1" for e in result)


# --- stop asking -------------------------------------------------------------------------------------


def test_stop_asking_ends_the_form(domain):
    tracker = make_tracker(
        slots={"requested_slot": "time_since"},
        intent="stop_asking",
        text="just tell me",
        active_loop="triage_form",
    )
    dispatcher = CollectingDispatcher()
    events = ActionStopAsking().run(dispatcher, tracker, domain)
    assert {"event": "active_loop", "name": None} in [
        {k: e[k] for k in ("event", "name")} for e in events if e["event"] == "active_loop"
    ]
    assert "no more questions" in texts(dispatcher).lower()


# --- a fact about another question: said back, no try used --------------------------------------------


def another_fact_given() -> List[Dict[str, Any]]:
    """Asked whether it is the first breakup, the user said how the ex acts now."""
    return triage_asked_once(
        [
            user("he ignores all my texts", "inform"),
            action("triage_form"),
            {"event": "slot", "name": "ex_behaviour", "value": "silent"},
            asked("breakup_count"),
        ]
    )


def after_another_fact() -> Tracker:
    return tracker_with(
        another_fact_given(),
        {"requested_slot": "breakup_count", "who_ended": "ex", "ex_behaviour": "silent"},
        "he ignores all my texts",
        "inform",
        "triage_form",
    )


def ask_breakup_count(tracker: Tracker, domain) -> CollectingDispatcher:
    dispatcher = CollectingDispatcher()
    ask = next(c for c in AskWithBridge.__subclasses__() if c.slot == "breakup_count")
    ask().run(dispatcher, tracker, domain)
    return dispatcher


def test_a_fact_about_another_question_is_said_back_before_the_question_again(domain):
    dispatcher = ask_breakup_count(after_another_fact(), domain)
    assert (
        texts(dispatcher)
        == "Got it: your ex isn't in touch right now. " + questions()["breakup_count"]["short"]
    )


def test_a_fact_about_another_question_uses_no_try(domain):
    assert times_unanswered(after_another_fact(), "breakup_count") == 0


def test_the_first_question_after_a_first_message_full_of_facts_is_not_said_back(domain):
    """Only a question asked again says back what was heard: the first question of the triage
    comes as it is, even when the first message gave facts."""
    events = [
        action("action_listen"),
        user("he dumped me and ignores my texts", "they_broke_up"),
        {"event": "slot", "name": "ex_behaviour", "value": "silent"},
        action("triage_form"),
        loop("triage_form"),
        asked("breakup_count"),
    ]
    tracker = tracker_with(
        events,
        {"requested_slot": "breakup_count", "who_ended": "ex", "ex_behaviour": "silent"},
        "he dumped me and ignores my texts",
        "they_broke_up",
        "triage_form",
    )
    assert not texts(ask_breakup_count(tracker, domain)).startswith("Got it")


def _asked_again_after(text: str, intent: str, domain) -> str:
    events = triage_asked_once([user(text, intent), action("triage_form"), asked("breakup_count")])
    tracker = tracker_with(
        events, {"requested_slot": "breakup_count", "who_ended": "ex"}, text, intent, "triage_form"
    )
    return texts(ask_breakup_count(tracker, domain))


@pytest.mark.parametrize(
    "text, intent, opening",
    [
        ("do you think he wants me back?", "want_ex_back", "I'll answer as best I can in a moment"),
        ("ugh my ex is so annoying lately", "want_ex_back", "Sorry, I didn't catch an answer there."),
    ],
)
def test_a_question_asked_again_after_a_message_that_answered_nothing_is_not_word_for_word(
    text, intent, opening, domain
):
    """Heard in a conversation: mid-triage, "do you think he wants me back?" got "Is this the first
    time the two of you have broken up?" a second time, word for word, and nothing else."""
    said = _asked_again_after(text, intent, domain)
    assert said.startswith(opening), said
    assert said.endswith(questions()["breakup_count"]["short"][1:])
    assert said != domain["responses"]["utter_ask_breakup_count"][0]["text"]


def test_why_not_after_the_refusal_to_coach_reconciliation_gets_the_reason(domain):
    """Heard in a conversation: after abuse, "but i still love him, how do i get him back" got the
    refusal, and "why not??" got "I only ask what helps me fit the advice", the reason for a
    question nobody asked. It gets the reason for the refusal, with the survivor's topics."""
    from actions.form_digressions import ActionExplainQuestion

    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        slots={"safety": "abuse", "ex_pronoun": "he"}, intent="why_asked", text="why not??"
    )
    ActionExplainQuestion().run(dispatcher, tracker, domain)
    said = texts(dispatcher)
    assert said.startswith("Because of what you told me") and "fit the advice" not in said
    payloads = [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]
    assert payloads and all("survivor" in p for p in payloads[:2])
    other = CollectingDispatcher()
    ActionExplainQuestion().run(other, make_tracker(intent="why_asked", text="why?"), domain)
    assert "fit the advice" in texts(other)


def test_the_check_asks_again_without_its_introduction_after_its_own_apology(domain):
    """Heard in a conversation: an answer the check couldn't read got "Sorry, I didn't quite catch
    that" and then "Let's think it through together: six short questions ..." again, in full."""
    events = [
        action("action_listen"),
        user("help me decide", "start_assessment"),
        action("assessment_form"),
        loop("assessment_form"),
        asked("assess_breakups"),
        bot(domain["responses"]["utter_ask_assess_breakups"][0]["text"]),
        action("action_listen"),
        user("blorp", "nlu_fallback"),
        action("assessment_form"),
        bot("Sorry, I didn't quite catch that."),
        asked("assess_breakups"),
    ]
    tracker = tracker_with(
        events, {"requested_slot": "assess_breakups"}, "blorp", "nlu_fallback", "assessment_form"
    )
    ask = next(
        c
        for c in AskWithBridge.__subclasses__()
        if c.form == "assessment_form" and c.slot == "assess_breakups"
    )
    dispatcher = CollectingDispatcher()
    ask().run(dispatcher, tracker, domain)
    said = texts(dispatcher)
    assert said == questions()["assess_breakups"]["short"], said
    assert "six short questions" not in said


def test_the_first_question_after_an_opening_that_says_it_hurts_comes_after_a_word_of_sympathy(domain):
    """Seen in the web page: "my girlfriend left me last week and i cant stop crying" got only "Is
    this the first time the two of you have broken up?", as if the tears went unheard."""
    said = "my girlfriend left me last week and i cant stop crying"
    events = [
        action("action_listen"),
        user(said, "they_broke_up"),
        action("triage_form"),
        loop("triage_form"),
        asked("breakup_count"),
    ]
    tracker = tracker_with(
        events, {"requested_slot": "breakup_count", "who_ended": "ex"}, said, "they_broke_up", "triage_form"
    )
    assert texts(ask_breakup_count(tracker, domain)).startswith(
        "I'm so sorry, that sounds really painful. Is this"
    )
    plain = "my gf left me last week"
    events[1] = user(plain, "they_broke_up")
    tracker = tracker_with(
        events, {"requested_slot": "breakup_count", "who_ended": "ex"}, plain, "they_broke_up", "triage_form"
    )
    assert not texts(ask_breakup_count(tracker, domain)).startswith("I'm so sorry")
    # Later in the triage, the question again is not preceded by sympathy each time.
    later = triage_asked_once([user(said, "express_sadness"), action("triage_form"), asked("breakup_count")])
    tracker = tracker_with(
        later, {"requested_slot": "breakup_count", "who_ended": "ex"}, said, "express_sadness", "triage_form"
    )
    assert not texts(ask_breakup_count(tracker, domain)).startswith("I'm so sorry")


def test_stop_asking_read_outside_a_form_without_its_words_is_not_answered_with_a_promise(domain):
    """Heard in a conversation: after an abuse disclosure, "i just want things to go back to
    normal" was classified as stop_asking and got "No more questions, I promise." """
    from rasa_sdk.events import FollowupAction

    from actions.form_digressions import ActionStopAsking

    dispatcher = CollectingDispatcher()
    tracker = make_tracker(intent="stop_asking", text="i just want things to go back to normal")
    events = ActionStopAsking().run(dispatcher, tracker, domain)
    assert dispatcher.messages == [] and FollowupAction("action_explain_scope") in events
    asked = CollectingDispatcher()
    ActionStopAsking().run(asked, make_tracker(intent="stop_asking", text="stop asking me questions"), domain)
    assert texts(asked).startswith("No more questions")
