"""The project's changes to Rasa fail loudly (server/runtime.py): a Rasa version or a patched
function that is not what the changes expect, or a conversation store that does not load, stops
the start with a message naming the change; Rasa's fail-safe store reports through the callback."""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from server import runtime
from server.runtime import Target

MODEL = ROOT / "models" / "advisor.tar.gz"


def test_the_installed_rasa_fits_every_change():
    assert runtime.problems() == []


def test_a_changed_signature_is_named():
    changed = Target(
        "server/resilience.py",
        "rasa.core.processor:MessageProcessor.handle_message",
        "(self, message, metadata=None)",
    )
    [problem] = runtime.problems([changed])
    assert "server/resilience.py" in problem and "MessageProcessor.handle_message changed" in problem
    assert "(self, message)" in problem


def test_a_missing_target_is_named():
    gone = Target("server/graph_runner.py", "rasa.engine.runner.dask:DaskGraphRunner.no_such_step", "(self)")
    [problem] = runtime.problems([gone])
    assert problem.startswith(
        "server/graph_runner.py: Rasa's rasa.engine.runner.dask:DaskGraphRunner.no_such_step is missing"
    )


def test_another_rasa_version_is_refused():
    [problem] = runtime.problems(version="3.7.0")
    assert "Rasa 3.7.0 is installed" in problem and runtime.RASA_VERSION in problem


def test_shapes_ignore_annotations_and_unwrap_static_methods():
    assert runtime.shape(runtime.resolve("rasa.core.agent:Agent._create_tracker_store")) == "(store, domain)"


def launch(*args, code=""):
    """`python -m ops.launch` (with `code` run first, in the same process)."""
    script = f"import sys\n{code}\nfrom ops import launch\nsys.exit(launch.main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", script, "--model", str(MODEL), "--port", "1", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="3"),
    )


@pytest.mark.e2e  # a Python process that loads Rasa
def test_the_launcher_refuses_a_store_that_does_not_load(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        f'tracker_store:\n  type: server.no_such_store.AdvisorSQLTrackerStore\n  db: "{tmp_path / "c.db"}"\n'
    )
    result = launch("--endpoints", str(endpoints))
    assert result.returncode == 3, result.stderr[-3000:]
    assert (
        "The conversation store 'server.no_such_store.AdvisorSQLTrackerStore' named in "
        f"{endpoints} could not be loaded"
    ) in result.stderr


@pytest.mark.e2e  # a Python process that loads Rasa
def test_the_launcher_refuses_a_store_whose_module_fails(tmp_path):
    (tmp_path / "broken_store.py").write_text("raise RuntimeError('the store module is broken')\n")
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("tracker_store:\n  type: broken_store.Store\n")
    result = launch("--endpoints", str(endpoints), code=f"sys.path.insert(0, {str(tmp_path)!r})")
    assert result.returncode == 3, result.stderr[-3000:]
    assert "RuntimeError: the store module is broken" in result.stderr


@pytest.mark.e2e  # a Python process that loads Rasa
def test_the_launcher_refuses_a_changed_rasa_function():
    result = launch(
        code=(
            "from rasa.core.processor import MessageProcessor\n"
            "async def handle_message(self, message, metadata=None): pass\n"
            "MessageProcessor.handle_message = handle_message"
        )
    )
    assert result.returncode == 3, result.stderr[-3000:]
    assert (
        "server/resilience.py: Rasa's rasa.core.processor:MessageProcessor.handle_message changed"
        in result.stderr
    )


@pytest.mark.e2e  # Rasa's own `rasa run`, up to loading the model
def test_rasa_run_refuses_a_store_that_does_not_load(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("tracker_store:\n  type: server.no_such_store.AdvisorSQLTrackerStore\n")
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "rasa"),
            "run",
            "--model",
            str(MODEL),
            "--endpoints",
            str(endpoints),
            "--port",
            "1",
            "--interface",
            "127.0.0.1",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="3"),
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    assert "The conversation store 'server.no_such_store.AdvisorSQLTrackerStore'" in output
    assert "could not be loaded" in output and "Rasa server is up and running" not in output


@pytest.mark.parametrize("broken", [False, True])
def test_the_fail_safe_store_reports_through_the_callback(tmp_path, monkeypatch, broken):
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import FailSafeTrackerStore
    from rasa.shared.core.domain import Domain

    from server import resilience
    from server.tracker_store import AdvisorSQLTrackerStore

    runtime.install()
    monkeypatch.setenv("ADVISOR_DB_STARTUP_ATTEMPTS", "1")
    folder = tmp_path / ("missing/folder" if broken else "")
    store = AdvisorSQLTrackerStore(None, dialect="sqlite", db=str(folder / "c.db"))
    fail_safe = Agent._create_tracker_store(store, Domain.empty())
    assert isinstance(fail_safe, FailSafeTrackerStore) and fail_safe._tracker_store is store

    async def read():
        resilience._store_failed.set(False)
        return await fail_safe.retrieve("someone"), resilience._store_failed.get()

    assert asyncio.run(read()) == (None, broken)
