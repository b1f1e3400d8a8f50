"""The no-contact tracker: dates in the user's words, the count, slips and milestones, with
"today" fixed so every date edge case is deterministic."""

import datetime as dt

import pytest
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import clock
from actions.content_store import content
from actions.no_contact import (
    ActionNoContactRelapse,
    ActionNoContactStart,
    ActionNoContactStatus,
    due_milestone,
)
from actions.no_contact_content import load_tracker_texts
from actions.no_contact_dates import AMBIGUOUS, FUTURE, IMPOSSIBLE, NONE, OK, human, read_date
from actions.safety import safe_topics
from conftest import make_tracker, pattern_facts, payloads, texts, with_events
from test_content import _ngrams, _words, seed_ngrams  # noqa: F401 - seed_ngrams is a fixture

TODAY = dt.date(2026, 11, 23)  # a Monday
TEXTS = load_tracker_texts()
SAFE_INTENTS = {content().registry.topics[t].intent for t in safe_topics(content())}


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


# --- dates in the user's words -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I started no contact today", TODAY),
        ("I texted him yesterday", dt.date(2026, 11, 22)),
        ("the day before yesterday", dt.date(2026, 11, 21)),
        ("I started no contact on 3 May", dt.date(2026, 5, 3)),
        ("since May 3rd", dt.date(2026, 5, 3)),
        ("on the 2nd of November", dt.date(2026, 11, 2)),
        ("3 december", dt.date(2025, 12, 3)),  # no year: the most recent past one
        ("25/12/2025", dt.date(2025, 12, 25)),
        ("20/11", dt.date(2026, 11, 20)),  # 11/20 can't be day/month: only one reading
        ("11/20", dt.date(2026, 11, 20)),
        ("13/11", dt.date(2026, 11, 13)),
        ("last Monday", dt.date(2026, 11, 16)),  # today is a Monday: the one before
        ("on Friday", dt.date(2026, 11, 20)),
        ("since tuesday", dt.date(2026, 11, 17)),
        ("two weeks ago", dt.date(2026, 11, 9)),
        ("a fortnight ago", dt.date(2026, 11, 9)),
        ("10 days ago", dt.date(2026, 11, 13)),
        ("a few days ago", dt.date(2026, 11, 20)),
        ("a month ago", dt.date(2026, 10, 23)),
        ("29 February 2024", dt.date(2024, 2, 29)),
        ("im on day 5 of no contact", dt.date(2026, 11, 19)),  # day one was the start
        ("day one of nc", TODAY),
        ("10 days of no contact", dt.date(2026, 11, 13)),
        ("2 weeks into nc", dt.date(2026, 11, 9)),
    ],
)
def test_dates_people_say(text, expected):
    reading = read_date(text, TODAY)
    assert (reading.status, reading.date) == (OK, expected)


@pytest.mark.parametrize(
    "text", ["31 February", "30th of february", "29 February 2025", "31/4", "13/13", "0/5"]
)
def test_impossible_dates(text):
    assert read_date(text, TODAY).status == IMPOSSIBLE


@pytest.mark.parametrize("text", ["3 December 2026", "tomorrow", "next Monday", "in 3 days", "1/1/2027"])
def test_future_dates(text):
    assert read_date(text, TODAY).status == FUTURE


def test_an_ambiguous_numeric_date_offers_both_readings_day_first():
    reading = read_date("I started on 3/5", TODAY)
    assert reading.status == AMBIGUOUS
    assert reading.choices == [dt.date(2026, 5, 3), dt.date(2026, 3, 5)]


def test_a_numeric_date_whose_other_reading_is_in_the_future_is_not_ambiguous():
    # 1/12/2026: 1 December 2026 is in the future, so it can only be 12 January 2026.
    assert read_date("1/12/2026", TODAY).date == dt.date(2026, 1, 12)


def test_no_date_at_all():
    assert read_date("I started no contact", TODAY).status == NONE


def test_on_new_years_day_a_december_date_is_last_year():
    assert read_date("20 December", dt.date(2027, 1, 1)).date == dt.date(2026, 12, 20)


def test_human_dates():
    assert human(dt.date(2026, 5, 3)) == "3 May 2026"


# --- starting the count ---------------------------------------------------------------------------


def run(action, tracker, dispatcher, domain=None):
    return action.run(dispatcher, tracker, domain or {})


def stated(intent, text, **kwargs):
    """A tracker whose latest message carries the facts the real rule patterns find in `text`."""
    return make_tracker(intent=intent, text=text, entities=pattern_facts(text), **kwargs)


