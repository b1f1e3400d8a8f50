"""Telegram updates handled once: the ids of recent updates, per bot, in the conversation store's
database (SQLite by default, PostgreSQL in the scale-out profile).

Telegram delivers an update again when the webhook answers slowly or fails; the redelivery has the
same `update_id`. Before an update is handled, `claim` inserts (bot id, update id): the primary key
makes the insert fail for an update already claimed, by this process, another server of the
scale-out profile, or before a restart. Inserting first, instead of looking first, means two
deliveries arriving at the same moment cannot both win.

Telegram keeps an undelivered update for at most 24 hours, so ids older than KEEP_SECONDS (48 h)
are pruned, at most once every PRUNE_EVERY_SECONDS. Without a SQL conversation store (Rasa's
in-memory store, as in `rasa shell`), the ids are kept in memory, which forgets them on restart
as the conversations themselves are forgotten.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from typing import Any, Optional, Text

import sqlalchemy as sa
import sqlalchemy.exc

logger = logging.getLogger(__name__)

TABLE = "telegram_updates"
KEEP_SECONDS = 48 * 3600
PRUNE_EVERY_SECONDS = 3600
MEMORY_CAPACITY = 100_000

_metadata = sa.MetaData()
updates = sa.Table(
    TABLE,
    _metadata,
    sa.Column(
        "bot_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=False
    ),
    sa.Column(
        "update_id",
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("received_at", sa.Float, nullable=False, index=True),
)


def bot_id_of(token: Optional[Text]) -> int:
    """The bot's numeric id: the part of its token before the colon (public, not the secret)."""
    head = (token or "").split(":", 1)[0]
    return int(head) if head.isdigit() else 0


def engine_of(tracker_store: Any) -> Optional[sa.engine.Engine]:
    """The SQLAlchemy engine of Rasa's tracker store (unwrapping its fail-safe wrapper), if any."""
    store = getattr(tracker_store, "_tracker_store", tracker_store)
    engine = getattr(store, "engine", None)
    return engine if isinstance(engine, sa.engine.Engine) else None


class UpdateLog:
    """Which updates of one bot were handled already."""

    def __init__(
        self, bot_id: int, engine: Optional[sa.engine.Engine] = None, keep_seconds: float = KEEP_SECONDS
    ) -> None:
        self.bot_id = bot_id
        self.engine = engine
        self.keep_seconds = keep_seconds
        self._table_ready = False
        self._last_prune = 0.0
        self._memory: "OrderedDict[int, float]" = OrderedDict()

    @property
    def persistent(self) -> bool:
        return self.engine is not None

    def _ensure_table(self) -> None:
        if not self._table_ready:
            try:
                _metadata.create_all(self.engine, checkfirst=True)
            except sqlalchemy.exc.ProgrammingError:  # created by another server meanwhile
                pass
            except sqlalchemy.exc.IntegrityError:  # PostgreSQL: the same race, on its catalog
                pass
            self._table_ready = True

    def claim(self, update_id: int, now: Optional[float] = None) -> bool:
        """True the first time an update is seen (handle it); False for a redelivery. When the
        database does not answer, the update is handled (better twice than never) and logged."""
        now = time.time() if now is None else now
        if self.engine is None:
            return self._claim_in_memory(update_id, now)
        try:
            self._ensure_table()
            with self.engine.begin() as connection:
                connection.execute(
                    updates.insert().values(bot_id=self.bot_id, update_id=int(update_id), received_at=now)
                )
        except sqlalchemy.exc.IntegrityError:
            return False
        except sqlalchemy.exc.SQLAlchemyError as error:
            logger.warning(
                "Could not record Telegram update %s as handled (%s): handling it anyway.",
                update_id,
                str(error).splitlines()[0] if str(error) else error,
            )
            return True
        self._maybe_prune(now)
        return True

    def _claim_in_memory(self, update_id: int, now: float) -> bool:
        if update_id in self._memory:
            return False
        self._memory[update_id] = now
        while len(self._memory) > MEMORY_CAPACITY:
            self._memory.popitem(last=False)
        return True

    def _maybe_prune(self, now: float) -> None:
        if now - self._last_prune < PRUNE_EVERY_SECONDS:
            return
        self._last_prune = now
        self.prune(now)

    def prune(self, now: Optional[float] = None) -> int:
        """Deletes this bot's ids older than keep_seconds; returns how many."""
        now = time.time() if now is None else now
        if self.engine is None:
            old = [uid for uid, at in self._memory.items() if at < now - self.keep_seconds]
            for uid in old:
                del self._memory[uid]
            return len(old)
        try:
            self._ensure_table()
            with self.engine.begin() as connection:
                result = connection.execute(
                    updates.delete().where(
                        sa.and_(
                            updates.c.bot_id == self.bot_id, updates.c.received_at < now - self.keep_seconds
                        )
                    )
                )
            return result.rowcount or 0
        except sqlalchemy.exc.SQLAlchemyError as error:
            logger.warning("Could not prune old Telegram update ids: %s", error)
            return 0
