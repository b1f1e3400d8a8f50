"""Digressions in the forms (triage, the "Should I go back?" check, the reflection exercises).

- A message that is not an answer (a topic question, "what day am I on?", a no-contact fact, "why
  do you ask?") is rejected by the form, so the matching rule answers it; then the form asks its
  pending question again, once, after a short bridge ("Back to where we were: ...").
- "why do you ask?" gets the reason for the pending question (actions/content/guided/questions.yml).
- A question the user leaves unanswered twice (two messages nothing could read) is recorded as
  unknown and never asked a third time; an aside that got its own answer uses up no try, and a
  message that gave another fact ("he ignores all my texts" while asked whether it is the first
  breakup) uses none either: the fact is said back ("Got it: ...") before the question.
- "just tell me" / "stop asking" ends the form; the rules then give the best advice for what is known.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.content_files import ContentError, current, read_yaml
from actions.messages import message
from actions.content_store import content
from actions.rendering import PART_INTENT, PART_INTENTS, topic_button
from actions.safety import reconciliation_blocked, survivor_path
from nlp.answers import matches

QUESTIONS_FILE = Path("guided") / "questions.yml"  # in the content folder
FORMS = ("triage_form", "assessment_form", "reflection_form")
WHY_INTENT, STOP_INTENT = "why_asked", "stop_asking"
EXPLAIN_ACTION = "action_explain_question"
# Messages that are never an answer to a form's question: they ask or tell something else, and
# their own rules answer them while the form waits.
NOT_ANSWER_INTENTS = frozenset(
    {
        WHY_INTENT,
        STOP_INTENT,
        "start_no_contact",
        "report_relapse",
        "ask_no_contact_day",
        "request_checkin",
        "stop_checkins",
        "forget_me",
        "forget_confirm",
        "forget_cancel",
        "show_plan",
        "start_assessment",
        "start_reflection",
        "help",
        "bot_challenge",
        "ask_privacy",
        PART_INTENT,
        *PART_INTENTS,
    }
)
# Intents whose rules start the triage: mid-form, a message of theirs that answers nothing stays
# with the form instead of being rejected.
FORM_TRIGGER_INTENTS = frozenset(
    {"inform", "they_broke_up", "i_broke_up", "ex_hot_and_cold", "broke_up_again", "want_ex_back"}
)
# Actions that are part of a form's own turn, not a digression.
FORM_TURN_ACTIONS = frozenset(
    {"action_listen", "action_extract_slots", *FORMS, *(f"validate_{f}" for f in FORMS)}
)
# The value a question left unanswered twice is recorded as.
GIVE_UP = {
    "who_ended": "unknown",
    "breakup_count": "unknown",
    "time_since": "unknown",
    "ex_behaviour": "unknown",
    "assess_breakups": "unknown",
    "assess_red_flags": "unknown",
    "assess_motive": "unknown",
    "assess_foundation": "unknown",
    "assess_cause": "unknown",
    "assess_moving_on": "unknown",
    "reflect_1": "skip",
    "reflect_2": "skip",
    "reflect_3": "skip",
    "reflect_4": "skip",
}
MAX_UNANSWERED = 2
# However each message was answered (asides, other facts, "why do you ask?"), the same question
# shown this many times is enough: the next message that leaves it open records it as unknown.
MAX_PENDING_MESSAGES = 3


def __getattr__(name: Text) -> Text:
    # BRIDGE: the words before a question asked again after a digression ("Back to where we were: ").
    if name == "BRIDGE":
        return message("form_bridge", question="")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_questions(folder: Path) -> Dict[Text, Dict[Text, Text]]:
    data = read_yaml(folder / QUESTIONS_FILE)
    if not isinstance(data, dict) or not isinstance(data.get("questions"), dict):
        raise ContentError(f"{QUESTIONS_FILE.name}: needs a top-level `questions:` mapping")
    for slot, entry in data["questions"].items():
        if (
            not isinstance(entry, dict)
            or set(entry) != {"short", "why"}
            or not all(isinstance(v, str) and v.strip() for v in entry.values())
        ):
            raise ContentError(f"{QUESTIONS_FILE.name}: {slot} needs a 'short' and a 'why' text")
    return data["questions"]


def questions() -> Dict[Text, Dict[Text, Text]]:
    """The current questions' short forms and reasons, from the content folder in use."""
    return current("form questions", load_questions)


# The triage facts a message can give while another question waits, said back before it.
NOTED_SLOTS = ("who_ended", "breakup_count", "time_since", "ex_behaviour")


