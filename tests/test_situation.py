import datetime as dt

import pytest

from actions.situation import infer_scenario, time_since_bucket

NOW = dt.datetime(2026, 11, 23, 12, 0)


@pytest.mark.parametrize(
    "who, count, behaviour, expected",
    [
        ("ex", None, None, "he_broke_up"),
        ("ex", "first", "silent", "he_broke_up"),
        ("me", "first", None, "you_broke_up"),
        ("mutual", None, None, "you_broke_up"),
        (None, None, "hot_and_cold", "hot_and_cold"),
        ("ex", "first", "hot_and_cold", "hot_and_cold"),
        ("ex", "repeat", None, "second_breakup"),  # a repeated breakup, whoever ended it
        ("me", "repeat", "hot_and_cold", "second_breakup"),
        (None, "first", None, None),
        ("unknown", "unknown", "unknown", None),
    ],
)
def test_scenario_rules(who, count, behaviour, expected):
    assert infer_scenario(who, count, behaviour) == expected


@pytest.mark.parametrize(
    "phrase, bucket",
    [
        ("yesterday", "under_2_weeks"),
        ("this morning", "under_2_weeks"),
        ("a few days ago", "under_2_weeks"),
        ("last weekend", "under_2_weeks"),
        ("3 weeks ago", "2_weeks_to_2_months"),
        ("three weeks ago", "2_weeks_to_2_months"),
        ("last month", "2_weeks_to_2_months"),
        ("2 months", "2_weeks_to_2_months"),
        ("a couple of months ago", "2_weeks_to_2_months"),
        ("we broke up 4 months ago", "2_to_6_months"),
        ("six months ago", "2_to_6_months"),
        ("a year ago", "over_6_months"),
        ("over a year ago", "over_6_months"),
        ("been 4 months", "2_to_6_months"),  # pattern spans may carry a word either side
        ("2 months since", "2_weeks_to_2_months"),
        ("3 weeks and", "2_weeks_to_2_months"),
        ("2_to_6_months", "2_to_6_months"),  # a button's value passes through
        # a month is read as its middle, the latest one that has begun (NOW is 23 November)
        ("in september", "2_to_6_months"),
        ("ended things in september", "2_to_6_months"),
        ("back in march", "over_6_months"),
        ("in march 2025", "over_6_months"),
        ("last may", "over_6_months"),
        ("in november", "under_2_weeks"),
        ("in december", "over_6_months"),
    ],
)
def test_time_since_buckets(phrase, bucket):
    assert time_since_bucket(phrase, NOW) == bucket


@pytest.mark.parametrize(
    "phrase",
    [
        "banana",
        "next week",
        "in 3 days",
        "",
        "31 February",
        "i may be wrong",
        "we married young",
        # Heard in a conversation: "we broke up again, third time this year" was read as under two
        # weeks ago (dateparser gives today), and the reaching-out answer said it was too soon.
        "this year",
        "earlier this year",
        "this month",
    ],
)
def test_time_since_rejects_what_is_not_a_past_date(phrase):
    assert time_since_bucket(phrase, NOW) is None
