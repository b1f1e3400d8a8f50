"""The readings of short free-text answers (nlp/answers.yml, read by nlp/answers.py)."""

from __future__ import annotations

import re

import pytest

from nlp import answers
from nlp.answers import AnswersError, load, matches, read_answer

QUESTIONS = {
    "who_ended",
    "breakup_count",
    "ex_behaviour",
    "assess_breakups",
    "assess_red_flags",
    "assess_motive",
    "assess_foundation",
    "assess_cause",
    "assess_moving_on",
    "reflect_exercise",
    "reflection_done",
    "who_ended_said_alone",
    "asks_a_question",
    "asks_what_to_do",
    "says_lost",
    "sounds_in_pain",
    "stops_the_questions",
    "about_a_relationship",
    "only_a_link",
}


def test_the_file_loads_and_every_question_has_string_values_and_compiled_patterns():
    readings = load()
    assert set(readings) == QUESTIONS
    for question, entries in readings.items():
        assert entries, question
        for pattern, value in entries:
            assert isinstance(pattern, re.Pattern) and isinstance(value, str) and value, question


def test_yes_and_no_stay_strings():
    assert [value for _, value in load()["assess_moving_on"]] == ["no", "starting", "yes"]


def test_backslashes_stay_literal():
    pattern, value = load()["who_ended"][0]
    assert (pattern.pattern, value) == (r"\b(mutual|both|we did|together|each other)\b", "mutual")
    done = load()["reflection_done"][0][0]
    assert done.flags & re.IGNORECASE and done.pattern.startswith(r"(?i)^\s*(that'?s (all|it)|")


@pytest.mark.parametrize(
    "question, text, value",
    [
        ("who_ended", "We did, kind of mutual", "mutual"),
        ("who_ended", "I think he did", "ex"),
        ("who_ended", "Me", "me"),
        ("who_ended", "no idea", None),
        ("breakup_count", "not the first", "repeat"),
        ("breakup_count", "First time", "first"),
        ("breakup_count", "twice", "repeat"),
        ("breakup_count", "like 4x", "repeat"),
        ("breakup_count", "3", "repeat"),
        ("breakup_count", "it was 2 months", None),
        ("ex_behaviour", "hot and cold", "hot_and_cold"),
        ("ex_behaviour", "he only talks to me about the kids, very cold", "silent"),
        ("ex_behaviour", "she's dating someone", "seeing_someone"),
        ("ex_behaviour", "so angry", "hostile"),
        ("ex_behaviour", "he blocked me", "silent"),
        ("ex_behaviour", "we don't talk", "silent"),
        ("ex_behaviour", "we don\u2019t talk", "silent"),  # phones type the curly apostrophe
        ("ex_behaviour", "friendly enough", "friendly"),
        ("assess_breakups", "this is the 3rd time", "third_plus"),
        ("assess_breakups", "twice", "second"),
        ("assess_breakups", "the first", "first"),
        ("assess_red_flags", "he cheated", "cheating"),
        ("assess_red_flags", "we argued constantly", "toxic_patterns"),
        ("assess_red_flags", "nah", "none"),
        ("assess_motive", "he's the one", "the_one"),
        ("assess_motive", "i hate being alone", "hate_single"),
        ("assess_motive", "i miss him", "miss_them"),
        ("assess_motive", "not really", "none"),
        ("assess_foundation", "long distance", "circumstances"),
        ("assess_foundation", "we were happy", "happy_before"),
        ("assess_cause", "I don't know", "unsure"),
        ("assess_cause", "it always comes back", "recurring"),
        ("assess_cause", "yes we can fix it", "fixable"),
        ("assess_moving_on", "not yet", "no"),
        ("assess_moving_on", "a little", "starting"),
        ("assess_moving_on", "Yes", "yes"),
        ("reflect_exercise", "the boundaries one", "boundaries"),
        ("reflect_exercise", "what I'd do differently", "differently"),
        ("reflect_exercise", "3", "admire"),
        ("who_ended_said_alone", "she did", "said"),
        ("who_ended_said_alone", "he left", "said"),
        ("who_ended_said_alone", "he left the party early", None),
        ("asks_a_question", "do you think he wants me back?", "question"),
        ("asks_a_question", "How do I know", "question"),
        ("asks_a_question", "ugh my ex is so annoying lately", None),
        ("asks_what_to_do", "ok but should i text her", "advice"),
        ("sounds_in_pain", "my girlfriend left me last week and i cant stop crying", "pain"),
        ("sounds_in_pain", "I’m heartbroken, he dumped me", "pain"),
        ("sounds_in_pain", "he dumped me 3 weeks ago", None),
        ("stops_the_questions", "just tell me what to do", "stop"),
        ("stops_the_questions", "too many questions", "stop"),
        ("stops_the_questions", "cut to the chase", "stop"),
        ("about_a_relationship", "every minute without you seems like an eternity", "relationship"),
        ("about_a_relationship", "my boss was rude in the meeting", None),
        ("only_a_link", "https://www.instagram.com/p/xyz", "link"),
        ("only_a_link", "look at this https://www.instagram.com/p/xyz", None),
        ("stops_the_questions", "i just want things to go back to normal", None),
        ("sounds_in_pain", "she said it hurts her to see me", "pain"),
        ("asks_what_to_do", "idk, what do I say to him", "advice"),
        ("asks_what_to_do", "she is ok, we talk sometimes", None),
        ("asks_what_to_do", "i should have seen it coming", None),
        ("reflect_exercise", "he dumped me 3 weeks ago", None),
        ("says_lost", "idk what to do honestly", "lost"),
        ("says_lost", "im so lost rn", "lost"),
        ("says_lost", "i dont know how to move on from this", "lost"),
        ("says_lost", "he lost his job", None),
        ("says_lost", "i know what to do", None),
    ],
)
def test_first_matching_reading_wins(question, text, value):
    assert read_answer(question, text) == value


