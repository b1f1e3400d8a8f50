"""Rasa NLU component: turns the spaCy pipeline's rule-pattern matches into Rasa entities and lets the
safety patterns overrule the intent classifier.

It sits at the end of the NLU pipeline (after FallbackClassifier) so its decision is final:
- a `crisis/self_harm` match forces the intent `express_crisis`;
- an abuse `red_flag` match (violence, threats, sexual coercion, control, stalking) forces
  `disclose_abuse`;
- a `crisis/self_harm_past` match alone (past-tense or ambiguous wording: "when he left I just
  wanted to die", "I used to cut") forces `hint_self_harm`, answered with a gentle "are you safe
  right now?"; a classifier guess of `hint_self_harm` without that match becomes `express_sadness`;
- a message in another language (nlp/language.py) forces `other_language`, answered in English;
  crisis and abuse words in other languages are patterns and still win;
- a classifier guess of `express_crisis` on a message whose only crisis-like words are a known
  figure of speech ("this breakup is killing me") becomes `express_sadness`;
- a classifier guess of `disclose_abuse` or `express_crisis` stands even where a guard pattern
  read some of the words as harmless (`guarded` in the facts): in a long post a guard anywhere
  would otherwise cancel a real disclosure the patterns missed, and a missed crisis costs more
  than a false alarm;
- a scenario intent agrees with the facts the patterns read, or, unsure and with no fact behind
  it, becomes `want_ex_back` (nlp/scenario_intent.py);
- "should I send this: <draft>" (a lead-in pattern with a draft after it, nlp/draft_lead_in.py)
  becomes `check_message`, unless safety decided, and the draft's words give no entities;
- an empty message, or a "/..." payload that Rasa does not recognise, becomes `nlu_fallback`.
The patterns are data (nlp/patterns/*.yml) built into the spaCy pipeline, so they can be edited
without retraining. Nothing here reads config, so nothing here enters the model fingerprint.
"""

from __future__ import annotations

import re

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlp import ex_pronoun
from spacy.util import filter_spans

from nlp.build_pipeline import COMPETING_LABELS, IGNORE, SPANS_KEY, fact_spans
from nlp.draft_lead_in import inline_draft
from nlp.language import other_language
from nlp.scenario_intent import scenario_intent
from server import runtime

# The Rasa server imports this module when it loads the model; `rasa shell` and `rasa test` get the
# project's server changes this way too (server/runtime.py).
runtime.install()

CRISIS_INTENT = "express_crisis"
ABUSE_INTENT = "disclose_abuse"
SADNESS_INTENT = "express_sadness"
CHECK_INTENT = "hint_self_harm"
CHECK_MESSAGE_INTENT = "check_message"
# A request to check a message names it ("can you check my text", "should I send this"): without
# one of these words, "can you even read this" or "check this out <link>" is not a draft to check.
MESSAGE_WORDS = frozenset(
    {
        "text",
        "texts",
        "texting",
        "txt",
        "message",
        "messages",
        "msg",
        "send",
        "sending",
        "sent",
        "draft",
        "dm",
        "email",
        "e-mail",
        "letter",
        "wrote",
        "written",
        "write",
        "writing",
        "reply",
        "version",
        "snap",
        "whatsapp",
        "note",
        "wording",
        "words",
        "sms",
    }
)
OTHER_LANGUAGE_INTENT = "other_language"
FALLBACK_INTENT = "nlu_fallback"
# Entities kept when the gentle check or the language reply is forced: the others would let a
# form take the message as an answer ("when he left ..." fills who_ended) and skip the check.
KEPT_ON_CHECK = frozenset({"crisis", "red_flag", "ex_pronoun"})
# A clear statement about the user's own no contact (nlp/patterns/no_contact.yml) decides the
# intent when the classifier found nothing better: "im on day 5 of no contact btw" fell back to
# "I didn't understand", and a statement read as the no-contact topic got its card, not the count.
NO_CONTACT_INTENT_OF = {"started": "start_no_contact", "slip": "report_relapse"}
NO_CONTACT_UNSURE_INTENTS = frozenset({"nlu_fallback", "inform", "ask_no_contact"})
QUESTION = re.compile(
    r"\?|(^|[,.;:!]|\band|\bbut|\bso)\s*(how|what|when|why|should|is|does|do|can|will|would)\b",
    re.IGNORECASE,
)


