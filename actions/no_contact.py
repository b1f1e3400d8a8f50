"""The no-contact tracker: the day no contact started, kept in the tracker (slots
`no_contact_start`, `no_contact_relapses`, `no_contact_milestone`), "what day am I on?", a slip
treated kindly (the count starts again from that day), and the guidance at 14, 30 and 60 days.

No contact is healthy after abuse too, so the tracker always works; but once
`reconciliation_blocked(tracker)`, its guidance leaves out everything about getting back in touch.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import clock
from actions.content_store import content
from actions.no_contact_content import MILESTONE_DAYS, Guidance, tracker_texts
from actions.no_contact_dates import AMBIGUOUS, FUTURE, IMPOSSIBLE, NONE, DateReading, human, read_date
from actions.rendering import source_line, topic_button
from actions.country import user_country
from actions.safety import lines_text, reconciliation_blocked, safe_topics

START, RELAPSES, MILESTONE = "no_contact_start", "no_contact_relapses", "no_contact_milestone"
DATE_ENTITY = "no_contact_date"
# A guessed slip with no count running that talks about the breakup ("my ex and I broke up") is
# taken as the start of the story: the triage asks what happened.
BREAKUP_WORDS = r"\b(ex|broke|break|breakup|split|dumped|left|ended)\b"
FACT_ENTITY = "no_contact"  # from nlp/patterns/no_contact.yml: "started" or "slip"

tracker_texts()  # validate the tracker's texts when the action server starts


def start_date(tracker: Tracker) -> Optional[dt.date]:
    value = tracker.get_slot(START)
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def days_in(tracker: Tracker, today: Optional[dt.date] = None) -> Optional[int]:
    start = start_date(tracker)
    return None if start is None else ((today or clock.today()) - start).days


def user_date(tracker: Tracker, today: dt.date) -> DateReading:
    """The date in the latest message: a button's ISO date, else the user's own words."""
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == DATE_ENTITY:
            try:
                date = dt.date.fromisoformat(str(entity.get("value")))
            except ValueError:
                break
            return (
                DateReading("ok", date, said=human(date))
                if date <= today
                else DateReading(FUTURE, said=human(date))
            )
    return read_date((tracker.latest_message or {}).get("text") or "", today)


def count_text(days: int) -> Text:
    if days <= 0:
        return "Today is day one."
    return f"That's {days} day{'s' if days != 1 else ''} of no contact so far."


def due_milestone(days: Optional[int], offered: Optional[float]) -> Optional[int]:
    """The latest milestone reached and not yet offered."""
    if days is None:
        return None
    reached = [m for m in MILESTONE_DAYS if days >= m]
    if not reached or (offered or 0) >= reached[-1]:
        return None
    return reached[-1]


def guidance_messages(
    guidance: Guidance, blocked: bool, heading: Optional[Text] = None
) -> List[Dict[Text, Any]]:
    messages = [{"text": f"{heading or guidance.title}\n\n{guidance.text.strip()}"}]
    tail = ""
    if guidance.steps:
        tail = (
            "What might help now:\n\n"
            + "\n".join(f"{i}. {s}" for i, s in enumerate(guidance.steps, 1))
            + "\n\n"
        )
    if guidance.reconnect and not blocked:
        tail += guidance.reconnect + "\n\n"
    messages.append({"text": tail + source_line(guidance.sources)})
    return messages


def milestone_events(
    dispatcher: CollectingDispatcher, tracker: Tracker, days: Optional[int], offered: Optional[float]
) -> List[EventType]:
    """Says the milestone guidance when one is due; returns the slot event recording it."""
    day = due_milestone(days, offered)
    if day is None:
        return []
    blocked = reconciliation_blocked(tracker)
    milestone = tracker_texts().milestone(day).shown(blocked)  # its survivor version after abuse
    for message in guidance_messages(milestone, blocked):
        dispatcher.utter_message(**message)
    current = content()
    follow_ups = [t for t in milestone.follow_ups if not blocked or t in safe_topics(current)]
    if follow_ups:
        dispatcher.utter_message(
            text="Want to read more on any of these?",
            buttons=[topic_button(current, t, tracker.get_slot("ex_pronoun")) for t in follow_ups],
        )
    return [SlotSet(MILESTONE, float(day))]


def next_milestone_text(days: int) -> Text:
    upcoming = [m for m in MILESTONE_DAYS if m > days]
    if not upcoming:
        return ""
    left = upcoming[0] - days
    return f" {left} more day{'s' if left != 1 else ''} to the {upcoming[0]}-day mark."


def checkin_offer(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    if tracker.get_slot("checkin_due"):
        return
    dispatcher.utter_message(
        text="Would you like me to check in on you in a few days, to see how you're doing? "
        "You can stop the check-ins any time.",
        buttons=[
            {"title": "Yes, in 3 days", "payload": '/request_checkin{"checkin_days":3}'},
            {"title": "Yes, in a week", "payload": '/request_checkin{"checkin_days":7}'},
        ],
    )


def ask_again(dispatcher: CollectingDispatcher, reading: DateReading, intent: Text, what: Text) -> None:
    """The question back for a date that is impossible, in the future or ambiguous."""
    examples = 'You can say a date like "3 May", or "last Monday", "two weeks ago" or "today".'
    if reading.status == AMBIGUOUS:
        dispatcher.utter_message(
            text=f'Just to be sure about "{reading.said}": which day do you mean?',
            buttons=[
                {"title": human(d), "payload": f'/{intent}{{"{DATE_ENTITY}":"{d.isoformat()}"}}'}
                for d in reading.choices
            ],
        )
    elif reading.status == IMPOSSIBLE:
        dispatcher.utter_message(
            text=f"I can't find \"{reading.said}\" in the calendar: that day doesn't exist. "
            f"Which day {what}? {examples}"
        )
    else:  # FUTURE
        dispatcher.utter_message(
            text=f"\"{reading.said}\" hasn't happened yet, so I can't count from it. "
            f"Which day {what}? {examples}"
        )


def day_told(
    dispatcher: CollectingDispatcher, tracker: Tracker, today: dt.date, intent: Text, what: Text
) -> Optional[Tuple[dt.date, bool]]:
    """(the day the message names, True), or (today, False) when it names none; None after asking
    again about a date that is ambiguous, impossible or in the future."""
    reading = user_date(tracker, today)
    if reading.status in (AMBIGUOUS, IMPOSSIBLE, FUTURE):
        ask_again(dispatcher, reading, intent, what)
        return None
    return (today, False) if reading.status == NONE else (reading.date, True)


def said_clearly(tracker: Tracker, fact: Text) -> bool:
    """True when the latest message states `fact` ("started", "slip") in words the rule patterns
    recognise, or is a button the advisor offered. A classifier guess alone is never enough to
    start or restart a count."""
    latest = tracker.latest_message or {}
    if (latest.get("text") or "").startswith("/"):
        return True
    return any(
        e.get("entity") == FACT_ENTITY and e.get("value") == fact for e in latest.get("entities") or []
    )


def in_form(tracker: Tracker) -> bool:
    return bool((tracker.active_loop or {}).get("name"))


def date_payload(intent: Text, day: dt.date) -> Text:
    return f'/{intent}{{"{DATE_ENTITY}":"{day.isoformat()}"}}'


def confirm_start(dispatcher: CollectingDispatcher, tracker: Tracker, today: dt.date) -> None:
    reading = user_date(tracker, today)
    buttons = []
    if reading.status not in (AMBIGUOUS, IMPOSSIBLE, FUTURE, NONE) and reading.date != today:
        buttons.append(
            {
                "title": f"Yes, from {human(reading.date)}",
                "payload": date_payload("start_no_contact", reading.date),
            }
        )
    buttons.append({"title": "Yes, from today", "payload": date_payload("start_no_contact", today)})
    buttons.append({"title": "No, not now", "payload": "/deny"})
    dispatcher.utter_message(
        text="Just to be sure before I keep count: would you like me to start counting your days of "
        "no contact?",
        buttons=buttons,
    )


class ActionNoContactStart(Action):
    def name(self) -> Text:
        return "action_no_contact_start"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        today = clock.today()
        if not said_clearly(tracker, "started"):
            confirm_start(dispatcher, tracker, today)
            return []
        told = day_told(dispatcher, tracker, today, "start_no_contact", "did you start no contact")
        if told is None:
            return []
        start, named = told
        days = (today - start).days
        note = (
            ""
            if named
            else ' (If you actually started earlier, tell me the day, e.g. "I started no contact last Monday".)'
        )
        dispatcher.utter_message(
            text=f"Got it: your no contact started on {human(start)}. {count_text(days)}"
            f"{next_milestone_text(days)}{note}\n\nI'll remember this, so you can ask me "
            '"what day am I on?" whenever you like. If you slip and get in touch, just tell me: '
            "it happens, and we'll simply count again."
        )
        events: List[EventType] = [SlotSet(START, start.isoformat()), SlotSet(MILESTONE, None)]
        if tracker.get_slot(RELAPSES) is None:
            events.append(SlotSet(RELAPSES, 0.0))
        events += milestone_events(dispatcher, tracker, days, None)
        if not in_form(tracker):  # mid-form, the form's question comes next instead
            checkin_offer(dispatcher, tracker)
        return events


class ActionNoContactRelapse(Action):
    def name(self) -> Text:
        return "action_no_contact_relapse"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        today = clock.today()
        old_start = start_date(tracker)
        clear = said_clearly(tracker, "slip")
        if old_start is None:
            return self._no_count(dispatcher, tracker, clear)
        if not clear:
            dispatcher.utter_message(
                text="Just to be sure: did you get in touch with your ex? If so, that's okay, and "
                "we'll count again from that day.",
                buttons=[
                    {"title": "Yes, I got in touch today", "payload": date_payload("report_relapse", today)},
                    {"title": "No, keep my count", "payload": "/ask_no_contact_day"},
                ],
            )
            return []
        told = day_told(dispatcher, tracker, today, "report_relapse", "did you get in touch")
        if told is None:
            return []
        slip = told[0]
        if old_start is not None and slip < old_start:
            days = (today - old_start).days
            dispatcher.utter_message(
                text=f"That was before your current count began on {human(old_start)}, so nothing "
                f"changes: {count_text(days)}"
            )
            return []
        blocked = reconciliation_blocked(tracker)
        for message in guidance_messages(tracker_texts().relapse.shown(blocked), blocked):
            dispatcher.utter_message(**message)
        if blocked:
            dispatcher.utter_message(
                text="After what you told me about how you were treated: you don't owe a reply if "
                "they answer, and if you feel unsafe, these lines are free and confidential:\n"
                + lines_text(content(), "abuse", user_country(tracker, content().resources.countries))
            )
        days = (today - slip).days
        relapses = float(tracker.get_slot(RELAPSES) or 0) + 1
        dispatcher.utter_message(
            text=f"So we count again from {human(slip)}. {count_text(days)}{next_milestone_text(days)} "
            "You've done it before, and you can do it again."
        )
        return [SlotSet(START, slip.isoformat()), SlotSet(RELAPSES, relapses), SlotSet(MILESTONE, None)]

    @staticmethod
    def _no_count(dispatcher: CollectingDispatcher, tracker: Tracker, clear: bool) -> List[EventType]:
        """No count is running, so there is nothing to restart."""
        if not clear:
            # Not a clear slip ("my ex and I broke up" can look like one): nothing is recorded.
            # Outside the forms, the triage finds out what happened; inside one, the form goes on.
            if in_form(tracker):
                return []
            said = ((tracker.latest_message or {}).get("text") or "").lower()
            if (
                tracker.get_slot("scenario") is None
                and not reconciliation_blocked(tracker)
                and re.search(BREAKUP_WORDS, said)
            ):
                return [FollowupAction("triage_form")]
            return [FollowupAction("action_explain_scope")]
        for message in guidance_messages(
            tracker_texts().relapse.shown(reconciliation_blocked(tracker)), reconciliation_blocked(tracker)
        ):
            dispatcher.utter_message(**message)
        dispatcher.utter_message(
            text="You haven't started a no-contact count with me, so there's nothing to restart. "
            "If you'd like me to keep count from today, just say so.",
            buttons=[
                {
                    "title": "Start counting from today",
                    "payload": date_payload("start_no_contact", clock.today()),
                }
            ],
        )
        return []


class ActionNoContactStatus(Action):
    def name(self) -> Text:
        return "action_no_contact_status"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        start = start_date(tracker)
        if start is None:
            dispatcher.utter_message(
                text="You haven't told me when your no contact started. Tell me the day, for example "
                '"I started no contact on Monday" or "I started no contact today", and I\'ll keep count.',
                buttons=[
                    {
                        "title": "I'm starting today",
                        "payload": date_payload("start_no_contact", clock.today()),
                    }
                ],
            )
            return []
        today = clock.today()
        days = (today - start).days
        relapses = int(tracker.get_slot(RELAPSES) or 0)
        since = "since your last slip, " if relapses else ""
        dispatcher.utter_message(
            text=f"You're on day {days + 1}: {days} full day{'s' if days != 1 else ''} of no contact "
            f"{since}counted from {human(start)}.{next_milestone_text(days)}"
            + (" Every day counts, slips included: you keep coming back to it." if relapses else "")
        )
        return milestone_events(dispatcher, tracker, days, tracker.get_slot(MILESTONE))
