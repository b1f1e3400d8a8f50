"""The rules that turn what the user said into a scenario, and "how long ago" into a bucket."""

from __future__ import annotations

import datetime as dt
import re
from typing import Optional, Text

import dateparser

HE_BROKE_UP = "he_broke_up"
YOU_BROKE_UP = "you_broke_up"
HOT_AND_COLD = "hot_and_cold"
SECOND_BREAKUP = "second_breakup"

TIME_BUCKETS = ("under_2_weeks", "2_weeks_to_2_months", "2_to_6_months", "over_6_months")


def infer_scenario(
    who_ended: Optional[Text], breakup_count: Optional[Text], ex_behaviour: Optional[Text]
) -> Optional[Text]:
    """The scenario, by precedence: a repeated breakup (whoever ended it), mixed signals,
    then who ended it. None while the facts don't decide it."""
    if breakup_count == "repeat":
        return SECOND_BREAKUP
    if ex_behaviour == "hot_and_cold":
        return HOT_AND_COLD
    if who_ended == "ex":
        return HE_BROKE_UP
    if who_ended in ("me", "mutual"):
        # A mutual decision that one now regrets reads like the articles' "you ended it".
        return YOU_BROKE_UP
    return None


# dateparser knows "3 weeks ago" and "yesterday" but not the vague words people use; these
# rewrites turn them into forms it knows. Order matters: longer phrases first.
_REWRITES = (
    (r"\b(a )?couple( of)?\b", "2"),
    (r"\b(a )?few\b", "3"),
    (r"\bseveral\b", "4"),
    (r"\b(a|one) and a half\b", "1.5"),
    (r"\bhalf a year\b", "6 months"),
    (r"\b(this morning|tonight|earlier today|just now)\b", "today"),
    (r"\blast night\b", "yesterday"),
    (r"\blast weekend\b", "last week"),
    (r"\b(over|about|around|almost|nearly|roughly|like|more than|less than|just|only|maybe)\b", ""),
    (r"\b(we broke up|broke up|it was|it's been|its been|been|since|for|and)\b", ""),
)


MONTHS = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
)  # fmt: skip
# "may" counts only as a whole answer or after a word that introduces a date ("i may be wrong").
_MONTH = re.compile(
    r"\b(january|jan|february|feb|march|mar|april|apr|june|jun|july|jul|august|aug|september"
    r"|sept|sep|october|oct|november|nov|december|dec|(?:^|(?<=in |ce |st |of |ly |te |id |ck ))may)"
    r"\b\.?(?:,? (\d{4}))?"
)


# "this year", "earlier this month": they say the breakup fell somewhere in a long span, which
# could be days or many months ago; no bucket fits, so the question is asked.
_A_WHOLE_PERIOD = re.compile(r"^(earlier |early |late |sometime )?this (past )?(year|month)$")


def month_date(phrase: Text, now: dt.datetime) -> Optional[dt.datetime]:
    """The middle of the month a phrase names ("she ended it in september", "back in march
    2025"): the latest such month that has begun, so "in december" said in November is last
    December. The middle, because a month name alone says nothing of the day."""
    found = _MONTH.search(phrase)
    if not found:
        return None
    month = MONTHS.index(found.group(1)[:3]) + 1
    if found.group(2):
        year = int(found.group(2))
    else:
        year = now.year if month <= now.month else now.year - 1
    if (year, month) == (now.year, now.month):
        return now - dt.timedelta(days=now.day / 2)
    when = dt.datetime(year, month, 15)
    return when if when <= now else None


def parse_breakup_date(text: Text, now: dt.datetime) -> Optional[dt.datetime]:
    """The date a phrase like "three weeks ago", "last month" or "in september" points to, or
    None."""
    phrase = text.lower().strip()
    if _A_WHOLE_PERIOD.match(phrase):
        # "third time this year": a span of months, not a date (dateparser reads it as today).
        return None
    # A month alone; with a day ("31 february", "march 3rd") or a duration, dateparser decides.
    if not re.search(r"\b\d{1,2}(st|nd|rd|th)?\b|\d+ (day|week|month|year)s?\b", phrase):
        when = month_date(phrase, now)
        if when is not None:
            return when
    for pattern, replacement in _REWRITES:
        phrase = re.sub(pattern, replacement, phrase)
    phrase = re.sub(r"\s+", " ", phrase).strip(" .,!?")
    if not phrase:
        return None
    settings = {"RELATIVE_BASE": now, "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    when = dateparser.parse(phrase, languages=["en"], settings=settings)
    if when is None and re.match(r"^[\d.]+ (day|week|month|year)s?$", phrase):
        when = dateparser.parse(phrase + " ago", languages=["en"], settings=settings)
    if when is None or when > now + dt.timedelta(days=1):
        return None
    return when


def time_bucket(days: float) -> Text:
    if days < 14:
        return "under_2_weeks"
    # Upper bounds are inclusive, so "2 months ago" is still "2 weeks to 2 months".
    if days <= 62:
        return "2_weeks_to_2_months"
    if days <= 184:
        return "2_to_6_months"
    return "over_6_months"


def time_since_bucket(text: Text, now: Optional[dt.datetime] = None) -> Optional[Text]:
    """The time_since slot value for a phrase, or None when it names no usable past date."""
    if text in TIME_BUCKETS:
        return text
    now = now or dt.datetime.now()
    when = parse_breakup_date(text, now)
    if when is None:
        return None
    return time_bucket((now - when).total_seconds() / 86400)


# The triage facts a message can state, with the values their slots accept (domain/triage.yml).
FACT_VALUES = {
    "who_ended": ("ex", "me", "mutual"),
    "breakup_count": ("first", "repeat"),
    "ex_behaviour": ("silent", "friendly", "hot_and_cold", "seeing_someone", "hostile"),
}


def facts_stated(entities, slots) -> dict:
    """The slot updates for the triage facts a safety turn's own words state ("I left him
    because he hit me" says who ended it), and the scenario they decide. The domain's slot
    mappings skip safety turns so that a classifier guess never fills a fact there; only the
    rule patterns' entities count here, and a fact already known is kept, not overwritten.
    Recording them asks nothing of the user and gives no advice: the safety reply still comes
    alone, and the after-abuse gate still decides what advice may follow."""
    facts = {slot: slots.get(slot) for slot in FACT_VALUES}
    updates = {}
    for entity in entities or []:
        slot, value = entity.get("entity"), entity.get("value")
        if slot in FACT_VALUES and value in FACT_VALUES[slot] and facts[slot] is None:
            facts[slot] = updates[slot] = value
    # "It's the third time" in a message about being hurt or about self-harm is most often about
    # the harm, not the breakup: a count is kept only beside who ended it.
    if "breakup_count" in updates and facts["who_ended"] is None:
        facts["breakup_count"] = slots.get("breakup_count")
        del updates["breakup_count"]
    scenario = infer_scenario(facts["who_ended"], facts["breakup_count"], facts["ex_behaviour"])
    if updates and scenario and scenario != slots.get("scenario"):
        updates["scenario"] = scenario
    return updates
