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

from actions.messages import message

FORGET_SLOT = "forget_confirmed"


def __getattr__(name: Text) -> Text:
    # DONE: what the user reads once their conversation is deleted.
    if name == "DONE":
        return message("forget_done")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def confirm_buttons() -> List[Dict[Text, Text]]:
    return [
        {"title": message("button_forget_confirm"), "payload": "/forget_confirm"},
        {"title": message("button_forget_cancel"), "payload": "/forget_cancel"},
    ]


class ActionAskForgetMe(Action):
    def name(self) -> Text:
        return "action_ask_forget_me"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(text=message("forget_ask"), buttons=confirm_buttons())
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
        dispatcher.utter_message(text=message("forget_done"))
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
        dispatcher.utter_message(text=message("forget_kept"))
        return []
