"""The advice actions: the cards of the user's scenario after the triage, and the card of a topic
the user asks about. Both pass the safety gate first."""

from __future__ import annotations

from typing import Any, Dict, List, NamedTuple, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.content_store import Card, Content, content
from actions.messages import message, messages
from actions.conversation import ActionExplainScope
from actions.form_digressions import FORMS
from actions.rendering import (
    NEXT_PART,
    PARTS,
    PART_INTENTS,
    available_parts,
    first_answer_messages,
    follow_up_ids,
    next_messages,
    part_messages,
    parts_menu,
    recap_messages,
    part_button,
    scenario_button,
    source_line,
)
from actions.safety import blocked_reply, follow_ups_after_abuse, reconciliation_blocked, topic_after_abuse
from actions.situation import infer_scenario

RECAP_SLOT = "recap_subject"  # the subject of the latest recap, for "show it in full again"
OPEN_SLOT = "open_subject"  # the subject whose parts the user can ask for next
SHOWN_SLOT = "parts_shown"  # the parts of that subject shown so far
CONDITION_SLOTS = ("who_ended", "breakup_count", "time_since", "ex_behaviour", "breakup_style")

content()  # validate the advice content when the action server starts: bad content stops it
messages()  # and the sentences of messages.yml


def __getattr__(name: Text) -> Text:
    # NOT_YET: the one line said when the user asks what to do mid-questions.
    if name == "NOT_YET":
        return message("advice_not_yet")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def situation_slots(tracker: Tracker) -> Dict[Text, Optional[Text]]:
    return {slot: tracker.get_slot(slot) for slot in CONDITION_SLOTS}


def current_scenario(tracker: Tracker) -> Optional[Text]:
    return infer_scenario(
        tracker.get_slot("who_ended"), tracker.get_slot("breakup_count"), tracker.get_slot("ex_behaviour")
    )


def scenario_events(tracker: Tracker, scenario: Optional[Text]) -> List[EventType]:
    if scenario and scenario != tracker.get_slot("scenario"):
        return [SlotSet("scenario", scenario)]
    return []


