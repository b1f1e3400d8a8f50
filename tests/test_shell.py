"""The terminal channel: `rasa shell` driven through a pseudo-terminal (pexpect), as a person would
use it. The action server is the shared stack's, on a free port (not scripts/with_action_server.sh,
which reuses whatever answers on :5055), and the shell's own server gets a free port too."""

from __future__ import annotations

import time

import pexpect
import pytest

from servers import ENV, MODEL, RASA, ROOT, action_endpoint_yaml, free_port

DOWN = "\x1b[B"  # the arrow key, as a terminal sends it


@pytest.fixture
def action_server(default_stack, tmp_path):
    """An endpoints.yml with only the shared stack's action server (the shell keeps its
    conversation in memory, apart from the shared conversation store)."""
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(action_endpoint_yaml(f"http://127.0.0.1:{default_stack.action_port}/webhook"))
    return endpoints


def test_a_breakup_conversation_in_the_terminal(action_server, tmp_path):
    env = dict(ENV, TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1")
    transcript = tmp_path / "shell.log"
    child = pexpect.spawn(
        RASA,
        ["shell", "--model", str(MODEL), "--endpoints", str(action_server), "--port", str(free_port())],
        cwd=str(ROOT),
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(50, 200),
    )
    child.logfile_read = transcript.open("w")

    def expect(pattern: str, timeout: int = 60) -> None:
        try:
            child.expect(pattern, timeout=timeout)
        except (pexpect.TIMEOUT, pexpect.EOF) as error:
            raise AssertionError(
                f"no {pattern!r} in the terminal:\n{transcript.read_text()[-3000:]}"
            ) from error

    try:
        expect("Your input ->", timeout=150)  # the model is loaded
        child.sendline("my girlfriend dumped me")
        expect("first time")  # the triage asks what it still needs
        expect("Type out your own message")  # ... with the answers as a menu
        time.sleep(0.5)
        child.send("\r")  # pick "Yes, the first time"
        expect("How long ago")
        expect("Type out your own message")
        time.sleep(0.5)
        child.send(DOWN * 4)  # down to "Type out your own message..."
        time.sleep(0.5)
        child.send("\r")
        expect("Your input ->")
        child.sendline("three weeks ago")  # a typed answer
        expect("How does your ex act")
        expect("Type out your own message")
        time.sleep(0.5)
        child.send("\r")  # "We don't talk"
        expect("What should I do?")  # the advice, its parts as a menu
        said = transcript.read_text()
        assert "She ended it" in said or " her " in said  # the ex's pronoun from "girlfriend"
        assert "Traceback" not in said
    finally:
        child.terminate(force=True)
