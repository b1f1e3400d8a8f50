"""The message workshop: "check a text before I send it".

Ways in: "can you check a text before I send it?", the menu's "Check a message" button, or "should
I send this: <draft>" with the draft in the same message. `workshop_form` asks for the draft
otherwise, and takes the next message as the draft whatever the classifier makes of it, except:
- crisis and abuse language (the NLU forces express_crisis / disclose_abuse / hint_self_harm):
  the form lets go and the safety rules answer (data/rules/workshop.yml);
- a button for something else, which is not a draft;
- "done", "cancel", "never mind" alone, which end the workshop.
After abuse was disclosed the form asks nothing and the check declines: no polishing a message to
the abuser, the survivor's path instead.

The reply (at most 4 messages): the verdict and what already works, what to change (one line each,
with a numbered source), a suggested shape (an authored script from the cards, chosen by what the
draft is trying to do), where it comes from (article titles), and "Check another version" / "Done".
A threat gets "Don't send this" alone, with crisis lines.

Privacy: the draft is held in the slot `workshop_draft` only between the form and the check, in
the same turn, and the check clears it. Nothing here logs it. What the draft made the NLU read
(who ended it, the pronoun of a new partner, ...) says nothing about the user's own story, so the
check puts back every slot the draft's message changed. The plan counts the messages checked
(`messages_checked`), never their text.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import no_contact
from actions.content_store import content
from actions.country import user_country
from actions.messages import message
from actions.pronouns import fill
from actions.rendering import topic_button
from actions.safety import SAFETY_INTENTS, lines_text, reconciliation_blocked, survivor_path
from actions.turns import action_ran_last_turn
from actions.workshop_checks import Result, Situation, check_draft, normalise, pipeline
from actions.workshop_content import WorkshopTexts, workshop_texts
from nlp.draft_lead_in import inline_draft, is_quit

DRAFT_SLOT = "workshop_draft"
COUNT_SLOT = "messages_checked"
QUIT = "/workshop_done"  # the Done button; also what a typed "done" becomes
NOT_A_DRAFT_INTENTS = frozenset(SAFETY_INTENTS) | {"hint_self_harm"}
MAX_DRAFT_CHARS = 4000
# Slots the workshop itself sets; every other slot the draft's message changed is put back.
OWN_SLOTS = (DRAFT_SLOT, COUNT_SLOT, "requested_slot")


def after_check_buttons() -> List[Dict[Text, Text]]:
    return [
        {"title": message("button_check_again"), "payload": "/check_message"},
        {"title": message("button_done"), "payload": QUIT},
    ]


workshop_texts()  # validate the texts when the action server starts
pipeline()  # and load the patterns then, not on a user's turn


def _intent(tracker: Tracker) -> Optional[Text]:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def draft_from(tracker: Tracker) -> Optional[Text]:
    """The draft in the latest message, or None when it is not one (see the module doc)."""
    text = ((tracker.latest_message or {}).get("text") or "").strip()
    if not text or _intent(tracker) in NOT_A_DRAFT_INTENTS:
        return None
    if text.startswith("/"):
        return QUIT if text.startswith(QUIT) else None
    doc = pipeline()(normalise(text))
    if tracker.get_slot("requested_slot") != DRAFT_SLOT:
        return inline_draft(doc)  # asked to check: the draft may follow the request
    if is_quit(doc):
        return QUIT
    return (inline_draft(doc) or text)[:MAX_DRAFT_CHARS]


class ValidateWorkshopForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_workshop_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        # After abuse: nothing to ask; action_check_draft declines.
        return [] if reconciliation_blocked(tracker) else [DRAFT_SLOT]

    async def extract_workshop_draft(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if reconciliation_blocked(tracker):
            return {}
        draft = draft_from(tracker)
        return {DRAFT_SLOT: draft} if draft else {}

    def validate_workshop_draft(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return {DRAFT_SLOT: value}  # any text is a draft; the check reads it


class ActionAskWorkshopDraft(Action):
    def name(self) -> Text:
        return "action_ask_workshop_draft"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        texts = workshop_texts().texts
        # "Check another version": the previous turn ended with a check.
        again = action_ran_last_turn(tracker, "action_check_draft")
        dispatcher.utter_message(
            text=texts["ask_again"] if again else texts["ask"],
            buttons=[{"title": message("button_never_mind"), "payload": QUIT}],
        )
        return []


def slots_before_turn(tracker: Tracker) -> Dict[Text, Any]:
    """Every slot's value just before the latest user message."""
    events = list(tracker.events or [])
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    values: Dict[Text, Any] = {}
    for event in events[:last_user]:
        if event.get("event") == "slot":
            values[event.get("name")] = event.get("value")
        elif event.get("event") == "restart":
            values = {}
    return values


