"""No loops: the causes found (a validation that apologised once per cleared slot, the menu as core
fallback predicted again after itself, classifier guesses on unreadable text starting flows) and
the turn guard that catches anything of the kind still left. End-to-end checks are in
tests/test_odd_inputs.py."""

import pytest
import yaml

from actions.assessment import ActionStartAssessment, ValidateAssessmentForm
from conftest import ROOT, make_tracker, with_events
from nlp.unreadable_input import unreadable, words


def test_starting_the_check_apologises_for_nothing(dispatcher, domain):
    cleared = {
        e["name"]: e["value"]
        for e in ActionStartAssessment().run(dispatcher, make_tracker(intent="start_assessment"), domain)
    }
    form = ValidateAssessmentForm()
    for slot, value in cleared.items():
        assert getattr(form, f"validate_{slot}")(value, dispatcher, make_tracker(), domain) == {slot: None}
    assert dispatcher.messages == []
    # An answer it cannot read still gets one kind question back.
    assert form.validate_assess_motive("?", dispatcher, make_tracker(), domain) == {"assess_motive": None}
    assert len(dispatcher.messages) == 1


def test_the_menu_always_ends_the_turn():
    """action_explain_scope is also RulePolicy's core fallback; a rule makes it wait for the user."""
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    rule_policy = next(p for p in config["policies"] if p["name"] == "RulePolicy")
    assert rule_policy["core_fallback_action_name"] == "action_explain_scope"
    rules = yaml.safe_load((ROOT / "data" / "rules" / "fallback.yml").read_text())["rules"]
    assert {
        "rule": "after the menu, wait for the user",
        "steps": [{"action": "action_explain_scope"}, {"action": "action_listen"}],
    } in rules


VOCABULARY = set(
    words(
        "my boyfriend dumped me and i want him back should i text her ex "
        "what do no contact yes it was the first time"
    )
)


@pytest.mark.parametrize(
    "text",
    [
        "mi novio me dejó y quiero que vuelva",
        "ich vermisse sie so sehr",
        "asdf asdf asdf",
        "42",
        "💔💔",
        "[1, 2, 3]",
        "男朋友跟我分手了",
        "qwe rty uio",
        "...",
        # markup is not words: heard over REST, "<script>alert(1)</script>" got the
        # reaching-out scripts, read as "is there a script"
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
    ],
)
def test_unreadable(text):
    assert unreadable(text, VOCABULARY)


@pytest.mark.parametrize(
    "text",
    [
        "my boyfriend dumped me",
        "jake dumped me",
        "should i text him?",
        "I want her back",
        "it was the first time",
        "yes",
        "my bf dumpd me and i want him back",
        "<b>my boyfriend dumped me</b>",
        "i <3 him",
    ],
)
def test_readable(text):
    assert not unreadable(text, VOCABULARY)


def test_the_filter_runs_before_the_safety_patterns():
    names = [c["name"] for c in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]]
    assert names.index("nlp.unreadable_input.UnreadableInputFilter") < names.index(
        "nlp.breakup_facts.BreakupFactsExtractor"
    )


# The turn guard, on Rasa's own tracker and events.


def guarded_texts(sent, new):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from server.turn_guard import guarded

    tracker = DialogueStateTracker.from_events(
        "guard",
        [
            ActionExecuted("action_listen"),
            UserUttered("earlier"),
            BotUttered("same text"),
            ActionExecuted("action_listen"),
            UserUttered("hello"),
            *[BotUttered(t) for t in sent],
        ],
        domain=Domain.empty(),
    )
    kept = guarded([BotUttered(t) for t in new] + [ActionExecuted("x")], tracker, "x")
    assert isinstance(kept[-1], ActionExecuted)  # other events are never dropped
    return [e.text for e in kept if isinstance(e, BotUttered)]


def test_the_guard_drops_a_text_already_sent_this_turn():
    assert guarded_texts(["a", "b"], ["b", "c", "c"]) == ["c"]


def test_the_guard_lets_a_text_of_an_earlier_turn_through():
    assert guarded_texts([], ["same text"]) == ["same text"]


def test_the_guard_caps_the_messages_of_a_turn(monkeypatch):
    monkeypatch.setenv("ADVISOR_MAX_TURN_MESSAGES", "4")
    assert guarded_texts(["1", "2", "3"], ["4", "5", "6"]) == ["4"]


def test_the_guard_is_installed_with_the_other_server_changes():
    runtime = (ROOT / "server" / "runtime.py").read_text()
    assert "turn_guard.install()" in runtime


