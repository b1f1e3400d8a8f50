"""Failures: the action server down or slow, and the conversation store unreachable. The user
gets a short, clear reply, the log a clear error, the server keeps running, and the conversation
goes on once the failed part is back."""

from __future__ import annotations

import http.server
import socket
import threading
import time

import pytest

import postgres
from servers import ENV, Chat, Stack, free_port, is_advice, sqlite_store, text_of

ACTION_APOLOGY = "something went wrong on my side"
STORE_APOLOGY = "can't reach my memory"


# -- the action server --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("failures")
    stack = Stack(
        tmp,
        launcher=True,
        env=dict(ENV, ADVISOR_ACTION_TIMEOUT="3"),
        extra_endpoints=sqlite_store(tmp / "conversations.db"),
    )
    try:
        yield stack.start()
    finally:
        stack.stop()


class SlowHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        time.sleep(20)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_action_server_down_then_back(stack):
    chat = Chat(stack.rest_url)
    assert "first time" in text_of(chat.say("my boyfriend dumped me three weeks ago"))
    stack.actions.terminate()
    stack.actions.wait(30)

    started = time.monotonic()
    replies = chat.say("yes, the first time")
    took = time.monotonic() - started
    said = text_of(replies)
    assert ACTION_APOLOGY in said, said
    assert said.count(ACTION_APOLOGY) == 1, "one apology per turn"
    print(f"\naction server down: apology in {took:.2f} s")
    assert "Custom action" in stack.rasa_log().read_text()

    stack.start_actions()  # back on the same port
    again = text_of(chat.say("yes, the first time"))  # the same answer, once more
    assert ACTION_APOLOGY not in again and "how does your ex act" in again.lower(), again
    assert is_advice(chat.say('/inform{"ex_behaviour":"silent"}'))


def test_action_server_slow_gets_an_apology_within_the_timeout(stack):
    stack.actions.terminate()
    stack.actions.wait(30)
    slow = http.server.ThreadingHTTPServer(("127.0.0.1", stack.action_port), SlowHandler)
    thread = threading.Thread(target=slow.serve_forever, daemon=True)
    thread.start()
    try:
        chat = Chat(stack.rest_url)
        chat.say("hi")
        started = time.monotonic()
        said = text_of(chat.say("how do i do no contact"))
        took = time.monotonic() - started
        print(f"\naction server slow (20 s), timeout 3 s: apology in {took:.2f} s")
        assert ACTION_APOLOGY in said and took < 12
        assert "no answer within 3 s" in stack.rasa_log().read_text()
    finally:
        slow.shutdown()
        slow.server_close()
    stack.start_actions()
    assert is_advice(chat.say("how do i do no contact"))
    assert stack.rasa.poll() is None


# -- the conversation store ---------------------------------------------------------------------


class Switch:
    """A TCP proxy to PostgreSQL that can be turned off (connections refused and cut) and on."""

    def __init__(self, target_port: int):
        self.port, self.target, self.on = free_port(), target_port, False
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", self.port))
        self.server.listen(50)
        self.open = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if not self.on:
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target))
            self.open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a, b):
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.close()
                except OSError:
                    pass

    def turn_off(self):
        self.on = False
        for s in self.open:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self.open = []

    def close(self):
        self.turn_off()
        self.server.close()


@pytest.fixture(scope="module")
def pg_down(tmp_path_factory):
    settings = next(db := postgres.database("advisor_failures_test"))  # its own: files run in parallel
    switch = Switch(settings["port"])  # off: the database is unreachable
    stack = Stack(
        tmp_path_factory.mktemp("store-down"),
        launcher=True,
        env=dict(ENV, ADVISOR_DB_STARTUP_ATTEMPTS="2"),
        extra_endpoints=postgres.endpoints_yaml(dict(settings, port=switch.port)),
    )
    try:
        started = time.monotonic()
        stack.start()
        stack.started_in = time.monotonic() - started
        yield stack, switch
    finally:
        stack.stop()
        switch.close()
        next(db, None)


def test_store_unreachable_at_start_up_and_later(pg_down):
    stack, switch = pg_down
    print(f"\nRasa started with its database unreachable in {stack.started_in:.0f} s")
    log = stack.rasa_log()
    assert "unreachable after 2 attempts" in log.read_text()

    chat = Chat(stack.rest_url)
    said = text_of(chat.say("my boyfriend dumped me"))
    assert STORE_APOLOGY in said and "not a therapist" not in said, said
    assert "The conversation store" in log.read_text() and "is unreachable" in log.read_text()

    switch.on = True  # the database is back
    assert "first time" in text_of(chat.say("my boyfriend dumped me three weeks ago"))
    assert "How does your ex act" in text_of(chat.say("yes, the first time"))

    switch.turn_off()  # and gone again, mid-conversation
    said = text_of(chat.say('/inform{"ex_behaviour":"silent"}'))
    assert STORE_APOLOGY in said, said
    switch.on = True
    assert is_advice(chat.say('/inform{"ex_behaviour":"silent"}')), "the conversation continues where it was"
    assert stack.rasa.poll() is None and stack.starts == 1, "no crash, no restart"
