"""The no-contact tracker's texts (actions/content/no_contact_tracker.yml): the guidance at 14, 30
and 60 days and after a slip. Validated with the same strict pydantic models as the advice cards,
when the action server starts and in the tests. Read through actions/content_files.py, like every
content file: from $ADVISOR_CONTENT_DIR when set, and reloaded when a file changes.

Every guidance says whether it may be shown after abuse (`after_abuse: safe|blocked`); a blocked
one carries `after_abuse_version:` its own words for that moment (no contact as protection), which
`shown(blocked)` returns instead."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Text

from pydantic import ValidationError, conlist, constr, validator

from actions.content_files import CONTENT_DIR, ContentError, current, read_yaml
from actions.content_store import AfterAbuse, NonEmpty, SnakeId, SourceId, Strict, content

FILE = "no_contact_tracker.yml"
PATH = CONTENT_DIR / FILE  # in the default folder
MILESTONE_DAYS = (14, 30, 60)
Source = SourceId


class SurvivorVersion(Strict):
    """What a guidance says instead once the user has disclosed abuse."""

    title: constr(strip_whitespace=True, min_length=1, max_length=120)
    text: constr(strip_whitespace=True, min_length=1, max_length=1200)
    steps: conlist(NonEmpty, max_items=5) = []
    follow_ups: conlist(SnakeId, max_items=4) = []
    sources: conlist(Source, min_items=1)


class Guidance(Strict):
    title: constr(strip_whitespace=True, min_length=1, max_length=120)
    text: constr(strip_whitespace=True, min_length=1, max_length=1200)
    steps: conlist(NonEmpty, max_items=5) = []
    # About getting back in touch: never shown once reconciliation is blocked.
    reconnect: Optional[NonEmpty] = None
    sources: conlist(Source, min_items=1)
    after_abuse: AfterAbuse
    after_abuse_version: Optional[SurvivorVersion] = None

    @validator("after_abuse_version", always=True)
    def _blocked_has_a_survivor_version(cls, version, values):
        if values.get("after_abuse") == "blocked" and version is None:
            raise ValueError("a guidance blocked after abuse needs its after_abuse_version")
        if values.get("after_abuse") == "safe" and version is not None:
            raise ValueError("a guidance safe after abuse has no after_abuse_version")
        return version

    def all_text(self) -> List[Text]:
        return [self.title, self.text, *self.steps] + ([self.reconnect] if self.reconnect else [])

    def shown(self, blocked: bool) -> "Guidance":
        """This guidance as shown to the user: its survivor version once abuse was disclosed."""
        if not blocked or self.after_abuse == "safe":
            return self
        version = self.after_abuse_version
        update = {
            "title": version.title,
            "text": version.text,
            "steps": version.steps,
            "reconnect": None,
            "sources": version.sources,
            "after_abuse": "safe",
            "after_abuse_version": None,
        }
        if isinstance(self, Milestone):
            update["follow_ups"] = version.follow_ups or self.follow_ups
        return self.copy(update=update)


class Milestone(Guidance):
    day: int
    follow_ups: conlist(SnakeId, min_items=1, max_items=4)


class TrackerTexts(Strict):
    milestones: List[Milestone]
    relapse: Guidance

    @validator("milestones")
    def _the_three_milestones(cls, milestones):
        days = tuple(m.day for m in milestones)
        if days != MILESTONE_DAYS:
            raise ValueError(f"milestones must be for days {MILESTONE_DAYS} in order, not {days}")
        return milestones

    def milestone(self, day: int) -> Milestone:
        return next(m for m in self.milestones if m.day == day)

    def all_guidance(self) -> List[Guidance]:
        return [*self.milestones, self.relapse]


def load_tracker_texts(path: Path = PATH) -> TrackerTexts:
    try:
        texts = TrackerTexts.parse_obj(read_yaml(path))
    except (ValidationError, OSError) as exc:
        raise ContentError(f"{path.name}: {exc}") from exc
    current = content()
    citable = set(current.sources) | set(current.guides)
    shown = [g.shown(blocked) for g in texts.all_guidance() for blocked in (False, True)]
    problems = [
        f"{g.title}: source {s!r} is not in sources.yml" for g in shown for s in g.sources if s not in citable
    ]
    problems += [
        f"{m.title}: follow-up {t!r} is not a topic"
        for m in shown
        if isinstance(m, Milestone)
        for t in m.follow_ups
        if t not in current.registry.topics
    ]
    for g in texts.all_guidance():
        after = g.shown(True)
        said = [after.title, after.text, *after.steps]
        problems += (
            [
                f"{g.title}: shown after abuse, but says {p!r}"
                for p in current.wording.found_in(" ".join(said))
            ]
            if current.wording
            else []
        )
    if problems:
        raise ContentError("no_contact_tracker.yml is invalid:\n- " + "\n- ".join(problems))
    return texts


def tracker_texts() -> TrackerTexts:
    """The current texts, from the content folder in use."""
    return current("no-contact tracker texts", lambda folder: load_tracker_texts(folder / FILE))