def load_noted(folder: Path) -> Dict[Text, Dict[Text, Text]]:
    data = (read_yaml(folder / QUESTIONS_FILE) or {}).get("noted") or {}
    for slot in NOTED_SLOTS:
        entry = data.get(slot)
        if not isinstance(entry, dict) or not all(isinstance(v, str) and v.strip() for v in entry.values()):
            raise ContentError(f"{QUESTIONS_FILE.name}: noted.{slot} needs a line per value")
    return data


def noted_lines() -> Dict[Text, Dict[Text, Text]]:
    """The lines that say a fact back, from the content folder in use."""
    return current("form noted lines", load_noted)


def noted_this_turn(tracker: Tracker, slot: Text) -> List[Text]:
    """The lines that say back the triage facts the latest message gave while `slot` was the
    pending question and stays unanswered ("he ignores all my texts" asked whether it is the
    first breakup): without them the same question would come back as if nothing was heard."""
    events = _events(tracker)
    start = _last_user_index(events)
    if start < 0 or _requested_before(events, start) != slot:
        return []
    values: Dict[Text, Any] = {}
    for event in events[start + 1 :]:
        if event.get("event") == "slot" and event.get("name") in NOTED_SLOTS and event.get("name") != slot:
            values[event["name"]] = event.get("value")
    lines = noted_lines()
    return [lines[name][value] for name, value in values.items() if value in lines[name]]


def _requested_before(events: List[Dict[Text, Any]], index: int) -> Optional[Text]:
    """The form's pending question when the event at `index` came."""
    requested = None
    for event in events[:index]:
        if event.get("event") == "slot" and event.get("name") == "requested_slot":
            requested = event.get("value")
        elif event.get("event") == "active_loop" and event.get("name") is None:
            requested = None
    return requested


def question_key(slot: Text) -> Text:
    return "reflect_answer" if slot.startswith("reflect_") and slot != "reflect_exercise" else slot


questions()  # a bad file stops the action server at start-up
noted_lines()


def _events(tracker: Tracker) -> List[Dict[Text, Any]]:
    return list(tracker.events or [])


def _last_user_index(events: List[Dict[Text, Any]]) -> int:
    return next((i for i in range(len(events) - 1, -1, -1) if events[i].get("event") == "user"), -1)


def loop_before_user(tracker: Tracker) -> Optional[Text]:
    """The form that was active when the user wrote the latest message."""
    events = _events(tracker)
    active = None
    for event in events[: max(_last_user_index(events), 0)]:
        if event.get("event") == "active_loop":
            active = event.get("name")
    return active


def digression(tracker: Tracker) -> Optional[Text]:
    """The name of the action that answered something else this turn while a form was waiting
    (and said something), or None."""
    events = _events(tracker)
    start = _last_user_index(events)
    if start < 0 or loop_before_user(tracker) not in FORMS:
        return None
    other = None
    for event in events[start + 1 :]:
        if event.get("event") == "action" and event.get("name") not in FORM_TURN_ACTIONS:
            other = event.get("name")
        elif event.get("event") == "bot" and other:
            return other
    return None


def times_unanswered(tracker: Tracker, slot: Text, every_message: bool = False) -> int:
    """How many user messages, since the current form started, came while `slot` was the pending
    question (the latest message included) and left it unanswered: an aside that got its own
    answer (a topic question, "why do you ask?", the privacy question) uses up no try; a message
    nothing could read does. With `every_message`, every message while it was pending counts."""
    active, requested, count = None, None, 0
    events = _events(tracker)
    for i, event in enumerate(events):
        kind = event.get("event")
        if kind == "active_loop":
            name = event.get("name")
            if name != active:
                count = 0  # a new run of a form: its questions start afresh
            active = name
        elif kind == "slot" and event.get("name") == "requested_slot":
            requested = event.get("value")
        elif kind == "user" and active in FORMS and requested == slot:
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            count += every_message or (
                intent != WHY_INTENT
                and not _aside_answered(events, i, intent)
                and not _gave_another_fact(events, i, slot)
            )
    return count


def _gave_another_fact(events: List[Dict[Text, Any]], user_index: int, slot: Text) -> bool:
    """Whether the user message at `user_index` filled another triage fact (it was heard and is
    said back, so it uses no try); at most three such facts exist, so this cannot loop."""
    for event in events[user_index + 1 :]:
        if event.get("event") == "user":
            return False
        if (
            event.get("event") == "slot"
            and event.get("name") in NOTED_SLOTS
            and event.get("name") != slot
            and event.get("value") not in (None, "unknown")
        ):
            return True
    return False


# The menu after a message nothing could read: it says "I didn't understand", which answers nothing
# (it answers "help", an aside of its own).
NOT_UNDERSTOOD_ACTION = "action_explain_scope"


