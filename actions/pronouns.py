"""Fills the ex's pronoun into authored text.

Cards say "{they} need{s} space"; this module turns it into "he needs space", "she needs space"
or "they need space", following the pronoun the user uses for the ex (slot `ex_pronoun`).
"""

from __future__ import annotations

import string
from typing import Dict, Iterable, Optional, Set, Text

_SINGULAR = {
    "s": "s",
    "es": "es",
    "is": "is",
    "was": "was",
    "has": "has",
    "does": "does",
    "isn't": "isn't",
    "wasn't": "wasn't",
    "hasn't": "hasn't",
    "doesn't": "doesn't",
}
_PLURAL = {
    "s": "",
    "es": "",
    "is": "are",
    "was": "were",
    "has": "have",
    "does": "do",
    "isn't": "aren't",
    "wasn't": "weren't",
    "hasn't": "haven't",
    "doesn't": "don't",
}

_FORMS: Dict[Text, Dict[Text, Text]] = {
    "he": {
        "they": "he",
        "them": "him",
        "their": "his",
        "theirs": "his",
        "themselves": "himself",
        "they're": "he's",
        **_SINGULAR,
    },
    "she": {
        "they": "she",
        "them": "her",
        "their": "her",
        "theirs": "hers",
        "themselves": "herself",
        "they're": "she's",
        **_SINGULAR,
    },
    "they": {
        "they": "they",
        "them": "them",
        "their": "their",
        "theirs": "theirs",
        "themselves": "themselves",
        "they're": "they're",
        **_PLURAL,
    },
}
_CAPITALISABLE = ("they", "them", "their", "they're")


def _table(pronoun: Text) -> Dict[Text, Text]:
    forms = dict(_FORMS[pronoun])
    for key in _CAPITALISABLE:
        forms[key[0].upper() + key[1:]] = forms[key][0].upper() + forms[key][1:]
    return forms


TABLES = {p: _table(p) for p in _FORMS}
PLACEHOLDERS: Set[Text] = set(TABLES["they"])


def placeholders_in(text: Text) -> Set[Text]:
    """Names of the {placeholders} in text (raises ValueError on unbalanced braces)."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def unknown_placeholders(texts: Iterable[Text]) -> Set[Text]:
    found: Set[Text] = set()
    for text in texts:
        found |= placeholders_in(text)
    return found - PLACEHOLDERS


def fill(text: Text, pronoun: Optional[Text]) -> Text:
    """Text with the ex's pronoun filled in; 'they' when the pronoun is not known."""
    return text.format_map(TABLES.get(pronoun or "they", TABLES["they"]))
