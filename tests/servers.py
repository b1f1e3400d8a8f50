"""Starting the advisor's servers for end-to-end tests, as a user would: the action server
(`python -m ops.action_server`, as every script starts it) and
`rasa run` with the trained model, on free local ports, with their logs kept for the assertions."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

import requests
import yaml

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "advisor.tar.gz"
RASA = str(Path(sys.executable).parent / "rasa")
ENV = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", RASA_TELEMETRY_ENABLED="false")
# How long a server may take to answer after launch (raise it on a busy machine).
START_SECONDS = float(os.environ.get("ADVISOR_TEST_START_SECONDS", "240"))


def sqlite_store(db: Path) -> str:
    """An endpoints.yml tracker_store section: the project's own store (as shipped) on `db`."""
    return (
        "tracker_store:\n  type: server.tracker_store.AdvisorSQLTrackerStore\n"
        f'  dialect: "sqlite"\n  db: "{db}"\n'
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def until(condition, seconds: float, what: str, log: Optional[Path] = None):
    """condition()'s first true value, polled for up to `seconds`; fails with the log's tail."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    tail = log.read_text()[-3000:] if log else ""
    raise AssertionError(f"{what} did not happen within {seconds}s\n{tail}")


def wait_until_up(
    url: str, proc: subprocess.Popen, log: Path, seconds: float = START_SECONDS, method: str = "get", **kwargs
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()[-3000:]}")
        try:
            if getattr(requests, method)(url, timeout=5, **kwargs).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server did not answer at {url} in {seconds}s:\n{log.read_text()[-3000:]}")


def stop(proc: Optional[subprocess.Popen]) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def action_endpoint_yaml(url: str) -> str:
    """The shipped endpoints.yml's action_endpoint (so tests use its settings), at `url`."""
    shipped = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))["action_endpoint"]
    return yaml.safe_dump({"action_endpoint": dict(shipped, url=url)}, sort_keys=False)


