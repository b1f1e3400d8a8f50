"""Faster checking of the action server's replies in the Rasa server (Rasa 3.6).

Rasa 3.6 checks every reply of the action server against its JSON schema with
`jsonschema.validate()`, which first re-checks the schema itself (a large one: every event type)
against the JSON Schema metaschema, on every call. Profiled with py-spy under `make bench`, that
re-check took about two thirds of the Rasa server's CPU time per turn, because the advisor calls
its action server on most turns (session start, forms, advice). `install()` replaces the check with
a validator built once from the same schema: replies are checked exactly as before, the same
invalid replies raise the same `ValidationError` with the same message, and the schema itself is
checked once, when the validator is built.

It is installed when the Rasa server imports the project's NLU components (nlp/breakup_facts.py),
so `rasa run`, `rasa shell` and `rasa test` all use it without any extra start-up step.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_VALIDATOR: Optional[Any] = None


def _validator() -> Any:
    global _VALIDATOR
    if _VALIDATOR is None:
        schema = RemoteAction.action_response_format_spec()
        cls = validators.validator_for(schema)
        cls.check_schema(schema)          # once, instead of on every reply
        _VALIDATOR = cls(schema)
    return _VALIDATOR


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
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
