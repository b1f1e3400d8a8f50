"""The advisor's conversation store: Rasa's SQLTrackerStore (SQLite by default, PostgreSQL in the
scale-out profile) with three changes.

- "Delete my data": when a turn carries the marker event (the slot `forget_confirmed` set to true
  by `action_forget_me`), `save` deletes every stored event of that conversation instead of
  storing the new ones, and cancels the conversation's pending reminders. Deleting inside `save`
  means it happens after Rasa's own save path, so nothing writes the conversation back.
- Start-up does not wait forever for the database (Rasa's own class retries every 5 s without
  end): after ADVISOR_DB_STARTUP_ATTEMPTS tries it logs a clear error and starts anyway; the
  tables are created as soon as the database answers.
- `reachable()` lets the server answer "I can't reach my memory" instead of silently starting a
  new conversation in memory (server/resilience.py).

Configured in endpoints.yml with `type: server.tracker_store.AdvisorSQLTrackerStore` and the same
keys as Rasa's `type: SQL` (dialect, host, port, db, username, password, login_db, query).
Importing this module also installs the failure handling of server/resilience.py.
"""
from __future__ import annotations

import json
import logging
import os
import time
from typing import Any, Dict, Iterable, List, Optional, Text, Tuple

import sqlalchemy as sa
import sqlalchemy.exc
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import (SQLTrackerStore, TrackerStore, create_engine_kwargs,
                                     is_postgresql_url, validate_port)
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from server import resilience

logger = logging.getLogger(__name__)

FORGET_SLOT = "forget_confirmed"
STARTUP_ATTEMPTS_ENV = "ADVISOR_DB_STARTUP_ATTEMPTS"
CONNECT_TIMEOUT_S = 3

DB_ERRORS = (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError,
             sqlalchemy.exc.DBAPIError)


class StoreUnavailable(RuntimeError):
    """The conversation store's database does not answer."""


def asks_to_forget(events: Iterable[Any]) -> bool:
    return any(isinstance(e, SlotSet) and e.key == FORGET_SLOT and e.value is True for e in events)


class AdvisorSQLTrackerStore(SQLTrackerStore):
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
        engine_kwargs = create_engine_kwargs(self._engine_url)
        if is_postgresql_url(self._engine_url):
            connect_args = engine_kwargs.setdefault("connect_args", {})
            connect_args.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
        # pool_pre_ping: a connection dropped by a database restart is replaced, not reused.
        self.engine = sa.create_engine(self._engine_url, pool_pre_ping=True, **engine_kwargs)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self._ready = False
        self._was_down = False
        self._last_error = ""

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
                "the tables are created then.", self.describe(), attempts)
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
            self._last_error = _first_line(e)
            if log_failure:
                logger.error("The conversation store (%s) is unreachable: %s",
                             self.describe(), _first_line(e))
            return False

    def reachable(self) -> bool:
        """True when the database answers now. Logs a clear error when it does not, and a line
        when it is back."""
        try:
            if not self._ready and not self._prepare(log_failure=False):
                raise StoreUnavailable(self._last_error or "no connection")
            with self.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        except (StoreUnavailable, *DB_ERRORS) as e:
            logger.error("The conversation store (%s) is unreachable (%s): the user gets an "
                         "apology and nothing is stored for this message.",
                         self.describe(), _first_line(e))
            self._was_down = True
            return False
        if self._was_down:
            logger.warning("The conversation store (%s) answers again.", self.describe())
            self._was_down = False
        return True

    def _require_ready(self) -> None:
        if not self._ready and not self._prepare():
            raise StoreUnavailable(f"The conversation store ({self.describe()}) is unreachable.")

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        self._require_ready()
        return await super().retrieve(sender_id)

    async def retrieve_full_tracker(self, conversation_id: Text) -> Optional[DialogueStateTracker]:
        self._require_ready()
        return await super().retrieve_full_tracker(conversation_id)

    async def keys(self) -> Iterable[Text]:
        self._require_ready()
        return await super().keys()

    # -- saving and forgetting ----------------------------------------------------------------

    async def save(self, tracker: DialogueStateTracker) -> None:
        self._require_ready()
        with self.session_scope() as session:
            new_events = list(self._additional_events(session, tracker))
        if asks_to_forget(new_events):
            deleted = await self.forget(tracker.sender_id)
            logger.info("A conversation was deleted at the user's request (%d events).", deleted)
            return
        await super().save(tracker)

    async def forget(self, sender_id: Text) -> int:
        """Deletes every stored event of one conversation and cancels its pending reminders;
        returns the number of events deleted."""
        with self.session_scope() as session:
            deleted = (session.query(self.SQLEvent)
                       .filter(self.SQLEvent.sender_id == sender_id)
                       .delete(synchronize_session=False))
            session.commit()
        await cancel_reminders(sender_id)
        return deleted

    # -- retention ----------------------------------------------------------------------------

    def idle_conversations(self, older_than: float) -> List[Tuple[Text, float]]:
        """(sender_id, last event time) of conversations with no event since `older_than`."""
        self._require_ready()
        last = sa.func.max(self.SQLEvent.timestamp)
        with self.session_scope() as session:
            rows = (session.query(self.SQLEvent.sender_id, last)
                    .group_by(self.SQLEvent.sender_id)
                    .having(last < older_than)
                    .all())
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
                newest = (session.query(sa.func.max(self.SQLEvent.timestamp))
                          .filter(self.SQLEvent.sender_id == sender).scalar())
                if newest is None or newest >= older_than:
                    continue
                deleted += (session.query(self.SQLEvent)
                            .filter(self.SQLEvent.sender_id == sender)
                            .delete(synchronize_session=False))
                conversations += 1
            session.commit()
        return conversations, deleted


async def cancel_reminders(sender_id: Text) -> int:
    """Removes the scheduled Rasa reminders of one conversation from this server's scheduler."""
    from rasa.core import jobs

    removed = 0
    if getattr(jobs, "__scheduler", None) is None:   # none started here: nothing is pending
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


def _first_line(error: BaseException) -> Text:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


resilience.install()
