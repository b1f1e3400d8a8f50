"""The Rasa server checks action server replies with a validator built once, trying each event's
own schema first (server/action_validation.py): the same verdicts and messages as Rasa's own
check, with less work per reply (measured by `make bench`, not here)."""

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import nlp.breakup_facts  # noqa: F401  (the Rasa server imports it with the model; it installs the check)
from server import action_validation


GOOD = [
    {"events": [], "responses": []},
    {
        "events": [{"event": "slot", "name": "scenario", "value": "he_broke_up", "timestamp": None}],
        "responses": [{"text": "hi", "buttons": [{"title": "Yes", "payload": "/affirm"}]}],
    },
    {
        "events": [{"event": "session_started"}, {"event": "action", "name": "action_listen"}],
        "responses": [{"response": "utter_greet"}],
    },
    {
        "events": [
            {
                "event": "user",
                "text": "hi",
                "parse_data": {"intent": {"name": "greet"}},
                "timestamp": 1.5,
                "metadata": {},
            },
            {"event": "reminder", "name": "checkin", "timestamp": None},
            {"event": "active_loop", "name": None},
            {"event": "followup", "name": "action_x"},
            {"event": "bot", "text": "hello"},
            {"event": "reset_slots"},
        ],
        "responses": [],
    },
    {"responses": [{"text": "only responses"}]},
    {},
]
BAD = [
    {"events": [{"event": "no_such_event"}], "responses": []},
    {"events": "not a list", "responses": []},
    {"events": [], "responses": "not a list"},
    {"events": [{"event": "slot"}], "responses": []},
    {"events": [{"event": "slot", "name": 3, "value": 1}], "responses": []},
    {"events": [{"event": "bot", "timestamp": "yesterday"}], "responses": []},
    {"events": [{"event": "bot", "metadata": "not an object"}], "responses": []},
    {"events": [5], "responses": []},
    {"events": [{"name": "no event key"}], "responses": []},
    {"events": [{"event": "session_started"}, {"event": "user", "text": 5}], "responses": []},
    {"events": [], "responses": ["not an object"]},
    ["not", "an", "object"],
]


@pytest.fixture
def action():
    return RemoteAction("action_x", None)


def rasa_check(result):
    """Rasa 3.6's own check, as it is written in rasa/core/actions/action.py."""
    from jsonschema import validate

    validate(result, RemoteAction.action_response_format_spec())
    return True


def test_the_rasa_server_uses_the_cached_check(action):
    assert RemoteAction._validate_action_result is action_validation._validate_action_result


@pytest.mark.parametrize("result", GOOD)
def test_valid_replies_pass(action, result):
    assert rasa_check(result) is True
    assert action._validate_action_result(result) is True


@pytest.mark.parametrize("result", BAD)
def test_invalid_replies_fail_as_before(action, result):
    with pytest.raises(ValidationError) as rasa_error:
        rasa_check(result)
    with pytest.raises(ValidationError, match="Failed to validate Action server response") as ours:
        action._validate_action_result(result)
    assert ours.value.message.startswith(rasa_error.value.message)
    assert list(ours.value.path) == list(rasa_error.value.path)


def test_valid_replies_are_shown_valid_by_their_own_event_schemas(action, monkeypatch):
    def full_check():
        raise AssertionError("a valid reply must not need the full oneOf check")

    monkeypatch.setattr(action_validation, "_validator", full_check)
    for result in GOOD:
        assert action._validate_action_result(result) is True


def test_every_event_type_has_its_own_schema():
    from rasa.shared.utils.schemas.events import EVENT_SCHEMA

    names = {one["properties"]["event"]["const"] for one in EVENT_SCHEMA["oneOf"]}
    assert set(action_validation._validators_by_type()) == names and len(names) == 23


def test_the_validator_is_built_once():
    assert action_validation._validator() is action_validation._validator()