@pytest.mark.parametrize(
    "text", ["That's all", "NOPE!", "  nothing more.", "n/a", "done", "None", "thats it"]
)
def test_that_is_all_ends_a_prompt(text):
    assert matches("reflection_done", text)


@pytest.mark.parametrize("text", ["no, that's not it", "nothing he said mattered", "I'm done with him"])
def test_only_the_whole_answer_ends_a_prompt(text):
    assert not matches("reflection_done", text)


def test_a_case_insensitive_pattern_sees_the_answer_as_written():
    # "İ" lowercases to two characters; re.IGNORECASE matches it to "i" as it is.
    assert matches("reflection_done", "skİp")


def test_an_unknown_question_is_an_error():
    with pytest.raises(KeyError, match="no_such_question"):
        read_answer("no_such_question", "yes")


def _load_text(tmp_path, text):
    path = tmp_path / "answers.yml"
    path.write_text(text, encoding="utf-8")
    return load(path)


@pytest.mark.parametrize(
    "text, error",
    [
        (
            "who_ended:\n  - value: me\n    pattern: '\\b(me|i)\\b'\n  - value: ex\n    pattern: '\\b(he'\n",
            r"who_ended entry #2 \(ex\): pattern does not compile",
        ),
        ("who_ended: []\n", "who_ended: needs a non-empty list"),
        ("who_ended:\n", "who_ended: needs a non-empty list"),
        (
            "who_ended:\n  - value: me\n    pattern: 'me'\n    note: x\n",
            r"who_ended entry #1: needs exactly `value` and `pattern`, has \['note', 'pattern', 'value'\]",
        ),
        (
            "who_ended:\n  - value: me\n",
            r"who_ended entry #1: needs exactly `value` and `pattern`, has \['value'\]",
        ),
        ("who_ended:\n  - 'me'\n", "who_ended entry #1: needs exactly `value` and `pattern`, has str"),
        ("moving_on:\n  - value: no\n    pattern: 'no'\n", "moving_on entry #1: value False is not a string"),
        (
            "who_ended:\n  - value: me\n    pattern: 3\n",
            r"who_ended entry #1 \(me\): pattern 3 is not a string",
        ),
        (
            "who_ended:\n  - value: me\n    pattern: 'me'\nwho_ended:\n  - value: ex\n    pattern: 'he'\n",
            "'who_ended' is given twice",
        ),
        ("- a list\n", "needs a mapping of question"),
        ("who_ended: [\n", "cannot be read"),
    ],
)
def test_a_broken_file_is_refused_naming_the_question_and_entry(tmp_path, text, error):
    with pytest.raises(AnswersError, match=error):
        _load_text(tmp_path, text)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(AnswersError, match="answers.yml: cannot be read"):
        load(tmp_path / "answers.yml")


def test_another_file_can_be_read(tmp_path):
    path = tmp_path / "answers.yml"
    path.write_text("who_ended:\n  - value: ex\n    pattern: '\\bhe\\b'\n", encoding="utf-8")
    assert read_answer("who_ended", "He did", path) == "ex"
    assert read_answer("who_ended", "me", path) is None
    assert answers.load() is load()  # the project's file stays loaded once
