"""What the user sees when a part of the server fails, installed into the Rasa server process
with the project's other changes (server/runtime.py), so every `rasa run` of this project has it.

- The action server is down, fails or is slow: Rasa 3.6 logs the error, drops the action's events
  and the user gets no reply (and waits up to 5 minutes when it is slow). Here a custom action
  that fails or takes longer than ADVISOR_ACTION_TIMEOUT seconds (10) gives one short apology and
  ends the turn; the next message is handled normally once the action server is back.
  A failed `action_session_start` falls back to Rasa's built-in session start.
- The conversation store does not answer: Rasa would start a new conversation in memory without a
  word. Here the message gets a clear apology, the log a clear error, and nothing else happens.
  The store marks the turn when its `retrieve` fails (`store_failed_this_turn`); fetching the
  tracker then stops the turn. Nothing is asked of the database beyond what Rasa asks.
- A reminder whose conversation was deleted ("delete my data", retention) is dropped. Rasa would
  drop it too, but only after starting a new session, which sends the disclaimer to the user and
  can happen on a server other than the one where the conversation was deleted.
"""
from __future__ import annotations

import asyncio
import contextvars
import logging
import os
from typing import Any, List, Optional, Text

logger = logging.getLogger(__name__)

ACTION_TIMEOUT_ENV = "ADVISOR_ACTION_TIMEOUT"
ACTION_APOLOGY = ("Sorry, something went wrong on my side and I can't answer that right now. "
                  "Please try again in a minute: everything you told me is still here.")
STORE_APOLOGY = ("Sorry, I can't reach my memory right now, so I can't continue our conversation. "
                 "Nothing you send now is stored. Please try again in a few minutes.")

_apologised: contextvars.ContextVar[bool] = contextvars.ContextVar("advisor_apologised", default=False)
_store_failed: contextvars.ContextVar[bool] = contextvars.ContextVar("advisor_store_failed", default=False)
_installed = False


def action_timeout() -> float:
    try:
        return max(0.5, float(os.environ.get(ACTION_TIMEOUT_ENV, "10")))
    except ValueError:
        return 10.0


class StoreUnavailableThisTurn(RuntimeError):
    """The conversation store failed while the turn fetched its conversation."""


def store_failed_this_turn() -> None:
    """Called by the conversation store when it cannot read a conversation (same task as the turn,
    so the mark is seen by the turn and by no other)."""
    _store_failed.set(True)


def install() -> None:
    """Wraps RemoteAction.run and MessageProcessor.handle_message (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    _wrap_remote_actions()
    _wrap_message_handling()


def _wrap_remote_actions() -> None:
    from rasa.core.actions.action import ActionExecutionRejection, ActionSessionStart, RemoteAction
    from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
    from rasa.shared.core.events import BotUttered, FollowupAction

    original_run = RemoteAction.run

    async def run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> List[Any]:
        try:
            return await asyncio.wait_for(original_run(self, output_channel, nlg, tracker, domain),
                                          timeout=action_timeout())
        except ActionExecutionRejection:
            raise
        except Exception as e:  # noqa: BLE001 - any failure of the remote call
            reason = (f"no answer within {action_timeout():g} s" if isinstance(e, asyncio.TimeoutError)
                      else f"{type(e).__name__}: {e}")
            logger.error("Custom action '%s' failed (%s). Is the action server at %s up? "
                         "The user gets an apology.", self.name(), reason,
                         getattr(self.action_endpoint, "url", None))
            if self.name() == ACTION_SESSION_START_NAME:
                return await ActionSessionStart().run(output_channel, nlg, tracker, domain)
            if _apologised.get():
                return [FollowupAction(ACTION_LISTEN_NAME)]
            _apologised.set(True)
            return [BotUttered(ACTION_APOLOGY), FollowupAction(ACTION_LISTEN_NAME)]

    RemoteAction.run = run  # type: ignore[assignment]


def _project_store(store: Any) -> Optional[Any]:
    from server.tracker_store import AdvisorSQLTrackerStore

    for _ in range(3):  # FailSafeTrackerStore / AwaitableTrackerStore wrap the real one
        if isinstance(store, AdvisorSQLTrackerStore):
            return store
        store = getattr(store, "_tracker_store", None)
    return None


def _wrap_message_handling() -> None:
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.processor import MessageProcessor

    original_get_tracker = MessageProcessor.get_tracker

    async def get_tracker(self: MessageProcessor, conversation_id: Text) -> Any:
        # Rasa's fail-safe wrapper turns a failed read into "no conversation yet"; the store's
        # mark tells the two apart.
        _store_failed.set(False)
        tracker = await original_get_tracker(self, conversation_id)
        if _store_failed.get():
            raise StoreUnavailableThisTurn("the conversation store is unreachable")
        return tracker

    MessageProcessor.get_tracker = get_tracker  # type: ignore[assignment]

    original_handle = MessageProcessor.handle_message

    async def handle_message(self: MessageProcessor, message: Any) -> Optional[List[Any]]:
        _apologised.set(False)
        try:
            return await original_handle(self, message)
        except StoreUnavailableThisTurn:
            await message.output_channel.send_text_message(message.sender_id, STORE_APOLOGY)
            if isinstance(message.output_channel, CollectingOutputChannel):
                return message.output_channel.messages
            return None

    MessageProcessor.handle_message = handle_message  # type: ignore[assignment]

    original_reminder = MessageProcessor.handle_reminder

    async def handle_reminder(self: MessageProcessor, reminder_event: Any, sender_id: Text,
                              output_channel: Any) -> None:
        store = _project_store(self.tracker_store)
        if store is not None:
            try:
                deleted = await store.retrieve(sender_id) is None
            except Exception:  # noqa: BLE001 - unreachable store: let Rasa's own path decide
                deleted = False
            if deleted:
                logger.info("A reminder of a deleted conversation was dropped.")
                return None
        return await original_reminder(self, reminder_event, sender_id, output_channel)

    MessageProcessor.handle_reminder = handle_reminder  # type: ignore[assignment]
