"""The Telegram channel (channels/telegram.py), fully offline.

A small aiohttp app plays the Bot API on a local port and records every method call. `rasa run`
starts with the trained model, the action server and a credentials file naming the connector,
configured by TELEGRAM_* variables pointing at that fake API. The fake API is started only after
Rasa is up, so the same run also checks the start-up behaviour when the Bot API is unreachable:
REST keeps answering, the log says so, and the webhook is set once the API answers.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import threading
import time
from typing import Any, Dict, List, Optional

import pytest
import requests
import yaml
from aiohttp import web

from conftest import ROOT
from servers import ENV, Stack, free_port, sqlite_store, until

TOKEN = "123456:TEST-token_for-the-fake-api"
BOT_USERNAME = "advisor_test_bot"
SECRET = "s3cret-Token_for_tests"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
PUBLIC_URL = "https://advisor.example.test/webhooks/telegram/webhook"

_update_ids = itertools.count(1000)


def telegram_env(api_base: str, drop=("TELEGRAM_",), **extra: str) -> Dict[str, str]:
    """The test environment, with the connector configured for the fake Bot API at `api_base`
    (variables starting with `drop` are left out first)."""
    env = {k: v for k, v in ENV.items() if not k.startswith(drop)}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BOT_USERNAME=BOT_USERNAME,
        TELEGRAM_WEBHOOK_URL=PUBLIC_URL,
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        TELEGRAM_API_BASE=api_base,
        **extra,
    )
    return env


def send_update(webhook: str, update: Dict[str, Any], secret: Optional[str] = SECRET) -> requests.Response:
    """POSTs an update to the Rasa server's Telegram webhook, as Telegram would."""
    headers = {} if secret is None else {SECRET_HEADER: secret}
    return requests.post(webhook, json=update, headers=headers, timeout=120)


# --- the fake Bot API ----------------------------------------------------------------------------


class FakeBotAPI:
    """Answers Bot API methods like Telegram does, on 127.0.0.1:port, and records every call."""

    def __init__(self, port: int, token: str = TOKEN) -> None:
        self.port, self.token = port, token
        self.calls: List[Dict[str, Any]] = []
        self._loop = asyncio.new_event_loop()
        self._thread: Optional[threading.Thread] = None
        self._runner: Optional[web.AppRunner] = None
        self._message_ids = itertools.count(1)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "FakeBotAPI":
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self._loop)
            app = web.Application()
            app.router.add_route("*", "/bot{token}/{method}", self._handle)
            self._runner = web.AppRunner(app)
            self._loop.run_until_complete(self._runner.setup())
            self._loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port).start())
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        assert ready.wait(10), "the fake Bot API did not start"
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.content_type == "application/json":
            params = await request.json()
        else:
            params = dict(await request.post())
        call = {"method": method, "params": params, "token": request.match_info["token"]}
        self.calls.append(call)
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        if method == "getMe":
            result: Any = {"id": 123456, "is_bot": True, "first_name": "Advisor", "username": BOT_USERNAME}
        elif method in ("sendMessage", "editMessageText"):
            result = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "text": params.get("text", ""),
            }
        else:  # setWebhook, answerCallbackQuery, sendChatAction, editMessageReplyMarkup ...
            result = True
        call["result"] = result
        return web.json_response({"ok": True, "result": result})

    # what the connector sent
    def named(self, method: str) -> List[Dict[str, Any]]:
        return [c["params"] for c in self.calls if c["method"] == method]

    def messages_to(self, chat_id: int, since: int = 0) -> List[Dict[str, Any]]:
        """The messages sent to a chat, with the message_id the Bot API gave each."""
        return [
            dict(c["params"], message_id=(c.get("result") or {}).get("message_id"))
            for c in self.calls[since:]
            if c["method"] == "sendMessage" and str(c["params"].get("chat_id")) == str(chat_id)
        ]

    def to_chat(self, chat_id: int, since: int = 0) -> List[Dict[str, Any]]:
        """Every call (any method) naming a chat, in order."""
        return [c for c in self.calls[since:] if str(c["params"].get("chat_id")) == str(chat_id)]


