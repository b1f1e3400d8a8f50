"""End to end over the REST channel: the trained model, the Rasa server and the action server,
started here as a user would start them. Covers whole conversations and bad input."""
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from conftest import ROOT

MODEL = ROOT / "models" / "advisor.tar.gz"
RASA = str(Path(sys.executable).parent / "rasa")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url, proc, log, seconds=240, method="get", **kwargs):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()[-3000:]}")
        try:
            if getattr(requests, method)(url, timeout=5, **kwargs).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"server did not answer at {url} in {seconds}s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does it)")
    tmp = tmp_path_factory.mktemp("e2e")
    action_port, rasa_port = _free_port(), _free_port()
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n')
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", RASA_TELEMETRY_ENABLED="false")
    procs = []
    try:
        alog = tmp / "actions.log"
        actions = subprocess.Popen([RASA, "run", "actions", "--actions", "actions", "--port", str(action_port)],
                                   cwd=ROOT, env=env, stdout=alog.open("w"), stderr=subprocess.STDOUT)
        procs.append(actions)
        rlog = tmp / "rasa.log"
        rasa = subprocess.Popen([RASA, "run", "--model", str(MODEL), "--endpoints", str(endpoints),
                                 "--credentials", str(ROOT / "credentials.yml"), "--port", str(rasa_port),
                                 "--interface", "127.0.0.1"],
                                cwd=ROOT, env=env, stdout=rlog.open("w"), stderr=subprocess.STDOUT)
        procs.append(rasa)
        _wait(f"http://127.0.0.1:{action_port}/health", actions, alog)
        url = f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook"
        _wait(url, rasa, rlog, method="post", json={"sender": "warmup", "message": "hi"})
        yield {"url": url, "rasa_log": rlog, "actions_log": alog}
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


class Chat:
    def __init__(self, url):
        self.url, self.sender = url, f"test-{uuid.uuid4().hex[:8]}"

    def say(self, message):
        response = requests.post(self.url, json={"sender": self.sender, "message": message}, timeout=60)
        assert response.status_code == 200, response.text
        replies = response.json()
        assert isinstance(replies, list)
        return replies


def text_of(replies):
    return "\n".join(r.get("text") or "" for r in replies)


def buttons_of(replies):
    return [b["payload"] for r in replies for b in r.get("buttons") or []]


@pytest.fixture
def chat(servers):
    return Chat(servers["url"])


def test_a_whole_conversation_he_broke_up(chat):
    first = chat.say("my boyfriend dumped me three weeks ago")
    assert "not a therapist" in text_of(first)                 # the disclaimer opens the session
    assert "first time" in text_of(first)                      # only the missing facts are asked
    assert "How long ago" not in text_of(first)                # "three weeks ago" was understood
    assert '/inform{"breakup_count":"first"}' in buttons_of(first)  # payloads survive templating
    second = chat.say("yes, the first time")
    assert "How does your ex act" in text_of(second)
    advice = chat.say('/inform{"ex_behaviour":"silent"}')
    said = text_of(advice)
    assert "Source: " in said and " him" in said and "{" not in said
    follow_up = buttons_of(advice)[0]
    more = chat.say(follow_up)
    assert "Source: " in text_of(more)


def test_crisis_in_the_middle_of_the_triage(chat):
    chat.say("my wife left me")
    replies = chat.say("i can't do this anymore, i want to kill myself")
    said = text_of(replies)
    assert "988" in said and "116 123" in said and "findahelpline.com" in said
    assert "Source:" not in said and not buttons_of(replies)
    assert "Hi, I'm here" in text_of(chat.say("hello"))     # the conversation goes on


def test_abuse_blocks_reconciliation_for_the_rest_of_the_conversation(chat):
    assert "1-800-799-7233" in text_of(chat.say("he choked me last month during a fight"))
    blocked = text_of(chat.say("how do i text him after no contact"))
    assert "won't help with getting back together" in blocked
    assert "won't help" in text_of(chat.say("my boyfriend broke up with me"))


@pytest.mark.parametrize("message", [
    "", "   ", "\U0001F494\U0001F62D", "a" * 10_000, "why " * 2500,
    "¿Por qué me dejó mi novio?", "Warum hat sie mich verlassen?", "他为什么离开我",
    '/ask_no_contact{"safety": null}', "/nonexistent_intent", '/inform{"who_ended":"hacker"}',
    "/inform{not json", "<script>alert('x')</script>", "\x00\x07\x1b[31m", "\u202e\ufeff",
])
def test_bad_input_gets_a_kind_reply(chat, message, servers):
    chat.say("hi")  # past the session start, so the disclaimer can't pass for a reply
    replies = chat.say(message)
    said = text_of(replies)
    assert replies and said.strip(), f"no reply to {message[:40]!r}"
    assert "Traceback" not in said and "Exception" not in said
    assert chat.say("hi"), "the conversation must go on after bad input"


def test_the_server_survived_everything(servers):
    log = servers["rasa_log"].read_text()
    assert "Traceback" not in log and " ERROR " not in log, log[-3000:]


def test_typed_button_titles_reach_their_topic(servers):
    """A follow-up button's title typed as text gets the same answer as pressing it."""
    from actions.content_store import content
    from actions.pronouns import fill

    current = content()
    missed = []
    for topic_id, topic in current.registry.topics.items():
        chat = Chat(servers["url"])
        chat.say("hi")
        said = text_of(chat.say(fill(topic.button, "she")))
        # The card follows the pronoun the typed title carried ("She's ...") or "they" if none.
        title = current.main_card(topic_id).title
        if not any(fill(title, pronoun) in said for pronoun in ("she", "they")):
            missed.append(topic_id)
    assert missed == []
