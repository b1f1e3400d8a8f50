"""The custom actions, run against rasa-sdk trackers built in memory."""

import pytest
from rasa_sdk.events import ActiveLoop, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.advice import ActionGiveScenarioAdvice, ActionGiveTopicAdvice
from actions.content_store import content
from actions.pronouns import fill
from actions.conversation import ActionExplainScope, ActionSessionStart
from actions.safety import (
    ActionRespondToAbuse,
    ActionRespondToCrisis,
    country_payload,
    safe_topics,
    topic_after_abuse,
)
from conftest import make_tracker, payloads, press_every_part, texts

CONTENT = content()
RECONCILING = [t for t, v in CONTENT.registry.topics.items() if v.coaches_reconciliation]
SAFE = safe_topics(CONTENT)  # topics whose main card is cleared after abuse
# Topics with no answer after abuse: the blocked reply. The others answer with a survivor topic.
REFUSED = [t for t in CONTENT.registry.topics if topic_after_abuse(CONTENT, t) is None]
REDIRECTED = [t for t in CONTENT.registry.topics if topic_after_abuse(CONTENT, t) not in (None, t)]
SCENARIO_FACTS = {
    "he_broke_up": {"who_ended": "ex", "breakup_count": "first"},
    "you_broke_up": {"who_ended": "me", "breakup_count": "first"},
    "hot_and_cold": {"who_ended": "ex", "breakup_count": "first", "ex_behaviour": "hot_and_cold"},
    "second_breakup": {"who_ended": "me", "breakup_count": "repeat"},
}


def run(action, tracker, dispatcher, domain):
    return action.run(dispatcher, tracker, domain)


# --- safety ----------------------------------------------------------------------------------


def test_crisis_reply_gives_lines_for_anywhere_and_no_advice(dispatcher, domain):
    tracker = make_tracker(intent="express_crisis", text="i want to end my life")
    events = run(ActionRespondToCrisis(), tracker, dispatcher, domain)
    said = texts(dispatcher)
    assert "findahelpline.com" in said  # no country known: the directory, and a
    assert all(p.startswith("/choose_country") for p in payloads(dispatcher))  # country picker
    assert payloads(dispatcher)  # no advice buttons in a crisis turn
    assert SlotSet("safety", "crisis") in events and SlotSet("crisis_disclosed", True) in events


def test_crisis_in_the_triage_ends_the_form(dispatcher, domain):
    tracker = make_tracker(
        intent="express_crisis", active_loop="triage_form", slots={"requested_slot": "time_since"}
    )
    events = run(ActionRespondToCrisis(), tracker, dispatcher, domain)
    assert ActiveLoop(None) in events and SlotSet("requested_slot", None) in events


def test_crisis_after_abuse_keeps_the_abuse_flag(dispatcher, domain):
    events = run(ActionRespondToCrisis(), make_tracker(slots={"safety": "abuse"}), dispatcher, domain)
    assert not any(isinstance(e, dict) and e.get("name") == "safety" for e in events)


def test_abuse_reply_advises_against_going_back(dispatcher, domain):
    events = run(ActionRespondToAbuse(), make_tracker(intent="disclose_abuse"), dispatcher, domain)
    said = texts(dispatcher)
    assert "findahelpline.com" in said
    assert "won't give advice on winning" in said
    assert SlotSet("safety", "abuse") in events
    offered = {p.lstrip("/") for p in payloads(dispatcher) if not p.startswith("/choose_country")}
    assert offered == {CONTENT.registry.topics[t].intent for t in CONTENT.registry.survivor_path}


def test_abuse_turn_keeps_the_facts_its_words_state(domain):
    # "I finally left him after he hit me": the pattern says who ended it; the scenario is
    # recorded, the reply is the same abuse reply, and no advice card comes with it.
    said = CollectingDispatcher()
    tracker = make_tracker(
        intent="disclose_abuse",
        text="i finally left him after he hit me",
        entities=[{"entity": "who_ended", "value": "me"}, {"entity": "red_flag", "value": "violence"}],
    )
    events = run(ActionRespondToAbuse(), tracker, said, domain)
    plain = CollectingDispatcher()
    run(ActionRespondToAbuse(), make_tracker(intent="disclose_abuse"), plain, domain)
    assert SlotSet("who_ended", "me") in events and SlotSet("scenario", "you_broke_up") in events
    assert said.messages == plain.messages


