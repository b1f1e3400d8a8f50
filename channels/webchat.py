"""The website chat widget's channel: Rasa's Socket.IO channel, with the origins that may connect
taken from configuration.

Rasa 3.6's stock `socketio` channel creates its Socket.IO server with `cors_allowed_origins=[]`,
which switches python-engineio's origin check off: any web page, on any site, can then open a
WebSocket to the bot (browsers apply no CORS to WebSockets) and talk to it in its visitors' name.
This subclass keeps everything else of the stock channel (events, `session_persistence`, JWT,
metadata) and hands engineio the allowed origins, so a connection (polling or WebSocket) whose
`Origin` header is not in the list gets "400 ... is not an accepted origin". Requests without an
`Origin` header (non-browser clients) are let through, as engineio does by design.

The origins come from the environment variable ADVISOR_ALLOWED_ORIGINS (comma- or
space-separated, e.g. "https://example.org,https://www.example.org"), or from
`allowed_origins` in credentials.yml; the demo default is the page of `make web-demo`. A wildcard
is refused at start-up.
"""

from __future__ import annotations

import logging
import os
import re
import time
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Text, Union

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from server.checkins import add_listener, missed_checkin_messages, register_output
from channels.formatting import web_markdown

logger = logging.getLogger(__name__)

ORIGINS_ENV = "ADVISOR_ALLOWED_ORIGINS"
DEMO_ORIGINS = ("http://localhost:8080", "http://127.0.0.1:8080")
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-]+(:\d{1,5})?$|^https?://\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


def parse_origins(value: Union[Text, Iterable[Text], None]) -> List[Text]:
    """'https://a.org, http://b.org:8080' -> ['https://a.org', 'http://b.org:8080'], checked.

    An origin is scheme://host[:port], exactly as a browser sends it in the Origin header: no
    path, no trailing slash, no wildcard."""
    if value is None:
        return []
    items = re.split(r"[\s,]+", value) if isinstance(value, str) else list(value)
    origins: List[Text] = []
    for item in (str(i).strip() for i in items):
        if not item:
            continue
        if "*" in item:
            raise ValueError(
                f"{ORIGINS_ENV}: a wildcard origin ({item!r}) is not allowed; "
                "list the exact origins of the pages that embed the chat"
            )
        item = item.rstrip("/")
        if not _ORIGIN.match(item):
            raise ValueError(
                f"{ORIGINS_ENV}: {item!r} is not an origin like https://example.org "
                "or http://localhost:8080 (scheme://host[:port], no path)"
            )
        if item not in origins:
            origins.append(item)
    return origins


def allowed_origins(configured: Union[Text, Iterable[Text], None] = None) -> List[Text]:
    """The environment variable wins, then credentials.yml, then the demo page's origins."""
    from_env = os.environ.get(ORIGINS_ENV, "").strip()
    if from_env:
        return parse_origins(from_env)
    if configured:
        origins = parse_origins(configured)
        if origins:
            return origins
    return list(DEMO_ORIGINS)


class WebChatOutput(SocketIOOutput):
    """The stock Socket.IO output, with one message per bubble: Rasa's cuts a message at every
    blank line, which put a heading and its list in two bubbles. Text is Markdown, which
    rasa-webchat renders (channels/formatting.py)."""

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"text": web_markdown(text.strip())})

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self._send_message(
            recipient_id,
            {
                "text": web_markdown(text.strip()),
                "quick_replies": [
                    {"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in buttons
                ],
            },
        )


class WebChatInput(SocketIOInput):
    """Rasa's `socketio` channel that accepts connections only from the allowed origins."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = dict(credentials or {})
        configured = credentials.pop("allowed_origins", None)
        channel = super().from_credentials(credentials)
        channel.allowed_origins = allowed_origins(configured)
        return channel

    def __init__(self, *args: Any, allowed_origins: Optional[List[Text]] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_origins: List[Text] = list(allowed_origins or DEMO_ORIGINS)

    def get_output_channel(self) -> Optional[OutputChannel]:
        return WebChatOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def with_our_output(message: UserMessage) -> Any:
            # The stock handler makes a SocketIOOutput for each message; ours replaces it.
            if type(message.output_channel) is SocketIOOutput:
                message.output_channel = WebChatOutput(self.sio, self.bot_message_evt)
            return await on_new_message(message)

        webhook = super().blueprint(with_our_output)
        # The stock channel passes [] ("no CORS handling, no origin check"); a list makes engineio
        # refuse other origins and answer allowed ones with Access-Control-Allow-Origin.
        self.sio.eio.cors_allowed_origins = list(self.allowed_origins)
        self.sio.eio.cors_credentials = False
        # Check-ins scheduled before a restart are sent again to the user's Socket.IO room.
        register_output(self.name(), lambda: WebChatOutput(self.sio, self.bot_message_evt))
        add_listener(webhook)
        self._catch_up_check_ins(webhook)
        return webhook

    def _catch_up_check_ins(self, webhook: Blueprint) -> None:
        """A check-in sent while none of the user's pages was open is sent again when one opens.

        rasa-webchat keeps its history in the browser and never asks the server for it, so a
        message emitted to an empty Socket.IO room is lost to the page. This wraps the stock
        `session_request` and `disconnect` handlers: it notes when a session's last page closed,
        and when a page asks for that session again, sends the latest check-in if it came after
        that moment and the user has not answered it. (After a restart, "closed" means since the
        start.) Needs session_persistence, as the session id is the conversation id."""
        if not self.session_persistence:
            return
        handlers = self.sio.handlers[self.namespace or "/"]
        stock_request, stock_disconnect = handlers["session_request"], handlers["disconnect"]
        started = time.time()
        rooms: Dict[Text, Text] = {}  # socket id -> session id
        left: Dict[Text, float] = {}  # session id -> when its last page closed
        seen: set = set()
        app_holder: Dict[Text, Any] = {}

        @webhook.listener("after_server_start")
        async def keep_app(app: Any, _loop: Any) -> None:
            app_holder["app"] = app

        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if data is not None else {}
            await stock_request(sid, data)
            session_id = data.get("session_id")
            if not session_id:
                return
            rooms[sid] = session_id
            since = (
                left.pop(session_id) if session_id in left else time.time() if session_id in seen else started
            )
            seen.add(session_id)
            app = app_holder.get("app")
            agent = getattr(getattr(app, "ctx", None), "agent", None)
            if agent is None or agent.tracker_store is None:
                return
            try:
                tracker = await agent.tracker_store.retrieve(session_id)
                output = WebChatOutput(self.sio, self.bot_message_evt)
                for message in missed_checkin_messages(tracker, since):
                    await output.send_response(sid, message)
            except Exception:  # noqa: BLE001 - never break the connection over a missed check-in
                logger.exception("Could not send a missed check-in")

        async def disconnect(sid: Text) -> None:
            await stock_disconnect(sid)
            session_id = rooms.pop(sid, None)
            if session_id and session_id not in rooms.values():
                left[session_id] = time.time()

        handlers["session_request"] = session_request
        handlers["disconnect"] = disconnect
