"""Rasa's LogisticRegressionClassifier, made safe for messages with nothing to read.

An empty or blank message has no features, and scikit-learn then raises ("Found array with 0
feature(s)"), which fails the whole turn: the user gets no reply at all. Here such a message gets
no intent (confidence 0), so the FallbackClassifier after it turns it into `nlu_fallback` and
the advisor answers kindly.
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class EmptySafeLogisticRegressionClassifier(LogisticRegressionClassifier):
    def process(self, messages: List[Message]) -> List[Message]:
        readable, empty = [], []
        for message in messages:
            (readable if (message.get(TEXT) or "").strip() else empty).append(message)
        if readable:
            super().process(readable)
        for message in empty:
            message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        return messages