def keyboard(message: Dict[str, Any]) -> List[Dict[str, str]]:
    markup = message.get("reply_markup")
    if not markup:
        return []
    markup = json.loads(markup) if isinstance(markup, str) else markup
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def text_of(messages: List[Dict[str, Any]]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


# --- updates as Telegram sends them --------------------------------------------------------------


def _user(chat_id: int) -> Dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": "Sam", "language_code": "en"}


def _chat(chat_id: int, chat_type: str) -> Dict[str, Any]:
    if chat_type == "private":
        return {"id": chat_id, "first_name": "Sam", "type": "private"}
    return {"id": chat_id, "title": "Friends", "type": chat_type}


def message_update(
    chat_id: int, text: str, chat_type: str = "private", kind: str = "message"
) -> Dict[str, Any]:
    """An update with a new message (kind "message") or an edited one ("edited_message")."""
    update_id = next(_update_ids)
    message = {
        "message_id": update_id,
        "date": int(time.time()),
        "from": _user(abs(chat_id)),
        "chat": _chat(chat_id, chat_type),
        "text": text,
        **(
            {"entities": [{"offset": 0, "length": len(text.split()[0]), "type": "bot_command"}]}
            if text.startswith("/")
            else {}
        ),
    }
    if kind == "edited_message":
        message["edit_date"] = int(time.time())
    return {"update_id": update_id, kind: message}


def callback_update(
    chat_id: int,
    data: str,
    query_id: str,
    message_id: int = 1,
    reply_markup: Any = None,
    chat_type: str = "private",
) -> Dict[str, Any]:
    update_id = next(_update_ids)
    message = {
        "message_id": message_id,
        "date": int(time.time()),
        "from": {"id": 123456, "is_bot": True, "first_name": "Advisor", "username": BOT_USERNAME},
        "chat": _chat(chat_id, chat_type),
        "text": "a question",
    }
    if reply_markup:
        message["reply_markup"] = json.loads(reply_markup) if isinstance(reply_markup, str) else reply_markup
    return {
        "update_id": update_id,
        "callback_query": {
            "id": query_id,
            "from": _user(abs(chat_id)),
            "chat_instance": "42",
            "data": data,
            "message": message,
        },
    }


# --- the servers ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def telegram(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("telegram")
    credentials = tmp / "credentials.yml"
    credentials.write_text("rest:\nchannels.telegram.TelegramInput:\n")
    api_port = free_port()
    env = telegram_env(f"http://127.0.0.1:{api_port}", TELEGRAM_RETRY_MAX_SECONDS="1")
    api = FakeBotAPI(api_port)  # not started yet: the Bot API is unreachable at start-up
    db = tmp / "conversations.db"  # the shipped store: SQLite, where update ids are kept too
    stack = Stack(tmp, credentials=credentials, env=env, extra_endpoints=sqlite_store(db))
    try:
        stack.start()  # returns once REST answers, with the Bot API still down
        rlog = stack.rasa_log()
        started = time.monotonic()
        reply = requests.post(stack.rest_url, json={"sender": "warmup", "message": "hi"}, timeout=30)
        down = {
            "rest_reply": reply.status_code == 200 and reply.json(),
            "health": requests.get(f"{stack.url}/webhooks/telegram/", timeout=5).json(),
        }
        until(lambda: "unreachable" in rlog.read_text(), 30, "the unreachable warning", rlog)
        down["log"] = rlog.read_text()
        api.start()
        until(lambda: api.named("setWebhook"), 15, "setWebhook after the Bot API came up", rlog)
        yield {
            "api": api,
            "rasa_port": stack.rasa_port,
            "rest": stack.rest_url,
            "rasa_log": rlog,
            "stack": stack,
            "db": db,
            "down": down,
            "webhook": f"{stack.url}/webhooks/telegram/webhook",
            "recovered_in": time.monotonic() - started,
        }
    finally:
        stack.stop()
        api.stop()


def post(telegram, update: Dict[str, Any], secret: Optional[str] = SECRET) -> requests.Response:
    return send_update(telegram["webhook"], update, secret)


def say(telegram, chat_id: int, text: str) -> List[Dict[str, Any]]:
    since = len(telegram["api"].calls)
    response = post(telegram, message_update(chat_id, text))
    assert response.status_code == 200, response.text
    return telegram["api"].messages_to(chat_id, since)


def press(telegram, chat_id: int, button: Dict[str, str], query_id: str) -> List[Dict[str, Any]]:
    since = len(telegram["api"].calls)
    response = post(telegram, callback_update(chat_id, button["callback_data"], query_id))
    assert response.status_code == 200, response.text
    answered = [c["params"] for c in telegram["api"].calls[since:] if c["method"] == "answerCallbackQuery"]
    assert [a["callback_query_id"] for a in answered] == [query_id]
    return telegram["api"].messages_to(chat_id, since)


# --- start-up ------------------------------------------------------------------------------------


def test_bot_api_unreachable_at_start_up_keeps_rest_up_and_retries(telegram):
    down = telegram["down"]
    assert down["rest_reply"], "REST must answer while the Bot API is unreachable"
    assert down["health"] == {"status": "ok", "webhook_set": False}
    assert "Telegram Bot API at http://127.0.0.1" in down["log"] and "retrying in" in down["log"]
    assert "The other channels keep running" in down["log"]
    health = requests.get(f"http://127.0.0.1:{telegram['rasa_port']}/webhooks/telegram/", timeout=5).json()
    assert health == {"status": "ok", "webhook_set": True}
    assert "Telegram webhook set: @advisor_test_bot" in telegram["rasa_log"].read_text()


def test_set_webhook_was_called_with_the_secret_token(telegram):
    (call,) = telegram["api"].named("setWebhook")
    assert call["url"] == PUBLIC_URL
    assert call["secret_token"] == SECRET
    assert set(json.loads(call["allowed_updates"])) >= {"message", "callback_query"}
    assert all(c["token"] == TOKEN for c in telegram["api"].calls)


# --- conversations -------------------------------------------------------------------------------


def test_a_message_gets_the_triage_question_then_buttons_lead_to_advice(telegram):
    chat_id = 770001
    first = say(telegram, chat_id, "my girlfriend dumped me three weeks ago")
    assert "not a therapist" in text_of(first)
    asked = [m for m in first if keyboard(m)]
    assert asked and "first time" in asked[-1]["text"]
    choices = {b["callback_data"]: b for b in keyboard(asked[-1])}
    assert '/inform{"breakup_count":"first"}' in choices
    assert all(len(data.encode()) <= 64 for data in choices)

    second = press(telegram, chat_id, choices['/inform{"breakup_count":"first"}'], "q-1")
    assert "How does your ex act" in text_of(second)
    behaviour = {b["callback_data"]: b for m in second for b in keyboard(m)}
    advice = press(telegram, chat_id, behaviour['/inform{"ex_behaviour":"silent"}'], "q-2")
    said = text_of(advice)
    assert "<b>" in said and " her" in said  # headings in bold, parse_mode HTML
    assert all(m.get("parse_mode") == "HTML" for m in advice)
    assert len(advice) <= 4, "a short first answer, not a wall"
    assert keyboard(advice[-1]), "the advice ends with its parts as an inline keyboard"
    assert all(str(m["chat_id"]) == str(chat_id) for m in first + second + advice)
    assert all(len(m["text"]) <= 4096 for m in first + second + advice)

    parts = {b["text"]: b for b in keyboard(advice[-1])}
    source = press(telegram, chat_id, parts["Where is this from?"], "q-3")
    assert "Where this advice comes from" in text_of(source) and ".txt" not in text_of(source)
    steps = press(telegram, chat_id, parts["What should I do?"], "q-4")
    assert "<b>What to do</b>" in text_of(steps) and "\n1. " in text_of(steps)


def test_the_message_workshop_on_telegram(telegram):
    """A draft checked over Telegram: its problems, escaped HTML, and the buttons to go on."""
    chat_id = 770009
    asked = say(telegram, chat_id, "can you check a text before I send it?")
    assert "Paste or type the message" in text_of(asked)
    verdict = say(telegram, chat_id, "please give me one more chance <3 i'll change, i promise")
    said = text_of(verdict)
    assert "What to change" in said and "<3" not in said  # anything quoted is escaped
    assert all(m.get("parse_mode") == "HTML" for m in verdict) and len(verdict) <= 4
    titles = [b["text"] for m in verdict for b in keyboard(m)]
    assert "Check another version" in titles and "Done" in titles


def test_commands_start_help_restart(telegram):
    chat_id = 770002
    assert "Hi, I'm here" in text_of(say(telegram, chat_id, "/start"))
    menu = say(telegram, chat_id, "/help")
    assert any(keyboard(m) for m in menu) and "I can help you" in text_of(menu)
    restarted = text_of(say(telegram, chat_id, "/restart"))
    assert "not a therapist" in restarted and "Hi, I'm here" in restarted
    assert "Hi, I'm here" in text_of(say(telegram, chat_id, f"/start@{BOT_USERNAME}"))


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x", SECRET[:-1]])
def test_a_forged_update_is_rejected_and_not_processed(telegram, secret):
    chat_id = 770003
    since = len(telegram["api"].calls)
    response = post(telegram, message_update(chat_id, "my boyfriend left me"), secret=secret)
    assert response.status_code == 401
    forged_press = post(telegram, callback_update(chat_id, "/ask_no_contact", "forged"), secret=secret)
    assert forged_press.status_code == 401
    time.sleep(0.5)
    assert telegram["api"].calls[since:] == [], "a forged update must not reach the Bot API"


def test_a_malformed_update_with_the_right_secret_is_a_bad_request(telegram):
    response = requests.post(
        telegram["webhook"],
        data=b"{not json",
        timeout=30,
        headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"},
    )
    assert response.status_code == 400


def test_get_me_is_called_once_over_several_updates(telegram):
    for text in ("hi", "thanks", "/help"):
        say(telegram, 770004, text)
    assert len(telegram["api"].named("getMe")) == 1


# --- hardening: each update once, keyboards, edits, groups, typing -------------------------------


def stored_events(telegram, sender_id: int) -> int:
    """How many events the conversation store holds for a chat."""
    import sqlite3

    with sqlite3.connect(telegram["db"]) as db:
        return db.execute("SELECT count(*) FROM events WHERE sender_id = ?", (str(sender_id),)).fetchone()[0]


def test_a_redelivered_update_is_acknowledged_and_not_answered_again(telegram):
    chat_id = 770010
    update = message_update(chat_id, "/start")
    since = len(telegram["api"].calls)
    assert post(telegram, update).status_code == 200
    first = telegram["api"].messages_to(chat_id, since)
    assert "Hi, I'm here" in text_of(first)
    events = stored_events(telegram, chat_id)
    telegram["redelivered"] = update  # sent again after a restart, below

    since = len(telegram["api"].calls)
    again = post(telegram, update)  # Telegram redelivers when the reply was slow
    assert again.status_code == 200
    time.sleep(0.5)
    assert telegram["api"].to_chat(chat_id, since) == [], "a redelivery must not be answered"
    assert stored_events(telegram, chat_id) == events, "a redelivery must not reach the advisor"


def test_the_same_update_delivered_concurrently_is_answered_once(telegram):
    from concurrent.futures import ThreadPoolExecutor

    chat_id = 770011
    update = message_update(chat_id, "/start")
    since = len(telegram["api"].calls)
    with ThreadPoolExecutor(4) as pool:
        statuses = [r.status_code for r in pool.map(lambda _: post(telegram, update), range(4))]
    assert statuses == [200] * 4
    said = text_of(telegram["api"].messages_to(chat_id, since))
    assert said.count("Hi, I'm here") == 1, said


def test_a_pressed_keyboard_is_replaced_by_the_marked_choice(telegram):
    chat_id = 770012
    api = telegram["api"]
    asked = [m for m in say(telegram, chat_id, "my girlfriend dumped me three weeks ago") if keyboard(m)]
    question = asked[-1]
    button = next(b for b in keyboard(question) if b["callback_data"] == '/inform{"breakup_count":"first"}')
    since = len(api.calls)
    response = post(
        telegram,
        callback_update(
            chat_id,
            button["callback_data"],
            "q-mark",
            message_id=question["message_id"],
            reply_markup=question["reply_markup"],
        ),
    )
    assert response.status_code == 200
    (edit,) = [c["params"] for c in api.calls[since:] if c["method"] == "editMessageReplyMarkup"]
    assert str(edit["chat_id"]) == str(chat_id) and int(edit["message_id"]) == question["message_id"]
    assert keyboard(edit) == [{"text": "\u2713 " + button["text"], "callback_data": "#chosen"}]
    assert "How does your ex act" in text_of(api.messages_to(chat_id, since))

    # the tick itself does nothing but stop the spinner
    since, events = len(api.calls), stored_events(telegram, chat_id)
    assert (
        post(
            telegram,
            callback_update(
                chat_id,
                "#chosen",
                "q-tick",
                message_id=question["message_id"],
                reply_markup=edit["reply_markup"],
            ),
        ).status_code
        == 200
    )
    assert [c["method"] for c in api.calls[since:]] == ["answerCallbackQuery"]
    assert stored_events(telegram, chat_id) == events


def test_an_edited_message_gets_one_short_note_and_is_not_answered(telegram):
    chat_id = 770013
    say(telegram, chat_id, "/start")
    events = stored_events(telegram, chat_id)
    since = len(telegram["api"].calls)
    for text in ("my boyfriend left me", "my boyfriend left me last week"):
        assert post(telegram, message_update(chat_id, text, kind="edited_message")).status_code == 200
    notes = telegram["api"].messages_to(chat_id, since)
    assert [m["text"] for m in notes] == [
        "I only read new messages \u2014 send it again as a new message if you changed something."
    ]
    assert stored_events(telegram, chat_id) == events, "an edit must not reach the advisor"


@pytest.mark.parametrize("chat_type", ["group", "supergroup"])
def test_a_group_chat_gets_one_reply_asking_to_talk_privately(telegram, chat_type):
    chat_id = -100770014 if chat_type == "supergroup" else -770014
    api = telegram["api"]
    since = len(api.calls)
    for text in ("my boyfriend hit me and i want to kill myself", "/start", f"/help@{BOT_USERNAME}"):
        assert post(telegram, message_update(chat_id, text, chat_type=chat_type)).status_code == 200
    assert (
        post(
            telegram, callback_update(chat_id, "/ask_no_contact", f"g-{chat_type}", chat_type=chat_type)
        ).status_code
        == 200
    )
    calls = api.to_chat(chat_id, since)
    assert [c["method"] for c in calls] == ["sendMessage"], calls
    note = calls[0]["params"]["text"]
    assert "private chat" in note and f"https://t.me/{BOT_USERNAME}" in note
    assert "not a therapist" not in note and "988" not in note
    assert stored_events(telegram, chat_id) == 0, "nothing of a group may be stored"
    assert [
        c["params"]["callback_query_id"] for c in api.calls[since:] if c["method"] == "answerCallbackQuery"
    ] == [f"g-{chat_type}"]


def test_typing_is_shown_while_the_reply_is_prepared(telegram):
    chat_id = 770015
    since = len(telegram["api"].calls)
    say(telegram, chat_id, "my husband left me for someone else")
    methods = [c["method"] for c in telegram["api"].to_chat(chat_id, since)]
    assert methods[0] == "sendChatAction" and "sendMessage" in methods
    actions = [
        c["params"] for c in telegram["api"].to_chat(chat_id, since) if c["method"] == "sendChatAction"
    ]
    assert all(a["action"] == "typing" for a in actions)


def test_the_users_language_code_chooses_the_crisis_lines(telegram):
    update = message_update(7781, "i want to kill myself")
    update["message"]["from"]["language_code"] = "en-AU"  # Telegram's IETF tag, with region
    since = len(telegram["api"].calls)
    assert post(telegram, update).status_code == 200
    said = text_of(telegram["api"].messages_to(7781, since))
    assert said.index("13 11 14") < said.index("findahelpline.com") and "116 123" not in said


def test_the_server_log_has_no_traceback(telegram):
    log = telegram["rasa_log"].read_text()
    assert "Traceback" not in log and "Event loop is closed" not in log, log[-3000:]


def test_a_redelivery_after_a_restart_is_not_answered_again(telegram):
    """Last of the server tests: it restarts Rasa on the same conversation store."""
    import sqlite3

    update = telegram.get("redelivered")
    assert update, "test_a_redelivered_update_is_acknowledged_and_not_answered_again runs first"
    with sqlite3.connect(telegram["db"]) as db:
        kept = {row[0] for row in db.execute("SELECT update_id FROM telegram_updates")}
    assert update["update_id"] in kept
    stack, api = telegram["stack"], telegram["api"]
    stack.stop_rasa()
    stack.start_rasa()
    since = len(api.calls)
    assert post(telegram, update).status_code == 200
    time.sleep(0.5)
    assert api.to_chat(update["message"]["chat"]["id"], since) == []
    fresh = message_update(update["message"]["chat"]["id"], "/start")  # a new one still is
    assert post(telegram, fresh).status_code == 200
    assert "Hi, I'm here" in text_of(api.messages_to(update["message"]["chat"]["id"], since))


# --- the record of handled updates, on SQLite and PostgreSQL --------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def update_engines(request, tmp_path):
    """Two engines on one database, as two servers of the scale-out profile would have."""
    import sqlalchemy as sa

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'conversations.db'}"
        engines = [sa.create_engine(url, connect_args={"check_same_thread": False}) for _ in range(2)]
        yield engines
        for engine in engines:
            engine.dispose()
        return
    import postgres

    for settings in postgres.database("advisor_telegram_updates_test"):
        url = f"postgresql://{settings['username']}@{settings['host']}:{settings['port']}/{settings['db']}"
        engines = [sa.create_engine(url) for _ in range(2)]
        yield engines
        for engine in engines:
            engine.dispose()