def no_contact_intent(facts: Dict[Text, Any], predicted: Optional[Text], text: Text) -> Optional[Text]:
    """The no-contact count's intent for a clear statement the classifier missed, or None. A
    question about no contact keeps its topic ("I'm doing no contact, how long should it last?")."""
    if predicted not in NO_CONTACT_UNSURE_INTENTS or QUESTION.search(text):
        return None
    said = {e[ENTITY_ATTRIBUTE_VALUE] for e in facts["entities"] if e[ENTITY_ATTRIBUTE_TYPE] == "no_contact"}
    for fact in ("slip", "started"):  # "I broke no contact" says more than "no contact since"
        if fact in said:
            return NO_CONTACT_INTENT_OF[fact]
    return None


ABUSE_FLAGS = frozenset({"violence", "threat", "sexual_coercion", "control", "stalking"})
# Fact values that decide over the label's other values, reported even when another value came
# first: a repeat, then mixed signals decide the scenario (actions/situation.py infer_scenario);
# a slip is the news in "i did no contact for 3 weeks but last night i texted her".
DECIDING_FACTS = frozenset(
    {("ex_behaviour", "hot_and_cold"), ("breakup_count", "repeat"), ("no_contact", "slip")}
)


# Facts that a conditional clause only supposes ("what if he has a new gf already?", "if she
# texts me, should I answer"): asked about, not told. Safety words count wherever they stand.
SUPPOSED_LABELS = frozenset({"who_ended", "breakup_count", "ex_behaviour", "no_contact"})
# "if" opens a supposition at the start of a clause, or after these; "asked if", "know if",
# "see if" report a question instead ("he asked if we could try again" tells what he did).
_IF_OPENERS = frozenset({"what", "even", "and", "but", "so", "only", "because", "like", "just", "or"})
_CLAUSE_END = frozenset({",", ".", ";", "!", "?", ":", "\n", "then"})


def supposed(doc: Any, start: int) -> bool:
    """Whether the token at `start` stands in an "if" clause that began earlier in its clause."""
    for i in range(start - 1, max(-1, start - 12), -1):
        word = doc[i].lower_
        if word in _CLAUSE_END or doc[i].is_space:
            return False
        if word == "if":
            before = doc[i - 1].lower_ if i > 0 else ""
            return i == 0 or before in _IF_OPENERS or doc[i - 1].is_punct
    return False


