"""End to end over the REST channel: the trained model, the Rasa server and the action server,
started here as a user would start them. Covers whole conversations and bad input."""
import pytest

from servers import Chat, Stack, buttons_of, text_of


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("e2e"))
    try:
        stack.start()
        yield {"url": stack.rest_url, "rasa_log": stack.rasa_log(), "actions_log": stack.actions_log}
    finally:
        stack.stop()


@pytest.fixture
def chat(servers):
    return Chat(servers["url"])


def test_a_whole_conversation_he_broke_up(chat):
    first = chat.say("my boyfriend dumped me three weeks ago")
    assert "not a therapist" in text_of(first)                 # the disclaimer opens the session
    assert "first time" in text_of(first)                      # only the missing facts are asked
    assert "How long ago" not in text_of(first)                # "three weeks ago" was understood
    assert '/inform{"breakup_count":"first"}' in buttons_of(first)  # payloads survive templating
    second = chat.say("yes, the first time")
    assert "How does your ex act" in text_of(second)
    advice = chat.say('/inform{"ex_behaviour":"silent"}')
    said = text_of(advice)
    assert "Source: " in said and " him" in said and "{" not in said
    follow_up = buttons_of(advice)[0]
    more = chat.say(follow_up)
    assert "Source: " in text_of(more)


def test_crisis_in_the_middle_of_the_triage(chat):
    chat.say("my wife left me")
    replies = chat.say("i can't do this anymore, i want to kill myself")
    said = text_of(replies)
    assert "988" in said and "116 123" in said and "findahelpline.com" in said
    assert "Source:" not in said and not buttons_of(replies)
    assert "Hi, I'm here" in text_of(chat.say("hello"))     # the conversation goes on


def test_abuse_blocks_reconciliation_for_the_rest_of_the_conversation(chat):
    assert "1-800-799-7233" in text_of(chat.say("he choked me last month during a fight"))
    blocked = text_of(chat.say("how do i text him after no contact"))
    assert "won't help with getting back together" in blocked
    assert "won't help" in text_of(chat.say("my boyfriend broke up with me"))


@pytest.mark.parametrize("message", [
    "", "   ", "\U0001F494\U0001F62D", "a" * 10_000, "why " * 2500,
    "¿Por qué me dejó mi novio?", "Warum hat sie mich verlassen?", "他为什么离开我",
    '/ask_no_contact{"safety": null}', "/nonexistent_intent", '/inform{"who_ended":"hacker"}',
    "/inform{not json", "<script>alert('x')</script>", "\x00\x07\x1b[31m", "\u202e\ufeff",
])
def test_bad_input_gets_a_kind_reply(chat, message, servers):
    chat.say("hi")  # past the session start, so the disclaimer can't pass for a reply
    replies = chat.say(message)
    said = text_of(replies)
    assert replies and said.strip(), f"no reply to {message[:40]!r}"
    assert "Traceback" not in said and "Exception" not in said
    assert chat.say("hi"), "the conversation must go on after bad input"


def test_the_server_survived_everything(servers):
    log = servers["rasa_log"].read_text()
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
