"""Deleting one's data: confirmation first, then the whole conversation is erased.

`action_forget_me` only sets the slot `forget_confirmed`; the conversation store
(server/tracker_store.py, inside the Rasa server) sees it when the turn is saved and deletes every
stored event of the conversation instead, with its pending reminders. Nothing here is gated by the
safety checks: a user can always delete what they told the advisor.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

FORGET_SLOT = "forget_confirmed"

ASK = (
    "Do you want me to delete our whole conversation? Everything you told me here will be "
    "erased for good, and I won't be able to pick up where we left off."
)
DONE = (
    "Done: I've deleted our whole conversation and everything you told me. If you write "
    "again, we start from a blank page."
)
KEPT = "Okay, I haven't deleted anything. We can carry on whenever you like."
CONFIRM_BUTTONS = [
    {"title": "Yes, delete everything", "payload": "/forget_confirm"},
    {"title": "No, keep it", "payload": "/forget_cancel"},
]


class ActionAskForgetMe(Action):
    def name(self) -> Text:
        return "action_ask_forget_me"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(text=ASK, buttons=CONFIRM_BUTTONS)
        # Leaves the triage questions (a no-op outside them), so the answer is not read as one.
        return [ActiveLoop(None), SlotSet("requested_slot", None)]


class ActionForgetMe(Action):
    def name(self) -> Text:
        return "action_forget_me"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if not confirmed(tracker):
            # A guess at "yes, delete" with no question asked: ask first, delete nothing.
            return ActionAskForgetMe().run(dispatcher, tracker, domain)
        dispatcher.utter_message(text=DONE)
        return [SlotSet(FORGET_SLOT, True)]


def confirmed(tracker: Tracker) -> bool:
    """The delete button was pressed, or the user answered yes right after the question."""
    if (tracker.latest_message.get("text") or "").strip() == "/forget_confirm":
        return True
    events = list(tracker.events or [])
    last_user = next((i for i in range(len(events) - 1, -1, -1) if events[i].get("event") == "user"), 0)
    asked = [
        e.get("name")
        for e in events[:last_user]
        if e.get("event") == "action" and e.get("name") not in ("action_listen",)
    ]
    return bool(asked) and asked[-1] == "action_ask_forget_me"


class ActionKeepData(Action):
    def name(self) -> Text:
        return "action_keep_data"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(text=KEPT)
        return []
