"""The scale-out profile end to end (docs/deploy.md): PostgreSQL tracker store, Redis lock store,
the action server, two `rasa run` instances and nginx, started by ops/scale_out.py as
`make scale-out` starts them.

50 conversations of 10 turns run at once through nginx, each from its own loopback address (nginx
hashes on the client address, as it would for 50 people), with distinct facts; one instance is
killed with SIGKILL mid-run, and a client sends a failed request once more. Then: every message
was answered, every tracker holds its turns in order, and no slot leaked between conversations.

Uses its own database (advisor_scale_test, dropped and created afresh) and its own Redis key
prefix, because other tests share the PostgreSQL and Redis servers."""

from __future__ import annotations

import asyncio
import collections
import json
import re
import socket
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import aiohttp
import pytest
import requests
import requests.adapters

from ops import scale_out
from servers import MODEL, free_port

TOKEN = "scale-test-token-not-a-secret"
CONVERSATIONS = 50
KILL_AFTER_ANSWERS = 200  # of 500: instance 0 dies while most turns are still to come
REQUEST_TIMEOUT = 150  # > nginx's proxy_read_timeout (120 s)
THINK_TIME = 1.0  # seconds a person takes to read an answer and type the next line

EXES = [
    ("boyfriend", "he", "his"),
    ("girlfriend", "she", "her"),
    ("husband", "he", "his"),
    ("wife", "she", "her"),
]
COUNTS = ["first", "repeat"]
TIMES = ["under_2_weeks", "2_weeks_to_2_months", "2_to_6_months", "over_6_months"]
BEHAVIOURS = ["silent", "friendly", "hot_and_cold", "seeing_someone"]


def two_free_ports() -> int:
    """A port p with p + 1 free too (the instances listen on base + i)."""
    for _ in range(50):
        base = free_port()
        if not scale_out.port_open("127.0.0.1", base + 1):
            return base
    raise RuntimeError("no two consecutive free ports")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    if not MODEL.exists():
        raise RuntimeError(f"no trained model at {MODEL}: run `make train` (make test does it)")
    action_port = free_port()
    settings = scale_out.Settings.from_env(
        ADVISOR_INSTANCES="2",
        ADVISOR_PORT=str(free_port()),
        ADVISOR_RASA_BASE_PORT=str(two_free_ports()),
        ADVISOR_ACTION_PORT=str(action_port),
        ADVISOR_ACTION_URL=f"http://127.0.0.1:{action_port}/webhook",
        ADVISOR_DB_NAME="advisor_scale_test",
        ADVISOR_REDIS_PREFIX="advisorscaletest",
        ADVISOR_API_TOKEN=TOKEN,
        ADVISOR_RUN_DIR=str(tmp_path_factory.mktemp("scale-out")),
        ADVISOR_MODEL=str(MODEL),
        TICKET_LOCK_LIFETIME="20",
    )
    scale_out.ensure_postgres(settings)
    scale_out.ensure_redis(settings)
    scale_out.clear_locks(settings)
    deployment = scale_out.ScaleOut(settings)
    started = time.monotonic()
    try:
        deployment.start(fresh_database=True, say=lambda line: None)
        deployment.started_in = time.monotonic() - started
        yield deployment
    finally:
        deployment.stop()
        scale_out.clear_locks(settings)


