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


def turns_in_a_row(tracker: Tracker, name: Text) -> int:
    """How many of the user's previous messages, counting back from the one before the latest,
    the action `name` answered without a break."""
    count, ran = 0, False
    seen_latest = False
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            if not seen_latest:
                seen_latest = True
                continue
            if not ran:
                return count
            count, ran = count + 1, False
        elif seen_latest and event.get("event") == "action" and event.get("name") == name:
            ran = True
    return count + ran


def earlier_user_messages(tracker: Tracker) -> int:
    """How many messages the user sent before the latest one."""
    return max(0, sum(1 for event in tracker.events or [] if event.get("event") == "user") - 1)


def action_ran_before(tracker: Tracker, name: Text, since_session_start: bool = False) -> bool:
    """Whether the action `name` ran earlier in this conversation (the action running now is not
    among the events yet), or only since the latest session start or restart when
    `since_session_start`."""
    events = list(tracker.events or [])
    if since_session_start:
        starts = [i for i, e in enumerate(events) if e.get("event") in ("session_started", "restart")]
        events = events[starts[-1] + 1 :] if starts else events
    return any(e.get("event") == "action" and e.get("name") == name for e in events)