def restore_slots(tracker: Tracker) -> List[EventType]:
    """Puts back the slots the draft's message changed (the draft is not the user's story)."""
    events = list(tracker.events or [])
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    before = slots_before_turn(tracker)
    changed = {e.get("name") for e in events[last_user:] if e.get("event") == "slot"} - set(OWN_SLOTS)
    return [
        SlotSet(name, before.get(name))
        for name in sorted(changed)
        if tracker.get_slot(name) != before.get(name)
    ]


def situation(tracker: Tracker) -> Situation:
    before = slots_before_turn(tracker)
    return Situation(day=no_contact.days_in(tracker), ex_behaviour=before.get("ex_behaviour"))


def render(result: Result, texts: WorkshopTexts, pronoun: Optional[Text]) -> List[Dict[Text, Any]]:
    """The reply to a checked draft: at most 4 messages, buttons on the last."""
    current = content()
    t = texts.texts
    if result.threat:
        return []  # answered by threat_reply
    shown = result.strengths[: 3 if result.passes else 2]
    works = [
        texts.strengths[key].format(words=result.words, phrase=phrase or "", day=result.day or 0)
        for key, phrase in shown
    ]
    # One message = one bubble: no blank lines inside a message (some channels split on them).
    heading = (
        t["clear"] if result.passes else t["wait_only"] if result.problems == ["timing"] else t["needs_work"]
    )
    first = heading + f"\n{t['works']}\n" + "\n".join(f"- {line}" for line in works)
    if result.passes:
        return [{"text": first}]
    messages = [{"text": first}]
    numbers: Dict[Text, int] = {}
    lines = []
    for check_id in result.problems[: texts.limits.max_changes]:
        check = texts.checks[check_id]
        refs = []
        for source in check.sources[:1]:
            numbers.setdefault(source, len(numbers) + 1)
            refs.append(str(numbers[source]))
        change = check.change.format(day=result.day or 0, words=result.words)
        lines.append(f"- {change} {check.reason} ({', '.join(refs)})")
    more = len(result.problems) - texts.limits.max_changes
    text = f"{t['change']}\n" + "\n".join(lines)
    if more > 0:
        text += "\n" + t["more"].format(count=more)
    messages.append({"text": text})
    if result.shape:
        card = next(c for c in current.cards if c.id == result.shape.card)
        script = next(s for s in card.scripts if s.label == result.shape.script)
        messages.append(
            {
                "text": t["shape"].format(card=fill(card.title, pronoun), label=fill(script.label, pronoun))
                + f"\n\u201c{fill(script.text, pronoun)}\u201d"
            }
        )
    titles = "; ".join(f"({n}) {current.source_title(s)}" for s, n in numbers.items())
    messages.append({"text": f"{t['sources']} {titles}"})
    return messages


class ActionCheckDraft(Action):
    def name(self) -> Text:
        return "action_check_draft"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        events: List[EventType] = [SlotSet(DRAFT_SLOT, None), *restore_slots(tracker)]
        texts = workshop_texts()
        current = content()
        pronoun = tracker.get_slot("ex_pronoun")
        buttons = after_check_buttons()
        if reconciliation_blocked(tracker):
            dispatcher.utter_message(
                text=texts.texts["blocked"],
                buttons=[topic_button(current, t, pronoun) for t in survivor_path(current)],
            )
            return events
        draft = tracker.get_slot(DRAFT_SLOT)
        if not draft or draft == QUIT:
            dispatcher.utter_message(text=texts.texts["quit"])
            return events
        if _intent(tracker) == "other_language":
            dispatcher.utter_message(text=texts.texts["not_english"], buttons=buttons)
            return events
        result = check_draft(draft, pipeline(), situation(tracker), texts)
        count = int(tracker.get_slot(COUNT_SLOT) or 0) + 1
        events.append(SlotSet(COUNT_SLOT, float(count)))
        if result.threat:
            country = user_country(tracker, current.resources.countries)
            dispatcher.utter_message(text=texts.texts["threat"])
            dispatcher.utter_message(
                text=f"{texts.texts['threat_help']}\n{lines_text(current, 'crisis', country)}",
                buttons=buttons,
            )
            return events
        said = render(result, texts, pronoun)
        for i, one in enumerate(said):
            last = i == len(said) - 1
            dispatcher.utter_message(text=one["text"], buttons=buttons if last else [])
        return events


class ActionWorkshopDone(Action):
    def name(self) -> Text:
        return "action_workshop_done"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(text=workshop_texts().texts["done"])
        return []
