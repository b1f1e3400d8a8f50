#!/usr/bin/env python
"""Plays the dialogues of tests/dialogues/*.yml against the advisor over REST, one fresh
conversation each, checks every turn (no text twice, at most N messages, no file names, and each
dialogue's own checks), writes readable transcripts to results/transcripts/<file>/<id>.md with a
SUMMARY.md, and exits 1 on a failed check (checks marked `xfail` are listed loudly, not fatal).
With --realistic PART it also measures the realistic set on the same servers (scripts/realistic_eval.py).

    scripts/transcripts.py                              # servers started here, stopped after
    scripts/transcripts.py --only failures/             # the dialogues whose file/id contains this
    scripts/transcripts.py --url http://127.0.0.1:5005 --token TOKEN
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from play import dialogues, realistic  # noqa: E402
from play.advisor import add_server_arguments, advisor_from_args  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dialogues",
        type=Path,
        default=dialogues.DIALOGUES,
        help="the folder of dialogue files (default tests/dialogues)",
    )
    parser.add_argument("--only", help="play only the dialogues whose '<file>/<id>' contains this")
    parser.add_argument(
        "--max-messages",
        type=int,
        default=6,
        help="the most messages one user line may get, unless a check says (default 6)",
    )
    parser.add_argument(
        "--realistic",
        choices=["test", "dev"],
        help="also measure this part of the realistic set on the same servers "
        "(the test part's targets are enforced)",
    )
    add_server_arguments(parser)
    args = parser.parse_args(argv)
    started = time.monotonic()
    with advisor_from_args(args.url, args.token) as advisor:
        status = dialogues.run(
            advisor, args.dialogues, jobs=args.jobs, max_messages=args.max_messages, only=args.only
        )
        if args.realistic:
            print()
            status = realistic.run(advisor, args.realistic, args.realistic == "test", args.jobs) or status
    print(f"took {time.monotonic() - started:.0f}s in all")
    return status


if __name__ == "__main__":
    sys.exit(main())
