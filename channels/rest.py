"""The REST channel (POST /webhooks/rest/webhook), hardened against bad input.

Rasa's own RestInput answers invalid input with an empty list or a 500, and logs the message text
when handling fails. This one, under the same name and URL:
- refuses a body that is not a JSON object, over MAX_BODY_BYTES, or without a text `message`
  and a `sender` string (400 / 413 / 415, with a short JSON error, never a traceback);
- removes control characters (keeps new lines and tabs) from the message;
- answers a message over MAX_MESSAGE_CHARS kindly, asking for a shorter one, without reading it;
- never logs the message text (only its length), so logs hold nothing the user wrote.
Sanic's own limit for every route is SANIC_REQUEST_MAX_SIZE (ops/launch.py sets it).
"""

from __future__ import annotations

import json
import logging
import re
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, List, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.formatting import plain

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
MAX_MESSAGE_CHARS = 5000
MAX_SENDER_CHARS = 200  # the conversation store's sender_id column holds 255
TOO_LONG_REPLY = (
    "That's a long message, more than I can read at once. Could you tell me the main part in a few sentences?"
)
ERROR_REPLY = "Sorry, something went wrong on my side. Please try again in a minute."
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: Text) -> Text:
    return _CONTROL.sub("", text)


class PlainCollectingOutput(CollectingOutputChannel):
    """Rasa's collecting output with one message per bubble (no cut at blank lines), as plain text
    (channels/formatting.py): what `rasa shell` prints and a REST client shows."""

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._persist_message(self._message(recipient_id, text=plain(text.strip())))

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self._persist_message(self._message(recipient_id, text=plain(text.strip()), buttons=buttons))


def _error(status: int, message: Text) -> HTTPResponse:
    return response.json({"error": message}, status=status)


class RestInput(RasaRestInput):
    """Rasa's REST channel, same name and URL, with input checks."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", "channels.rest")

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = request.body or b""
            if len(body) > MAX_BODY_BYTES:
                return _error(413, f"The request is larger than {MAX_BODY_BYTES} bytes.")
            content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
            if content_type and content_type != "application/json":
                return _error(415, "Send JSON (Content-Type: application/json).")
            try:
                data = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                return _error(400, "The body is not valid JSON.")
            if not isinstance(data, dict):
                return _error(400, "The body must be a JSON object with `sender` and `message`.")
            sender, text = data.get("sender"), data.get("message")
            if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
                return _error(
                    400, f"`sender` must be a non-empty string of at most {MAX_SENDER_CHARS} characters."
                )
            if _CONTROL.search(sender):
                return _error(400, "`sender` must not contain control characters.")
            if not isinstance(text, str):
                return _error(400, "`message` must be a string.")
            metadata = data.get("metadata")
            if metadata is not None and not isinstance(metadata, dict):
                return _error(400, "`metadata` must be a JSON object.")

            if len(text) > MAX_MESSAGE_CHARS:
                logger.info(
                    "A message of %d characters was not read (limit %d).", len(text), MAX_MESSAGE_CHARS
                )
                return response.json([{"recipient_id": sender, "text": TOO_LONG_REPLY}])

            collector = PlainCollectingOutput()
            try:
                await on_new_message(
                    UserMessage(
                        clean_text(text), collector, sender, input_channel=self.name(), metadata=metadata
                    )
                )
            except CancelledError:
                logger.error("Handling a message (%d characters) was cancelled.", len(text))
            except Exception:  # noqa: BLE001 - logged without the message text
                logger.exception("Handling a message (%d characters) failed.", len(text))
            if not collector.messages:
                collector.messages.append({"recipient_id": sender, "text": ERROR_REPLY})
            return response.json(collector.messages)

        return webhook