def test_the_abuse_reply_uses_the_pronoun_of_the_disclosure_itself(domain):
    """Heard in a conversation: mid-check, "he used to go through my phone and tell me who i could
    see" got the survivor's topics as "Staying safe if they get in touch": Rasa's own mapping does
    not fill the pronoun while a form waits."""
    said = CollectingDispatcher()
    tracker = make_tracker(
        intent="disclose_abuse",
        text="he used to go through my phone and tell me who i could see",
        entities=[{"entity": "ex_pronoun", "value": "he"}, {"entity": "red_flag", "value": "control"}],
        active_loop="assessment_form",
    )
    events = run(ActionRespondToAbuse(), tracker, said, domain)
    titles = [b["title"] for m in said.messages for b in m.get("buttons") or []]
    assert "Staying safe if he gets in touch" in titles and not any(" they " in f" {t} " for t in titles)
    assert SlotSet("ex_pronoun", "he") in events


@pytest.mark.parametrize(
    "text, span, noted",
    [
        ("my ex says he'll kill himself if i dont take him back", "he'll kill himself if", True),
        ("she threatened to end her life if i leave", "threatened to end her", True),
        ("he threatened to kill me if i left", "threatened to kill me", False),
    ],
)
def test_an_ex_threatening_to_harm_themselves_gets_a_word_on_it(text, span, noted, domain):
    """Heard in a conversation: "my ex says he'll kill himself if i dont take him back" got the
    abuse reply with nothing about the threat or about an ex who may be in danger."""
    said = CollectingDispatcher()
    start = text.index(span)
    entities = [{"entity": "red_flag", "value": "threat", "start": start, "end": start + len(span)}]
    run(
        ActionRespondToAbuse(),
        make_tracker(intent="disclose_abuse", text=text, entities=entities),
        said,
        domain,
    )
    reply = said.messages[0]["text"]
    assert ("in danger right now, call your local emergency number for them" in reply) is noted
    assert "won't give advice on winning" in reply and "findahelpline.com" in reply


def test_safety_turn_keeps_known_facts_and_ignores_guesses(domain):
    # A fact the user gave earlier is not overwritten, and no entity means no fact: the
    # classifier's guess alone never fills one on a safety turn.
    known = make_tracker(
        slots={"who_ended": "ex", "scenario": "he_broke_up"},
        intent="express_crisis",
        entities=[{"entity": "who_ended", "value": "me"}],
    )
    events = run(ActionRespondToCrisis(), known, CollectingDispatcher(), domain)
    assert not [e for e in events if e.get("name") in ("who_ended", "scenario")]
    guessed = make_tracker(intent="express_crisis", text="he left me and i want to die")
    events = run(ActionRespondToCrisis(), guessed, CollectingDispatcher(), domain)
    assert not [e for e in events if e.get("name") in ("who_ended", "scenario")]
    repeat = make_tracker(
        intent="express_crisis",
        entities=[{"entity": "who_ended", "value": "ex"}, {"entity": "breakup_count", "value": "repeat"}],
    )
    events = run(ActionRespondToCrisis(), repeat, CollectingDispatcher(), domain)
    assert SlotSet("scenario", "second_breakup") in events
    # "My boyfriend hit me. It's the third time": the count is about the harm, not a breakup.
    harm = make_tracker(
        intent="disclose_abuse",
        entities=[
            {"entity": "breakup_count", "value": "repeat"},
            {"entity": "red_flag", "value": "violence"},
        ],
    )
    events = run(ActionRespondToAbuse(), harm, CollectingDispatcher(), domain)
    assert not [e for e in events if e.get("name") in ("breakup_count", "scenario")]


