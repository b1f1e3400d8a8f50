"""The message workshop's checks, pure: a draft (its text) and the user's situation in, the
checks it fails and what already works out. No Rasa, no I/O: tests/test_workshop.py runs them
directly.

Each check is a rule from the articles (reasons and sources in actions/content/workshop.yml):
- the spaCy patterns of nlp/patterns/workshop.yml (label `draft`): begging, guilt, pressure,
  jealousy, relationship talk, unloading, apologising again, threats;
- more than one question (question marks, a run of them counting once);
- too long (more words than `limits.long_words`);
- timing: during no contact, before day `limits.wait_before_day`, the advice is to wait (not for a
  reply to the ex or a message saying you're stepping back).
Relationship talk is fine once the ex is already talking warmly (ex_behaviour `friendly`).
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Tuple

from actions.workshop_content import CHECKS, Shape, WorkshopTexts
from nlp.build_pipeline import DEFAULT_OUT, build, draft_spans, is_stale

logger = logging.getLogger(__name__)

APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
# Not a reason to wait: answering the ex, or telling them you're stepping back.
TIMING_EXEMPT = ("purpose_reply", "purpose_space")
MAX_PHRASE_WORDS = 8


@dataclass(frozen=True)
class Situation:
    """What the advisor knows that changes the verdict."""

    day: Optional[int] = None  # day of no contact, when a count runs
    ex_behaviour: Optional[Text] = None


@dataclass
class Result:
    words: int
    questions: int
    said: Dict[Text, List[Text]] = field(default_factory=dict)  # pattern id -> matched phrases
    problems: List[Text] = field(default_factory=list)  # check ids, in CHECKS order
    strengths: List[Tuple[Text, Optional[Text]]] = field(default_factory=list)  # (key, phrase)
    shape: Optional[Shape] = None
    day: Optional[int] = None

    @property
    def passes(self) -> bool:
        return not self.problems

    @property
    def threat(self) -> bool:
        return "threat" in self.problems


def normalise(text: Text) -> Text:
    return text.translate(APOSTROPHES)


def word_count(doc: Any) -> int:
    return sum(1 for t in doc if any(c.isalpha() for c in t.text))


def question_count(spans) -> int:
    """Question marks, a run of them ("??", "? ?") counting once."""
    count, last_end = 0, None
    for span in spans:
        if span.id_ != "question":
            continue
        if last_end is None or span.start > last_end:
            count += 1
        last_end = span.end
    return count


def _phrase(span) -> Text:
    words = span.text.split()
    return " ".join(words[:MAX_PHRASE_WORDS]) + ("..." if len(words) > MAX_PHRASE_WORDS else "")


def check_draft(text: Text, nlp: Any, situation: Situation, texts: WorkshopTexts) -> Result:
    doc = nlp(normalise(text))
    spans = draft_spans(doc)
    said: Dict[Text, List[Text]] = {}
    for span in spans:
        if span.id_ not in ("question", "lead_in", "quit"):
            said.setdefault(span.id_, []).append(_phrase(span))
    result = Result(words=word_count(doc), questions=question_count(spans), said=said, day=situation.day)
    limits = texts.limits
    failed = set(s for s in said if s in CHECKS)
    if situation.ex_behaviour == "friendly":
        failed.discard("relationship_talk")
    if (
        situation.day is not None
        and 0 <= situation.day < limits.wait_before_day
        and not any(p in said for p in TIMING_EXEMPT)
    ):
        failed.add("timing")
    if result.questions > 1:
        failed.add("questions")
    if result.words > limits.long_words:
        failed.add("too_long")
    result.problems = [c for c in CHECKS if c in failed]
    result.strengths = strengths(result, situation, texts)
    if result.problems and not result.threat and result.problems != ["timing"]:
        # (a draft whose only problem is the day needs no other wording)
        result.shape = texts.shape_for(list(said) + result.problems)
    return result


def strengths(
    result: Result, situation: Situation, texts: WorkshopTexts
) -> List[Tuple[Text, Optional[Text]]]:
    """What already works, most concrete first: the phrases that work, then length, questions
    and timing. "You're checking it first" when nothing else does."""
    found: List[Tuple[Text, Optional[Text]]] = []
    for key in ("warm", "no_pressure", "ownership"):
        if key in result.said:
            found.append((key, result.said[key][0]))
    failed = set(result.problems)
    if result.words <= texts.limits.long_words // 2 and not failed & {"unloading", "begging"}:
        found.append(("short", None))
    if result.questions == 1 and not failed & {"pressure", "jealousy", "relationship_talk", "guilt"}:
        found.append(("one_question", None))
    elif result.questions == 0 and not failed & {"pressure", "guilt", "begging"}:
        found.append(("no_question", None))
    if situation.day is not None and situation.day >= texts.limits.wait_before_day:
        found.append(("waited", None))
    return found or [("checking", None)]


# --- the spaCy pipeline ---------------------------------------------------------------------

_NLP: Dict[Text, Any] = {}


def pipeline() -> Any:
    """The project's spaCy pipeline (nlp/pipeline, built by `make pipeline`); built in a
    temporary folder when it is missing or older than the patterns."""
    if "nlp" not in _NLP:
        import spacy

        if not is_stale(DEFAULT_OUT):
            _NLP["nlp"] = spacy.load(DEFAULT_OUT)
        else:
            logger.warning("nlp/pipeline is missing or stale: building the patterns in memory")
            _NLP["nlp"] = build(Path(tempfile.mkdtemp(prefix="workshop-pipeline-")) / "pipeline")
    return _NLP["nlp"]