def test_the_disclaimer_of_a_new_conversation_belongs_to_its_first_turn():
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from server.turn_guard import guarded

    opening = [
        ActionExecuted("action_session_start"),
        BotUttered("disclaimer"),
        SessionStarted(),
        ActionExecuted("action_listen"),
    ]
    tracker = DialogueStateTracker.from_events(
        "guard", [*opening, UserUttered("/restart"), ActionExecuted("action_restart")], domain=Domain.empty()
    )
    assert guarded([BotUttered("disclaimer")], tracker, "action_session_start") == []
    # A later turn may say it again (a new session after an hour of silence).
    later = DialogueStateTracker.from_events(
        "guard",
        [
            *opening,
            UserUttered("hi"),
            ActionExecuted("utter_greet"),
            BotUttered("hello"),
            ActionExecuted("action_listen"),
            UserUttered("again"),
        ],
        domain=Domain.empty(),
    )
    assert len(guarded([BotUttered("disclaimer"), BotUttered("hello")], later, "x")) == 2


def test_every_advice_turn_fits_a_phone_and_the_guards_limit():
    """The first answer and every page of every part, for every card a subject can show with its
    main card: at most 4 bubbles and about 150 words (a page holding one long item may pass 150
    but no page holds two items that together do), well under the guard's cap."""
    from actions.content_store import content
    from actions.rendering import (
        TURN_WORDS,
        available_parts,
        first_answer_messages,
        part_messages,
        word_count,
    )
    from server.turn_guard import DEFAULT_MAX_MESSAGES

    current = content()
    for subject, cards in current.by_subject.items():
        main = current.main_card(subject)
        for variant in [c for c in cards if c.when] or [None]:
            shown = [main] + ([variant] if variant else [])
            first = first_answer_messages(current, shown, "he")
            assert len(first) <= 4 and word_count(" ".join(m["text"] for m in first)) <= 170, subject
            for part in available_parts(shown):
                page = 1
                while True:
                    messages = part_messages(current, shown, part, page, "he", [], [])
                    words = [word_count(m["text"]) for m in messages]
                    assert len(messages) <= 3 and (len(words) == 1 or sum(words) <= TURN_WORDS), (
                        subject,
                        part,
                        page,
                        words,
                    )
                    assert len(messages) + 5 <= DEFAULT_MAX_MESSAGES
                    more = [
                        b for b in messages[-1]["buttons"] if f'"advice_page": "{page + 1}"' in b["payload"]
                    ]
                    if not more:
                        break
                    page += 1


def test_a_message_not_understood_gets_one_kind_message_with_the_helplines_directory(dispatcher, domain):
    from actions.conversation import ActionExplainScope

    ActionExplainScope().run(
        dispatcher, make_tracker(intent="nlu_fallback", text="quiero que vuelva"), domain
    )
    assert len(dispatcher.messages) == 1
    said = dispatcher.messages[0]["text"]
    assert "only read English" in said and "findahelpline.com" in said
    asked = type(dispatcher)()
    ActionExplainScope().run(asked, make_tracker(intent="help", text="what can you do"), domain)
    assert len(asked.messages) == 2 and "findahelpline.com" not in asked.messages[0]["text"]


def test_the_menu_twice_in_a_row_is_shorter_and_worded_differently(dispatcher, domain):
    """Three off-topic follow-ups got the same two menu messages three turns running."""

    from actions.conversation import ActionExplainScope

    first = type(dispatcher)()
    tracker = make_tracker(intent="out_of_scope", text="my boss was rude in the meeting today")
    ActionExplainScope().run(first, tracker, domain)
    assert len(first.messages) == 2
    events = [
        {"event": "user", "text": "my boss was rude", "parse_data": {"intent": {"name": "out_of_scope"}}},
        {"event": "action", "name": "action_explain_scope"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "and my coworker too", "parse_data": {"intent": {"name": "out_of_scope"}}},
    ]
    again = with_events(make_tracker(intent="out_of_scope", text="and my coworker too"), events)
    ActionExplainScope().run(dispatcher, again, domain)
    assert len(dispatcher.messages) == 1
    assert dispatcher.messages[0]["text"] != first.messages[0]["text"]


