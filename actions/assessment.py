"""The "Should I go back?" check: a short form through the wrong reasons, the right reasons and
the red flags of the articles, then a reasoned summary and what to work on first.

The summary is words, never a score: each answer that matters is explained (findings), and one
result names the most important thing to do next. The order of the rules is the articles' order
of importance: abuse ends the check (the safety path); a third breakup means letting go; a second
one calls for a hard look; cheating and a recurring cause come before how the user feels.
"""

from __future__ import annotations

import re

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.content_store import content
from actions.messages import message
from actions.guided_content import Assessment, assessment_content
from actions.form_digressions import GIVE_UP, GivesUpAfterTwoMisses, gives_up
from actions.guided_forms import answer_text, button_value, latest_intent, match
from actions.rendering import source_line, topic_button
from actions.safety import blocked_reply, reconciliation_blocked

SLOTS = (
    "assess_breakups",
    "assess_red_flags",
    "assess_motive",
    "assess_foundation",
    "assess_cause",
    "assess_moving_on",
)
WRONG_REASONS = ("miss_them", "hate_single", "idealise", "the_one")
GOOD_FOUNDATIONS = ("happy_before", "shared_values", "circumstances")
MAX_WORDS = 25

# Free-text answers are read as nlp/answers.yml says, under the slot's name.
UNSURE_MEANS = {"assess_cause": "unsure", "assess_moving_on": "starting"}


@dataclass(frozen=True)
class Summary:
    result: Text  # a key of `results` in actions/content/guided/assessment.yml
    findings: List[Text]  # keys of `findings`, in the order they are explained
    focus: Text  # the first topic to work on


def evaluate(
    answers: Dict[Text, Optional[Text]], time_since: Optional[Text], assessment: Assessment
) -> Summary:
    """What the answers point to. Abuse never reaches this: it ends the check on the safety path."""
    findings: List[Text] = []
    breakups = answers.get("assess_breakups")
    red_flags = answers.get("assess_red_flags")
    motive = answers.get("assess_motive")
    foundation = answers.get("assess_foundation")
    cause = answers.get("assess_cause")
    moving_on = answers.get("assess_moving_on")

    if breakups == "second":
        findings.append("second_breakup")
    elif breakups == "third_plus":
        findings.append("third_breakup")
    if red_flags in ("cheating", "toxic_patterns"):
        findings.append(red_flags)
    if time_since == "under_2_weeks":
        findings.append("too_soon")
    if motive in WRONG_REASONS:
        findings.append(motive)
    if foundation in GOOD_FOUNDATIONS or foundation == "chemistry":
        findings.append(foundation)
    elif foundation == "none":
        findings.append("no_foundation")
    findings += {"fixable": ["fixable"], "recurring": ["recurring"], "unsure": ["unsure_cause"]}.get(
        cause or "", []
    )
    findings += {"no": ["not_moved_on"], "starting": ["starting_to_move_on"], "yes": ["moved_on"]}.get(
        moving_on or "", []
    )

    if breakups == "third_plus":
        result = "let_go"
    elif breakups == "second":
        result = "repeat_breakup"
    elif red_flags == "cheating":
        result = "cheating_caution"
    elif cause == "recurring":
        result = "recurring_problem"
    elif motive in WRONG_REASONS and foundation not in GOOD_FOUNDATIONS:
        result = "wrong_reasons"
    elif foundation == "chemistry":
        result = "weak_reason"
    elif (
        foundation in GOOD_FOUNDATIONS
        and cause == "fixable"
        and moving_on == "yes"
        and motive not in WRONG_REASONS
        and time_since != "under_2_weeks"
    ):
        result = "careful_yes"
    else:
        result = "not_yet"
    return Summary(result, findings, assessment.results[result].topics[0])


def summary_text(summary: Summary, assessment: Assessment) -> Text:
    result = assessment.results[summary.result]
    lines = [f"- {assessment.findings[f].text}" for f in summary.findings]
    sources: List[Text] = []
    for item in [assessment.findings[f] for f in summary.findings] + [result]:
        sources += [s for s in item.sources if s not in sources]
    parts = [message("assessment_result", headline=result.headline)]
    if lines:
        parts.append(message("assessment_stood_out") + "\n\n" + "\n".join(lines))
    parts.append(message("plan_assessment_focus", focus=result.focus))
    parts.append(message("assessment_not_a_score") + "\n\n" + source_line(sources))
    return "\n\n".join(parts)


_CHEATING_COUNT = re.compile(r"\bcheat\w*( on (me|him|her|them))? (once|twice|again|\w+ times)\b")


def _said_cheating(tracker: Tracker) -> bool:
    """Whether the rule patterns read cheating in the latest message."""
    return any(
        e.get("entity") == "red_flag" and e.get("value") == "cheating"
        for e in tracker.latest_message.get("entities") or []
    )


def answers_of(tracker: Tracker) -> Dict[Text, Optional[Text]]:
    return {slot: tracker.get_slot(slot) for slot in SLOTS}


class ActionStartAssessment(Action):
    def name(self) -> Text:
        return "action_start_assessment"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        events: List[EventType] = [SlotSet(slot, None) for slot in SLOTS]
        if tracker.get_slot("breakup_count") == "first":
            events.append(SlotSet("assess_breakups", "first"))  # already said: not asked again
        return events


