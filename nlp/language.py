"""Is a message written in another language than English?

The advisor understands only English. A message in another language gets one reply, in English,
saying so (with the international helpline directory); crisis words in the common languages are
rule patterns (nlp/patterns/crisis.yml) and win before this is asked.

Two checks must agree before a message counts as another language, so that short English chat
("ok", "lol", "hi", "no", "idk tbh") is never taken for one:
1. English words: at least MIN_WORDS words of three letters or more, and fewer than half of them
   known English (spacy-lookups-data's English lemma table, spaCy's English stop words and a small
   list of chat words). Mixed messages ("my novio left me") stay English.
2. The language detector: lingua-language-detector (offline, ships its own models), restricted to
   a handful of common languages, must name one other than English with some confidence.
Capitalised words inside a sentence (names: "Ana Sofia left") and links are left out of the count.
A message written mostly in a non-Latin script (Cyrillic, Greek, Arabic, Hebrew, CJK, ...) is
another language without asking the detector.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, Optional, Text

MIN_WORDS = 3  # words of 3+ letters needed before judging the language at all
MAX_ENGLISH_SHARE = 0.35  # at or above this share of English words, the message is English
MIN_CONFIDENCE = 0.5  # the detector's confidence in the other language
OTHER_SCRIPT = "other"  # code returned for a non-Latin script the detector was not asked about

# Chat words and names of apps that are not in the lemma table but are English chat.
CHAT_WORDS = frozenset(
    """
lol lmao lmfao rofl omg omfg idk idc tbh ngl smh imo imho btw fyi tho thx pls plz ppl bf gf bff
ok okay okey yeah yea yep yup nope nah hmm hmmm ugh ahh aww heyy hiii wtf wth rn af irl dm dms
texted texting ghosted ghosting unfollowed unfriended situationship insta instagram whatsapp
snapchat tiktok facebook tinder hinge bumble iphone cuz coz bc dont cant wont didnt doesnt isnt
wasnt im ive youre hes shes theyre gonna wanna gotta kinda sorta yall ur u r y'all haha hahaha
""".split()
)

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LINK = re.compile(r"\S*(?:https?://|www\.|\.com|\.org|\.net)\S*|\S+@\S+", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)$")


@lru_cache(maxsize=1)
def english_words() -> FrozenSet[Text]:
    """Known English word forms: the lemma table's forms and lemmas, stop words, chat words."""
    import spacy_lookups_data
    import srsly
    from spacy.lang.en.stop_words import STOP_WORDS

    table = srsly.read_gzip_json(
        Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_lookup.json.gz"
    )
    return frozenset(table) | frozenset(table.values()) | frozenset(STOP_WORDS) | CHAT_WORDS


# The languages the detector chooses between: English and the most common languages whose
# speakers might write to a mainly European/Anglophone service in a Latin script.
DETECTED = (
    "ENGLISH",
    "SPANISH",
    "GERMAN",
    "FRENCH",
    "PORTUGUESE",
    "ITALIAN",
    "DUTCH",
    "POLISH",
    "TURKISH",
    "SWEDISH",
    "ROMANIAN",
)


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in DETECTED]
    # Low accuracy mode keeps memory at ~30 MB; the English-word check does the short messages.
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def _non_latin_share(text: Text) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    other = sum(1 for c in letters if not unicodedata.name(c, "").startswith("LATIN"))
    return other / len(letters)


def english_share(text: Text) -> Optional[float]:
    """Share of known English words among the words of 3+ letters, or None when too few."""
    text = _LINK.sub(" ", text)
    words = []
    for match in _WORD.finditer(text):
        word = match.group().replace("’", "'")
        if word[0].isupper() and not _SENTENCE_START.search(text[: match.start()]):
            continue  # a name, not a word of the language
        if len(word) >= 3:
            words.append(word.lower())
    if len(words) < MIN_WORDS:
        return None
    known = english_words()
    hits = sum(1 for w in words if w in known or w.split("'")[0] in known)
    return hits / len(words)


def _mostly_other_script(text: Text) -> bool:
    return _non_latin_share(text) > 0.5


def _few_english_words(text: Text) -> bool:
    share = english_share(text)
    return share is not None and share < MAX_ENGLISH_SHARE


def mostly_not_english(text: Text) -> bool:
    """Whether a message reads as not English: mostly another script, or enough words of which too
    few are English. `other_language` starts from the same two tests (the script one from two
    letters on) and then wants the detector to name the language; the menu asks only this, of a
    message the NLU could not place (keyboard mash too), to say that it reads only English."""
    return _mostly_other_script(text) or _few_english_words(text)


def other_language(text: Text) -> Optional[Text]:
    """The ISO 639-1 code of the message's language when it is clearly not English, else None."""
    text = (text or "").strip()
    if not text or text.startswith("/"):
        return None
    letters = sum(1 for c in text if c.isalpha())
    if letters >= 2 and _mostly_other_script(text):
        return OTHER_SCRIPT
    if not _few_english_words(text):
        return None
    detector = _detector()
    language = detector.detect_language_of(text)
    if language is None or language.name == "ENGLISH":
        return None
    if detector.compute_language_confidence(text, language) < MIN_CONFIDENCE:
        return None
    return language.iso_code_639_1.name.lower()
