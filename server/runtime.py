"""Every change the project makes inside the Rasa server process, checked and installed in one place.

- server/resilience.py: an apology when the action server or the conversation store fails;
- server/action_validation.py: action server replies checked without rebuilding the schema;
- server/graph_runner.py: the NLU and policy graphs run without dask's per-run scheduling;
- server/action_client.py: connections to the action server kept open between actions;
- server/turn_guard.py: no text twice in one turn, and at most 16 messages per turn;
- server/tracker_store.py (the conversation store endpoints.yml names) tunes its own SQLite engine
  and must load: a store module that fails to import stops the server instead of Rasa's silent
  fall-back to an in-memory store.

`install()` is the one install point. Every way the project starts Rasa reaches it before the
first message: ops/launch.py calls it before Rasa starts (`make run-server`, `make run`,
`make scale-out`), importing the conversation store calls it (any `rasa run` or `rasa shell` with
endpoints.yml: `make shell`, which runs `rasa shell` through server/quiet.py), and so does importing
the model's NLU component (nlp/breakup_facts.py: `rasa test`). It is idempotent.

Before changing anything it checks that Rasa is the version the changes were written for and
that every Rasa function they replace, wrap or rely on still exists with the parameters recorded
in TARGETS. Otherwise it raises ExtensionError, naming the change and what differs, and the server
does not start (docs/architecture.md: "Upgrading Rasa").
"""

from __future__ import annotations

import importlib
import inspect
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Text

logger = logging.getLogger(__name__)

RASA_VERSION = "3.6.21"  # the version every change below was written and tested against


class ExtensionError(RuntimeError):
    """One of the project's changes to Rasa cannot be installed: the server must not start."""


@dataclass(frozen=True)
class Target:
    change: Text  # the project's module that replaces, wraps or relies on it
    path: Text  # "module:Attribute.attribute"
    parameters: Text  # its parameters as `shape()` writes them; "" for a value that is no function


RESILIENCE, VALIDATION, GRAPH, CLIENT, STORE, GUARD = (
    "server/resilience.py",
    "server/action_validation.py",
    "server/graph_runner.py",
    "server/action_client.py",
    "server/tracker_store.py",
    "server/turn_guard.py",
)
_ACTION, _PROCESSOR, _STORES = ("rasa.core.actions.action", "rasa.core.processor", "rasa.core.tracker_store")

