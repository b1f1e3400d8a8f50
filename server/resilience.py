"""What the user sees when a part of the server fails, installed into the Rasa server process
with the project's other changes (server/runtime.py), so every `rasa run` of this project has it.

- The action server is down, fails or is slow: Rasa 3.6 logs the error, drops the action's events
  and the user gets no reply (and waits up to 5 minutes when it is slow). Here a custom action
  that fails or takes longer than ADVISOR_ACTION_TIMEOUT seconds (10) gives one short apology and
  ends the turn; the next message is handled normally once the action server is back.
  A failed `action_session_start` falls back to Rasa's built-in session start.
- The conversation store does not answer: Rasa would start a new conversation in memory without a
  word. Here the message gets a clear apology, the log a clear error, and nothing else happens.
  Rasa's fail-safe store calls the error callback given here when the store fails; it marks the
  turn, and fetching the tracker then stops the turn. Nothing is asked of the database beyond what Rasa asks.
- A reminder whose conversation was deleted ("delete my data", retention) is dropped. Rasa would
  drop it too, but only after starting a new session, which sends the disclaimer to the user and
  can happen on a server other than the one where the conversation was deleted.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import logging
import os
from typing import Any, List, Optional, Text

from server.store_errors import DB_ERRORS, ProjectStore, StoreUnavailable, first_line

logger = logging.getLogger(__name__)

ACTION_TIMEOUT_ENV = "ADVISOR_ACTION_TIMEOUT"
ACTION_APOLOGY = (
    "Sorry, something went wrong on my side and I can't answer that right now. "
    "Please try again in a minute: everything you told me is still here."
)
STORE_APOLOGY = (
    "Sorry, I can't reach my memory right now, so I can't continue our conversation. "
    "Nothing you send now is stored. Please try again in a few minutes."
)

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


def install() -> None:
    """Wraps RemoteAction.run, MessageProcessor's get_tracker, handle_message and handle_reminder,
    and gives Rasa's fail-safe store an error callback (once per process; server/runtime.py)."""
    global _installed
    if _installed:
        return
    _installed = True
    _wrap_remote_actions()
    _wrap_message_handling()
    _report_store_errors()


def _wrap_remote_actions() -> None:
    from rasa.core.actions.action import ActionExecutionRejection, ActionSessionStart, RemoteAction
    from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
    from rasa.shared.core.events import BotUttered, FollowupAction

    original_run = RemoteAction.run

    async def run(self: RemoteAction, *args: Any, **kwargs: Any) -> List[Any]:
        try:
            return await asyncio.wait_for(original_run(self, *args, **kwargs), timeout=action_timeout())
        except ActionExecutionRejection:
            raise
        except Exception as e:  # noqa: BLE001 - any failure of the remote call
            reason = (
                f"no answer within {action_timeout():g} s"
                if isinstance(e, asyncio.TimeoutError)
                else f"{type(e).__name__}: {e}"
            )
            logger.error(
                "Custom action '%s' failed (%s). Is the action server at %s up? The user gets an apology.",
                self.name(),
                reason,
                getattr(self.action_endpoint, "url", None),
            )
            if self.name() == ACTION_SESSION_START_NAME:
                return await ActionSessionStart().run(*args, **kwargs)
            if _apologised.get():
                return [FollowupAction(ACTION_LISTEN_NAME)]
            _apologised.set(True)
            return [BotUttered(ACTION_APOLOGY), FollowupAction(ACTION_LISTEN_NAME)]

    RemoteAction.run = run  # type: ignore[assignment]


def _project_store(store: Any) -> Optional[Any]:
    for _ in range(3):  # FailSafeTrackerStore / AwaitableTrackerStore wrap the real one
        if isinstance(store, ProjectStore):
            return store
        store = getattr(store, "_tracker_store", None)
    return None


def _argument(function: Any, name: Text, args: Any, kwargs: Any) -> Any:
    """The argument `name` of a call `function(*args, **kwargs)`, wherever it was passed."""
    return inspect.signature(function).bind(*args, **kwargs).arguments[name]


def _wrap_message_handling() -> None:
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.processor import MessageProcessor

    original_get_tracker = MessageProcessor.get_tracker

    async def get_tracker(self: MessageProcessor, *args: Any, **kwargs: Any) -> Any:
        # Rasa's fail-safe wrapper turns a failed read into "no conversation yet"; its error
        # callback (`_store_error`) tells the two apart.
        _store_failed.set(False)
        tracker = await original_get_tracker(self, *args, **kwargs)
        if _store_failed.get():
            raise StoreUnavailableThisTurn("the conversation store is unreachable")
        return tracker

    MessageProcessor.get_tracker = get_tracker  # type: ignore[assignment]

    original_handle = MessageProcessor.handle_message

    async def handle_message(self: MessageProcessor, *args: Any, **kwargs: Any) -> Optional[List[Any]]:
        _apologised.set(False)
        try:
            return await original_handle(self, *args, **kwargs)
        except StoreUnavailableThisTurn:
            message = _argument(original_handle, "message", (self, *args), kwargs)
            await message.output_channel.send_text_message(message.sender_id, STORE_APOLOGY)
            if isinstance(message.output_channel, CollectingOutputChannel):
                return message.output_channel.messages
            return None

    MessageProcessor.handle_message = handle_message  # type: ignore[assignment]

    original_reminder = MessageProcessor.handle_reminder

    async def handle_reminder(self: MessageProcessor, *args: Any, **kwargs: Any) -> None:
        store = _project_store(self.tracker_store)
        if store is not None:
            sender_id = _argument(original_reminder, "sender_id", (self, *args), kwargs)
            try:
                deleted = await store.retrieve(sender_id) is None
            except Exception:  # noqa: BLE001 - unreachable store: let Rasa's own path decide
                deleted = False
            if deleted:
                logger.info("A reminder of a deleted conversation was dropped.")
                return None
        return await original_reminder(self, *args, **kwargs)

    MessageProcessor.handle_reminder = handle_reminder  # type: ignore[assignment]


def _store_error(store: Any, error: Exception) -> None:
    """Rasa's fail-safe store calls this when the conversation store fails, instead of logging that
    it falls back to memory: the turn is marked, so fetching its conversation stops the turn with
    an apology (`get_tracker`), and nothing else happens."""
    what = (
        "is unreachable"
        if isinstance(error, (StoreUnavailable, *DB_ERRORS))
        else f"failed ({type(error).__name__})"
    )
    logger.error(
        "The conversation store (%s) %s (%s): the user gets an apology and nothing is "
        "stored for this message.",
        store.describe(),
        what,
        first_line(error),
    )
    _store_failed.set(True)


def _report_store_errors() -> None:
    """Rasa wraps the conversation store in its FailSafeTrackerStore; here with its error callback."""
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import FailSafeTrackerStore

    original = Agent._create_tracker_store

    def create_tracker_store(*args: Any, **kwargs: Any) -> Any:
        store = original(*args, **kwargs)
        if isinstance(store, FailSafeTrackerStore) and _project_store(store) is not None:
            project_store = _project_store(store)
            return FailSafeTrackerStore(
                project_store, on_tracker_store_error=lambda e: _store_error(project_store, e)
            )
        return store

    Agent._create_tracker_store = staticmethod(create_tracker_store)  # type: ignore[assignment]
