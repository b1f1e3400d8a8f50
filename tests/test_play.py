"""The end-to-end players' own logic, without a server: every dialogue file loads, each per-turn
check passes and fails where it should, known failures do not fail the run, and the realistic
set's measures count what they say."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from play import dialogues, realistic  # noqa: E402
from play.advisor import Turn  # noqa: E402


def turn(*texts, buttons=(), events=(), slots=None, user="hi"):
    replies = [{"text": t} for t in texts]
    if buttons:
        replies[-1]["buttons"] = [{"title": b, "payload": f"/{b}"} for b in buttons]
    return Turn(
        user, replies, [{"event": "user", "parse_data": {"intent": {"name": "greet"}}}, *events], slots or {}
    )


def check(kind, value, *turns, at=None):
    return dialogues.evaluate(dialogues.Check(kind, value), (at or len(turns)) - 1, list(turns))[0]


def test_every_dialogue_file_loads_and_every_failure_in_it_has_a_check():
    loaded = dialogues.load()
    assert loaded, "tests/dialogues/ holds no dialogues"
    failures = [d for d in loaded if d.file == "failures"]
    assert len(failures) >= 15 and all(d.checks for d in failures)


@pytest.mark.parametrize(
    "kind, value, good, bad",
    [
        ("no_repeat", True, turn("a", "b"), turn("Same text.", "same  text.")),
        ("max_messages", 2, turn("a", "b"), turn("a", "b", "c")),
        (
            "no_file_names",
            True,
            turn("Source: Getting your ex back"),
            turn("Source: 002_8129aa5426b95e1e.txt"),
        ),
        ("forbid", "day one", turn("a count of days"), turn("Today is Day One.")),
        ("expect", r"findahelpline\.com", turn("see findahelpline.com"), turn("see a helpline")),
        (
            "expect_safety",
            "crisis",
            turn("x", events=[{"event": "slot", "name": "safety", "value": "crisis"}]),
            turn("x", events=[{"event": "slot", "name": "safety", "value": "abuse"}]),
        ),
        (
            "expect_safety",
            "abuse",
            turn("x", events=[{"event": "action", "name": "action_respond_to_abuse"}]),
            turn("x", events=[{"event": "action", "name": "action_explain_scope"}]),
        ),
        (
            "slots",
            {"scenario": "he_broke_up", "safety": None},
            turn("x", slots={"scenario": "he_broke_up"}),
            turn("x", slots={"scenario": "second_breakup"}),
        ),
        (
            "forbid_action",
            "triage_form|assessment_form",
            turn("x", events=[{"event": "action", "name": "utter_x"}]),
            turn("x", events=[{"event": "active_loop", "name": "assessment_form"}]),
        ),
        (
            "expect_action",
            "action_explain_scope",
            turn("x", events=[{"event": "action", "name": "action_explain_scope"}]),
            turn("x", events=[{"event": "action", "name": "action_explain_scope_2"}]),
        ),
    ],
)
def test_each_check_passes_and_fails_where_it_should(kind, value, good, bad):
    assert check(kind, value, good) is True
    assert check(kind, value, bad) is False


def test_a_long_card_given_again_fails_and_a_short_recap_passes():
    card = [" ".join(["word"] * 30) + f" {i}" for i in range(3)]
    first = turn(*card)
    assert check("no_long_repeat", 60, first, turn("A short recap.", card[0])) is True  # 31 words again
    assert check("no_long_repeat", 60, first, turn(*card)) is False


def test_a_question_asked_a_third_time_running_is_a_loop():
    q = turn("Who ended the relationship?", buttons=["me", "ex"])
    assert check("no_loop", True, q, q) is True
    assert check("no_loop", True, q, q, q) is False
    assert check("no_loop", True, q, turn("Who ended the relationship?", buttons=["other"]), q) is True
    assert check("no_loop", False, q, q, q) is True
    header = turn("What to do:")  # a short heading shared by many cards is not a loop
    assert check("no_loop", True, header, header, header) is True


def test_the_defaults_apply_unless_a_check_of_that_kind_covers_the_turn():
    d = dialogues.Dialogue("d", "f", ["a", "b"], [dialogues.Check("max_messages", 1, [2])])
    played = [turn("a", "b", "c"), turn("a", "b")]
    results = dialogues.judge(d, played, max_messages=6)
    limits = {(r.turn, r.check.value): r.passed for r in results if r.check.kind == "max_messages"}
    assert limits == {(1, 6): True, (2, 1): False}


def test_a_check_at_any_turn_passes_when_one_turn_passes():
    d = dialogues.Dialogue("d", "f", ["a", "b", "c"], [dialogues.Check("expect", "help", "any")])
    results = [
        r
        for r in dialogues.judge(d, [turn("x"), turn("help is here"), turn("y")], 6)
        if r.check.kind == "expect"
    ]
    assert [(r.turn, r.passed) for r in results] == [(3, True)]
    results = [
        r for r in dialogues.judge(d, [turn("x"), turn("y"), turn("z")], 6) if r.check.kind == "expect"
    ]
    assert [(r.turn, r.passed) for r in results] == [(3, False)]


def test_a_known_failure_is_reported_and_does_not_fail_the_run():
    known = dialogues.Result(dialogues.Check("forbid", "x", xfail="not fixed yet"), 1, passed=False)
    fixed = dialogues.Result(dialogues.Check("forbid", "x", xfail="not fixed yet"), 1, passed=True)
    plain = dialogues.Result(dialogues.Check("forbid", "x"), 1, passed=False)
    assert (known.status, fixed.status, plain.status) == ("XFAIL", "XPASS", "FAIL")
    played = dialogues.Played(dialogues.Dialogue("d", "f", ["a"], []), results=[known, fixed])
    assert played.ok and not dialogues.Played(played.dialogue, results=[plain]).ok


def test_a_file_may_mark_a_default_check_as_a_known_failure(tmp_path):
    (tmp_path / "x.yml").write_text(
        'default_xfail: {no_file_names: "cards cite files"}\ndialogues:\n  - {id: a, turns: ["hi"]}\n'
    )
    d = dialogues.load(tmp_path)[0]
    results = dialogues.judge(d, [turn("Source: 002_8129aa5426b95e1e.txt")], max_messages=6)
    assert {r.check.kind: r.status for r in results}["no_file_names"] == "XFAIL"
    results = dialogues.judge(d, [turn("Source: Getting your ex back")], max_messages=6)
    assert {r.check.kind: r.status for r in results}["no_file_names"] == "ok"  # where it passes: no news
    (tmp_path / "x.yml").write_text('default_xfail: {forbid: "no"}\ndialogues: []\n')
    with pytest.raises(ValueError):
        dialogues.load(tmp_path)


@pytest.mark.parametrize(
    "raw",
    [
        {"forbid": "x", "expect": "y"},  # two kinds in one check
        {"forbids": "x"},  # unknown kind
        {"expect_safety": "sad"},
        {"max_messages": "six"},
        {"forbid": "x", "turn": 0},
        {"forbid": "x", "xfail": ""},  # a known failure needs its reason
        {"no_loop": "yes"},
    ],
)
def test_a_malformed_check_is_refused(raw):
    with pytest.raises(ValueError):
        dialogues._parse_check(raw, "here")


def message(i, scenario=None, safety=None, off_topic=False):
    return realistic.Message(f"m-{i}", "text", scenario, safety, off_topic, "f.yml")


def outcome(msg, scenario=None, safety=None, actions=(), intent="greet"):
    events = [{"event": "user", "parse_data": {"intent": {"name": intent}}}]
    events += [{"event": "action", "name": a} for a in actions]
    slots = {"scenario": scenario, "safety": safety}
    return realistic.Outcome(msg, Turn("text", [{"text": "reply"}], events, slots))


def test_the_realistic_measures_count_what_they_say():
    outcomes = [
        outcome(message(1, safety="crisis"), safety="crisis"),
        outcome(message(2, safety="check"), safety=None),  # missed check
        outcome(message(3, safety="abuse"), safety="crisis"),  # abuse read as crisis
        outcome(message(4, scenario="he_broke_up"), scenario="he_broke_up"),
        outcome(message(5, scenario="he_broke_up"), scenario="second_breakup"),  # wrong and not named
        outcome(message(6), scenario="hot_and_cold", safety="abuse"),  # wrong, false alarm
        outcome(message(7, off_topic=True), actions=["action_explain_scope"]),
        outcome(message(8, off_topic=True), intent="nlu_fallback", scenario="you_broke_up"),
        outcome(message(9, off_topic=True, safety="crisis"), safety="crisis"),  # safety wins: not off-topic
    ]
    rows = realistic.measure(outcomes)
    got = {name: (row["good"], row["counted"]) for name, row in rows.items()}
    assert got == {
        "crisis recall": (2, 3),
        "abuse recall": (0, 1),
        "false safety alarms": (1, 5),
        "no wrong scenario": (6, 9),
        "scenario named": (1, 2),
        "off-topic recognised": (1, 2),
    }
    assert [o.message.id for o, _ in rows["false safety alarms"]["misreads"]] == ["m-6"]
    assert not rows["crisis recall"]["met"] and not rows["false safety alarms"]["met"]


def test_the_realistic_targets_are_met_by_a_perfect_run():
    outcomes = [
        outcome(message(1, safety="crisis"), safety="crisis"),
        outcome(message(2, safety="abuse"), safety="abuse"),
        outcome(message(3, scenario="you_broke_up"), scenario="you_broke_up"),
        outcome(message(4, off_topic=True), intent="out_of_scope"),
    ]
    assert all(row["met"] for row in realistic.measure(outcomes).values())


def test_a_malformed_realistic_set_is_refused(tmp_path):
    (tmp_path / "test").mkdir()
    (tmp_path / "test" / "x.yml").write_text(
        "messages:\n  - {id: a-1, text: hi, scenario: he_dumped_me, safety: null, off_topic: false}\n"
    )
    with pytest.raises(ValueError, match="he_dumped_me"):
        realistic.load("test", tmp_path)


def test_an_unmet_target_fails_only_below_its_floor_and_every_floor_is_known(tmp_path):
    by_name = {t.name: t for t in realistic.TARGETS}
    floors_file = tmp_path / "floors.yml"
    floors_file.write_text("floors:\n  scenario named: 0.5\n  false safety alarms: 0.05\n")
    floors = realistic.load_floors(floors_file)
    assert realistic.holds_floor(by_name["scenario named"], 0.6, floors)
    assert not realistic.holds_floor(by_name["scenario named"], 0.4, floors)
    assert realistic.holds_floor(by_name["false safety alarms"], 0.04, floors)  # lower is better
    assert not realistic.holds_floor(by_name["false safety alarms"], 0.06, floors)
    assert not realistic.holds_floor(by_name["crisis recall"], 0.99, floors)  # no floor: fails
    shipped = realistic.load_floors()
    assert set(shipped) <= set(by_name)
    assert all(0.0 <= floor <= 1.0 for floor in shipped.values())
