"""One source of truth: topics.yml, the domain, the NLU data, rules, stories, conversation tests
and the action code must name the same things."""

import inspect
import pkgutil
import importlib

import pytest
import yaml
from rasa_sdk import Action

import actions
from actions.content_store import CONDITIONS, content
from actions.pronouns import fill
from conftest import ROOT

CONTENT = content()


def _yaml_files(folder):
    return sorted((ROOT / folder).rglob("*.yml"))


def _steps(folder, key):
    for path in _yaml_files(folder):
        for block in (yaml.safe_load(path.read_text()) or {}).get(key) or []:
            for step in block.get("steps") or []:
                yield path, step


@pytest.fixture(scope="module")
def nlu():
    from rasa.shared.nlu.training_data.loading import load_data

    return load_data(str(ROOT / "data" / "nlu"))


def _intent_names(domain):
    # Domain.as_dict() lists an intent as a name or as {name: properties}.
    return {i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]}


def test_topics_and_scenarios_have_domain_intents(domain):
    intents = _intent_names(domain)
    wanted = {t.intent for t in CONTENT.registry.topics.values()} | {
        s.intent for s in CONTENT.registry.scenarios.values()
    }
    assert wanted <= intents


def test_every_domain_intent_has_training_examples_and_a_rule(domain, nlu):
    intents = _intent_names(domain)
    examples = {e.get("intent") for e in nlu.intent_examples}
    # EXTERNAL_* intents are sent by reminders (check-ins), never typed: no examples, but a rule.
    assert {i for i in intents - examples if not i.startswith("EXTERNAL_")} == set()
    assert examples - intents == set()
    ruled = {step["intent"] for _, step in _steps("data/rules", "rules") if "intent" in step}
    assert intents - ruled == set()


def test_every_action_and_response_used_exists(domain):
    known = (
        set(domain["actions"])
        | set(domain["responses"])
        | set(domain.get("forms", {}))
        | {"action_listen", "action_restart", "action_deactivate_loop"}
    )
    for folder, key in (
        ("data/rules", "rules"),
        ("data/stories", "stories"),
        ("tests/conversations", "stories"),
    ):
        for path, step in _steps(folder, key):
            if "action" in step:
                assert step["action"] in known, f"{path.name}: {step['action']}"


def test_every_custom_action_is_implemented(domain):
    implemented = set()
    for module in pkgutil.iter_modules(actions.__path__):
        mod = importlib.import_module(f"actions.{module.name}")
        for _, cls in inspect.getmembers(mod, inspect.isclass):
            if issubclass(cls, Action) and cls.__module__ == mod.__name__:
                try:
                    implemented.add(cls().name())
                except NotImplementedError:
                    pass
    custom = {a for a in domain["actions"] if a.startswith(("action_", "validate_"))}
    assert custom - implemented == set()


def test_exactly_the_form_validators_get_the_domain():
    """endpoints.yml sends the domain only to actions marked `send_domain: true`. rasa-sdk's form
    validators read the form's slots from it (and ours the slots' values), and the forms' question
    actions read the question's wording (utter_ask_<slot>), so each of them needs the mark; the
    other actions never read it, and go without."""
    from rasa.shared.core.domain import Domain
    from rasa_sdk import FormValidationAction

    from actions.form_digressions import AskWithBridge

    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    assert endpoints["action_endpoint"].get("enable_selective_domain") is True
    validators = set()
    for module in pkgutil.iter_modules(actions.__path__):
        mod = importlib.import_module(f"actions.{module.name}")
        for _, cls in inspect.getmembers(mod, inspect.isclass):
            if issubclass(cls, FormValidationAction) and cls.__module__ == mod.__name__:
                validators.add(cls().name())
    assert validators, "no form validators found"
    validators |= {cls().name() for cls in AskWithBridge.__subclasses__()}
    marked = set(Domain.load(str(ROOT / "domain"))._actions_which_explicitly_need_domain)
    assert marked == validators


def test_card_conditions_match_the_domain_slots(domain):
    for slot, values in CONDITIONS.items():
        assert set(values) <= set(domain["slots"][slot]["values"]), slot


def test_button_titles_typed_as_text_are_training_examples(nlu):
    by_intent = {}
    for example in nlu.intent_examples:
        by_intent.setdefault(example.get("intent"), set()).add(example.get("text").lower())
    for topic in CONTENT.registry.topics.values():
        for pronoun in ("he", "she", "they"):
            title = fill(topic.button, pronoun).lower()
            assert title in by_intent[topic.intent], f"{title!r} is not an example of {topic.intent}"


def test_menu_tool_titles_typed_as_text_are_training_examples(nlu):
    from actions.conversation import tool_buttons

    by_intent = {}
    for example in nlu.intent_examples:
        by_intent.setdefault(example.get("intent"), set()).add(example.get("text").lower())
    for button in tool_buttons(blocked=False):
        intent = button["payload"].lstrip("/")
        assert button["title"].lower() in by_intent[intent], (
            f"{button['title']!r} is not an example of {intent}"
        )


def test_nlu_test_set_is_kept_out_of_training(nlu):
    from rasa.shared.nlu.training_data.loading import load_data

    test_set = load_data(str(ROOT / "tests" / "nlu"))  # the whole folder, as make test-nlu reads it
    training = {e.get("text").lower().strip() for e in nlu.intent_examples}
    overlap = [e.get("text") for e in test_set.intent_examples if e.get("text").lower().strip() in training]
    assert overlap == []
    assert {e.get("intent") for e in test_set.intent_examples} == {
        e.get("intent") for e in nlu.intent_examples
    }


def test_every_scenario_and_topic_has_a_conversation_test():
    intents = {step.get("intent") for _, step in _steps("tests/conversations", "stories")}
    for item in list(CONTENT.registry.topics.values()) + list(CONTENT.registry.scenarios.values()):
        assert item.intent in intents
