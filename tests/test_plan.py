"""The personal plan: rendered with and without each part, and safety handled sensitively."""

import datetime as dt

import pytest

from actions.advice import ActionGiveScenarioAdvice, ActionGiveTopicAdvice
from actions.content_store import content
from actions.guided_content import assessment_content, reflections_content
from actions.plan import PLAN_TITLE, ActionShowPlan, render_plan
from conftest import make_tracker, payloads, texts

TODAY = dt.date(2026, 11, 23)
CONTENT = content()
FULL = {
    "scenario": "he_broke_up",
    "who_ended": "ex",
    "breakup_count": "first",
    "time_since": "2_weeks_to_2_months",
    "ex_behaviour": "silent",
    "ex_pronoun": "she",
    "no_contact_start": "2026-11-02",
    "no_contact_relapses": 1.0,
    "checkin_due": "2026-11-30T09:00:00+00:00",
    "assessment_result": "not_yet",
    "assessment_focus": "no_contact",
    "reflections": {
        "admire": ["kind", "brave", "funny", "I want to be braver"],
        "boundaries": ["equal effort"],
    },
    "advice_given": ["he_broke_up_main", "no_contact_main", "healing_main"],
}


def plan(**facts):
    return render_plan(facts, CONTENT, assessment_content(), reflections_content(), TODAY)


def test_a_full_plan():
    text = plan(**FULL)
    assert text.startswith(PLAN_TITLE)
    assert CONTENT.registry.scenarios["he_broke_up"].summary in text
    assert "first breakup" in text and "between two weeks and two months" in text
    assert "No contact since 2 November 2026: 21 days so far." in text
    assert "restarted the count 1 time." in text
    assert "Next check-in: 30 November 2026, 09:00 UTC." in text
    assert assessment_content().results["not_yet"].headline in text
    assert "Three qualities you admire in your ex:" in text and "  - I want to be braver" in text
    assert "  - equal effort" in text
    for card_id in FULL["advice_given"]:
        card = next(c for c in CONTENT.cards if c.id == card_id)
        assert CONTENT.sources[card.sources[0]] in text and ".txt" not in text
    assert "{" not in text and "None" not in text
    assert " her" in text or "she" in text or "She" in text  # the ex's pronoun is filled in


def test_an_empty_plan_says_what_is_missing():
    text = plan()
    assert text.startswith(PLAN_TITLE)
    assert "Nothing about your situation yet" in text and "No advice yet" in text
    for absent in ("No contact", "Should you go back?", "Your reflections", "Looking after yourself"):
        assert absent not in text


@pytest.mark.parametrize(
    "missing, absent",
    [
        ("no_contact_start", "No contact since"),
        ("checkin_due", "Next check-in"),
        ("assessment_result", "Should you go back?"),
        ("reflections", "Your reflections"),
        ("advice_given", "(source:"),
    ],
)
def test_each_part_is_left_out_when_missing(missing, absent):
    facts = {k: v for k, v in FULL.items() if k != missing}
    text = plan(**facts)
    assert absent not in text
    assert text.startswith(PLAN_TITLE) and "What you told me" in text


def test_relapses_without_a_start_date_and_bad_dates_are_ignored():
    text = plan(no_contact_relapses=2.0, no_contact_start="31 February", checkin_due="soon")
    assert "No contact" not in text and "restarted" not in text and "check-in" not in text


def test_after_abuse_reconciliation_steps_are_left_out_and_help_is_there():
    text = plan(**{**FULL, "safety": "abuse", "assessment_result": "abuse"})
    assert "Your safety comes first" in text and "findahelpline.com" in text
    assert "1-800-799-7233" in text
    assert "he_broke_up" not in text and "Give her space" not in text
    assert CONTENT.main_card("no_contact").title not in text  # no-contact card coaches reconciliation
    assert CONTENT.main_card("healing").title in text  # healing stays
    assert "left out, because your safety comes first" in text
    assert "the answer is not to go back" in text
    # The plan's own words say nothing explicit, should someone else ever see the file (the
    # helplines' own names are what they are).
    own = [
        line
        for line in text.split("Looking after yourself")[1].split("Steps suggested")[0].splitlines()
        if line.startswith("- ")
    ]
    assert own and not any(w in line.lower() for line in own for w in ("abuse", "violen", "hit"))


def test_after_a_crisis_the_lines_are_in_the_plan():
    text = plan(safety="crisis")
    assert "988" in text and "116 123" in text and "Looking after yourself" in text


def test_the_plan_action_reads_the_tracker(dispatcher, domain):
    tracker = make_tracker(slots={"advice_given": ["odds_main"], "ex_pronoun": "he"})
    assert ActionShowPlan().run(dispatcher, tracker, domain) == []
    said = texts(dispatcher)
    assert said.startswith(PLAN_TITLE) and CONTENT.main_card("odds").title in said
    assert payloads(dispatcher) == ["/start_assessment", "/start_reflection"]
    blocked = type(dispatcher)()
    ActionShowPlan().run(blocked, make_tracker(slots={"safety": "abuse"}), domain)
    assert payloads(blocked) == ["/start_reflection"]


def test_advice_given_is_recorded_once_each(dispatcher, domain):
    tracker = make_tracker(intent="ask_healing", slots={"advice_given": ["odds_main"]})
    events = ActionGiveTopicAdvice().run(dispatcher, tracker, domain)
    given = [e for e in events if e.get("name") == "advice_given"]
    assert given and given[0]["value"][:2] == ["odds_main", "healing_main"]
    tracker = make_tracker(intent="ask_healing", slots={"advice_given": given[0]["value"]})
    assert not [
        e for e in ActionGiveTopicAdvice().run(dispatcher, tracker, domain) if e.get("name") == "advice_given"
    ]
    scenario = make_tracker(slots={"who_ended": "ex", "breakup_count": "first"})
    events = ActionGiveScenarioAdvice().run(dispatcher, scenario, domain)
    assert any(e.get("name") == "advice_given" and "he_broke_up_main" in e["value"] for e in events)


def test_the_web_page_knows_where_a_plan_starts_and_ends():
    import json
    from pathlib import Path

    from actions.plan import PLAN_END

    script = (Path(__file__).resolve().parents[1] / "web" / "chat.js").read_text(encoding="utf-8")
    assert f"var PLAN_TITLE = {json.dumps(PLAN_TITLE)};" in script
    assert f"var PLAN_END = {json.dumps(PLAN_END)};" in script
    assert plan().endswith(PLAN_END)


def test_the_web_page_forgets_its_plan_copy_when_the_data_is_deleted():
    import re
    from pathlib import Path

    from actions.privacy import DONE

    script = (Path(__file__).resolve().parents[1] / "web" / "chat.js").read_text(encoding="utf-8")
    erased = re.search(r'var ERASED = "([^"]+)";', script).group(1)
    assert DONE.startswith(erased)
    assert "removeItem(PLAN_KEY)" in script


def test_the_plans_lines_follow_the_users_country():
    known = plan(safety="abuse", country="GB")
    assert "0808 2000 247" in known and "findahelpline.com" in known
    assert "1-800-799-7233" not in known  # not every country's lines
    unknown = plan(safety="abuse")
    assert "0808 2000 247" in unknown and "1-800-799-7233" in unknown  # a file kept for later
