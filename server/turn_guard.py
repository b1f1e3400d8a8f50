"""A safety net for every turn, on every channel: one user message never gets the same text twice,
and never more than DEFAULT_MAX_MESSAGES messages (16).

The dialogue is meant to get this right on its own (rules end every turn, forms ask each question
once); this guard only catches what slips through, such as a validation that apologises once per
slot, or an action predicted again and again until Rasa's limit of 10 predictions. A dropped
message is logged as a warning, so the cause can be found and fixed where it is.

It works on the events an action returns, before Rasa logs them on the tracker and sends them, so
the conversation's history and what the user saw stay the same.
"""

from __future__ import annotations

import inspect
import logging
import os
from typing import Any, List, Optional, Text, Tuple

logger = logging.getLogger(__name__)

MAX_MESSAGES_ENV = "ADVISOR_MAX_TURN_MESSAGES"
# The longest reply by design is advice in the middle of a form: two cards (up to 9 messages), the
# follow-up buttons, a caution, an offer, the disclaimer of a new session and the form's question
# (tests/test_no_loops.py keeps the cards within this limit).
DEFAULT_MAX_MESSAGES = 16
_installed = False


def max_messages() -> int:
    try:
        return max(1, int(os.environ.get(MAX_MESSAGES_ENV, DEFAULT_MAX_MESSAGES)))
    except ValueError:
        return DEFAULT_MAX_MESSAGES


def message_key(event: Any) -> Tuple[Optional[Text], Text]:
    """What makes two bot messages "the same" for the user: the text (or, for a message without
    text, everything else it shows)."""
    data = getattr(event, "data", None) or {}
    if event.text:
        return event.text.strip(), ""
    return None, repr(sorted((k, repr(v)) for k, v in data.items() if v))


def this_turn(tracker: Any) -> List[Any]:
    """The bot messages already sent since the user's latest message, and those of a session start
    just before it (the disclaimer that opens a conversation belongs to its first turn)."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered

    events = list(tracker.events)
    sent = []
    i = len(events) - 1
    while i >= 0 and not isinstance(events[i], UserUttered):
        if isinstance(events[i], BotUttered):
            sent.append(events[i])
        i -= 1
    # Before the user's message: a session start (action_session_start, its messages, the
    # SessionStarted, carried slots, action_listen) is part of this turn; anything else is not.
    opening, seen_start = [], False
    for event in reversed(events[:i] if i > 0 else []):
        if isinstance(event, BotUttered):
            opening.append(event)
        elif isinstance(event, SessionStarted):
            seen_start = True
        elif isinstance(event, ActionExecuted) and event.action_name == "action_session_start":
            if seen_start:
                sent.extend(opening)
            break
        elif not (
            isinstance(event, SlotSet)
            or (isinstance(event, ActionExecuted) and event.action_name == "action_listen")
        ):
            break
    return sent


def guarded(events: List[Any], tracker: Any, action_name: Text) -> List[Any]:
    """`events` without the bot messages that would repeat a message of this turn or go beyond
    the limit."""
    from rasa.shared.core.events import BotUttered

    sent = this_turn(tracker)
    seen = {message_key(e) for e in sent}
    count, limit = len(sent), max_messages()
    kept = []
    for event in events:
        if isinstance(event, BotUttered):
            key = message_key(event)
            if key in seen:
                logger.warning(
                    "Turn guard: '%s' repeated a message of this turn for '%s'; not sent: %.80r",
                    action_name,
                    tracker.sender_id,
                    key[0] or key[1],
                )
                continue
            if count >= limit:
                logger.warning(
                    "Turn guard: '%s' went beyond %d messages in one turn for '%s'; not sent: %.80r",
                    action_name,
                    limit,
                    tracker.sender_id,
                    key[0] or key[1],
                )
                continue
            seen.add(key)
            count += 1
        kept.append(event)
    return kept


def install() -> None:
    """Wraps MessageProcessor._log_action_on_tracker (once per process). Rasa passes the same list
    of events on to execute_side_effects, which sends the messages, so it is filtered in place."""
    global _installed
    if _installed:
        return
    _installed = True
    from rasa.core.processor import MessageProcessor

    original = MessageProcessor._log_action_on_tracker

    def _log_action_on_tracker(self, *args, **kwargs):
        call = inspect.signature(original).bind(self, *args, **kwargs).arguments
        events = call["events"]
        if events:
            events[:] = guarded(list(events), call["tracker"], call["action"].name())
        return original(self, *args, **kwargs)

    MessageProcessor._log_action_on_tracker = _log_action_on_tracker
