"""The HTTP surface: Rasa's API runs only with auth (ops/launch.py), its tracker and model
endpoints refuse requests without the token, and bad input to the REST webhook gets a 4xx or a
kind reply while the server stays up."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import pytest
import requests

from ops.launch import UnsafeCommand, masked, rasa_run_args
from servers import ENV, ROOT, Chat, text_of


# -- the launcher -------------------------------------------------------------------------------

ENVS = [
    {},
    {"ADVISOR_API_TOKEN": "t0k"},
    {"ADVISOR_JWT_SECRET": "s3c"},
    {"ADVISOR_API_TOKEN": "t0k", "ADVISOR_JWT_SECRET": "s3c"},
    {"ADVISOR_API_TOKEN": "  "},
]
EXTRAS = [[], ["--enable-api"], ["--port", "5006", "--enable-api", "--cors", "*"], ["--model", "m.tar.gz"]]


@pytest.mark.parametrize("env,extra", list(itertools.product(ENVS, EXTRAS)))
def test_the_launcher_never_enables_the_api_without_auth(env, extra):
    try:
        args = rasa_run_args(extra, env)
    except UnsafeCommand:
        assert "--enable-api" in extra and not any(v.strip() for v in env.values())
        return
    assert args[0] == "run"
    if "--enable-api" in args:
        assert args.count("--enable-api") == 1
        assert ("--auth-token" in args and args[args.index("--auth-token") + 1].strip()) or (
            "--jwt-secret" in args and args[args.index("--jwt-secret") + 1].strip()
        )
    else:
        assert not any(v.strip() for v in env.values())
    for a in extra:
        if a != "--enable-api":
            assert a in args


@pytest.mark.parametrize(
    "extra", [["--auth-token", "x"], ["--jwt-secret=x"], ["--enable-api", "--auth-token", "x"]]
)
def test_the_launcher_refuses_secrets_as_arguments(extra):
    with pytest.raises(UnsafeCommand):
        rasa_run_args(extra, {"ADVISOR_API_TOKEN": "t0k"})


def test_the_printed_command_masks_the_secret():
    result = subprocess.run(
        [sys.executable, "-m", "ops.launch", "--print", "--enable-api"],
        cwd=ROOT,
        env=dict(ENV, ADVISOR_API_TOKEN="very-secret"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "--enable-api --auth-token ***" in result.stdout and "very-secret" not in result.stdout
    refused = subprocess.run(
        [sys.executable, "-m", "ops.launch", "--print", "--enable-api"],
        cwd=ROOT,
        env={k: v for k, v in ENV.items() if not k.startswith("ADVISOR_")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2 and "never started without authentication" in refused.stderr
    assert masked(["run", "--jwt-secret", "s", "--auth-token", "t"]) == [
        "run",
        "--jwt-secret",
        "***",
        "--auth-token",
        "***",
    ]


def test_every_way_of_starting_the_server_goes_through_the_launcher():
    makefile = (ROOT / "Makefile").read_text()
    demo = (ROOT / "scripts" / "web_demo.sh").read_text()
    for text in (makefile, demo):
        assert "rasa run --" not in text and "$(RASA) run " not in text.replace("$(RASA) run actions", "")
        assert "--enable-api" not in text
    assert "ops.launch" in makefile and "ops.launch" in demo


# -- a server started by the launcher with a token ------------------------------------------------


@pytest.fixture(scope="module")
def stack(default_stack):
    """The shared stack: started by the launcher with ADVISOR_API_TOKEN (`token`) and the SQLite
    store; its log read from this module's first request on."""
    return default_stack.from_here()


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/conversations/someone/tracker"),
        ("post", "/conversations/someone/tracker/events"),
        ("get", "/conversations/someone/story"),
        ("post", "/conversations/someone/messages"),
        ("get", "/status"),
        ("get", "/domain"),
        ("post", "/model/parse"),
        ("put", "/model"),
        ("delete", "/model"),
        ("post", "/model/train"),
    ],
)
def test_api_endpoints_refuse_requests_without_the_token(stack, method, path):
    for params in ({}, {"token": "wrong"}):
        response = getattr(requests, method)(f"{stack.url}{path}", params=params, json={}, timeout=30)
        assert response.status_code == 401, (method, path, params, response.status_code)


