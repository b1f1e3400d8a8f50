"""Deletes conversations idle for more than N days from the conversation store named in
endpoints.yml (for a daily cron job).

    python -m ops.retention --days 90 [--dry-run] [--endpoints endpoints.yml]
    make retention DAYS=90

A conversation is idle when its newest event is older than the cut-off; it goes whole, every
session of it. Prints how many conversations and events it found and deleted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import List, Optional, Text

os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def load_store(endpoints: Text):
    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import read_endpoint_config

    from server.tracker_store import AdvisorSQLTrackerStore

    config = read_endpoint_config(endpoints, "tracker_store")
    if config is None:
        raise SystemExit(f"{endpoints} has no tracker_store: nothing is stored, nothing to delete.")
    store = TrackerStore.create(config)
    inner = getattr(store, "_tracker_store", store)
    if not isinstance(inner, AdvisorSQLTrackerStore):
        raise SystemExit(
            f"{endpoints}: tracker_store type is {config.type!r}; this command needs "
            "server.tracker_store.AdvisorSQLTrackerStore."
        )
    return inner


def main(argv: Optional[List[Text]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--days",
        type=float,
        required=True,
        help="delete conversations with no event for more than this many days",
    )
    parser.add_argument("--dry-run", action="store_true", help="count only, delete nothing")
    parser.add_argument("--endpoints", default="endpoints.yml")
    args = parser.parse_args(argv)
    if args.days < 0:
        parser.error("--days must be 0 or more")

    store = load_store(args.endpoints)
    from server.tracker_store import StoreUnavailable

    try:
        cutoff = time.time() - args.days * 86400
        total = store.count_conversations()
        idle = store.idle_conversations(cutoff)
        if args.dry_run:
            print(
                f"retention: {len(idle)} of {total} conversations idle for more than "
                f"{args.days:g} days (dry run: nothing deleted)"
            )
            return 0
        deleted, events = store.delete_conversations([sender for sender, _ in idle], cutoff)
        print(
            f"retention: deleted {deleted} of {total} conversations idle for more than "
            f"{args.days:g} days ({events} events); {total - deleted} kept"
        )
        return 0
    except StoreUnavailable as e:
        print(f"retention: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
