"""The triage form: asks only for the facts the user has not given yet (who ended it, first
breakup or not, how long ago, how the ex behaves now), and sets `scenario` as soon as those facts
decide it.

Entities from the NLU rule patterns fill most slots through the domain's mappings. The extract_*
methods below add what mappings can't: parsing "three weeks ago" into a bucket, and short free-text
answers to the question just asked ("him", "me", "twice"), read as nlp/answers.yml says.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.form_digressions import NOT_ANSWER_INTENTS, GivesUpAfterTwoMisses
from actions.safety import SAFETY_INTENTS, reconciliation_blocked
from actions.situation import TIME_BUCKETS, infer_scenario, time_since_bucket
from nlp.answers import matches, read_answer
from nlp.scenario_intent import BREAKUP_WORDS, ENDING_WORDS

# A short message right after a question is read as its answer, whatever intent the classifier
# guessed ("I think it was me" can look like sadness), except a safety message or a question about
# a topic ("should I do no contact with him?" names "him" but answers nothing).
NOT_ANSWERS_PREFIX = "ask_"
SHORT_ANSWER_WORDS = 8


def without_time_words(text: Text, entities: List[Dict[Text, Any]]) -> Text:
    """The text with the spans that say when ("2 months ago", "in september") blanked out: "it
    was 2 months ago" says how long ago, not how many breakups."""
    for entity in sorted(entities, key=lambda e: e.get("start") or 0, reverse=True):
        start, end = entity.get("start"), entity.get("end")
        if entity.get("entity") == "time_since" and isinstance(start, int) and isinstance(end, int):
            text = text[:start] + " " + text[end:]
    return text


# Messages about the no-contact count: their dates and "no contact" are not the breakup's.
NO_CONTACT_INTENTS = ("start_no_contact", "report_relapse", "ask_no_contact_day")


def about_no_contact(tracker: Tracker) -> bool:
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return intent in NO_CONTACT_INTENTS or any(
        e.get("entity") == "no_contact" for e in tracker.latest_message.get("entities") or []
    )


class ValidateTriageForm(GivesUpAfterTwoMisses, FormValidationAction):
    def name(self) -> Text:
        return "validate_triage_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        # After abuse was disclosed there is nothing to triage: the form ends at once and the
        # advice action explains why it won't coach reconciliation.
        if reconciliation_blocked(tracker):
            return []
        return domain_slots

    # --- extraction of free-text answers -------------------------------------------------

    @staticmethod
    def _answer_text(tracker: Tracker, slot: Text, max_words: int = SHORT_ANSWER_WORDS) -> Optional[Text]:
        """The latest message's text if it is a plausible answer to the question about `slot`."""
        if tracker.get_slot("requested_slot") != slot or tracker.get_slot(slot) is not None:
            return None
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = tracker.latest_message.get("text") or ""
        if (
            intent in SAFETY_INTENTS
            or intent in NOT_ANSWER_INTENTS
            or (intent or "").startswith(NOT_ANSWERS_PREFIX)
            or text.startswith("/")
        ):
            return None
        if len(text.split()) > max_words or matches("asks_what_to_do", text):
            # "ok but should i text her" asks for advice; its "ok" is not how the ex acts.
            return None
        return text

    def extract_who_ended(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        text = self._answer_text(tracker, "who_ended")
        value = read_answer("who_ended", text) if text else None
        if value is None:
            value = self._who_ended_restated(tracker)
        return {"who_ended": value} if value else {}

    @staticmethod
    def _who_ended_restated(tracker: Tracker) -> Optional[Text]:
        """ "she did" / "i did" / "it was mutual" while another question waits, or "he left" as a
        whole message: the user saying who ended it (already known, or not asked yet). Read as
        that fact (and said back mid-form), instead of "I didn't understand" or the question."""
        if tracker.get_slot("requested_slot") == "who_ended":
            return None  # asked: _answer_text reads it
        text = (tracker.latest_message.get("text") or "").strip().lower().rstrip(".!")
        if not matches("who_ended_said_alone", text):
            return None
        return read_answer("who_ended", text)

    def extract_breakup_count(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        text = self._answer_text(tracker, "breakup_count")
        if text:
            text = without_time_words(text, tracker.latest_message.get("entities") or [])
        value = read_answer("breakup_count", text) if text else None
        return {"breakup_count": value} if value else {}

    def extract_ex_behaviour(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        # How the ex acts takes a few more words ("he only talks to me about the kids, very cold").
        text = self._answer_text(tracker, "ex_behaviour", max_words=14)
        value = read_answer("ex_behaviour", text) if text else None
        return {"ex_behaviour": value} if value else {}

    def extract_time_since(self, dispatcher, tracker, domain) -> Dict[Text, Any]:
        """From the time_since entity ("3 weeks ago") or a button value; when the question was
        just asked, from the whole answer ("2 months") or "not sure"."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent in SAFETY_INTENTS or about_no_contact(tracker):
            return {}
        if tracker.get_slot("time_since") not in (None, "unknown"):
            # Already known: a later date belongs to something else ("he told me last week he
            # doesn't want to be friends") unless the message is about the breakup itself.
            text = tracker.latest_message.get("text") or ""
            if not (BREAKUP_WORDS.search(text.lower()) or ENDING_WORDS.search(text.lower())):
                return {}
        for entity in tracker.latest_message.get("entities") or []:
            if entity.get("entity") == "time_since":
                bucket = time_since_bucket(str(entity.get("value")))
                if bucket:
                    return {"time_since": bucket}
        text = self._answer_text(tracker, "time_since")
        if text is None:
            return {}
        if intent == "unsure":
            return {"time_since": "unknown"}
        bucket = time_since_bucket(text)
        return {"time_since": bucket} if bucket else {}

    # --- validation: keep only known values, and update the scenario ----------------------

    def _with_scenario(
        self, tracker: Tracker, slot: Text, value: Optional[Text], domain: DomainDict
    ) -> Dict[Text, Any]:
        allowed = domain.get("slots", {}).get(slot, {}).get("values") or []
        value = value if value in allowed else None
        if value is None:
            # A value nobody offered (a typed "/inform{...}" payload, say): ask again.
            return {slot: None}
        facts = {s: tracker.get_slot(s) for s in ("who_ended", "breakup_count", "ex_behaviour")}
        facts[slot] = value
        result: Dict[Text, Any] = {slot: value}
        scenario = infer_scenario(facts["who_ended"], facts["breakup_count"], facts["ex_behaviour"])
        if scenario and scenario != tracker.get_slot("scenario"):
            result["scenario"] = scenario
        return result

    def validate_who_ended(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._with_scenario(tracker, "who_ended", value, domain)

    def validate_breakup_count(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._with_scenario(tracker, "breakup_count", value, domain)

    def validate_ex_behaviour(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return self._with_scenario(tracker, "ex_behaviour", value, domain)

    def validate_time_since(self, value, dispatcher, tracker, domain) -> Dict[Text, Any]:
        return {"time_since": value if value in TIME_BUCKETS + ("unknown",) else None}