@pytest.mark.parametrize("topic_id", REFUSED)
def test_no_reconciliation_advice_after_abuse(topic_id, dispatcher, domain):
    intent = CONTENT.registry.topics[topic_id].intent
    tracker = make_tracker(slots={"safety": "abuse"}, intent=intent, text=f"/{intent}")
    run(ActionGiveTopicAdvice(), tracker, dispatcher, domain)
    said = texts(dispatcher)
    assert "won't help with getting back together" in said
    assert CONTENT.main_card(topic_id).text.split("\n")[0][:40] not in said
    assert set(payloads(dispatcher)) <= {f"/{CONTENT.registry.topics[t].intent}" for t in SAFE}


@pytest.mark.parametrize("topic_id", REDIRECTED)
def test_after_abuse_a_blocked_topic_answers_with_its_survivor_topic(topic_id, dispatcher, domain):
    intent = CONTENT.registry.topics[topic_id].intent
    tracker = make_tracker(slots={"safety": "abuse", "ex_pronoun": "he"}, intent=intent, text=f"/{intent}")
    run(ActionGiveTopicAdvice(), tracker, dispatcher, domain)
    said = texts(dispatcher)
    instead = CONTENT.main_card(CONTENT.registry.topics[topic_id].after_abuse_instead)
    assert instead.title.replace("{them}", "him").replace("{they}", "he").split("{")[0] in said
    assert CONTENT.main_card(topic_id).text.split("\n")[0][:40] not in said


def test_couples_counselling_is_blocked_after_abuse_and_individual_help_offered(dispatcher, domain):
    slots = {"safety": "abuse"}
    tracker = make_tracker(slots=slots, intent="ask_counselling", text="should we see a counsellor")
    events = run(ActionGiveTopicAdvice(), tracker, dispatcher, domain)
    said = texts(press_every_part(dispatcher, events, slots, domain))
    assert "individual counselling" in said and "support groups" in said
    assert "Couples counselling is not advised when there has been abuse" in said
    assert CONTENT.main_card("counselling").title not in said


@pytest.mark.parametrize("scenario", sorted(SCENARIO_FACTS))
def test_no_scenario_advice_after_abuse(scenario, dispatcher, domain):
    tracker = make_tracker(slots={"safety": "abuse", **SCENARIO_FACTS[scenario]})
    events = run(ActionGiveScenarioAdvice(), tracker, dispatcher, domain)
    assert "won't help with getting back together" in texts(dispatcher)
    assert events == []


@pytest.mark.parametrize("topic_id", SAFE)
def test_healing_topics_stay_open_after_abuse(topic_id, dispatcher, domain):
    intent = CONTENT.registry.topics[topic_id].intent
    slots = {"safety": "abuse"}
    events = run(ActionGiveTopicAdvice(), make_tracker(slots=slots, intent=intent), dispatcher, domain)
    everything = press_every_part(dispatcher, events, slots, domain)
    said = texts(everything)
    assert "Where this advice comes from" in said and "won't help" not in said
    for payload in payloads(everything):
        if payload in ("/express_crisis", "/disclose_abuse", "/help") or payload.startswith("/advice_part"):
            continue  # a pointer to the safety replies, the menu, a part
        topic = CONTENT.topic_by_intent[payload.lstrip("/")]
        assert CONTENT.cleared_after_abuse(topic)


# --- advice ----------------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", sorted(SCENARIO_FACTS))
@pytest.mark.parametrize("pronoun, word", [("he", "him"), ("she", "her"), ("they", "them")])
def test_scenario_advice(scenario, pronoun, word, dispatcher, domain):
    slots = {"ex_pronoun": pronoun, **SCENARIO_FACTS[scenario]}
    events = run(ActionGiveScenarioAdvice(), make_tracker(slots=slots), dispatcher, domain)
    assert SlotSet("scenario", scenario) in events
    assert len(dispatcher.messages) <= 4  # a phone screen, not a wall
    everything = press_every_part(dispatcher, events, slots, domain)
    said = texts(everything)
    main = CONTENT.main_card(scenario)
    assert CONTENT.sources[main.sources[0]] in said  # the card cites its source by title
    assert "{" not in said
    follow_ups = [p for p in payloads(everything) if p.lstrip("/") in CONTENT.topic_by_intent]
    assert 1 <= len(set(follow_ups)) <= 4  # "Something else" offers topics


