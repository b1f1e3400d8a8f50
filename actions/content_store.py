"""Loads the advice content (actions/content/) and validates it against its schema.

The content is data, not code: advice cards in YAML, one file per scenario or topic. It is read
through actions/content_files.py like every content file: from $ADVISOR_CONTENT_DIR when set,
loaded when the action server starts, which fails loudly on any error, and reloaded when a file
changes (checked at most once a second), so an edited card is served without retraining or a
restart. A reload that fails validation keeps the last good content and logs the error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Literal, Optional, Text, Tuple

from pydantic import BaseModel, Extra, ValidationError, conlist, constr, root_validator, validator

from actions.content_files import (  # noqa: F401 (CONTENT_DIR_ENV and content_dir: for callers)
    CHECK_EVERY,
    CONTENT_DIR,
    CONTENT_DIR_ENV,
    ContentError,
    Reloading,
    content_dir,
    held,
    read_yaml,
)
from actions.pronouns import unknown_placeholders


# Values the triage can give each slot a card may be conditioned on (`when:`). These mirror the
# slot definitions in domain/triage.yml; tests/test_consistency.py keeps the two equal.
CONDITIONS: Dict[Text, Tuple[Text, ...]] = {
    "who_ended": ("ex", "me", "mutual"),
    "breakup_count": ("first", "repeat"),
    "time_since": ("under_2_weeks", "2_weeks_to_2_months", "2_to_6_months", "over_6_months"),
    "ex_behaviour": ("silent", "friendly", "hot_and_cold", "seeing_someone", "hostile", "unknown"),
    "breakup_style": ("sudden", "considered", "pulled_away"),
}

# Word budgets for the parts of a card, counted as words separated by spaces. A card is read on a
# phone: the summary comes first and has to fit on one screen without scrolling, and a step or a
# script is one bubble the user can take in at a glance (a script, one they could send as it is).
SUMMARY_WORDS = 60
STEP_WORDS = 30
SCRIPT_WORDS = 70


def count_words(text: Text) -> int:
    """The number of words in text, as the budgets count them."""
    return len(text.split())


SnakeId = constr(regex=r"^[a-z][a-z0-9_]*$")
NonEmpty = constr(strip_whitespace=True, min_length=1)
# A source is one of the five articles (its file name) or a page of public guidance by a
# domestic-abuse service (an id listed under `guidance:` in sources.yml).
SourceId = constr(regex=r"^(\d{3}_[0-9a-f]{16}\.txt|guide_[a-z0-9_]+)$")
# Whether a text may be shown once the user has disclosed abuse. Every card, and every part of
# the no-contact tracker, says so itself: there is no default.
AfterAbuse = Literal["safe", "blocked"]


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
    # After abuse was disclosed, a topic whose main card is blocked answers with this topic
    # instead (e.g. couples counselling -> counselling and support groups for you alone).
    after_abuse_instead: Optional[SnakeId] = None


class Pointer(Strict):
    """A line under a card leading to the crisis or the abuse reply, with its button."""

    text: NonEmpty
    button: NonEmpty
    payload: Literal["/express_crisis", "/disclose_abuse"]


class Registry(Strict):
    scenarios: Dict[SnakeId, Scenario]
    topics: Dict[SnakeId, Topic]
    # The topics offered, in this order, right after a disclosure of abuse.
    survivor_path: conlist(SnakeId, min_items=1, max_items=8)
    pointers: Dict[Literal["crisis", "abuse"], Pointer]


class Script(Strict):
    label: NonEmpty
    text: constr(strip_whitespace=True, min_length=1, max_length=700)


class Card(Strict):
    id: SnakeId
    scenario: Optional[SnakeId] = None
    topic: Optional[SnakeId] = None
    title: constr(strip_whitespace=True, min_length=1, max_length=120)
    when: Dict[Text, List[Text]] = {}
    # The heart of the card for this situation, shown first (at most SUMMARY_WORDS words); the
    # rest (text, steps, scripts, warnings) is shown part by part when the user asks for it.
    summary: constr(strip_whitespace=True, min_length=1, max_length=500)
    text: constr(strip_whitespace=True, min_length=1, max_length=1400)
    steps: conlist(NonEmpty, max_items=8) = []
    scripts: List[Script] = []
    warnings: List[NonEmpty] = []
    follow_ups: conlist(SnakeId, min_items=1, max_items=5)
    sources: conlist(SourceId, min_items=1)
    after_abuse: AfterAbuse
    # A line under the card leading to the crisis reply or the abuse reply (see topics.yml).
    pointer: Optional[Literal["crisis", "abuse"]] = None
    # Other variants of the same subject shown right after this one when they match too.
    shown_with: List[SnakeId] = []

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

    def over_budget(self) -> List[Text]:
        """The parts of the card longer than their word budget, described."""
        found = []
        if count_words(self.summary) > SUMMARY_WORDS:
            found.append(f"summary has {count_words(self.summary)} words (at most {SUMMARY_WORDS})")
        for i, step in enumerate(self.steps, 1):
            if count_words(step) > STEP_WORDS:
                found.append(f"step {i} has {count_words(step)} words (at most {STEP_WORDS})")
        for script in self.scripts:
            if count_words(script.text) > SCRIPT_WORDS:
                found.append(
                    f"script {script.label!r} has {count_words(script.text)} words (at most {SCRIPT_WORDS})"
                )
        return found

    @property
    def subject(self) -> Text:
        return self.scenario or self.topic  # type: ignore[return-value]

    def all_text(self) -> List[Text]:
        return (
            [self.title, self.summary, self.text]
            + list(self.steps)
            + list(self.warnings)
            + [s.label for s in self.scripts]
            + [s.text for s in self.scripts]
        )

    def matches(self, slots: Dict[Text, Optional[Text]]) -> bool:
        return all(slots.get(slot) in allowed for slot, allowed in self.when.items())


CountryCode = constr(regex=r"^[A-Z]{2}$")  # ISO 3166-1 alpha-2


class ResourceLine(Strict):
    region: NonEmpty
    countries: List[CountryCode] = []  # whose line it is; none for the international directory
    service: NonEmpty
    contact: NonEmpty


class EmergencyLine(Strict):
    region: NonEmpty
    countries: List[CountryCode] = []
    number: NonEmpty


class SafetyResources(Strict):
    countries: Dict[CountryCode, NonEmpty] = {}  # the countries with lines, and their names
    crisis: conlist(ResourceLine, min_items=1)
    abuse: conlist(ResourceLine, min_items=1)
    emergency: conlist(EmergencyLine, min_items=1)

    @root_validator(skip_on_failure=True)
    def _countries_named(cls, values):
        for kind in ("crisis", "abuse", "emergency"):
            for line in values[kind]:
                unknown = [c for c in line.countries if c not in values["countries"]]
                if unknown:
                    raise ValueError(f"{kind} {line.region}: countries {unknown} not under `countries:`")
        return values

    @validator("crisis", "abuse")
    def _reaches_anywhere(cls, lines):
        if not any(line.region.lower() == "anywhere" for line in lines):
            raise ValueError("each list needs a line for region 'Anywhere' (the international directory)")
        return lines


class Caution(Strict):
    text: constr(strip_whitespace=True, min_length=1, max_length=900)
    sources: conlist(SourceId, min_items=1)


class Cautions(Strict):
    cautions: Dict[Literal["cheating"], Caution]


class Guide(Strict):
    """A page of public guidance by a domestic-abuse service, cited by the survivor cards."""

    title: NonEmpty
    publisher: NonEmpty
    url: constr(regex=r"^https?://\S+$")


class Wording(Strict):
    """Phrasings never shown after abuse: they blame the user or coach reconciliation."""

    forbidden_after_abuse: conlist(constr(strip_whitespace=True, min_length=3), min_items=1)

    def found_in(self, text: Text) -> List[Text]:
        folded = " ".join(text.lower().replace("\u2019", "'").split())
        return [p for p in self.forbidden_after_abuse if p.lower() in folded]


class Content:
    """Validated advice content, indexed for the actions."""

    def __init__(
        self,
        registry: Registry,
        cards: List[Card],
        resources: SafetyResources,
        sources: Dict[Text, Text],
        cautions: Dict[Text, Caution],
        guides: Optional[Dict[Text, Guide]] = None,
        wording: Optional[Wording] = None,
    ) -> None:
        self.registry = registry
        self.guides = guides or {}
        self.wording = wording
        self.cautions = cautions
        self.cards = cards
        self.resources = resources
        self.sources = sources
        self.by_subject: Dict[Text, List[Card]] = {}
        for card in cards:
            self.by_subject.setdefault(card.subject, []).append(card)
        self.topic_by_intent = {t.intent: tid for tid, t in registry.topics.items()}
        self.scenario_by_intent = {s.intent: sid for sid, s in registry.scenarios.items()}

    def source_title(self, source: Text) -> Optional[Text]:
        """What a reader sees for a cited source: an article's title, or a guide's title and
        publisher. Never the file name or id."""
        if source in self.sources:
            return self.sources[source]
        guide = self.guides.get(source)
        return f"{guide.title} ({guide.publisher})" if guide else None

    def main_card(self, subject: Text) -> Card:
        return next(c for c in self.by_subject[subject] if not c.when)

    def cleared_after_abuse(self, topic_id: Text) -> bool:
        """Whether a topic may be given once abuse was disclosed: its main card says so."""
        return self.main_card(topic_id).after_abuse == "safe"

    def cards_for(
        self,
        subject: Text,
        slots: Dict[Text, Optional[Text]],
        max_variants: int = 1,
        after_abuse: bool = False,
    ) -> List[Card]:
        """The main card of a scenario or topic, then up to `max_variants` matching variants
        (one by default: on a phone, two whole cards is already a lot to read).

        The rule: variants are tried in the order of their file, and only the first that matches
        is shown, plus any variant it names in `shown_with` that matches too (a sudden breakup
        in its first days gets both of its cards). After abuse, blocked variants are skipped."""
        variants = [
            c
            for c in self.by_subject[subject]
            if c.when and c.matches(slots) and not (after_abuse and c.after_abuse == "blocked")
        ]
        chosen = variants[:max_variants]
        for card in list(chosen):
            chosen += [v for v in variants if v.id in card.shown_with and v not in chosen]
        return [self.main_card(subject)] + chosen


def _check_cards(
    registry: Registry, cards: List[Card], sources: Dict[Text, Text], wording: Optional[Wording] = None
) -> List[Text]:
    problems: List[Text] = []
    by_id = {card.id: card for card in cards}
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
        for other in card.shown_with:
            if other not in by_id or by_id[other].subject != card.subject or not by_id[other].when:
                problems.append(f"{card.id}: shown_with {other!r} is not a variant of {card.subject}")
        problems += [f"{card.id}: {part}" for part in card.over_budget()]
        if card.after_abuse == "safe":
            topic = registry.topics.get(card.topic or "")
            if card.scenario or (topic and topic.coaches_reconciliation):
                problems.append(f"{card.id}: a card about getting back together can't be safe after abuse")
            if wording:
                for phrase in wording.found_in(" ".join(card.all_text())):
                    problems.append(f"{card.id}: safe after abuse, but says {phrase!r}")
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
    mains = {c.subject: c for c in cards if not c.when}
    cleared = {t for t in registry.topics if t in mains and mains[t].after_abuse == "safe"}
    for tid in registry.survivor_path:
        if tid not in cleared:
            problems.append(f"survivor_path: {tid!r} is not a topic whose main card is safe after abuse")
    for tid, topic in registry.topics.items():
        if topic.after_abuse_instead and topic.after_abuse_instead not in cleared:
            problems.append(
                f"{tid}: after_abuse_instead {topic.after_abuse_instead!r} is not safe after abuse"
            )
        if topic.after_abuse_instead and tid in cleared:
            problems.append(f"{tid}: safe after abuse itself, so after_abuse_instead is never used")
    for card in cards:
        if card.pointer and card.pointer not in registry.pointers:
            problems.append(f"{card.id}: pointer {card.pointer!r} is not defined in topics.yml")
    return problems


def load_content(directory: Path = CONTENT_DIR) -> Content:
    """Loads and validates everything under directory; raises ContentError listing every problem."""
    problems: List[Text] = []
    try:
        registry = Registry.parse_obj(read_yaml(directory / "topics.yml"))
        resources = SafetyResources.parse_obj(read_yaml(directory / "safety_resources.yml"))
        cited = read_yaml(directory / "sources.yml") or {}
        sources = dict(cited.get("sources") or {})
        guides = {gid: Guide.parse_obj(g) for gid, g in (cited.get("guidance") or {}).items()}
        cautions = Cautions.parse_obj(read_yaml(directory / "cautions.yml")).cautions
        wording = Wording.parse_obj(read_yaml(directory / "survivor_wording.yml"))
    except (ValidationError, OSError) as exc:
        raise ContentError(str(exc)) from exc
    problems += [
        f"guidance id {gid!r} must start with 'guide_'" for gid in guides if not gid.startswith("guide_")
    ]
    cards: List[Card] = []
    for path in sorted((directory / "cards").glob("*.yml")):
        data = read_yaml(path) or {}
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
    citable = {**sources, **{gid: g.title for gid, g in guides.items()}}
    problems += _check_cards(registry, cards, citable, wording)
    problems += [
        f"caution {name}: source {source!r} is not in sources.yml"
        for name, caution in cautions.items()
        for source in caution.sources
        if source not in citable
    ]
    if problems:
        raise ContentError("advice content is invalid:\n- " + "\n- ".join(problems))
    return Content(registry, cards, resources, sources, cautions, guides, wording)


ADVICE = "advice content"


class ContentStore(Reloading[Content]):
    """Holds the advice content of one folder, reloaded by the rule of actions/content_files.py."""

    def __init__(self, directory: Path = CONTENT_DIR, check_every: float = CHECK_EVERY) -> None:
        super().__init__(ADVICE, load_content, directory, check_every)


# The store content() served last: the one for the folder in use.
_STORE: Optional[Reloading[Content]] = None


def content() -> Content:
    """The current advice content (loaded on first use, i.e. when the action server starts),
    from content_dir()."""
    global _STORE
    _STORE = held(ADVICE, load_content)
    return _STORE.get()
