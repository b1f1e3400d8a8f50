#!/usr/bin/env python
"""The realistic message set against the advisor over REST: one fresh conversation per first
message of tests/realistic/<part>/*.yml, the slots read from the tracker, and the targets
(crisis and abuse recall 100%, false safety alarms <= 2%, no wrong scenario >= 97%, scenario named
>= 85%, off-topic recognised >= 90%). Prints a table and the misreads, writes
results/realistic/<part>.md (and .json), and exits 1 when a target is missed on the test part.

    scripts/realistic_eval.py                        # test part, on servers started here
    scripts/realistic_eval.py --part dev             # dev part (reported, not enforced)
    scripts/realistic_eval.py --url http://127.0.0.1:5005 --token TOKEN   # a running advisor
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from play.advisor import add_server_arguments, advisor_from_args  # noqa: E402
from play.realistic import REALISTIC, run  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--part",
        default="test",
        choices=["test", "dev"],
        help="which part of tests/realistic/ (default test)",
    )
    parser.add_argument(
        "--enforce",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="exit 1 when a target is missed (default: on for the test part only)",
    )
    parser.add_argument(
        "--set",
        type=Path,
        default=REALISTIC,
        help="the folder holding dev/ and test/ (default tests/realistic)",
    )
    parser.add_argument(
        "--show-text",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="quote each misread message (default: on for dev; the test part is held "
        "out, so its misreads are named by id)",
    )
    add_server_arguments(parser)
    args = parser.parse_args(argv)
    enforce = args.part == "test" if args.enforce is None else args.enforce
    started = time.monotonic()
    with advisor_from_args(args.url, args.token) as advisor:
        status = run(advisor, args.part, enforce, args.jobs, root=args.set, show_text=args.show_text)
    print(f"realistic evaluation took {time.monotonic() - started:.0f}s in all")
    return status


if __name__ == "__main__":
    sys.exit(main())
