"""Held-out means held out: no message of the realistic set's test part (tests/realistic/test/),
and no example of the held-out NLU test set (tests/nlu/), appears in what the advisor learns from
or matches with: the training data (data/nlu/**) and the rule patterns (nlp/patterns/**),
comments included. Nor does a realistic test message appear in the realistic dev part, which may
be trained on, and no message is in the set twice. (NLU examples of one or two words, "yes!", "hi!", are left out: they cannot be
held out.)

Texts are compared normalised (lowercase, curly apostrophes straightened, punctuation and
whitespace collapsed, NLU entity markup reduced to its text). A text leaks when any 12-word
window of it appears in a source; a shorter text leaks when it equals a line of a source, or (from
6 words) appears inside one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List, Set, Tuple

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WINDOW = 12
MIN_CONTAINED = 6
REALISTIC_TEST = ROOT / "tests" / "realistic" / "test"
REALISTIC_DEV = ROOT / "tests" / "realistic" / "dev"
ENTITY_MARKUP = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def words(text: str) -> List[str]:
    text = ENTITY_MARKUP.sub(r"\1", text).lower().replace("’", "'").replace("‘", "'")
    return re.sub(r"[^\w']+", " ", text).split()


def windows(tokens: List[str]) -> Set[Tuple[str, ...]]:
    return {tuple(tokens[i : i + WINDOW]) for i in range(len(tokens) - WINDOW + 1)}


class Source:
    """A body of text a leak could hide in: its lines (normalised) and its 12-word windows."""

    def __init__(self, name: str, texts: Iterable[str]) -> None:
        self.name = name
        self.lines: Set[str] = set()
        self.windows: Set[Tuple[str, ...]] = set()
        self.padded = ""
        for text in texts:
            for line in text.splitlines():
                line = re.sub(r"^\s*(-|#)\s*", "", line)
                tokens = words(line)
                if tokens:
                    self.lines.add(" ".join(tokens))
            self.windows |= windows(words(text))  # across lines too: a text may be wrapped
        self.padded = " " + " | ".join(sorted(self.lines)) + " "

    def leaks(self, text: str) -> str:
        """How `text` appears here ('' when it does not)."""
        tokens = words(text)
        shared = windows(tokens) & self.windows
        if shared:
            return f'shares {len(shared)} {WINDOW}-word windows, e.g. "{" ".join(next(iter(shared)))}"'
        joined = " ".join(tokens)
        if len(tokens) < WINDOW and joined in self.lines:
            return "is a line of it"
        if MIN_CONTAINED <= len(tokens) < WINDOW and f" {joined} " in self.padded:
            return "appears inside a line of it"
        return ""


def raw_files(*folders: Path) -> Dict[str, str]:
    files = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".yml", ".yaml", ".txt", ".json"):
                files[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    return files


@lru_cache(maxsize=None)
def learned_from() -> Tuple[Source, ...]:
    """data/nlu/** and nlp/patterns/**, one Source per file (so a leak names its file)."""
    files = raw_files(ROOT / "data" / "nlu", ROOT / "nlp" / "patterns")
    assert files, "no training data found under data/nlu"
    return tuple(Source(name, [text]) for name, text in files.items())


def realistic_texts(folder: Path) -> List[Tuple[str, str]]:
    """(id, text) of every message and every dialogue turn in a part of the realistic set."""
    found = []
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for message in data.get("messages") or []:
            found.append((f"{path.name}:{message.get('id')}", message.get("text") or ""))
        for dialogue in data.get("dialogues") or []:
            for n, turn in enumerate(dialogue.get("turns") or [], 1):
                found.append((f"{path.name}:{dialogue.get('id')} turn {n}", turn))
    return found


def nlu_examples(folder: Path) -> List[Tuple[str, str]]:
    found = []
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu") or []:
            for line in (item.get("examples") or "").splitlines():
                line = re.sub(r"^\s*-\s*", "", line).strip()
                if line:
                    found.append((f"{path.name}:{item.get('intent') or item.get('synonym') or '?'}", line))
    return found


def leaks(texts: List[Tuple[str, str]], sources: Iterable[Source]) -> List[str]:
    found = []
    for where, text in texts:
        for source in sources:
            how = source.leaks(text)
            if how:
                found.append(f'{where} {how} in {source.name}: "{text[:80]}"')
    return found


def test_the_realistic_test_part_is_there():
    texts = realistic_texts(REALISTIC_TEST)
    assert texts, f"no messages in {REALISTIC_TEST.relative_to(ROOT)}/*.yml: nothing is held out"


def test_no_realistic_test_message_is_in_the_training_data_or_the_patterns():
    found = leaks(realistic_texts(REALISTIC_TEST), learned_from())
    assert not found, f"{len(found)} held-out realistic messages leaked:\n" + "\n".join(found[:40])


def test_no_realistic_test_message_is_in_the_dev_part():
    dev = [Source(name, [text]) for name, text in raw_files(REALISTIC_DEV).items()]
    found = leaks(realistic_texts(REALISTIC_TEST), dev)
    assert not found, f"{len(found)} realistic test messages also in the dev part:\n" + "\n".join(found[:40])


def test_every_realistic_message_is_in_the_set_once():
    """A post collected twice is counted twice, and split across the parts it leaks."""
    seen: Dict[str, Set[Tuple[str, ...]]] = {}
    twice = []
    for part in (REALISTIC_DEV, REALISTIC_TEST):
        for path in sorted(part.glob("*.yml")):
            for message in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("messages") or []:
                where = f"{part.name}/{path.name}:{message.get('id')}"
                tokens = words(message.get("text") or "")
                mine = windows(tokens) or {tuple(tokens)}
                twice += [f"{where} repeats {other}" for other, theirs in seen.items() if mine & theirs]
                seen[where] = mine
    assert not twice, f"{len(twice)} messages are in the realistic set twice:\n" + "\n".join(twice[:60])


def test_no_held_out_nlu_example_is_in_the_training_data_or_the_patterns():
    examples = nlu_examples(ROOT / "tests" / "nlu")
    assert len(examples) > 50, "the held-out NLU test set (tests/nlu) is missing"
    # "yes!", "hi!": one or two words cannot be held out from a training set that has "yes", "hi"
    examples = [(where, text) for where, text in examples if len(words(text)) > 2]
    found = leaks(examples, learned_from())
    assert not found, f"{len(found)} held-out NLU examples leaked:\n" + "\n".join(found[:40])


@pytest.mark.parametrize(
    "text, training, leaked",
    [
        (
            "I have been clean since january five and I am afraid I will go back to it this summer",
            "- i have been clean since January five and i am afraid i will go back to it",
            True,
        ),
        ("my ex and I broke up", "- My ex and I broke up!", True),
        (
            "he closed my hand in the door and said i did it",
            "- [he](ex_pronoun) closed my hand in the door and said I did it to myself",
            True,
        ),
        ("i want him back", "- honestly i want him back so much", False),  # short and common: not a copy
        ("he hit me when i tried to leave and now he says sorry every day", "- he hit me", False),
        (
            "A long message that\nwraps across two lines of a comment in a patterns file here",
            "# a long message that wraps across two lines\n# of a comment in a patterns file here",
            True,
        ),
    ],
)
def test_the_comparison_finds_copies_and_only_copies(text, training, leaked):
    assert bool(Source("x", [training]).leaks(text)) is leaked
