"""The advice actions: the cards of the user's scenario after the triage, and the card of a topic
the user asks about. Both pass the safety gate first."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.content_store import Card, Content, content
from actions.conversation import ActionExplainScope
from actions.rendering import (advice_messages, follow_up_ids, recap_messages, scenario_button,
                               source_line)
from actions.safety import (blocked_reply, follow_ups_after_abuse, reconciliation_blocked,
                            topic_after_abuse)
from actions.situation import infer_scenario

RECAP_SLOT = "recap_subject"     # the subject of the latest recap, for "show it in full again"
CONDITION_SLOTS = ("who_ended", "breakup_count", "time_since", "ex_behaviour", "breakup_style")

content()  # validate the advice content when the action server starts: bad content stops it


def situation_slots(tracker: Tracker) -> Dict[Text, Optional[Text]]:
    return {slot: tracker.get_slot(slot) for slot in CONDITION_SLOTS}


def current_scenario(tracker: Tracker) -> Optional[Text]:
    return infer_scenario(tracker.get_slot("who_ended"), tracker.get_slot("breakup_count"),
                          tracker.get_slot("ex_behaviour"))


def scenario_events(tracker: Tracker, scenario: Optional[Text]) -> List[EventType]:
    if scenario and scenario != tracker.get_slot("scenario"):
        return [SlotSet("scenario", scenario)]
    return []


def mentioned_cheating(tracker: Tracker) -> bool:
    """Whether any message of this conversation named cheating (a red flag that is not abuse)."""
    return any(
        entity.get("entity") == "red_flag" and entity.get("value") == "cheating"
        for event in tracker.events if event.get("event") == "user"
        for entity in (event.get("parse_data") or {}).get("entities") or []
    )


def caution_messages(tracker: Tracker, current: Content, subject_coaches: bool) -> List[Dict[Text, Any]]:
    """The cheating caution, once per conversation, before advice about getting back together."""
    if not subject_coaches or not mentioned_cheating(tracker):
        return []
    caution = current.cautions["cheating"]
    text = f"{caution.text}\n\n{source_line(caution.sources)}"
    if any(event.get("event") == "bot" and event.get("text") == text for event in tracker.events):
        return []
    return [{"text": text}]


def unseen(tracker: Tracker, cards: List[Card]) -> List[Card]:
    """The cards not yet given in this conversation (slot `advice_given`)."""
    given = set(tracker.get_slot("advice_given") or [])
    return [card for card in cards if card.id not in given]


def recap(dispatcher: CollectingDispatcher, tracker: Tracker, current: Content, subject: Text,
          cards: List[Card], follow_ups: List[Text]) -> List[EventType]:
    """A subject given before gets a short recap with "Show it in full again", not the cards again."""
    send(dispatcher, recap_messages(current, subject, cards, tracker.get_slot("ex_pronoun"),
                                    follow_ups))
    return [SlotSet(RECAP_SLOT, subject)]


def given_events(tracker: Tracker, cards: List[Card]) -> List[EventType]:
    """Records the cards given (slot `advice_given`, shown in the user's plan), once each."""
    given = list(tracker.get_slot("advice_given") or [])
    new = [card.id for card in cards if card.id not in given]
    return [SlotSet("advice_given", given + new)] if new else []


# Topics whose advice ends with an offer of a guided feature, as a button.
OFFERS = {
    "should_i_go_back": {
        "text": "Would you like to think it through for your own situation? Six short questions, "
                "and I'll sum up what your answers suggest.",
        "buttons": [{"title": "Help me decide", "payload": "/start_assessment"}],
    },
}


def send(dispatcher: CollectingDispatcher, messages: List[Dict[Text, Any]]) -> None:
    for message in messages:
        dispatcher.utter_message(**message)


class ActionGiveScenarioAdvice(Action):
    def name(self) -> Text:
        return "action_give_scenario_advice"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[EventType]:
        current = content()
        if reconciliation_blocked(tracker):
            blocked_reply(dispatcher, tracker, current)
            return []
        pronoun = tracker.get_slot("ex_pronoun")
        scenario = current_scenario(tracker)
        if scenario is None:
            # The facts don't decide a scenario (e.g. "not sure" who ended it): start from the
            # question every article asks first, and offer the scenarios as buttons.
            cards = current.cards_for("should_i_go_back", situation_slots(tracker))
            if not unseen(tracker, cards):
                return recap(dispatcher, tracker, current, "should_i_go_back", cards, [])
            send(dispatcher, advice_messages(current, cards, pronoun, []))
            given = given_events(tracker, cards)
            dispatcher.utter_message(
                text="If one of these fits your situation, tap it and I'll be more specific:",
                buttons=[scenario_button(current, s, pronoun) for s in current.registry.scenarios],
            )
            return given
        cards = current.cards_for(scenario, situation_slots(tracker))
        fresh = unseen(tracker, cards)
        if not fresh:
            return scenario_events(tracker, scenario) + recap(
                dispatcher, tracker, current, scenario, cards, follow_up_ids(cards))
        send(dispatcher, caution_messages(tracker, current, subject_coaches=True))
        send(dispatcher, advice_messages(current, fresh, pronoun, follow_up_ids(cards)))
        return scenario_events(tracker, scenario) + given_events(tracker, fresh)


class ActionGiveTopicAdvice(Action):
    def name(self) -> Text:
        return "action_give_topic_advice"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[EventType]:
        current = content()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        topic_id = current.topic_by_intent.get(intent)
        if topic_id is None:
            return ActionExplainScope().run(dispatcher, tracker, domain)
        blocked = reconciliation_blocked(tracker)
        if blocked:
            # After abuse: the topic if its card is cleared, else its survivor counterpart.
            topic_id = topic_after_abuse(current, topic_id)
            if topic_id is None:
                blocked_reply(dispatcher, tracker, current)
                return []
        topic = current.registry.topics[topic_id]
        pronoun = tracker.get_slot("ex_pronoun")
        cards = current.cards_for(topic_id, situation_slots(tracker), after_abuse=blocked)
        follow_ups = follow_up_ids(cards, exclude=[topic_id])
        if blocked:
            follow_ups = follow_ups_after_abuse(current, follow_ups, exclude=[topic_id])
        fresh = unseen(tracker, cards)
        if not fresh:
            return scenario_events(tracker, current_scenario(tracker)) + recap(
                dispatcher, tracker, current, topic_id, cards, follow_ups)
        send(dispatcher, caution_messages(tracker, current, topic.coaches_reconciliation))
        send(dispatcher, advice_messages(current, fresh, pronoun, follow_ups))
        if topic_id in OFFERS:
            dispatcher.utter_message(**OFFERS[topic_id])
        return scenario_events(tracker, current_scenario(tracker)) + given_events(tracker, fresh)


class ActionShowInFull(Action):
    """"Show it in full again" after a recap: the cards of that subject, whether given before or not."""

    def name(self) -> Text:
        return "action_show_in_full"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[EventType]:
        current = content()
        subject = next((e.get("value") for e in tracker.latest_message.get("entities") or []
                        if e.get("entity") == RECAP_SLOT), None) or tracker.get_slot(RECAP_SLOT)
        topic = current.registry.topics.get(subject) if subject else None
        if topic is None and subject not in current.registry.scenarios:
            return ActionExplainScope().run(dispatcher, tracker, domain)
        blocked = reconciliation_blocked(tracker)
        if blocked:
            # After abuse, as for a typed topic: the topic if its card is cleared, else its
            # survivor counterpart; scenario advice (about getting back together) never.
            subject = topic_after_abuse(current, subject) if topic is not None else None
            if subject is None:
                blocked_reply(dispatcher, tracker, current)
                return []
        pronoun = tracker.get_slot("ex_pronoun")
        cards = current.cards_for(subject, situation_slots(tracker), after_abuse=blocked)
        follow_ups = follow_up_ids(cards, exclude=[subject])
        if blocked:
            follow_ups = follow_ups_after_abuse(current, follow_ups, exclude=[subject])
        send(dispatcher, advice_messages(current, cards, pronoun, follow_ups))
        if subject in OFFERS:
            dispatcher.utter_message(**OFFERS[subject])
        return given_events(tracker, cards)
