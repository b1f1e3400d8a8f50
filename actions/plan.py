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
from actions.pronouns import fill
from actions.rendering import source_titles
from actions.safety import ABUSE, CRISIS, reconciliation_blocked

# web/chat.js finds the plan by its first and last lines (the web channel sends each paragraph
# as a message of its own) to offer it as a file: keep the two in step.
PLAN_TITLE = "Your plan from the breakup advisor"
PLAN_END = 'Say "show my plan" any time for an updated copy.'
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

WHO_ENDED = {
    "ex": "Your ex ended the relationship.",
    "me": "You ended the relationship.",
    "mutual": "You ended it together.",
}
COUNT = {"first": "It is your first breakup with this person.", "repeat": "You have broken up before."}
WHEN = {
    "under_2_weeks": "You broke up less than two weeks ago.",
    "2_weeks_to_2_months": "You broke up between two weeks and two months ago.",
    "2_to_6_months": "You broke up two to six months ago.",
    "over_6_months": "You broke up more than six months ago.",
}
BEHAVIOUR = {
    "silent": "You and your ex don't talk now.",
    "friendly": "Your ex is friendly with you.",
    "hot_and_cold": "Your ex sends mixed signals.",
    "seeing_someone": "Your ex is seeing someone new.",
    "hostile": "Your ex is angry with you.",
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
    scenario = current.registry.scenarios.get(facts.get("scenario") or "")
    if scenario:
        lines.append(scenario.summary)
    elif facts.get("who_ended") in WHO_ENDED:
        lines.append(WHO_ENDED[facts["who_ended"]])
    for table, slot in ((COUNT, "breakup_count"), (WHEN, "time_since"), (BEHAVIOUR, "ex_behaviour")):
        if facts.get(slot) in table:
            lines.append(table[facts[slot]])
    return [f"- {line}" for line in lines]


def safety_lines(facts: Dict[Text, Any], current: Content) -> List[Text]:
    # Worded so that the file says nothing explicit if someone else ever sees it.
    if facts.get("safety") == ABUSE:
        lines = [
            "- Your safety comes first. I won't coach getting back together with this person.",
            "- Free, confidential support:",
        ]
        lines += [
            f"  - {i.region}: {i.service}, {i.contact}"
            for i in _support(current.resources.abuse, facts.get("country"))
        ]
    elif facts.get("safety") == CRISIS:
        lines = [
            "- You told me things have felt very hard. If they feel that way again, please talk "
            "to someone now:"
        ]
        lines += [
            f"  - {i.region}: {i.service}, {i.contact}"
            for i in _support(current.resources.crisis, facts.get("country"))
        ]
    else:
        return []
    emergency = lines_for(current.resources.emergency, facts.get("country")) or current.resources.emergency
    numbers = "; ".join(f"{e.number} ({e.region})" for e in emergency)
    return lines + [f"- In danger right now: call your local emergency number ({numbers})."]


def no_contact_lines(facts: Dict[Text, Any], today: dt.date) -> List[Text]:
    lines = []
    start = _date(facts.get("no_contact_start"))
    if start:
        days = (today - start).days
        lines.append(f"- No contact since {_long_date(start)}: {days} day{'s' * (days != 1)} so far.")
    relapses = facts.get("no_contact_relapses")
    if start and isinstance(relapses, (int, float)) and relapses >= 1:
        n = int(relapses)
        lines.append(
            f"- You restarted the count {n} time{'s' * (n != 1)}. That's part of the process, not a failure."
        )
    due = _datetime(facts.get("checkin_due"))
    if due:
        lines.append(f"- Next check-in: {_long_date(due.date())}, {due:%H:%M} UTC.")
    return lines


def assessment_lines(facts: Dict[Text, Any], assessment: Assessment) -> List[Text]:
    result = facts.get("assessment_result")
    if result == ABUSE or (result and facts.get("safety") == ABUSE):
        return [
            "- Because your safety comes first, the answer is not to go back. "
            "Focus on looking after yourself."
        ]
    if result not in assessment.results:
        return []
    found = assessment.results[result]
    return [f"- {found.headline}", f"- What to work on first: {found.focus}"]


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
    return [
        f"- You checked {n} draft message{'s' * (n != 1)} before sending; the plan leaves out what they said."
    ]


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
        lines.append(f"- {fill(card.title, pronoun)} (source: {'; '.join(source_titles(card.sources))})")
        lines += [f"  {i}. {fill(step, pronoun)}" for i, step in enumerate(card.steps, 1)]
    if left_out:
        lines.append(
            "- Earlier advice about getting back together is left out, because your safety comes first."
        )
    return lines


def render_plan(
    facts: Dict[Text, Any], current: Content, assessment: Assessment, reflections: Reflections, today: dt.date
) -> Text:
    parts = [PLAN_TITLE, "Private: this may hold personal things. Keep it somewhere only you can see."]
    situation = situation_lines(facts, current)
    parts.append(
        _section(
            "What you told me",
            situation or ["- Nothing about your situation yet. Tell me what happened whenever you like."],
        )
    )
    for title, lines in (
        ("Looking after yourself", safety_lines(facts, current)),
        ("No contact", no_contact_lines(facts, today)),
        ("Should you go back?", assessment_lines(facts, assessment)),
        ("Your reflections", reflection_lines(facts, reflections)),
        ("Messages", workshop_lines(facts)),
    ):
        if lines:
            parts.append(_section(title, lines))
    steps = steps_lines(facts, current)
    parts.append(
        _section(
            "Steps suggested so far",
            steps or ["- No advice yet. Ask me about anything, such as no contact or healing."],
        )
    )
    parts.append(PLAN_END)
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
            buttons.append({"title": "Help me decide", "payload": "/start_assessment"})
        buttons.append({"title": "Try a reflection exercise", "payload": "/start_reflection"})
        dispatcher.utter_message(text="Want to add to it?", buttons=buttons)
        return []