def test_api_works_with_the_token(stack):
    chat = Chat(stack.rest_url)
    chat.say("hi")
    response = requests.get(
        f"{stack.url}/conversations/{chat.sender}/tracker", params={"token": stack.token}, timeout=30
    )
    assert response.status_code == 200 and response.json()["sender_id"] == chat.sender
    assert requests.get(f"{stack.url}/status", params={"token": stack.token}, timeout=30).status_code == 200


BAD = {
    "invalid JSON": dict(
        data=b'{"sender": "x", "message": "hi"', headers={"Content-Type": "application/json"}
    ),
    "a JSON list": dict(json=["hi"]),
    "a JSON string": dict(json="hi"),
    "no sender": dict(json={"message": "hi"}),
    "no message": dict(json={"sender": "bad-no-message"}),
    "a number as message": dict(json={"sender": "bad-number", "message": 42}),
    "an object as sender": dict(json={"sender": {"a": 1}, "message": "hi"}),
    "an empty sender": dict(json={"sender": "", "message": "hi"}),
    "a 1000-character sender": dict(json={"sender": "s" * 1000, "message": "hi"}),
    "metadata not an object": dict(json={"sender": "bad-meta", "message": "hi", "metadata": "x"}),
    "a 1 MB body": dict(json={"sender": "bad-big", "message": "x" * 1_000_000}),
    "a 1 MB body of junk": dict(data=b"\xff" * 1_048_576, headers={"Content-Type": "application/json"}),
    "wrong content type": dict(
        data=b"sender=x&message=hi", headers={"Content-Type": "application/x-www-form-urlencoded"}
    ),
    "text/plain": dict(
        data=json.dumps({"sender": "bad-plain", "message": "hi"}).encode(),
        headers={"Content-Type": "text/plain"},
    ),
    "not UTF-8": dict(
        data=b'{"sender": "bad-latin", "message": "caf\xe9"}', headers={"Content-Type": "application/json"}
    ),
    "control characters": dict(json={"sender": "bad-control", "message": "he\x00llo\x07\x1b[31m\x7f"}),
    "control characters in the sender": dict(json={"sender": "bad\x00sender", "message": "hi"}),
    "a 10,000-character message": dict(json={"sender": "bad-long", "message": "my ex " * 2000}),
    "an empty body": dict(data=b"", headers={"Content-Type": "application/json"}),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_gets_a_4xx_or_a_kind_reply(stack, name):
    response = requests.post(stack.rest_url, timeout=60, **BAD[name])
    assert response.status_code < 500, (name, response.status_code, response.text[:300])
    assert "Traceback" not in response.text and "Exception" not in response.text
    if response.status_code == 200:
        said = text_of(response.json())
        assert said.strip(), f"{name}: an empty reply"
    else:
        assert 400 <= response.status_code < 500


def test_the_server_stays_up_and_a_normal_conversation_works_after_bad_input(stack):
    for name in BAD:  # all of them again, back to back
        assert requests.post(stack.rest_url, timeout=60, **BAD[name]).status_code < 500
    chat = Chat(stack.rest_url)
    assert "first time" in text_of(chat.say("my boyfriend dumped me three weeks ago"))
    assert "How does your ex act" in text_of(chat.say("yes, the first time"))
    assert stack.rasa.poll() is None
    log = stack.logged()
    assert "Traceback" not in log, log[-3000:]


def test_a_very_long_message_gets_a_kind_reply_not_a_reading(stack):
    replies = Chat(stack.rest_url).say("why " * 2500)
    assert "long message" in text_of(replies)
