"""Starts the action server (rasa-sdk) for this project, the one way every script and test does.

    python -m ops.action_server [--port 5055] [other `rasa run actions` arguments...]

It is `rasa run actions --actions actions` without two costs that are most of its start-up
(measured on 2 cores: about 20 s down to about 6 s):
- the `rasa` command line, which loads Rasa to hand over to rasa-sdk (about 5 s);
- TensorFlow. spaCy's thinc imports it when it is installed (Rasa needs it, so it is), about 10 s,
  and no action uses it. This process is told it is absent before anything imports spaCy; thinc
  then uses its own NumPy code, which is what the blank pipeline runs on anyway.
The libraries' start-up warnings are filtered as for every other process (server/quiet.py).
"""

from __future__ import annotations

import sys
from typing import List, Optional, Sequence, Text

ACTIONS_PACKAGE = "actions"


def sdk_args(argv: Sequence[Text]) -> List[Text]:
    """rasa-sdk's arguments: the given ones, with this project's actions package unless named."""
    argv = list(argv)
    if not any(a == "--actions" or a.startswith("--actions=") for a in argv):
        argv = ["--actions", ACTIONS_PACKAGE, *argv]
    return argv


def without_tensorflow() -> None:
    """Makes `import tensorflow` fail in this process (ImportError, which thinc expects when it
    is not installed). Refuses when TensorFlow is already loaded: then something here uses it."""
    if sys.modules.get("tensorflow") is not None:
        raise RuntimeError("TensorFlow is already loaded in the action server's process")
    sys.modules["tensorflow"] = None  # type: ignore[assignment]


def main(argv: Optional[Sequence[Text]] = None) -> None:
    from server import quiet

    argv = sys.argv[1:] if argv is None else argv
    quiet.install(argv)
    without_tensorflow()
    from rasa_sdk.endpoint import create_argument_parser

    import rasa_sdk.__main__ as sdk

    sdk.main_from_args(create_argument_parser().parse_args(sdk_args(argv)))


if __name__ == "__main__":
    main()