def facts_from_doc(doc: Any) -> Dict[Text, Any]:
    """Reads the rule-pattern matches of one spaCy Doc.

    Returns {"entities": [...rasa entity dicts...], "self_harm": bool, "self_harm_past": bool,
    "abuse": bool, "figurative": bool, "guarded": bool}. Each label is reported once (its first
    match), except red_flag, because Rasa turns two values of one entity into a list, which no
    categorical slot accepts. The ex's pronoun is the one that refers to the ex, not to a third
    party (nlp/ex_pronoun.py).
    """
    entities: List[Dict[Text, Any]] = []
    seen: Dict[Text, Dict[Text, Any]] = {}
    self_harm = self_harm_past = abuse = figurative = distress_word = False
    spans = fact_spans(doc)
    # A guard (an `ignore` or figurative pattern of the safety labels) that won its overlap: the
    # patterns saw safety-like words and read them as harmless.
    competing = [s for s in doc.spans.get(SPANS_KEY, []) if s.label_ in COMPETING_LABELS]
    guarded = any(
        s.label_ in ("crisis", "red_flag") and s.id_ in (IGNORE, "figurative")
        for s in filter_spans(competing)
    )
    for ent in spans:
        label, ident = ent.label_, ent.id_ or None
        if label in SUPPOSED_LABELS and supposed(doc, ent.start):
            continue
        if label == "crisis":
            self_harm |= ident == "self_harm"
            self_harm_past |= ident == "self_harm_past"
            figurative |= ident == "figurative"
            distress_word |= ident == "distress_word"
            if ident not in ("self_harm", "self_harm_past"):
                continue
        if label == "red_flag":
            abuse |= ident in ABUSE_FLAGS
        entity = {
            ENTITY_ATTRIBUTE_TYPE: label,
            ENTITY_ATTRIBUTE_VALUE: ident if ident else ent.text,
            ENTITY_ATTRIBUTE_START: ent.start_char,
            ENTITY_ATTRIBUTE_END: ent.end_char,
            EXTRACTOR: "BreakupFactsExtractor",
        }
        if label == "ex_pronoun":
            continue  # chosen below, from all the mentions at once
        if label == "red_flag":
            entities.append(entity)
        elif label == "crisis" and label in seen and ident == "self_harm":
            seen[label] = entity  # the present-tense match says more than a past one
        elif (
            label in seen
            and (label, ident) in DECIDING_FACTS
            and seen[label][ENTITY_ATTRIBUTE_VALUE] != ident
        ):
            # "dumped six months ago, he's with someone else ... he called to say he missed me":
            # the mixed signals (or the repeat) decide the scenario, whatever came first
            seen[label] = entity
        elif label not in seen:
            seen[label] = entity
    entities.extend(seen.values())
    pronoun = ex_pronoun.choose(doc, spans)
    if pronoun is not None:
        value, start, end = pronoun
        entities.append(
            {
                ENTITY_ATTRIBUTE_TYPE: "ex_pronoun",
                ENTITY_ATTRIBUTE_VALUE: value,
                ENTITY_ATTRIBUTE_START: start,
                ENTITY_ATTRIBUTE_END: end,
                EXTRACTOR: "BreakupFactsExtractor",
            }
        )
    entities.sort(key=lambda e: e[ENTITY_ATTRIBUTE_START])
    return {
        "entities": entities,
        "self_harm": self_harm,
        "self_harm_past": self_harm_past,
        "abuse": abuse,
        "figurative": figurative,
        "distress_word": distress_word,
        "guarded": guarded,
    }


def safety_intent(facts: Dict[Text, Any], predicted: Optional[Text]) -> Optional[Text]:
    """The intent the safety patterns impose, or None to keep the classifier's."""
    if facts["self_harm"]:
        return CRISIS_INTENT
    if facts["abuse"]:
        return ABUSE_INTENT
    if facts.get("self_harm_past"):
        return CHECK_INTENT
    if predicted == CRISIS_INTENT and facts["figurative"]:
        return SADNESS_INTENT
    if predicted == CHECK_INTENT:
        return SADNESS_INTENT  # the gentle check follows a pattern, never a classifier guess
    return None


def language_intent(
    text: Text, forced: Optional[Text], predicted: Optional[Text], distress_word: bool = False
) -> Optional[Text]:
    """`other_language` for a message in another language (unless safety already decided);
    `nlu_fallback` when the classifier guessed `other_language` for a message that is English.
    A safety reading wins over the language: the crisis and abuse replies, and the gentle check
    for despairing words ("no puedo más", "je n'en peux plus"), whose buttons are short English."""
    if forced in (CRISIS_INTENT, ABUSE_INTENT, CHECK_INTENT):
        return None
    if other_language(text):
        # words of dying, death or despair in a message the advisor cannot read: the gentle check
        return CHECK_INTENT if distress_word else OTHER_LANGUAGE_INTENT
    if (forced or predicted) == OTHER_LANGUAGE_INTENT:
        return FALLBACK_INTENT
    return None


