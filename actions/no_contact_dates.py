"""The day a user names in their own words ("3 May", "last Monday", "two weeks ago", "3/5"),
for the no-contact tracker.

Conventions (also in docs/behaviour.md, "No contact and check-ins"):
- A date without a year is the most recent one that is not in the future ("3 December" said on
  23 November 2026 is 3 December 2025). A date with a year that is still to come, or "tomorrow",
  "next week", "in 3 days", is a future date: the advisor asks again.
- A weekday ("Monday", "last Monday", "since Monday") is the most recent such day before today.
- A numeric date like 3/5 is day/month or month/day. When only one reading is a real, past date,
  that one is taken; when both are, the advisor asks which (buttons "3 May" / "5 March").
- An impossible date ("31 February", "13/13") gets a question back, never a guess.
Relative phrases are parsed by dateparser with today as the base.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import List, Optional, Text

import dateparser

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTH = r"(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(\d{4}))?"
NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "a few": 3,
    "few": 3,
}
_COUNT = r"(\d{1,3}|" + "|".join(sorted(map(re.escape, NUMBERS), key=len, reverse=True)) + r")"

OK, AMBIGUOUS, IMPOSSIBLE, FUTURE, NONE = "ok", "ambiguous", "impossible", "future", "none"


@dataclass
class DateReading:
    status: Text  # OK, AMBIGUOUS, IMPOSSIBLE, FUTURE or NONE (no date said)
    date: Optional[dt.date] = None  # the date, when OK
    choices: List[dt.date] = field(default_factory=list)  # the readings to ask about
    said: Text = ""  # the words the date came from


def human(day: dt.date) -> Text:
    """3 May 2026 (no leading zero, English month name)."""
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def _valid(year: int, month: int, day: int) -> Optional[dt.date]:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year(raw: Optional[Text], today: dt.date) -> Optional[int]:
    if raw is None:
        return None
    year = int(raw)
    return year + 2000 if year < 100 else year


def _without_year(month: int, day: int, today: dt.date) -> Optional[dt.date]:
    """The most recent (month, day) that is not after today; None when it never exists."""
    for year in (today.year, today.year - 1, today.year - 2, today.year - 3, today.year - 4):
        date = _valid(year, month, day)
        if date is not None and date <= today:
            return date
    return None  # 29 February in no recent leap year, or an impossible day


def _calendar_date(month: int, day: int, year: Optional[int], today: dt.date, said: Text) -> DateReading:
    if _valid(2024, month, day) is None:  # 2024 is a leap year: only truly impossible days fail
        return DateReading(IMPOSSIBLE, said=said)
    if year is None:
        date = _without_year(month, day, today)
        return DateReading(OK, date, said=said) if date else DateReading(IMPOSSIBLE, said=said)
    date = _valid(year, month, day)
    if date is None:
        return DateReading(IMPOSSIBLE, said=said)  # 29 February in a common year
    return DateReading(FUTURE, said=said) if date > today else DateReading(OK, date, said=said)


def _numeric(first: int, second: int, year: Optional[int], today: dt.date, said: Text) -> DateReading:
    readings = [
        _calendar_date(m, d, year, today, said) for d, m in ((first, second), (second, first)) if 1 <= m <= 12
    ]
    good = sorted({r.date for r in readings if r.status == OK})
    if len(good) == 1:
        return DateReading(OK, good[0], said=said)
    if len(good) == 2:
        # day/month first: the reading most of the world uses is offered first
        day_first = _calendar_date(second, first, year, today, said).date
        return DateReading(AMBIGUOUS, choices=[day_first] + [d for d in good if d != day_first], said=said)
    if any(r.status == FUTURE for r in readings):
        return DateReading(FUTURE, said=said)
    return DateReading(IMPOSSIBLE, said=said)


def _count(word: Text) -> int:
    return int(word) if word.isdigit() else NUMBERS[word]


def read_date(text: Text, today: dt.date) -> DateReading:
    """The date named in `text`, read as described in the module docstring."""
    t = " " + re.sub(r"\s+", " ", text.lower()) + " "
    t = t.replace("’", "'")

    m = re.search(r"\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?\b", t)
    if m:
        return _numeric(int(m.group(1)), int(m.group(2)), _year(m.group(3), today), today, m.group(0))
    m = re.search(rf"\b{_DAY}(?: of)? {_MONTH}{_YEAR}\b", t)
    if m:
        return _calendar_date(
            MONTHS[m.group(2)], int(m.group(1)), _year(m.group(3), today), today, m.group(0)
        )
    m = re.search(rf"\b{_MONTH} {_DAY}{_YEAR}\b", t)
    if m:
        return _calendar_date(
            MONTHS[m.group(1)], int(m.group(2)), _year(m.group(3), today), today, m.group(0)
        )

    if re.search(
        r"\b(tomorrow|next (week|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
        r"|in (\d+|a|an|one|two|three|a few|a couple of) (days?|weeks?|months?)|from now)\b",
        t,
    ):
        return DateReading(FUTURE, said=t.strip())
    m = re.search(
        r"\b(the day before yesterday|yesterday|last night|today|tonight|this morning|just now|right now|now)\b",
        t,
    )
    if m:
        word = m.group(1)
        back = 2 if word == "the day before yesterday" else 1 if word in ("yesterday", "last night") else 0
        return DateReading(OK, today - dt.timedelta(days=back), said=word)
    m = re.search(
        r"\b(?:(last|this past|past|on|since|this) )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b",
        t,
    )
    if m:
        back = (today.weekday() - WEEKDAYS[m.group(2)]) % 7 or 7
        return DateReading(OK, today - dt.timedelta(days=back), said=m.group(0).strip())
    # "day 5 of no contact": day one was the start, so it began 4 days ago; "10 days of no
    # contact", "3 weeks into nc": that long ago
    m = re.search(rf"\bday {_COUNT} (?:of|into|in) (?:my )?(?:no contact|no-contact|nc)\b", t)
    if m:
        return DateReading(OK, today - dt.timedelta(days=max(_count(m.group(1)) - 1, 0)), said=m.group(0))
    m = re.search(rf"\b{_COUNT} (days?|weeks?) (?:of|into|in) (?:my )?(?:no contact|no-contact|nc)\b", t)
    if m:
        days = _count(m.group(1)) * (7 if m.group(2).startswith("week") else 1)
        return DateReading(OK, today - dt.timedelta(days=days), said=m.group(0))
    m = re.search(rf"\b{_COUNT} (days?|weeks?|fortnights?|months?) ago\b", t)
    if m:
        n, unit = _count(m.group(1)), m.group(2).rstrip("s")
        if unit == "fortnight":
            n, unit = n * 2, "week"
        parsed = dateparser.parse(
            f"{n} {unit}s ago",
            languages=["en"],
            settings={"RELATIVE_BASE": dt.datetime.combine(today, dt.time(12)), "PREFER_DATES_FROM": "past"},
        )
        if parsed is not None:
            return DateReading(OK, parsed.date(), said=m.group(0))
    m = re.search(r"\b(a fortnight ago|last week|last month|a week ago|a month ago)\b", t)
    if m:
        phrase = {"a fortnight ago": "2 weeks ago"}.get(m.group(1), m.group(1))
        parsed = dateparser.parse(
            phrase,
            languages=["en"],
            settings={"RELATIVE_BASE": dt.datetime.combine(today, dt.time(12)), "PREFER_DATES_FROM": "past"},
        )
        if parsed is not None:
            return DateReading(OK, parsed.date(), said=m.group(1))
    return DateReading(NONE)


def days_between(start: dt.date, today: dt.date) -> int:
    return (today - start).days
