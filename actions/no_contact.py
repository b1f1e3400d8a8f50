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
from actions.messages import message
from actions.no_contact_content import MILESTONE_DAYS, Guidance, tracker_texts
from actions.no_contact_dates import AMBIGUOUS, FUTURE, IMPOSSIBLE, NONE, DateReading, human, read_date
from actions.rendering import source_line, topic_button
from actions.country import user_country
from actions.safety import lines_text, reconciliation_blocked, safe_topics
from actions.turns import action_ran_before

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


def day_word(days: int) -> Text:
    """ "day" or "days", as the number needs."""
    return message("word_day") if days == 1 else message("word_days")


def count_text(days: int) -> Text:
    if days <= 0:
        return message("nc_day_one")
    # "day 12" as people count it: the day the count started is day one
    return message("nc_count", days=days, day_word=day_word(days), day=days + 1)


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
            message("nc_steps_heading")
            + "\n\n"
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
    for said in guidance_messages(milestone, blocked):
        dispatcher.utter_message(**said)
    current = content()
    follow_ups = [t for t in milestone.follow_ups if not blocked or t in safe_topics(current)]
    if follow_ups:
        dispatcher.utter_message(
            text=message("read_more_offer"),
            buttons=[topic_button(current, t, tracker.get_slot("ex_pronoun")) for t in follow_ups],
        )
    return [SlotSet(MILESTONE, float(day))]


def next_milestone_text(days: int) -> Text:
    upcoming = [m for m in MILESTONE_DAYS if m > days]
    if not upcoming:
        return ""
    left = upcoming[0] - days
    return " " + message("nc_next_milestone", left=left, day_word=day_word(left), mark=upcoming[0])


def checkin_offer(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    if tracker.get_slot("checkin_due"):
        return
    dispatcher.utter_message(
        text=message("checkin_offer"),
        buttons=[
            {"title": message("button_checkin_3_days"), "payload": '/request_checkin{"checkin_days":3}'},
            {"title": message("button_checkin_week"), "payload": '/request_checkin{"checkin_days":7}'},
        ],
    )


def ask_again(dispatcher: CollectingDispatcher, reading: DateReading, intent: Text, what: Text) -> None:
    """The question back for a date that is impossible, in the future or ambiguous."""
    examples = message("nc_date_examples")
    if reading.status == AMBIGUOUS:
        dispatcher.utter_message(
            text=message("nc_date_ambiguous", said=reading.said),
            buttons=[
                {"title": human(d), "payload": f'/{intent}{{"{DATE_ENTITY}":"{d.isoformat()}"}}'}
                for d in reading.choices
            ],
        )
    elif reading.status == IMPOSSIBLE:
        dispatcher.utter_message(
            text=message("nc_date_impossible", said=reading.said, what=what, examples=examples)
        )
    else:  # FUTURE
        dispatcher.utter_message(
            text=message("nc_date_future", said=reading.said, what=what, examples=examples)
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
                "title": message("button_nc_start_from", day=human(reading.date)),
                "payload": date_payload("start_no_contact", reading.date),
            }
        )
    buttons.append(
        {"title": message("button_nc_start_today"), "payload": date_payload("start_no_contact", today)}
    )
    buttons.append({"title": message("button_not_now"), "payload": "/deny"})
    dispatcher.utter_message(
        text=message("nc_confirm_start"),
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
        told = day_told(dispatcher, tracker, today, "start_no_contact", message("nc_what_started"))
        if told is None:
            return []
        start, named = told
        days = (today - start).days
        note = "" if named else " " + message("nc_started_earlier_note")
        dispatcher.utter_message(
            text=message(
                "nc_started",
                day=human(start),
                count=count_text(days),
                next_milestone=next_milestone_text(days),
                note=note,
            )
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
                text=message("nc_confirm_slip"),
                buttons=[
                    {
                        "title": message("button_nc_slip_today"),
                        "payload": date_payload("report_relapse", today),
                    },
                    {"title": message("button_nc_keep_count"), "payload": "/ask_no_contact_day"},
                ],
            )
            return []
        told = day_told(dispatcher, tracker, today, "report_relapse", message("nc_what_slip"))
        if told is None:
            return []
        slip = told[0]
        if old_start is not None and slip < old_start:
            days = (today - old_start).days
            dispatcher.utter_message(
                text=message("nc_slip_before_count", day=human(old_start), count=count_text(days))
            )
            return []
        blocked = reconciliation_blocked(tracker)
        for said in guidance_messages(tracker_texts().relapse.shown(blocked), blocked):
            dispatcher.utter_message(**said)
        if blocked:
            dispatcher.utter_message(
                text=message(
                    "nc_slip_after_abuse",
                    lines=lines_text(
                        content(), "abuse", user_country(tracker, content().resources.countries)
                    ),
                )
            )
        days = (today - slip).days
        relapses = float(tracker.get_slot(RELAPSES) or 0) + 1
        dispatcher.utter_message(
            text=message(
                "nc_count_again",
                day=human(slip),
                count=count_text(days),
                next_milestone=next_milestone_text(days),
            )
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
            if _slip_talked_about(tracker):
                # "does that reset everything??" after the slip was answered: a short yes-and-no.
                dispatcher.utter_message(
                    text=message("nc_slip_what_resets"),
                    buttons=[start_counting_button()],
                )
                return []
            said = ((tracker.latest_message or {}).get("text") or "").lower()
            if (
                tracker.get_slot("scenario") is None
                and not reconciliation_blocked(tracker)
                and re.search(BREAKUP_WORDS, said)
            ):
                return [FollowupAction("triage_form")]
            return [FollowupAction("action_explain_scope")]
        for said in guidance_messages(
            tracker_texts().relapse.shown(reconciliation_blocked(tracker)), reconciliation_blocked(tracker)
        ):
            dispatcher.utter_message(**said)
        dispatcher.utter_message(
            text=message("nc_no_count_to_restart"),
            buttons=[start_counting_button()],
        )
        return []


def start_counting_button() -> Dict[Text, Text]:
    return {
        "title": message("button_nc_start_counting"),
        "payload": date_payload("start_no_contact", clock.today()),
    }


def _slip_talked_about(tracker: Tracker) -> bool:
    """Whether an earlier turn of this conversation was answered as a slip in no contact."""
    return action_ran_before(tracker, "action_no_contact_relapse")


class ActionNoContactStatus(Action):
    def name(self) -> Text:
        return "action_no_contact_status"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        start = start_date(tracker)
        if start is None:
            dispatcher.utter_message(
                text=message("nc_no_start_yet"),
                buttons=[
                    {
                        "title": message("button_nc_starting_today"),
                        "payload": date_payload("start_no_contact", clock.today()),
                    }
                ],
            )
            return []
        today = clock.today()
        days = (today - start).days
        relapses = int(tracker.get_slot(RELAPSES) or 0)
        since = message("nc_since_last_slip") + " " if relapses else ""
        dispatcher.utter_message(
            text=message(
                "nc_status",
                day=days + 1,
                days=days,
                day_word=day_word(days),
                since=since,
                start=human(start),
                next_milestone=next_milestone_text(days),
            )
            + (" " + message("nc_every_day_counts") if relapses else "")
        )
        return milestone_events(dispatcher, tracker, days, tracker.get_slot(MILESTONE))
