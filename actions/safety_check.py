"""The gentle safety check.

Past-tense or ambiguous self-harm wording ("when he left I just wanted to die", "I used to cut")
is a disclosure, so it sets `safety: crisis` like the crisis reply does, but what the user hears is
a question, not the alarm: "Are you safe right now?" with three buttons.
- "I'm not safe" sends /express_crisis: the crisis reply (actions/safety.py) follows.
- "I'm safe" (or a typed yes): a warm line, and the conversation goes on where it was. A form that
  was active is paused while the question is open (so a typed "no" is never taken as a form answer)
  and resumes after the warm line (data/rules/safety_check.yml).
- "Show me the lines": the crisis lines, without the alarm: the user's country's lines first,
  then the international directory, with the way to another country's lines (actions/safety.py).
The lines come from content/safety_resources.yml, like every safety reply; the words are in
content/messages.yml.

"I'm doing better now" (or the button under the welcome-back of a later session) stops that
welcome-back from then on, with the lines one tap away; a new disclosure brings it back.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.content_store import content
from actions.country import user_country
from actions.messages import message
from nlp.answers import matches
from nlp.language import mostly_not_english
from actions.safety import (
    DOING_BETTER,
    crisis_lines_message,
    crisis_recorded,
    crisis_remembered,
    facts_kept,
    line_buttons,
)

PAUSABLE_FORMS = ("triage_form", "assessment_form", "reflection_form")


def show_lines_button() -> Dict[Text, Text]:
    return {"title": message("button_show_lines"), "payload": "/show_crisis_lines"}


def check_buttons() -> List[Dict[Text, Text]]:
    return [
        {"title": message("button_safe"), "payload": "/safety_ok"},
        {"title": message("button_not_safe"), "payload": "/express_crisis"},
        show_lines_button(),
    ]


class ActionSafetyCheck(Action):
    def name(self) -> Text:
        return "action_safety_check"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        if mostly_not_english(text):
            question = message("safety_check_question_other_language")
        else:
            question = message("safety_check_question")
        dispatcher.utter_message(text=question, buttons=check_buttons())
        events = crisis_recorded(tracker)
        form = tracker.active_loop.get("name") if tracker.active_loop else None
        paused = form if form in PAUSABLE_FORMS else None
        # Always emitted (a no-op outside a form), so the rules with and without a form agree.
        return (
            events
            + [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("safety_paused_form", paused)]
            + facts_kept(tracker)
        )


# The intents whose reply is the crisis reply or the gentle check: "I'm safe" answers those.
DISCLOSURE_INTENTS = ("express_crisis", "hint_self_harm")
# Sentence ends; a question set aside is quoted only when it is short enough to read as one.
_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+|\n+")
MAX_QUESTION_CHARS = 140


def question_set_aside(tracker: Tracker) -> Optional[Text]:
    """The question the user asked in the message that got the crisis reply or the safety check,
    after the disclosure ("... some nights i wish i could not wake up. anyway should i text him?"):
    the safety reply came alone, so once the user says they are safe, the question is handed back.
    None when that message asked nothing after its first sentence."""
    events = list(tracker.events or [])
    users = [e for e in events if e.get("event") == "user"]
    for event in reversed(users[:-1]):  # the latest is "I'm safe" itself
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent not in DISCLOSURE_INTENTS:
            continue
        text = (event.get("text") or "").strip()
        if text.startswith("/"):
            return None
        sentences = [x.strip() for x in _SENTENCE_END.split(text) if x.strip()]
        for sentence in reversed(sentences[1:]):
            if (matches("asks_a_question", sentence) or matches("asks_what_to_do", sentence)) and len(
                sentence
            ) <= MAX_QUESTION_CHARS:
                return sentence
        return None
    return None


class ActionSafetyOk(Action):
    def name(self) -> Text:
        return "action_safety_ok"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        paused = tracker.get_slot("safety_paused_form")
        if paused:
            dispatcher.utter_message(text=f"{message('safety_ok')} {message('safety_ok_bridge')}")
            return [SlotSet("safety_paused_form", None)]
        question = question_set_aside(tracker)
        if question:
            # The button sends the question as if typed again, so it is understood as usual.
            dispatcher.utter_message(
                text=f"{message('safety_ok')} {message('safety_ok_your_question', question=question)}",
                buttons=[{"title": message("button_ask_it_now"), "payload": question}],
            )
        else:
            dispatcher.utter_message(text=message("safety_ok"))
        return [SlotSet("safety_paused_form", None)]


class ActionShowCrisisLines(Action):
    def name(self) -> Text:
        return "action_show_crisis_lines"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        current = content()
        country = user_country(tracker, current.resources.countries)
        dispatcher.utter_message(
            text=crisis_lines_message(current, country), buttons=line_buttons(current, country)
        )
        return crisis_recorded(tracker) + [SlotSet("safety_paused_form", None)]


# "I'm not doing better", "no longer better": not a reason to stop asking.
NOT_BETTER = re.compile(r"\b(not|n't|nt|never|no longer|worse|isn't|aren't)\b", re.I)


class ActionFeelingBetter(Action):
    """ "I'm doing better now" (or the welcome-back's button): later sessions open without the
    welcome-back; the crisis lines stay one tap away."""

    def name(self) -> Text:
        return "action_feeling_better"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        if not text.startswith("/") and NOT_BETTER.search(text.replace("\u2019", "'")):
            # heard as "better" but says the opposite: the lines, and the welcome-back stays
            current = content()
            country = user_country(tracker, current.resources.countries)
            dispatcher.utter_message(
                text=crisis_lines_message(current, country), buttons=line_buttons(current, country)
            )
            return crisis_recorded(tracker)
        if not crisis_remembered(tracker.slots):
            dispatcher.utter_message(text=message("doing_better_no_crisis"))
            return []
        dispatcher.utter_message(text=message("doing_better"), buttons=[show_lines_button()])
        return [SlotSet(DOING_BETTER, True)]