def _aside_answered(events: List[Dict[Text, Any]], user_index: int, intent: Optional[Text]) -> bool:
    """Whether the user message at `user_index` was an aside that another action answered in its
    turn (before the next user message)."""
    answering = None
    for event in events[user_index + 1 :]:
        kind = event.get("event")
        if kind == "user":
            return False
        if kind == "action":
            name = event.get("name")
            answering = name if name not in FORM_TURN_ACTIONS else None
        elif (
            kind == "bot"
            and answering
            and (answering != NOT_UNDERSTOOD_ACTION or intent in NOT_ANSWER_INTENTS)
        ):
            return True
    return False


def gives_up(tracker: Tracker, slot: Text, reading_answer: bool = False) -> bool:
    """True when the pending question `slot` has now gone unanswered twice. While a validate_
    method reads an answer, the slot holds that (unreadable) answer, so it is not checked."""
    return (
        slot in GIVE_UP
        and tracker.get_slot("requested_slot") == slot
        and (reading_answer or tracker.get_slot(slot) is None)
        and (
            times_unanswered(tracker, slot) >= MAX_UNANSWERED
            or times_unanswered(tracker, slot, every_message=True) >= MAX_PENDING_MESSAGES
        )
    )


class GivesUpAfterTwoMisses:
    """Mixin for a FormValidationAction (put it first): a question left unanswered twice is
    recorded as unknown, so the form moves on instead of asking it a third time.

    The form calls its validation action on the user's turn and again when it comes back after a
    digression. On the user's turn a message that fills nothing must stay a rejection (so the
    message's own rule answers it): the unknown is recorded then only when something else was
    filled; otherwise on the way back from the digression."""

    async def _extract_validation_events(self, dispatcher, tracker, domain) -> List[EventType]:
        events = await self.get_validation_events(dispatcher, tracker, domain)
        tracker.add_slots(events)
        slot = tracker.get_slot("requested_slot")
        filled_something = any(e.get("event") == "slot" and e.get("name") != "requested_slot" for e in events)
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if (
            slot
            and not filled_something
            and intent in FORM_TRIGGER_INTENTS
            and not _rejected_this_turn(tracker)
        ):
            # "he dumped me" or a stray fact while another question waits: their rules would start
            # the triage again (rejected at once, with nothing left to answer), so the form keeps
            # the turn and asks its question again.
            events.append(SlotSet(slot, None))
            filled_something = True
        if slot and gives_up(tracker, slot) and (filled_something or _rejected_this_turn(tracker)):
            unknown = [SlotSet(slot, GIVE_UP[slot])]
            tracker.add_slots(unknown)
            events += unknown
        next_slot = await self.next_requested_slot(dispatcher, tracker, domain)
        if next_slot:
            events.append(next_slot)
        return events


def _rejected_this_turn(tracker: Tracker) -> bool:
    events = _events(tracker)
    return any(e.get("event") == "action_execution_rejected" for e in events[_last_user_index(events) + 1 :])


def _unescape(payload: Text) -> Text:
    # Responses double their braces ({{ }}) so Rasa's templating leaves them alone.
    return payload.replace("{{", "{").replace("}}", "}")


class AskWithBridge(Action):
    """Asks a form's question: the domain's utter_ask_<slot>, or after a digression the short form
    of it behind "Back to where we were: " (after "why do you ask?", the short form alone)."""

    form = ""
    slot = ""

    def name(self) -> Text:
        return f"action_ask_{self.form}_{self.slot}"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        response = ((domain.get("responses") or {}).get(f"utter_ask_{self.slot}") or [{}])[0]
        buttons = [dict(b, payload=_unescape(b["payload"])) for b in response.get("buttons") or []]
        noted = noted_this_turn(tracker, self.slot)
        if noted:
            text = " ".join(noted + [questions()[question_key(self.slot)]["short"]])
        else:
            text = bridged(tracker, self.slot, response.get("text") or questions()[self.slot]["short"])
        if self.form == "triage_form" and _opens_with_distress(tracker):
            text = f"{message('triage_sorry')} {text}"
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


def _opens_with_distress(tracker: Tracker) -> bool:
    """The triage starts this turn, on a message that says how much it hurts ("my girlfriend left
    me last week and i cant stop crying"): its first question comes after a word of sympathy,
    not as if the pain went unheard."""
    if loop_before_user(tracker) is not None:
        return False
    events = _events(tracker)
    start = _last_user_index(events)
    if any(e.get("event") == "bot" for e in events[start + 1 :]):
        return False  # something was already said this turn (a safety line, advice)
    return matches("sounds_in_pain", (tracker.latest_message or {}).get("text") or "")