def mentioned_cheating(tracker: Tracker) -> bool:
    """Whether any message of this conversation named cheating (a red flag that is not abuse)."""
    return any(
        entity.get("entity") == "red_flag" and entity.get("value") == "cheating"
        for event in tracker.events
        if event.get("event") == "user"
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


def recap(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    current: Content,
    subject: Text,
    cards: List[Card],
    follow_ups: List[Text],
) -> List[EventType]:
    """A subject given before gets a short recap with "Show it again", not the cards again. When
    a fact the user just gave ("a few months", "she blocked me") leads back to it, the fact is
    acknowledged rather than "we went over this earlier"."""
    noted = ((tracker.latest_message or {}).get("intent") or {}).get("name") == "inform"
    pronoun = tracker.get_slot("ex_pronoun")
    send(dispatcher, recap_messages(current, subject, cards, pronoun, follow_ups, noted=noted))
    return [SlotSet(RECAP_SLOT, subject)] + opened(subject)


def opened(subject: Text) -> List[EventType]:
    """The subject whose parts "what should I do?" and the buttons refer to from now on."""
    return [SlotSet(OPEN_SLOT, subject), SlotSet(SHOWN_SLOT, [])]


class Subject(NamedTuple):
    """A scenario or topic as it may be given now: after the abuse gate, with its cards."""

    id: Text
    cards: List[Card]
    follow_ups: List[Text]
    after_abuse: bool


# Where "what do I say?" goes when the open card has no words to use.
SCRIPTS_TOPIC = "reaching_out"


def gated_subject(tracker: Tracker, current: Content, subject: Text) -> Optional[Subject]:
    """The subject's cards and follow-ups through the safety gate, or None when nothing of it
    may be given. After abuse: a topic if its card is cleared, else its survivor counterpart;
    scenario advice (about getting back together) never."""
    blocked = reconciliation_blocked(tracker)
    if blocked:
        subject = topic_after_abuse(current, subject) if subject in current.registry.topics else None
        if subject is None:
            return None
    cards = current.cards_for(subject, situation_slots(tracker), after_abuse=blocked)
    follow_ups = follow_up_ids(cards, exclude=[subject])
    if blocked:
        follow_ups = follow_ups_after_abuse(current, follow_ups, exclude=[subject])
    return Subject(subject, cards, follow_ups, blocked)


def give_first_answer(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    current: Content,
    subject: Subject,
    lead: Optional[List[Card]] = None,
) -> List[EventType]:
    """The first answer to a subject (summaries and the parts as buttons); the cards given are
    recorded for the plan, and the subject is the one the parts refer to from now on."""
    offer = offers().get(subject.id)
    buttons = parts_menu(subject.cards, extra=[offer] if offer else [])
    send(
        dispatcher,
        first_answer_messages(
            current, subject.cards, tracker.get_slot("ex_pronoun"), buttons=buttons, lead=lead
        ),
    )
    return given_events(tracker, lead or subject.cards) + opened(subject.id)


def given_events(tracker: Tracker, cards: List[Card]) -> List[EventType]:
    """Records the cards given (slot `advice_given`, shown in the user's plan), once each."""
    given = list(tracker.get_slot("advice_given") or [])
    new = [card.id for card in cards if card.id not in given]
    return [SlotSet("advice_given", given + new)] if new else []


# Topics whose advice offers a guided feature, as one more button under the first answer.
def offers() -> Dict[Text, Dict[Text, Text]]:
    return {"should_i_go_back": {"title": message("button_help_me_decide_6"), "payload": "/start_assessment"}}


def send(dispatcher: CollectingDispatcher, said: List[Dict[Text, Any]]) -> None:
    for one in said:
        dispatcher.utter_message(**one)


class ActionGiveScenarioAdvice(Action):
    def name(self) -> Text:
        return "action_give_scenario_advice"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        current = content()
        if reconciliation_blocked(tracker):
            blocked_reply(dispatcher, tracker, current)
            return []
        pronoun = tracker.get_slot("ex_pronoun")
        scenario = current_scenario(tracker)
        if scenario is None:
            # The facts don't decide a scenario (e.g. "not sure" who ended it): start from the
            # question every article asks first, and offer the scenarios as buttons.
            subject = gated_subject(tracker, current, "should_i_go_back")
            if not unseen(tracker, subject.cards):
                return recap(dispatcher, tracker, current, subject.id, subject.cards, [])
            # No buttons on the summaries: the scenarios' question below carries them.
            send(dispatcher, first_answer_messages(current, subject.cards, pronoun, buttons=[]))
            dispatcher.utter_message(
                text=message("advice_pick_scenario"),
                buttons=[scenario_button(current, s, pronoun) for s in current.registry.scenarios]
                + [part_button("details")],
            )
            return given_events(tracker, subject.cards) + opened(subject.id)
        subject = gated_subject(tracker, current, scenario)
        fresh = unseen(tracker, subject.cards)
        if not fresh:
            return scenario_events(tracker, scenario) + recap(
                dispatcher, tracker, current, scenario, subject.cards, subject.follow_ups
            )
        send(dispatcher, caution_messages(tracker, current, subject_coaches=True))
        return scenario_events(tracker, scenario) + give_first_answer(
            dispatcher, tracker, current, subject, lead=fresh
        )


class ActionGiveTopicAdvice(Action):
    def name(self) -> Text:
        return "action_give_topic_advice"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        return give_topic_advice(dispatcher, tracker, domain, intent)


def give_topic_advice(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any], intent: Optional[Text]
) -> List[EventType]:
    """The topic of `intent`: its first answer, a recap if it was given, or the survivor
    counterpart after abuse; the menu when `intent` names no topic."""
    current = content()
    topic_id = current.topic_by_intent.get(intent)
    if topic_id is None:
        return ActionExplainScope().run(dispatcher, tracker, domain)
    subject = gated_subject(tracker, current, topic_id)
    if subject is None:
        blocked_reply(dispatcher, tracker, current)
        return []
    fresh = unseen(tracker, subject.cards)
    if not fresh:
        return scenario_events(tracker, current_scenario(tracker)) + recap(
            dispatcher, tracker, current, subject.id, subject.cards, subject.follow_ups
        )
    topic = current.registry.topics[subject.id]
    send(dispatcher, caution_messages(tracker, current, topic.coaches_reconciliation))
    return scenario_events(tracker, current_scenario(tracker)) + give_first_answer(
        dispatcher, tracker, current, subject, lead=fresh
    )


