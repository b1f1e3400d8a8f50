""" "Show my plan": what the user told the advisor and the steps suggested so far, in one message.

Everything comes from the tracker (slots), so the plan shows only what this conversation holds and
disappears with it. Parts the user hasn't reached (no-contact count, check-in, the "Should I go
back?" check, reflections) are left out; slots another feature owns are read with get_slot, so the
plan works whether or not those features are installed. The web page turns this same message into
a downloadable text file in the browser (web/chat.js), so no server keeps a copy.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import clock
from actions.content_store import Content, content
from actions.country import directory, lines_for, user_country
from actions.guided_content import Assessment, Reflections, assessment_content, reflections_content
from actions.messages import message
from actions.no_contact import day_word
from actions.pronouns import fill
from actions.rendering import source_titles
from actions.safety import ABUSE, CRISIS, reconciliation_blocked

# web/chat.js finds the plan by its first and last lines (the web channel sends each paragraph
# as a message of its own) to offer it as a file: keep the two in step.
PLAN_SLOTS = (
    "scenario",
    "who_ended",
    "breakup_count",
    "time_since",
    "ex_behaviour",
    "ex_pronoun",
    "safety",
    "no_contact_start",
    "no_contact_relapses",
    "checkin_due",
    "assessment_result",
    "assessment_focus",
    "reflections",
    "advice_given",
    "messages_checked",
)


def __getattr__(name: Text) -> Text:
    # PLAN_TITLE and PLAN_END: the plan's first and last lines.
    if name == "PLAN_TITLE":
        return message("plan_title")
    if name == "PLAN_END":
        return message("plan_end")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def situation_wording() -> Dict[Text, Dict[Text, Text]]:
    """What the plan says for each triage fact: slot -> value -> sentence."""
    return {
        "who_ended": {
            "ex": message("plan_who_ended_ex"),
            "me": message("plan_who_ended_me"),
            "mutual": message("plan_who_ended_mutual"),
        },
        "breakup_count": {
            "first": message("plan_breakup_count_first"),
            "repeat": message("plan_breakup_count_repeat"),
        },
        "time_since": {
            "under_2_weeks": message("plan_time_since_under_2_weeks"),
            "2_weeks_to_2_months": message("plan_time_since_2_weeks_to_2_months"),
            "2_to_6_months": message("plan_time_since_2_to_6_months"),
            "over_6_months": message("plan_time_since_over_6_months"),
        },
        "ex_behaviour": {
            "silent": message("plan_ex_behaviour_silent"),
            "friendly": message("plan_ex_behaviour_friendly"),
            "hot_and_cold": message("plan_ex_behaviour_hot_and_cold"),
            "seeing_someone": message("plan_ex_behaviour_seeing_someone"),
            "hostile": message("plan_ex_behaviour_hostile"),
        },
    }


def plan_facts(tracker: Tracker) -> Dict[Text, Any]:
    facts = {slot: tracker.get_slot(slot) for slot in PLAN_SLOTS}
    facts["country"] = user_country(tracker, content().resources.countries)
    return facts


def _support(lines: List[Any], country: Optional[Text]) -> List[Any]:
    """The user's country's lines and the directory; every line when the country is unknown (a
    file kept for later, perhaps read in another country)."""
    return lines_for(lines, country) + directory(lines) if country else list(lines)


def _date(value: Any) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def _datetime(value: Any) -> Optional[dt.datetime]:
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def _long_date(day: dt.date) -> Text:
    return f"{day.day} {day:%B %Y}"


def _section(title: Text, lines: List[Text]) -> Text:
    # A blank line before the list lets the web widget's markdown show it as a list.
    return f"{title}\n\n" + "\n".join(lines)


def situation_lines(facts: Dict[Text, Any], current: Content) -> List[Text]:
    lines = []
    wording = situation_wording()
    scenario = current.registry.scenarios.get(facts.get("scenario") or "")
    if scenario:
        lines.append(scenario.summary)
    elif facts.get("who_ended") in wording["who_ended"]:
        lines.append(wording["who_ended"][facts["who_ended"]])
    for slot in ("breakup_count", "time_since", "ex_behaviour"):
        if facts.get(slot) in wording[slot]:
            lines.append(wording[slot][facts[slot]])
    return [f"- {line}" for line in lines]


def safety_lines(facts: Dict[Text, Any], current: Content) -> List[Text]:
    # Worded so that the file says nothing explicit if someone else ever sees it.
    if facts.get("safety") == ABUSE:
        lines = ["- " + message("plan_abuse_safety_first"), "- " + message("plan_abuse_support")]
        lines += [
            "  " + message("resource_line", region=i.region, service=i.service, contact=i.contact)
            for i in _support(current.resources.abuse, facts.get("country"))
        ]
    elif facts.get("safety") == CRISIS:
        lines = ["- " + message("plan_crisis_support")]
        lines += [
            "  " + message("resource_line", region=i.region, service=i.service, contact=i.contact)
            for i in _support(current.resources.crisis, facts.get("country"))
        ]
    else:
        return []
    emergency = lines_for(current.resources.emergency, facts.get("country")) or current.resources.emergency
    numbers = "; ".join(message("plan_emergency_number", number=e.number, region=e.region) for e in emergency)
    return lines + ["- " + message("plan_emergency", numbers=numbers)]


def no_contact_lines(facts: Dict[Text, Any], today: dt.date) -> List[Text]:
    lines = []
    start = _date(facts.get("no_contact_start"))
    if start:
        days = (today - start).days
        lines.append(
            "- " + message("plan_no_contact", start=_long_date(start), days=days, day_word=day_word(days))
        )
    relapses = facts.get("no_contact_relapses")
    if start and isinstance(relapses, (int, float)) and relapses >= 1:
        n = int(relapses)
        lines.append(
            "- "
            + message(
                "plan_restarts", count=n, time_word=message("word_time") if n == 1 else message("word_times")
            )
        )
    due = _datetime(facts.get("checkin_due"))
    if due:
        lines.append("- " + message("plan_next_checkin", day=_long_date(due.date()), time=f"{due:%H:%M}"))
    return lines


def assessment_lines(facts: Dict[Text, Any], assessment: Assessment) -> List[Text]:
    result = facts.get("assessment_result")
    if result == ABUSE or (result and facts.get("safety") == ABUSE):
        return ["- " + message("plan_assessment_after_abuse")]
    if result not in assessment.results:
        return []
    found = assessment.results[result]
    return [f"- {found.headline}", "- " + message("plan_assessment_focus", focus=found.focus)]


def reflection_lines(facts: Dict[Text, Any], reflections: Reflections) -> List[Text]:
    saved = facts.get("reflections")
    if not isinstance(saved, dict):
        return []
    lines = []
    for exercise_id, exercise in reflections.exercises.items():
        answers = [str(a) for a in saved.get(exercise_id) or [] if str(a).strip()]
        if answers:
            lines.append(f"- {exercise.title}:")
            lines += [f"  - {a}" for a in answers]
    return lines


def workshop_lines(facts: Dict[Text, Any]) -> List[Text]:
    """That drafts were checked, never what they said."""
    count = facts.get("messages_checked")
    if not isinstance(count, (int, float)) or count < 1:
        return []
    n = int(count)
    word = message("word_draft_message") if n == 1 else message("word_draft_messages")
    return ["- " + message("plan_drafts_checked", count=n, draft_word=word)]


def steps_lines(facts: Dict[Text, Any], current: Content) -> List[Text]:
    ids = facts.get("advice_given")
    if not isinstance(ids, list):
        return []
    pronoun = facts.get("ex_pronoun")
    blocked = facts.get("safety") == ABUSE
    by_id = {card.id: card for card in current.cards}
    lines, left_out = [], False
    for card_id in dict.fromkeys(str(i) for i in ids):  # once each, in the order given
        card = by_id.get(card_id)
        if card is None:
            continue
        if blocked and card.after_abuse == "blocked":  # each card says whether it fits after abuse
            left_out = True
            continue
        lines.append(
            "- "
            + message(
                "plan_card", title=fill(card.title, pronoun), sources="; ".join(source_titles(card.sources))
            )
        )
        lines += [f"  {i}. {fill(step, pronoun)}" for i, step in enumerate(card.steps, 1)]
    if left_out:
        lines.append("- " + message("plan_advice_left_out"))
    return lines


def render_plan(
    facts: Dict[Text, Any], current: Content, assessment: Assessment, reflections: Reflections, today: dt.date
) -> Text:
    parts = [message("plan_title"), message("plan_private")]
    situation = situation_lines(facts, current)
    parts.append(
        _section(message("plan_section_situation"), situation or ["- " + message("plan_no_situation")])
    )
    for title, lines in (
        (message("plan_section_safety"), safety_lines(facts, current)),
        (message("plan_section_no_contact"), no_contact_lines(facts, today)),
        (message("plan_section_assessment"), assessment_lines(facts, assessment)),
        (message("plan_section_reflections"), reflection_lines(facts, reflections)),
        (message("plan_section_messages"), workshop_lines(facts)),
    ):
        if lines:
            parts.append(_section(title, lines))
    steps = steps_lines(facts, current)
    parts.append(_section(message("plan_section_steps"), steps or ["- " + message("plan_no_steps")]))
    parts.append(message("plan_end"))
    return "\n\n".join(parts)


class ActionShowPlan(Action):
    def name(self) -> Text:
        return "action_show_plan"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        text = render_plan(
            plan_facts(tracker), content(), assessment_content(), reflections_content(), clock.today()
        )
        dispatcher.utter_message(text=text)
        # What could still go into the plan, as buttons (the check is not offered after abuse).
        buttons = []
        if not tracker.get_slot("assessment_result") and not reconciliation_blocked(tracker):
            buttons.append({"title": message("button_help_me_decide"), "payload": "/start_assessment"})
        buttons.append({"title": message("button_try_reflection"), "payload": "/start_reflection"})
        dispatcher.utter_message(text=message("plan_add_to_it"), buttons=buttons)
        return []
