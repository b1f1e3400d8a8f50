"""Guided reflection exercises: one prompt at a time, free-text answers kept in the plan.

The answers live only in the tracker (`reflect_1`..`reflect_4` while the exercise runs, then
`reflections` = {exercise_id: [answers]}), so erasing the conversation erases them. A message with
safety language is never taken as an answer (see actions/guided_forms.py); the safety rules answer
it and end the exercise.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.guided_content import Exercise, reflections_content
from actions.form_digressions import EXPLAIN_ACTION, GivesUpAfterTwoMisses, bridged, digression
from actions.guided_forms import answer_text, button_value, is_safety_message, match
from actions.messages import message
from actions.rendering import source_line
from actions.safety import reconciliation_blocked
from nlp.answers import matches

ANSWER_SLOTS = ("reflect_1", "reflect_2", "reflect_3", "reflect_4")
MAX_WORDS = 120
MAX_CHARS = 600  # per answer: enough for a few sentences, and a bounded tracker
# Which exercise a free-text answer picks is read as nlp/answers.yml says ("reflect_exercise"), and
# so is "that's all" and the like ("reflection_done"), which ends an optional prompt and is not kept
# as an answer.


def available(tracker: Tracker) -> Dict[Text, Exercise]:
    """The exercises offered: after abuse, only those meant for that (no warm thoughts of the ex)."""
    exercises = reflections_content().exercises
    if reconciliation_blocked(tracker):
        return {k: e for k, e in exercises.items() if e.after_abuse}
    return dict(exercises)


def chosen(tracker: Tracker) -> Optional[Exercise]:
    return available(tracker).get(tracker.get_slot("reflect_exercise") or "")


def exercise_buttons(tracker: Tracker) -> List[Dict[Text, Text]]:
    return [
        {"title": e.button, "payload": f'/start_reflection{{"reflect_exercise":"{k}"}}'}
        for k, e in available(tracker).items()
    ]


class ActionStartReflection(Action):
    def name(self) -> Text:
        return "action_start_reflection"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        events: List[EventType] = [SlotSet(s, None) for s in ANSWER_SLOTS]
        choice = button_value(tracker, "reflect_exercise")
        if choice is None:
            text = tracker.latest_message.get("text") or ""
            choice = None if text.startswith("/") else match("reflect_exercise", text)
        events.append(SlotSet("reflect_exercise", choice if choice in available(tracker) else None))
        return events


class ActionAskReflectExercise(Action):
    def name(self) -> Text:
        return "action_ask_reflect_exercise"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(
            text=bridged(
                tracker,
                "reflect_exercise",
                message("reflection_choose"),
            ),
            buttons=exercise_buttons(tracker),
        )
        return []


class _AskPrompt(Action):
    index = 0

    def name(self) -> Text:
        return f"action_ask_reflect_{self.index + 1}"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        exercise = chosen(tracker)
        if exercise is None or self.index >= len(exercise.prompts):
            return []
        prompt = exercise.prompts[self.index]
        came_from = digression(tracker)
        if came_from == EXPLAIN_ACTION:
            pass  # the reason was just given: the prompt alone
        elif came_from:
            prompt = message(
                "form_bridge", question=prompt[0].lower() + prompt[1:]
            )  # back after an aside: the prompt again
        elif self.index == 0:
            prompt = f"{exercise.title}\n\n{exercise.intro}\n\n{prompt}"
        dispatcher.utter_message(text=prompt)
        return []


class ActionAskReflect1(_AskPrompt):
    index = 0


class ActionAskReflect2(_AskPrompt):
    index = 1


class ActionAskReflect3(_AskPrompt):
    index = 2


class ActionAskReflect4(_AskPrompt):
    index = 3


class ValidateReflectionForm(GivesUpAfterTwoMisses, FormValidationAction):
    def name(self) -> Text:
        return "validate_reflection_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        exercise = chosen(tracker)
        if exercise is None:
            return ["reflect_exercise"]
        return ["reflect_exercise", *ANSWER_SLOTS[: len(exercise.prompts)]]

    async def extract_reflect_exercise(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        value = button_value(tracker, "reflect_exercise")
        text = (tracker.latest_message.get("text") or "").strip()
        if (
            value is None
            and tracker.get_slot("requested_slot") == "reflect_exercise"
            and not is_safety_message(tracker)
            and not text.startswith("/")
        ):
            value = match("reflect_exercise", text)  # "the boundaries one", "what I'd do differently"
        return {"reflect_exercise": value} if value else {}

    def validate_reflect_exercise(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value in available(tracker):
            return {"reflect_exercise": value}
        dispatcher.utter_message(
            text=message("reflection_not_offered"),
            buttons=exercise_buttons(tracker),
        )
        return {"reflect_exercise": None}

    @staticmethod
    def _answer(tracker: Tracker, slot: Text) -> Dict[Text, Any]:
        if tracker.get_slot("reflect_exercise") is None:
            return {}
        text = answer_text(tracker, slot, MAX_WORDS)
        if text is None:
            return {}
        return {slot: text[:MAX_CHARS]}

    async def extract_reflect_1(self, dispatcher, tracker, domain):
        return self._answer(tracker, "reflect_1")

    async def extract_reflect_2(self, dispatcher, tracker, domain):
        return self._answer(tracker, "reflect_2")

    async def extract_reflect_3(self, dispatcher, tracker, domain):
        return self._answer(tracker, "reflect_3")

    async def extract_reflect_4(self, dispatcher, tracker, domain):
        return self._answer(tracker, "reflect_4")


def saved_reflections(tracker: Tracker) -> Dict[Text, List[Text]]:
    value = tracker.get_slot("reflections")
    return {str(k): [str(a) for a in v] for k, v in value.items()} if isinstance(value, dict) else {}


class ActionSaveReflection(Action):
    def name(self) -> Text:
        return "action_save_reflection"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        exercise_id = tracker.get_slot("reflect_exercise")
        exercise = chosen(tracker)
        clear = [SlotSet(s, None) for s in ("reflect_exercise", *ANSWER_SLOTS)]
        if exercise is None:
            return clear
        answers = [tracker.get_slot(s) for s in ANSWER_SLOTS[: len(exercise.prompts)]]
        answers = [a for a in answers if a and not matches("reflection_done", a.replace("\u2019", "'"))]
        reflections = saved_reflections(tracker)
        reflections[exercise_id] = answers  # a redone exercise replaces the earlier answers
        dispatcher.utter_message(
            text=message("reflection_saved", closing=exercise.closing)
            + "\n\n"
            + source_line(exercise.sources),
            buttons=[
                {"title": message("button_show_plan"), "payload": "/show_plan"},
                {"title": message("button_another_exercise"), "payload": "/start_reflection"},
            ],
        )
        return [SlotSet("reflections", reflections), *clear]
