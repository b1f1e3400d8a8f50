"""What the conversation store's failures look like, shared by the store (server/tracker_store.py)
and the failure handling that tells the user about them (server/resilience.py). In a module of its
own so that neither of the two imports the other: the store installs the failure handling (through
server/runtime.py) when it is imported."""

from __future__ import annotations

from typing import Text

import sqlalchemy.exc

DB_ERRORS = (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError, sqlalchemy.exc.DBAPIError)


class StoreUnavailable(RuntimeError):
    """The conversation store's database does not answer."""


class ProjectStore:
    """Marks the project's conversation store (server/tracker_store.py), the one whose failures the
    user is told about and whose deleted conversations get no reminder (server/resilience.py)."""


def first_line(error: BaseException) -> Text:
    """The first line of a database error's message (the driver's, when it wraps one)."""
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__
