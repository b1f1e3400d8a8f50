"""What the guided forms (the "Should I go back?" check, the reflection exercises) share: deciding
whether the latest message is an answer to the question just asked.

A safety message is never an answer: the forms ignore the safety intents, so the safety rules
answer it instead, and nothing of it is stored. Neither is a button payload for something else, a
request for another feature, or a question about a topic (those end with "?" or classify as ask_*).
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa_sdk import Tracker

from actions.form_digressions import NOT_ANSWER_INTENTS
from actions.safety import SAFETY_INTENTS
from nlp.answers import load as load_answers, read_answer


# A longer message is kept as an answer even when the classifier hears a request in it: a
# reflection may well say "I texted him too much".
SHORT_ASIDE_WORDS = 10


def latest_intent(tracker: Tracker) -> Optional[Text]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def is_safety_message(tracker: Tracker) -> bool:
    return latest_intent(tracker) in SAFETY_INTENTS


def button_value(tracker: Tracker, slot: Text) -> Optional[Any]:
    """The value a button payload such as /inform{"slot": "value"} carries for `slot`."""
    if is_safety_message(tracker):
        return None
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == slot:
            return entity.get("value")
    return None


def answer_text(tracker: Tracker, slot: Text, max_words: int) -> Optional[Text]:
    """The latest message's text, when it can be the user's answer to the question about `slot`."""
    if tracker.get_slot("requested_slot") != slot:
        return None
    intent = latest_intent(tracker) or ""
    text = (tracker.latest_message.get("text") or "").strip()
    if not text or text.startswith("/") or intent in SAFETY_INTENTS:
        return None
    if intent in NOT_ANSWER_INTENTS and (
        text.endswith("?")
        or len(text.split()) <= SHORT_ASIDE_WORDS
        or any(e.get("entity") == "no_contact" for e in tracker.latest_message.get("entities") or [])
    ):
        return None  # an aside ("why do you ask?", "what day am I on?"): its own rule answers it
    if intent.startswith("ask_") and text.endswith("?"):
        return None
    if len(text.split()) > max_words:
        return None
    return text


def match(question: Text, text: Text) -> Optional[Text]:
    """The reading of a free-text answer to `question` in nlp/answers.yml (first match wins)."""
    return read_answer(question, text)


load_answers()  # read and checked when the action server starts: a broken edit stops it there


def first_in(values: Dict[Text, Any], *keys: Text) -> Optional[Text]:
    return next((k for k in keys if values.get(k)), None)
