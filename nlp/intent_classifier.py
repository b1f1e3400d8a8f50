"""Rasa's LogisticRegressionClassifier, made safe for messages with nothing to read, and quick to load.

- An empty or blank message has no features, and scikit-learn then raises ("Found array with 0
  feature(s)"), which fails the whole turn: the user gets no reply at all. Here such a message
  gets no intent (confidence 0), so the FallbackClassifier after it turns it into `nlu_fallback`
  and the advisor answers kindly.
- The trained weights are saved as plain arrays (NumPy's .npz, read without pickle) instead of
  Rasa's skops file. Importing skops.io walks every scikit-learn estimator, about 5 s of every
  start of the Rasa server (and of `rasa test`), for a model that is four arrays. Loading is as
  safe: no object is unpickled. A model trained before this change (a .skops file) still loads
  through Rasa's own code; a model with neither file stops the start instead of running with an
  untrained classifier, which is what Rasa's load does.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message


# What a fitted LogisticRegression needs to predict, as saved and loaded here.
FITTED = ("coef_", "intercept_", "classes_", "n_iter_")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class EmptySafeLogisticRegressionClassifier(LogisticRegressionClassifier):
    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as model_dir:
            arrays = {name: np.asarray(getattr(self.clf, name)) for name in FITTED}
            arrays["classes_"] = arrays["classes_"].astype(str)  # text, never objects
            np.savez(model_dir / f"{self._resource.name}.npz", **arrays)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "EmptySafeLogisticRegressionClassifier":
        with model_storage.read_from(resource) as model_dir:
            weights = model_dir / f"{resource.name}.npz"
            if not weights.exists():
                if (model_dir / f"{resource.name}.skops").exists():  # trained before the .npz
                    return super().load(config, model_storage, resource, execution_context, **kwargs)
                raise FileNotFoundError(
                    f"the intent classifier's weights are missing from the model: {weights.name}"
                )
            component = cls(config, execution_context.node_name, model_storage, resource)
            with np.load(weights, allow_pickle=False) as saved:
                for name in FITTED:
                    setattr(component.clf, name, saved[name])
            component.clf.n_features_in_ = component.clf.coef_.shape[1]
            return component

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