def test_scenario_variants_follow_the_facts(dispatcher, domain):
    variant = next(
        c for c in CONTENT.by_subject["he_broke_up"] if c.when.get("breakup_style") == ["pulled_away"]
    )
    tracker = make_tracker(slots={"who_ended": "ex", "breakup_style": "pulled_away"})
    run(ActionGiveScenarioAdvice(), tracker, dispatcher, domain)
    assert variant.title.replace("{They}", "They") in texts(dispatcher)


def test_undecided_scenario_offers_the_scenarios(dispatcher, domain):
    tracker = make_tracker(slots={"who_ended": "unknown", "breakup_count": "unknown"})
    events = run(ActionGiveScenarioAdvice(), tracker, dispatcher, domain)
    assert SlotSet("advice_given", ["should_i_go_back_main"]) in events
    assert not any(e.get("name") == "scenario" for e in events)  # no scenario set
    assert {f"/{s.intent}" for s in CONTENT.registry.scenarios.values()} <= set(payloads(dispatcher))


@pytest.mark.parametrize("topic_id", sorted(CONTENT.registry.topics))
def test_every_topic_answers_with_its_card(topic_id, dispatcher, domain):
    intent = CONTENT.registry.topics[topic_id].intent
    slots = {"ex_pronoun": "she"}
    events = run(ActionGiveTopicAdvice(), make_tracker(intent=intent, slots=slots), dispatcher, domain)
    assert len(dispatcher.messages) <= 4  # a phone screen, not a wall
    everything = press_every_part(dispatcher, events, slots, domain)
    said = texts(everything)
    card = CONTENT.main_card(topic_id)
    assert CONTENT.source_title(card.sources[0]) in said and ".txt" not in said
    assert "guide_" not in said
    assert all(fill(step, "she") in said for step in card.steps)  # every step, on request
    assert f"/{intent}" not in payloads(everything)  # never offers itself again


def test_topic_advice_sets_the_scenario_when_known(dispatcher, domain):
    tracker = make_tracker(intent="ask_no_contact", slots={"who_ended": "me"})
    events = run(ActionGiveTopicAdvice(), tracker, dispatcher, domain)
    assert SlotSet("scenario", "you_broke_up") in events


def test_topic_action_on_a_non_topic_intent_shows_the_menu(dispatcher, domain):
    run(ActionGiveTopicAdvice(), make_tracker(intent="greet"), dispatcher, domain)
    assert "/they_broke_up" in payloads(dispatcher)


# --- conversation ----------------------------------------------------------------------------


def test_session_start_shows_the_disclaimer_and_keeps_slots(dispatcher, domain):
    tracker = make_tracker(slots={"safety": "abuse", "ex_pronoun": "he", "requested_slot": "time_since"})
    events = run(ActionSessionStart(), tracker, dispatcher, domain)
    assert dispatcher.messages[0]["response"] == "utter_disclaimer"
    assert events[0] == SessionStarted()
    assert SlotSet("safety", "abuse") in events and SlotSet("ex_pronoun", "he") in events
    assert SlotSet("requested_slot", "time_since") not in events


WELCOME_BACK = "how are you doing now?"


def test_a_first_session_and_one_after_abuse_alone_open_with_the_disclaimer_only(dispatcher, domain):
    run(ActionSessionStart(), make_tracker(), dispatcher, domain)
    run(ActionSessionStart(), make_tracker(slots={"safety": "abuse"}), dispatcher, domain)
    assert [m.get("response") for m in dispatcher.messages] == ["utter_disclaimer", "utter_disclaimer"]
    assert WELCOME_BACK not in texts(dispatcher)


