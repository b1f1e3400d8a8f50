"""Every card can be shown: for each variant there is a combination of the facts the triage can
know under which the advice actions pick it (the scenario follows from the facts as in
actions/situation.py; a topic's variants follow the same facts). Only the first matching variant
is shown, plus those it names in `shown_with`, so a variant hidden behind an earlier one is caught."""

import itertools

import pytest

from actions.content_store import CONDITIONS, content
from actions.situation import infer_scenario

CONTENT = content()
SLOTS = tuple(CONDITIONS)
COMBOS = [dict(zip(SLOTS, values)) for values in itertools.product(*[(None,) + CONDITIONS[s] for s in SLOTS])]


def shown_for(subject, facts):
    if subject in CONTENT.registry.scenarios:
        scenario = infer_scenario(facts["who_ended"], facts["breakup_count"], facts["ex_behaviour"])
        if scenario != subject:
            return []
    return [c.id for c in CONTENT.cards_for(subject, facts)]


def reachable():
    seen = set()
    for subject in CONTENT.by_subject:
        for facts in COMBOS:
            seen.update(shown_for(subject, facts))
    return seen


def test_every_card_is_reachable_by_some_facts():
    unreachable = {c.id for c in CONTENT.cards} - reachable()
    assert unreachable == set()


def test_the_mixed_signals_cards_are_reachable_in_their_topics():
    facts = dict.fromkeys(SLOTS)
    assert "ex_not_responding_after_mixed_signals" in shown_for(
        "ex_not_responding", {**facts, "ex_behaviour": "hot_and_cold"}
    )
    assert "ex_moved_on_mixed_signals" in shown_for("ex_moved_on", {**facts, "ex_behaviour": "hot_and_cold"})


def test_only_the_first_matching_variant_is_shown():
    facts = {
        **dict.fromkeys(SLOTS),
        "who_ended": "ex",
        "breakup_style": "pulled_away",
        "time_since": "under_2_weeks",
    }
    assert shown_for("he_broke_up", facts) == ["he_broke_up_main", "he_broke_up_pulled_away"]


def test_a_sudden_breakup_in_its_first_days_gets_both_cards():
    facts = {
        **dict.fromkeys(SLOTS),
        "who_ended": "ex",
        "breakup_style": "sudden",
        "time_since": "under_2_weeks",
    }
    assert shown_for("he_broke_up", facts) == [
        "he_broke_up_main",
        "he_broke_up_sudden",
        "he_broke_up_first_days",
    ]
    facts["time_since"] = "2_to_6_months"
    assert shown_for("he_broke_up", facts) == ["he_broke_up_main", "he_broke_up_sudden"]


def test_after_abuse_blocked_variants_are_skipped():
    facts = {**dict.fromkeys(SLOTS), "time_since": "under_2_weeks"}
    assert "healing_first_weeks" in [c.id for c in CONTENT.cards_for("healing", facts)]
    assert [c.id for c in CONTENT.cards_for("healing", facts, after_abuse=True)] == ["healing_main"]


@pytest.mark.parametrize("card", [c for c in CONTENT.cards if c.when], ids=lambda c: c.id)
def test_no_variant_can_only_match_facts_its_scenario_excludes(card):
    # e.g. a hot-and-cold card asking for ex_behaviour=silent could never be shown
    if not card.scenario:
        return
    assert any(card.id in shown_for(card.scenario, f) for f in COMBOS)
