"""The advisor's conversation store: Rasa's SQLTrackerStore (SQLite by default, PostgreSQL in the
scale-out profile) with four changes.

- "Delete my data": when a turn carries the marker event (the slot `forget_confirmed` set to true
  by `action_forget_me`), `save` deletes every stored event of that conversation instead of
  storing the new ones, and cancels the conversation's pending reminders. Deleting inside `save`
  means it happens after Rasa's own save path, so nothing writes the conversation back.
- Start-up does not wait forever for the database (Rasa's own class retries every 5 s without
  end): after ADVISOR_DB_STARTUP_ATTEMPTS tries it logs a clear error and starts anyway; the
  tables are created as soon as the database answers.
- An unreachable database is reported, not papered over: Rasa's fail-safe wrapper would start a
  new conversation in memory without a word; here its error callback marks the turn (`resilience`)
  so the user is told "I can't reach my memory" (server/resilience.py). No extra query per message.
- Cheaper turns (py-spy under `make bench` found the store taking ~45% of the Rasa server's
  time): SQLite connections are pooled instead of opened per query; `save` knows how many events
  of a tracker it handed out are stored, instead of counting them in the database; `retrieve`
  hands out the tracker saved last turn when one indexed query shows nothing was stored since,
  instead of reading and replaying the whole session. See "knowing what is stored" below.

Configured in endpoints.yml with `type: server.tracker_store.AdvisorSQLTrackerStore` and the same
keys as Rasa's `type: SQL` (dialect, host, port, db, username, password, login_db, query).
Importing this module also checks Rasa and installs the project's changes to the Rasa server
(server/runtime.py: failure handling, faster checks and graph runs), before Rasa loads the model.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Iterator, List, Optional, Text, Tuple

import sqlalchemy as sa
import sqlalchemy.exc
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import (
    SQLTrackerStore,
    TrackerStore,
    create_engine_kwargs,
    is_postgresql_url,
    validate_port,
)
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted, SlotSet
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from rasa.shared.core.trackers import DialogueStateTracker

from server import runtime, sqlite_tuning
from server.store_errors import DB_ERRORS, ProjectStore, StoreUnavailable, first_line

logger = logging.getLogger(__name__)

FORGET_SLOT = "forget_confirmed"
STARTUP_ATTEMPTS_ENV = "ADVISOR_DB_STARTUP_ATTEMPTS"
TRACKER_CACHE_ENV = "ADVISOR_TRACKER_CACHE"  # conversations remembered; 0: always read the database
DEFAULT_TRACKER_CACHE = 1000
CONNECT_TIMEOUT_S = 3


@dataclass
class _Known:
    tracker: Optional[DialogueStateTracker]  # None: nothing was stored when it was last read
    stored: int  # how many of its events are in the database
    total: Optional[int]  # how many events the conversation has there (all sessions)
    last_id: Optional[int]  # the id of the newest
    reusable: bool  # retrieve may hand it out again (after checking total, last_id)


def _int_env(name: Text, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def asks_to_forget(events: Iterable[Any]) -> bool:
    return any(isinstance(e, SlotSet) and e.key == FORGET_SLOT and e.value is True for e in events)


class AdvisorSQLTrackerStore(SQLTrackerStore, ProjectStore):
    """SQLTrackerStore that can erase a conversation and starts without its database."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        dialect: Text = "sqlite",
        host: Optional[Text] = None,
        port: Optional[int] = None,
        db: Text = "rasa.db",
        username: Text = None,
        password: Text = None,
        event_broker: Optional[EventBroker] = None,
        login_db: Optional[Text] = None,
        query: Optional[Dict] = None,
        **kwargs: Dict[Text, Any],
    ) -> None:
        port = validate_port(port)
        self._db, self._login_db = db, login_db
        self._engine_url = self.get_db_url(dialect, host, port, db, username, password, login_db, query)
        self.engine = sa.create_engine(self._engine_url, **_engine_kwargs(self._engine_url))
        sqlite_tuning.tune(self.engine)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self._ready = False
        self._was_down = False
        self._last_error = ""
        # sender_id -> the tracker handed out or saved lately, and what of it is stored
        self._known: "OrderedDict[Text, _Known]" = OrderedDict()
        self._known_limit = max(1, _int_env(TRACKER_CACHE_ENV, DEFAULT_TRACKER_CACHE))
        self._reuse_trackers = _int_env(TRACKER_CACHE_ENV, DEFAULT_TRACKER_CACHE) > 0

        attempts = max(1, int(os.environ.get(STARTUP_ATTEMPTS_ENV, "3")))
        for attempt in range(1, attempts + 1):
            if self._prepare(log_failure=attempt == attempts):
                break
            if attempt < attempts:
                time.sleep(2)
        if not self._ready:
            logger.error(
                "The conversation store (%s) is unreachable after %d attempts. The server starts "
                "anyway: every message gets a short apology until the database answers, and "
                "the tables are created then.",
                self.describe(),
                attempts,
            )
        TrackerStore.__init__(self, domain, event_broker, **kwargs)

    # -- connection ---------------------------------------------------------------------------

    def describe(self) -> Text:
        """The database, without its password."""
        return repr(self.engine.url)

    def _prepare(self, log_failure: bool = True) -> bool:
        """Creates the database (login_db, PostgreSQL) and the tables; False if unreachable."""
        try:
            if self._login_db:
                self._create_database_and_update_engine(self._db, self._engine_url)
                self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
            try:
                self.Base.metadata.create_all(self.engine)
            except sqlalchemy.exc.ProgrammingError as e:  # created by another instance meanwhile
                logger.warning("Could not create the tables (another instance may have): %s", e)
            self._ready = True
            return True
        except DB_ERRORS as e:
            self._last_error = first_line(e)
            if log_failure:
                logger.error("The conversation store (%s) is unreachable: %s", self.describe(), first_line(e))
            return False

    def _report_unreachable(self, error: BaseException) -> None:
        """Remembers the outage; Rasa's fail-safe store then calls resilience's error callback,
        which logs it and gives the user an apology (server/resilience.py)."""
        self._was_down = True

    def _require_ready(self) -> None:
        if not self._ready and not self._prepare():
            raise StoreUnavailable(f"The conversation store ({self.describe()}) is unreachable.")

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The conversation's latest session, as Rasa's store returns it; the tracker saved last
        turn when the database confirms nothing was stored since (one indexed query instead of
        reading and replaying every event)."""
        try:
            self._require_ready()
            tracker = self._reuse(sender_id)
            if tracker is None:
                tracker = self._load_latest_session(sender_id)
        except (StoreUnavailable, *DB_ERRORS) as e:
            self._report_unreachable(e)
            raise
        if self._was_down:
            logger.warning("The conversation store (%s) answers again.", self.describe())
            self._was_down = False
        return tracker

    async def retrieve_full_tracker(self, conversation_id: Text) -> Optional[DialogueStateTracker]:
        self._require_ready()
        return await super().retrieve_full_tracker(conversation_id)

    async def keys(self) -> Iterable[Text]:
        self._require_ready()
        return await super().keys()

    # -- knowing what is stored ---------------------------------------------------------------
    # Rasa's store reads and replays every event of the session on each turn, and counts the
    # stored events on each save to find the new ones. This store remembers, for the trackers it
    # handed out or saved lately (an LRU of ADVISOR_TRACKER_CACHE conversations), how many of the
    # tracker's events are stored, and how many events the conversation has stored with the id
    # of the newest:
    # - `save` writes the events past that count (Rasa's count query only for other trackers);
    # - `retrieve` hands out the saved tracker again when the conversation's stored events are
    #   still the ones it knows (their number and newest id: one indexed query) and the tracker
    #   has no unsaved events. Anything written or deleted by another process or server, a failed
    #   turn, or a new session (Rasa returns only the latest session) makes it read the database
    #   as Rasa does.

    def _remember(
        self, tracker: DialogueStateTracker, total: Optional[int], last_id: Optional[int], reusable: bool
    ) -> None:
        self._known[tracker.sender_id] = _Known(tracker, len(tracker.events), total, last_id, reusable)
        self._known.move_to_end(tracker.sender_id)
        while len(self._known) > self._known_limit:
            self._known.popitem(last=False)

    def _known_for(self, tracker: DialogueStateTracker) -> Optional["_Known"]:
        known = self._known.get(tracker.sender_id)
        if known is not None and known.tracker is None:  # `retrieve` found nothing stored
            return known
        if known is None or known.tracker is not tracker or known.stored > len(tracker.events):
            return None
        return known

    def _reuse(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        known = self._known.get(sender_id)
        if (
            not self._reuse_trackers
            or known is None
            or not known.reusable
            or known.tracker is None
            or len(known.tracker.events) != known.stored
        ):
            return None
        with self.session_scope() as session:
            stored = self._stored_totals(session, sender_id)
        if stored != (known.total, known.last_id):
            return None
        self._known.move_to_end(sender_id)
        return known.tracker

    def _load_latest_session(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
            events = [json.loads(row.data) for row in rows]
            total, last_id = self._stored_totals(session, sender_id) if rows else (0, None)
        if not events:
            # Nothing stored: the tracker Rasa creates next for this conversation is all new.
            self._known[sender_id] = _Known(None, 0, 0, None, reusable=False)
            return None
        if not self.domain:  # as Rasa's store: no tracker without a domain (nothing remembered)
            self._known.pop(sender_id, None)
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        self._remember(tracker, total, last_id, reusable=True)
        return tracker

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        known = self._known_for(tracker)
        if known is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, known.stored, len(tracker.events))

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """Not used: `save` publishes exactly the events it stores. (Rasa's version compares with
        a fresh `retrieve`, which would be the reused tracker here, and which re-sends an event
        after a session start: it returns the session without its `action_session_start`.)"""

    # -- saving and forgetting ----------------------------------------------------------------

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save (same rows, the same events to an event broker), that also deletes the
        conversation when the turn asks to."""
        self._require_ready()
        previous = self._known_for(tracker)
        with self.session_scope() as session:
            new_events = list(self._additional_events(session, tracker))
            if asks_to_forget(new_events):
                session.close()
                deleted = await self.forget(tracker.sender_id)
                logger.info("A conversation was deleted at the user's request (%d events).", deleted)
                return
            if self.event_broker is not None:
                await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)
            # Core INSERTs (the ORM's per-row flush cost more); the last one alone, for its id.
            rows = [self._row(tracker.sender_id, event) for event in new_events]
            table = self.SQLEvent.__table__
            if len(rows) > 1:
                session.execute(table.insert(), rows[:-1])
            last_id = previous.last_id if previous else None
            if rows:
                last_id = session.execute(table.insert(), rows[-1]).inserted_primary_key[0]
            session.commit()
        total = previous.total + len(rows) if previous and previous.total is not None else None
        # Rasa's retrieve returns the latest session only: a tracker holding more than one session
        # (one expired during this turn) is read back from the database next time.
        sessions = sum(isinstance(e, SessionStarted) for e in tracker.events)
        self._remember(tracker, total, last_id, reusable=total is not None and sessions <= 1)

    def _stored_totals(self, session: Any, sender_id: Text) -> Tuple[int, Optional[int]]:
        """(how many events the conversation has stored, in all sessions; the newest one's id)"""
        count, newest = (
            session.query(sa.func.count(self.SQLEvent.id), sa.func.max(self.SQLEvent.id))
            .filter(self.SQLEvent.sender_id == sender_id)
            .one()
        )
        return int(count or 0), newest

    def _row(self, sender_id: Text, event: Any) -> Dict[Text, Any]:
        data = event.as_dict()
        return dict(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )

    async def forget(self, sender_id: Text) -> int:
        """Deletes every stored event of one conversation and cancels its pending reminders;
        returns the number of events deleted."""
        with self.session_scope() as session:
            deleted = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
        self._known.pop(sender_id, None)
        await cancel_reminders(sender_id)
        return deleted

    # -- retention ----------------------------------------------------------------------------

    def idle_conversations(self, older_than: float) -> List[Tuple[Text, float]]:
        """(sender_id, last event time) of conversations with no event since `older_than`."""
        self._require_ready()
        last = sa.func.max(self.SQLEvent.timestamp)
        with self.session_scope() as session:
            rows = (
                session.query(self.SQLEvent.sender_id, last)
                .group_by(self.SQLEvent.sender_id)
                .having(last < older_than)
                .all()
            )
        return [(sender, ts) for sender, ts in rows]

    def count_conversations(self) -> int:
        self._require_ready()
        with self.session_scope() as session:
            return session.query(sa.func.count(sa.distinct(self.SQLEvent.sender_id))).scalar() or 0

    def delete_conversations(self, sender_ids: List[Text], older_than: float) -> Tuple[int, int]:
        """Deletes the conversations given, each only if still idle since `older_than` (a message
        arriving meanwhile keeps it); returns (conversations, events) deleted."""
        deleted = conversations = 0
        with self.session_scope() as session:
            for sender in sender_ids:
                newest = (
                    session.query(sa.func.max(self.SQLEvent.timestamp))
                    .filter(self.SQLEvent.sender_id == sender)
                    .scalar()
                )
                if newest is None or newest >= older_than:
                    continue
                deleted += (
                    session.query(self.SQLEvent)
                    .filter(self.SQLEvent.sender_id == sender)
                    .delete(synchronize_session=False)
                )
                conversations += 1
            session.commit()
        return conversations, deleted