class ValidateAssessmentForm(GivesUpAfterTwoMisses, FormValidationAction):
    def name(self) -> Text:
        return "validate_assessment_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        if reconciliation_blocked(tracker):
            return []  # after abuse there is nothing to weigh: the summary says why
        if tracker.get_slot("assess_breakups") == "third_plus":
            # The articles' answer to a third breakup doesn't depend on the reasons; the red
            # flags are still asked, because abuse changes what help is offered.
            return ["assess_breakups", "assess_red_flags"]
        return domain_slots

    @staticmethod
    def _extract(tracker: Tracker, slot: Text) -> Dict[Text, Any]:
        value = button_value(tracker, slot)
        if value is not None:
            return {slot: value}
        if slot == "assess_red_flags" and _said_cheating(tracker) and tracker.get_slot(slot) is None:
            # Said while another question was pending ("kinda? she cheated once but said sorry"):
            # kept, so the question about cheating, fights or control is not asked as if unheard.
            return {slot: "cheating"}
        text = answer_text(tracker, slot, MAX_WORDS)
        if text is None:
            return {}
        if slot == "assess_breakups":
            text = _CHEATING_COUNT.sub(" ", text.lower())  # "cheated once" counts no breakup
        value = match(slot, text)
        if value is None and latest_intent(tracker) == "unsure":
            # "hard to say" means "not sure" where that's an option; elsewhere "idk", "skip" or
            # "pass" is a clear answer too: not known, and the check goes on without asking again.
            value = UNSURE_MEANS.get(slot, "unknown")
        # An answer we can't read is kept as "?" so the validation asks again kindly.
        return {slot: value or "?"}

    async def extract_assess_breakups(self, dispatcher, tracker, domain):
        return self._extract(tracker, "assess_breakups")

    async def extract_assess_red_flags(self, dispatcher, tracker, domain):
        return self._extract(tracker, "assess_red_flags")

    async def extract_assess_motive(self, dispatcher, tracker, domain):
        return self._extract(tracker, "assess_motive")

    async def extract_assess_foundation(self, dispatcher, tracker, domain):
        return self._extract(tracker, "assess_foundation")

    async def extract_assess_cause(self, dispatcher, tracker, domain):
        return self._extract(tracker, "assess_cause")

    async def extract_assess_moving_on(self, dispatcher, tracker, domain):
        return self._extract(tracker, "assess_moving_on")

    @staticmethod
    def _known(
        slot: Text,
        value: Any,
        dispatcher: CollectingDispatcher,
        domain: DomainDict,
        tracker: Optional[Tracker] = None,
    ) -> Dict[Text, Any]:
        if value is None:
            # Not an answer: the start of the check clears the slots, and rasa-sdk validates every
            # slot set since the user's message, cleared ones too. Apologising here said "Sorry, I
            # didn't quite catch that" once per question before the first question was asked.
            return {slot: None}
        allowed = [str(v) for v in domain.get("slots", {}).get(slot, {}).get("values") or []]
        if str(value) in allowed:
            return {slot: str(value)}
        if tracker is not None and gives_up(tracker, slot, reading_answer=True):
            return {slot: GIVE_UP[slot]}  # not understood twice: noted as unknown, not asked again
        dispatcher.utter_message(text=message("assessment_not_caught"))
        return {slot: None}

    def validate_assess_breakups(self, value, dispatcher, tracker, domain):
        return self._known("assess_breakups", value, dispatcher, domain, tracker)

    def validate_assess_red_flags(self, value, dispatcher, tracker, domain):
        return self._known("assess_red_flags", value, dispatcher, domain, tracker)

    def validate_assess_motive(self, value, dispatcher, tracker, domain):
        return self._known("assess_motive", value, dispatcher, domain, tracker)

    def validate_assess_foundation(self, value, dispatcher, tracker, domain):
        return self._known("assess_foundation", value, dispatcher, domain, tracker)

    def validate_assess_cause(self, value, dispatcher, tracker, domain):
        return self._known("assess_cause", value, dispatcher, domain, tracker)

    def validate_assess_moving_on(self, value, dispatcher, tracker, domain):
        return self._known("assess_moving_on", value, dispatcher, domain, tracker)


class ActionSummariseAssessment(Action):
    def name(self) -> Text:
        return "action_summarise_assessment"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        current = content()
        if reconciliation_blocked(tracker):
            blocked_reply(dispatcher, tracker, current)
            return [SlotSet("assessment_result", "abuse"), SlotSet("assessment_focus", "healing")]
        assessment = assessment_content()
        summary = evaluate(answers_of(tracker), tracker.get_slot("time_since"), assessment)
        pronoun = tracker.get_slot("ex_pronoun")
        buttons = [topic_button(current, t, pronoun) for t in assessment.results[summary.result].topics]
        buttons += [
            {"title": message("button_show_plan"), "payload": "/show_plan"},
            {"title": message("button_try_reflection"), "payload": "/start_reflection"},
        ]
        dispatcher.utter_message(text=summary_text(summary, assessment))
        dispatcher.utter_message(text=message("assessment_where_to_start"), buttons=buttons)
        return [SlotSet("assessment_result", summary.result), SlotSet("assessment_focus", summary.focus)]