def test_update_ids_are_claimed_once_across_servers_and_pruned(update_engines):
    from concurrent.futures import ThreadPoolExecutor

    from channels.telegram_updates import KEEP_SECONDS, UpdateLog

    one, two = (UpdateLog(123456, engine) for engine in update_engines)
    other_bot = UpdateLog(654321, update_engines[0])
    now = time.time()
    assert one.claim(1, now) is True
    assert one.claim(1, now) is False and two.claim(1, now) is False
    assert other_bot.claim(1, now) is True  # ids are per bot
    with ThreadPoolExecutor(8) as pool:  # a redelivery racing the delivery
        wins = list(pool.map(lambda i: (one if i % 2 else two).claim(2, now), range(8)))
    assert wins.count(True) == 1
    assert one.claim(3, now - KEEP_SECONDS - 60) is True
    assert one.prune(now) == 1
    assert one.claim(3, now) is True and one.claim(1, now) is False  # recent ones are kept
    assert other_bot.claim(1, now) is False


def test_without_a_sql_store_update_ids_are_kept_in_memory():
    from channels.telegram_updates import UpdateLog, bot_id_of, engine_of

    assert bot_id_of("123456:secret") == 123456 and bot_id_of(None) == 0
    assert engine_of(object()) is None
    log = UpdateLog(1)
    assert not log.persistent
    assert log.claim(5) is True and log.claim(5) is False and log.claim(6) is True


