"""Progressive disclosure: a short first answer, then each part of the advice on request, in
every channel's own format (actions/advice.py ActionShowPart, actions/rendering.py,
channels/formatting.py)."""

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.advice import NOT_YET, ActionGiveScenarioAdvice, ActionGiveTopicAdvice, ActionShowPart
from actions.content_store import content
from actions.pronouns import fill
from actions.rendering import PART_BUTTONS, TURN_WORDS, word_count
from channels.formatting import plain, telegram_html, web_markdown
from conftest import make_tracker, payloads, slots_after, texts

CONTENT = content()
HE_LEFT = {
    "who_ended": "ex",
    "breakup_count": "first",
    "ex_pronoun": "he",
    "breakup_style": "sudden",
    "time_since": "under_2_weeks",
}


def titles(dispatcher):
    return [b["title"] for m in dispatcher.messages for b in m.get("buttons") or []]


def part(dispatcher, domain, slots, intent="advice_part", entities=(), text="x"):
    return ActionShowPart().run(
        dispatcher, make_tracker(slots=slots, intent=intent, text=text, entities=list(entities)), domain
    )


def test_the_first_answer_is_summaries_and_the_parts_as_buttons(dispatcher, domain):
    events = ActionGiveScenarioAdvice().run(dispatcher, make_tracker(slots=HE_LEFT), domain)
    said = texts(dispatcher)
    main = CONTENT.main_card("he_broke_up")
    assert fill(main.summary, "he") in said
    assert fill(main.text, "he") not in said and "What to do" not in said  # not the whole card
    assert len(dispatcher.messages) <= 4 and word_count(said) <= 170
    assert [PART_BUTTONS[p] for p in ("steps", "scripts", "warnings", "details", "source")] == [
        t for t in titles(dispatcher) if t in PART_BUTTONS.values()
    ]
    assert slots_after({}, events)["open_subject"] == "he_broke_up"


@pytest.mark.parametrize(
    "intent, found",
    [
        ("part_steps", "What to do"),
        ("part_scripts", "What you could say"),
        ("part_warnings", "Watch out for"),
        ("part_source", "Where this advice comes from"),
    ],
)
def test_a_typed_question_gets_its_part_of_the_open_subject(intent, found, dispatcher, domain):
    events = part(dispatcher, domain, {**HE_LEFT, "open_subject": "he_broke_up"}, intent=intent)
    said = texts(dispatcher)
    assert found in said and word_count(said) <= TURN_WORDS
    kind = {
        "part_steps": "steps",
        "part_scripts": "scripts",
        "part_warnings": "warnings",
        "part_source": "source",
    }[intent]
    assert slots_after({}, events)["parts_shown"] == [kind]
    assert PART_BUTTONS[kind] not in titles(dispatcher)  # not offered again at once


def test_the_scripts_are_the_cards_own_words_as_quotes(dispatcher, domain):
    part(dispatcher, domain, {**HE_LEFT, "open_subject": "he_broke_up"}, intent="part_scripts")
    first_days = next(c for c in CONTENT.cards if c.id == "he_broke_up_first_days")
    for script in first_days.scripts:
        assert f"> \u201c{fill(script.text, 'he')}\u201d" in texts(dispatcher)


def test_a_long_part_comes_in_pages_with_a_more_button(dispatcher, domain):
    slots = {**HE_LEFT, "open_subject": "he_broke_up"}
    part(dispatcher, domain, slots, entities=[{"entity": "advice_part", "value": "details"}])
    more = [p for p in payloads(dispatcher) if '"advice_page": "2"' in p]
    assert more and word_count(texts(dispatcher)) <= TURN_WORDS
    second = type(dispatcher)()
    part(
        second,
        domain,
        slots,
        entities=[{"entity": "advice_part", "value": "details"}, {"entity": "advice_page", "value": "2"}],
    )
    assert texts(second) and texts(second) != texts(dispatcher)


def test_more_typed_gives_the_next_part_not_shown_yet(dispatcher, domain):
    part(dispatcher, domain, {**HE_LEFT, "open_subject": "he_broke_up", "parts_shown": ["steps"]})
    assert "What you could say" in texts(dispatcher)


def test_something_else_offers_the_follow_up_topics_and_the_menu(dispatcher, domain):
    part(
        dispatcher,
        domain,
        {**HE_LEFT, "open_subject": "he_broke_up"},
        entities=[{"entity": "advice_part", "value": "next"}],
    )
    offered = payloads(dispatcher)
    assert "/help" in offered
    assert [p for p in offered if p.lstrip("/") in CONTENT.topic_by_intent]


def test_mid_questions_with_nothing_given_yet_one_short_line(dispatcher, domain):
    tracker = make_tracker(
        intent="part_steps",
        text="what should i do",
        active_loop="triage_form",
        slots={"requested_slot": "time_since"},
    )
    assert ActionShowPart().run(dispatcher, tracker, domain) == []
    assert [m.get("text") for m in dispatcher.messages] == [NOT_YET]


