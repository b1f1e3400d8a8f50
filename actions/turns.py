"""What the previous turn of the conversation did, read from the tracker's events."""

from __future__ import annotations

from typing import Text

from rasa_sdk import Tracker


def action_ran_last_turn(tracker: Tracker, name: Text) -> bool:
    """Whether the action `name` ran in answer to the user's previous message (between the
    previous user message and the latest one)."""
    users = 0
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                return False
        elif users == 1 and event.get("event") == "action" and event.get("name") == name:
            return True
    return False
