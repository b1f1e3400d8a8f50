"""Which country's crisis and abuse lines to show first.

The country comes from, in this order:
1. a country the user stated ("I'm in the UK"): the slot `user_country`, filled from the `country`
   entity of the rule patterns (nlp/patterns/country.yml) or from a country button;
2. Telegram's `language_code` of the latest message ("en-GB" -> GB), passed as the message's
   metadata `language_code` by channels/telegram.py;
3. the browser's language sent by the web widget as custom data (`language`, e.g. "en-AU").
A language with no region ("en", "de") says nothing about the country and is not used, and a
country without lines in content/safety_resources.yml counts as unknown.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Optional, Text

SLOT = "user_country"
METADATA_KEYS = ("language_code", "language")  # Telegram first, then the browser
_REGION = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z]{4})?[-_]([A-Za-z]{2})(?:[-_].*)?$")


def country_from_language(tag: Any) -> Optional[Text]:
    """'en-GB' -> 'GB', 'pt_BR' -> 'BR', 'zh-Hant-TW' -> 'TW'; 'en', '', None -> None."""
    if not isinstance(tag, str):
        return None
    match = _REGION.match(tag.strip())
    return match.group(1).upper() if match else None


def latest_metadata(events: Iterable[Dict[Text, Any]]) -> Dict[Text, Any]:
    """The metadata of the latest user message (the channels put the language there)."""
    for event in reversed(list(events)):
        if event.get("event") == "user":
            metadata = event.get("metadata")
            return metadata if isinstance(metadata, dict) else {}
    return {}


def choose_country(
    stated: Optional[Text], metadata: Dict[Text, Any], known: Iterable[Text]
) -> Optional[Text]:
    """The first known country among: the stated one, Telegram's language, the browser's."""
    known = set(known)
    candidates = [stated.upper() if isinstance(stated, str) else None]
    candidates += [country_from_language(metadata.get(key)) for key in METADATA_KEYS]
    for country in candidates:
        if country and country in known:
            return country
    return None


def user_country(tracker: Any, known: Iterable[Text]) -> Optional[Text]:
    return choose_country(tracker.get_slot(SLOT), latest_metadata(tracker.events), known)


def lines_for(lines: List[Any], country: Optional[Text]) -> List[Any]:
    """The lines of one country (none when the country is unknown)."""
    return [line for line in lines if country and country in line.countries]


def directory(lines: List[Any]) -> List[Any]:
    return [line for line in lines if line.region.lower() == "anywhere"]