def test_the_third_off_topic_message_in_a_row_gets_one_short_line_not_the_menu(dispatcher, domain):
    """Off-topic follow-ups got the scope menu turn after turn; the third in a row gets one short,
    different line with no menu, and the door left open."""

    from actions.conversation import ActionExplainScope
    from actions.turns import turns_in_a_row

    def off_topic(text):
        return {"event": "user", "text": text, "parse_data": {"intent": {"name": "out_of_scope"}}}

    menu = [{"event": "action", "name": "action_explain_scope"}, {"event": "action", "name": "action_listen"}]
    events = [off_topic("my boss was rude"), *menu, off_topic("and my coworker too"), *menu]
    events.append(off_topic("and then the meeting ran late"))
    tracker = with_events(make_tracker(intent="out_of_scope", text="and then the meeting ran late"), events)
    assert turns_in_a_row(tracker, "action_explain_scope") == 2
    ActionExplainScope().run(dispatcher, tracker, domain)
    assert len(dispatcher.messages) == 1 and not dispatcher.messages[0].get("buttons")
    said = dispatcher.messages[0]["text"]
    assert "breakup" in said and "I'm still not sure" not in said
    # a fourth in a row: a shorter line again, not the third one repeated
    fourth = [*events, *menu, off_topic("anyway the flight was late")]
    later = type(dispatcher)()
    ActionExplainScope().run(later, with_events(tracker, fourth), domain)
    assert len(later.messages) == 1 and later.messages[0]["text"] != said
    # after one breakup message in between, the count starts again
    events[4:4] = [off_topic("ok, my ex left me"), {"event": "action", "name": "triage_form"}]
    assert turns_in_a_row(with_events(make_tracker(), events), "action_explain_scope") == 1


def test_an_ok_after_an_answer_is_acknowledged_in_one_line_not_the_whole_menu(dispatcher, domain):
    """Heard in a conversation: "lol ok" after an advice card got the menu of 13 buttons in two
    messages. A yes or no said to nothing in particular, once the advisor has answered something,
    gets one short line; as the first message it still gets the menu."""

    from actions.conversation import ActionExplainScope

    events = [
        {"event": "user", "text": "my ex dumped me", "parse_data": {"intent": {"name": "they_broke_up"}}},
        {"event": "action", "name": "action_give_scenario_advice"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "lol ok", "parse_data": {"intent": {"name": "affirm"}}},
    ]
    tracker = with_events(make_tracker(intent="affirm", text="lol ok"), events)
    ActionExplainScope().run(dispatcher, tracker, domain)
    assert len(dispatcher.messages) == 1 and not dispatcher.messages[0].get("buttons")
    assert dispatcher.messages[0]["text"].startswith("Okay.")
    first = type(dispatcher)()
    ActionExplainScope().run(first, make_tracker(intent="affirm", text="ok"), domain)
    assert first.messages[0].get("buttons")


def test_a_message_about_the_known_ex_is_not_called_outside_the_advisors_scope(dispatcher, domain):
    """Heard in a conversation: mid-triage, "he told me last week he doesnt want to be friends"
    got "That's outside what I know about". Once the breakup and the ex are known, a message about
    him is thanked for, not sent away; a message about something else still is."""
    from actions.conversation import ActionExplainScope

    known = {"ex_pronoun": "he", "who_ended": "me", "requested_slot": "breakup_count"}
    tracker = make_tracker(
        slots=known,
        intent="out_of_scope",
        text="he told me last week he doesnt want to be friends",
        active_loop="triage_form",
    )
    ActionExplainScope().run(dispatcher, tracker, domain)
    said = dispatcher.messages[0]["text"]
    assert said.startswith("Thank you for telling me") and "outside" not in said
    other = type(dispatcher)()
    tracker = make_tracker(slots=known, intent="out_of_scope", text="my boss was rude in the meeting")
    ActionExplainScope().run(other, tracker, domain)
    assert "outside what I know" in other.messages[0]["text"]


def test_idk_what_to_do_mid_form_is_met_as_the_help_on_offer_not_an_apology(dispatcher, domain):
    """Heard over REST: mid-triage, "idk what to do honestly" got "I'm sorry, I didn't understand
    that." It asks for the help the questions lead to: it is told so, and the form goes on. Outside
    a form the menu opens with the same reassurance."""
    from actions.conversation import ActionExplainScope

    known = {"ex_pronoun": "he", "scenario": "he_broke_up", "requested_slot": "breakup_count"}
    tracker = make_tracker(
        slots=known, intent="nlu_fallback", text="idk what to do honestly", active_loop="triage_form"
    )
    ActionExplainScope().run(dispatcher, tracker, domain)
    said = [m["text"] for m in dispatcher.messages]
    assert len(said) == 1 and said[0].startswith("That's what we're working out together.")
    outside = type(dispatcher)()
    ActionExplainScope().run(outside, make_tracker(intent="nlu_fallback", text="im so lost"), domain)
    assert outside.messages[0]["text"].startswith("That's what I'm here for")
    assert outside.messages[0].get("buttons")


