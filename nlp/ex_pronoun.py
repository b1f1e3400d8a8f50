"""Whose pronoun is it? Picks the ex's pronoun from a message that may mention other people.

The ex_pronoun patterns tag every gendered noun ("girlfriend") and pronoun ("she"); the ex's
pronoun is the one that refers to the ex, in this order:
1. the first noun for the ex ("my girlfriend"); someone else's partner ("his ex-girlfriend",
   "my friend's husband") is already hidden by the patterns;
2. the name of the ex, when the user names them next to what the ex did or next to themselves
   ("jake dumped me", "me and emma broke up"): the name's evident pronoun (nlp/names.yml);
3. the first bare pronoun that does not belong to someone else: a pronoun whose nearest
   earlier mention of a person who could be meant (same gender, or a friend, a boss...) is a third
   party ("my friend said she...", "my mom... she") is left out.
None when nothing refers to the ex: the advisor then says "they".
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

import yaml

NAMES_FILE = Path(__file__).parent / "names.yml"
BARE = {
    "he": {"he", "him", "his", "himself", "he's", "he'd", "he'll", "hes", "he’s", "he’d", "he’ll"},
    "she": {"she", "her", "hers", "herself", "she's", "she'd", "she'll", "shes", "she’s", "she’d", "she’ll"},
}
BARE_PRONOUNS = frozenset(BARE["he"] | BARE["she"])
# People who are not the ex, with the gender a pronoun for them would have (None: either).
THIRD_PARTIES: Dict[Text, Optional[Text]] = {
    **{
        w: "she"
        for w in (
            "mom",
            "mum",
            "mother",
            "mommy",
            "mama",
            "sister",
            "sis",
            "aunt",
            "auntie",
            "grandma",
            "grandmother",
            "nan",
            "daughter",
            "niece",
            "stepmom",
            "stepmother",
            "girl",
            "woman",
            "lady",
            "chick",
        )
    },
    **{
        w: "he"
        for w in (
            "dad",
            "father",
            "daddy",
            "papa",
            "brother",
            "bro",
            "uncle",
            "grandpa",
            "grandfather",
            "son",
            "nephew",
            "stepdad",
            "stepfather",
            "guy",
            "man",
            "dude",
        )
    },
    **{
        w: None
        for w in (
            "friend",
            "bestie",
            "bff",
            "coworker",
            "co-worker",
            "colleague",
            "boss",
            "manager",
            "therapist",
            "counselor",
            "counsellor",
            "psychologist",
            "roommate",
            "flatmate",
            "housemate",
            "cousin",
            "teacher",
            "professor",
            "neighbor",
            "neighbour",
            "doctor",
            "coach",
            "classmate",
            "supervisor",
            "pastor",
            "priest",
            "lawyer",
            "sibling",
            "kid",
            "child",
            "baby",
            "landlord",
            "mate",
        )
    },
}
# How far back (in tokens) an earlier mention may claim a pronoun.
WINDOW = 15
# A name is the ex's when it stands just before what the ex did ("jake just dumped me").
NAME_BEFORE_FACT = 3
FACT_LABELS = ("who_ended", "ex_behaviour", "breakup_count")
ME = {"me", "i", "myself"}
PARTNER_NOUNS = {
    "boyfriend": "he",
    "bf": "he",
    "husband": "he",
    "fiance": "he",
    "girlfriend": "she",
    "gf": "she",
    "wife": "she",
    "fiancee": "she",
    "partner": None,
    "spouse": None,
}
OTHERS_POSSESSIVES = {"his", "her", "their", "your", "'s", "’s"}


@lru_cache(maxsize=1)
def names() -> Dict[Text, Text]:
    data = yaml.safe_load(NAMES_FILE.read_text(encoding="utf-8")) or {}
    return {name: pronoun for pronoun in ("he", "she") for name in data.get(pronoun) or []}


def _gender(word: Text) -> Optional[Text]:
    for pronoun, words in BARE.items():
        if word in words:
            return pronoun
    return None


def _ex_name(doc: Any, spans: Sequence[Any]) -> Optional[Tuple[int, Text]]:
    """(token index, pronoun) of the first name that names the ex, or None."""
    known = names()
    fact_starts = [s.start for s in spans if s.label_ in FACT_LABELS]
    for token in doc:
        pronoun = known.get(token.lower_)
        if pronoun is None:
            continue
        i = token.i
        before = doc[i - 1].lower_ if i > 0 else ""
        before2 = doc[i - 2].lower_ if i > 1 else ""
        if before in THIRD_PARTIES or before2 in THIRD_PARTIES and before in ("'s", "’s", ","):
            continue  # "my friend sarah", "my sister's friend emma"
        after = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        after2 = doc[i + 2].lower_ if i + 2 < len(doc) else ""
        next_to_me = (before == "and" and before2 in ME) or (after == "and" and after2 in ME)
        before_fact = any(0 <= start - i <= NAME_BEFORE_FACT for start in fact_starts)
        after_ex_word = before in (
            "ex",
            "boyfriend",
            "girlfriend",
            "bf",
            "gf",
            "husband",
            "wife",
            "partner",
            "fiance",
            "fiancee",
        )
        if next_to_me or before_fact or after_ex_word:
            return i, pronoun
    return None


def _mentions(
    doc: Any, spans: Sequence[Any], ex_name: Optional[int]
) -> List[Tuple[int, bool, Optional[Text]]]:
    """(token index, is the ex, gender) of every person mentioned other than by a pronoun."""
    found: List[Tuple[int, bool, Optional[Text]]] = []
    for span in spans:
        if span.label_ == "ex_pronoun" and span.text.lower() not in BARE_PRONOUNS:
            found.append((span.end - 1, True, span.id_ or None))
    known = names()
    for token in doc:
        word = token.lower_
        if word in ("ex", "exes", "ex's"):
            previous = doc[token.i - 1].lower_ if token.i else ""
            found.append((token.i, previous not in ("his", "her", "their", "your"), None))
        elif word in PARTNER_NOUNS and token.i and doc[token.i - 1].lower_ in OTHERS_POSSESSIVES:
            found.append((token.i, False, PARTNER_NOUNS[word]))  # "his girlfriend", "my sister's bf"
        elif word in THIRD_PARTIES:
            found.append((token.i, False, THIRD_PARTIES[word]))
        elif word in known:
            found.append((token.i, token.i == ex_name, known[word]))
    return sorted(found)


def _belongs_to_someone_else(index: int, gender: Text, mentions) -> bool:
    for where, is_ex, who in reversed(mentions):
        if where >= index or index - where > WINDOW:
            continue
        if who is None or who == gender:
            return not is_ex
    return False


def choose(doc: Any, spans: Sequence[Any]) -> Optional[Tuple[Text, int, int]]:
    """The ex's pronoun as (value, start_char, end_char) of the words that say it, or None.

    `spans` are the message's fact spans (nlp.build_pipeline.fact_spans)."""
    pronoun_spans = [s for s in spans if s.label_ == "ex_pronoun"]
    for span in pronoun_spans:
        if span.text.lower() not in BARE_PRONOUNS:
            return span.id_, span.start_char, span.end_char
    name = _ex_name(doc, spans)
    if name is not None:
        token = doc[name[0]]
        return name[1], token.idx, token.idx + len(token.text)
    mentions = _mentions(doc, spans, None)
    for span in pronoun_spans:
        gender = _gender(span.text.lower())
        if gender and not _belongs_to_someone_else(span.start, gender, mentions):
            return span.id_, span.start_char, span.end_char
    return None
