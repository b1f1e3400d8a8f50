"""The Rasa server runs the model's graphs with SequentialGraphRunner (server/graph_runner.py):
the same graph as Rasa's DaskGraphRunner, node by node, with the same results."""

import asyncio

import pytest
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.engine.runner.dask import DaskGraphRunner

import server.tracker_store  # noqa: F401  (importing the store installs the runner, as `rasa run` does)
from server.graph_runner import SequentialGraphRunner, run_graph

from conftest import ROOT

MODEL = ROOT / "models" / "advisor.tar.gz"
MESSAGES = [
    "my boyfriend dumped me three weeks ago",
    "i want to kill myself",
    "he hit me",
    "what are the odds we get back together?",
    "",
    "bonjour, ça va ?",
    "/ask_no_contact",
    '/inform{"ex_behaviour":"silent"}',
    "thanks a lot",
]


def test_the_server_s_processor_uses_the_sequential_runner():
    import rasa.core.processor

    assert rasa.core.processor.DaskGraphRunner is SequentialGraphRunner


def test_run_graph_follows_needs_and_runs_each_node_once():
    calls = []

    def node(name):
        def run(*inputs):
            calls.append(name)
            return (name, [value for _, value in inputs])

        return run

    graph = {
        "a": (node("a"), "in"),
        "b": (node("b"), "a"),
        "c": (node("c"), "a", "b"),
        "in": ("in", 1),
    }  # an input, as Rasa adds it: (name, value), not a task
    assert run_graph(graph, ["c", "b"]) == [("c", [[1], [[1]]]), ("b", [[1]])]
    assert calls == ["a", "b", "c"]


@pytest.fixture(scope="module")
def processor():
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does it)")
    processor = Agent.load(str(MODEL)).processor
    assert isinstance(processor.graph_runner, SequentialGraphRunner)
    return processor


def with_dask(monkeypatch):
    monkeypatch.setattr(SequentialGraphRunner, "run", DaskGraphRunner.run)


@pytest.mark.parametrize("text", MESSAGES)
def test_parsing_and_the_next_action_are_what_dask_gives(processor, text, monkeypatch):
    def parse_and_predict():
        parsed = asyncio.run(processor.parse_message(UserMessage(text, sender_id="graph-test")))
        tracker = DialogueStateTracker.from_events(
            "graph-test",
            [
                ActionExecuted("action_listen"),
                UserUttered(text, parsed["intent"], parsed["entities"], parsed),
            ],
            processor.domain.slots,
        )
        prediction = processor._predict_next_with_tracker(tracker)
        return parsed, (prediction.policy_name, prediction.probabilities)

    ours = parse_and_predict()
    with_dask(monkeypatch)
    assert parse_and_predict() == ours
