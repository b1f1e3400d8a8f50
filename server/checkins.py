"""Check-ins survive a restart of the Rasa server.

Rasa schedules reminders (ReminderScheduled events) in an in-memory APScheduler, so a restart
forgets them. The channels register `reschedule_pending_checkins` as an after_server_start
listener: it reads every conversation in the tracker store, finds a pending check-in (slot
`checkin_due` set, and the latest EXTERNAL_checkin reminder carrying that same `checkin_ref`) and
schedules it again through Rasa's own reminder handler, on the channel the user last wrote from
(the web widget's Socket.IO room, or the Telegram chat). A check-in that fell due while the server
was down is sent a few seconds after the start. Conversations last seen on a channel that cannot
push messages (REST, the shell) keep the check-in in the tracker only.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from typing import Any, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel
from rasa.shared.core.events import ReminderScheduled

logger = logging.getLogger(__name__)

CHECKIN_INTENT = "EXTERNAL_checkin"
OVERDUE_DELAY = dt.timedelta(seconds=3)
# "off" on all but one instance of a scale-out deployment (ops/scale_out.py sets it).
CHECKIN_SCAN_ENV = "ADVISOR_CHECKIN_SCAN"

# channel name -> a function returning its output channel; filled by the channels' blueprints
OUTPUTS: Dict[Text, Callable[[], OutputChannel]] = {}
_done_for: set = set()


def register_output(channel_name: Text, factory: Callable[[], OutputChannel]) -> None:
    OUTPUTS[channel_name] = factory


def pending_checkin(tracker: Any) -> Optional[ReminderScheduled]:
    """The reminder of the tracker's pending check-in, or None."""
    due = tracker.get_slot("checkin_due")
    if not due:
        return None
    for event in reversed(tracker.events):
        if isinstance(event, ReminderScheduled) and event.intent == CHECKIN_INTENT:
            entities = event.entities or []
            refs = (
                [e.get("value") for e in entities if e.get("entity") == "checkin_ref"]
                if isinstance(entities, list)
                else [entities.get("checkin_ref")]
            )
            return event if due in refs else None
    return None


async def reschedule_pending_checkins(app: Any, _loop: Any = None) -> int:
    """Schedules every pending check-in in the tracker store again; returns how many."""
    if id(app) in _done_for:  # registered by more than one channel: run once
        return 0
    _done_for.add(id(app))
    if os.environ.get(CHECKIN_SCAN_ENV, "on").strip().lower() in ("off", "0", "false", "no"):
        logger.info("Check-ins not rescheduled at start-up here (%s=off).", CHECKIN_SCAN_ENV)
        return 0
    from rasa.core import jobs

    agent = getattr(app.ctx, "agent", None)
    if agent is None or agent.processor is None or agent.tracker_store is None:
        logger.warning("Check-ins not rescheduled: no model loaded at start-up.")
        return 0
    processor, store = agent.processor, agent.tracker_store
    scheduler = await jobs.scheduler()
    now = dt.datetime.now(dt.timezone.utc)
    count = 0
    for sender_id in list(await store.keys()):
        try:
            tracker = await store.retrieve(sender_id)
            reminder = pending_checkin(tracker) if tracker else None
            if reminder is None:
                continue
            channel = tracker.get_latest_input_channel()
            factory = OUTPUTS.get(channel or "")
            output = factory() if factory else CollectingOutputChannel()
            when = reminder.trigger_date_time
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.timezone.utc)
            run_date = max(when, now + OVERDUE_DELAY)
            scheduler.add_job(
                processor.handle_reminder,
                "date",
                run_date=run_date,
                args=[reminder, sender_id, output],
                id=reminder.name,
                replace_existing=True,
                misfire_grace_time=None,
                name=reminder.scheduled_job_name(sender_id),
            )
            count += 1
            logger.debug("Check-in for %s rescheduled at %s on %s", sender_id, run_date, channel)
        except Exception:  # noqa: BLE001 - one bad conversation must not stop the others
            logger.exception("Could not reschedule the check-in of one conversation")
    logger.info("Check-ins rescheduled after start-up: %d pending.", count)
    return count


def add_listener(blueprint: Any) -> None:
    if logger.level == logging.NOTSET:  # follow `rasa run`'s log level (it sets only "rasa")
        logger.setLevel(logging.getLogger("rasa").getEffectiveLevel())
    blueprint.listener("after_server_start")(reschedule_pending_checkins)


def missed_checkin_messages(tracker: Any, since: float) -> list:
    """The messages of the latest check-in, when it is the last thing in the conversation (no
    user message after it) and was sent after `since` (when the user's page was closed)."""
    from rasa.shared.core.events import BotUttered, UserUttered

    said = []
    for event in reversed(tracker.events if tracker else []):
        if isinstance(event, BotUttered):
            said.append(event)
        elif isinstance(event, UserUttered):
            if event.intent_name != CHECKIN_INTENT or not said or said[-1].timestamp <= since:
                return []
            return [bot.message() for bot in reversed(said)]
    return []
