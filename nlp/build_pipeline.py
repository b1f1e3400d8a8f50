"""Builds the project's spaCy pipeline: blank English, lookup lemmatizer, and a SpanRuler whose
patterns live in nlp/patterns/*.yml.

Matches go to doc.spans["facts"], where spans of different labels may overlap: "he broke up with
me again" is both who_ended=ex and breakup_count=repeat, and "my boyfriend hit me" both
ex_pronoun=he and red_flag=violence. Within one label the longest match wins (fact_spans), so a
longer figure of speech ("dying to know") beats a shorter crisis phrase it contains.
The patterns file of each label keeps a `vocab:` key of shared word lists for editors; the
builder ignores it.

No pretrained spaCy model can be downloaded here, so the pipeline is assembled from parts that
ship inside PyPI packages (spaCy's tokenizer rules and spacy-lookups-data's lemma table).

Run: python -m nlp.build_pipeline [--out nlp/pipeline]
The output folder is what config.yml's SpacyNLP `model:` points at. Rasa loads it when the server
starts and does not pack it into the trained model, so a pattern edit needs a rebuild and a
restart, never retraining.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path
from typing import Any, Dict, List

import spacy
import yaml
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

HERE = Path(__file__).parent
PATTERN_DIR = HERE / "patterns"
DEFAULT_OUT = HERE / "pipeline"
SPANS_KEY = "facts"
# Any label may have patterns with this id: a longer phrase that says a shorter match is not what
# it seems ("kicked me out" is not violence, "I showed up uninvited" is not the ex stalking). It
# hides the matches it contains, then is dropped itself. Useful because a token pattern cannot
# say "followed by nothing", so "he kicked me" plus an ignored "kicked me out" catches both ends.
IGNORE = "ignore"

# Every label the extractor may emit, with the ids (normalised values) its patterns may carry.
# time_since carries no id: its text ("three weeks ago") is parsed into a date by the actions.
LABEL_IDS: Dict[str, List[str]] = {
    "crisis": ["self_harm", "self_harm_past", "figurative", "distress_word"],
    "red_flag": ["violence", "threat", "sexual_coercion", "control", "stalking", "cheating"],
    "who_ended": ["ex", "me", "mutual"],
    "breakup_count": ["first", "repeat"],
    "time_since": [],
    "no_contact": ["started", "slip"],
    "ex_behaviour": ["silent", "friendly", "hot_and_cold", "seeing_someone", "hostile"],
    "ex_pronoun": ["he", "she", "they"],
    "breakup_style": ["sudden", "considered", "pulled_away"],
    "country": ["US", "CA", "GB", "IE", "AU", "NZ", "DE", "FR", "ES"],
    # What a draft message to the ex says, read only by the message workshop (nlp/patterns/workshop.yml).
    "draft": [
        "begging",
        "guilt",
        "pressure",
        "jealousy",
        "relationship_talk",
        "unloading",
        "apology_again",
        "threat",
        "warm",
        "no_pressure",
        "ownership",
        "question",
        "purpose_apology",
        "purpose_meet",
        "purpose_reply",
        "purpose_why",
        "purpose_space",
        "lead_in",
        "quit",
    ],
}
# Labels kept apart from the facts the NLU reads: their spans never become entities.
DRAFT_LABEL = "draft"
# The workshop's checks: an `ignore` match hides these lookalikes, never what already works.
DRAFT_CHECKS = (
    "begging",
    "guilt",
    "pressure",
    "jealousy",
    "relationship_talk",
    "unloading",
    "apology_again",
    "threat",
)


STRING_ATTRS = {"LOWER", "TEXT", "ORTH", "LEMMA", "NORM"}
# A pattern token may say {LOWER: {IN: "@names"}}: any first name of nlp/names.yml (the list the
# ex's pronoun is read from), so "jake called it off" is read like "he called it off".
NAMES_FILE = HERE / "names.yml"
NAMES_REF = "@names"


def _names() -> List[str]:
    data = yaml.safe_load(NAMES_FILE.read_text(encoding="utf-8")) or {}
    return sorted({name for key in ("he", "she") for name in data.get(key) or []})


def _expand_names(pattern: Any, names: List[str]) -> Any:
    if isinstance(pattern, str):
        return pattern
    expanded = []
    for token in pattern:
        token = dict(token)
        for attr, value in token.items():
            if isinstance(value, dict) and value.get("IN") == NAMES_REF:
                token[attr] = dict(value, IN=names)
        expanded.append(token)
    return expanded


def _check_strings(pattern: Any) -> None:
    """YAML reads unquoted on/off/yes/no as booleans, and a boolean never matches a word: refuse
    them where a word is expected, so the pattern can't fail silently."""
    if isinstance(pattern, str):
        return
    for token in pattern:
        for attr, value in token.items():
            if attr not in STRING_ATTRS:
                continue
            if isinstance(value, dict):
                values = [v for key in ("IN", "NOT_IN") for v in (value.get(key) or [])]
            else:
                values = [value]
            bad = [v for v in values if not isinstance(v, str)]
            if bad:
                raise ValueError(f"{attr} expects words, got {bad}: quote on/off/yes/no in YAML")


