"""nlp/intent_classifier.py: the weights saved as plain arrays load back into the same predictions,
an empty message gets no intent, and a model without its weights stops the load."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix

from nlp.intent_classifier import EmptySafeLogisticRegressionClassifier as Classifier

CONFIG = {"max_iter": 200, "random_state": 7}


def _fitted(storage, resource):
    component = Classifier.create(CONFIG, storage, resource, ExecutionContext(GraphSchema({}), "node"))
    rng = np.random.default_rng(7)
    x = rng.random((60, 12))
    y = np.array(["greet", "goodbye", "they_broke_up"] * 20)
    component.clf.fit(x, y)
    return component, x


def test_saved_weights_load_back_into_the_same_predictions(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("classifier")
    component, x = _fitted(storage, resource)
    component.persist()
    saved = list((tmp_path / "classifier").iterdir())
    assert [p.suffix for p in saved] == [".npz"]  # no pickle, no skops file
    loaded = Classifier.load(CONFIG, storage, resource, ExecutionContext(GraphSchema({}), "node"))
    assert list(loaded.clf.classes_) == list(component.clf.classes_)
    assert np.allclose(loaded.clf.predict_proba(x), component.clf.predict_proba(x))


def test_a_model_without_the_weights_stops_the_load(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("classifier")
    (tmp_path / "classifier").mkdir()
    with pytest.raises(FileNotFoundError, match="weights are missing"):
        Classifier.load(CONFIG, storage, resource, ExecutionContext(GraphSchema({}), "node"))


def test_an_empty_message_gets_no_intent(tmp_path, monkeypatch):
    storage, resource = LocalModelStorage(tmp_path), Resource("classifier")
    component, _ = _fitted(storage, resource)
    monkeypatch.setattr(
        Classifier, "_create_X", lambda self, messages: csr_matrix(np.ones((len(messages), 12)))
    )
    empty, said = Message(data={TEXT: "  "}), Message(data={TEXT: "hi"})
    component.process([empty, said])
    assert empty.get(INTENT) == {"name": None, "confidence": 0.0}
    assert said.get(INTENT)["name"] in {"greet", "goodbye", "they_broke_up"}