@pytest.mark.parametrize("value", ["bogus", "", 'steps"}]'])
def test_a_forged_part_gets_the_menu(value, dispatcher, domain):
    part(
        dispatcher,
        domain,
        {"open_subject": "he_broke_up"},
        entities=[{"entity": "advice_part", "value": value}],
    )
    assert "/they_broke_up" in payloads(dispatcher)


def test_nothing_open_gets_the_menu(dispatcher, domain):
    part(dispatcher, domain, {}, intent="part_steps")
    assert "/they_broke_up" in payloads(dispatcher)


def test_what_to_say_with_nothing_open_gives_the_words_for_reaching_out(dispatcher, domain):
    """Heard over REST: after a message check, "ok what should i write instead" got the menu ("I
    can help you think through a breakup..."). With nothing open, "what do I say?" gets the words
    for reaching out, and opens that topic; after abuse it never does."""
    events = part(dispatcher, domain, {"ex_pronoun": "she"}, intent="part_scripts")
    assert "What you could say" in texts(dispatcher) and "/they_broke_up" not in payloads(dispatcher)
    assert slots_after({}, events)["open_subject"] == "reaching_out"
    blocked = type(dispatcher)()
    part(blocked, domain, {"ex_pronoun": "she", "safety": "abuse"}, intent="part_scripts")
    assert "What you could say" not in texts(blocked) and texts(blocked).strip()


def test_abuse_disclosed_after_the_advice_blocks_its_parts(dispatcher, domain):
    slots = {**HE_LEFT, "open_subject": "he_broke_up", "safety": "abuse"}
    events = part(dispatcher, domain, slots, intent="part_scripts")
    said = texts(dispatcher)
    assert "won't help with getting back together" in said and "What you could say" not in said
    assert slots_after({}, events)["open_subject"] is None


def test_after_abuse_a_topic_part_comes_from_its_survivor_counterpart(dispatcher, domain):
    slots = {"open_subject": "counselling", "safety": "abuse", "ex_pronoun": "she"}
    part(dispatcher, domain, slots, intent="part_steps")
    survivor = CONTENT.main_card("survivor_support")
    assert fill(survivor.steps[0], "she") in texts(dispatcher)


def test_a_topic_first_answer_has_no_wall(dispatcher, domain):
    for topic in CONTENT.registry.topics:
        said = type(dispatcher)()
        intent = CONTENT.registry.topics[topic].intent
        ActionGiveTopicAdvice().run(said, make_tracker(intent=intent, slots={"ex_pronoun": "he"}), domain)
        assert len(said.messages) <= 4, topic
        assert word_count(texts(said)) <= 170, topic


# --- one renderer per channel ------------------------------------------------------------------

MESSAGE = "**What you could say** (short):\n\n> \u201cI'm sorry <b>& I</b> pushed.\u201d\n\n- one\n1. two"


def test_telegram_gets_escaped_html_with_the_script_in_code():
    html = telegram_html(MESSAGE)
    assert html.startswith("<b>What you could say</b> (short):")
    assert "<code>I'm sorry &lt;b&gt;&amp; I&lt;/b&gt; pushed.</code>" in html  # tap to copy
    assert "\u2022 one" in html and "1. two" in html
    assert "<b>&" not in html


def test_plain_text_has_no_markers():
    text = plain(MESSAGE)
    assert "**" not in text and "\n> " not in text
    assert "What you could say (short):" in text and "\u201cI'm sorry" in text


def test_the_web_gets_markdown_as_written():
    assert web_markdown(MESSAGE) == MESSAGE


@pytest.mark.parametrize("intent", ["part_steps", "part_scripts", "part_warnings", "part_source"])
def test_after_abuse_every_part_of_every_topic_gets_an_answer(intent, domain):
    """ "what should I say to him?" after abuse, with "I acted needy" open, crashed the action:
    the topic's survivor counterpart has no scripts, and an empty part had no message to carry
    its buttons. A part the cards lack now gets their first answer."""
    for topic in CONTENT.registry.topics:
        said = CollectingDispatcher()
        part(said, domain, {"open_subject": topic, "safety": "abuse", "ex_pronoun": "he"}, intent=intent)
        assert said.messages and texts(said).strip(), topic


def test_what_to_say_about_a_card_without_words_gives_the_words_for_reaching_out(domain):
    """Heard in a conversation: after "She ended it: where to start", "what do i say to her" gave
    the same card again. A card without scripts now leads to the reaching-out scripts, said to be
    that; after abuse it still never does (see the test above)."""
    said = CollectingDispatcher()
    events = part(said, domain, {"open_subject": "he_broke_up", "ex_pronoun": "she"}, intent="part_scripts")
    assert said.messages[0]["text"].startswith("There are no set words for that one")
    assert "\u201c" in texts(said)  # a script is quoted
    assert SlotSet("open_subject", "reaching_out") in events
