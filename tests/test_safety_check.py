"""The gentle safety check (actions/safety_check.py)."""

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet

from actions.content_store import content
from actions.safety import country_payload
from actions.safety_check import ActionSafetyCheck, ActionSafetyOk, ActionShowCrisisLines
from conftest import make_tracker, payloads, texts, with_events


def test_the_check_asks_gently_with_three_buttons_and_records_the_disclosure(dispatcher, domain):
    tracker = make_tracker(intent="hint_self_harm", text="when he left i just wanted to die")
    events = ActionSafetyCheck().run(dispatcher, tracker, domain)
    assert "Are you safe right now?".lower() in texts(dispatcher).lower()
    assert payloads(dispatcher) == ["/safety_ok", "/express_crisis", "/show_crisis_lines"]
    assert "116 123" not in texts(dispatcher)  # not the full alarm
    assert SlotSet("safety", "crisis") in events and SlotSet("crisis_disclosed", True) in events
    assert SlotSet("safety_paused_form", None) in events


def test_the_check_pauses_an_active_form(dispatcher, domain):
    tracker = make_tracker(
        intent="hint_self_harm", active_loop="triage_form", slots={"requested_slot": "breakup_count"}
    )
    events = ActionSafetyCheck().run(dispatcher, tracker, domain)
    assert ActiveLoop(None) in events
    assert SlotSet("safety_paused_form", "triage_form") in events


def test_the_check_keeps_an_abuse_disclosure(dispatcher, domain):
    tracker = make_tracker(intent="hint_self_harm", slots={"safety": "abuse"})
    events = ActionSafetyCheck().run(dispatcher, tracker, domain)
    assert not [e for e in events if e.get("name") == "safety"]


def test_safe_is_a_warm_line_and_a_bridge_back_to_the_form(dispatcher, domain):
    tracker = make_tracker(intent="safety_ok", slots={"safety_paused_form": "triage_form"})
    events = ActionSafetyOk().run(dispatcher, tracker, domain)
    assert "glad you're safe" in texts(dispatcher)
    assert "Back to where we were" in texts(dispatcher)
    assert events == [SlotSet("safety_paused_form", None)]


def _safe_after(disclosure: str, intent: str = "express_crisis"):
    base = make_tracker(intent="safety_ok", text="I'm safe")
    events = [
        {"event": "user", "text": disclosure, "parse_data": {"intent": {"name": intent}}},
        {"event": "action", "name": "action_respond_to_crisis"},
        {"event": "user", "text": "I'm safe", "parse_data": {"intent": {"name": "safety_ok"}}},
    ]
    return with_events(base, events)


def test_safe_hands_back_the_question_the_disclosure_message_also_asked(dispatcher, domain):
    """Heard in a conversation: "he broke up with me 2 weeks ago. honestly some nights i wish i
    could just not wake up. anyway should i text him?" got the crisis reply (rightly alone); then
    "I'm safe" got a warm line and the question was never seen again."""
    said = "he broke up with me 2 weeks ago. honestly some nights i wish i could just not wake up. anyway should i text him?"
    ActionSafetyOk().run(dispatcher, _safe_after(said), domain)
    assert "glad you're safe" in texts(dispatcher)
    assert "“anyway should i text him?”" in texts(dispatcher)
    assert payloads(dispatcher) == ["anyway should i text him?"]


@pytest.mark.parametrize(
    "said",
    [
        "i dont want to be here anymore",  # asked nothing
        "should i just end it all?",  # the question is the disclosure itself
        "/express_crisis",  # the "I'm not safe" button
    ],
)
def test_safe_hands_back_nothing_when_nothing_else_was_asked(said, dispatcher, domain):
    ActionSafetyOk().run(dispatcher, _safe_after(said), domain)
    assert texts(dispatcher).startswith("I'm glad you're safe") and "You also asked" not in texts(dispatcher)
    assert payloads(dispatcher) == []


def test_show_me_the_lines_for_a_user_in_the_uk_gives_uk_lines_first(dispatcher, domain):
    tracker = make_tracker(intent="show_crisis_lines", slots={"user_country": "GB"})
    events = ActionShowCrisisLines().run(dispatcher, tracker, domain)
    said = texts(dispatcher)
    assert said.index("Samaritans") < said.index("findahelpline.com")
    assert "call 999" in said
    assert "988" not in said and "13 11 14" not in said and "1737" not in said  # not every country's
    assert "I'm really glad you told me" not in said  # not the alarm
    assert payloads(dispatcher) == [country_payload()]  # "Lines in another country"
    assert SlotSet("safety", "crisis") in events and SlotSet("safety_paused_form", None) in events


def test_show_me_the_lines_for_a_browser_in_australia(dispatcher, domain):
    tracker = make_tracker(intent="show_crisis_lines")
    tracker.events = [{"event": "user", "text": "show me the lines", "metadata": {"language": "en-AU"}}]
    ActionShowCrisisLines().run(dispatcher, tracker, domain)
    said = texts(dispatcher)
    assert said.index("13 11 14") < said.index("findahelpline.com") and "116 123" not in said


def test_show_me_the_lines_without_a_country_gives_the_directory_and_the_countries(dispatcher, domain):
    ActionShowCrisisLines().run(dispatcher, make_tracker(intent="show_crisis_lines"), domain)
    said = texts(dispatcher)
    directory = [line for line in content().resources.crisis if line.region == "Anywhere"]
    assert directory and directory[0].contact in said
    assert "116 123" not in said and "988" not in said  # no country guessed
    assert "Tell me your country" in said
    assert payloads(dispatcher) == [country_payload(code) for code in content().resources.countries]


def test_show_me_the_lines_after_abuse_keeps_the_abuse_flag(dispatcher, domain):
    tracker = make_tracker(intent="show_crisis_lines", slots={"safety": "abuse"})
    events = ActionShowCrisisLines().run(dispatcher, tracker, domain)
    assert not [e for e in events if e.get("name") == "safety"]


def test_the_english_only_reply_points_to_the_international_directory(domain):
    reply = domain["responses"]["utter_only_english"][0]["text"]
    anywhere = [r for r in content().resources.crisis if r.region == "Anywhere"]
    assert anywhere and anywhere[0].contact in reply