def test_weighing_up_a_breakup_gets_a_kind_word_not_i_didnt_follow(dispatcher, domain):
    """Heard over REST: "i think i need to break up with my bf, hes nice but im not happy" got "I'm
    not sure I followed all of that". The user is still together and asking whether to end it:
    that is said back, with where to turn, before the menu."""
    from actions.conversation import ActionExplainScope

    tracker = make_tracker(
        intent="out_of_scope", text="hey so basically i think i need to break up with my bf, hes nice"
    )
    ActionExplainScope().run(dispatcher, tracker, domain)
    said = dispatcher.messages[0]["text"]
    assert said.startswith("It sounds like you're still together") and "followed" not in said
    assert dispatcher.messages[0].get("buttons")
    # leaving the ex alone is not weighing up a breakup
    alone = type(dispatcher)()
    ActionExplainScope().run(
        alone, make_tracker(intent="out_of_scope", text="should i leave him alone for a while"), domain
    )
    assert "still together" not in alone.messages[0]["text"]


def test_a_statement_about_the_known_ex_not_understood_is_heard_not_called_unreadable(dispatcher, domain):
    """Heard in a conversation: mid-triage, "idk she's been liking my stories tho" got "I'm sorry,
    I didn't understand that." It tells something about her: it is thanked for. A question that is
    not understood, or a message not about the ex, still says it was not understood."""
    from actions.conversation import ActionExplainScope

    known = {"ex_pronoun": "she", "who_ended": "ex", "requested_slot": "breakup_count"}
    tracker = make_tracker(
        slots=known,
        intent="nlu_fallback",
        text="idk she's been liking my stories tho",
        active_loop="triage_form",
    )
    ActionExplainScope().run(dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages] == ["Thank you for telling me that."]
    for text in ("is she doing that on purpose?", "zxcv qwer"):
        other = type(dispatcher)()
        tracker = make_tracker(slots=known, intent="nlu_fallback", text=text, active_loop="triage_form")
        ActionExplainScope().run(other, tracker, domain)
        assert other.messages[0]["text"] == "I'm sorry, I didn't understand that."


def test_the_menu_does_not_ask_what_happened_once_the_user_has_told_it(dispatcher, domain):
    """Heard in a conversation: after an abuse disclosure, "ok what do i do then" got the menu
    with "Tell me what happened", as if nothing had been told."""
    from actions.conversation import ActionExplainScope

    told = make_tracker(
        slots={"safety": "abuse", "ex_pronoun": "he"}, intent="out_of_scope", text="ok what do i do then"
    )
    ActionExplainScope().run(dispatcher, told, domain)
    assert "Tell me more in your own words, or pick one" in dispatcher.messages[0]["text"]
    assert "Tell me what happened" not in dispatcher.messages[0]["text"]
    new = type(dispatcher)()
    ActionExplainScope().run(new, make_tracker(intent="out_of_scope", text="what can you do"), domain)
    assert "Tell me what happened, or pick one" in new.messages[0]["text"]


@pytest.mark.parametrize("text", ["😭😭😭", "💔", "😢 💔!!", "☹️"])
def test_sad_emoji_alone_get_the_empathy_reply_not_i_didnt_understand(text):
    """Heard in a conversation: "😭😭😭" and "💔" got "I'm sorry, I didn't understand that." and the
    menu, twice, and the third message ("he left") the short line for off-topic messages."""
    from rasa.shared.nlu.training_data.message import Message

    from nlp.unreadable_input import UnreadableInputFilter, only_sad_emoji

    assert only_sad_emoji(text)
    message = Message(data={"text": text})
    message.set("intent", {"name": "nlu_fallback", "confidence": 0.3})
    UnreadableInputFilter.__new__(UnreadableInputFilter).process([message])
    assert message.get("intent")["name"] == "express_sadness"


@pytest.mark.parametrize("text", ["💔 he left", "🙏", "😂😂", "42 💔"])
def test_other_emoji_messages_are_not_read_as_sadness_alone(text):
    from nlp.unreadable_input import only_sad_emoji

    assert not only_sad_emoji(text)


