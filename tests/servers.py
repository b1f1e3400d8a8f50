"""Starting the advisor's servers for end-to-end tests, as a user would: `rasa run actions` and
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
    return ("tracker_store:\n  type: server.tracker_store.AdvisorSQLTrackerStore\n"
            f'  dialect: "sqlite"\n  db: "{db}"\n')


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


def wait_until_up(url: str, proc: subprocess.Popen, log: Path, seconds: float = START_SECONDS,
                  method: str = "get", **kwargs) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()[-3000:]}")
        try:
            if getattr(requests, method)(url, timeout=5, **kwargs).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
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
    launcher: bool = False          # start through ops/launch.py (as `make run-server` does)
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
        return self.start_actions().start_rasa()

    def start_actions(self) -> "Stack":
        """The action server alone, and an endpoints.yml that points at it."""
        if not MODEL.exists():
            raise RuntimeError(f"no trained model at {MODEL}: run `make train` (make test does it)")
        self.actions = subprocess.Popen(
            [RASA, "run", "actions", "--actions", "actions", "--port", str(self.action_port)],
            cwd=ROOT, env=self.env, stdout=self.actions_log.open("w"), stderr=subprocess.STDOUT)
        wait_until_up(f"http://127.0.0.1:{self.action_port}/health", self.actions, self.actions_log)
        self.endpoints.write_text(action_endpoint_yaml(f"http://127.0.0.1:{self.action_port}/webhook")
                                  + self.extra_endpoints)
        return self

    def start_rasa(self) -> "Stack":
        self.starts += 1
        endpoints = self.endpoints
        log = self.rasa_log()
        command = [sys.executable, "-m", "ops.launch"] if self.launcher else [RASA, "run"]
        self.rasa = subprocess.Popen(
            [*command, "--model", str(MODEL), "--endpoints", str(endpoints),
             "--credentials", str(self.credentials), "--port", str(self.rasa_port),
             "--interface", "127.0.0.1", *self.rasa_args],
            cwd=ROOT, env=self.env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        wait_until_up(self.rest_url, self.rasa, log, method="post",
                      json={"sender": "warmup", "message": "hi"})
        return self

    def stop_rasa(self) -> None:
        stop(self.rasa)

    def stop(self) -> None:
        stop(self.rasa)
        stop(self.actions)


class Chat:
    def __init__(self, url):
        self.url, self.sender = url, f"test-{uuid.uuid4().hex[:8]}"

    def say(self, message, metadata=None):
        body = {"sender": self.sender, "message": message}
        if metadata is not None:
            body["metadata"] = metadata     # as a channel sends it (the browser's language, ...)
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
    return next((p for p in buttons_of(replies) if p.startswith("/advice_part")
                 and f'"advice_part": "{part}"' in p), None)


def is_advice(replies):
    """Whether the replies are the first answer of some advice: summaries with the parts offered."""
    return part_payload(replies, "details") is not None