def _asked_again_unanswered(tracker: Tracker, slot: Text, said_this_turn: bool = False) -> bool:
    """The same question was pending when the user wrote, the message answered nothing, and
    nothing else has been said this turn (with `said_this_turn`: something has, the form's own
    "I didn't quite catch that"): asked word for word again, it would read as a loop."""
    events = _events(tracker)
    start = _last_user_index(events)
    if start < 0 or loop_before_user(tracker) not in FORMS:
        return False
    if any(e.get("event") == "bot" for e in events[start + 1 :]) != said_this_turn:
        return False
    return _requested_before(events, start) == slot and times_unanswered(tracker, slot) >= 1


def bridged(tracker: Tracker, slot: Text, full_text: Text) -> Text:
    """The question as it should be asked now."""
    came_from = digression(tracker)
    short = questions()[question_key(slot)]["short"]
    if came_from is None and _asked_again_unanswered(tracker, slot, said_this_turn=True):
        # The check's "Sorry, I didn't quite catch that" came first: the question alone, without
        # its introduction ("Let's think it through together: six short questions ...") again.
        return short
    if came_from is None and not _asked_again_unanswered(tracker, slot):
        return full_text
    lowered = short[0].lower() + short[1:]
    if came_from is None:  # asked again after a message that answered nothing
        if matches("asks_a_question", (tracker.latest_message or {}).get("text") or ""):
            return message("form_ask_after_a_question", question=lowered)
        return message("form_ask_again", question=short)
    if came_from == EXPLAIN_ACTION:
        return short
    bridge = message("form_bridge", question=lowered)
    if _said_last_turn(tracker, bridge):
        # The same bridge two turns in a row reads as a loop: worded differently the second time.
        return message("form_bridge_again", question=lowered)
    return bridge


def _said_last_turn(tracker: Tracker, text: Text) -> bool:
    """Whether the advisor's last turn before the latest user message ended with `text`."""
    events = _events(tracker)
    start = _last_user_index(events)
    for event in reversed(events[: max(start, 0)]):
        if event.get("event") == "bot":
            return (event.get("text") or "") == text
        if event.get("event") == "user":
            return False
    return False


def _ask_classes() -> None:
    required = {
        "triage_form": ("who_ended", "breakup_count", "time_since", "ex_behaviour"),
        "assessment_form": (
            "assess_breakups",
            "assess_red_flags",
            "assess_motive",
            "assess_foundation",
            "assess_cause",
            "assess_moving_on",
        ),
    }
    for form, slots in required.items():
        for slot in slots:
            name = f"AskWithBridge_{form}_{slot}"
            globals()[name] = type(name, (AskWithBridge,), {"form": form, "slot": slot})


_ask_classes()


class ActionExplainQuestion(Action):
    """ "why do you ask?": the reason for the pending question; the form then asks it again."""

    def name(self) -> Text:
        return EXPLAIN_ACTION

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        slot = tracker.get_slot("requested_slot")
        entry = (
            questions().get(question_key(slot)) if slot and tracker.active_loop.get("name") in FORMS else None
        )
        if entry is None and reconciliation_blocked(tracker):
            # "why not??" after "I won't help with getting back together": the reason for that.
            current = content()
            pronoun = tracker.get_slot("ex_pronoun")
            dispatcher.utter_message(
                text=message("blocked_why"),
                buttons=[topic_button(current, t, pronoun) for t in survivor_path(current)],
            )
            return []
        if entry is None:
            dispatcher.utter_message(text=message("form_why_no_question"))
            return []
        dispatcher.utter_message(text=message("form_why", why=entry["why"]))
        return []


class ActionStopAsking(Action):
    """ "just tell me" / "stop asking": ends the form; the rules then give the advice that fits
    what is known (the scenario advice, the check's summary, or the answers written so far)."""

    def name(self) -> Text:
        return "action_stop_asking"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if tracker.active_loop.get("name") in FORMS:
            dispatcher.utter_message(text=message("form_stopped"))
        elif not matches("stops_the_questions", (tracker.latest_message or {}).get("text") or ""):
            # No form, and no word of stopping questions: a misreading ("i just want things to go
            # back to normal"), not a promise to make; the menu answers as for any unclear message.
            return [ActiveLoop(None), SlotSet("requested_slot", None), FollowupAction("action_explain_scope")]
        else:
            dispatcher.utter_message(text=message("form_stopped_none_open"))
        return [ActiveLoop(None), SlotSet("requested_slot", None)]