def test_hi_typed_after_the_pages_greeting_gets_a_short_line_not_the_same_paragraph(dispatcher, domain):
    """Seen in the web page: it opens with the greeting, and a user who then types "hi" got the
    same paragraph a second time in a row."""

    from actions.conversation import ActionGreet

    first = make_tracker(intent="greet", text="/greet")
    ActionGreet().run(dispatcher, first, domain)
    assert [m.get("response") for m in dispatcher.messages] == ["utter_greet"]
    base = make_tracker(intent="greet", text="hi")
    events = [{"event": "action", "name": "action_greet"}, {"event": "user", "text": "hi"}]
    again = with_events(base, events)
    second = type(dispatcher)()
    ActionGreet().run(second, again, domain)
    assert [m["text"] for m in second.messages] == [
        "Hi again. Whenever you're ready, tell me what happened, in your own words."
    ]
    # Telegram's /start (sent as /greet) asks for the greeting itself; after a restart or in a
    # new session it is whole again.
    for latest, history in (
        ("/greet", events),
        ("hi", events + [{"event": "restart"}]),
        ("hi", events + [{"event": "session_started"}]),
    ):
        tracker = with_events(make_tracker(intent="greet", text=latest), history)
        whole = type(dispatcher)()
        ActionGreet().run(whole, tracker, domain)
        assert [m.get("response") for m in whole.messages] == ["utter_greet"], (latest, history)


def test_a_second_sad_message_in_a_row_gets_a_shorter_line_not_the_same_paragraph(dispatcher, domain):
    """Heard over REST: "i feel so sad today" then "i just cant stop crying" got the same
    paragraph twice in a row. The second gets a shorter line; a sad message later, after
    something else, gets the kind words whole again."""

    from actions.conversation import ActionSadness

    def tracker(events, slots=None):
        return with_events(
            make_tracker(slots=slots, intent="express_sadness", text="i just cant stop crying"), events
        )

    sad = {"event": "user", "text": "i feel so sad today"}
    again = {"event": "user", "text": "i just cant stop crying"}
    first = type(dispatcher)()
    ActionSadness().run(first, tracker([again]), domain)
    assert [m.get("response") for m in first.messages] == ["utter_sadness"]
    in_a_row = [sad, {"event": "action", "name": "action_sadness"}, again]
    second = type(dispatcher)()
    ActionSadness().run(second, tracker(in_a_row), domain)
    assert second.messages[0]["text"].startswith("I'm still here with you.")
    assert "tell me what happened" in second.messages[0]["text"]
    told = type(dispatcher)()
    ActionSadness().run(told, tracker(in_a_row, {"scenario": "he_broke_up"}), domain)
    assert told.messages[0]["text"] != second.messages[0]["text"]
    assert "tell me what happened" not in told.messages[0]["text"]
    later = in_a_row[:2] + [
        {"event": "user", "text": "should i text him"},
        {"event": "action", "name": "action_topic"},
        again,
    ]
    whole = type(dispatcher)()
    ActionSadness().run(whole, tracker(later), domain)
    assert [m.get("response") for m in whole.messages] == ["utter_sadness"]


def test_an_out_of_scope_post_about_a_partner_is_not_told_it_is_outside_what_the_advisor_knows(
    dispatcher, domain
):
    """A breakup told its own way ("every minute without you seems like an eternity in hell")
    that the classifier put out of scope got "That's outside what I know about". It gets an
    open door instead, with the scenarios to pick from; a message about something else does not."""
    from actions.conversation import ActionExplainScope

    text = "I thought that I was okay, but every minute without you seems like an eternity in hell."
    ActionExplainScope().run(dispatcher, make_tracker(intent="out_of_scope", text=text), domain)
    said = dispatcher.messages[0]["text"]
    assert said.startswith("I'm not sure I followed all of that") and "outside" not in said
    assert dispatcher.messages[0].get("buttons")


def test_a_pasted_link_alone_is_told_the_advisor_cannot_open_it(dispatcher, domain):
    """Heard in a conversation: a pasted Instagram link got "I'm sorry, I didn't understand that." """
    from actions.conversation import ActionExplainScope

    tracker = make_tracker(
        intent="nlu_fallback", text="https://www.instagram.com/p/xyz", active_loop="triage_form"
    )
    ActionExplainScope().run(dispatcher, tracker, domain)
    assert [m["text"] for m in dispatcher.messages] == [
        "I can't open links or see pictures. If it's about your breakup, tell me in a few words what it shows or says."
    ]
