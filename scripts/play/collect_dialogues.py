"""Copies the follow-up dialogues of the realistic set (tests/realistic/{dev,test}/*.yml,
`dialogues:`) into tests/dialogues/realistic.yml, with their sources, for `make transcripts`.
A turn labelled `safety: crisis | abuse | check` (`labels: [{turn: N, safety: ...}]`) gets an
`expect_safety` check (crisis for check: the gentle check sets it); a dialogue labelled only as a
whole gets the same check at any one of its turns. Scenario labels are not checked
here (the realistic set's first messages measure them). Transcripts are not training: the test part may be played.

    .venv/bin/python scripts/play/collect_dialogues.py [--set tests/realistic ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Dict, List

import yaml

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "dialogues" / "realistic.yml"
SLOT = {"crisis": "crisis", "check": "crisis", "abuse": "abuse"}  # the gentle check sets crisis
HEADER = """\
# The realistic set's follow-up dialogues (tests/realistic/{dev,test}/*.yml), copied by
# scripts/play/collect_dialogues.py: real people's later messages in the same thread, user lines
# only. Regenerate after the set changes; `xfail` marks and `default_xfail` made here are kept.
"""


def collect(roots: List[Path]) -> List[Dict[str, Any]]:
    dialogues, seen = [], set()
    for root in roots:
        for part in ("dev", "test"):
            for path in sorted((root / part).glob("*.yml")):
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
                for raw in data.get("dialogues") or []:
                    if raw["id"] in seen:
                        raise ValueError(f"{path}: dialogue id {raw['id']} used twice")
                    seen.add(raw["id"])
                    item: Dict[str, Any] = {"id": raw["id"]}
                    if raw.get("source"):
                        item["source"] = raw["source"]
                    item["note"] = f"realistic {part}/{path.name}" + (
                        f": {raw['note']}" if raw.get("note") else ""
                    )
                    item["turns"] = list(raw["turns"])
                    checks = [
                        {"turn": label["turn"], "expect_safety": SLOT[label["safety"]]}
                        for label in raw.get("labels") or []
                        if label.get("safety") in SLOT
                    ]
                    if not raw.get("labels") and raw.get("safety") in SLOT:
                        checks = [{"turn": "any", "expect_safety": SLOT[raw["safety"]]}]
                    if checks:
                        item["checks"] = checks
                    dialogues.append(item)
    return dialogues


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--set",
        type=Path,
        action="append",
        help="a folder holding dev/ and test/ (default tests/realistic; may be repeated)",
    )
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    dialogues = collect(args.set or [ROOT / "tests" / "realistic"])
    document: Dict[str, Any] = {}
    if args.out.exists():  # known failures marked in the file are kept
        before = yaml.safe_load(args.out.read_text(encoding="utf-8")) or {}
        if before.get("default_xfail"):
            document["default_xfail"] = before["default_xfail"]
        marked = {
            (d["id"], c.get("turn"), k): c["xfail"]
            for d in before.get("dialogues") or []
            for c in d.get("checks") or []
            if c.get("xfail")
            for k in c
            if k not in ("turn", "xfail")
        }
        for dialogue in dialogues:
            for check in dialogue.get("checks") or []:
                kind = next(k for k in check if k != "turn")
                if (dialogue["id"], check.get("turn"), kind) in marked:
                    check["xfail"] = marked[(dialogue["id"], check.get("turn"), kind)]
    document["dialogues"] = dialogues
    text = HEADER + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    args.out.write_text(text, encoding="utf-8")
    print(f"{len(dialogues)} dialogues written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
