"""End to end over the REST channel: the trained model, the Rasa server and the action server,
started as a user would start them (the shared `default_stack`). Covers whole conversations and
bad input."""

import pytest

from servers import Chat, buttons_of, is_advice, part_payload, text_of


@pytest.fixture(scope="module")
def servers(default_stack):
    mark = default_stack.log_mark()  # what this module's conversations make the server log
    yield {
        "url": default_stack.rest_url,
        "rasa_log": lambda: default_stack.log_since(mark),
        "rasa": default_stack.rasa,
    }


@pytest.fixture
def chat(servers):
    return Chat(servers["url"])


def test_a_whole_conversation_he_broke_up(chat):
    first = chat.say("my boyfriend dumped me three weeks ago")
    assert "not a therapist" in text_of(first)  # the disclaimer opens the session
    assert "first time" in text_of(first)  # only the missing facts are asked
    assert "How long ago" not in text_of(first)  # "three weeks ago" was understood
    assert '/inform{"breakup_count":"first"}' in buttons_of(first)  # payloads survive templating
    second = chat.say("yes, the first time")
    assert "How does your ex act" in text_of(second)
    advice = chat.say('/inform{"ex_behaviour":"silent"}')
    said = text_of(advice)
    assert is_advice(advice) and " his " in said and "{" not in said
    assert len(advice) <= 4 and "**" not in said  # short, plain text over REST
    source = text_of(chat.say(part_payload(advice, "source")))
    assert "Where this advice comes from" in source and ".txt" not in source
    steps = text_of(chat.say("what should i do"))  # a part, typed
    assert "What to do" in steps and "1. " in steps
    topics = chat.say(part_payload(advice, "next"))  # "Something else"
    follow_up = next(p for p in buttons_of(topics) if p != "/help")
    assert is_advice(chat.say(follow_up))


def test_crisis_in_the_middle_of_the_triage(chat):
    chat.say("my wife left me")
    replies = chat.say("i can't do this anymore, i want to kill myself")
    said = text_of(replies)
    assert "findahelpline.com" in said  # no country known: the directory first,
    assert all(b.startswith("/choose_country") for b in buttons_of(replies))  # then the countries
    assert "Source:" not in said and buttons_of(replies)
    assert "Hi, I'm here" in text_of(chat.say("hello"))  # the conversation goes on


def test_a_stated_country_gets_its_crisis_line_first(chat):
    assert "United Kingdom" in text_of(chat.say("I'm in the UK"))
    said = text_of(chat.say("i want to kill myself"))
    assert "Samaritans" in said and said.index("116 123") < said.index("findahelpline.com")
    assert "988" not in said
    assert '/choose_country{"country":"US"}' in buttons_of(chat.say("/choose_country"))


def test_abuse_blocks_reconciliation_for_the_rest_of_the_conversation(chat):
    # No country known: the international directory and a button per country (issue: country lines)
    assert "findahelpline.com" in text_of(chat.say("he choked me last month during a fight"))
    blocked = text_of(chat.say("how do i text him after no contact"))
    assert "won't help with getting back together" in blocked
    assert "won't help" in text_of(chat.say("my boyfriend broke up with me"))


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   ",
        "\U0001f494\U0001f62d",
        "a" * 10_000,
        "why " * 2500,
        "¿Por qué me dejó mi novio?",
        "Warum hat sie mich verlassen?",
        "他为什么离开我",
        '/ask_no_contact{"safety": null}',
        "/nonexistent_intent",
        '/inform{"who_ended":"hacker"}',
        "/inform{not json",
        "<script>alert('x')</script>",
        "\x00\x07\x1b[31m",
        "\u202e\ufeff",
    ],
)
def test_bad_input_gets_a_kind_reply(chat, message, servers):
    chat.say("hi")  # past the session start, so the disclaimer can't pass for a reply
    replies = chat.say(message)
    said = text_of(replies)
    assert replies and said.strip(), f"no reply to {message[:40]!r}"
    assert "Traceback" not in said and "Exception" not in said
    assert chat.say("hi"), "the conversation must go on after bad input"


def test_an_assessment_and_a_reflection_end_up_in_the_plan(chat):
    """One "Should I go back?" check and one reflection exercise, by buttons and free text, then
    "show my plan" shows both, the advice given before, and what the user said first."""
    chat.say("my girlfriend broke up with me three weeks ago")
    chat.say("yes, the first time")
    assert is_advice(chat.say("we don't talk"))
    offer = chat.say("should i even go back to her?")
    assert "/start_assessment" in buttons_of(offer)
    first = text_of(chat.say("/start_assessment"))
    assert "Did any of these happen" in first  # the first breakup is already known
    assert "Be honest" in text_of(chat.say('/inform{"assess_red_flags":"none"}'))
    assert "most true" in text_of(chat.say("i miss her so much"))
    assert "Could that be put right" in text_of(chat.say("we share the same values"))
    assert "Last one" in text_of(chat.say("it can be fixed"))
    summary = chat.say("not yet")
    said = text_of(summary)
    assert "Here is what your answers suggest" in said and "What to work on first:" in said
    assert "%" not in said and "Source: Should you try to get your ex back? (with reader questions)" in said
    assert "/start_reflection" in buttons_of(summary)

    assert "Which exercise" in text_of(chat.say("/start_reflection"))
    assert "Name one quality" in text_of(chat.say('/start_reflection{"reflect_exercise":"admire"}'))
    chat.say("she was brave")
    chat.say("generous with her time")
    chat.say("she made everyone laugh")
    closing = text_of(chat.say("bravery, i want more of it"))
    assert "Thank you for writing that down" in closing

    plan = text_of(chat.say("show my plan"))
    assert plan.startswith("Your plan from the breakup advisor")
    assert "Your ex ended the relationship." in plan and "first breakup" in plan
    assert "There may be something worth saving" in plan  # the check's result (not_yet)
    assert "  - generous with her time" in plan and "  - bravery, i want more of it" in plan
    assert "Should you even try to get back together?" in plan  # the advice card given
    assert "Source:" not in plan.split("Steps suggested so far")[0]


def test_safety_typed_into_a_reflection_is_not_kept(chat):
    chat.say("help me write my boundaries")
    replies = text_of(chat.say("he hit me whenever i said no"))
    assert "not your fault" in replies and "findahelpline.com" in replies
    plan = text_of(chat.say("show my plan"))
    assert "hit me" not in plan and "Your reflections" not in plan
    assert "Your safety comes first" in plan


def test_the_server_survived_everything(servers):
    assert servers["rasa"].poll() is None
    log = servers["rasa_log"]()
    assert "Traceback" not in log and " ERROR " not in log, log[-3000:]


def test_typed_button_titles_reach_their_topic(servers):
    """A follow-up button's title typed as text gets the same answer as pressing it."""
    from actions.content_store import content
    from actions.pronouns import fill

    current = content()
    missed = []
    for topic_id, topic in current.registry.topics.items():
        chat = Chat(servers["url"])
        chat.say("hi")
        said = text_of(chat.say(fill(topic.button, "she")))
        # The card follows the pronoun the typed title carried ("She's ...") or "they" if none.
        title = current.main_card(topic_id).title
        if not any(fill(title, pronoun) in said for pronoun in ("she", "they")):
            missed.append(topic_id)
    assert missed == []
