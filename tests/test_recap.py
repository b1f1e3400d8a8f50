"""Advice given earlier in the conversation is recapped, not repeated: a short message (at most 60
words, the opening sentences of the card's own summary) with "Show it again", which really does."""

import json
import re

import pytest

from actions.advice import ActionGiveScenarioAdvice, ActionGiveTopicAdvice, ActionShowInFull
from actions.content_store import content
from actions.pronouns import fill
from actions.rendering import PART_BUTTONS, RECAP_WORDS, SHOW_IN_FULL, recap_text, summary_of, word_count
from conftest import make_tracker, payloads, press_every_part, texts

CONTENT = content()
PRONOUNS = ("he", "she", "they", None)


@pytest.mark.parametrize("card", CONTENT.cards, ids=lambda card: card.id)
def test_every_card_has_a_recap_of_at_most_60_words_from_its_own_summary(card):
    for pronoun, noted in [(p, n) for p in PRONOUNS for n in (False, True)]:
        recap = recap_text(card, pronoun, noted=noted)
        assert word_count(recap) <= RECAP_WORDS, (pronoun, recap)
        summary = recap.split("In short: ", 1)[1]
        # Whole sentences of the card, in order, from its start: nothing made up, nothing cut.
        assert summary_of(card, pronoun).startswith(summary), (pronoun, summary)
        assert re.search(r"[.!?]$", summary), summary


def given(*subjects):
    return [card.id for s in subjects for card in CONTENT.cards_for(s, {})]


def show_in_full_payload(dispatcher):
    return next(
        p
        for m in dispatcher.messages
        for b in m.get("buttons") or []
        if b["title"] == SHOW_IN_FULL
        for p in [b["payload"]]
    )


def test_a_topic_asked_again_gets_a_recap_with_a_way_back_and_ways_on(dispatcher, domain):
    tracker = make_tracker(
        intent="ask_reaching_out", slots={"ex_pronoun": "he", "advice_given": given("reaching_out")}
    )
    events = ActionGiveTopicAdvice().run(dispatcher, tracker, domain)
    assert len(dispatcher.messages) == 1
    said = texts(dispatcher)
    assert word_count(said) <= RECAP_WORDS and "Reaching out after no contact" in said
    assert "What you could say" not in said and "Source:" not in said
    assert payloads(dispatcher)[0] == '/show_in_full{"recap_subject": "reaching_out"}'
    assert payloads(dispatcher)[-1] == "/help"  # the menu
    assert {"event": "slot", "name": "recap_subject", "value": "reaching_out", "timestamp": None} in events
    assert not [e for e in events if e.get("name") == "advice_given"]


def test_the_first_time_the_topic_is_given_in_full(dispatcher, domain):
    tracker = make_tracker(intent="ask_reaching_out", slots={"advice_given": given("odds")})
    ActionGiveTopicAdvice().run(dispatcher, tracker, domain)
    assert summary_of(CONTENT.main_card("reaching_out"), None) in texts(dispatcher)
    titles = [b["title"] for m in dispatcher.messages for b in m.get("buttons") or []]
    assert PART_BUTTONS["scripts"] in titles and SHOW_IN_FULL not in titles


def test_show_in_full_really_shows_it(dispatcher, domain):
    tracker = make_tracker(
        intent="ask_reaching_out", slots={"ex_pronoun": "he", "advice_given": given("reaching_out")}
    )
    ActionGiveTopicAdvice().run(dispatcher, tracker, domain)
    payload = show_in_full_payload(dispatcher)
    entities = [{"entity": k, "value": v} for k, v in json.loads(payload[payload.index("{") :]).items()]
    full = type(dispatcher)()
    again = make_tracker(
        intent="show_in_full",
        text=payload,
        entities=entities,
        slots={"ex_pronoun": "he", "advice_given": given("reaching_out")},
    )
    events = ActionShowInFull().run(full, again, domain)
    card = CONTENT.main_card("reaching_out")
    said = texts(press_every_part(full, events, {"ex_pronoun": "he"}, domain))
    assert card.title in said and fill(card.scripts[0].text, "he") in said
    assert CONTENT.source_title(card.sources[0]) in said