def entity_value(tracker: Tracker, name: Text) -> Optional[Text]:
    return next(
        (e.get("value") for e in tracker.latest_message.get("entities") or [] if e.get("entity") == name),
        None,
    )


class ActionShowInFull(Action):
    """ "Show it again" after a recap: the first answer of that subject, given before or not."""

    def name(self) -> Text:
        return "action_show_in_full"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        current = content()
        subject_id = entity_value(tracker, RECAP_SLOT) or tracker.get_slot(RECAP_SLOT)
        if subject_id not in current.registry.topics and subject_id not in current.registry.scenarios:
            return ActionExplainScope().run(dispatcher, tracker, domain)
        subject = gated_subject(tracker, current, subject_id)
        if subject is None:
            blocked_reply(dispatcher, tracker, current)
            return []
        return give_first_answer(dispatcher, tracker, current, subject)


class ActionShowPart(Action):
    """One part of the open subject's advice: its steps, scripts, cautions, full text or sources
    (a button, or typed: "what do I say to him"), or "Something else" (the follow-up topics).

    The part is taken through the safety gate again: a disclosure of abuse made after the subject
    was opened means its reconciliation parts are never shown."""

    def name(self) -> Text:
        return "action_show_part"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        current = content()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        part = PART_INTENTS.get(intent) or entity_value(tracker, "advice_part")
        open_id = tracker.get_slot(OPEN_SLOT)
        subject_id = open_id
        if not subject_id and tracker.active_loop.get("name") in FORMS:
            # Mid-questions, nothing given yet: one line, then the form asks its question again.
            dispatcher.utter_message(text=message("advice_not_yet"))
            return []
        if part == "scripts" and not subject_id:
            # "ok what should i write instead", after a message check or with nothing open: the
            # words for reaching out (through the safety gate below), not the menu.
            subject_id = SCRIPTS_TOPIC
        shown = list(tracker.get_slot(SHOWN_SLOT) or []) if open_id else []
        if part is None and subject_id:
            # "more please", typed: the next part not shown yet, else the ways on.
            part = next((p for p in PARTS if p not in shown), NEXT_PART)
        if (
            part not in PARTS
            and part != NEXT_PART
            or not subject_id
            or (subject_id not in current.registry.topics and subject_id not in current.registry.scenarios)
        ):
            # Nothing open to take further (or a forged payload): what the advisor can help with.
            return ActionExplainScope().run(dispatcher, tracker, domain)
        subject = gated_subject(tracker, current, subject_id)
        if subject is None:
            blocked_reply(dispatcher, tracker, current)
            return [SlotSet(OPEN_SLOT, None)]
        pronoun = tracker.get_slot("ex_pronoun")
        if part == NEXT_PART:
            send(dispatcher, next_messages(current, pronoun, subject.follow_ups))
            return []
        if part not in available_parts(subject.cards):
            if part == "scripts" and not subject.after_abuse and subject.id != SCRIPTS_TOPIC:
                # "what do I say to her?" about a card with no words to use ("She ended it: where
                # to start"): the words for reaching out, said to be that, not the same card again.
                words = gated_subject(tracker, current, SCRIPTS_TOPIC)
                if words is not None and "scripts" in available_parts(words.cards):
                    dispatcher.utter_message(text=message("scripts_from_reaching_out"))
                    send(
                        dispatcher,
                        part_messages(current, words.cards, "scripts", 1, pronoun, [], words.follow_ups),
                    )
                    return [SlotSet(OPEN_SLOT, SCRIPTS_TOPIC), SlotSet(SHOWN_SLOT, ["scripts"])]
            # The cards have no such part: after abuse, "what should I say to him?" about a topic
            # whose survivor counterpart has no scripts. Its first answer, never an empty reply.
            return give_first_answer(dispatcher, tracker, current, subject)
        try:
            page = int(entity_value(tracker, "advice_page") or 1)
        except ValueError:
            page = 1
        send(
            dispatcher, part_messages(current, subject.cards, part, page, pronoun, shown, subject.follow_ups)
        )
        events: List[EventType] = [] if subject.id == open_id else [SlotSet(OPEN_SLOT, subject.id)]
        if part not in shown:
            events.append(SlotSet(SHOWN_SLOT, shown + [part]))
        return events
