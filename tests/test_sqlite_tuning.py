"""The SQLite conversation store runs in WAL mode with synchronous=NORMAL (server/sqlite_tuning.py,
on the store's own engine), and conversations are still stored and read back."""

import asyncio

import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from server import sqlite_tuning
from server.tracker_store import AdvisorSQLTrackerStore as SQLTrackerStore


def test_the_tuning_is_on_the_store_engine_only(tmp_path):
    store = SQLTrackerStore(None, dialect="sqlite", db=str(tmp_path / "conversations.db"))
    assert sa.event.contains(store.engine, "connect", sqlite_tuning._tune)
    other = sa.create_engine(f"sqlite:///{tmp_path / 'other.db'}")
    assert not sa.event.contains(other, "connect", sqlite_tuning._tune)
    with other.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"


def test_sqlite_store_uses_wal_and_keeps_conversations(tmp_path):
    db = tmp_path / "conversations.db"
    domain = Domain.from_yaml("slots:\n  scenario:\n    type: text\n    mappings: [{type: custom}]\n")
    store = SQLTrackerStore(domain, dialect="sqlite", db=str(db))
    tracker = DialogueStateTracker.from_events(
        "someone", [ActionExecuted("action_listen"), UserUttered("hi"), SlotSet("scenario", "he_broke_up")]
    )
    asyncio.run(store.save(tracker))
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    again = asyncio.run(SQLTrackerStore(domain, dialect="sqlite", db=str(db)).retrieve("someone"))
    assert again is not None and again.get_slot("scenario") == "he_broke_up"


def test_other_databases_are_left_alone():
    class NotSqlite:
        def cursor(self):
            raise AssertionError("must not touch a non-SQLite connection")

    sqlite_tuning._tune(NotSqlite(), None)
