"""Every change the project makes inside the Rasa server process, installed in one place.

- server/resilience.py: an apology when the action server or the conversation store fails;
- server/action_validation.py: action server replies checked without rebuilding the schema;
- server/sqlite_tuning.py: SQLite commits without waiting for the disk (WAL);
- server/graph_runner.py: the NLU and policy graphs run without dask's per-run scheduling;
- server/action_client.py: connections to the action server kept open between actions;
- server/turn_guard.py: no text twice in one turn, and at most 16 messages per turn.

`install()` is called when the conversation store's module is imported (endpoints.yml names it,
and Rasa creates the store before it loads the model) and when the model's NLU components are
imported (nlp/breakup_facts.py: `rasa shell`, `rasa test`). It is idempotent.
"""
from __future__ import annotations


def install() -> None:
    from server import (action_client, action_validation, graph_runner, resilience, sqlite_tuning,
                        turn_guard)

    resilience.install()
    action_validation.install()
    sqlite_tuning.install()
    graph_runner.install()
    action_client.install()
    turn_guard.install()