TARGETS: Sequence[Target] = (
    Target(RESILIENCE, f"{_ACTION}:RemoteAction.run", "(self, output_channel, nlg, tracker, domain)"),
    Target(RESILIENCE, f"{_ACTION}:ActionSessionStart.run", "(self, output_channel, nlg, tracker, domain)"),
    Target(RESILIENCE, f"{_PROCESSOR}:MessageProcessor.get_tracker", "(self, conversation_id)"),
    Target(RESILIENCE, f"{_PROCESSOR}:MessageProcessor.handle_message", "(self, message)"),
    Target(
        RESILIENCE,
        f"{_PROCESSOR}:MessageProcessor.handle_reminder",
        "(self, reminder_event, sender_id, output_channel)",
    ),
    Target(RESILIENCE, "rasa.core.agent:Agent._create_tracker_store", "(store, domain)"),
    Target(
        RESILIENCE,
        f"{_STORES}:FailSafeTrackerStore.__init__",
        "(self, tracker_store, on_tracker_store_error=None, fallback_tracker_store=None)",
    ),
    Target(VALIDATION, f"{_ACTION}:RemoteAction._validate_action_result", "(self, result)"),
    Target(VALIDATION, f"{_ACTION}:RemoteAction.action_response_format_spec", "()"),
    Target(VALIDATION, "rasa.shared.utils.schemas.events:EVENT_SCHEMA", ""),
    Target(GRAPH, f"{_PROCESSOR}:DaskGraphRunner", ""),
    Target(GRAPH, "rasa.engine.runner.dask:DaskGraphRunner.run", "(self, inputs=None, targets=None)"),
    Target(GRAPH, "rasa.engine.runner.dask:DaskGraphRunner._build_dask_graph", "(self, schema)"),
    Target(GRAPH, "rasa.engine.runner.dask:DaskGraphRunner._add_inputs_to_graph", "(inputs, graph)"),
    Target(CLIENT, f"{_ACTION}:RemoteAction.__init__", "(self, name, action_endpoint)"),
    Target(CLIENT, "rasa.utils.endpoints:EndpointConfig.session", "(self)"),
    Target(CLIENT, "rasa.utils.endpoints:DEFAULT_REQUEST_TIMEOUT", ""),
    Target(
        GUARD,
        f"{_PROCESSOR}:MessageProcessor._log_action_on_tracker",
        "(self, tracker, action, events, prediction)",
    ),
    Target(
        STORE, f"{_STORES}:_load_from_module_name_in_endpoint_config", "(domain, store, event_broker=None)"
    ),
    Target(
        STORE,
        f"{_STORES}:SQLTrackerStore.__init__",
        "(self, domain=None, dialect='sqlite', host=None, port=None, db='rasa.db', username=None, "
        "password=None, event_broker=None, login_db=None, query=None, **kwargs)",
    ),
    Target(
        STORE,
        f"{_STORES}:SQLTrackerStore.get_db_url",
        "(dialect='sqlite', host=None, port=None, db='rasa.db', username=None, password=None, "
        "login_db=None, query=None)",
    ),
    Target(STORE, f"{_STORES}:SQLTrackerStore._create_database_and_update_engine", "(self, db, engine_url)"),
    Target(
        STORE,
        f"{_STORES}:SQLTrackerStore._event_query",
        "(self, session, sender_id, fetch_events_from_all_sessions)",
    ),
    Target(STORE, f"{_STORES}:SQLTrackerStore._additional_events", "(self, session, tracker)"),
    Target(STORE, f"{_STORES}:SQLTrackerStore.session_scope", "(self)"),
    Target(STORE, f"{_STORES}:SQLTrackerStore.retrieve", "(self, sender_id)"),
    Target(STORE, f"{_STORES}:SQLTrackerStore.retrieve_full_tracker", "(self, conversation_id)"),
    Target(STORE, f"{_STORES}:SQLTrackerStore.keys", "(self)"),
    Target(STORE, f"{_STORES}:SQLTrackerStore.save", "(self, tracker)"),
    Target(STORE, f"{_STORES}:TrackerStore.stream_events", "(self, tracker)"),
    Target(
        STORE, f"{_STORES}:TrackerStore._stream_new_events", "(self, event_broker, new_events, sender_id)"
    ),
    Target(STORE, f"{_STORES}:create_engine_kwargs", "(url)"),
    Target(STORE, f"{_STORES}:is_postgresql_url", "(url)"),
    Target(STORE, f"{_STORES}:validate_port", "(port)"),
)

_installed = False
_originals: Dict[Text, Any] = {}  # path -> Rasa's own object, kept when the changes are installed


def shape(function: Any) -> Text:
    """A function's parameters without annotations, e.g. "(self, inputs=None, targets=None)"."""
    signature = inspect.signature(function)
    plain = [p.replace(annotation=inspect.Parameter.empty) for p in signature.parameters.values()]
    return str(signature.replace(parameters=plain, return_annotation=inspect.Signature.empty))


def resolve(path: Text) -> Any:
    """The object at "module:Attribute.attribute" (class attributes as stored: a staticmethod's
    function, not a bound method), as Rasa has it: once installed, the one found before the
    changes; AttributeError or ImportError when it is missing."""
    if path in _originals:
        return _originals[path]
    module_name, _, attributes = path.partition(":")
    value: Any = importlib.import_module(module_name)
    for name in attributes.split("."):
        owner = value
        value = getattr(owner, name)
        if inspect.isclass(owner):
            value = inspect.getattr_static(owner, name)
            value = getattr(value, "__func__", value)
    return value


def problems(targets: Sequence[Target] = TARGETS, version: Optional[Text] = None) -> List[Text]:
    """What keeps the changes from being installed: one line each, naming the change."""
    import rasa

    found = rasa.__version__ if version is None else version
    if found != RASA_VERSION:
        return [
            f"Rasa {found} is installed, but the project's changes to the Rasa server "
            f"({', '.join(sorted({t.change for t in targets}))}) were written for Rasa "
            f"{RASA_VERSION}: install Rasa {RASA_VERSION} (requirements.txt), or follow "
            f"docs/architecture.md, 'Upgrading Rasa'."
        ]
    found_problems = []
    for target in targets:
        try:
            value = resolve(target.path)
        except (AttributeError, ImportError) as e:
            found_problems.append(f"{target.change}: Rasa's {target.path} is missing ({e}).")
            continue
        if not target.parameters:
            continue
        try:
            parameters = shape(value)
        except (TypeError, ValueError) as e:
            found_problems.append(f"{target.change}: Rasa's {target.path} is no longer a function ({e}).")
            continue
        if parameters != target.parameters:
            found_problems.append(
                f"{target.change}: Rasa's {target.path} changed: its parameters are "
                f"{parameters}, the change expects {target.parameters}."
            )
    return found_problems