def test_show_in_full_typed_uses_the_latest_recap(dispatcher, domain):
    tracker = make_tracker(
        intent="show_in_full", text="show it in full again", slots={"recap_subject": "no_contact"}
    )
    ActionShowInFull().run(dispatcher, tracker, domain)
    assert CONTENT.main_card("no_contact").title in texts(dispatcher)


def test_show_in_full_of_nothing_gets_the_menu(dispatcher, domain):
    ActionShowInFull().run(dispatcher, make_tracker(intent="show_in_full"), domain)
    assert "Tell me what happened, or pick one" in texts(dispatcher)


def test_show_in_full_keeps_the_safety_gate(dispatcher, domain):
    tracker = make_tracker(intent="show_in_full", slots={"safety": "abuse", "recap_subject": "reaching_out"})
    ActionShowInFull().run(dispatcher, tracker, domain)
    assert CONTENT.main_card("reaching_out").title not in texts(dispatcher)


def test_the_scenario_advice_again_is_a_recap(dispatcher, domain):
    slots = {"who_ended": "ex", "breakup_count": "first", "ex_pronoun": "she"}
    first = ActionGiveScenarioAdvice().run(dispatcher, make_tracker(slots=slots), domain)
    advice_given = next(e["value"] for e in first if e.get("name") == "advice_given")
    again = type(dispatcher)()
    ActionGiveScenarioAdvice().run(again, make_tracker(slots=dict(slots, advice_given=advice_given)), domain)
    assert len(again.messages) == 1 and word_count(texts(again)) <= RECAP_WORDS
    assert '/show_in_full{"recap_subject": "he_broke_up"}' in payloads(again)


def test_a_fact_that_leads_back_to_the_same_advice_is_acknowledged(dispatcher, domain):
    """Heard over REST: after the scenario advice, "a few months" (a fact, read as inform) got
    "We went over this earlier", as if the user had asked the same thing again."""
    slots = {"who_ended": "me", "breakup_count": "first", "ex_pronoun": "she"}
    first = ActionGiveScenarioAdvice().run(dispatcher, make_tracker(slots=slots), domain)
    advice_given = next(e["value"] for e in first if e.get("name") == "advice_given")
    slots = dict(slots, advice_given=advice_given, time_since="2_to_6_months")
    noted = type(dispatcher)()
    tracker = make_tracker(slots=slots, intent="inform", text="a few months")
    ActionGiveScenarioAdvice().run(noted, tracker, domain)
    assert texts(noted).startswith("Thanks, I've noted that. It doesn't change what I'd suggest")
    assert "We went over this earlier" not in texts(noted)
    asked = type(dispatcher)()
    ActionGiveScenarioAdvice().run(asked, make_tracker(slots=slots, intent="i_broke_up"), domain)
    assert texts(asked).startswith("We went over this earlier")


def test_a_new_variant_is_given_without_the_card_already_given(dispatcher, domain):
    slots = {"time_since": "under_2_weeks", "advice_given": given("reaching_out")}
    ActionGiveTopicAdvice().run(dispatcher, make_tracker(intent="ask_reaching_out", slots=slots), domain)
    said = texts(dispatcher)
    assert CONTENT.main_card("reaching_out").title not in said
    assert "It may be too soon to reach out" in said


def test_sources_are_cited_by_title_never_by_file_name(dispatcher, domain):
    tracker = make_tracker(intent="ask_reaching_out")
    events = ActionGiveTopicAdvice().run(dispatcher, tracker, domain)
    assert PART_BUTTONS["source"] in [b["title"] for m in dispatcher.messages for b in m["buttons"] or []]
    said = texts(press_every_part(dispatcher, events, {}, domain))
    assert "- A breakup coach's full guide to getting back together" in said
    assert ".txt" not in said