def script(i: int) -> Dict:
    ex, pronoun, possessive = EXES[i % 4]
    facts = {
        "ex_pronoun": pronoun,
        "breakup_count": COUNTS[(i // 4) % 2],
        "time_since": TIMES[(i // 2) % 4],
        "ex_behaviour": BEHAVIOURS[(i // 3) % 4],
    }
    turns = [
        "hi",
        f"my {ex} dumped me",
        '/inform{"breakup_count":"%s"}' % facts["breakup_count"],
        '/inform{"time_since":"%s"}' % facts["time_since"],
        '/inform{"ex_behaviour":"%s"}' % facts["ex_behaviour"],
        "thanks",
        "hello",
        f"how do i stop checking {possessive} instagram",
        "ok",
        "bye",
    ]
    return {"sender": f"scale-{i:02d}-{ex}", "facts": facts, "turns": turns}


@dataclass
class Run:
    answered: int = 0
    retried: int = 0
    retry_causes: collections.Counter = field(default_factory=collections.Counter)
    retried_turns: Dict[str, List[int]] = field(default_factory=lambda: collections.defaultdict(list))
    failures: List[str] = field(default_factory=list)
    replies: Dict[str, List[Optional[list]]] = field(default_factory=dict)
    killed_at: Optional[int] = None
    kill_reached: asyncio.Event = field(default_factory=asyncio.Event)


async def converse(url: str, i: int, run: Run) -> None:
    """One person: their own address, one message at a time. A failed request (an HTTP error, no
    connection, a time-out, or an answer with no message at all, which the advisor never gives)
    is sent once more, as a person would."""
    plan = script(i)
    run.replies[plan["sender"]] = []
    connector = aiohttp.TCPConnector(local_addr=(f"127.0.0.{10 + i}", 0))
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.sleep(i * 0.1)  # people arrive over 5 seconds
        for turn, message in enumerate(plan["turns"]):
            if turn:
                await asyncio.sleep(THINK_TIME)
            replies, errors = None, []
            for attempt in range(2):
                if attempt:
                    await asyncio.sleep(1.0)  # a moment, as a person or a widget would
                    run.retried += 1
                    run.retried_turns[plan["sender"]].append(turn)
                    run.retry_causes[errors[-1].split(":")[0]] += 1
                try:
                    async with session.post(
                        f"{url}/webhooks/rest/webhook", json={"sender": plan["sender"], "message": message}
                    ) as response:
                        body = await response.text()
                        if response.status != 200:
                            errors.append(f"HTTP {response.status}")
                            continue
                        replies = json.loads(body)
                        if any((r.get("text") or "").strip() for r in replies):
                            break
                        errors.append("empty answer")
                except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                    errors.append(f"{type(exc).__name__}: {exc}")
            run.replies[plan["sender"]].append(replies)
            if replies and any((r.get("text") or "").strip() for r in replies):
                run.answered += 1
                if run.answered >= KILL_AFTER_ANSWERS:
                    run.kill_reached.set()
            else:
                run.failures.append(f"{plan['sender']} turn {turn} {message!r}: {'; '.join(errors)}")


def tracker(url: str, sender: str) -> Dict:
    response = requests.get(f"{url}/conversations/{sender}/tracker", params={"token": TOKEN}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def said(events: List[Dict]) -> List[str]:
    return [e["text"] for e in events if e["event"] == "user"]


def collapse_retries(messages: List[str], turns: List[str], retried: List[int]) -> List[str]:
    """A retried message may be in the tracker twice, when the killed instance stored it but died
    before its reply got out (at-least-once delivery); only those may be collapsed."""
    out: List[str] = []
    for message in messages:
        if out and out[-1] == message and any(turns[t] == message for t in retried):
            continue
        out.append(message)
    return out


def test_the_api_behind_nginx_needs_the_token_and_a_local_address(deployment):
    url = deployment.settings.url
    assert requests.get(f"{url}/conversations/x/tracker", timeout=10).status_code == 401
    assert (
        requests.get(f"{url}/conversations/x/tracker", params={"token": "wrong"}, timeout=10).status_code
        == 401
    )
    # From another address (127.0.0.2 stands for the outside), nginx refuses the API outright...
    with socket.create_connection(
        ("127.0.0.1", int(deployment.settings["ADVISOR_PORT"])), timeout=10, source_address=("127.0.0.2", 0)
    ) as raw:
        raw.sendall(f"GET /conversations/x/tracker?token={TOKEN} HTTP/1.0\r\nHost: x\r\n\r\n".encode())
        status_line = raw.recv(200).decode(errors="replace").split("\r\n")[0]
    assert " 403 " in status_line, status_line
    # ... but lets the channels and the health check through.
    assert requests.get(f"{url}/health", timeout=10).text.startswith("Hello from Rasa")
    # Every instance runs with the token and without --cors.
    for name, proc in deployment.procs.items():
        if name.startswith("rasa-"):
            command = deployment.rasa_command(int(name.split("-")[1]))
            assert "--cors" not in command and command[command.index("--auth-token") + 1] == TOKEN


def test_socketio_sessions_stay_on_their_instance(deployment):
    """The web widget's Socket.IO session lives on one instance: the handshake and the polls that
    follow must reach the same one, which the address hash ensures. Without it about half of
    these polls would get "Invalid session"."""
    url = deployment.settings.url
    for k in range(20):
        address = f"127.0.0.{100 + k}"
        session = requests.Session()
        session.mount("http://", SourceAddressAdapter(address))
        handshake = session.get(f"{url}/socket.io/", params={"EIO": "4", "transport": "polling"}, timeout=10)
        assert handshake.status_code == 200, handshake.text
        sid = json.loads(handshake.text[handshake.text.index("{") :])["sid"]
        connect = session.post(
            f"{url}/socket.io/",
            params={"EIO": "4", "transport": "polling", "sid": sid},
            data="40",
            headers={"Content-Type": "text/plain;charset=UTF-8"},
            timeout=10,
        )
        assert connect.status_code == 200 and connect.text.lower() == "ok", (
            address,
            connect.status_code,
            connect.text,
        )
        poll = session.get(
            f"{url}/socket.io/", params={"EIO": "4", "transport": "polling", "sid": sid}, timeout=10
        )
        assert poll.status_code == 200 and poll.text.startswith("40"), (address, poll.status_code, poll.text)


class SourceAddressAdapter(requests.adapters.HTTPAdapter):
    """requests from a chosen loopback address, standing for one person's machine."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


async def _race(urls: List[str], prefix: str, rounds: int, local_address: str) -> int:
    """Two messages of one conversation sent at the same moment; returns how many conversations
    lost one of them from their tracker."""
    connector = aiohttp.TCPConnector(local_addr=(local_address, 0))
    lost = 0
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as session:

        async def say(url, sender, message):
            async with session.post(
                f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}
            ) as r:
                assert r.status == 200, await r.text()
                return await r.json()

        for k in range(rounds):
            sender = f"{prefix}-{k}"
            await say(urls[0], sender, "hi")
            await asyncio.gather(say(urls[0], sender, "hello"), say(urls[1 % len(urls)], sender, "thanks"))
            messages = said(tracker(urls[0], sender)["events"])
            lost += sorted(messages) != ["hello", "hi", "thanks"]
    return lost


def report(capsys, line: str) -> None:
    """The counts are printed on every run, not only when a test fails."""
    with capsys.disabled():
        print(f"\nscale-out: {line}")


def test_concurrent_turns_of_one_conversation(deployment, capsys):
    """Rasa OSS's RedisLockStore issues tickets with a read-modify-write on Redis that is not
    atomic across processes, so two instances can both take a conversation's lock at once; the
    SQL tracker store then drops one of the two turns. Within one instance it is safe (the Redis
    calls are synchronous on its event loop), and nginx keeps a client on one instance."""
    s = deployment.settings
    rounds = 15
    through_nginx = asyncio.run(_race([s.url], "race-nginx", rounds, "127.0.0.201"))
    instances = [f"http://127.0.0.1:{s.rasa_port(i)}" for i in range(s.instances)]
    across = asyncio.run(_race(instances, "race-across", rounds, "127.0.0.1"))
    report(capsys, f"started in {deployment.started_in:.0f}s")
    report(
        capsys,
        f"two simultaneous turns of one conversation, {rounds} conversations each: "
        f"a turn lost {through_nginx} times through nginx (sticky), "
        f"{across} times when sent to two instances directly (the OSS lock race)",
    )
    assert through_nginx == 0


def test_fifty_conversations_with_an_instance_killed(deployment, capsys):
    s = deployment.settings
    run = Run()
    plans = [script(i) for i in range(CONVERSATIONS)]
    access_log = deployment.run_dir / "nginx-access.log"
    log_start = access_log.stat().st_size

    async def kill_mid_run():
        await run.kill_reached.wait()
        run.killed_at = run.answered
        await asyncio.to_thread(deployment.kill, "rasa-0")

    async def main():
        killer = asyncio.create_task(kill_mid_run())
        await asyncio.gather(*(converse(s.url, i, run) for i in range(CONVERSATIONS)))
        await asyncio.wait_for(killer, 5)

    started = time.monotonic()
    asyncio.run(main())
    elapsed = time.monotonic() - started

    # Which instance answered each chat turn: nginx's access log (the last upstream it tried).
    share = collections.Counter()
    for line in access_log.read_bytes()[log_start:].decode().splitlines():
        if '"POST /webhooks/rest/webhook" 200 ' in line:
            tried = re.search(r"upstream=(.*?) upstream_status=", line).group(1)
            share[tried.split(",")[-1].strip()] += 1
    turns = CONVERSATIONS * 10
    report(
        capsys,
        f"{CONVERSATIONS} conversations, {turns} turns in {elapsed:.1f}s; "
        f"answered {run.answered}, retried {run.retried} ({dict(run.retry_causes)}), instance 0 killed after {run.killed_at} answers; "
        f"answers per instance: "
        + ", ".join(f"{k} {v} ({v / max(1, sum(share.values())):.0%})" for k, v in sorted(share.items())),
    )

    assert run.killed_at is not None and deployment.procs["rasa-0"].poll() is not None
    assert not run.failures, "\n".join(run.failures[:20])
    assert run.answered == turns
    assert len(share) == s.instances, f"the turns did not spread over the instances: {share}"
    assert min(share.values()) >= turns // 10, share

    duplicated = 0
    for plan in plans:
        sender = plan["sender"]
        state = tracker(s.url, sender)
        messages = said(state["events"])
        collapsed = collapse_retries(messages, plan["turns"], run.retried_turns.get(sender, []))
        duplicated += len(messages) - len(collapsed)
        assert collapsed == plan["turns"], f"{sender}: turns missing or out of order:\n{messages}"
        slots = state["slots"]
        leaked = {k: (slots.get(k), v) for k, v in plan["facts"].items() if slots.get(k) != v}
        assert not leaked, f"{sender}: slots (found, expected) {leaked}"
        assert slots.get("who_ended") == "ex", sender
        bot_turns = [e for e in state["events"] if e["event"] == "bot"]
        assert len(bot_turns) >= 10, f"{sender}: {len(bot_turns)} bot messages stored"
        # The advice matches this conversation's ex, not another's.
        advice = " ".join(r.get("text") or "" for r in run.replies[sender][4])
        other = {"he": " her ", "she": " his "}[plan["facts"]["ex_pronoun"]]
        assert other not in f" {advice.lower()} ", f"{sender}: advice for someone else's ex: {advice[:300]}"

    # The conversations are in PostgreSQL, not in an instance's memory.
    connection = scale_out._pg_connect(s, s["ADVISOR_DB_NAME"])
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sender_id, count(*) FROM events WHERE type_name = 'user' "
                "AND sender_id LIKE 'scale-%%' GROUP BY sender_id"
            )
            stored = dict(cursor.fetchall())
    finally:
        connection.close()
    assert set(stored) == {p["sender"] for p in plans}
    assert all(count >= 10 for count in stored.values()), stored
    report(
        capsys,
        f"{len(stored)} trackers in PostgreSQL hold every turn in order, "
        f"no slot leaked; {duplicated} retried turn(s) stored twice",
    )