# --- the output channel alone, against the fake Bot API -------------------------------------------


@pytest.fixture
def fake_api():
    api = FakeBotAPI(free_port()).start()
    yield api
    api.stop()


def _with_output(api: FakeBotAPI, use):
    from channels.telegram import TelegramOutput

    async def run():
        out = TelegramOutput(TOKEN, api.base)
        try:
            return await use(out)
        finally:
            await out.close_session()

    return asyncio.run(run())


def test_a_6000_character_reply_is_split_under_4096_at_paragraphs(fake_api):
    paragraphs = [f"Paragraph {i}. " + ("word " * 150).strip() for i in range(8)]  # ~760 characters each
    text = "\n\n".join(paragraphs)
    assert len(text) > 6000
    _with_output(fake_api, lambda out: out.send_text_message("555", text))
    sent = [m["text"] for m in fake_api.messages_to(555)]
    assert len(sent) == 2 and all(len(chunk) <= 4096 for chunk in sent)
    assert "\n\n".join(sent) == text  # nothing lost, cut between paragraphs
    assert all(chunk.startswith("Paragraph") for chunk in sent)


def test_markup_is_sent_as_escaped_html(fake_api):
    text = "**What you could say** (short):\n\n> \u201cSorry <3 & thanks\u201d"
    _with_output(fake_api, lambda out: out.send_text_message("557", text))
    sent = fake_api.messages_to(557)
    assert sent[0]["parse_mode"] == "HTML"
    assert sent[0]["text"] == "<b>What you could say</b> (short):\n\n<code>Sorry &lt;3 &amp; thanks</code>"


