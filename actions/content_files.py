"""The one way the action server reads its content files (actions/content/).

Every content file (the advice cards and their registry, the safety lines, the guided texts, the
no-contact tracker, the workshop, the form questions and the sentences in messages.yml) is read
through this module, so every one of them follows the same two rules:

- Where: the folder is $ADVISOR_CONTENT_DIR when it is set, else actions/content/. It is looked up
  on every use, so a value loaded from one folder is never served for another.
- When: a value is loaded on first use (the action server's start-up: an invalid file stops it),
  and loaded again when a .yml file under the folder changes (its modification time or size),
  checked at most once a second. A reload that fails validation keeps the last good value and
  logs the error.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from typing import Callable, Dict, Generic, Optional, Text, Tuple, TypeVar

import yaml

logger = logging.getLogger(__name__)

CONTENT_DIR = Path(__file__).parent / "content"
# Serve the content from another folder (a copy being edited, or a deployment's own cards):
# set this environment variable before the action server starts.
CONTENT_DIR_ENV = "ADVISOR_CONTENT_DIR"
# How often, at most, a loaded value checks whether its files changed (seconds).
CHECK_EVERY = 1.0

T = TypeVar("T")


class ContentError(ValueError):
    """The content in actions/content/ does not validate."""


def content_dir() -> Path:
    """The folder the action server serves: $ADVISOR_CONTENT_DIR when set, else actions/content/."""
    return Path(os.environ.get(CONTENT_DIR_ENV) or CONTENT_DIR)


def read_yaml(path: Path) -> object:
    """A content file's data; a file that is not valid YAML is a ContentError."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ContentError(f"{path.name}: cannot be read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: not valid YAML: {exc}") from exc


Fingerprint = Tuple[Tuple[Text, float, int], ...]


def fingerprint(directory: Path) -> Fingerprint:
    """What the reload rule compares: every .yml file under the folder, its time and size."""
    found = []
    for path in directory.rglob("*.yml"):
        try:
            stat = path.stat()
        except OSError:  # removed while we looked
            continue
        found.append((str(path), stat.st_mtime, stat.st_size))
    return tuple(sorted(found))


class Reloading(Generic[T]):
    """A value loaded from a content folder by `load(folder)`, kept up to date by the reload rule."""

    def __init__(
        self, name: Text, load: Callable[[Path], T], directory: Path, check_every: float = CHECK_EVERY
    ) -> None:
        self.name = name
        self.directory = directory
        self._load = load
        self._check_every = check_every
        self._lock = threading.Lock()
        self._stamp = fingerprint(directory)
        self._value = load(directory)  # the first load: an invalid file raises
        self._checked = time.monotonic()

    def get(self) -> T:
        now = time.monotonic()
        if now - self._checked >= self._check_every:
            with self._lock:
                self._checked = now
                stamp = fingerprint(self.directory)
                if stamp != self._stamp:
                    self._stamp = stamp
                    try:
                        self._value = self._load(self.directory)
                        logger.info("%s reloaded from %s", self.name, self.directory)
                    except (ValueError, OSError) as exc:  # ContentError, or a model's ValidationError
                        logger.error("Kept the previous %s: %s", self.name, exc)
        return self._value


_LOADED: Dict[Tuple[Text, Path], Reloading] = {}
_LOADED_LOCK = threading.RLock()  # a load may use another loaded value


def held(name: Text, load: Callable[[Path], T], directory: Optional[Path] = None) -> Reloading[T]:
    """The Reloading that holds `name`, loaded by `load` from the content folder (content_dir()
    unless given): one per name and folder."""
    directory = directory or content_dir()
    key = (name, directory)
    found = _LOADED.get(key)
    if found is None:
        with _LOADED_LOCK:
            found = _LOADED.get(key)
            if found is None:
                found = Reloading(name, load, directory)
                _LOADED[key] = found
    return found


def current(name: Text, load: Callable[[Path], T], directory: Optional[Path] = None) -> T:
    """The current value of `name` from the content folder, following the reload rule."""
    return held(name, load, directory).get()


def forget_loaded() -> None:
    """Drops every loaded value (the next use loads again); for tests."""
    with _LOADED_LOCK:
        _LOADED.clear()
