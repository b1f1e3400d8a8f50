"""Scores the trained model on realistic first messages, in-process (no servers): a quick proxy
for what the conversation would do with each person's opening message.

For every message of a YAML file (or every *.yml of a folder) in the shared realistic format
(`messages:` with text, scenario, safety, off_topic, optional topic), it parses the text with the
model and reads the result the way the assistant does on a first turn:
- the triage facts fill as the slot mappings in domain/triage.yml fill them: the rule-pattern
  entity first (never on a safety intent), else the intent (they_broke_up -> who_ended=ex,
  i_broke_up -> me, broke_up_again -> breakup_count=repeat, ex_hot_and_cold -> hot_and_cold);
- the scenario is actions.situation.infer_scenario of those facts (on a safety turn, of the
  pattern facts only: actions.situation.facts_stated), none for an
  off-topic reading;
- safety is the intent express_crisis (crisis) or disclose_abuse (abuse);
- off-topic is the intent out_of_scope or nlu_fallback (a message that is off-topic and about
  crisis or abuse is left out of the off-topic figures: the safety reply is the right one);
- the topic is the ask_<topic> intent of actions/content/topics.yml (scored only where the gold
  topic is one of those).

Prints the rates the realistic targets are about, and every misread.

Usage: python scripts/score_first_messages.py PATH [PATH ...] [--model models/advisor.tar.gz]
       [--quiet] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Text

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions.situation import facts_stated, infer_scenario  # noqa: E402

SAFETY_BY_INTENT = {"express_crisis": "crisis", "disclose_abuse": "abuse"}
SAFETY_REPLY_INTENTS = set(SAFETY_BY_INTENT) | {"hint_self_harm"}
OFF_TOPIC_INTENTS = frozenset({"out_of_scope", "nlu_fallback"})
# The value each scenario intent gives a triage slot (domain/triage.yml, from_intent mappings).
FACT_BY_INTENT = {
    "they_broke_up": ("who_ended", "ex"),
    "i_broke_up": ("who_ended", "me"),
    "broke_up_again": ("breakup_count", "repeat"),
    "ex_hot_and_cold": ("ex_behaviour", "hot_and_cold"),
}
FACT_SLOTS = ("who_ended", "breakup_count", "ex_behaviour")
KNOWN_TOPICS = frozenset(
    (yaml.safe_load((ROOT / "actions" / "content" / "topics.yml").read_text(encoding="utf-8")) or {}).get(
        "topics"
    )
    or {}
)
TARGETS = {  # the realistic set's targets, printed next to the figures
    "scenario_named": 0.85,
    "not_wrong": 0.97,
    "off_topic_recall": 0.90,
    "safety_recall": 1.00,
    "false_alarms": 0.02,
}


def load_messages(paths: Iterable[Text]) -> List[Dict[Text, Any]]:
    messages: List[Dict[Text, Any]] = []
    for given in paths:
        path = Path(given)
        files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
        for file in files:
            if "test" in file.parts[-2:-1]:
                raise SystemExit(f"{file}: the held-out test part is never scored here")
            doc = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
            for item in doc.get("messages") or []:
                if item.get("text"):
                    messages.append(dict(item, _file=file.name))
    return messages


def reading(parse: Dict[Text, Any]) -> Dict[Text, Any]:
    """What the assistant makes of one parsed first message."""
    intent = (parse.get("intent") or {}).get("name")
    entities = {}
    for entity in parse.get("entities") or []:
        entities.setdefault(entity.get("entity"), entity.get("value"))
    safety = SAFETY_BY_INTENT.get(intent)
    off_topic = intent in OFF_TOPIC_INTENTS
    facts: Dict[Text, Optional[Text]] = {slot: None for slot in FACT_SLOTS}
    if not safety:
        for slot in FACT_SLOTS:
            facts[slot] = entities.get(slot)
        if intent in FACT_BY_INTENT:
            slot, value = FACT_BY_INTENT[intent]
            facts[slot] = facts[slot] or value
    if intent in SAFETY_REPLY_INTENTS:
        # A safety reply keeps the facts the words state, and the scenario they decide
        # (actions/safety.py facts_kept), without a classifier guess.
        kept = facts_stated(parse.get("entities"), {})
        facts.update({slot: kept.get(slot) for slot in FACT_SLOTS})
        scenario = kept.get("scenario")
    else:
        scenario = (
            None
            if off_topic
            else infer_scenario(facts["who_ended"], facts["breakup_count"], facts["ex_behaviour"])
        )
    topic = intent[len("ask_") :] if intent and intent.startswith("ask_") else None
    return {
        "intent": intent,
        "facts": facts,
        "scenario": scenario,
        "safety": safety,
        "off_topic": off_topic,
        "topic": topic,
        "pronoun": entities.get("ex_pronoun"),
        "confidence": (parse.get("intent") or {}).get("confidence"),
        "entities": entities,
        "from_patterns": infer_scenario(*(entities.get(slot) for slot in FACT_SLOTS)),
    }


def rate(hits: int, total: int) -> Optional[float]:
    return hits / total if total else None


def score(messages: List[Dict[Text, Any]], readings: List[Dict[Text, Any]]) -> Dict[Text, Any]:
    named = named_total = wrong = 0
    off_hit = off_total = off_false = on_total = 0
    safety_hit = safety_total = alarms = calm_total = 0
    topic_hit = topic_total = 0
    misreads: List[Text] = []
    for msg, got in zip(messages, readings):
        gold_scenario = msg.get("scenario")
        gold_safety = msg.get("safety")
        gold_off = bool(msg.get("off_topic"))
        problems = []
        if gold_scenario and not gold_off:
            named_total += 1
            named += got["scenario"] == gold_scenario
            if got["scenario"] is None:
                problems.append(f"scenario not named (want {gold_scenario})")
        if got["scenario"] and got["scenario"] != gold_scenario:
            wrong += 1
            problems.append(f"WRONG scenario {got['scenario']} (want {gold_scenario})")
        if gold_off and gold_safety in ("crisis", "abuse"):
            pass  # a safety reply is the right one: not counted as on- or off-topic
        elif gold_off:
            off_total += 1
            off_hit += got["off_topic"]
            if not got["off_topic"]:
                problems.append("off-topic missed")
        else:
            on_total += 1
            if got["off_topic"]:
                off_false += 1
                problems.append("read as off-topic")
        if gold_safety in ("crisis", "abuse"):
            safety_total += 1
            safety_hit += got["safety"] is not None
            if got["safety"] is None:
                problems.append(f"SAFETY missed ({gold_safety})")
            elif got["safety"] != gold_safety:
                problems.append(f"safety {got['safety']} (want {gold_safety})")
        elif gold_safety is None:
            calm_total += 1
            if got["safety"]:
                alarms += 1
                problems.append(f"false {got['safety']} alarm")
        if msg.get("topic") in KNOWN_TOPICS:
            topic_total += 1
            topic_hit += got["topic"] == msg["topic"]
            if got["topic"] != msg["topic"]:
                problems.append(f"topic {got['topic']} (want {msg['topic']})")
        if problems:
            text = " ".join(str(msg["text"]).split())
            misreads.append(
                f"{msg.get('id', '?')}: {'; '.join(problems)}\n"
                f"    intent={got['intent']} facts={got['facts']}\n"
                f"    {text[:300]}{'...' if len(text) > 300 else ''}"
            )
    return {
        "messages": len(messages),
        "scenario_named": rate(named, named_total),
        "scenario_named_n": named_total,
        "not_wrong": rate(len(messages) - wrong, len(messages)),
        "wrong_n": wrong,
        "off_topic_recall": rate(off_hit, off_total),
        "off_topic_n": off_total,
        "off_topic_false": rate(off_false, on_total),
        "safety_recall": rate(safety_hit, safety_total),
        "safety_n": safety_total,
        "false_alarms": rate(alarms, calm_total),
        "calm_n": calm_total,
        "topic_right": rate(topic_hit, topic_total),
        "topic_n": topic_total,
        "misreads": misreads,
    }


def _fmt(value: Optional[float]) -> Text:
    return "   n/a" if value is None else f"{value:6.1%}"


def report(result: Dict[Text, Any]) -> Text:
    rows = [
        ("scenario named (gold non-null)", "scenario_named", "scenario_named_n", ">="),
        ("no wrong scenario", "not_wrong", "messages", ">="),
        ("off-topic recognised", "off_topic_recall", "off_topic_n", ">="),
        ("on-topic read as off-topic", "off_topic_false", None, ""),
        ("safety recall (crisis+abuse)", "safety_recall", "safety_n", ">="),
        ("false safety alarms", "false_alarms", "calm_n", "<="),
        ("topic right (gold topic)", "topic_right", "topic_n", ""),
    ]
    lines = [f"{result['messages']} messages"]
    for label, key, n_key, sign in rows:
        target = TARGETS.get(key)
        goal = f"  (target {sign} {target:.0%})" if target is not None else ""
        n = f"  n={result[n_key]}" if n_key else ""
        lines.append(f"  {label:32} {_fmt(result[key])}{n}{goal}")
    return "\n".join(lines)


async def parse_all(model: Path, texts: List[Text]) -> List[Dict[Text, Any]]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def main(argv: Optional[List[Text]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="YAML files or folders of realistic messages")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "advisor.tar.gz")
    parser.add_argument("--quiet", action="store_true", help="figures only, no misreads")
    parser.add_argument("--json", type=Path, help="also write the figures and readings here")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.chdir(ROOT)  # config.yml's SpacyNLP model path is relative to the project
    logging.disable(logging.WARNING)
    messages = load_messages(args.paths)
    if not messages:
        print("no messages found")
        return 1
    parses = asyncio.run(parse_all(args.model, [str(m["text"]) for m in messages]))
    readings = [reading(p) for p in parses]
    result = score(messages, readings)
    if not args.quiet:
        print("\n".join(result["misreads"]))
        print()
    print(report(result))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "figures": {k: v for k, v in result.items() if k != "misreads"},
                    "readings": [dict(r, id=m.get("id")) for m, r in zip(messages, readings)],
                },
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