def test_a_long_reply_with_buttons_puts_the_keyboard_on_the_last_part(fake_api):
    text = "\n\n".join(["x" * 3000] * 3)
    long_payload = '/inform{"ex_behaviour":"' + "y" * 80 + '"}'
    buttons = [{"title": "Short", "payload": "/ask_no_contact"}, {"title": "Long", "payload": long_payload}]

    async def use(out):
        await out.send_text_with_buttons("556", text, buttons)
        return out

    out = _with_output(fake_api, use)
    sent = fake_api.messages_to(556)
    assert len(sent) == 3 and [bool(keyboard(m)) for m in sent] == [False, False, True]
    data = [b["callback_data"] for b in keyboard(sent[-1])]
    assert data[0] == "/ask_no_contact"
    assert len(data[1].encode()) <= 64 and out.callback_payloads.decode(data[1]) == long_payload


def test_split_message_edge_cases():
    from channels.telegram import split_message

    assert split_message("") == [] and split_message("  \n\n ") == []
    assert split_message("short") == ["short"]
    one_long_line = "word " * 2000
    chunks = split_message(one_long_line)
    assert all(len(c) <= 4096 for c in chunks) and "".join(chunks).replace(" ", "") == one_long_line.replace(
        " ", ""
    )
    emoji = "\U0001f494" * 3000  # 2 UTF-16 units each, as Telegram counts
    assert all(len(c.encode("utf-16-le")) // 2 <= 4096 for c in split_message(emoji))
    assert "".join(split_message(emoji)) == emoji


# --- configuration -------------------------------------------------------------------------------


def test_credentials_yml_names_the_connector_and_holds_no_secret():
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text())
    assert "channels.telegram.TelegramInput" in credentials
    assert not credentials["channels.telegram.TelegramInput"]  # configured by the environment
    assert "channels.rest.RestInput" in credentials  # the REST channel, with input checks


