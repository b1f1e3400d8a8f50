"""The wording of the guided features (the "Should I go back?" check and the reflection
exercises), kept as data in actions/content/guided/ and validated like the advice cards: every
text cites an article listed in sources.yml, and a bad file stops the action server at start-up.
Read through actions/content_files.py, like every content file: from $ADVISOR_CONTENT_DIR when set,
and reloaded when a file changes."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Text

from pydantic import conlist, constr, validator

from actions.content_files import CONTENT_DIR, ContentError, current, read_yaml
from actions.content_store import NonEmpty, SnakeId, Strict

GUIDED_DIR = CONTENT_DIR / "guided"
Source = constr(regex=r"^\d{3}_[0-9a-f]{16}\.txt$")
Text400 = constr(strip_whitespace=True, min_length=1, max_length=400)


class Finding(Strict):
    text: Text400
    sources: conlist(Source, min_items=1)


class Result(Strict):
    headline: constr(strip_whitespace=True, min_length=1, max_length=120)
    focus: Text400
    topics: conlist(SnakeId, min_items=1, max_items=3)
    sources: conlist(Source, min_items=1)


class Assessment(Strict):
    findings: Dict[SnakeId, Finding]
    results: Dict[SnakeId, Result]


class Exercise(Strict):
    button: NonEmpty
    title: NonEmpty
    intro: Text400
    prompts: conlist(Text400, min_items=1, max_items=4)  # the form has four answer slots
    closing: Text400
    after_abuse: bool
    sources: conlist(Source, min_items=1)


class Reflections(Strict):
    exercises: Dict[SnakeId, Exercise]

    @validator("exercises")
    def _one_fits_after_abuse(cls, exercises):
        if not any(e.after_abuse for e in exercises.values()):
            raise ValueError("at least one exercise must stay available after abuse is disclosed")
        return exercises


# What the summary logic in actions/assessment.py refers to; the test suite keeps these in step.
FINDINGS = (
    "second_breakup",
    "third_breakup",
    "cheating",
    "toxic_patterns",
    "miss_them",
    "hate_single",
    "idealise",
    "the_one",
    "happy_before",
    "shared_values",
    "circumstances",
    "chemistry",
    "no_foundation",
    "fixable",
    "recurring",
    "unsure_cause",
    "not_moved_on",
    "starting_to_move_on",
    "moved_on",
    "too_soon",
)
RESULTS = (
    "let_go",
    "repeat_breakup",
    "cheating_caution",
    "recurring_problem",
    "wrong_reasons",
    "weak_reason",
    "not_yet",
    "careful_yes",
)


def all_texts(assessment: Assessment, reflections: Reflections) -> List[Text]:
    texts: List[Text] = [f.text for f in assessment.findings.values()]
    for r in assessment.results.values():
        texts += [r.headline, r.focus]
    for e in reflections.exercises.values():
        texts += [e.button, e.title, e.intro, e.closing, *e.prompts]
    return texts


def load_guided(directory: Path = GUIDED_DIR, topics=None, sources=None):
    """Loads and checks both files; raises ContentError listing every problem. Sources and topics
    default to the current advice content's."""
    from pydantic import ValidationError

    try:
        assessment = Assessment.parse_obj(read_yaml(directory / "assessment.yml"))
        reflections = Reflections.parse_obj(read_yaml(directory / "reflections.yml"))
    except (ValidationError, OSError) as exc:
        raise ContentError(f"guided content is invalid: {exc}") from exc
    problems = [f"finding {k!r} missing" for k in FINDINGS if k not in assessment.findings]
    problems += [f"result {k!r} missing" for k in RESULTS if k not in assessment.results]
    if sources is None:
        from actions.content_store import content

        sources = content().sources
    cited = [s for f in assessment.findings.values() for s in f.sources]
    cited += [s for r in assessment.results.values() for s in r.sources]
    cited += [s for e in reflections.exercises.values() for s in e.sources]
    problems += [f"source {s!r} is not in sources.yml" for s in sorted(set(cited)) if s not in sources]
    if topics is not None:
        problems += [
            f"result {k}: {t!r} is not a topic"
            for k, r in assessment.results.items()
            for t in r.topics
            if t not in topics
        ]
    if problems:
        raise ContentError("guided content is invalid:\n- " + "\n- ".join(problems))
    return assessment, reflections


def _load_from(folder: Path):
    from actions.content_store import content

    return load_guided(folder / "guided", topics=set(content().registry.topics))


def guided():
    """The current (assessment, reflections), from the content folder in use."""
    return current("guided content", _load_from)


def assessment_content() -> Assessment:
    return guided()[0]


def reflections_content() -> Reflections:
    return guided()[1]
