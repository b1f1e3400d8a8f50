"""The sentences the actions say themselves (actions/content/messages.yml), as data.

The code names a sentence by its key and gives the values of its {placeholders}:
`message("crisis_reply", lines=..., emergency=..., pick_note=...)`. The file is read through
actions/content_files.py like every content file (from $ADVISOR_CONTENT_DIR when set, reloaded
when a file changes) and validated when it is loaded: every key the code uses must be there with
exactly the placeholders the code fills, every key there must be used by the code, and a sentence
may not hold pronoun placeholders or unbalanced braces (a literal brace is written {{ or }}).
A missing key or placeholder stops the action server at start-up; a bad edit later keeps the last
good file.
"""

from __future__ import annotations

import ast
import string
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, List, Set, Text, Tuple

from actions.content_files import ContentError, current, read_yaml

FILE = "messages.yml"
CODE_DIR = Path(__file__).parent
Messages = Dict[Text, Tuple[Text, FrozenSet[Text]]]


def placeholders(template: Text) -> FrozenSet[Text]:
    """The names of a sentence's {placeholders}; ContentError on anything but plain names."""
    names: Set[Text] = set()
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ContentError(f"bad braces ({exc})") from exc
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise ContentError(f"placeholder {{{field}}} must be a plain name")
        names.add(field)
    return frozenset(names)


@lru_cache(maxsize=1)
def used_in_code() -> Dict[Text, FrozenSet[Text]]:
    """Every key the code passes to message(), with the placeholders it fills (read from the
    source of actions/*.py: a key must be a string literal, its values keyword arguments)."""
    used: Dict[Text, FrozenSet[Text]] = {}
    problems: List[Text] = []
    for path in sorted(CODE_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "message"
            ):
                continue
            where = f"{path.name}:{node.lineno}"
            if (
                len(node.args) != 1
                or not isinstance(node.args[0], ast.Constant)
                or not isinstance(node.args[0].value, str)
            ):
                problems.append(f"{where}: message() needs the key as one string literal")
                continue
            if any(k.arg is None for k in node.keywords):
                problems.append(f"{where}: message() takes its values as named arguments, not **values")
                continue
            key, names = node.args[0].value, frozenset(k.arg for k in node.keywords)
            if used.get(key, names) != names:
                problems.append(
                    f"{where}: {key!r} is filled with {sorted(names)} here, {sorted(used[key])} elsewhere"
                )
            used[key] = names
    if problems:
        raise ContentError("message() is used wrongly:\n- " + "\n- ".join(problems))
    return used


def load_messages(folder: Path) -> Messages:
    """The sentences of folder/messages.yml, checked against the code; raises ContentError listing
    every problem."""
    from actions.pronouns import PLACEHOLDERS as PRONOUNS

    data = read_yaml(folder / FILE)
    if not isinstance(data, dict) or set(data) != {"messages"} or not isinstance(data["messages"], dict):
        raise ContentError(f"{FILE}: must hold one top-level `messages:` mapping")
    problems: List[Text] = []
    loaded: Messages = {}
    for key, template in data["messages"].items():
        if not isinstance(template, str) or not template.strip():
            problems.append(f"{key}: must be a non-empty text")
            continue
        try:
            names = placeholders(template)
        except ContentError as exc:
            problems.append(f"{key}: {exc}")
            continue
        if names & PRONOUNS:
            problems.append(f"{key}: pronoun placeholders {sorted(names & PRONOUNS)} are for cards only")
        loaded[key] = (template, names)
    used = used_in_code()
    for key, names in sorted(used.items()):
        if key not in data["messages"]:
            problems.append(f"{key}: used by the code, missing from {FILE}")
        elif key in loaded and loaded[key][1] != names:
            problems.append(
                f"{key}: has placeholders {sorted(loaded[key][1])}, the code fills {sorted(names)}"
            )
    problems += [f"{key}: not used by the code" for key in sorted(set(data["messages"]) - set(used))]
    if problems:
        raise ContentError(f"{FILE} is invalid:\n- " + "\n- ".join(problems))
    return loaded


def messages() -> Messages:
    """The current sentences, from the content folder in use."""
    return current("messages", load_messages)


def message(key: Text, **values: object) -> Text:
    """The sentence `key` of messages.yml with its placeholders filled in."""
    template, names = messages()[key]
    if set(values) != names:
        raise ContentError(f"{key}: needs the values {sorted(names)}, was given {sorted(values)}")
    return template.format(**values)
