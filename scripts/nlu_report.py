"""Prints the per-intent results of `rasa test nlu` and enforces the minimum scores.

Usage: python scripts/nlu_report.py results/nlu/intent_report.json
Exits 1 when a threshold below is missed. Safety intents have their own, stricter bar: missing a
crisis message costs far more than any other error.
"""

from __future__ import annotations

import json
import sys

MIN_WEIGHTED_F1 = 0.80
MIN_INTENT_F1 = 0.50
MIN_SAFETY_RECALL = 0.90
SAFETY_INTENTS = ("express_crisis", "disclose_abuse")
SUMMARY_ROWS = ("accuracy", "macro avg", "weighted avg", "micro avg")


def main(path: str) -> int:
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    intents = {k: v for k, v in report.items() if k not in SUMMARY_ROWS}
    print(f"{'intent':28} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}")
    for name in sorted(intents):
        row = intents[name]
        print(
            f"{name:28} {row['precision']:9.2f} {row['recall']:7.2f} {row['f1-score']:6.2f} {row['support']:8}"
        )
    weighted = report["weighted avg"]["f1-score"]
    print(f"{'weighted avg':28} {'':9} {'':7} {weighted:6.2f} {report['weighted avg']['support']:8}")
    failures = []
    if weighted < MIN_WEIGHTED_F1:
        failures.append(f"weighted F1 {weighted:.2f} < {MIN_WEIGHTED_F1}")
    for name, row in intents.items():
        if row["support"] and row["f1-score"] < MIN_INTENT_F1:
            failures.append(f"{name}: F1 {row['f1-score']:.2f} < {MIN_INTENT_F1}")
    for name in SAFETY_INTENTS:
        recall = intents.get(name, {}).get("recall", 0.0)
        if recall < MIN_SAFETY_RECALL:
            failures.append(f"{name}: recall {recall:.2f} < {MIN_SAFETY_RECALL}")
    if failures:
        print("NLU test set FAILED:\n  " + "\n  ".join(failures))
        return 1
    print(
        f"NLU test set passed (weighted F1 >= {MIN_WEIGHTED_F1}, every intent F1 >= "
        f"{MIN_INTENT_F1}, safety recall >= {MIN_SAFETY_RECALL})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "results/nlu/intent_report.json"))
