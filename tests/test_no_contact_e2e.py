"""End to end, with real servers: a no-contact count that survives a restart of both servers
(with "today" moved forward in between), and check-ins delivered to a Telegram chat (the fake Bot
API of test_telegram.py), stopped on request, and delivered after a restart that happened while
one was pending; and on the web widget's Socket.IO channel, a check-in sent while the page was
closed arrives when the page opens again, once. A check-in "day" lasts ADVISOR_CHECKIN_SECONDS_PER_DAY = 2 seconds here."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
import socketio
import requests

from servers import Chat, Stack, free_port, stop, sqlite_store, text_of, until
from test_telegram import FakeBotAPI, message_update, send_update, telegram_env

API_TOKEN = "test-token-not-a-secret"
SECONDS_PER_DAY = 2


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nocontact")
    credentials = tmp / "credentials.yml"
    credentials.write_text(
        "rest:\nchannels.telegram.TelegramInput:\nchannels.webchat.WebChatInput:\n"
        "  user_message_evt: user_uttered\n  bot_message_evt: bot_uttered\n"
        "  session_persistence: true\n"
    )
    api = FakeBotAPI(free_port()).start()
    env = telegram_env(
        api.base,
        drop=("TELEGRAM_", "ADVISOR_"),
        ADVISOR_TODAY="2026-05-10",
        ADVISOR_CHECKIN_SECONDS_PER_DAY=str(SECONDS_PER_DAY),
    )
    stack = Stack(
        tmp,
        credentials=credentials,
        env=env,
        rasa_args=["--enable-api", "--auth-token", API_TOKEN],
        extra_endpoints=sqlite_store(tmp / "conversations.db"),
    )
    try:
        stack.start()
        until(lambda: api.named("setWebhook"), 30, "setWebhook", stack.rasa_log())
        yield stack, api
    finally:
        stack.stop()
        api.stop()


def tg_say(stack, text, chat_id):
    response = send_update(f"{stack.url}/webhooks/telegram/webhook", message_update(chat_id, text))
    assert response.status_code == 200, response.text


def tracker(stack, sender):
    response = requests.get(
        f"{stack.url}/conversations/{sender}/tracker", params={"token": API_TOKEN}, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()


def checkins_to(api, chat_id, since=0):
    return [m for m in api.messages_to(chat_id, since) if "checking in" in m.get("text", "")]


STATE = {}


def test_a_no_contact_count_starts(stack):
    stack, _ = stack
    chat = Chat(stack.rest_url)
    said = text_of(chat.say("I started no contact on 3 May"))
    assert "3 May 2026" in said and "7 full days of no contact behind you; today is day 8" in said
    said = text_of(chat.say("what day am I on?"))
    assert "You're on day 8: 7 full days" in said
    STATE["chat"] = chat


def test_a_check_in_reaches_the_telegram_chat_when_due(stack):
    stack, api = stack
    chat_id = 880001
    tg_say(stack, "check in on me in 3 days", chat_id)
    asked = time.monotonic()
    assert "I'll check in with you in 3 days" in "\n".join(m["text"] for m in api.messages_to(chat_id))
    (message,) = until(lambda: checkins_to(api, chat_id), 30, "the check-in", stack.rasa_log())
    waited = time.monotonic() - asked
    assert 3 * SECONDS_PER_DAY - 1 <= waited <= 3 * SECONDS_PER_DAY + 10, waited
    assert "How are you doing?" in message["text"] and "/stop_checkins" in str(message.get("reply_markup"))
    assert tracker(stack, str(chat_id))["slots"]["checkin_due"] is None


def test_stopped_check_ins_are_not_sent(stack):
    stack, api = stack
    chat_id = 880002
    tg_say(stack, "check in on me in 2 days", chat_id)
    tg_say(stack, "stop the check-ins", chat_id)
    assert "stopped the check-ins" in "\n".join(m["text"] for m in api.messages_to(chat_id))
    time.sleep(2 * SECONDS_PER_DAY + 4)
    assert checkins_to(api, chat_id) == []


class Page:
    """The web widget's side of the Socket.IO channel: a session id kept across page loads."""

    def __init__(self, url, session_id):
        self.url, self.session_id, self.received = url, session_id, []
        self.client = socketio.AsyncClient(reconnection=False)
        self.client.on("bot_uttered", lambda data: self.received.append(data))

    async def open(self):
        confirmed = asyncio.Event()
        self.client.on("session_confirm", lambda _: confirmed.set())
        await self.client.connect(self.url, socketio_path="/socket.io", transports=["websocket"])
        await self.client.emit("session_request", {"session_id": self.session_id})
        await asyncio.wait_for(confirmed.wait(), 10)
        return self

    async def say(self, text, wait_for):
        before = len(self.received)
        await self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})
        await self.until(lambda: any(wait_for in (m.get("text") or "") for m in self.received[before:]), 60)

    async def until(self, condition, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return True
            await asyncio.sleep(0.2)
        return False

    def checkins(self):
        return [m for m in self.received if "checking in" in (m.get("text") or "")]


def test_web_a_check_in_reaches_an_open_page_and_is_not_repeated(stack):
    stack, _ = stack

    async def scenario():
        session = uuid.uuid4().hex
        page = await Page(stack.url, session).open()
        await page.say("check in on me in 2 days", "I'll check in with you")
        assert await page.until(page.checkins, 30), "the check-in did not reach the open page"
        await page.client.disconnect()
        again = await Page(stack.url, session).open()
        await asyncio.sleep(2)
        await again.client.disconnect()
        return again.checkins()

    assert asyncio.run(scenario()) == []


def test_web_a_check_in_sent_while_the_page_was_closed_arrives_when_it_opens(stack):
    stack, _ = stack

    async def scenario():
        session = uuid.uuid4().hex
        page = await Page(stack.url, session).open()
        await page.say("check in on me in 2 days", "I'll check in with you")
        await page.client.disconnect()  # the user closes the page
        await asyncio.sleep(2 * SECONDS_PER_DAY + 3)
        sent = [
            e
            for e in tracker(stack, session)["events"]
            if e["event"] == "bot" and "checking in" in (e.get("text") or "")
        ]
        assert sent, "the check-in was not sent while the page was closed"
        assert page.checkins() == []
        reopened = await Page(stack.url, session).open()
        arrived = await reopened.until(reopened.checkins, 10)
        await reopened.client.disconnect()
        return arrived, reopened.checkins()

    arrived, checkins = asyncio.run(scenario())
    assert arrived and len(checkins) == 1 and "How are you doing?" in checkins[0]["text"]
    assert any(
        b["payload"] == "/stop_checkins"
        for b in checkins[0].get("quick_replies") or checkins[0].get("buttons") or []
    )


def test_a_restart_keeps_the_count_and_the_pending_check_in(stack):
    stack, api = stack
    chat_id = 880003
    tg_say(stack, "check in on me in 10 days", chat_id)  # due in 20 s: falls due during the restart
    assert tracker(stack, str(chat_id))["slots"]["checkin_due"]
    since = len(api.calls)
    stack.stop_rasa()
    stop(stack.actions)
    stack.env["ADVISOR_TODAY"] = "2026-06-02"  # 30 days after 3 May
    stack.start_actions().start_rasa()

    (message,) = until(
        lambda: checkins_to(api, chat_id, since), 60, "the check-in after the restart", stack.rasa_log()
    )
    assert "How are you doing?" in message["text"]
    assert "Check-ins rescheduled after start-up: 1 pending." in stack.rasa_log().read_text()

    chat = STATE["chat"]
    after = tracker(stack, chat.sender)
    assert after["slots"]["no_contact_start"] == "2026-05-03"
    said = text_of(chat.say("what day am I on?"))
    assert "You're on day 31: 30 full days" in said and "A month of no contact" in said
    assert tracker(stack, chat.sender)["slots"]["no_contact_milestone"] == 30.0
    said = text_of(chat.say("I texted him yesterday"))
    assert "count again from 1 June 2026" in said
    assert tracker(stack, chat.sender)["slots"]["no_contact_relapses"] == 1.0