def slots_set(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_start_today_is_day_one_and_offers_check_ins(dispatcher):
    events = run(
        ActionNoContactStart(), stated("start_no_contact", text="I started no contact today"), dispatcher
    )
    assert slots_set(events) == {
        "no_contact_start": "2026-11-23",
        "no_contact_milestone": None,
        "no_contact_relapses": 0.0,
    }
    said = texts(dispatcher)
    assert "23 November 2026" in said and "day one" in said and "14 more days to the 14-day mark" in said
    assert '/request_checkin{"checkin_days":3}' in payloads(dispatcher)


def test_start_long_ago_offers_the_latest_milestone_reached(dispatcher):
    events = run(
        ActionNoContactStart(), stated("start_no_contact", text="I started no contact on 3 May"), dispatcher
    )
    assert slots_set(events)["no_contact_start"] == "2026-05-03"
    assert slots_set(events)["no_contact_milestone"] == 60.0
    said = texts(dispatcher)
    assert "204 full days" in said and TEXTS.milestone(60).title in said and "Source: " in said


@pytest.mark.parametrize(
    "text, question",
    [
        ("I started no contact on 31 February", "doesn't exist"),
        ("I started no contact on 3 December 2026", "hasn't happened yet"),
        ("I'm starting no contact tomorrow", "hasn't happened yet"),
    ],
)
def test_start_with_an_impossible_or_future_date_asks_again_and_sets_nothing(dispatcher, text, question):
    events = run(ActionNoContactStart(), stated("start_no_contact", text=text), dispatcher)
    assert events == []
    assert question in texts(dispatcher) and "Which day did you start no contact?" in texts(dispatcher)


def test_start_with_an_ambiguous_date_asks_with_buttons_then_a_button_settles_it(dispatcher):
    events = run(
        ActionNoContactStart(), stated("start_no_contact", text="I started no contact on 3/5"), dispatcher
    )
    assert events == []
    assert payloads(dispatcher) == [
        '/start_no_contact{"no_contact_date":"2026-05-03"}',
        '/start_no_contact{"no_contact_date":"2026-03-05"}',
    ]
    pressed = make_tracker(
        intent="start_no_contact",
        text='/start_no_contact{"no_contact_date":"2026-03-05"}',
        entities=[{"entity": "no_contact_date", "value": "2026-03-05"}],
    )
    events = run(ActionNoContactStart(), pressed, dispatcher)
    assert slots_set(events)["no_contact_start"] == "2026-03-05"


def test_a_date_button_in_the_future_is_refused(dispatcher):
    pressed = make_tracker(
        intent="start_no_contact",
        text="/start_no_contact",
        entities=[{"entity": "no_contact_date", "value": "2027-01-01"}],
    )
    assert run(ActionNoContactStart(), pressed, dispatcher) == []


def test_start_without_a_date_counts_from_today_and_says_so(dispatcher):
    events = run(
        ActionNoContactStart(), stated("start_no_contact", text="start my no contact count"), dispatcher
    )
    assert slots_set(events)["no_contact_start"] == "2026-11-23"
    assert "If you actually started earlier" in texts(dispatcher)


# --- what day am I on ----------------------------------------------------------------------------


def test_status_without_a_start_asks_for_one(dispatcher):
    assert run(ActionNoContactStatus(), make_tracker(intent="ask_no_contact_day"), dispatcher) == []
    assert "haven't told me when" in texts(dispatcher)


@pytest.mark.parametrize(
    "start, days, milestone",
    [
        ("2026-11-23", 0, None),
        ("2026-11-10", 13, None),
        ("2026-11-09", 14, 14),
        ("2026-10-25", 29, None),
        ("2026-10-24", 30, 30),
        ("2026-09-24", 60, 60),
    ],
)
def test_status_counts_days_and_offers_each_milestone_once(dispatcher, start, days, milestone):
    offered = {14: None, 30: 14.0, 60: 30.0}.get(milestone, 14.0 if days >= 14 else None)
    tracker = make_tracker(
        intent="ask_no_contact_day", slots={"no_contact_start": start, "no_contact_milestone": offered}
    )
    events = run(ActionNoContactStatus(), tracker, dispatcher)
    said = texts(dispatcher)
    assert f"You're on day {days + 1}: {days} full day" in said
    if milestone:
        assert events == [SlotSet("no_contact_milestone", float(milestone))]
        assert TEXTS.milestone(milestone).title in said
    else:
        assert events == []
    # asked again the same day: no milestone a second time
    again = CollectingDispatcher()
    tracker.slots["no_contact_milestone"] = float(milestone) if milestone else offered
    assert run(ActionNoContactStatus(), tracker, again) == []


def test_due_milestone():
    assert due_milestone(None, None) is None
    assert due_milestone(13, None) is None
    assert due_milestone(14, None) == 14
    assert due_milestone(45, 14.0) == 30
    assert due_milestone(45, 30.0) is None
    assert due_milestone(400, None) == 60


# --- slips ---------------------------------------------------------------------------------------


def test_a_slip_restarts_the_count_kindly(dispatcher):
    tracker = stated(
        "report_relapse",
        text="I texted him yesterday",
        slots={"no_contact_start": "2026-10-01", "no_contact_relapses": 1.0, "no_contact_milestone": 30.0},
    )
    events = run(ActionNoContactRelapse(), tracker, dispatcher)
    assert slots_set(events) == {
        "no_contact_start": "2026-11-22",
        "no_contact_relapses": 2.0,
        "no_contact_milestone": None,
    }
    said = texts(dispatcher)
    assert TEXTS.relapse.title in said and "count again from 22 November 2026" in said
    assert TEXTS.relapse.reconnect in said and "Source: " in said


def test_a_slip_before_the_current_start_changes_nothing(dispatcher):
    tracker = stated(
        "report_relapse", text="I texted him two weeks ago", slots={"no_contact_start": "2026-11-20"}
    )
    assert run(ActionNoContactRelapse(), tracker, dispatcher) == []
    assert "nothing changes" in texts(dispatcher)


def test_a_slip_with_no_count_yet_restarts_nothing(dispatcher):
    events = run(ActionNoContactRelapse(), stated("report_relapse", text="I broke no contact"), dispatcher)
    assert events == []
    assert "nothing to restart" in texts(dispatcher) and "count again" not in texts(dispatcher)
    assert payloads(dispatcher) == ['/start_no_contact{"no_contact_date":"2026-11-23"}']


def test_a_slip_on_an_impossible_date_asks_again(dispatcher):
    tracker = stated(
        "report_relapse", text="I messaged her on 31 February", slots={"no_contact_start": "2026-11-01"}
    )
    assert run(ActionNoContactRelapse(), tracker, dispatcher) == []
    assert "Which day did you get in touch?" in texts(dispatcher)


# --- safety: no reconciliation coaching after abuse -----------------------------------------------


@pytest.mark.parametrize("day", [14, 30, 60])
def test_after_abuse_milestones_keep_the_healing_and_drop_the_reconnecting(dispatcher, day):
    start = (TODAY - dt.timedelta(days=day)).isoformat()
    tracker = make_tracker(intent="ask_no_contact_day", slots={"safety": "abuse", "no_contact_start": start})
    events = run(ActionNoContactStatus(), tracker, dispatcher)
    said = texts(dispatcher)
    milestone = TEXTS.milestone(day)
    assert events == [SlotSet("no_contact_milestone", float(day))]
    assert milestone.shown(True).title in said  # its version written for survivors
    assert milestone.after_abuse == "safe" or milestone.title not in said
    assert milestone.reconnect not in said
    assert "reach out" not in said.lower() and "get back in touch" not in said.lower()
    offered = {p.lstrip("/") for p in payloads(dispatcher)}
    assert offered and offered <= SAFE_INTENTS


@pytest.mark.parametrize("day", [14, 30, 60])
def test_without_abuse_milestones_include_the_reconnecting_part(dispatcher, day):
    start = (TODAY - dt.timedelta(days=day)).isoformat()
    run(
        ActionNoContactStatus(),
        make_tracker(intent="ask_no_contact_day", slots={"no_contact_start": start}),
        dispatcher,
    )
    assert TEXTS.milestone(day).reconnect in texts(dispatcher)


def test_after_abuse_a_slip_gets_no_reply_coaching_and_gets_the_lines(dispatcher):
    tracker = stated(
        "report_relapse",
        text="I texted him yesterday",
        slots={"safety": "abuse", "no_contact_start": "2026-11-01"},
    )
    run(ActionNoContactRelapse(), tracker, dispatcher)
    said = texts(dispatcher)
    assert TEXTS.relapse.reconnect not in said
    assert "you don't owe a reply" in said and "findahelpline.com" in said


# --- the texts ------------------------------------------------------------------------------------


def test_the_texts_are_written_in_our_own_words(seed_ngrams):
    for guidance in TEXTS.all_guidance():
        for text in guidance.all_text():
            copied = _ngrams(_words(text)) & seed_ngrams
            assert not copied, f"{guidance.title}: shares 8 words in a row with an article: {copied}"


# --- no lasting change on a classifier guess alone ------------------------------------------------


def test_a_breakup_read_as_a_slip_restarts_nothing_and_starts_the_triage(dispatcher):
    """ "my ex and I broke up" once got "So we count again from ... Today is day one." with no
    count ever started."""
    tracker = stated("report_relapse", text="my ex and I broke up")
    events = run(ActionNoContactRelapse(), tracker, dispatcher)
    assert "no_contact_start" not in slots_set(events) and "count again" not in texts(dispatcher)
    assert events == [FollowupAction("triage_form")]


def test_a_guessed_slip_with_a_count_asks_first_and_changes_nothing(dispatcher):
    tracker = stated(
        "report_relapse",
        text="we talked about the dog",
        slots={"no_contact_start": "2026-11-01", "no_contact_relapses": 0.0},
    )
    assert run(ActionNoContactRelapse(), tracker, dispatcher) == []
    assert "did you get in touch" in texts(dispatcher)
    assert payloads(dispatcher) == ['/report_relapse{"no_contact_date":"2026-11-23"}', "/ask_no_contact_day"]
    # the button is the user's clear word: now the count restarts
    pressed = make_tracker(
        intent="report_relapse",
        text=payloads(dispatcher)[0],
        entities=[{"entity": "no_contact_date", "value": "2026-11-23"}],
        slots={"no_contact_start": "2026-11-01", "no_contact_relapses": 0.0},
    )
    assert (
        slots_set(run(ActionNoContactRelapse(), pressed, CollectingDispatcher()))["no_contact_start"]
        == "2026-11-23"
    )


def test_a_guessed_start_asks_first_and_sets_nothing(dispatcher):
    tracker = stated("start_no_contact", text="we stopped talking 10 days ago")
    assert run(ActionNoContactStart(), tracker, dispatcher) == []
    assert "would you like me to start counting" in texts(dispatcher)
    assert payloads(dispatcher) == [
        '/start_no_contact{"no_contact_date":"2026-11-13"}',
        '/start_no_contact{"no_contact_date":"2026-11-23"}',
        "/deny",
    ]


def test_a_start_stated_mid_triage_counts_and_leaves_the_question_to_the_form(dispatcher):
    tracker = stated(
        "start_no_contact",
        text="I started no contact 10 days ago",
        active_loop="triage_form",
        slots={"requested_slot": "breakup_count"},
    )
    events = run(ActionNoContactStart(), tracker, dispatcher)
    assert slots_set(events)["no_contact_start"] == "2026-11-13"
    assert not any("checkin" in p for p in payloads(dispatcher))


def test_a_guess_without_a_breakup_word_records_nothing_and_starts_nothing(dispatcher):
    unclear = stated("report_relapse", text="I messed up last night")
    assert run(ActionNoContactRelapse(), unclear, dispatcher) == [FollowupAction("action_explain_scope")]
    assert "count again" not in texts(dispatcher)


def test_every_button_that_starts_or_restarts_a_count_carries_a_date(dispatcher):
    """A button says exactly which day it means."""
    run(ActionNoContactStatus(), make_tracker(intent="ask_no_contact_day"), dispatcher)
    run(ActionNoContactStart(), stated("start_no_contact", text="we stopped talking"), dispatcher)
    run(
        ActionNoContactRelapse(),
        stated("report_relapse", text="hm", slots={"no_contact_start": "2026-11-01"}),
        dispatcher,
    )
    counting = [p for p in payloads(dispatcher) if p.startswith(("/start_no_contact", "/report_relapse"))]
    assert counting and all('"no_contact_date":"' in p for p in counting)


@pytest.mark.parametrize(
    "text",
    [
        "ok so i did no contact for like 3 weeks but last night i drunk texted her 🙃",
        "i ended up texting him on saturday",
    ],
)
def test_a_drunk_text_or_an_ended_up_texting_is_a_clear_slip(text):
    """Heard in a conversation: "... last night i drunk texted her 🙃" got the menu: the words
    were not read as a slip, so the slip's answer never came."""
    said = [e["value"] for e in pattern_facts(text) if e["entity"] == "no_contact"]
    assert said == ["slip"], said


def test_does_that_reset_everything_after_a_slip_with_no_count_gets_a_short_answer(dispatcher):
    """Heard in a conversation: after the slip was answered, "does that reset everything??" got
    "Sorry if that wasn't clear. I only ask what helps me fit the advice"."""

    base = stated("report_relapse", text="does that reset everything??")
    events = [{"event": "action", "name": "action_no_contact_relapse"}, {"event": "user", "text": "x"}]
    result = run(ActionNoContactRelapse(), with_events(base, events), dispatcher)
    assert texts(dispatcher).startswith("Only the count starts again")
    assert "no_contact_start" not in slots_set(result)
    assert any(p.startswith("/start_no_contact") for p in payloads(dispatcher))


def test_the_count_names_the_day_the_way_people_count_it():
    """Heard over REST: "im on day 12 of no contact" got "That's 11 days of no contact so far",
    which reads as a miscount. The day the count started is day one, as people say it."""
    from actions.no_contact import count_text

    assert count_text(0) == "Today is day one."
    assert count_text(11) == "That's 11 full days of no contact behind you; today is day 12."
    assert count_text(1) == "That's 1 full day of no contact behind you; today is day 2."
