"""Telegram channel: Rasa 3.6's stock connector, fixed and hardened.

Registered in credentials.yml as ``channels.telegram.TelegramInput`` and configured by environment
variables only (nothing secret in git):

  TELEGRAM_BOT_TOKEN       the token from BotFather; unset = the channel is off (one log line)
  TELEGRAM_WEBHOOK_URL     the public https URL of <server>/webhooks/telegram/webhook
  TELEGRAM_WEBHOOK_SECRET  1-256 characters A-Z a-z 0-9 _ -; Telegram sends it back on every update
  TELEGRAM_BOT_USERNAME    optional: checked against the bot's own username (getMe)
  TELEGRAM_API_BASE        optional: a self-hosted Bot API server (default https://api.telegram.org)
  TELEGRAM_RETRY_MAX_SECONDS  optional: longest wait between setWebhook retries (default 60)

What it changes from the stock connector (see shared RASA-FACTS.md):
- the Bot and its HTTP session live on the server's own event loop; the webhook is set by a
  background task after the server started, calling the Bot API's setWebhook directly with
  ``secret_token``. If the Bot API is unreachable, the server (REST, web widget) keeps running and
  the task retries with backoff until it succeeds.
- every update must carry the secret in X-Telegram-Bot-Api-Secret-Token (constant-time compare);
  others get 401 and nothing is processed.
- getMe is called once and cached.
- buttons are inline keyboards, one button a row; callback_data over 64 bytes is mapped to a short
  key; pressed buttons are answered (answerCallbackQuery) and their payload goes to Rasa.
- /start, /help, /restart and /forget (delete my data) map to the advisor's intents.
- replies over 4096 characters are split at paragraph (then line, then word) boundaries.
- each update is handled once: its update_id is recorded first in the conversation store's
  database (channels/telegram_updates.py), so a redelivery (Telegram sends an update again when
  the reply is slow) is acknowledged and not answered again, also after a restart.
- a pressed inline keyboard is replaced by the chosen button alone, marked with a tick
  (editMessageReplyMarkup), so old questions can't be answered twice.
- edited messages are not answered: the chat gets one short note (per chat) to send the change
  as a new message.
- groups, supergroups and channels get one reply (per chat) asking to talk in a private chat with
  the bot's link; nothing of theirs reaches the advisor or its conversation store.
- "typing..." is shown (sendChatAction, renewed every few seconds) while the reply is prepared.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

import aiohttp
from aiogram import Bot
from aiogram.bot.api import TELEGRAM_PRODUCTION, TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Update, User
from aiogram.utils import exceptions as tg_errors
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput

from server.checkins import add_listener, register_output
from channels.formatting import telegram_html
from channels.telegram_updates import UpdateLog, bot_id_of, engine_of

logger = logging.getLogger(__name__)

MAX_MESSAGE_LENGTH = 4096  # Telegram's limit for one message's text
PARSE_MODE = "HTML"  # channels/formatting.py escapes every text, then marks it up
MAX_CALLBACK_DATA_BYTES = 64  # Telegram's limit for an inline button's callback_data
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
REQUEST_TIMEOUT_SECONDS = 30

# Telegram commands -> the advisor's intents (the text Rasa receives)
COMMANDS = {"start": "/greet", "help": "/help", "restart": "/restart", "forget": "/forget_me"}
_COMMAND = re.compile(r"/([A-Za-z0-9_]+)(?:@([A-Za-z0-9_]+))?(?:\s.*)?", re.DOTALL)
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")

GROUP_CHATS = ("group", "supergroup", "channel")
CHOSEN = "#chosen"  # callback_data of the marked button left after a press
TYPING_EVERY_SECONDS = 4.5  # Telegram shows "typing" for 5 s or until the bot's message
EDITED_NOTE = "I only read new messages \u2014 send it again as a new message if you changed something."
GROUP_NOTE = (
    "I'm a breakup advisor and I only talk one to one, so what you share stays between "
    "us. Please talk to me in a private chat{link}."
)


# --- configuration -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TelegramSettings:
    token: Optional[Text] = None
    webhook_url: Optional[Text] = None
    secret: Optional[Text] = None
    username: Optional[Text] = None
    api_base: Optional[Text] = None
    retry_max_seconds: float = 60.0
    problem: Optional[Text] = None  # why the channel is off; None = on

    @property
    def enabled(self) -> bool:
        return self.problem is None

    @classmethod
    def from_env(cls, env: Optional[Dict[Text, Text]] = None) -> "TelegramSettings":
        env = os.environ if env is None else env

        def get(name: Text) -> Optional[Text]:
            value = (env.get(name) or "").strip()
            return value or None

        try:
            retry_max = float(get("TELEGRAM_RETRY_MAX_SECONDS") or 60)
        except ValueError:
            retry_max = 60.0
        values = dict(
            token=get("TELEGRAM_BOT_TOKEN"),
            webhook_url=get("TELEGRAM_WEBHOOK_URL"),
            secret=get("TELEGRAM_WEBHOOK_SECRET"),
            username=(get("TELEGRAM_BOT_USERNAME") or "").lstrip("@") or None,
            api_base=get("TELEGRAM_API_BASE"),
            retry_max_seconds=max(retry_max, 0.1),
        )
        if not values["token"]:
            return cls(**values, problem="TELEGRAM_BOT_TOKEN is not set")
        missing = [
            name
            for name, key in (("TELEGRAM_WEBHOOK_URL", "webhook_url"), ("TELEGRAM_WEBHOOK_SECRET", "secret"))
            if not values[key]
        ]
        if missing:
            return cls(
                **values,
                problem=f"TELEGRAM_BOT_TOKEN is set but {' and '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} not",
            )
        if not _SECRET.fullmatch(values["secret"]):
            return cls(
                **values,
                problem="TELEGRAM_WEBHOOK_SECRET must be 1-256 characters from A-Z, a-z, 0-9, _ and -",
            )
        try:
            from aiogram.bot.api import check_token

            check_token(values["token"])
        except tg_errors.ValidationError:
            return cls(
                **values,
                problem="TELEGRAM_BOT_TOKEN does not look like a bot token "
                "(<digits>:<secret> from BotFather)",
            )
        return cls(**values)


# --- message splitting ---------------------------------------------------------------------------


def _units(text: Text) -> int:
    """Length as Telegram counts it (UTF-16 code units; an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def _hard_cut(text: Text, limit: int) -> List[Text]:
    chunks, current, size = [], [], 0
    for char in text:
        width = 2 if ord(char) > 0xFFFF else 1
        if size + width > limit:
            chunks.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    if current:
        chunks.append("".join(current))
    return chunks


_SEPARATORS = ("\n\n", "\n", " ")


def split_message(text: Text, limit: int = MAX_MESSAGE_LENGTH, _level: int = 0) -> List[Text]:
    """Splits text into chunks of at most `limit`, at paragraph boundaries when it can, else at
    line, then word boundaries, else anywhere. Blank chunks are dropped."""
    if _units(text) <= limit:
        return [text] if text.strip() else []
    if _level >= len(_SEPARATORS):
        return _hard_cut(text, limit)
    sep = _SEPARATORS[_level]
    chunks: List[Text] = []
    current = ""
    for piece in text.split(sep):
        candidate = current + sep + piece if current else piece
        if _units(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        if _units(piece) <= limit:
            current = piece
        else:
            parts = split_message(piece, limit, _level + 1) or [""]
            chunks.extend(parts[:-1])
            current = parts[-1]
    if current:
        chunks.append(current)
    return [chunk for chunk in chunks if chunk.strip()]


# --- callback data -------------------------------------------------------------------------------


class CallbackPayloads:
    """Button payloads as callback_data. Payloads that fit in 64 bytes go as they are (so they
    survive restarts); longer ones become a short key kept in memory (the newest `capacity`)."""

    PREFIX = "#cb:"

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._long: "OrderedDict[Text, Text]" = OrderedDict()

    def encode(self, payload: Text) -> Text:
        if len(payload.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES and not payload.startswith(self.PREFIX):
            return payload
        key = self.PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:40]
        self._long[key] = payload
        self._long.move_to_end(key)
        while len(self._long) > self.capacity:
            self._long.popitem(last=False)
        return key

    def decode(self, data: Text) -> Optional[Text]:
        """The payload for callback_data; None for a mapped key this process no longer knows."""
        if data.startswith(self.PREFIX):
            return self._long.get(data)
        return data


# --- output --------------------------------------------------------------------------------------


class TelegramOutput(RasaTelegramOutput):
    """Sends the advisor's replies through the Bot API (aiogram 2.15's Bot)."""

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    def __init__(self, access_token: Text, api_base: Optional[Text] = None) -> None:
        server = TelegramAPIServer.from_base(api_base) if api_base else TELEGRAM_PRODUCTION
        # The aiohttp session is created lazily, on first use, so on the server's running loop.
        Bot.__init__(self, access_token, server=server, timeout=REQUEST_TIMEOUT_SECONDS)
        self.callback_payloads = CallbackPayloads()
        self._identity: Optional[User] = None
        self._identity_lock: Optional[asyncio.Lock] = None

    @property
    def identity(self) -> Optional[User]:
        """The bot's own user (getMe), once fetched."""
        return self._identity

    async def get_identity(self) -> User:
        """getMe, called once and cached for the life of the process."""
        if self._identity is None:
            if self._identity_lock is None:
                self._identity_lock = asyncio.Lock()
            async with self._identity_lock:
                if self._identity is None:
                    self._identity = await self.get_me()
        return self._identity

    async def set_webhook_with_secret(self, url: Text, secret: Text) -> Any:
        """setWebhook called directly: aiogram 2.15's set_webhook has no secret_token."""
        return await self.request(
            "setWebhook", {"url": url, "secret_token": secret, "allowed_updates": json.dumps(ALLOWED_UPDATES)}
        )

    async def close_session(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for chunk in split_message(telegram_html(text.strip())):
            await self.send_message(recipient_id, chunk, parse_mode=PARSE_MODE)

    def inline_keyboard(self, buttons: List[Dict[Text, Any]]) -> InlineKeyboardMarkup:
        """One button a row: the advisor's titles are short sentences."""
        markup = InlineKeyboardMarkup()
        for button in buttons:
            title = str(button.get("title") or button.get("payload") or "")
            if button.get("url"):
                markup.row(InlineKeyboardButton(title, url=button["url"]))
            else:
                payload = str(button.get("payload") or title)
                markup.row(InlineKeyboardButton(title, callback_data=self.callback_payloads.encode(payload)))
        return markup

    async def mark_choice(self, message: Any, data: Optional[Text]) -> None:
        """Replaces the pressed keyboard by the chosen button alone, ticked (or removes it when
        the button is not found), so the question can't be answered twice."""
        chosen = None
        markup = getattr(message, "reply_markup", None)
        for row in getattr(markup, "inline_keyboard", None) or []:
            for button in row:
                if data is not None and button.callback_data == data:
                    chosen = button.text
        new_markup = None
        if chosen:
            new_markup = InlineKeyboardMarkup()
            new_markup.row(InlineKeyboardButton("\u2713 " + chosen, callback_data=CHOSEN))
        try:
            await self.edit_message_reply_markup(message.chat.id, message.message_id, reply_markup=new_markup)
        except Exception as error:  # noqa: BLE001 - e.g. "message is not modified": harmless
            logger.info("editMessageReplyMarkup failed: %s", error)

    async def typing(self, chat_id: Any) -> None:
        try:
            await self.send_chat_action(chat_id, "typing")
        except Exception as error:  # noqa: BLE001 - only an indicator
            logger.info("sendChatAction failed: %s", error)

    async def keep_typing(self, chat_id: Any) -> None:
        """Renews the typing indicator until cancelled (the reply is sent)."""
        while True:
            await asyncio.sleep(TYPING_EVERY_SECONDS)
            await self.typing(chat_id)

    async def send_text_with_buttons(
        self,
        recipient_id: Text,
        text: Text,
        buttons: List[Dict[Text, Any]],
        button_type: Optional[Text] = "inline",
        **kwargs: Any,
    ) -> None:
        if button_type == "reply":
            await super().send_text_with_buttons(recipient_id, text, buttons, button_type, **kwargs)
            return
        chunks = split_message(telegram_html((text or "").strip())) or [
            "\u2063"
        ]  # a keyboard needs some text
        for chunk in chunks[:-1]:
            await self.send_message(recipient_id, chunk, parse_mode=PARSE_MODE)
        await self.send_message(
            recipient_id, chunks[-1], reply_markup=self.inline_keyboard(buttons), parse_mode=PARSE_MODE
        )


# --- input ---------------------------------------------------------------------------------------


class TelegramInput(RasaTelegramInput):
    """Receives Telegram updates at /webhooks/telegram/webhook."""

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TelegramInput":
        if credentials:
            logger.warning(
                "The Telegram channel ignores its keys in the credentials file (%s): it is "
                "configured by TELEGRAM_* environment variables only.",
                ", ".join(sorted(credentials)),
            )
        if logger.level == logging.NOTSET:  # follow `rasa run`'s log level (it sets only "rasa")
            logger.setLevel(logging.getLogger("rasa").getEffectiveLevel())
        settings = TelegramSettings.from_env()
        if not settings.token:
            logger.info(
                "Telegram channel off: TELEGRAM_BOT_TOKEN is not set (the other channels are not affected)."
            )
        elif not settings.enabled:
            logger.error("Telegram channel off: %s. The other channels are not affected.", settings.problem)
        return cls(settings)

    def __init__(self, settings: TelegramSettings) -> None:
        super().__init__(settings.token, settings.username, settings.webhook_url, debug_mode=False)
        self.settings = settings
        self.webhook_set = False
        self._output: Optional[TelegramOutput] = None
        self._setup_task: Optional[asyncio.Task] = None
        self._updates: Optional[UpdateLog] = None
        self._noted: "OrderedDict[Tuple[Text, Any], bool]" = OrderedDict()  # notes sent, per chat

    def update_log(self, app: Any) -> UpdateLog:
        """The record of handled updates, in the conversation store's database when it is SQL."""
        if self._updates is None:
            agent = getattr(getattr(app, "ctx", None), "agent", None)
            engine = engine_of(agent.tracker_store) if agent is not None else None
            log = UpdateLog(bot_id_of(self.settings.token), engine)
            if agent is None:
                return log  # the model is still loading: look for the store next time
            if engine is None:
                logger.info(
                    "Telegram update ids are kept in memory (the conversation store is not a SQL database)."
                )
            self._updates = log
        return self._updates

    def first_time(self, kind: Text, chat_id: Any) -> bool:
        """True once per (kind, chat) for the life of the process: notes are not repeated."""
        key = (kind, chat_id)
        if key in self._noted:
            return False
        self._noted[key] = True
        while len(self._noted) > 100_000:
            self._noted.popitem(last=False)
        return True

    async def send_note(self, kind: Text, chat_id: Any, text: Text) -> None:
        if self.first_time(kind, chat_id):
            try:
                await self.get_output_channel().send_message(chat_id, text)
            except Exception as error:  # noqa: BLE001 - a note is not worth a redelivery
                logger.warning("Could not send a note to a Telegram chat: %s", error)

    async def group_note(self, chat_id: Any) -> None:
        out = self.get_output_channel()
        me = out.identity
        if me is None:
            try:
                me = await out.get_identity()
            except Exception:  # noqa: BLE001 - the note works without the link
                me = None
        username = (me.username if me is not None else None) or self.settings.username
        link = f" (https://t.me/{username})" if username else ""
        await self.send_note("group", chat_id, GROUP_NOTE.format(link=link))

    def get_output_channel(self) -> TelegramOutput:
        """The one output channel (no network call here, unlike the stock connector)."""
        if self._output is None:
            self._output = TelegramOutput(self.settings.token, self.settings.api_base)
        return self._output

    # -- start-up --

    async def register_webhook(self) -> None:
        """getMe (cached), then setWebhook with the secret; retries with backoff while the Bot
        API is unreachable. Gives up only on errors that retrying can't fix (token, URL)."""
        out = self.get_output_channel()
        base = self.settings.api_base or "https://api.telegram.org"
        delay, failures = 1.0, 0
        while True:
            try:
                me = await out.get_identity()
                if self.settings.username and (me.username or "").lower() != self.settings.username.lower():
                    logger.warning(
                        "TELEGRAM_BOT_USERNAME is @%s but the token belongs to @%s.",
                        self.settings.username,
                        me.username,
                    )
                await out.set_webhook_with_secret(self.settings.webhook_url, self.settings.secret)
                self.webhook_set = True
                logger.info(
                    "Telegram webhook set: @%s receives updates at %s.",
                    me.username,
                    self.settings.webhook_url,
                )
                return
            except tg_errors.Unauthorized as error:
                logger.error(
                    "Telegram channel off: the Bot API rejected TELEGRAM_BOT_TOKEN (%s). "
                    "The other channels keep running.",
                    error,
                )
                return
            except tg_errors.BadRequest as error:
                logger.error(
                    "Telegram channel off: setWebhook refused %s (%s). The other channels keep running.",
                    self.settings.webhook_url,
                    error,
                )
                return
            except tg_errors.RetryAfter as error:
                wait = float(error.timeout)
                logger.warning("Telegram Bot API asks to wait %ss before setWebhook.", wait)
            except (tg_errors.TelegramAPIError, aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
                failures += 1
                wait = min(delay, self.settings.retry_max_seconds)
                logger.warning(
                    "Telegram Bot API at %s unreachable (%s: %s): webhook not set yet, "
                    "retrying in %.0f s (attempt %d). The other channels keep running.",
                    base,
                    type(error).__name__,
                    error,
                    wait,
                    failures,
                )
                delay = min(delay * 2, self.settings.retry_max_seconds)
            await asyncio.sleep(wait)

    # -- updates --

    def secret_ok(self, header: Optional[Text]) -> bool:
        expected = (self.settings.secret or "").encode("utf-8")
        given = (header or "").encode("utf-8")
        return bool(expected) and hmac.compare_digest(given, expected)

    def command_text(self, text: Text) -> Text:
        """/start, /help, /restart, /forget (also /start@ThisBot and /start <deep link>) -> intents."""
        match = _COMMAND.fullmatch(text.strip())
        if not match:
            return text
        command, addressee = match.group(1).lower(), match.group(2)
        me = self.get_output_channel().identity
        if addressee and me is not None and me.username and addressee.lower() != me.username.lower():
            return text
        return COMMANDS.get(command, text)

    async def answer_quietly(self, query_id: Text, text: Optional[Text] = None) -> None:
        """answerCallbackQuery (stops the button's spinner); a failure is only logged."""
        try:
            await self.get_output_channel().answer_callback_query(query_id, text=text)
        except Exception as error:  # noqa: BLE001 - the spinner stops by itself later
            logger.warning("answerCallbackQuery failed: %s", error)

    @staticmethod
    def _chat_and_text(update: Update) -> Tuple[Optional[Any], Optional[Text]]:
        message = update.message
        if message is None:
            return None, None
        return message.chat.id, message.text if message.text is not None else message.caption

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram_webhook = Blueprint("telegram_webhook", __name__)

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            if not self.settings.enabled:
                return response.json({"status": "disabled"})
            return response.json({"status": "ok", "webhook_set": self.webhook_set})

        if not self.settings.enabled:

            @telegram_webhook.route("/webhook", methods=["POST"])
            async def disabled(_: Request) -> HTTPResponse:
                return response.text("the Telegram channel is not configured", status=503)

            return telegram_webhook

        out = self.get_output_channel()
        # Check-ins scheduled before a restart are sent again to the user's Telegram chat.
        register_output(self.name(), self.get_output_channel)
        add_listener(telegram_webhook)

        @telegram_webhook.listener("after_server_start")
        async def start_webhook(_app: Any, loop: asyncio.AbstractEventLoop) -> None:
            self._setup_task = loop.create_task(self.register_webhook())

        @telegram_webhook.listener("before_server_stop")
        async def stop(_app: Any, _loop: asyncio.AbstractEventLoop) -> None:
            if self._setup_task is not None and not self._setup_task.done():
                self._setup_task.cancel()
            await out.close_session()

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.secret_ok(request.headers.get(SECRET_HEADER)):
                logger.warning(
                    "Rejected a request to the Telegram webhook from %s: missing or wrong %s header.",
                    request.remote_addr or request.ip,
                    SECRET_HEADER,
                )
                return response.text("unauthorized", status=401)
            try:
                body = json.loads(request.body or b"")
                update = Update(**body) if isinstance(body, dict) else None
            except Exception:  # noqa: BLE001 - anything unparsable is a bad request
                update = None
            if update is None:
                return response.text("bad update", status=400)

            if update.update_id is not None and not self.update_log(request.app).claim(update.update_id):
                logger.info("Telegram update %s was delivered again: already handled.", update.update_id)
                return response.text("ok")

            query = update.callback_query
            message = query.message if query is not None else (update.message or update.edited_message)
            chat = message.chat if message is not None else None
            if chat is not None and chat.type in GROUP_CHATS:
                if query is not None:
                    await self.answer_quietly(query.id)
                await self.group_note(chat.id)  # nothing reaches the advisor
                return response.text("ok")

            if query is not None:
                if query.data == CHOSEN:  # the tick left by an earlier press
                    await self.answer_quietly(query.id)
                    return response.text("ok")
                payload = out.callback_payloads.decode(query.data or "")
                await self.answer_quietly(
                    query.id,
                    None if payload is not None else "This button has expired: please type your answer.",
                )
                if query.message is not None:
                    await out.mark_choice(query.message, query.data)
                chat_id = query.message.chat.id if query.message else query.from_user.id
                text = payload
            elif update.edited_message is not None:
                await self.send_note("edited", update.edited_message.chat.id, EDITED_NOTE)
                return response.text("ok")
            else:
                chat_id, text = self._chat_and_text(update)
                if text is not None:
                    text = self.command_text(text)
            if chat_id is None or text is None:
                return response.text("ok")  # stickers, joins, ...: nothing to answer

            sender = query.from_user if query is not None else update.message.from_user
            # The user's language ("en-GB"): the safety replies read the country from it.
            metadata = dict(
                self.get_metadata(request) or {}, language_code=getattr(sender, "language_code", None)
            )
            texts = ["/restart", "/greet"] if text == "/restart" else [text]
            await out.typing(chat_id)
            typing = asyncio.get_running_loop().create_task(out.keep_typing(chat_id))
            try:
                for message_text in texts:
                    await on_new_message(
                        UserMessage(
                            message_text, out, str(chat_id), input_channel=self.name(), metadata=metadata
                        )
                    )
            except Exception:  # noqa: BLE001 - a 500 would make Telegram redeliver the update
                logger.exception("The Telegram update %s could not be handled.", update.update_id)
            finally:
                typing.cancel()
            return response.text("ok")

        return telegram_webhook
