"""Conversations survive a restart of the Rasa server with the default SQLite tracker store."""

import pytest
import requests

from servers import Chat, is_advice, text_of


@pytest.fixture(scope="module")
def stack(sqlite_stack):
    """The shared `sqlite_stack` (tests/conftest.py): `rasa run` on the project's SQLite store, with
    the API behind its token; this module restarts its Rasa server."""
    return sqlite_stack


def tracker(stack, sender):
    response = requests.get(
        f"{stack.url}/conversations/{sender}/tracker", params={"token": stack.token}, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_a_restart_keeps_the_conversation_and_its_slots(stack):
    chat = Chat(stack.rest_url)
    chat.say("my boyfriend dumped me two weeks ago")
    chat.say("yes it's the first time")
    before = tracker(stack, chat.sender)
    said_before = [e["text"] for e in before["events"] if e["event"] == "user"]

    stack.stop_rasa()
    stack.start_rasa()

    after_restart = tracker(stack, chat.sender)
    assert after_restart["slots"]["who_ended"] == "ex"
    assert after_restart["slots"]["ex_pronoun"] == "he"
    assert after_restart["slots"]["scenario"] == "he_broke_up"
    assert after_restart["active_loop"].get("name") == "triage_form"
    # The conversation picks up where it was: the next answer completes the triage.
    replies = chat.say('/inform{"ex_behaviour":"silent"}')
    advice = text_of(replies)
    assert is_advice(replies) and " his " in advice and "not a therapist" not in advice
    said_after = [e["text"] for e in tracker(stack, chat.sender)["events"] if e["event"] == "user"]
    assert said_after[: len(said_before)] == said_before  # every earlier turn, in order
    assert said_after[-1] == '/inform{"ex_behaviour":"silent"}'


def test_the_api_refuses_requests_without_the_token(stack):
    sender = "someone-else"
    assert requests.get(f"{stack.url}/conversations/{sender}/tracker", timeout=30).status_code == 401
    assert (
        requests.get(
            f"{stack.url}/conversations/{sender}/tracker", params={"token": "wrong"}, timeout=30
        ).status_code
        == 401
    )
