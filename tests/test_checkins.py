"""Check-ins: the actions that schedule, cancel and deliver them, and the session-start and
server-start code that keeps a pending one alive."""

import datetime as dt

import pytest
from rasa_sdk import Tracker

from actions import clock
from actions.checkins import (
    ActionCancelCheckins,
    ActionCheckin,
    ActionScheduleCheckin,
    carried_reminder,
    days_asked,
)
from actions.conversation import ActionSessionStart
from conftest import make_tracker, payloads, texts

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now_utc", lambda: NOW)
    monkeypatch.setattr(clock, "today", lambda: NOW.date())
    monkeypatch.delenv(clock.SECONDS_PER_DAY_ENV, raising=False)


def of_type(events, kind):
    return [e for e in events if e.get("event") == kind]


def slots_set(events):
    return {e["name"]: e["value"] for e in of_type(events, "slot")}


@pytest.mark.parametrize(
    "text, days",
    [
        ("check in on me in 3 days", 3),
        ("check in with me tomorrow", 1),
        ("please check on me next week", 7),
        ("ask me in a couple of days", 2),
        ("in two weeks", 14),
        ("check in with me in ten days", 10),
        ("yes please check in", None),
    ],
)
def test_days_from_the_users_words(text, days):
    assert days_asked(make_tracker(intent="request_checkin", text=text)) == days


def test_scheduling_a_check_in(dispatcher):
    tracker = make_tracker(
        intent="request_checkin",
        text='/request_checkin{"checkin_days":3}',
        entities=[{"entity": "checkin_days", "value": 3}],
    )
    events = ActionScheduleCheckin().run(dispatcher, tracker, {})
    (reminder,) = of_type(events, "reminder")
    due = "2026-11-26T12:00:00+00:00"
    assert reminder["intent"] == "EXTERNAL_checkin" and reminder["date_time"] == due
    assert reminder["entities"] == [{"entity": "checkin_ref", "value": due}]
    assert reminder["kill_on_user_msg"] is False and reminder["name"].startswith("checkin_")
    assert not of_type(events, "cancel_reminder"), "Rasa would cancel the new reminder with it"
    assert slots_set(events) == {"checkin_days": 3.0, "checkin_due": due}
    assert "in 3 days, on Thursday 26 November" in texts(dispatcher) and "stop the check-ins" in texts(
        dispatcher
    )


def test_the_test_unit_of_a_day(dispatcher, monkeypatch):
    monkeypatch.setenv(clock.SECONDS_PER_DAY_ENV, "2")
    events = ActionScheduleCheckin().run(dispatcher, make_tracker(text="check in on me in 3 days"), {})
    assert of_type(events, "reminder")[0]["date_time"] == "2026-11-23T12:00:06+00:00"


def test_too_many_days_are_capped(dispatcher):
    events = ActionScheduleCheckin().run(dispatcher, make_tracker(text="check in on me in 90 days"), {})
    assert slots_set(events)["checkin_days"] == 30.0 and "between 1 and 30 days" in texts(dispatcher)


def test_stopping_the_check_ins(dispatcher):
    events = ActionCancelCheckins().run(
        dispatcher, make_tracker(slots={"checkin_due": "2026-11-26T12:00:00+00:00"}), {}
    )
    assert of_type(events, "cancel_reminder")[0]["intent"] == "EXTERNAL_checkin"
    assert slots_set(events) == {"checkin_due": None, "checkin_days": None}
    assert "stopped the check-ins" in texts(dispatcher)


def test_the_check_in_message(dispatcher):
    due = "2026-11-26T12:00:00+00:00"
    tracker = make_tracker(
        intent="EXTERNAL_checkin",
        text="",
        entities=[{"entity": "checkin_ref", "value": due}],
        slots={"checkin_due": due, "checkin_days": 3.0, "no_contact_start": "2026-11-12"},
    )
    events = ActionCheckin().run(dispatcher, tracker, {})
    said = texts(dispatcher)
    assert "How are you doing?" in said and "day 12 of no contact" in said
    assert "/stop_checkins" in payloads(dispatcher) and '/request_checkin{"checkin_days":3}' in payloads(
        dispatcher
    )
    assert slots_set(events) == {"checkin_due": None}


@pytest.mark.parametrize(
    "slots, ref",
    [
        ({"checkin_due": None}, "2026-11-26T12:00:00+00:00"),  # cancelled
        ({"checkin_due": "2026-11-30T12:00:00+00:00"}, "2026-11-26T12:00:00+00:00"),  # replaced
    ],
)
def test_a_stale_check_in_stays_silent(dispatcher, slots, ref):
    tracker = make_tracker(
        intent="EXTERNAL_checkin", text="", slots=slots, entities=[{"entity": "checkin_ref", "value": ref}]
    )
    assert ActionCheckin().run(dispatcher, tracker, {}) == []
    assert dispatcher.messages == []


def _tracker_with(events, slots):
    all_slots = {"safety": None, "ex_pronoun": None, "checkin_due": None, "requested_slot": None}
    all_slots.update(slots)
    return Tracker("u1", all_slots, {}, events, False, None, {}, "action_listen")


def test_a_new_session_carries_the_pending_check_in(dispatcher):
    due = "2026-11-26T12:00:00+00:00"
    old = {
        "event": "reminder",
        "intent": "EXTERNAL_checkin",
        "date_time": "2026-11-25T12:00:00+00:00",
        "entities": [{"entity": "checkin_ref", "value": "2026-11-25T12:00:00+00:00"}],
        "name": "checkin_old",
        "kill_on_user_msg": False,
    }
    pending = dict(old, date_time=due, name="checkin_new", entities=[{"entity": "checkin_ref", "value": due}])
    tracker = _tracker_with([old, pending], {"checkin_due": due})
    (carried,) = carried_reminder(tracker)
    assert (carried["name"], carried["date_time"], carried["entities"]) == (
        "checkin_new",
        due,
        pending["entities"],
    )
    events = ActionSessionStart().run(dispatcher, tracker, {})
    assert [e["event"] for e in events][0] == "session_started"
    assert of_type(events, "reminder") == [carried]
    assert events[-1]["event"] == "action"  # action_listen stays last
    # nothing pending: nothing carried
    assert carried_reminder(_tracker_with([pending], {"checkin_due": None})) == []


def test_the_start_up_scan_finds_only_pending_check_ins():
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ReminderScheduled, SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    from server.checkins import pending_checkin

    domain = Domain.from_dict({"slots": {"checkin_due": {"type": "text", "mappings": [{"type": "custom"}]}}})
    due = dt.datetime(2026, 11, 26, 12, tzinfo=dt.timezone.utc)
    reminder = ReminderScheduled(
        "EXTERNAL_checkin",
        due,
        name="checkin_x",
        kill_on_user_message=False,
        entities=[{"entity": "checkin_ref", "value": due.isoformat()}],
    )
    pending = DialogueStateTracker.from_events(
        "a", [reminder, SlotSet("checkin_due", due.isoformat())], slots=domain.slots
    )
    assert pending_checkin(pending) == reminder
    stopped = DialogueStateTracker.from_events(
        "b",
        [reminder, SlotSet("checkin_due", due.isoformat()), SlotSet("checkin_due", None)],
        slots=domain.slots,
    )
    assert pending_checkin(stopped) is None
    replaced = DialogueStateTracker.from_events(
        "c", [reminder, SlotSet("checkin_due", "2026-12-01T00:00:00+00:00")], slots=domain.slots
    )
    assert pending_checkin(replaced) is None
