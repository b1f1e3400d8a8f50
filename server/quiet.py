"""A quiet start: the one place that filters the warnings Rasa's libraries print when a process starts.

    python -m server.quiet rasa [arguments...]          # the `rasa` command, without that noise
    python -m server.quiet -m module [arguments...]     # `python -m module`, without it

The Makefile runs every `rasa` (`RASA`: train, shell, the action server, `rasa test`) and the
spaCy pipeline build through this module, and ops/launch.py (every `rasa run` of the project)
calls `install()` first.
Without it, the first `make run` or `make shell` printed about 40 lines before the chat:
deprecation warnings from TensorFlow, jax, keras, pkg_resources, click, pyparsing, SQLAlchemy and
sanic-cors, and Rasa's own warnings about responses only forms use.

What is hidden, and nothing else:
- deprecation warnings (DeprecationWarning, PendingDeprecationWarning and their subclasses:
  pyparsing's, SQLAlchemy's) raised from installed packages (site-packages): the project cannot
  fix them, and they say nothing about this run. A deprecation raised from the project's own code
  is still shown;
- the warnings of Rasa's data validator that are known false positives for this project
  (KNOWN_FALSE_POSITIVES, also used by scripts/validate_data.py): responses used only by forms or
  custom actions, and intents only a reminder sends;
- TensorFlow's C++ INFO and WARNING lines (TF_CPP_MIN_LOG_LEVEL=2, as Rasa itself sets it later,
  too late for the first import); errors still show;
- SQLAlchemy's "uber warning" about 2.0 (SQLALCHEMY_SILENCE_UBER_WARNING=1).
Every other warning, and every log line, error and traceback, is printed as before.

It works through `warnings.showwarning`, the hook Python provides for this, rather than through
filters: sanic and Rasa add their own filters at import (sanic: "once" for every
DeprecationWarning), which would override PYTHONWARNINGS or a filter set here. `--debug` (or
ADVISOR_SHOW_WARNINGS=1) shows everything again. pytest keeps its own settings (pytest.ini) and
does not use this module.
"""

from __future__ import annotations

import os
import re
import runpy
import sys
import sysconfig
import warnings
from pathlib import Path
from typing import Any, Optional, Sequence, Text

# Rasa 3.6's validator reports responses as unused when only a form (utter_ask_<slot>) or a custom
# action (dispatcher.utter_message(response=...): the disclaimer, the greeting, sadness) uses them, and
# intents as missing from the NLU data when only a reminder sends them (EXTERNAL_*, never typed).
KNOWN_FALSE_POSITIVES = re.compile(
    r"The utterance '(utter_ask_\w+|utter_disclaimer|utter_greet|utter_sadness)' is not used"
    r"|The intent 'EXTERNAL_\w+' is listed in the domain file, but is not found in the NLU training data"
)

ENVIRONMENT = {"TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
SHOW_ALL_ENV = "ADVISOR_SHOW_WARNINGS"

_INSTALLED_PACKAGES = tuple(
    {
        os.path.realpath(p) + os.sep
        for p in (sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"])
    }
)


def from_installed_package(filename: Text) -> bool:
    """True when `filename` is a module of an installed package (site-packages), not the project's."""
    real = os.path.realpath(filename or "")
    return real.startswith(_INSTALLED_PACKAGES) or f"{os.sep}site-packages{os.sep}" in real


def is_noise(category: type, message: Text, filename: Text) -> bool:
    """Whether a warning is start-up noise that `install()` hides."""
    if issubclass(category, (DeprecationWarning, PendingDeprecationWarning)):
        return from_installed_package(filename)
    return issubclass(category, UserWarning) and bool(KNOWN_FALSE_POSITIVES.search(message))


def install(argv: Optional[Sequence[Text]] = None) -> bool:
    """Hides the noise (see the module's docstring) in this process and the processes it starts.
    Returns False, changing nothing, when asked to show everything (`--debug` among `argv`, or
    ADVISOR_SHOW_WARNINGS=1). Idempotent."""
    argv = sys.argv[1:] if argv is None else argv
    if os.environ.get(SHOW_ALL_ENV, "") not in ("", "0") or "--debug" in argv or "-vv" in argv:
        return False
    for name, value in ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    if getattr(warnings.showwarning, "_advisor_quiet", False):
        return True
    shown = warnings.showwarning

    def showwarning(
        message: Any,
        category: type,
        filename: Text,
        lineno: int,
        file: Any = None,
        line: Optional[Text] = None,
    ) -> None:
        if not is_noise(category, str(message), filename):
            shown(message, category, filename, lineno, file, line)

    showwarning._advisor_quiet = True  # type: ignore[attr-defined]
    warnings.showwarning = showwarning
    return True


USAGE = "usage: python -m server.quiet rasa [arguments...] | -m module [arguments...]"


def main(argv: Optional[Sequence[Text]] = None) -> None:
    """Runs the `rasa` command line, or a module as `python -m` would, with the noise hidden."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) >= 1 and args[0] == "rasa":
        install(args[1:])
        from rasa.__main__ import main as rasa_main

        sys.argv = [str(Path(sys.executable).parent / "rasa"), *args[1:]]
        rasa_main()
    elif len(args) >= 2 and args[0] == "-m":
        install(args[2:])
        sys.argv = [args[1], *args[2:]]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    else:
        sys.exit(USAGE)


if __name__ == "__main__":
    main()
