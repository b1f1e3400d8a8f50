"""The action server's start (ops/action_server.py): rasa-sdk with this project's actions, and no
TensorFlow in its process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ops import action_server

ROOT = Path(__file__).resolve().parents[1]


def test_the_actions_package_is_added_unless_named():
    assert action_server.sdk_args(["--port", "5055"]) == ["--actions", "actions", "--port", "5055"]
    assert action_server.sdk_args(["--actions", "other"]) == ["--actions", "other"]
    assert action_server.sdk_args(["--actions=other"]) == ["--actions=other"]


def test_it_refuses_when_tensorflow_is_already_loaded(monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorflow", object())
    with pytest.raises(RuntimeError, match="already loaded"):
        action_server.without_tensorflow()


def test_every_action_loads_and_a_draft_is_checked_without_tensorflow():
    """In a fresh process, as the server starts: every action registers and spaCy runs the
    workshop's patterns, with `import tensorflow` refused. An action that needs TensorFlow (or
    a module that imports Rasa, which loads it) fails here instead of in production."""
    script = textwrap.dedent(
        """
        import sys
        from ops.action_server import without_tensorflow
        without_tensorflow()
        from rasa_sdk.executor import ActionExecutor
        executor = ActionExecutor()
        executor.register_package("actions")
        from actions.workshop_checks import draft_spans, normalise, pipeline
        nlp = pipeline()
        spans = {s.id_ for s in draft_spans(nlp(normalise("please come back, i am begging you")))}
        print(len(executor.actions), sorted(spans), sys.modules.get("tensorflow"), "rasa" in sys.modules)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    count, *rest = done.stdout.split()
    assert int(count) >= 40, done.stdout  # the project registers about 50 actions
    assert "'begging'" in done.stdout, done.stdout
    assert rest[-2:] == ["None", "False"], done.stdout  # TensorFlow refused, Rasa never imported
