"""Faster checking of the action server's replies in the Rasa server (Rasa 3.6).

Rasa 3.6 checks every reply of the action server against its JSON schema with
`jsonschema.validate()`, which first re-checks the schema itself (a large one: every event type)
against the JSON Schema metaschema, on every call. Profiled with py-spy under `make bench`, that
re-check took about two thirds of the Rasa server's CPU time per turn, because the advisor calls
its action server on most turns (session start, forms, advice). `install()` replaces the check with
a validator built once from the same schema: replies are checked exactly as before, the same
invalid replies raise the same `ValidationError` with the same message, and the schema itself is
checked once, when the validator is built.

The next cost was the schema's `oneOf` over every event type: each event of a reply is checked
against all 23 event schemas, and the 22 that do not apply each build an error object. Every event
schema fixes the `event` name, so a valid event matches exactly the schema of its own type; the
check therefore tries that one schema first (`_valid_by_type`) and only when it fails, or the
type is unknown, runs the full check, which raises exactly what Rasa would raise.

Installed with the project's other server changes (server/runtime.py).
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Text

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.utils.schemas.events import EVENT_SCHEMA

_VALIDATOR: Optional[Any] = None
_BY_TYPE: Optional[Dict[Text, Any]] = None


def _validator() -> Any:
    global _VALIDATOR
    if _VALIDATOR is None:
        schema = RemoteAction.action_response_format_spec()
        cls = validators.validator_for(schema)
        cls.check_schema(schema)  # once, instead of on every reply
        _VALIDATOR = cls(schema)
    return _VALIDATOR


def _validators_by_type() -> Dict[Text, Any]:
    """event name -> a validator for EVENT_SCHEMA with its `oneOf` narrowed to that event's schema."""
    global _BY_TYPE
    if _BY_TYPE is None:
        common = {key: value for key, value in EVENT_SCHEMA.items() if key != "oneOf"}
        _BY_TYPE = {}
        for one in EVENT_SCHEMA["oneOf"]:
            schema = dict(common, allOf=[one])
            cls = validators.validator_for(schema)
            cls.check_schema(schema)
            _BY_TYPE[one["properties"]["event"]["const"]] = cls(schema)
    return _BY_TYPE


def _valid_by_type(result: Any) -> bool:
    """True when the reply is valid, checking each event against its own type's schema only.
    False means "not shown valid this way" (the full check decides)."""
    if not isinstance(result, dict):
        return False
    events, responses = result.get("events", []), result.get("responses", [])
    if not isinstance(events, list) or not isinstance(responses, list):
        return False
    if not all(isinstance(response, dict) for response in responses):
        return False
    by_type = _validators_by_type()
    for event in events:
        validator = by_type.get(event.get("event")) if isinstance(event, dict) else None
        if validator is None or not validator.is_valid(event):
            return False
    return True


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    if _valid_by_type(result):
        return True
    error = exceptions.best_match(_validator().iter_errors(result))
    if error is not None:
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def install() -> None:
    """Makes every RemoteAction check replies with the cached validator (idempotent)."""
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[assignment]