def test_a_session_after_a_crisis_asks_how_the_user_is_with_their_countrys_lines(dispatcher, domain):
    tracker = make_tracker(slots={"safety": "crisis", "crisis_disclosed": True, "user_country": "GB"})
    events = run(ActionSessionStart(), tracker, dispatcher, domain)
    assert dispatcher.messages[0]["response"] == "utter_disclaimer"
    welcome = dispatcher.messages[1]["text"]
    assert WELCOME_BACK in welcome and len(dispatcher.messages) == 2
    assert welcome.index("Samaritans") < welcome.index("findahelpline.com") and "call 999" in welcome
    assert "988" not in welcome and "13 11 14" not in welcome
    # "I'm doing better now", then lines in another country
    assert payloads(dispatcher) == ["/feeling_better", country_payload()]
    # The crisis stays remembered for the next session; nothing in this session repeats it.
    assert SlotSet("safety", "crisis") in events and SlotSet("crisis_disclosed", True) in events


def test_a_session_after_a_crisis_uses_the_language_the_new_session_came_with(dispatcher, domain):
    tracker = make_tracker(slots={"safety": "crisis", "session_started_metadata": {"language": "en-AU"}})
    tracker.events = [{"event": "user", "text": "i want to die", "metadata": {"language": "en"}}]
    run(ActionSessionStart(), tracker, dispatcher, domain)
    welcome = dispatcher.messages[1]["text"]
    assert welcome.index("13 11 14") < welcome.index("findahelpline.com") and "116 123" not in welcome


def test_a_session_after_a_crisis_without_a_country_gives_the_directory(dispatcher, domain):
    run(ActionSessionStart(), make_tracker(slots={"safety": "crisis"}), dispatcher, domain)
    welcome = dispatcher.messages[1]["text"]
    assert WELCOME_BACK in welcome and "findahelpline.com" in welcome and "116 123" not in welcome
    assert "Tell me your country" in welcome
    assert payloads(dispatcher) == ["/feeling_better"] + [
        country_payload(code) for code in CONTENT.resources.countries
    ]


def test_a_crisis_then_abuse_gets_the_question_too_and_reconciliation_stays_blocked(dispatcher, domain):
    crisis = run(ActionRespondToCrisis(), make_tracker(slots={"safety": "abuse"}), dispatcher, domain)
    assert SlotSet("crisis_disclosed", True) in crisis
    later = make_tracker(slots={"safety": "abuse", "crisis_disclosed": True})
    events = run(ActionSessionStart(), later, dispatcher, domain)
    assert WELCOME_BACK in texts(dispatcher)
    assert SlotSet("safety", "abuse") in events and SlotSet("crisis_disclosed", True) in events


def test_doing_better_stops_the_welcome_back_and_keeps_the_lines_one_tap_away(dispatcher, domain):
    """After a crisis the welcome-back came at every later session, with no way to say "I'm okay
    now"."""
    from actions.safety_check import ActionFeelingBetter

    crisis = {"safety": "crisis", "crisis_disclosed": True, "user_country": "GB"}
    better = run(
        ActionFeelingBetter(),
        make_tracker(slots=crisis, intent="feeling_better", text="I'm doing better now"),
        dispatcher,
        domain,
    )
    assert SlotSet("doing_better", True) in better
    assert "/show_crisis_lines" in payloads(dispatcher)
    later = CollectingDispatcher()
    events = run(ActionSessionStart(), make_tracker(slots=dict(crisis, doing_better=True)), later, domain)
    assert WELCOME_BACK not in texts(later) and [m.get("response") for m in later.messages] == [
        "utter_disclaimer"
    ]
    assert SlotSet("doing_better", True) in events and SlotSet("crisis_disclosed", True) in events