def check() -> None:
    """Raises ExtensionError when Rasa is not the version, or not the shape, the changes expect."""
    found = problems()
    if found:
        raise ExtensionError(
            "The Rasa server cannot start: the project's changes to Rasa do not fit "
            "the installed Rasa.\n- " + "\n- ".join(found)
        )


def install() -> None:
    """Checks Rasa, then installs every change (once per process)."""
    global _installed
    if _installed:
        return
    try:
        check()
        _originals.update((target.path, resolve(target.path)) for target in TARGETS)
        from server import action_client, action_validation, graph_runner, resilience, turn_guard

        resilience.install()
        action_validation.install()
        graph_runner.install()
        action_client.install()
        turn_guard.install()
        _refuse_store_fallback()
        _installed = True
        endpoints = _endpoints_of_this_process()
        if endpoints is not None:
            check_store(endpoints)
    except ExtensionError as e:
        _stop_the_server(e)
        raise


def _stop_the_server(error: ExtensionError) -> None:
    """In a `rasa run`/`rasa shell` process, ends it with status 3: Rasa catches the errors of
    loading a model and would go on serving without one."""
    if _endpoints_of_this_process() is None:
        return
    logger.critical("%s", error)
    print(f"server.runtime: {error}", file=sys.stderr, flush=True)
    os._exit(3)


# -- the conversation store must load --------------------------------------------------------------

BUILT_IN_STORES = ("", "redis", "mongod", "sql", "dynamo", "in_memory")


def check_store(endpoints: Path) -> None:
    """Imports the conversation store class an endpoints file names; ExtensionError when it does
    not load (Rasa would use an in-memory store instead, and lose every conversation)."""
    import yaml

    try:
        config = yaml.safe_load(endpoints.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return  # Rasa reads the file itself and reports what is wrong with it
    store = config.get("tracker_store") if isinstance(config, dict) else None
    store_type = str((store or {}).get("type") or "") if isinstance(store, dict) else ""
    if store_type.lower() in BUILT_IN_STORES:
        return
    try:
        from rasa.shared.utils.common import class_from_module_path

        class_from_module_path(store_type)
    except ExtensionError:
        raise
    except Exception as e:  # noqa: BLE001 - any failure to load the store
        raise ExtensionError(_store_message(store_type, e, endpoints)) from e


def _store_message(store_type: Text, error: BaseException, where: Any) -> Text:
    return (
        f"The conversation store '{store_type}' named in {where} could not be loaded "
        f"({type(error).__name__}: {error}). The server does not start: Rasa would keep "
        f"conversations in memory only, losing them on restart and breaking 'delete my data'."
    )


def _refuse_store_fallback() -> None:
    """Rasa loads a store named by module path, and when that fails it only warns and uses an
    in-memory store; here the failure stops the server (for stores created after `install`)."""
    import rasa.core.tracker_store as stores

    original = stores._load_from_module_name_in_endpoint_config

    def load(*args: Any, **kwargs: Any) -> Any:
        store = inspect.signature(original).bind(*args, **kwargs).arguments["store"]
        try:
            from rasa.shared.utils.common import class_from_module_path

            class_from_module_path(store.type)
        except (AttributeError, ImportError) as e:
            error = ExtensionError(_store_message(store.type, e, "the endpoints"))
            _stop_the_server(error)
            raise error from e
        return original(*args, **kwargs)

    stores._load_from_module_name_in_endpoint_config = load


def endpoints_file(args: Sequence[Text]) -> Path:
    """The endpoints file `rasa run`/`rasa shell` reads with these arguments (after the command)."""
    for i, arg in enumerate(args):
        if arg == "--endpoints" and i + 1 < len(args):
            return Path(args[i + 1])
        if arg.startswith("--endpoints="):
            return Path(arg.split("=", 1)[1])
    return Path("endpoints.yml")


def _endpoints_of_this_process() -> Optional[Path]:
    """The endpoints file when this process is `rasa run` or `rasa shell` (None otherwise)."""
    command = list(sys.argv[1:])
    if Path(sys.argv[0] if sys.argv else "").name != "rasa" or not command:
        return None
    if command[0] not in ("run", "shell") or command[1:2] == ["actions"]:
        return None
    return endpoints_file(command)


def main(argv: Optional[Sequence[Text]] = None) -> int:
    """`python -m server.runtime`: checks Rasa and lists the changes' targets."""
    found = problems()
    for line in found:
        print(f"FAIL {line}")
    if not found:
        print(f"Rasa {RASA_VERSION}: all {len(TARGETS)} targets of the project's changes are in place.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
