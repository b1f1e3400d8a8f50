"""Shared fixtures: the real domain, and rasa-sdk trackers built in memory."""

from __future__ import annotations

import functools
import os
import re
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The articles the advice is written from (the originality test compares every text with them).
SEEDS = Path(os.environ.get("ADVISOR_SEEDS_DIR") or ROOT.parent / "shared" / "seeds")
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from rasa_sdk import Tracker  # noqa: E402
from rasa_sdk.executor import CollectingDispatcher  # noqa: E402


# The session-scoped stacks below (their users named by the fixture), each started once per
# pytest-xdist worker that runs a user of it.
SHARED_STACKS = ("default_stack", "sqlite_stack")


def pytest_collection_modifyitems(config, items):
    """Marks `e2e` every test of a module that starts servers or processes (tests/servers.py's
    Stack, the `rasa` command, PostgreSQL, the scale-out profile) or uses a shared stack
    (`default_stack`, `sqlite_stack`): `make test-fast` leaves them out."""
    sharing = {
        getattr(item, "module", None)
        for item in items
        if any(fixture in getattr(item, "fixturenames", ()) for fixture in SHARED_STACKS)
    }
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and (module in sharing or _starts_processes(module)):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile` (make test-unit), with the files that use the same shared stack sent to
    one worker as one unit, so that stack starts once per run, not once per worker. Every other
    file is a unit of its own, as with plain `loadfile`."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SharedStackScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid):
            path = super()._split_scope(nodeid)
            return stack_group(path) or path

    return SharedStackScheduling(config, log)


@functools.lru_cache(maxsize=None)
def stack_group(path: str) -> Optional[str]:
    """The shared stack a test file uses (the first of SHARED_STACKS its source names), or None.
    Read from the source: the scheduler runs before, and apart from, the collection."""
    file = ROOT / path
    source = file.read_text(encoding="utf-8") if file.suffix == ".py" and file.is_file() else ""
    return next((f for f in SHARED_STACKS if re.search(rf"\b{f}\b", source)), None)


def _starts_processes(module) -> bool:
    import servers

    starters = (servers.Stack, servers.RASA, servers.MODEL, servers.wait_until_up)
    values = list(vars(module).values())
    return any(value is starter for value in values for starter in starters) or any(
        getattr(value, "__name__", "") in ("postgres", "ops.scale_out") for value in values
    )


@pytest.fixture(scope="session")
def default_stack(tmp_path_factory):
    """The action server and the Rasa server most end-to-end tests share, started once per run
    (tests/servers.py's DefaultStack; docs/tests.md says which tests use it and which keep their
    own). Each test talks as its own sender; a test that reads the logs takes `log_mark()` first."""
    import servers

    stack = servers.DefaultStack(tmp_path_factory.mktemp("default-stack"))
    try:
        yield stack.start()
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def sqlite_stack(tmp_path_factory):
    """`rasa run` (without the launcher) on the project's SQLite store (`db`), the API on behind
    `token`, and the store's tracker cache off (ADVISOR_TRACKER_CACHE=0: every turn read from the
    database, so a test may edit stored events), started once per run for the tests that restart
    Rasa or move stored events in time (docs/tests.md). Unlike `default_stack`, a test may restart
    its Rasa server (`stop_rasa()`, `start_rasa()`); the tests keep apart by sender id."""
    import servers

    stack = servers.SQLiteStack(tmp_path_factory.mktemp("sqlite-stack"))
    try:
        yield stack.start()
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    from rasa.shared.core.domain import Domain

    as_dict = Domain.load(str(ROOT / "domain")).as_dict()
    # An action with settings (`send_domain: true`) is listed as {name: settings}: keep its name.
    as_dict["actions"] = [a if isinstance(a, str) else next(iter(a)) for a in as_dict["actions"]]
    return as_dict


def with_events(
    tracker: Tracker, events: List[Dict[str, Any]], latest_action: str = "action_listen"
) -> Tracker:
    """`tracker` (from make_tracker) with a conversation's events behind it: for the actions that
    read what ran before (turns_in_a_row, action_ran_last_turn, the form's question counts)."""
    return Tracker(
        tracker.sender_id,
        tracker.slots,
        tracker.latest_message,
        events,
        False,
        None,
        tracker.active_loop,
        latest_action,
    )


def make_tracker(
    slots: Optional[Dict[str, Any]] = None,
    intent: str = "greet",
    text: str = "hi",
    entities: Optional[List[Dict[str, Any]]] = None,
    active_loop: Optional[str] = None,
    sender: str = "tester",
) -> Tracker:
    all_slots = {
        "ex_pronoun": None,
        "safety": None,
        "scenario": None,
        "who_ended": None,
        "breakup_count": None,
        "time_since": None,
        "ex_behaviour": None,
        "breakup_style": None,
        "requested_slot": None,
    }
    all_slots.update(slots or {})
    latest = {"intent": {"name": intent, "confidence": 1.0}, "entities": entities or [], "text": text}
    return Tracker(
        sender,
        all_slots,
        latest,
        [],
        False,
        None,
        {"name": active_loop} if active_loop else {},
        "action_listen",
    )


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def texts(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


def payloads(dispatcher: CollectingDispatcher) -> List[str]:
    return [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]


@pytest.fixture(scope="session")
def spacy_pipeline(tmp_path_factory):
    """The project's spaCy pipeline, built from nlp/patterns into a temporary folder."""
    from nlp.build_pipeline import build

    return build(tmp_path_factory.mktemp("spacy") / "pipeline")


_PATTERN_NLP = []


def pattern_facts(text: str) -> List[Dict[str, Any]]:
    """The entities the project's rule patterns find in `text` (the pipeline is built once, in a
    temporary folder), as the NLU pipeline would put them into the latest message."""
    import tempfile

    from nlp.breakup_facts import facts_from_doc
    from nlp.build_pipeline import build

    if not _PATTERN_NLP:
        _PATTERN_NLP.append(build(Path(tempfile.mkdtemp()) / "pipeline"))
    return facts_from_doc(_PATTERN_NLP[0](text))["entities"]


def parse_payload(payload: str):
    """'/advice_part{"advice_part": "steps"}' -> ('advice_part', [{'entity': ..., 'value': ...}])."""
    import json

    name, _, raw = payload.lstrip("/").partition("{")
    entities = [{"entity": k, "value": v} for k, v in json.loads("{" + raw).items()] if raw else []
    return name, entities


def slots_after(slots: Optional[Dict[str, Any]], events: List[Dict[str, Any]]) -> Dict[str, Any]:
    merged = dict(slots or {})
    for event in events or []:
        if isinstance(event, dict) and event.get("event") == "slot":
            merged[event["name"]] = event["value"]
    return merged


def press_every_part(
    first: CollectingDispatcher,
    events: List[Dict[str, Any]],
    slots: Optional[Dict[str, Any]],
    domain: Dict[str, Any],
) -> CollectingDispatcher:
    """Presses, as a user would, every part button under a first answer ("What should I do?",
    "What could I say?", ..., "Something else"), and every "More" under those, once each.
    Returns a dispatcher holding the first answer and everything those presses said."""
    from actions.advice import ActionShowPart

    state = slots_after(slots, events)
    said = CollectingDispatcher()
    said.messages.extend(first.messages)
    pressed: set = set()
    queue = [p for p in payloads(first) if p.startswith("/advice_part")]
    while queue:
        payload = queue.pop(0)
        if payload in pressed:
            continue
        pressed.add(payload)
        intent, entities = parse_payload(payload)
        step = CollectingDispatcher()
        new = ActionShowPart().run(
            step, make_tracker(slots=state, intent=intent, text=payload, entities=entities), domain
        )
        state = slots_after(state, new)
        said.messages.extend(step.messages)
        queue += [p for p in payloads(step) if p.startswith("/advice_part") and p not in pressed]
    return said
