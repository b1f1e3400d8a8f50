"""Check-ins: with the user's consent, a message some days later asking how they are.

Scheduled as a Rasa reminder (ReminderScheduled, intent EXTERNAL_checkin), so it lives in the
tracker. Slots: `checkin_days` (the chosen interval), `checkin_due` (ISO datetime, UTC, of the
pending check-in; None when none is pending). The reminder carries `checkin_ref` = checkin_due, so
a stale reminder (cancelled, replaced) is recognised and stays silent.

Rasa keeps scheduled reminders in memory and drops them when a new session starts; so
`carried_reminder` re-adds the pending one in action_session_start, and server/checkins.py
schedules pending ones again when the server starts.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, ReminderCancelled, ReminderScheduled, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import clock
from actions.messages import message
from actions.no_contact import MILESTONE, day_word, days_in, milestone_events, start_date

CHECKIN_INTENT = "EXTERNAL_checkin"
DAYS, DUE, REF = "checkin_days", "checkin_due", "checkin_ref"
DEFAULT_DAYS, MAX_DAYS = 3, 30
_WORDS = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a couple of": 2,
    "a few": 3,
    "couple of": 2,
    "few": 3,
}


def days_asked(tracker: Tracker) -> Optional[int]:
    """The interval the user chose: a button's checkin_days, else their words ("in a week")."""
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == DAYS:
            try:
                return int(float(entity.get("value")))
            except (TypeError, ValueError):
                return None
    text = ((tracker.latest_message or {}).get("text") or "").lower()
    if re.search(r"\btomorrow\b", text):
        return 1
    if re.search(r"\b(next week|a week|one week|weekly|every week)\b", text):
        return 7
    if re.search(r"\b(a fortnight|two weeks|2 weeks)\b", text):
        return 14
    words = "|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True))
    m = re.search(rf"\b(\d{{1,3}}|{words}) days?\b", text)
    if m:
        return int(m.group(1)) if m.group(1).isdigit() else _WORDS[m.group(1)]
    return None


def pending_reminder(tracker: Tracker) -> Optional[Dict[Text, Any]]:
    """The reminder event of the pending check-in, if one is pending."""
    due = tracker.get_slot(DUE)
    if not due:
        return None
    for event in reversed(tracker.events):
        if event.get("event") == "reminder" and event.get("intent") == CHECKIN_INTENT:
            entities = event.get("entities") or []
            refs = (
                [e.get("value") for e in entities if e.get("entity") == REF]
                if isinstance(entities, list)
                else [entities.get(REF)]
            )
            return event if due in refs else None
    return None


def carried_reminder(tracker: Tracker) -> List[EventType]:
    """For action_session_start: the pending check-in again, so the new session still holds it
    (Rasa drops a reminder whose event is not in the current session)."""
    event = pending_reminder(tracker)
    if event is None:
        return []
    return [
        ReminderScheduled(
            CHECKIN_INTENT,
            dt.datetime.fromisoformat(event["date_time"]),
            entities=event.get("entities"),
            name=event.get("name"),
            kill_on_user_message=False,
        )
    ]


# Words that clearly ask for a check-in; without them (or a button), a classifier guess of
# request_checkin only gets a question with buttons, and nothing is scheduled.
CLEAR_REQUEST = re.compile(
    r"\b(check(ing)?[- ]?ins?|check (on|up on) me|message me|text me|write to me|remind me|"
    r"follow[- ]?up|ask (me )?how i'?m)\b",
    re.I,
)


def confirm_buttons() -> List[Dict[Text, Text]]:
    return [
        {"title": message("button_checkin_3_days"), "payload": '/request_checkin{"checkin_days":3}'},
        {"title": message("button_checkin_week"), "payload": '/request_checkin{"checkin_days":7}'},
        {"title": message("button_no_thanks"), "payload": "/deny"},
    ]


def asked_clearly(tracker: Tracker) -> bool:
    latest = tracker.latest_message or {}
    text = latest.get("text") or ""
    return text.startswith("/") or bool(CLEAR_REQUEST.search(text.replace("\u2019", "'")))


class ActionScheduleCheckin(Action):
    def name(self) -> Text:
        return "action_schedule_checkin"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if not asked_clearly(tracker):
            dispatcher.utter_message(
                text=message("checkin_offer"),
                buttons=confirm_buttons(),
            )
            return []
        days = days_asked(tracker) or int(tracker.get_slot(DAYS) or DEFAULT_DAYS)
        note = ""
        if days < 1 or days > MAX_DAYS:
            note = " " + message("checkin_days_limited", most=MAX_DAYS, chosen=min(max(days, 1), MAX_DAYS))
            days = min(max(days, 1), MAX_DAYS)
        now = clock.now_utc().replace(microsecond=0)
        due = now + dt.timedelta(seconds=days * clock.seconds_per_day())
        ref = due.isoformat()
        on_day = clock.today() + dt.timedelta(days=days)
        dispatcher.utter_message(
            text=message(
                "checkin_scheduled",
                days=days,
                day_word=day_word(days),
                weekday=on_day.strftime("%A"),
                day=on_day.day,
                month=on_day.strftime("%B"),
                note=note,
            )
        )
        # No ReminderCancelled here: Rasa applies a turn's cancellations after its schedulings, so it
        # would cancel this one too. An earlier reminder still fires, but with an old checkin_ref,
        # and action_checkin then stays silent: one pending check-in at a time.
        return [
            ReminderScheduled(
                CHECKIN_INTENT,
                due,
                entities=[{"entity": REF, "value": ref}],
                name=f"checkin_{uuid.uuid4().hex}",
                kill_on_user_message=False,
            ),
            SlotSet(DAYS, float(days)),
            SlotSet(DUE, ref),
        ]


class ActionCancelCheckins(Action):
    def name(self) -> Text:
        return "action_cancel_checkins"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if tracker.get_slot(DUE):
            text = message("checkins_stopped")
        else:
            text = message("checkins_none_to_stop")
        dispatcher.utter_message(text=text)
        return [ReminderCancelled(intent_name=CHECKIN_INTENT), SlotSet(DUE, None), SlotSet(DAYS, None)]


class ActionCheckin(Action):
    """Runs when the reminder fires: asks how the user is, with the no-contact count if any."""

    def name(self) -> Text:
        return "action_checkin"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        refs = [
            e.get("value")
            for e in (tracker.latest_message or {}).get("entities") or []
            if e.get("entity") == REF
        ]
        due = tracker.get_slot(DUE)
        if not due or (refs and due not in refs):
            return []  # cancelled or replaced since it was scheduled: say nothing
        days = int(tracker.get_slot(DAYS) or DEFAULT_DAYS)
        text = message("checkin")
        nc_days = days_in(tracker)
        if nc_days is not None:
            text += "\n\n" + message(
                "checkin_no_contact_day",
                day=nc_days + 1,
                start_day=start_date(tracker).day,
                start_month=start_date(tracker).strftime("%B"),
            )
        buttons = [
            {"title": message("button_hard_today"), "payload": "/express_sadness"},
            {
                "title": message("button_checkin_again", days=days),
                "payload": f'/request_checkin{{"{DAYS}":{days}}}',
            },
            {"title": message("button_stop_checkins"), "payload": "/stop_checkins"},
        ]
        dispatcher.utter_message(text=text, buttons=buttons)
        events: List[EventType] = [SlotSet(DUE, None)]
        events += milestone_events(dispatcher, tracker, nc_days, tracker.get_slot(MILESTONE))
        return events
