"""Benchmarks the advisor against the stock `rasa init` assistant and a bare Sanic echo, in one run.

    make bench            # full run (several minutes): trains both, measures, writes the table
    make bench QUICK=1    # smoke test: fewer turns, reuses trained models in bench/work/
    make bench REUSE=1    # all the turns, but reuses the trained models (training not measured)

Measures per-turn latency (p50, p95) and throughput over the REST channel at 1, 10 and 50
concurrent scripted conversations (bench/scenarios.py); start-up time from launch to the first
answer and resident memory; full training time; the time from editing an advice card to the new
text being served; model size on disk. The table is printed, saved as bench/results/<date>.md
and, after a full run, put into docs/bench.md between the bench markers.

Everything runs in bench/work/ (git-ignored): the stock assistant, both trained models, a copy of
the advice content (ADVISOR_CONTENT_DIR) that the edit test changes, the SQLite conversation store
and the server logs. Servers listen on free local ports; every process started here runs in its
own process group and is stopped at the end, also on Ctrl-C or failure.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import aiohttp
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scenarios import ADVISOR, ECHO, PROBES, STOCK, Script  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from ops.processes import stop_group  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
WORK = BENCH / "work"
RESULTS = BENCH / "results"
RESULTS_PAGE = ROOT / "docs" / "bench.md"
MARK_START, MARK_END = "<!-- bench:start -->", "<!-- bench:end -->"
PY = sys.executable
RASA = str(Path(PY).parent / "rasa")
ENV = dict(
    os.environ,
    TF_CPP_MIN_LOG_LEVEL="3",
    RASA_TELEMETRY_ENABLED="false",
    SQLALCHEMY_SILENCE_UBER_WARNING="1",
    PYTHONWARNINGS="ignore::DeprecationWarning",
)
LEVELS = (1, 10, 50)
TURNS = {False: {1: 100, 10: 300, 50: 600}, True: {1: 20, 10: 60, 50: 150}}
EDIT_TRIALS = {False: 5, True: 2}
REUSE = False  # --reuse-models
T0 = time.monotonic()


def say(line: str) -> None:
    print(f"[bench {time.monotonic() - T0:6.0f}s] {line}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- processes -------------------------------------------------------------------------------


class Processes:
    """Every server started by the benchmark, each in its own process group."""

    def __init__(self) -> None:
        self.running: List[subprocess.Popen] = []

    def start(
        self, cmd: List[str], log: Path, cwd: Path = ROOT, env: Optional[Dict[str, str]] = None
    ) -> subprocess.Popen:
        proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=env or ENV,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        proc.log = log  # type: ignore[attr-defined]
        self.running.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen) -> None:
        stop_group(proc)
        if proc in self.running:
            self.running.remove(proc)

    def stop_all(self) -> None:
        for proc in list(reversed(self.running)):
            self.stop(proc)


PROCS = Processes()


def run_timed(cmd: List[str], log: Path, cwd: Path = ROOT) -> float:
    """Runs a command to completion (in its own process group, stopped on Ctrl-C); seconds taken."""
    start = time.monotonic()
    proc = PROCS.start(cmd, log, cwd=cwd)
    try:
        code = proc.wait()
    finally:
        PROCS.stop(proc)
    if code != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} failed ({code}); last lines of {log}:\n"
            + "\n".join(log.read_text(errors="replace").splitlines()[-25:])
        )
    return time.monotonic() - start


def rss_mb(pids: List[int]) -> float:
    """Resident memory of these processes and all their descendants, from /proc."""
    children: Dict[int, List[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo, seen = 0, list(pids), set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        todo += children.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def machine_load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min)"


def busiest_processes(n: int = 6) -> List[str]:
    """The other work on the machine, for the notes: the top CPU users right now."""
    try:
        out = subprocess.run(
            ["ps", "-eo", "pcpu,rss,args", "--sort=-pcpu"], capture_output=True, text=True, timeout=10
        ).stdout.splitlines()[1 : n + 1]
    except (OSError, subprocess.SubprocessError):
        return []
    return [" ".join(line.split()[:2]) + " " + " ".join(line.split()[2:])[:90] for line in out]


# --- HTTP ------------------------------------------------------------------------------------


async def post(session: aiohttp.ClientSession, url: str, sender: str, message: str) -> Tuple[int, list]:
    async with session.post(url, json={"sender": sender, "message": message}) as response:
        body = await response.json(content_type=None) if response.status == 200 else []
        return response.status, body if isinstance(body, list) else []


def text_of(replies: list) -> str:
    return "\n".join(
        (r.get("text") or "") + " " + " ".join(b.get("title", "") for b in r.get("buttons") or [])
        for r in replies
        if isinstance(r, dict)
    )


async def wait_for_answer(
    url: str, probe: Tuple[str, str], procs: List[subprocess.Popen], seconds: float = 400
) -> float:
    """Polls until the server answers the probe message with the expected text; returns when."""
    message, expected = probe
    deadline = time.monotonic() + seconds
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        while time.monotonic() < deadline:
            for proc in procs:
                if proc.poll() is not None:
                    raise RuntimeError(f"a server exited early; see {proc.log}")  # type: ignore
            try:
                status, replies = await post(session, url, f"probe-{uuid.uuid4().hex[:8]}", message)
                if status == 200 and expected in text_of(replies):
                    return time.monotonic()
            except (aiohttp.ClientError, asyncio.TimeoutError):
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"no answer from {url} within {seconds:.0f} s")


@dataclass
class Load:
    level: int
    latencies: List[float] = field(default_factory=list)
    errors: int = 0
    wrong: int = 0
    wall: float = 0.0

    def pct(self, q: float) -> float:
        data = sorted(self.latencies)
        return data[min(len(data) - 1, int(round(q * (len(data) - 1))))] * 1000 if data else float("nan")

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall if self.wall else float("nan")


async def converse(session, url: str, script: Script, load: Optional[Load], tag: str) -> None:
    sender = f"{tag}-{uuid.uuid4().hex[:10]}"
    for message, expected in script:
        start = time.monotonic()
        try:
            status, replies = await post(session, url, sender, message)
        except (aiohttp.ClientError, asyncio.TimeoutError):
            if load:
                load.errors += 1
            continue
        elapsed = time.monotonic() - start
        if load is None:
            continue
        load.latencies.append(elapsed)
        if status != 200:
            load.errors += 1
        elif not replies or (expected and expected not in text_of(replies)):
            load.wrong += 1


async def run_load(url: str, scripts: List[Script], level: int, turns: int) -> Load:
    """`level` simulated users, each running scripted conversations back to back (each with a new
    sender id), until `turns` turns have been answered in all."""
    load = Load(level)
    counter = iter(range(10**9))
    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=level)

    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:

        async def user() -> None:
            while len(load.latencies) + load.errors < turns:
                await converse(session, url, scripts[next(counter) % len(scripts)], load, f"c{level}")

        start = time.monotonic()
        await asyncio.gather(*(user() for _ in range(level)))
        load.wall = time.monotonic() - start
    return load


async def warm_up(url: str, scripts: List[Script]) -> None:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        for script in scripts:
            await converse(session, url, script, None, "warmup")


# --- the systems -----------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    loads: Dict[int, Load] = field(default_factory=dict)
    startup: Optional[float] = None
    rss_start: Optional[float] = None
    rss_after: Optional[float] = None
    training: Optional[float] = None
    training_note: str = ""
    model_mb: Optional[float] = None
    model_note: str = ""
    edit_seconds: List[float] = field(default_factory=list)
    processes: str = ""


def train_advisor(quick: bool, result: Result) -> Path:
    model = WORK / "models" / "advisor.tar.gz"
    if (quick or REUSE) and model.exists():
        say(f"advisor: reusing {model.relative_to(ROOT)} (quick or REUSE mode)")
    else:
        say("advisor: building the spaCy pipeline and training (rasa train --force) ...")
        seconds = run_timed([PY, "-m", "nlp.build_pipeline"], WORK / "advisor-pipeline.log")
        seconds += run_timed(
            [
                RASA,
                "train",
                "--config",
                "config.yml",
                "--domain",
                "domain",
                "--data",
                "data",
                "--out",
                str(WORK / "models"),
                "--fixed-model-name",
                "advisor",
                "--force",
                "--quiet",
            ],
            WORK / "advisor-train.log",
        )
        result.training = seconds
        say(f"advisor: trained in {seconds:.0f} s")
    result.model_mb = size_mb(model)
    result.model_note = f"+ {size_mb(ROOT / 'nlp' / 'pipeline'):.1f} MB spaCy pipeline (nlp/pipeline)"
    return model


def train_stock(quick: bool, result: Result) -> Path:
    project = WORK / "stock"
    models = sorted((project / "models").glob("*.tar.gz")) if project.exists() else []
    if (quick or REUSE) and models:
        say(f"stock: reusing {models[-1].relative_to(ROOT)} (quick or REUSE mode)")
    else:
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir(parents=True)  # rasa init wants the folder to exist, and empty
        say("stock: rasa init --no-prompt (creates and trains the stock assistant) ...")
        result.training = run_timed(
            [RASA, "init", "--no-prompt", "--init-dir", str(project)], WORK / "stock-init.log", cwd=WORK
        )
        result.training_note = "rasa init --no-prompt"
        models = sorted((project / "models").glob("*.tar.gz"))
        say(f"stock: created and trained in {result.training:.0f} s")
    if not models:
        raise RuntimeError(f"rasa init left no model in {project / 'models'}")
    result.model_mb = size_mb(models[-1])
    return models[-1]


async def measure(
    result: Result,
    url: str,
    procs: List[subprocess.Popen],
    launched: float,
    scripts: List[Script],
    probe: Tuple[str, str],
    quick: bool,
) -> None:
    ready = await wait_for_answer(url, probe, procs)
    result.startup = ready - launched
    say(f"{result.name}: first answer {result.startup:.1f} s after launch")
    await asyncio.sleep(1)
    result.rss_start = rss_mb([p.pid for p in procs])
    await warm_up(url, scripts)
    for level in LEVELS:
        turns = TURNS[quick][level]
        say(f"{result.name}: {level} concurrent conversation(s), {turns} turns ...")
        load = await run_load(url, scripts, level, turns)
        result.loads[level] = load
        say(
            f"{result.name}: {level}: p50 {load.pct(0.5):.0f} ms, p95 {load.pct(0.95):.0f} ms, "
            f"{load.throughput:.1f} turns/s, {load.errors} errors, {load.wrong} unexpected replies"
        )
    result.rss_after = rss_mb([p.pid for p in procs])


async def bench_echo(quick: bool) -> Result:
    result = Result("echo")
    port = free_port()
    launched = time.monotonic()
    proc = PROCS.start([PY, str(BENCH / "echo_server.py"), "--port", str(port)], WORK / "echo.log")
    try:
        await measure(
            result,
            f"http://127.0.0.1:{port}/webhooks/rest/webhook",
            [proc],
            launched,
            ECHO,
            PROBES["echo"],
            quick,
        )
    finally:
        PROCS.stop(proc)
    return result


async def bench_stock(quick: bool) -> Result:
    result = Result("stock")
    model = train_stock(quick, result)
    project = WORK / "stock"
    # The stock assistant has no custom actions (its actions.py is all comments and endpoints.yml
    # names no action server), so it is the Rasa server alone, with its in-memory tracker store.
    port = free_port()
    launched = time.monotonic()
    proc = PROCS.start(
        [
            RASA,
            "run",
            "--model",
            str(model),
            "--port",
            str(port),
            "--interface",
            "127.0.0.1",
            "--endpoints",
            "endpoints.yml",
            "--credentials",
            "credentials.yml",
        ],
        WORK / "stock-rasa.log",
        cwd=project,
    )
    result.processes = "rasa run"
    try:
        await measure(
            result,
            f"http://127.0.0.1:{port}/webhooks/rest/webhook",
            [proc],
            launched,
            STOCK,
            PROBES["stock"],
            quick,
        )
    finally:
        PROCS.stop(proc)
    return result


EDIT_FILE = Path("cards") / "odds.yml"
EDIT_TITLE = "What are the odds of getting back together?"


async def time_content_edits(url: str, content: Path, trials: int) -> List[float]:
    """Edits the odds card's title in the served copy and asks for the card until the new title
    comes back. The action server's content store notices changed files (checked at most once a
    second) and reloads them: no retraining, no restart."""
    path = content / EDIT_FILE
    original = path.read_text(encoding="utf-8")
    assert f'title: "{EDIT_TITLE}"' in original, "the edit benchmark expects the odds card's title"
    seconds: List[float] = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        for trial in range(trials):
            await asyncio.sleep(0.37 * trial % 1.0 + 0.5)  # different phases of the 1 s check
            marker = f"(edited {uuid.uuid4().hex[:6]})"
            path.write_text(
                original.replace(f'title: "{EDIT_TITLE}"', f'title: "{EDIT_TITLE} {marker}"'),
                encoding="utf-8",
            )
            edited = time.monotonic()
            while True:
                _, replies = await post(session, url, f"edit-{uuid.uuid4().hex[:8]}", "/ask_odds")
                if marker in text_of(replies):
                    seconds.append(time.monotonic() - edited)
                    break
                if time.monotonic() - edited > 30:
                    raise RuntimeError("an edited card was not served within 30 s")
                await asyncio.sleep(0.05)
    path.write_text(original, encoding="utf-8")
    return seconds


async def bench_advisor(quick: bool) -> Result:
    result = Result("advisor")
    model = train_advisor(quick, result)
    content = WORK / "content"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(ROOT / "actions" / "content", content)
    db = WORK / "advisor-conversations.db"
    db.unlink(missing_ok=True)
    action_port, port = free_port(), free_port()
    endpoints = WORK / "advisor-endpoints.yml"
    # The shipped endpoints.yml (its action endpoint settings and conversation store), with the
    # benchmark's port and database file.
    shipped = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    shipped["action_endpoint"]["url"] = f"http://127.0.0.1:{action_port}/webhook"
    shipped["tracker_store"]["db"] = str(db)
    endpoints.write_text(yaml.safe_dump(shipped, sort_keys=False), encoding="utf-8")
    env = dict(ENV, ADVISOR_CONTENT_DIR=str(content))
    launched = time.monotonic()  # both servers start together, as a deployment would start them
    actions = PROCS.start(
        [PY, "-m", "ops.action_server", "--port", str(action_port)],
        WORK / "advisor-actions.log",
        env=env,
    )
    rasa = PROCS.start(
        [
            RASA,
            "run",
            "--model",
            str(model),
            "--port",
            str(port),
            "--interface",
            "127.0.0.1",
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(ROOT / "credentials.yml"),
        ],
        WORK / "advisor-rasa.log",
    )
    result.processes = "rasa run + the action server (ops.action_server)"
    url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    try:
        await measure(result, url, [rasa, actions], launched, ADVISOR, PROBES["advisor"], quick)
        say("advisor: timing advice-card edits until the new text is served ...")
        result.edit_seconds = await time_content_edits(url, content, EDIT_TRIALS[quick])
        say("advisor: edit served after " + ", ".join(f"{s:.2f}" for s in result.edit_seconds) + " s")
    finally:
        PROCS.stop(rasa)
        PROCS.stop(actions)
    return result


# --- the table -------------------------------------------------------------------------------


def fmt(value: Optional[float], digits: int = 0) -> str:
    return "–" if value is None or value != value else f"{value:.{digits}f}"


def ratio(a: Optional[float], b: Optional[float]) -> str:
    return "–" if not a or not b or a != a or b != b else f"{a / b:.2f}x"


def table(adv: Result, stock: Result, echo: Result, quick: bool, notes: List[str]) -> str:
    rows: List[Tuple[str, Optional[float], Optional[float], Optional[float], int, str]] = []
    for level in LEVELS:
        rows.append(
            (f"latency p50 at {level} (ms)",)
            + tuple(r.loads[level].pct(0.5) for r in (adv, stock, echo))
            + (0, "<= 0.7x stock" if level < 50 else "")
        )
    for level in LEVELS:
        rows.append(
            (f"latency p95 at {level} (ms)",)
            + tuple(r.loads[level].pct(0.95) for r in (adv, stock, echo))
            + (0, "<= 0.7x stock" if level < 50 else "")
        )
    for level in LEVELS:
        rows.append(
            (f"throughput at {level} (turns/s)",)
            + tuple(r.loads[level].throughput for r in (adv, stock, echo))
            + (1, "")
        )
    rows.append(
        ("start-up, launch to first answer (s)", adv.startup, stock.startup, echo.startup, 1, "<= 0.7x stock")
    )
    rows.append(("memory after start-up (RSS, MB)", adv.rss_start, stock.rss_start, echo.rss_start, 0, ""))
    rows.append(("memory after the load (RSS, MB)", adv.rss_after, stock.rss_after, echo.rss_after, 0, ""))
    rows.append(("full training (s)", adv.training, stock.training, None, 0, "advisor < 180 s"))
    rows.append(("model on disk (MB)", adv.model_mb, stock.model_mb, None, 2, ""))

    out = [
        "| measure | advisor | stock `rasa init` | echo (Sanic) | advisor / stock | advisor / echo | target |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    for name, a, s, e, digits, target in rows:
        verdict = ""
        if target.startswith("<= 0.7x") and a and s:
            verdict = " ✅" if a / s <= 0.7 else " ❌"
        elif target.startswith("advisor < 180") and a:
            verdict = " ✅" if a < 180 else " ❌"
        out.append(
            f"| {name} | {fmt(a, digits)} | {fmt(s, digits)} | {fmt(e, digits)} | "
            f"{ratio(a, s)} | {ratio(a, e)} | {target}{verdict} |"
        )
    errors = [
        f"{r.name} {sum(l.errors for l in r.loads.values())}/{sum(l.wrong for l in r.loads.values())}"
        for r in (adv, stock, echo)
    ]
    edits = adv.edit_seconds
    lines = [
        "\n".join(out),
        "",
        f"- Advice card edited to new text served: median {fmt(statistics.median(edits), 2)} s, "
        f"max {fmt(max(edits), 2)} s over {len(edits)} edits, with no retraining and no restart (the "
        "action server's content store checks the files' modification times at most once a second "
        "when an action runs, and reloads and revalidates them)."
        if edits
        else "- Advice card edit: not measured.",
        f"- Turns: {', '.join(f'{TURNS[quick][l]} at {l}' for l in LEVELS)} concurrent conversation(s), "
        "scripted multi-turn conversations (bench/scenarios.py) over the REST channel, each user "
        "starting a new conversation after each script; errors/unexpected replies: "
        + ", ".join(errors)
        + ".",
        f"- Advisor = {adv.processes} (memory is the sum of both; start-up is until the first answer "
        "that needed the action server), SQLite tracker store as shipped. Stock = "
        f"{stock.processes} only (its template has no custom actions), in-memory tracker store, "
        "DIET + TED + RulePolicy + MemoizationPolicy as `rasa init` generates them.",
        f"- Training: advisor = `python -m nlp.build_pipeline` + `rasa train --force`; stock = "
        "`rasa init --no-prompt` (scaffold + train). Model size: the .tar.gz; advisor "
        f"{adv.model_note}.",
    ] + [f"- {n}" for n in notes]
    return "\n".join(lines) + "\n"


def write_outputs(text: str, quick: bool, header: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.date.today().isoformat()
    if quick:
        stamp += "-quick"
    elif REUSE:
        stamp += "-reused-models"
    path = RESULTS / f"{stamp}.md"
    path.write_text(f"# Benchmark {stamp}\n\n{header}\n\n{text}", encoding="utf-8")
    if not quick and not REUSE:
        page = RESULTS_PAGE.read_text(encoding="utf-8")
        if MARK_START in page and MARK_END in page:
            before, rest = page.split(MARK_START, 1)
            after = rest.split(MARK_END, 1)[1]
            RESULTS_PAGE.write_text(
                f"{before}{MARK_START}\n{header}\n\n{text}{MARK_END}{after}", encoding="utf-8"
            )
        else:
            say(f"docs/bench.md has no {MARK_START} ... {MARK_END} markers: table not copied there")
    return path


async def main_async(quick: bool) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.timezone.utc)
    load_before, busy = machine_load(), busiest_processes()
    say(f"{'quick' if quick else 'full'} run; work dir {WORK.relative_to(ROOT)}; load average {load_before}")
    echo = await bench_echo(quick)
    stock = await bench_stock(quick)
    advisor = await bench_advisor(quick)
    minutes = (dt.datetime.now(dt.timezone.utc) - started).total_seconds() / 60
    notes = [
        f"Machine: {os.cpu_count()} CPU cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load average before {load_before}, "
        f"after {machine_load()}; the run took {minutes:.1f} min. Other work on the machine when it "
        "started (CPU %, RSS KB, command): " + ("; ".join(f"`{b}`" for b in busy[:4]) or "unknown") + ".",
    ]
    header = (
        f"Measured {started:%Y-%m-%d %H:%M} UTC by `make bench"
        f"{' QUICK=1' if quick else ' REUSE=1' if REUSE else ''}`. "
        "Compare ratios within one run; absolute figures move with the machine's other load."
    )
    text = table(advisor, stock, echo, quick, notes)
    path = write_outputs(text, quick, header)
    print("\n" + text, flush=True)
    say(f"written to {path.relative_to(ROOT)}" + ("" if quick or REUSE else " and docs/bench.md"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer turns, reuse trained models in bench/work if present"
    )
    parser.add_argument(
        "--reuse-models",
        action="store_true",
        help="all the turns, but reuse trained models in bench/work (no training time)",
    )
    args = parser.parse_args()
    global REUSE
    REUSE = args.reuse_models
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        asyncio.run(main_async(args.quick))
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    finally:
        PROCS.stop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
