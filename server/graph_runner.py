"""Runs the model's graphs (NLU and dialogue policies) in the Rasa server without dask's scheduler.

Rasa 3.6 runs the NLU graph and the policy graph through `dask.get` for every message and every
action prediction: a synchronous, single-threaded run, but one that orders and tracks the graph
anew each time. Profiled with py-spy under `make bench`, that bookkeeping was about an eighth of
the Rasa server's time per turn (dask's own frames around the components' work). The graphs here
are a dozen nodes that each need the outputs of the ones before, so a plain depth-first run in
the same order gives the same results: `SequentialGraphRunner` runs the exact graph dask would
(Rasa's `_build_dask_graph`, with the same inputs), node by node, each once.

`install()` makes the Rasa server's message processor use it; training (`rasa train`) keeps dask.
Installed with the project's other server changes (server/runtime.py).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner


class SequentialGraphRunner(DaskGraphRunner):
    """Rasa's DaskGraphRunner with `dask.get` replaced by a depth-first run of the same graph."""

    def run(
        self, inputs: Optional[Dict[Text, Any]] = None, targets: Optional[List[Text]] = None
    ) -> Dict[Text, Any]:
        run_targets = targets if targets else self._graph_schema.target_names
        graph = self._build_dask_graph(self._graph_schema.minimal_graph_schema(run_targets))
        if inputs:
            self._add_inputs_to_graph(inputs, graph)
        try:
            return dict(run_graph(graph, run_targets))
        except RuntimeError as e:  # as DaskGraphRunner reports a failed run
            raise GraphRunError("Error running runner.") from e


def run_graph(graph: Dict[Text, Any], targets: List[Text]) -> List[Any]:
    """The values of `targets` in a dask-style graph: a task is a tuple whose first item is
    callable and whose other items are the names of the nodes it needs; anything else (Rasa's
    inputs, `(name, value)`) is a value as it is."""
    done: Dict[Text, Any] = {}

    def value_of(key: Text) -> Any:
        if key not in done:
            task = graph[key]
            if isinstance(task, tuple) and task and callable(task[0]):
                done[key] = task[0](*(value_of(arg) if _is_key(arg, graph) else arg for arg in task[1:]))
            else:
                done[key] = task
        return done[key]

    return [value_of(target) for target in targets]


def _is_key(arg: Any, graph: Dict[Text, Any]) -> bool:
    return isinstance(arg, str) and arg in graph


def install() -> None:
    """The Rasa server's processor loads its graphs with SequentialGraphRunner (idempotent).
    Must run before the model is loaded: the conversation store's module (loaded first) does it."""
    import rasa.core.processor

    rasa.core.processor.DaskGraphRunner = SequentialGraphRunner  # type: ignore[misc]
