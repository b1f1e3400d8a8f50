"""Everything a user can reach after disclosing abuse, walked in process.

Starting from the abuse reply, the menu and every typed intent, the walk follows every button the
replies offer (topics, tools, pointers), with the ex as he, she or they and with each fact the
triage can know, and runs the action the rules give that intent. It also reaches the no-contact
tracker's milestones and slip, the plan and the reflection exercises offered after abuse. It fails on
- any advice card shown that is not marked `after_abuse: safe`;
- any wording, anywhere in what is said, from the list of phrasings that blame the user or coach
  reconciliation (actions/content/survivor_wording.yml);
and it checks how many cards and which topics a survivor can reach, so a change is a decision.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import json
import pkgutil
from collections import deque
from typing import Dict, List, Optional, Set, Tuple

import pytest
import yaml
from rasa_sdk import Action
from rasa_sdk.executor import CollectingDispatcher

import actions
from actions import clock
from actions.content_store import CONDITIONS, content
from actions.guided_content import reflections_content
from actions.no_contact import ActionNoContactRelapse, ActionNoContactStatus
from actions.no_contact_content import MILESTONE_DAYS, load_tracker_texts
from actions.pronouns import fill
from actions.reflections import available
from conftest import ROOT, make_tracker

CONTENT = content()
WORDING = CONTENT.wording
TODAY = dt.date(2026, 11, 23)
PRONOUNS = ("he", "she", "they")
# After abuse the triage asks nothing (actions/triage.py) and ends in the scenario advice action;
# the message workshop asks nothing either, and its check declines (actions/workshop.py).
FORM_ENDS = {"triage_form": "action_give_scenario_advice", "workshop_form": "action_check_draft"}
# Typed intents that are not advice: erasing data, reminders sent by the scheduler.
NOT_WALKED = ("forget_confirm", "EXTERNAL_checkin")
# The cards a survivor can be shown, by id. Adding or removing one is a decision: update this.
EXPECTED_CARDS = {
    "survivor_missing_them_main",
    "survivor_not_your_fault_main",
    "survivor_staying_safe_main",
    "survivor_support_main",
    "survivor_rebuilding_main",
    "survivor_no_contact_main",
    "healing_main",
    "moving_on_main",
}


def _actions() -> Dict[str, Action]:
    found = {}
    for module in pkgutil.iter_modules(actions.__path__):
        mod = importlib.import_module(f"actions.{module.name}")
        for _, cls in inspect.getmembers(mod, inspect.isclass):
            if issubclass(cls, Action) and cls.__module__ == mod.__name__:
                try:
                    found[cls().name()] = cls()
                except (NotImplementedError, TypeError):
                    pass
    return found


def _rules() -> Dict[str, str]:
    """intent -> the action an unconditioned rule runs for it (data/rules/*.yml)."""
    mapping: Dict[str, str] = {}
    for path in sorted((ROOT / "data" / "rules").glob("*.yml")):
        for rule in (yaml.safe_load(path.read_text()) or {}).get("rules") or []:
            steps = rule.get("steps") or []
            if (
                rule.get("condition")
                or len(steps) < 2
                or "intent" not in steps[0]
                or "action" not in steps[1]
            ):
                continue
            mapping.setdefault(steps[0]["intent"], steps[1]["action"])
    return mapping


ACTIONS = _actions()
RULES = _rules()


def parse_payload(payload: str) -> Tuple[str, List[dict]]:
    body = payload.lstrip("/")
    if "{" in body:
        intent, raw = body.split("{", 1)
        entities = [{"entity": k, "value": v} for k, v in json.loads("{" + raw).items()]
        return intent, entities
    return body, []


def card_index(pronoun: str) -> Dict[str, str]:
    """The messages that open a card, as shown (its summary first, its full text on "Tell me
    more"), -> the card's id."""
    index = {}
    for c in CONTENT.cards:
        index[f"**{fill(c.title, pronoun)}**\n\n{fill(c.summary, pronoun)}"] = c.id
        index[f"**{fill(c.title, pronoun)}**\n\n{fill(c.text, pronoun)}"] = c.id
    return index


def blocked_passages(pronoun: str) -> Dict[str, str]:
    """Each step and script of a card not cleared after abuse (and of no cleared card) -> its
    card: a part of a blocked card shown on its own is caught too."""

    def passages(card):
        return [fill(t, pronoun) for t in [*card.steps, *(s.text for s in card.scripts)]]

    cleared = {p for c in CONTENT.cards if c.after_abuse == "safe" for p in passages(c)}
    return {
        p: c.id for c in CONTENT.cards if c.after_abuse == "blocked" for p in passages(c) if p not in cleared
    }


class Walk:
    def __init__(self, domain, pronoun: str, facts: Dict[str, Optional[str]]) -> None:
        self.domain = domain
        self.pronoun = pronoun
        self.slots = {"safety": "abuse", "ex_pronoun": pronoun, **facts}
        self.cards = card_index(pronoun)
        self.blocked = blocked_passages(pronoun)
        self.shown_cards: Set[str] = set()
        self.payloads: Set[str] = set()
        self.problems: List[str] = []
        self.reached_topics: Set[str] = set()

    def check(self, where: str, messages: List[dict]) -> List[str]:
        """Checks what was said; returns the button payloads offered."""
        offered = []
        for message in messages:
            text = message.get("text") or ""
            if message.get("response"):
                text = self.response_text(message["response"])
            card_id = self.cards.get(text)
            if card_id:
                self.shown_cards.add(card_id)
                card = next(c for c in CONTENT.cards if c.id == card_id)
                if card.after_abuse != "safe":
                    self.problems.append(f"{where}: card {card_id} is not cleared for after abuse")
            for passage, blocked_id in self.blocked.items():
                if passage in text:
                    self.problems.append(f"{where}: shows a part of {blocked_id}: {passage[:60]!r}")
            for phrase in WORDING.found_in(text):
                self.problems.append(f"{where}: says {phrase!r}: {text[:80]!r}")
            for button in message.get("buttons") or []:
                for phrase in WORDING.found_in(button["title"]):
                    self.problems.append(f"{where}: button says {phrase!r}")
                offered.append(button["payload"])
        return offered

    def response_text(self, name: str) -> str:
        variants = self.domain["responses"].get(name) or [{}]
        return "\n".join(v.get("text") or "" for v in variants)

    def run_action(self, name: str, tracker) -> Tuple[List[dict], List[dict]]:
        dispatcher = CollectingDispatcher()
        events: List[dict] = []
        if name.startswith("utter_"):
            dispatcher.utter_message(response=name)
        else:
            events = ACTIONS[name].run(dispatcher, tracker, self.domain) or []
        return dispatcher.messages, events

    def step(self, payload: str, open_subject: Optional[str]) -> Tuple[List[str], Optional[str]]:
        """Runs what the payload triggers with the subject open before it; returns the buttons
        offered and the subject open after it."""
        intent, entities = parse_payload(payload)
        action = FORM_ENDS.get(RULES[intent], RULES[intent])
        if intent in CONTENT.topic_by_intent:
            self.reached_topics.add(CONTENT.topic_by_intent[intent])
        tracker = make_tracker(
            slots={**self.slots, "open_subject": open_subject}, intent=intent, text=payload, entities=entities
        )
        messages, events = self.run_action(action, tracker)
        if action == "action_start_reflection":  # the form then asks which exercise
            messages += self.run_action("action_ask_reflect_exercise", tracker)[0]
        for event in events:
            if isinstance(event, dict) and event.get("name") == "open_subject":
                open_subject = event.get("value")
        return self.check(payload, messages), open_subject

    def run(self) -> "Walk":
        """Every payload once; a part ("What could I say?") once for each subject it opens on."""
        starts = ["/disclose_abuse", "/help"] + [f"/{i}" for i in RULES if i not in NOT_WALKED]
        queue = deque((payload, None) for payload in starts)
        done: Set[Tuple[str, Optional[str]]] = set()
        while queue:
            payload, open_subject = queue.popleft()
            key = (
                payload,
                open_subject if RULES.get(parse_payload(payload)[0]) == "action_show_part" else None,
            )
            if key in done:
                continue
            done.add(key)
            self.payloads.add(payload)
            if parse_payload(payload)[0] in NOT_WALKED:
                continue
            offered, now_open = self.step(payload, open_subject)
            queue.extend((p, now_open) for p in offered)
        return self


def fact_sets():
    """No facts, then each value of each fact the triage can know, one at a time."""
    yield {}
    for slot, values in CONDITIONS.items():
        for value in values:
            yield {slot: value}


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.mark.parametrize("pronoun", PRONOUNS)
def test_every_reply_reachable_after_abuse_is_cleared(domain, pronoun):
    shown: Set[str] = set()
    problems: List[str] = []
    for facts in fact_sets():
        walk = Walk(domain, pronoun, facts).run()
        problems += [f"{facts}: {p}" for p in walk.problems]
        shown |= walk.shown_cards
    assert problems == []
    assert shown == EXPECTED_CARDS, "the cards a survivor can reach changed"
    assert len(shown) == 8


def test_the_walk_reaches_the_survivors_path_and_the_safety_pointers(domain):
    walk = Walk(domain, "he", {"time_since": "under_2_weeks"}).run()
    path = set(CONTENT.registry.survivor_path)
    assert path <= walk.reached_topics
    # Every topic is typed at least once; after abuse, only cleared ones show their own card.
    assert {c.split("_main")[0] for c in walk.shown_cards} == path | {"healing", "moving_on"}
    assert "/express_crisis" in walk.payloads  # the crisis pointer of a survivor card
    assert "/start_assessment" not in walk.payloads or RULES["start_assessment"]


@pytest.mark.parametrize("day", MILESTONE_DAYS)
@pytest.mark.parametrize("pronoun", PRONOUNS)
def test_tracker_milestones_after_abuse_are_cleared(domain, day, pronoun):
    walk = Walk(domain, pronoun, {})
    start = (TODAY - dt.timedelta(days=day)).isoformat()
    tracker = make_tracker(slots={**walk.slots, "no_contact_start": start}, intent="ask_no_contact_day")
    dispatcher = CollectingDispatcher()
    ActionNoContactStatus().run(dispatcher, tracker, domain)
    offered = walk.check(f"day {day}", dispatcher.messages)
    assert walk.problems == []
    milestone = load_tracker_texts().milestone(day)
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert milestone.shown(True).title in said
    survivor = milestone.shown(True)
    for step in milestone.steps if milestone.after_abuse == "blocked" else []:
        assert step in survivor.steps or step not in said
    for payload in offered:
        topic = CONTENT.topic_by_intent[payload.lstrip("/")]
        assert CONTENT.cleared_after_abuse(topic)


def test_a_slip_after_abuse_is_cleared_and_gives_the_lines(domain):
    walk = Walk(domain, "they", {})
    tracker = make_tracker(
        slots={**walk.slots, "no_contact_start": "2026-11-01", "user_country": "GB"},
        intent="report_relapse",
        text="/report_relapse",
    )  # the button: a clear slip
    dispatcher = CollectingDispatcher()
    ActionNoContactRelapse().run(dispatcher, tracker, domain)
    walk.check("slip", dispatcher.messages)
    assert walk.problems == []
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "0808 2000 247" in said and "findahelpline.com" in said  # the UK's lines, the directory
    assert "1-800-799-7233" not in said  # not every country's


def test_every_tracker_text_states_its_after_abuse_status():
    texts = load_tracker_texts()
    for guidance in texts.all_guidance():
        assert guidance.after_abuse in ("safe", "blocked")
        shown = guidance.shown(True)
        assert not WORDING.found_in(" ".join([shown.title, shown.text, *shown.steps])), guidance.title


def test_the_plan_after_abuse_leaves_out_every_blocked_card(domain):
    walk = Walk(domain, "she", {})
    given = [c.id for c in CONTENT.cards]
    tracker = make_tracker(slots={**walk.slots, "advice_given": given}, intent="show_plan")
    dispatcher = CollectingDispatcher()
    ACTIONS["action_show_plan"].run(dispatcher, tracker, domain)
    walk.check("plan", dispatcher.messages)
    assert walk.problems == []
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    for card in CONTENT.cards:
        if card.after_abuse == "blocked":
            for step in card.steps:
                assert fill(step, "she") not in said, card.id


def test_reflection_exercises_offered_after_abuse_are_cleared():
    tracker = make_tracker(slots={"safety": "abuse"})
    offered = available(tracker)
    assert offered
    for key, exercise in offered.items():
        said = " ".join([exercise.title, exercise.intro, exercise.closing, *exercise.prompts])
        assert not WORDING.found_in(said), key
    hidden = set(reflections_content().exercises) - set(offered)
    assert hidden == {"admire", "differently"}


@pytest.mark.parametrize(
    "phrase",
    [
        "Ask honestly what you did wrong",
        "three qualities you admire in him",
        "what your part in it was",
        "win him back",
    ],
)
def test_the_forbidden_list_catches_the_known_harms(phrase):
    assert WORDING.found_in(phrase)


def test_the_forbidden_list_lets_the_survivor_messages_through():
    for card in CONTENT.cards:
        if card.after_abuse == "safe":
            assert not WORDING.found_in(" ".join(fill(t, "he") for t in card.all_text())), card.id


def test_the_walk_fails_when_a_blocked_card_gets_through(domain, monkeypatch):
    """The walk can fail: let the old "Working on yourself" card through the gate and it is caught,
    both as a card not cleared and for its wording."""
    original = type(CONTENT).cleared_after_abuse
    monkeypatch.setattr(
        type(CONTENT), "cleared_after_abuse", lambda self, t: t == "self_improvement" or original(self, t)
    )
    walk = Walk(domain, "he", {}).run()
    assert any("card self_improvement_main is not cleared" in p for p in walk.problems)
    assert any("what you did wrong" in p for p in walk.problems)
