"""How the advisor reads a short free-text answer to one of its questions: the readings in
nlp/answers.yml, one list per question, tried in order, the first match wins.

Only the standard library and PyYAML: the action server imports this without Rasa or TensorFlow.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Pattern, Text, Tuple, Union

import yaml

ANSWERS_FILE = Path(__file__).with_name("answers.yml")
ENTRY_KEYS = {"value", "pattern"}

Readings = Dict[Text, Tuple[Tuple[Pattern[Text], Text], ...]]


class AnswersError(ValueError):
    """nlp/answers.yml cannot be used; the message names the question and the entry."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML's safe loader, except that a key given twice is an error instead of the last one
    silently winning (a question written twice would lose its first readings)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise AnswersError(f"{key!r} is given twice (line {key_node.start_mark.line + 1})")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@lru_cache(maxsize=None)
def load(path: Union[Path, Text, None] = None) -> Readings:
    """The readings of every question, checked: each question has a non-empty list, each entry
    exactly a string `value` and a string `pattern`, and every pattern compiles."""
    path = Path(path) if path is not None else ANSWERS_FILE
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except AnswersError as error:
        raise AnswersError(f"{path.name}: {error}") from None
    except (OSError, yaml.YAMLError) as error:
        raise AnswersError(f"{path.name}: cannot be read: {error}") from error
    if not isinstance(data, dict) or not data:
        raise AnswersError(f"{path.name}: needs a mapping of question -> list of readings")
    readings: Readings = {}
    for question, entries in data.items():
        where = f"{path.name}: {question}"
        if not isinstance(question, str):
            raise AnswersError(f"{where}: a question is named by a string")
        if not isinstance(entries, list) or not entries:
            raise AnswersError(f"{where}: needs a non-empty list of readings (value and pattern)")
        compiled = []
        for number, entry in enumerate(entries, start=1):
            at = f"{where} entry #{number}"
            if not isinstance(entry, dict) or set(entry) != ENTRY_KEYS:
                keys = sorted(map(str, entry)) if isinstance(entry, dict) else type(entry).__name__
                raise AnswersError(f"{at}: needs exactly `value` and `pattern`, has {keys}")
            value, pattern = entry["value"], entry["pattern"]
            if not isinstance(value, str) or not value:
                raise AnswersError(f"{at}: value {value!r} is not a string (quote it: 'no', 'yes')")
            if not isinstance(pattern, str) or not pattern:
                raise AnswersError(f"{at} ({value}): pattern {pattern!r} is not a string")
            try:
                compiled.append((re.compile(pattern), value))
            except re.error as error:
                raise AnswersError(f"{at} ({value}): pattern does not compile: {error}") from None
        readings[question] = tuple(compiled)
    return readings


def _found(pattern: Pattern[Text], text: Text) -> bool:
    # A case-insensitive pattern ((?i)) sees the answer as written: lowercasing first would change
    # its length where one letter lowercases to two ("İ").
    return bool(pattern.search(text if pattern.flags & re.IGNORECASE else text.lower()))


def read_answer(question: Text, text: Text, path: Union[Path, Text, None] = None) -> Optional[Text]:
    """The value of the first reading of `question` that matches `text` (a curly apostrophe, as
    phones type it, read as a straight one), or None."""
    readings = load(path)
    text = text.replace("\u2019", "'")
    if question not in readings:
        raise KeyError(f"{question!r}: no such question in {Path(path or ANSWERS_FILE).name}")
    return next((value for pattern, value in readings[question] if _found(pattern, text)), None)


def matches(question: Text, text: Text, path: Union[Path, Text, None] = None) -> bool:
    """Whether any reading of `question` matches `text` (a yes/no reading, such as "that's all")."""
    return read_answer(question, text, path) is not None