@dataclass
class Stack:
    """The action server and a Rasa server; `extra_endpoints` is appended to endpoints.yml."""

    workdir: Path
    extra_endpoints: str = ""
    credentials: Path = ROOT / "credentials.yml"
    rasa_args: List[str] = field(default_factory=list)
    launcher: bool = False  # start through ops/launch.py (as `make run-server` does)
    env: Dict[str, str] = field(default_factory=lambda: dict(ENV))
    action_port: int = field(default_factory=free_port)
    rasa_port: int = field(default_factory=free_port)
    actions: Optional[subprocess.Popen] = None
    rasa: Optional[subprocess.Popen] = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def rest_url(self) -> str:
        return f"{self.url}/webhooks/rest/webhook"

    @property
    def actions_log(self) -> Path:
        return self.workdir / "actions.log"

    def rasa_log(self, start: Optional[int] = None) -> Path:
        return self.workdir / f"rasa-{self.starts if start is None else start}.log"

    @property
    def endpoints(self) -> Path:
        return self.workdir / "endpoints.yml"

    def start(self) -> "Stack":
        """Both servers, launched together (Rasa needs the action server only from its first turn
        on), then each waited for: the action server, and Rasa answering a first message."""
        self._launch_actions()
        self._launch_rasa()
        self._wait_actions()
        self._wait_rasa()
        return self

    def start_actions(self) -> "Stack":
        """The action server alone, and an endpoints.yml that points at it."""
        self._launch_actions()
        self._wait_actions()
        return self

    def start_rasa(self) -> "Stack":
        self._launch_rasa()
        self._wait_rasa()
        return self

    def _launch_actions(self) -> None:
        if not MODEL.exists():
            raise RuntimeError(f"no trained model at {MODEL}: run `make train` (make test does it)")
        self.actions = subprocess.Popen(
            [sys.executable, "-m", "ops.action_server", "--port", str(self.action_port)],
            cwd=ROOT,
            env=self.env,
            stdout=self.actions_log.open("w"),
            stderr=subprocess.STDOUT,
        )
        self.endpoints.write_text(
            action_endpoint_yaml(f"http://127.0.0.1:{self.action_port}/webhook") + self.extra_endpoints
        )

    def _wait_actions(self) -> None:
        wait_until_up(f"http://127.0.0.1:{self.action_port}/health", self.actions, self.actions_log)

    def _launch_rasa(self) -> None:
        self.starts += 1
        command = [sys.executable, "-m", "ops.launch"] if self.launcher else [RASA, "run"]
        self.rasa = subprocess.Popen(
            [
                *command,
                "--model",
                str(MODEL),
                "--endpoints",
                str(self.endpoints),
                "--credentials",
                str(self.credentials),
                "--port",
                str(self.rasa_port),
                "--interface",
                "127.0.0.1",
                *self.rasa_args,
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.rasa_log().open("w"),
            stderr=subprocess.STDOUT,
        )

    def _wait_rasa(self) -> None:
        wait_until_up(
            self.rest_url,
            self.rasa,
            self.rasa_log(),
            method="post",
            json={"sender": "warmup", "message": "hi"},
        )

    def stop_rasa(self) -> None:
        stop(self.rasa)

    def stop(self) -> None:
        stop(self.rasa)
        stop(self.actions)

    def settle(self, quiet: float = 1.0, seconds: float = 30) -> None:
        """Waits until neither server has written to its log for `quiet` seconds (what a turn logs
        after its reply, or a closed WebSocket, is then in the log), for up to `seconds`."""
        logs = [self.rasa_log(), self.actions_log]
        sizes, still_since = None, time.monotonic()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            now = [log.stat().st_size if log.exists() else 0 for log in logs]
            if now != sizes:
                sizes, still_since = now, time.monotonic()
            elif time.monotonic() - still_since >= quiet:
                return
            time.sleep(0.1)

    def log_mark(self) -> Dict[str, int]:
        """Where the logs end now: log_since(mark) returns what was written after."""
        self.settle()
        return {
            "rasa": self.rasa_log().stat().st_size,
            "actions": self.actions_log.stat().st_size,
            "start": self.starts,
        }

    def log_since(self, mark: Dict[str, int], which: str = "rasa") -> str:
        """The text the Rasa server ("rasa") or the action server ("actions") logged since `mark`."""
        assert self.starts == mark["start"], "the Rasa server was restarted since the mark"
        self.settle()
        log = self.rasa_log() if which == "rasa" else self.actions_log
        with log.open("rb") as f:
            f.seek(mark[which])
            return f.read().decode("utf-8", errors="replace")


# The stack most end-to-end tests share (tests/conftest.py, `default_stack`): as `make run-server`
# starts it with ADVISOR_API_TOKEN set, with the shipped channels and the shipped SQLite store.
DEFAULT_TOKEN = "default-stack-test-token"


@dataclass
class DefaultStack(Stack):
    """`launcher` with the API behind `token`, the shipped credentials.yml (REST, the web widget's
    Socket.IO; Telegram off), the project's SQLite store on `db`, and the web widget allowed from
    http://127.0.0.1:`web_port`, where a test may serve the page. Tests keep apart by sender id."""

    token: str = DEFAULT_TOKEN
    web_port: int = field(default_factory=free_port)

    def __post_init__(self) -> None:
        self.launcher = True
        self.env = {k: v for k, v in self.env.items() if not k.startswith("TELEGRAM_")}
        self.env.update(
            ADVISOR_API_TOKEN=self.token, ADVISOR_ALLOWED_ORIGINS=self.page_origin, PYTHONUNBUFFERED="1"
        )  # every log line in the file as it is written
        self.extra_endpoints = sqlite_store(self.db)

    @property
    def db(self) -> Path:
        return self.workdir / "conversations.db"

    @property
    def page_origin(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def stop_rasa(self) -> None:
        raise AssertionError("the default stack is shared: a test that restarts Rasa needs its own Stack")

    def from_here(self) -> "LogWindow":
        """This stack, with its logs read from now on (for a module's fixture)."""
        return LogWindow(self, self.log_mark())


# The stack the tests that restart Rasa or edit stored events share (tests/conftest.py, `sqlite_stack`).
SQLITE_TOKEN = "sqlite-stack-test-token"


@dataclass
class SQLiteStack(Stack):
    """`rasa run` with the API behind `token`, the project's SQLite store on `db`, and the store's
    tracker cache off (ADVISOR_TRACKER_CACHE=0), so a conversation is read from the database on
    every turn: after a restart, and after a test moved its stored events."""

    token: str = SQLITE_TOKEN

    def __post_init__(self) -> None:
        self.env["ADVISOR_TRACKER_CACHE"] = "0"
        self.rasa_args = ["--enable-api", "--auth-token", self.token, *self.rasa_args]
        self.extra_endpoints = sqlite_store(self.db)

    @property
    def db(self) -> Path:
        return self.workdir / "conversations.db"


class LogWindow:
    """A shared stack seen from a mark: its attributes, and `logged()`, the log text since then."""

    def __init__(self, stack: Stack, mark: Dict[str, int]):
        self.stack, self.mark = stack, mark

    def __getattr__(self, name):
        return getattr(self.stack, name)

    def logged(self, which: str = "rasa") -> str:
        return self.stack.log_since(self.mark, which)


class Chat:
    def __init__(self, url):
        self.url, self.sender = url, f"test-{uuid.uuid4().hex[:8]}"

    def say(self, message, metadata=None):
        body = {"sender": self.sender, "message": message}
        if metadata is not None:
            body["metadata"] = metadata  # as a channel sends it (the browser's language, ...)
        response = requests.post(self.url, json=body, timeout=60)
        assert response.status_code == 200, response.text
        replies = response.json()
        assert isinstance(replies, list)
        return replies


def text_of(replies):
    return "\n".join(r.get("text") or "" for r in replies)


def buttons_of(replies):
    return [b["payload"] for r in replies for b in r.get("buttons") or []]


def part_payload(replies, part):
    """The payload of a part's button ("steps", "scripts", "warnings", "details", "source",
    "next") under an advice answer, or None."""
    return next(
        (p for p in buttons_of(replies) if p.startswith("/advice_part") and f'"advice_part": "{part}"' in p),
        None,
    )


def is_advice(replies):
    """Whether the replies are the first answer of some advice: summaries with the parts offered."""
    return part_payload(replies, "details") is not None
