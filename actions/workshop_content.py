"""The message workshop's texts (actions/content/workshop.yml): each check's change and reason
with the articles it comes from, the lines for what already works, the replies, and which
authored script is offered as a shape for what a draft is trying to do.

Validated with the same strict pydantic models as the advice cards, when the action server starts
and in the tests, and read through actions/content_files.py like every content file (from
$ADVISOR_CONTENT_DIR when set, reloaded when a file changes): every source must be in sources.yml, every
check must be one the workshop runs, every shape must name a card and one of its scripts."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Literal, Text, Tuple

from pydantic import ValidationError, conint, conlist, constr, validator

from actions.content_files import CONTENT_DIR, ContentError, current, read_yaml
from actions.content_store import NonEmpty, SourceId, Strict, content

FILE = "workshop.yml"
PATH = CONTENT_DIR / FILE  # in the default folder

# The checks, in the order they are shown; all but the last three are pattern ids of
# nlp/patterns/workshop.yml (label `draft`).
CHECKS = (
    "threat",
    "timing",
    "begging",
    "pressure",
    "guilt",
    "unloading",
    "jealousy",
    "apology_again",
    "relationship_talk",
    "questions",
    "too_long",
)
PATTERN_CHECKS = (
    "threat",
    "begging",
    "pressure",
    "guilt",
    "unloading",
    "jealousy",
    "apology_again",
    "relationship_talk",
)
STRENGTHS = ("short", "one_question", "no_question", "warm", "no_pressure", "ownership", "waited", "checking")
PURPOSES = ("purpose_apology", "purpose_meet", "purpose_reply", "purpose_why", "purpose_space")
TEXTS = (
    "ask",
    "ask_again",
    "clear",
    "needs_work",
    "wait_only",
    "works",
    "change",
    "more",
    "shape",
    "sources",
    "threat",
    "threat_help",
    "not_english",
    "blocked",
    "done",
    "quit",
)
Line = constr(strip_whitespace=True, min_length=1, max_length=140)


def require_every(field: Text, keys: Tuple[Text, ...], given: Dict[Text, object]) -> Dict[Text, object]:
    """`given` itself, when it has every one of `keys`."""
    missing = [key for key in keys if key not in given]
    if missing:
        raise ValueError(f"{field} missing: {missing}")
    return given


class Limits(Strict):
    long_words: conint(ge=20, le=200)
    wait_before_day: conint(ge=1, le=120)
    max_changes: conint(ge=1, le=6)


class Check(Strict):
    change: Line
    reason: Line
    sources: conlist(SourceId, min_items=1, max_items=3)


class Shape(Strict):
    when: List[Literal[PATTERN_CHECKS + PURPOSES + ("questions", "too_long", "timing")]] = []
    card: NonEmpty
    script: NonEmpty


class WorkshopTexts(Strict):
    limits: Limits
    checks: Dict[Literal[CHECKS], Check]
    strengths: Dict[Literal[STRENGTHS], Line]
    texts: Dict[Literal[TEXTS], constr(strip_whitespace=True, min_length=1, max_length=400)]
    shapes: conlist(Shape, min_items=1)

    @validator("checks")
    def _every_check(cls, checks):
        require_every("checks", CHECKS, checks)
        if tuple(checks) != CHECKS:
            raise ValueError(f"checks must be listed in this order: {CHECKS}")
        return checks

    @validator("strengths")
    def _every_strength(cls, strengths):
        return require_every("strengths", STRENGTHS, strengths)

    @validator("texts")
    def _every_text(cls, texts):
        return require_every("texts", TEXTS, texts)

    @validator("shapes")
    def _a_default_last(cls, shapes):
        if shapes[-1].when:
            raise ValueError("the last shape is the default: no `when`")
        if any(not s.when for s in shapes[:-1]):
            raise ValueError("only the last shape may have no `when`")
        return shapes

    def shape_for(self, said: List[Text]) -> Shape:
        """The first shape whose `when` names something the draft says; else the default."""
        for shape in self.shapes:
            if not shape.when or set(shape.when) & set(said):
                return shape
        return self.shapes[-1]


def load_workshop_texts(path: Path = PATH) -> WorkshopTexts:
    try:
        texts = WorkshopTexts.parse_obj(read_yaml(path))
    except (ValidationError, OSError) as exc:
        raise ContentError(f"{path.name}: {exc}") from exc
    current = content()
    citable = set(current.sources) | set(current.guides)
    problems = [
        f"check {name}: source {s!r} is not in sources.yml"
        for name, check in texts.checks.items()
        for s in check.sources
        if s not in citable
    ]
    by_id = {card.id: card for card in current.cards}
    for shape in texts.shapes:
        card = by_id.get(shape.card)
        if card is None:
            problems.append(f"shape: no card {shape.card!r}")
        elif shape.script not in [s.label for s in card.scripts]:
            problems.append(f"shape: card {shape.card!r} has no script {shape.script!r}")
    if problems:
        raise ContentError("workshop.yml is invalid:\n- " + "\n- ".join(problems))
    return texts


def workshop_texts() -> WorkshopTexts:
    """The current texts, from the content folder in use."""
    return current("workshop texts", lambda folder: load_workshop_texts(folder / FILE))