# Facts of an ordinary breakup: when the patterns read one of these and no abuse, a classifier
# guess of abuse is not trusted.
PLAIN_BREAKUP_FACTS = ("ex_behaviour", "who_ended")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class BreakupFactsExtractor(GraphComponent, EntityExtractorMixin):
    """Entities from the project's spaCy rule patterns, plus the safety intent override."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "BreakupFactsExtractor":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = (message.get(TEXT) or "").strip()
            if not text or text.startswith("/"):
                # Nothing to read, or a "/intent" payload. Rasa's RegexMessageHandler runs after
                # this component and replaces the intent of every valid payload; an unknown or
                # malformed one ("/hack{...") must not be guessed at by the classifier.
                self._force_intent(message, FALLBACK_INTENT)
                continue
            doc = message.get(SPACY_DOCS[TEXT])
            if doc is None:
                continue
            facts = facts_from_doc(doc)
            predicted = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            forced = safety_intent(facts, predicted)
            forced = language_intent(text, forced, predicted, facts["distress_word"]) or forced
            if (
                forced is None
                and predicted == CHECK_MESSAGE_INTENT
                and not any(token.lower_ in MESSAGE_WORDS for token in doc)
            ):
                forced = FALLBACK_INTENT  # not the next guess: "check this out" is no assessment
            if forced is None and inline_draft(doc) is not None:
                # "should I send this: <draft>": a request to check a message, whatever the draft
                # says; the draft's words are not facts about the user (the message workshop).
                forced, facts["entities"] = CHECK_MESSAGE_INTENT, []
            if (
                forced is None
                and predicted == ABUSE_INTENT
                and not facts["abuse"]
                and any(e[ENTITY_ATTRIBUTE_TYPE] in PLAIN_BREAKUP_FACTS for e in facts["entities"])
            ):
                # The patterns read the words as the ex's behaviour ("he hit me up") or as who
                # ended it ("he left me", which the classifier took for abuse) and found no abuse:
                # take the classifier's next guess. On the realistic sets, the classifier alone
                # (no abuse pattern) named abuse once in 1,154 messages, and wrongly.
                forced = self._next_intent(message, {ABUSE_INTENT, CRISIS_INTENT, CHECK_INTENT})
            entities = facts["entities"]
            if forced == OTHER_LANGUAGE_INTENT:
                entities = []
            elif forced == CHECK_INTENT:
                entities = [e for e in entities if e[ENTITY_ATTRIBUTE_TYPE] in KEPT_ON_CHECK]
            if entities:
                message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
            forced = forced or no_contact_intent(facts, predicted, text)
            forced = forced or self._scenario_intent(facts, message)
            if forced and forced != predicted:
                self._force_intent(message, forced)
        return messages

    @staticmethod
    def _next_intent(message: Message, excluded: set) -> Text:
        for ranked in message.get(INTENT_RANKING_KEY) or []:
            name = ranked.get(INTENT_NAME_KEY)
            if name and name not in excluded:
                return name
        return FALLBACK_INTENT

    @staticmethod
    def _scenario_intent(facts: Dict[Text, Any], message: Message) -> Optional[Text]:
        """A scenario intent that agrees with the patterns' facts (nlp/scenario_intent.py)."""
        intent = message.get(INTENT) or {}
        values: Dict[Text, Any] = {}
        for entity in facts["entities"]:
            values.setdefault(entity[ENTITY_ATTRIBUTE_TYPE], entity[ENTITY_ATTRIBUTE_VALUE])
        return scenario_intent(
            values,
            intent.get(INTENT_NAME_KEY),
            intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0,
            message.get(TEXT) or "",
        )

    @staticmethod
    def _force_intent(message: Message, name: Text) -> None:
        forced = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
        message.set(INTENT, forced, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [forced] + ranking, add_to_output=True)
