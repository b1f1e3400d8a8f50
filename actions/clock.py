"""The one place the actions read the time, so tests can set it.

- `today()` is the user's calendar day. ADVISOR_TODAY=YYYY-MM-DD overrides it: the end-to-end
  tests use it to move a no-contact count forward across a restart. Production leaves it unset.
- `seconds_per_day()` is the length of a check-in "day": 86400, or ADVISOR_CHECKIN_SECONDS_PER_DAY
  when set (tests deliver a "2 days later" check-in in a few seconds).
Unit tests monkeypatch these functions directly.
"""

from __future__ import annotations

import datetime as dt
import os

TODAY_ENV = "ADVISOR_TODAY"
SECONDS_PER_DAY_ENV = "ADVISOR_CHECKIN_SECONDS_PER_DAY"


def today() -> dt.date:
    override = os.environ.get(TODAY_ENV, "").strip()
    if override:
        return dt.date.fromisoformat(override)
    return dt.date.today()


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def seconds_per_day() -> float:
    override = os.environ.get(SECONDS_PER_DAY_ENV, "").strip()
    if override:
        value = float(override)
        if value <= 0:
            raise ValueError(f"{SECONDS_PER_DAY_ENV} must be positive, not {override!r}")
        return value
    return 86400.0
