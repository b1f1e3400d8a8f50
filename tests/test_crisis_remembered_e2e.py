"""End to end over REST: a user who disclosed a crisis comes back in a later session and is asked,
once, how they are, with the crisis lines (their country's first); the abuse flag carries over.

A later session is a real one: the conversation's stored events are moved two hours into the
past in the SQLite conversation store (with the store's tracker cache off, so it reads them), and
Rasa starts a new session on the next message, as after an hour of silence (domain/session.yml).
"""

import sqlite3

import pytest

from servers import Chat, text_of, buttons_of

WELCOME_BACK = "how are you doing now?"
DISCLAIMER = "I'm an advice bot"
HOURS_AGO = 2


@pytest.fixture(scope="module")
def stack(sqlite_stack):
    """The shared `sqlite_stack` (tests/conftest.py): the project's SQLite store on `db`, with the
    store's tracker cache off (ADVISOR_TRACKER_CACHE=0), so every turn reads the moved events."""
    assert sqlite_stack.env["ADVISOR_TRACKER_CACHE"] == "0"
    return sqlite_stack


def silence(stack, sender, hours=HOURS_AGO):
    """As if the user's last message was `hours` ago: every stored event moved back in time (the
    column Rasa finds the latest session by, and the timestamp inside the event)."""
    seconds = hours * 3600
    with sqlite3.connect(stack.db) as db:
        moved = db.execute(
            "UPDATE events SET timestamp = timestamp - ?, "
            "data = json_set(data, '$.timestamp', json_extract(data, '$.timestamp') - ?) "
            "WHERE sender_id = ?",
            (seconds, seconds, sender),
        ).rowcount
    assert moved > 0


def test_after_a_crisis_the_next_session_asks_once_how_the_user_is(stack):
    chat = Chat(stack.rest_url)
    crisis = text_of(chat.say("i want to end my life"))
    assert "findahelpline.com" in crisis and "Tell me your country" in crisis
    same_session = text_of(chat.say("thank you"))
    assert WELCOME_BACK not in same_session and DISCLAIMER not in same_session

    silence(stack, chat.sender)
    # The browser says en-GB with the message that opens the new session.
    replies = chat.say("hi", metadata={"language": "en-GB"})
    said = text_of(replies)
    assert said.count(DISCLAIMER) == 1, said  # a new session started
    assert said.count(WELCOME_BACK) == 1, said
    assert said.index("Samaritans") < said.index("findahelpline.com") and "988" not in said
    assert "/choose_country" in buttons_of(replies)  # lines in another country
    assert said.index(WELCOME_BACK) < said.index("Hi, I'm here to help")  # then the greeting

    later = text_of(chat.say("my girlfriend broke up with me last week", metadata={"language": "en-GB"}))
    assert WELCOME_BACK not in later and "Samaritans" not in later and DISCLAIMER not in later

    silence(stack, chat.sender)
    again = text_of(chat.say("hello again"))
    assert again.count(WELCOME_BACK) == 1, again  # every later session


def test_without_a_crisis_a_new_session_opens_with_the_disclaimer_only(stack):
    chat = Chat(stack.rest_url)
    chat.say("my boyfriend broke up with me")
    silence(stack, chat.sender)
    said = text_of(chat.say("hi"))
    assert DISCLAIMER in said and WELCOME_BACK not in said and "findahelpline.com" not in said


def test_abuse_carries_over_and_a_crisis_beside_it_is_remembered(stack):
    chat = Chat(stack.rest_url)
    assert "not your fault" in text_of(chat.say("he hit me and threatened to kill me"))
    silence(stack, chat.sender)
    opening = text_of(chat.say("hi"))
    assert DISCLAIMER in opening and WELCOME_BACK not in opening  # abuse alone: no crisis question
    blocked = text_of(chat.say("how do I get him back?"))
    assert "won't help with getting back together" in blocked, blocked

    chat.say("i want to die")
    silence(stack, chat.sender)
    back = text_of(chat.say("hi"))
    assert back.count(WELCOME_BACK) == 1 and "findahelpline.com" in back, back
    still_blocked = text_of(chat.say("how do I get him back?"))
    assert "won't help with getting back together" in still_blocked, still_blocked


def test_saying_one_is_doing_better_stops_the_welcome_back_until_a_new_crisis(stack):
    chat = Chat(stack.rest_url)
    crisis = chat.say("i want to end my life")
    silence(stack, chat.sender)
    back = chat.say("hi")
    assert text_of(back).count(WELCOME_BACK) == 1 and "/feeling_better" in buttons_of(back)
    better = chat.say("I'm doing better now")
    assert "glad" in text_of(better) and "/show_crisis_lines" in buttons_of(better)  # lines one tap away

    silence(stack, chat.sender)
    later = text_of(chat.say("hi"))
    assert DISCLAIMER in later and WELCOME_BACK not in later, later
    lines = text_of(chat.say("/show_crisis_lines"))
    assert "findahelpline.com" in lines

    again = chat.say("i want to end my life")
    # the crisis reply unchanged (the first one came after the session's disclaimer)
    assert text_of(again) == text_of([r for r in crisis if DISCLAIMER not in (r.get("text") or "")])
    silence(stack, chat.sender)
    assert text_of(chat.say("hi")).count(WELCOME_BACK) == 1