def _engine_kwargs(url: Any) -> Dict[Text, Any]:
    """PostgreSQL: Rasa's pool settings, a connect timeout, and pool_pre_ping (a connection dropped
    by a database restart is replaced, not reused). A SQLite file: a pool of connections (SQLAlchemy
    1.4 otherwise opens a new one, and sets its pragmas, for every query)."""
    kwargs = create_engine_kwargs(url)
    if is_postgresql_url(url):
        kwargs.setdefault("connect_args", {}).setdefault("connect_timeout", CONNECT_TIMEOUT_S)
        kwargs["pool_pre_ping"] = True
        return kwargs
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        # The server uses the store from its event-loop thread; the pool hands a connection to
        # one user at a time, so sharing it across threads (the retention tool's) is safe.
        kwargs.update(
            poolclass=sa.pool.QueuePool,
            pool_size=5,
            max_overflow=10,
            connect_args={"check_same_thread": False},
        )
    return kwargs


async def cancel_reminders(sender_id: Text) -> int:
    """Removes the scheduled Rasa reminders of one conversation from this server's scheduler."""
    from rasa.core import jobs

    removed = 0
    if getattr(jobs, "__scheduler", None) is None:  # none started here: nothing is pending
        return 0
    try:
        scheduler = await jobs.scheduler()
    except RuntimeError as e:  # started on another event loop (not the server's)
        logger.warning("Could not cancel reminders: %s", e)
        return 0
    for job in scheduler.get_jobs():
        args = getattr(job, "args", None) or ()
        if len(args) >= 2 and args[1] == sender_id:
            scheduler.remove_job(job.id)
            removed += 1
    return removed


runtime.install()