def load_patterns(pattern_dir: Path = PATTERN_DIR) -> List[Dict[str, Any]]:
    """Reads every patterns file and returns SpanRuler patterns, checking labels and ids."""
    patterns: List[Dict[str, Any]] = []
    names = _names()
    for path in sorted(pattern_dir.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        label = doc.get("label")
        if label not in LABEL_IDS:
            raise ValueError(f"{path.name}: unknown label {label!r}")
        for i, entry in enumerate(doc.get("patterns") or []):
            ident = entry.get("id")
            allowed = LABEL_IDS[label]
            if ident == IGNORE:
                pass
            elif allowed and ident not in allowed:
                raise ValueError(f"{path.name} #{i}: id {ident!r} not in {allowed}")
            if not allowed and ident not in (None, IGNORE):
                raise ValueError(f"{path.name} #{i}: label {label} takes no id")
            pattern = _expand_names(entry.get("pattern"), names)
            if not isinstance(pattern, (str, list)) or not pattern:
                raise ValueError(f"{path.name} #{i}: pattern must be a phrase or a token list")
            try:
                _check_strings(pattern)
            except ValueError as exc:
                raise ValueError(f"{path.name} #{i}: {exc}") from exc
            item: Dict[str, Any] = {"label": label, "pattern": pattern}
            if ident:
                item["id"] = ident
            patterns.append(item)
    return patterns


def patterns_fingerprint(pattern_dir: Path = PATTERN_DIR) -> str:
    digest = hashlib.sha256()
    for path in sorted(pattern_dir.glob("*.yml")) + [NAMES_FILE, Path(__file__)]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


# Labels that compete for the same words, where a longer match says what a shorter one inside it
# really means: "he threatened suicide" is a threat by the ex, not the user's crisis; "he hit me
# up" is friendly contact, not violence; "he left me on read" is silence, not who ended it.
# The other labels (pronoun, count, style, time) are independent facts and never hide each other.
COMPETING_LABELS = {label: "what_happened" for label in ("crisis", "red_flag", "ex_behaviour", "who_ended")}


def fact_spans(doc: Doc) -> List[Span]:
    """The pattern matches of a Doc: overlaps between labels kept, except that within a label
    (or a group of COMPETING_LABELS) the longest match wins."""
    groups: Dict[str, List[Span]] = {}
    for span in doc.spans.get(SPANS_KEY, []):
        if span.label_ == DRAFT_LABEL:
            continue
        groups.setdefault(COMPETING_LABELS.get(span.label_, span.label_), []).append(span)
    kept = [span for spans in groups.values() for span in filter_spans(spans) if span.id_ != IGNORE]
    return sorted(kept, key=lambda span: (span.start, span.label_))


def draft_spans(doc: Doc) -> List[Span]:
    """The message workshop's matches: within each id the longest match wins, and an `ignore`
    match hides every match of a check (DRAFT_CHECKS) it contains, then is dropped. Matches of different ids
    may overlap ("please answer me" is both begging and pressure)."""
    spans = [s for s in doc.spans.get(SPANS_KEY, []) if s.label_ == DRAFT_LABEL]
    ignored = [s for s in spans if s.id_ == IGNORE]
    by_id: Dict[str, List[Span]] = {}
    for span in spans:
        hidden = span.id_ in DRAFT_CHECKS and any(
            i.start <= span.start and span.end <= i.end for i in ignored
        )
        if span.id_ != IGNORE and not hidden:
            by_id.setdefault(span.id_, []).append(span)
    kept = [span for group in by_id.values() for span in filter_spans(group)]
    return sorted(kept, key=lambda span: (span.start, span.id_))


def build(out: Path = DEFAULT_OUT) -> spacy.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    # String patterns match on lower-cased text, so "End my life" matches "end my life".
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": SPANS_KEY, "phrase_matcher_attr": "LOWER"})
    nlp.initialize()
    # initialize() clears a ruler's patterns: add them afterwards.
    ruler.add_patterns(load_patterns())
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    (out / "PATTERNS_SHA256").write_text(patterns_fingerprint() + "\n")
    return nlp


def is_stale(out: Path = DEFAULT_OUT) -> bool:
    stamp = out / "PATTERNS_SHA256"
    return not stamp.exists() or stamp.read_text().strip() != patterns_fingerprint()


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--if-stale", action="store_true", help="rebuild only when patterns changed")
    args = parser.parse_args(argv)
    if args.if_stale and not is_stale(args.out):
        print(f"spaCy pipeline up to date: {args.out}")
        return 0
    nlp = build(args.out)
    count = len(nlp.get_pipe("span_ruler").patterns)
    print(f"spaCy pipeline built: {args.out} ({count} patterns, pipes: {', '.join(nlp.pipe_names)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
