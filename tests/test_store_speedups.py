"""The conversation store's shortcuts (server/tracker_store.py, "knowing what is stored") keep
exactly what Rasa's own SQLTrackerStore would store and return:

- every save writes each new event once, whether the tracker came from this store or not;
- `retrieve` hands the saved tracker out again only while the database still holds exactly what
  it saved; anything written or deleted elsewhere, unsaved events or a new session make it read
  the database, and then it returns what Rasa's store returns.
Each check compares with a plain Rasa SQLTrackerStore reading the same file.
"""

import asyncio

import pytest
import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from server.tracker_store import TRACKER_CACHE_ENV, AdvisorSQLTrackerStore

DOMAIN = Domain.from_yaml(
    "slots:\n"
    "  scenario:\n    type: text\n    mappings: [{type: custom}]\n"
    "  forget_confirmed:\n    type: bool\n    influence_conversation: false\n"
    "    mappings: [{type: custom}]\n"
)


def run(coroutine):
    return asyncio.run(coroutine)


def new_session(at: float) -> list:
    return [
        ActionExecuted("action_session_start", timestamp=at),
        SessionStarted(timestamp=at + 0.01),
        ActionExecuted("action_listen", timestamp=at + 0.02),
    ]


def turn(text: str, at: float) -> list:
    return [
        UserUttered(text, timestamp=at),
        BotUttered(f"re: {text}", timestamp=at + 0.01),
        ActionExecuted("action_listen", timestamp=at + 0.02),
    ]


def stored_texts(db, latest_session_only: bool = False) -> list:
    """What Rasa's own store reads back (every stored event, or what its `retrieve` returns), as
    (type, text) pairs."""
    rasa_store = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db))
    read = rasa_store.retrieve if latest_session_only else rasa_store.retrieve_full_tracker
    tracker = run(read("someone"))
    return [] if tracker is None else [(e.type_name, getattr(e, "text", None)) for e in tracker.events]


def pairs(tracker) -> list:
    return [(e.type_name, getattr(e, "text", None)) for e in tracker.events]


def row_count(db, sender="someone") -> int:
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as connection:
        return connection.exec_driver_sql(
            "SELECT count(*) FROM events WHERE sender_id = ?", (sender,)
        ).scalar()


@pytest.fixture
def db(tmp_path):
    return tmp_path / "conversations.db"


@pytest.fixture
def store(db):
    return AdvisorSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db))


def start_conversation(store) -> DialogueStateTracker:
    """As Rasa starts one: nothing found, a new tracker created and saved, then the first turn."""
    assert run(store.retrieve("someone")) is None
    tracker = DialogueStateTracker.from_events("someone", new_session(1.0), DOMAIN.slots)
    run(store.save(tracker))
    tracker.update_with_events(turn("hello", 2.0), DOMAIN)
    run(store.save(tracker))
    return tracker


def test_turns_store_each_event_once_and_the_saved_tracker_is_handed_out_again(store, db):
    tracker = start_conversation(store)
    for n in range(3):
        again = run(store.retrieve("someone"))
        assert again is tracker, "nothing changed in the database: the saved tracker is reused"
        again.update_with_events(turn(f"turn {n}", 10.0 + n) + [SlotSet("scenario", f"s{n}")], DOMAIN)
        run(store.save(again))
    assert row_count(db) == len(tracker.events) == 3 + 3 + 3 * 4
    assert stored_texts(db) == [(e.type_name, getattr(e, "text", None)) for e in tracker.events]
    fresh = run(SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db)).retrieve("someone"))
    assert fresh.get_slot("scenario") == "s2" == tracker.get_slot("scenario")


def test_a_write_by_another_server_is_read_from_the_database(store, db):
    tracker = start_conversation(store)
    other = AdvisorSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db))
    theirs = run(other.retrieve("someone"))
    assert theirs is not tracker
    theirs.update_with_events(turn("said elsewhere", 20.0), DOMAIN)
    run(other.save(theirs))

    mine = run(store.retrieve("someone"))
    assert mine is not tracker, "the database changed: the remembered tracker must not be reused"
    assert "said elsewhere" in [getattr(e, "text", None) for e in mine.events]
    mine.update_with_events(turn("back here", 30.0), DOMAIN)
    run(store.save(mine))
    assert row_count(db) == 12  # 6 + 3 from the other server + 3
    assert [t for _, t in stored_texts(db) if t] == [
        "hello",
        "re: hello",
        "said elsewhere",
        "re: said elsewhere",
        "back here",
        "re: back here",
    ]


