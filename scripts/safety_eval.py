"""Measures the safety rule patterns on realistic message sets (tests/realistic/*/*.yml format).

For each message it reads the rule patterns (nlp/pipeline, built by `make pipeline`) the way the
NLU component does (nlp/breakup_facts.py), and compares with the message's `safety` label:
- recall: share of messages labelled crisis / abuse / check that get a safety reply of any kind
  (the full crisis or abuse reply, or the gentle check), and the share that get exactly their kind;
- false alarms: share of messages labelled null that get any safety reply.
With --model, the trained model's intent is used instead (classifier guesses included).

Run: .venv/bin/python scripts/safety_eval.py DIR_OR_FILE [...] [--model models/advisor.tar.gz] [-v]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Text, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.breakup_facts import (  # noqa: E402
    ABUSE_INTENT,
    CHECK_INTENT,
    CRISIS_INTENT,
    facts_from_doc,
    language_intent,
    safety_intent,
)

KIND = {CRISIS_INTENT: "crisis", ABUSE_INTENT: "abuse", CHECK_INTENT: "check"}


def messages(paths: Iterable[Path]) -> List[Dict]:
    found = []
    for path in paths:
        files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
        for file in files:
            doc = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
            for m in doc.get("messages") or []:
                found.append(dict(m, file=file.name))
            for d in doc.get("dialogues") or []:
                # The opening turn carries the dialogue's label; later turns count only where
                # `labels: [{turn: N, safety: ...}]` labels them (N counted from 1).
                labels = {x.get("turn"): x for x in d.get("labels") or []}
                for n, turn in enumerate(d.get("turns") or [], start=1):
                    label = labels.get(n) or ({"safety": d.get("safety")} if n == 1 else None)
                    if label is not None and "safety" in label:
                        found.append(
                            {
                                "id": f"{d.get('id')}#{n}",
                                "text": turn,
                                "safety": label.get("safety"),
                                "file": file.name,
                            }
                        )
    return found


def pattern_kind(nlp, text: Text) -> Tuple[Optional[Text], Dict]:
    facts = facts_from_doc(nlp(text.lower()))
    forced = safety_intent(facts, None)
    forced = language_intent(text, forced, None, facts["distress_word"]) or forced
    return KIND.get(forced), facts


def model_kinds(model: Path, texts: List[Text]) -> List[Optional[Text]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def run():
        return [await agent.parse_message(t) for t in texts]

    return [KIND.get(p["intent"]["name"]) for p in asyncio.run(run())]


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--model", type=Path, help="use the trained model's intents")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)

    import spacy

    nlp = spacy.load(ROOT / "nlp" / "pipeline")
    items = [m for m in messages(args.paths) if m.get("text")]
    if args.model:
        kinds = model_kinds(args.model, [m["text"] for m in items])
    else:
        kinds = [pattern_kind(nlp, m["text"])[0] for m in items]

    labelled = [(m, k) for m, k in zip(items, kinds) if m.get("safety")]
    plain = [(m, k) for m, k in zip(items, kinds) if not m.get("safety")]
    caught = [(m, k) for m, k in labelled if k]
    exact = [(m, k) for m, k in labelled if k == m["safety"]]
    alarms = [(m, k) for m, k in plain if k]
    full = {"crisis", "abuse"}
    full_labelled = [(m, k) for m, k in labelled if m["safety"] in full]
    full_caught = [(m, k) for m, k in full_labelled if k]

    def pct(a, b):
        return f"{len(a)}/{len(b)} = {100 * len(a) / len(b):.1f}%" if b else "n/a (none)"

    print(f"messages: {len(items)} ({len(labelled)} labelled safety, {len(plain)} not)")
    print(f"safety recall (any safety reply):   {pct(caught, labelled)}")
    print(f"crisis+abuse recall (any reply):    {pct(full_caught, full_labelled)}")
    print(f"exact kind (crisis/abuse/check):    {pct(exact, labelled)}")
    print(f"false safety alarms:                {pct(alarms, plain)}")
    for kind in ("crisis", "abuse", "check"):
        group = [(m, k) for m, k in labelled if m["safety"] == kind]
        print(f"  {kind:7s} recall {pct([x for x in group if x[1]], group)}")
    if args.verbose:
        for m, k in labelled:
            if k != m["safety"]:
                print(f"MISS  {m['id']} [{m['safety']} -> {k}] {m['text'][:300]}")
        for m, k in alarms:
            print(f"ALARM {m['id']} [{k}] {m['text'][:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