def test_the_welcome_back_button_says_doing_better(domain):
    from actions.safety_check import ActionFeelingBetter

    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        slots={"safety": "crisis", "crisis_disclosed": True}, intent="feeling_better", text="/feeling_better"
    )
    assert SlotSet("doing_better", True) in run(ActionFeelingBetter(), tracker, dispatcher, domain)


def test_not_doing_better_keeps_the_welcome_back_and_gives_the_lines(dispatcher, domain):
    from actions.safety_check import ActionFeelingBetter

    tracker = make_tracker(
        slots={"safety": "crisis", "crisis_disclosed": True},
        intent="feeling_better",
        text="I'm not doing any better",
    )
    events = run(ActionFeelingBetter(), tracker, dispatcher, domain)
    assert SlotSet("doing_better", True) not in events and "findahelpline.com" in texts(dispatcher)


def test_a_new_crisis_after_doing_better_brings_the_welcome_back_again(dispatcher, domain):
    tracker = make_tracker(
        intent="express_crisis",
        text="i want to end my life",
        slots={"safety": "crisis", "crisis_disclosed": True, "doing_better": True},
    )
    events = run(ActionRespondToCrisis(), tracker, dispatcher, domain)
    assert SlotSet("doing_better", None) in events
    assert all(p.startswith("/choose_country") for p in payloads(dispatcher))  # the reply as ever


@pytest.mark.parametrize(
    "text, intent, opening",
    [
        ("", "nlu_fallback", "empty"),
        ("\U0001f622\U0001f622", "nlu_fallback", "didn't understand"),
        ("quel temps fait-il", "nlu_fallback", "only read English"),
        ("help", "help", "I can help"),
    ],
)
def test_menu_explains_itself(text, intent, opening, dispatcher, domain):
    run(ActionExplainScope(), make_tracker(intent=intent, text=text), dispatcher, domain)
    assert opening in texts(dispatcher)
    assert "/they_broke_up" in payloads(dispatcher)


def test_menu_after_abuse_offers_only_healing(dispatcher, domain):
    run(ActionExplainScope(), make_tracker(slots={"safety": "abuse"}), dispatcher, domain)
    tools = {"/ask_no_contact_day", "/start_reflection", "/show_plan"}
    assert set(payloads(dispatcher)) == {f"/{CONTENT.registry.topics[t].intent}" for t in SAFE} | tools


def test_menu_offers_the_tools_and_how_to_delete_data(dispatcher, domain):
    run(ActionExplainScope(), make_tracker(intent="help", text="help"), dispatcher, domain)
    assert {"/ask_no_contact_day", "/start_assessment", "/start_reflection", "/show_plan"} <= set(
        payloads(dispatcher)
    )
    assert "delete my data" in texts(dispatcher)


def _cheating_events():
    return [
        {
            "event": "user",
            "text": "he cheated on me",
            "parse_data": {"entities": [{"entity": "red_flag", "value": "cheating"}]},
        }
    ]


def test_cheating_adds_a_caution_once(dispatcher, domain):
    from rasa_sdk.executor import CollectingDispatcher

    tracker = make_tracker(slots={"who_ended": "ex"})
    tracker.events = _cheating_events()
    run(ActionGiveScenarioAdvice(), tracker, dispatcher, domain)
    caution = dispatcher.messages[0]["text"]
    assert (
        caution.startswith("You mentioned cheating")
        and CONTENT.sources["003_aba2c695b2c2fc8b.txt"] in caution
    )
    tracker.events.append({"event": "bot", "text": caution})
    again = CollectingDispatcher()
    tracker2 = make_tracker(intent="ask_reaching_out")
    tracker2.events = tracker.events
    run(ActionGiveTopicAdvice(), tracker2, again, domain)
    assert "You mentioned cheating" not in texts(again)


def test_no_caution_on_healing_topics(dispatcher, domain):
    tracker = make_tracker(intent="ask_healing")
    tracker.events = _cheating_events()
    run(ActionGiveTopicAdvice(), tracker, dispatcher, domain)
    assert "You mentioned cheating" not in texts(dispatcher)