def test_a_conversation_deleted_elsewhere_is_gone(store, db):
    start_conversation(store)
    other = AdvisorSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db))
    assert other.delete_conversations(["someone"], older_than=10**10) == (1, 6)
    assert run(store.retrieve("someone")) is None
    assert row_count(db) == 0


def test_unsaved_events_of_a_failed_turn_are_not_reused(store, db):
    tracker = start_conversation(store)
    tracker.update_with_events(turn("never saved", 40.0), DOMAIN)  # the turn failed before saving
    again = run(store.retrieve("someone"))
    assert again is not tracker
    assert "never saved" not in [getattr(e, "text", None) for e in again.events]
    assert pairs(again) == stored_texts(db, latest_session_only=True) and row_count(db) == 6


def test_a_new_session_is_read_back_as_rasa_returns_it(store, db):
    tracker = start_conversation(store)
    tracker.update_with_events(new_session(3600.0) + turn("a new day", 3601.0), DOMAIN)
    run(store.save(tracker))
    again = run(store.retrieve("someone"))
    assert again is not tracker, "a tracker holding two sessions is not handed out again"
    assert pairs(again) == stored_texts(db, latest_session_only=True)
    assert "hello" not in [getattr(e, "text", None) for e in again.events]  # latest session only
    assert row_count(db) == 12


def test_trackers_the_store_did_not_hand_out_are_saved_as_rasa_saves_them(store, db):
    start_conversation(store)
    # Built elsewhere from the stored events plus one new turn (as the HTTP API's replace does).
    stored = run(SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db)).retrieve("someone"))
    outsider = DialogueStateTracker.from_events(
        "someone", list(stored.events) + turn("via API", 50.0), DOMAIN.slots
    )
    run(store.save(outsider))
    assert row_count(db) == 9
    assert [t for _, t in stored_texts(db) if t][-2:] == ["via API", "re: via API"]


def test_rasa_s_own_path_for_a_new_conversation_stores_it_once(store, db):
    failsafe = FailSafeTrackerStore(store)  # how Rasa wraps every store
    tracker = run(failsafe.get_or_create_tracker("someone"))
    tracker.update_with_events(new_session(1.0) + turn("hi", 2.0), DOMAIN)
    run(failsafe.save(tracker))
    assert row_count(db) == len(tracker.events)
    assert run(failsafe.retrieve("someone")) is tracker


def test_delete_my_data_leaves_nothing_and_nothing_is_reused(store, db):
    tracker = start_conversation(store)
    tracker.update_with_events([SlotSet("forget_confirmed", True)], DOMAIN)
    run(store.save(tracker))
    assert row_count(db) == 0
    assert run(store.retrieve("someone")) is None


def test_with_the_cache_off_every_turn_reads_the_database(monkeypatch, db):
    monkeypatch.setenv(TRACKER_CACHE_ENV, "0")
    store = AdvisorSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db))
    tracker = start_conversation(store)
    again = run(store.retrieve("someone"))
    assert again is not tracker and pairs(again) == stored_texts(db, latest_session_only=True)
    again.update_with_events(turn("more", 60.0), DOMAIN)
    run(store.save(again))
    assert row_count(db) == 9


class CollectingBroker(EventBroker):
    def __init__(self):
        self.published = []

    def publish(self, event):
        self.published.append((event["event"], event.get("text") or event.get("name")))


def test_an_event_broker_gets_each_stored_event_once_in_order(db):
    broker = CollectingBroker()
    store = AdvisorSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db), event_broker=broker)
    start_conversation(store)
    again = run(store.retrieve("someone"))
    again.update_with_events(turn("streamed", 70.0), DOMAIN)
    run(store.save(again))
    full = run(SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db)).retrieve_full_tracker("someone"))
    assert broker.published == [
        (e.type_name, getattr(e, "text", None) or getattr(e, "action_name", None)) for e in full.events
    ]
    assert [text for event, text in broker.published if event == "user"] == ["hello", "streamed"]


def test_sqlite_connections_are_pooled(store, tmp_path):
    assert isinstance(store.engine.pool, sa.pool.QueuePool)
    with store.engine.connect() as first:
        raw = first.connection.dbapi_connection
    with store.engine.connect() as second:
        assert second.connection.dbapi_connection is raw, "the connection is reused, not reopened"
