"""No lasting change on a classifier guess alone: check-ins are scheduled and data is deleted only
on the user's clear word or a button (the no-contact count: tests/test_no_contact.py)."""

from __future__ import annotations


from actions.checkins import ActionScheduleCheckin
from actions.privacy import ActionForgetMe
from conftest import make_tracker, payloads, texts, with_events


def test_a_guessed_checkin_request_asks_and_schedules_nothing(dispatcher):
    events = ActionScheduleCheckin().run(
        dispatcher, make_tracker(intent="request_checkin", text="yes please, that would be nice"), {}
    )
    assert events == []
    assert '/request_checkin{"checkin_days":3}' in payloads(dispatcher) and "/deny" in payloads(dispatcher)


def test_a_checkin_asked_in_words_is_scheduled(dispatcher):
    events = ActionScheduleCheckin().run(
        dispatcher, make_tracker(intent="request_checkin", text="can you check on me in 5 days"), {}
    )
    assert any(e.get("event") == "reminder" for e in events)


def test_a_guessed_delete_confirmation_asks_first(dispatcher):
    """A typed message the classifier reads as forget_confirm, with no question asked: ask."""
    tracker = with_events(
        make_tracker(intent="forget_confirm", text="yes get rid of it"),
        [{"event": "action", "name": "action_listen"}, {"event": "user", "text": "yes get rid of it"}],
    )
    events = ActionForgetMe().run(dispatcher, tracker, {})
    assert not any(e.get("name") == "forget_confirmed" for e in events)
    assert "/forget_confirm" in payloads(dispatcher)


def test_the_delete_button_deletes(dispatcher):
    events = ActionForgetMe().run(
        dispatcher, make_tracker(intent="forget_confirm", text="/forget_confirm"), {}
    )
    assert {"event": "slot", "name": "forget_confirmed", "value": True, "timestamp": None} in events or any(
        e.get("name") == "forget_confirmed" and e.get("value") is True for e in events
    )
    assert "deleted" in texts(dispatcher)


def test_a_typed_yes_right_after_the_question_deletes(dispatcher):
    tracker = with_events(
        make_tracker(intent="affirm", text="yes"),
        [
            {"event": "action", "name": "action_ask_forget_me"},
            {"event": "bot", "text": "?"},
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": "yes"},
        ],
    )
    events = ActionForgetMe().run(dispatcher, tracker, {})
    assert any(e.get("name") == "forget_confirmed" and e.get("value") is True for e in events)
