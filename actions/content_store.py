"""Loads the advice content (actions/content/) and validates it against its schema.

The content is data, not code: advice cards in YAML, one file per scenario or topic. It is loaded
when the action server starts, which fails loudly on any error, and reloaded when a file changes
(checked at most once a second), so an edited card is served without retraining or a restart.
A reload that fails validation keeps the last good content and logs the error.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from typing import Dict, List, Literal, Optional, Text, Tuple

import yaml
from pydantic import BaseModel, Extra, ValidationError, conlist, constr, root_validator, validator

from actions.pronouns import unknown_placeholders

logger = logging.getLogger(__name__)

CONTENT_DIR = Path(__file__).parent / "content"
# Serve the content from another folder (a copy being edited, or a deployment's own cards):
# set this environment variable before the action server starts.
CONTENT_DIR_ENV = "ADVISOR_CONTENT_DIR"


def content_dir() -> Path:
    """The folder the action server serves: $ADVISOR_CONTENT_DIR when set, else actions/content/."""
    return Path(os.environ.get(CONTENT_DIR_ENV) or CONTENT_DIR)

# Values the triage can give each slot a card may be conditioned on (`when:`). These mirror the
# slot definitions in domain/triage.yml; tests/test_consistency.py keeps the two equal.
CONDITIONS: Dict[Text, Tuple[Text, ...]] = {
    "who_ended": ("ex", "me", "mutual"),
    "breakup_count": ("first", "repeat"),
    "time_since": ("under_2_weeks", "2_weeks_to_2_months", "2_to_6_months", "over_6_months"),
    "ex_behaviour": ("silent", "friendly", "hot_and_cold", "seeing_someone", "hostile", "unknown"),
    "breakup_style": ("sudden", "considered", "pulled_away"),
}

SnakeId = constr(regex=r"^[a-z][a-z0-9_]*$")
NonEmpty = constr(strip_whitespace=True, min_length=1)


class Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        allow_mutation = False


class Scenario(Strict):
    intent: SnakeId
    button: NonEmpty
    summary: NonEmpty


class Topic(Strict):
    intent: SnakeId
    button: NonEmpty
    coaches_reconciliation: bool


class Registry(Strict):
    scenarios: Dict[SnakeId, Scenario]
    topics: Dict[SnakeId, Topic]


class Script(Strict):
    label: NonEmpty
    text: constr(strip_whitespace=True, min_length=1, max_length=700)


class Card(Strict):
    id: SnakeId
    scenario: Optional[SnakeId] = None
    topic: Optional[SnakeId] = None
    title: constr(strip_whitespace=True, min_length=1, max_length=120)
    when: Dict[Text, List[Text]] = {}
    text: constr(strip_whitespace=True, min_length=1, max_length=1400)
    steps: conlist(NonEmpty, max_items=8) = []
    scripts: List[Script] = []
    warnings: List[NonEmpty] = []
    follow_ups: conlist(SnakeId, min_items=1, max_items=5)
    sources: conlist(constr(regex=r"^\d{3}_[0-9a-f]{16}\.txt$"), min_items=1)

    @root_validator(skip_on_failure=True)
    def _one_subject(cls, values):
        if bool(values.get("scenario")) == bool(values.get("topic")):
            raise ValueError("a card has exactly one of `scenario` or `topic`")
        return values

    @validator("when")
    def _known_conditions(cls, when):
        for slot, allowed in when.items():
            if slot not in CONDITIONS:
                raise ValueError(f"unknown condition slot {slot!r}")
            bad = set(allowed) - set(CONDITIONS[slot])
            if not allowed or bad:
                raise ValueError(f"{slot}: values {sorted(bad) or '[]'} not in {CONDITIONS[slot]}")
        return when

    @property
    def subject(self) -> Text:
        return self.scenario or self.topic  # type: ignore[return-value]

    def all_text(self) -> List[Text]:
        return ([self.title, self.text] + list(self.steps) + list(self.warnings)
                + [s.label for s in self.scripts] + [s.text for s in self.scripts])

    def matches(self, slots: Dict[Text, Optional[Text]]) -> bool:
        return all(slots.get(slot) in allowed for slot, allowed in self.when.items())


class ResourceLine(Strict):
    region: NonEmpty
    service: NonEmpty
    contact: NonEmpty


class EmergencyLine(Strict):
    region: NonEmpty
    number: NonEmpty


class SafetyResources(Strict):
    crisis: conlist(ResourceLine, min_items=1)
    abuse: conlist(ResourceLine, min_items=1)
    emergency: conlist(EmergencyLine, min_items=1)

    @validator("crisis", "abuse")
    def _reaches_anywhere(cls, lines):
        if not any(line.region.lower() == "anywhere" for line in lines):
            raise ValueError("each list needs a line for region 'Anywhere' (the international directory)")
        return lines


class Caution(Strict):
    text: constr(strip_whitespace=True, min_length=1, max_length=900)
    sources: conlist(constr(regex=r"^\d{3}_[0-9a-f]{16}\.txt$"), min_items=1)


class Cautions(Strict):
    cautions: Dict[Literal["cheating"], Caution]


class ContentError(ValueError):
    """The content in actions/content/ does not validate."""


class Content:
    """Validated advice content, indexed for the actions."""

    def __init__(self, registry: Registry, cards: List[Card], resources: SafetyResources,
                 sources: Dict[Text, Text], cautions: Dict[Text, Caution]) -> None:
        self.registry = registry
        self.cautions = cautions
        self.cards = cards
        self.resources = resources
        self.sources = sources
        self.by_subject: Dict[Text, List[Card]] = {}
        for card in cards:
            self.by_subject.setdefault(card.subject, []).append(card)
        self.topic_by_intent = {t.intent: tid for tid, t in registry.topics.items()}
        self.scenario_by_intent = {s.intent: sid for sid, s in registry.scenarios.items()}

    def main_card(self, subject: Text) -> Card:
        return next(c for c in self.by_subject[subject] if not c.when)

    def cards_for(self, subject: Text, slots: Dict[Text, Optional[Text]],
                  max_variants: int = 1) -> List[Card]:
        """The main card of a scenario or topic, then up to `max_variants` matching variants
        (one by default: on a phone, two whole cards is already a lot to read)."""
        variants = [c for c in self.by_subject[subject] if c.when and c.matches(slots)]
        return [self.main_card(subject)] + variants[:max_variants]


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: not valid YAML: {exc}") from exc


def _check_cards(registry: Registry, cards: List[Card], sources: Dict[Text, Text]) -> List[Text]:
    problems: List[Text] = []
    subjects = set(registry.scenarios) | set(registry.topics)
    seen_ids: Dict[Text, int] = {}
    for card in cards:
        seen_ids[card.id] = seen_ids.get(card.id, 0) + 1
        if card.scenario and card.scenario not in registry.scenarios:
            problems.append(f"{card.id}: unknown scenario {card.scenario!r}")
        if card.topic and card.topic not in registry.topics:
            problems.append(f"{card.id}: unknown topic {card.topic!r}")
        if not card.id.startswith(card.subject):
            problems.append(f"{card.id}: id must start with its subject {card.subject!r}")
        for follow_up in card.follow_ups:
            if follow_up not in registry.topics:
                problems.append(f"{card.id}: follow-up {follow_up!r} is not a topic")
            if follow_up == card.topic:
                problems.append(f"{card.id}: follows up with its own topic")
        for source in card.sources:
            if source not in sources:
                problems.append(f"{card.id}: source {source!r} is not in sources.yml")
        try:
            unknown = unknown_placeholders(card.all_text())
        except ValueError as exc:
            problems.append(f"{card.id}: bad braces ({exc})")
        else:
            if unknown:
                problems.append(f"{card.id}: unknown placeholders {sorted(unknown)}")
    problems += [f"card id {cid!r} used {n} times" for cid, n in seen_ids.items() if n > 1]
    for subject in sorted(subjects):
        mains = [c for c in cards if c.subject == subject and not c.when]
        if len(mains) != 1:
            problems.append(f"{subject}: needs exactly one card without `when`, has {len(mains)}")
    return problems


def load_content(content_dir: Path = CONTENT_DIR) -> Content:
    """Loads and validates everything under content_dir; raises ContentError listing every problem."""
    problems: List[Text] = []
    try:
        registry = Registry.parse_obj(_read_yaml(content_dir / "topics.yml"))
        resources = SafetyResources.parse_obj(_read_yaml(content_dir / "safety_resources.yml"))
        sources = dict((_read_yaml(content_dir / "sources.yml") or {}).get("sources") or {})
        cautions = Cautions.parse_obj(_read_yaml(content_dir / "cautions.yml")).cautions
    except (ValidationError, OSError) as exc:
        raise ContentError(str(exc)) from exc
    cards: List[Card] = []
    for path in sorted((content_dir / "cards").glob("*.yml")):
        data = _read_yaml(path) or {}
        if not isinstance(data, dict) or set(data) != {"cards"} or not isinstance(data["cards"], list):
            problems.append(f"{path.name}: must hold one top-level `cards:` list")
            continue
        for i, raw in enumerate(data["cards"]):
            try:
                card = Card.parse_obj(raw)
            except ValidationError as exc:
                problems.append(f"{path.name} card #{i}: {exc}")
                continue
            if card.subject != path.stem:
                problems.append(f"{path.name}: card {card.id} belongs in {card.subject}.yml")
            cards.append(card)
    problems += _check_cards(registry, cards, sources)
    problems += [f"caution {name}: source {source!r} is not in sources.yml"
                 for name, caution in cautions.items() for source in caution.sources
                 if source not in sources]
    if problems:
        raise ContentError("advice content is invalid:\n- " + "\n- ".join(problems))
    return Content(registry, cards, resources, sources, cautions)


def _fingerprint(content_dir: Path) -> Tuple[Tuple[Text, float, int], ...]:
    return tuple(sorted((str(p), p.stat().st_mtime, p.stat().st_size)
                        for p in content_dir.rglob("*.yml")))


class ContentStore:
    """Holds the current content; reloads it when a file in the content folder changes."""

    def __init__(self, content_dir: Path = CONTENT_DIR, check_every: float = 1.0) -> None:
        self._dir = content_dir
        self._check_every = check_every
        self._lock = threading.Lock()
        self._stamp = _fingerprint(content_dir)
        self._content = load_content(content_dir)  # start-up: invalid content stops the server
        self._checked = time.monotonic()

    def get(self) -> Content:
        now = time.monotonic()
        if now - self._checked >= self._check_every:
            with self._lock:
                self._checked = now
                stamp = _fingerprint(self._dir)
                if stamp != self._stamp:
                    self._stamp = stamp
                    try:
                        self._content = load_content(self._dir)
                        logger.info("Advice content reloaded from %s", self._dir)
                    except ContentError as exc:
                        logger.error("Kept the previous advice content: %s", exc)
        return self._content


_STORE: Optional[ContentStore] = None


def content() -> Content:
    """The current advice content (loaded on first use, i.e. when the action server starts),
    from content_dir()."""
    global _STORE
    if _STORE is None:
        _STORE = ContentStore(content_dir())
    return _STORE.get()
