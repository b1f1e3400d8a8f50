"""The Rasa server checks action server replies with a validator built once (server/action_validation.py):
same verdicts and messages as Rasa's own check, much less work per reply."""
import time

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import nlp.breakup_facts  # noqa: F401  (the Rasa server imports it with the model; it installs the check)
from server import action_validation



GOOD = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "scenario", "value": "he_broke_up", "timestamp": None}],
     "responses": [{"text": "hi", "buttons": [{"title": "Yes", "payload": "/affirm"}]}]},
    {"events": [{"event": "session_started"}, {"event": "action", "name": "action_listen"}],
     "responses": [{"response": "utter_greet"}]},
]
BAD = [
    {"events": [{"event": "no_such_event"}], "responses": []},
    {"events": "not a list", "responses": []},
    {"events": [], "responses": "not a list"},
    {"events": [{"event": "slot"}], "responses": []},
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


def test_the_cached_check_is_much_faster(action):
    reply = GOOD[1]
    action._validate_action_result(reply)  # builds the validator
    start = time.perf_counter()
    for _ in range(20):
        rasa_check(reply)
    rasa_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(20):
        action._validate_action_result(reply)
    ours = time.perf_counter() - start
    assert ours * 5 < rasa_seconds, (ours, rasa_seconds)
