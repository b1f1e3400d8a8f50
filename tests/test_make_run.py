"""`make run` starts what users use: the chat page with the advisor behind it (the action server,
Rasa with the web widget's Socket.IO and REST), and Telegram when TELEGRAM_* is set; it prints the
URL, keeps the libraries' warnings off the screen and its logs, and Ctrl-C stops everything.
`make shell` stays the terminal chat."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess

import pytest
import requests

from conftest import ROOT
from servers import START_SECONDS, free_port, until
from test_telegram import BOT_USERNAME, PUBLIC_URL, SECRET, FakeBotAPI, telegram_env


def dry_run(target: str) -> str:
    result = subprocess.run(
        ["make", "-n", "--no-print-directory", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if not k.startswith("MAKE")},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_run_is_the_web_page_and_make_shell_the_terminal_chat():
    run = dry_run("run")
    assert "scripts/web_demo.sh" in run and " shell " not in run
    assert dry_run("web-demo").strip().splitlines()[-1] == "scripts/web_demo.sh"
    shell = dry_run("shell")
    assert "scripts/with_action_server.sh" in shell and "server.quiet rasa shell --model" in shell
    assert "web_demo" not in shell


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def group_alive(pgid: int) -> bool:
    """Whether any process of the group is left (make itself must have been reaped first)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.e2e
def test_make_run_serves_the_page_rest_and_telegram_then_stops_on_ctrl_c(tmp_path):
    web, rasa, actions, api_port = free_port(), free_port(), free_port(), free_port()
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        (ROOT / "endpoints.yml")
        .read_text()
        .replace("localhost:5055/", f"localhost:{actions}/")
        .replace("var/conversations.db", str(tmp_path / "c.db"))
    )
    api = FakeBotAPI(api_port).start()
    env = telegram_env(
        api.base,
        WEB_PORT=str(web),
        RASA_PORT=str(rasa),
        ACTION_SERVER_PORT=str(actions),
        ADVISOR_ENDPOINTS=str(endpoints),
        ADVISOR_LOG_DIR=str(tmp_path / "logs"),
    )
    env = {
        k: v
        for k, v in env.items()
        if not k.startswith("MAKE") and k not in ("PYTHONWARNINGS", "TF_CPP_MIN_LOG_LEVEL")
    }
    out = tmp_path / "make-run.out"
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=out.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    pgid = proc.pid
    try:
        ready = f"The advisor is ready: open http://127.0.0.1:{web}/ in a browser"
        until(
            lambda: ready in out.read_text() or proc.poll() is not None, START_SECONDS, "the ready line", out
        )
        assert proc.poll() is None, out.read_text()
        until(lambda: "Telegram:" in out.read_text(), 30, "the Telegram line", out)
        printed = out.read_text()
        before = printed.split(ready)[0]
        assert "Warning" not in before and len(before.strip().splitlines()) <= 10, printed

        page = requests.get(f"http://127.0.0.1:{web}/", timeout=10)
        assert page.status_code == 200 and "chat.js" in page.text
        assert requests.get(f"http://127.0.0.1:{web}/vendor/rasa-webchat.js", timeout=10).status_code == 200
        assert f'"rasaPort": {rasa}' in requests.get(f"http://127.0.0.1:{web}/config.js", timeout=10).text
        assert requests.get(f"http://127.0.0.1:{rasa}/", timeout=10).text.startswith("Hello from Rasa")
        assert requests.get(f"http://127.0.0.1:{rasa}/webhooks/rest/", timeout=10).json() == {"status": "ok"}
        reply = requests.post(
            f"http://127.0.0.1:{rasa}/webhooks/rest/webhook",
            json={"sender": "make-run-test", "message": "hi"},
            timeout=60,
        )
        assert reply.status_code == 200 and reply.json(), reply.text

        # Telegram, configured by the environment, is on: its webhook set with the secret
        assert f"Telegram: on, the bot receives updates at {PUBLIC_URL}" in printed, printed
        assert any(
            c.get("secret_token") == SECRET and c.get("url") == PUBLIC_URL for c in api.named("setWebhook")
        ), api.calls
        assert requests.get(f"http://127.0.0.1:{rasa}/webhooks/telegram/", timeout=10).json() == {
            "status": "ok",
            "webhook_set": True,
        }
        assert any(c["method"] == "getMe" for c in api.calls) and BOT_USERNAME

        logs = tmp_path / "logs"
        for name in ("rasa.log", "actions.log", "web.log"):
            text = (logs / name).read_text()
            assert not re.search(r"DeprecationWarning|is not used in any story or rule", text), (
                name,
                text[-3000:],
            )

        os.killpg(pgid, signal.SIGINT)  # Ctrl-C in the terminal
        until(
            lambda: proc.poll() is not None and not group_alive(pgid),
            60,
            "every process of `make run` stopped",
            out,
        )
        assert not any(port_open(p) for p in (web, rasa, actions))
    finally:
        if group_alive(pgid):
            os.killpg(pgid, signal.SIGKILL)
        proc.wait(timeout=30)
        api.stop()
