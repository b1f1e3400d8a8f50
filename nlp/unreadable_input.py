"""Rasa NLU component: a message the advisor cannot read is not understood (`nlu_fallback`), rather
than guessed at by the classifier. A guess on such a message started flows nobody asked for
("mi novio me dejó" was read as a request for the six-question check; "42" as triage facts).

Unreadable means one of:
- no letter at all: numbers, emoji, punctuation ("42", "💔", "[1, 2, 3]"), markup tags aside;
- mostly words the advisor has never seen in its training examples: another language, keyboard
  mash ("asdf asdf", "quiero volver con ella"). Names and typos are fine as long as about half the
  words are known ("jake dumpd me");
- the classifier's `inform` (facts for the triage) with no fact in it (a bare pronoun is not a
  fact): nothing to update;
- a request to start a guided feature made only of function words ("the the the"): the feature
  requests all name the feature ("help me decide", "a reflection exercise").

It sits before BreakupFactsExtractor, whose safety patterns still overrule it. Button payloads
("/intent{...}") and empty messages are left to that component. The vocabulary is learnt from the
NLU training data when the model is trained.
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Optional, Set, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

FALLBACK_INTENT = "nlu_fallback"
SADNESS_INTENT = "express_sadness"
# Crying, sad and heartbroken faces (U+FE0F, the emoji presentation mark, is ignored).
SAD_EMOJI = frozenset("😭😢💔🥺😞😔😥😿🥲☹🙁😩😫😪😓")
INFORM_INTENT = "inform"
FEATURE_INTENTS = frozenset({"start_assessment", "start_reflection"})
# Intents this component never changes: the safety patterns and the classifier's own fallback.
KEPT_INTENTS = frozenset({"express_crisis", "disclose_abuse", FALLBACK_INTENT, "other_language"})
KNOWN_SHARE = 0.5  # below this share of known words, a message is unreadable
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
VOCABULARY_FILE = "vocabulary.json"


def words(text: Text) -> List[Text]:
    return [w.lower() for w in WORD.findall(text.replace("\u2019", "'"))]


# Markup tags ("<script>", "</b>", "<img src=x>"): not words of the message. Without them,
# "<script>alert(1)</script>" is read for what is left ("alert"), not as a request for a script.
MARKUP = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")


def unreadable(text: Text, vocabulary: Set[Text]) -> bool:
    found = words(MARKUP.sub(" ", text))
    if not found:
        return True
    known = sum(1 for w in found if w in vocabulary or w.split("'")[0] in vocabulary)
    return known / len(found) < KNOWN_SHARE


def has_facts(message: Message) -> bool:
    """Whether the spaCy patterns find a fact about the breakup (not only the ex's pronoun)."""
    doc = message.get(SPACY_DOCS[TEXT])
    if doc is None:
        return False
    from nlp.breakup_facts import facts_from_doc

    return any(e["entity"] != "ex_pronoun" for e in facts_from_doc(doc)["entities"])


def only_function_words(message: Message) -> bool:
    doc = message.get(SPACY_DOCS[TEXT])
    return doc is not None and all(t.is_stop or not t.is_alpha for t in doc)


def only_sad_emoji(text: Text) -> bool:
    """Whether the message is only sad or heartbroken emoji (with spaces or punctuation)."""
    found = False
    for char in text:
        if char in SAD_EMOJI:
            found = True
        elif not (char.isspace() or char in "\ufe0f\u200d.!?,…"):
            return False
    return found


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class UnreadableInputFilter(GraphComponent):
    """Turns the classifier's guess on an unreadable message into `nlu_fallback`."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    def __init__(
        self, model_storage: ModelStorage, resource: Resource, vocabulary: Optional[Set[Text]] = None
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.vocabulary: Set[Text] = vocabulary or set()

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "UnreadableInputFilter":
        return cls(model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "UnreadableInputFilter":
        with model_storage.read_from(resource) as directory:
            vocabulary = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        return cls(model_storage, resource, set(vocabulary))

    def train(self, training_data: TrainingData) -> Resource:
        for example in training_data.training_examples:
            self.vocabulary.update(words(example.get(TEXT) or ""))
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(json.dumps(sorted(self.vocabulary)), encoding="utf-8")
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = (message.get(TEXT) or "").strip()
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if text and only_sad_emoji(text):
                # "😭😭😭" or "💔" says something, it is not unreadable: the empathy reply, not
                # "I didn't understand".
                self._force(message, SADNESS_INTENT)
                continue
            if not text or text.startswith("/") or intent in KEPT_INTENTS:
                continue
            if has_facts(message):
                continue
            if (
                unreadable(text, self.vocabulary)
                or intent == INFORM_INTENT
                or (intent in FEATURE_INTENTS and only_function_words(message))
            ):
                self._fall_back(message)
        return messages

    @staticmethod
    def _fall_back(message: Message) -> None:
        UnreadableInputFilter._force(message, FALLBACK_INTENT)

    @staticmethod
    def _force(message: Message, name: Text) -> None:
        forced = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
        message.set(INTENT, forced, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [forced] + ranking, add_to_output=True)
