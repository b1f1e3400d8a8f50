"""Talking to a running advisor over REST, as a user would, and reading what it did from the
conversation tracker (Rasa's HTTP API, which needs its token); or starting the advisor's own
servers for that (tests/servers.py), when no URL is given."""

from __future__ import annotations

import contextlib
import re
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import requests

ROOT = Path(__file__).resolve().parents[2]


def normalise(text: str) -> str:
    """Lowercase, whitespace collapsed: how two texts are compared."""
    return re.sub(r"\s+", " ", (text or "").lower()).strip()


def new_sender(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@dataclass
class Turn:
    """One user message and everything the advisor did in answer."""

    user: str
    replies: List[Dict[str, Any]]
    events: List[Dict[str, Any]] = field(default_factory=list)  # from this turn's user event on
    slots: Dict[str, Any] = field(default_factory=dict)  # after the turn
    seconds: float = 0.0
    tracker_length: int = 0  # events in the tracker after it

    @property
    def texts(self) -> List[str]:
        return [r.get("text") or "" for r in self.replies if r.get("text")]

    @property
    def button_titles(self) -> List[str]:
        return [b.get("title") or "" for r in self.replies for b in r.get("buttons") or []]

    @property
    def intent(self) -> Optional[str]:
        for event in self.events:
            if event.get("event") == "user":
                return ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        return None

    @property
    def actions(self) -> List[str]:
        """The actions run in this turn, and the forms it made active (active_loop names)."""
        names = []
        for event in self.events:
            if event.get("event") == "action" and event.get("name") not in (
                "action_listen",
                "action_session_start",
            ):
                names.append(event["name"])
            elif event.get("event") == "active_loop" and event.get("name"):
                names.append(event["name"])
        return names

    def slot_events(self, name: str) -> List[Any]:
        return [e.get("value") for e in self.events if e.get("event") == "slot" and e.get("name") == name]


class Advisor:
    """A running advisor: its base URL and the API token that opens its trackers."""

    def __init__(self, url: str, token: Optional[str], timeout: float = 120.0) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def say(self, sender: str, message: str) -> List[Dict[str, Any]]:
        response = requests.post(
            f"{self.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=self.timeout,
        )
        if response.status_code != 200:
            raise RuntimeError(f"REST channel answered {response.status_code}: {response.text[:300]}")
        replies = response.json()
        if not isinstance(replies, list):
            raise RuntimeError(f"REST channel answered with {type(replies).__name__}, not a list")
        return replies

    def tracker(self, sender: str) -> Dict[str, Any]:
        params = {"token": self.token} if self.token else {}
        response = requests.get(
            f"{self.url}/conversations/{sender}/tracker", params=params, timeout=self.timeout
        )
        if response.status_code in (401, 403):
            raise RuntimeError(
                "the tracker API refused the request: give the server's API token "
                "(--token; the server must run with --enable-api --auth-token)"
            )
        if response.status_code != 200:
            raise RuntimeError(f"tracker API answered {response.status_code}: {response.text[:300]}")
        return response.json()

    def turn(self, sender: str, message: str, since: int = 0) -> Turn:
        """Sends `message`; the turn's events are those after the first `since` of the tracker
        (its length after the previous turn), or, when the tracker was restarted meanwhile, those
        from the message's own user event on."""
        started = time.monotonic()
        replies = self.say(sender, message)
        seconds = time.monotonic() - started
        tracker = self.tracker(sender)
        events = tracker.get("events") or []
        users = [i for i, e in enumerate(events) if e.get("event") == "user" and e.get("text") == message]
        start = since if since <= len(events) and (not users or users[-1] >= since) else (users or [0])[-1]
        return Turn(message, replies, events[start:], tracker.get("slots") or {}, seconds, len(events))

    def check(self) -> None:
        """Fails early, with a clear message, when the server or its tracker API is not usable."""
        try:
            requests.get(f"{self.url}/", timeout=30)
        except requests.RequestException as error:
            raise RuntimeError(f"no advisor answers at {self.url}: {error}") from None
        self.tracker(new_sender("probe"))


def run_all(function, items, jobs: int) -> list:
    """function(item) for every item, `jobs` at a time, in order; on Ctrl-C or kill, the items not
    started yet are dropped rather than waited for."""
    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        results = list(pool.map(function, items))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return results


@contextlib.contextmanager
def own_stack(keep_logs: bool = False) -> Iterator[Tuple[Advisor, Path]]:
    """The action server and Rasa (trained model, in-memory conversations) on free ports, with the
    HTTP API on behind a fresh token; stopped on exit. Yields the Advisor and the logs' folder."""
    sys.path.insert(0, str(ROOT / "tests"))
    from servers import Stack  # noqa: E402  (tests/servers.py: how every end-to-end test starts them)

    if threading.current_thread() is threading.main_thread():
        # a `kill` (SIGTERM) unwinds like Ctrl-C, so the servers below are stopped, not orphaned
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    token = secrets.token_hex(16)
    workdir = Path(tempfile.mkdtemp(prefix="advisor-play-"))
    stack = Stack(workdir, rasa_args=["--enable-api", "--auth-token", token])
    failed = False
    try:
        started = time.monotonic()
        stack.start()
        print(
            f"advisor started at {stack.url} in {time.monotonic() - started:.0f}s (logs in {workdir})",
            flush=True,
        )
        yield Advisor(stack.url, token), workdir
    except BaseException:
        failed = True
        raise
    finally:
        stack.stop()
        if failed or keep_logs:
            print(f"server logs kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def advisor_from_args(url: Optional[str], token: Optional[str]) -> Iterator[Advisor]:
    """The server at `url` (checked first), or the advisor's own stack when no URL is given."""
    if url:
        advisor = Advisor(url, token)
        advisor.check()
        yield advisor
    else:
        with own_stack() as (advisor, _):
            yield advisor


def add_server_arguments(parser) -> None:
    parser.add_argument(
        "--url",
        help="a running advisor (e.g. http://127.0.0.1:5005); default: start "
        "the action server and Rasa here, on free ports",
    )
    parser.add_argument(
        "--token",
        help="the running advisor's API token (rasa run --enable-api "
        "--auth-token TOKEN / ADVISOR_API_TOKEN): the slots are read "
        "from its trackers",
    )
    parser.add_argument("--jobs", type=int, default=8, help="conversations played at once (default 8)")