def test_without_a_token_the_channel_is_off_with_one_log_line(monkeypatch, caplog):
    from channels.telegram import TelegramInput

    for name in list(os.environ):
        if name.startswith("TELEGRAM_"):
            monkeypatch.delenv(name)
    with caplog.at_level(logging.INFO, logger="channels.telegram"):
        channel = TelegramInput.from_credentials(None)
    assert not channel.settings.enabled
    lines = [r.getMessage() for r in caplog.records if r.name == "channels.telegram"]
    assert lines == [
        "Telegram channel off: TELEGRAM_BOT_TOKEN is not set (the other channels are not affected)."
    ]
    blueprint = channel.blueprint(lambda message: None)
    assert not blueprint._future_listeners, "no webhook is registered without a token"


@pytest.mark.parametrize(
    "env, problem",
    [
        ({"TELEGRAM_BOT_TOKEN": TOKEN}, "TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET are not"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_URL": PUBLIC_URL}, "TELEGRAM_WEBHOOK_SECRET is not"),
        (
            {
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_WEBHOOK_URL": PUBLIC_URL,
                "TELEGRAM_WEBHOOK_SECRET": "has spaces",
            },
            "must be 1-256 characters",
        ),
        (
            {
                "TELEGRAM_BOT_TOKEN": "not a token",
                "TELEGRAM_WEBHOOK_URL": PUBLIC_URL,
                "TELEGRAM_WEBHOOK_SECRET": SECRET,
            },
            "does not look like a bot token",
        ),
    ],
)
def test_an_incomplete_configuration_turns_the_channel_off(env, problem):
    from channels.telegram import TelegramSettings

    settings = TelegramSettings.from_env(env)
    assert not settings.enabled and problem in settings.problem


def test_commands_map_to_the_advisors_intents():
    from channels.telegram import TelegramInput, TelegramSettings

    channel = TelegramInput(
        TelegramSettings.from_env(
            {
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_WEBHOOK_URL": PUBLIC_URL,
                "TELEGRAM_WEBHOOK_SECRET": SECRET,
            }
        )
    )
    assert channel.command_text("/start") == "/greet"
    assert channel.command_text("/start some-deep-link") == "/greet"
    assert channel.command_text("/help") == "/help"
    assert channel.command_text("/restart") == "/restart"
    assert channel.command_text("/forget") == "/forget_me"
    assert channel.command_text("/ask_no_contact") == "/ask_no_contact"
    assert channel.command_text('/inform{"who_ended":"me"}') == '/inform{"who_ended":"me"}'
    assert channel.command_text("start over") == "start over"
    assert channel.secret_ok(SECRET) and not channel.secret_ok(None) and not channel.secret_ok("")


def test_every_button_payload_the_advisor_sends_fits_in_callback_data(domain):
    """Telegram limits callback_data to 64 bytes: domain responses and action buttons must fit
    (longer ones would still work, through the in-memory map, but not across a restart)."""
    payloads = [
        b["payload"]
        for variants in domain["responses"].values()
        for variant in variants
        for b in variant.get("buttons") or []
    ]
    registry = yaml.safe_load((ROOT / "actions" / "content" / "topics.yml").read_text())
    payloads += [
        f"/{entry['intent']}" for group in ("scenarios", "topics") for entry in registry[group].values()
    ]
    assert len(payloads) > 20
    too_long = [p for p in payloads if len(p.encode("utf-8")) > 64]
    assert too_long == []
