"""The odd-input battery, end to end over REST: a few hundred inputs the advisor cannot make sense of
(tests/odd_inputs.yml: other languages, emoji, gibberish, payload-shaped text, links, numbers,
invisible characters, very long posts), each sent as the first message of a new conversation and
in the middle of the triage. For every turn: no text twice, no form the user did not ask for, at
most four messages, and a reply with something in it."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest
import requests
import yaml

from servers import DefaultStack

MAX_MESSAGES = 4
LONG_CHARS = 6000  # a very long post: its piece repeated to about this many characters,
LONG_BYTES = 60_000  # within what the REST channel accepts (64 KiB of JSON)
OPENING = "I want him back"  # starts the triage with several questions still to ask

DATA = yaml.safe_load((Path(__file__).parent / "odd_inputs.yml").read_text(encoding="utf-8"))


def odd_inputs() -> List[Tuple[str, str]]:
    cases = []
    for kind, items in DATA.items():
        for i, text in enumerate(items):
            if kind == "long":
                text = text * max(1, LONG_CHARS // len(text))
                while len(json.dumps({"message": text})) > LONG_BYTES:
                    text = text[: len(text) * 9 // 10]
            cases.append((f"{kind}-{i}", text))
    return cases


CASES = odd_inputs()


def test_the_battery_is_large_and_varied():
    assert len(CASES) >= 300
    assert all(len(DATA[kind]) >= 5 for kind in DATA), {k: len(v) for k, v in DATA.items()}
    assert {
        "other_languages",
        "emoji",
        "gibberish",
        "payload_shaped",
        "links",
        "long",
        "whitespace_and_invisible",
    } <= set(DATA)
    assert max(len(text) for _, text in CASES) >= 4000


@pytest.fixture(scope="module")
def stack(default_stack):
    """The shared stack; its API (for the trackers) takes `token`."""
    return default_stack


def say(stack: DefaultStack, sender: str, text: str) -> List[Dict]:
    response = requests.post(stack.rest_url, json={"sender": sender, "message": text}, timeout=120)
    assert response.status_code == 200, response.text
    return response.json()


def active_loop(stack: DefaultStack, sender: str) -> Optional[str]:
    response = requests.get(
        f"{stack.url}/conversations/{sender}/tracker", params={"token": stack.token}, timeout=60
    )
    assert response.status_code == 200, response.text
    return (response.json().get("active_loop") or {}).get("name")


def problems(replies: List[Dict], loop: Optional[str], allowed_loop: Optional[str]) -> List[str]:
    found = []
    texts = [r.get("text") for r in replies if r.get("text")]
    repeated = sorted({t[:60] for t in texts if texts.count(t) > 1})
    if repeated:
        found.append(f"repeated text: {repeated}")
    if len(replies) > MAX_MESSAGES:
        found.append(f"{len(replies)} messages: {[t[:40] for t in texts]}")
    if not any(t.strip() for t in texts):
        found.append("no reply text")
    if loop not in (None, allowed_loop):
        found.append(f"form started: {loop}")
    return found


def first_message(stack: DefaultStack, case: Tuple[str, str]) -> Tuple[str, List[str]]:
    name, text = case
    sender = f"odd-first-{uuid.uuid4().hex[:10]}"
    replies = say(stack, sender, text)
    # A fact button's payload updates (and so starts) the triage by design; nothing else may.
    allowed = "triage_form" if name.startswith("fact_payloads-") else None
    return name, problems(replies, active_loop(stack, sender), allowed_loop=allowed)


def mid_triage(stack: DefaultStack, case: Tuple[str, str]) -> Tuple[str, List[str]]:
    name, text = case
    sender = f"odd-triage-{uuid.uuid4().hex[:10]}"
    say(stack, sender, OPENING)
    if active_loop(stack, sender) != "triage_form":
        return name, ["the triage did not start"]
    replies = say(stack, sender, text)
    # The triage may go on (the input may even answer its question) or end; no other form starts.
    return name, problems(replies, active_loop(stack, sender), allowed_loop="triage_form")


def run_all(stack: DefaultStack, turn) -> Dict[str, List[str]]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda case: turn(stack, case), CASES))
    return {name: found for name, found in results if found}


def show(failures: Dict[str, List[str]]) -> str:
    return "\n".join(
        f"{name} {dict(CASES)[name][:40]!r}: {'; '.join(found)}" for name, found in sorted(failures.items())
    )


def test_odd_first_messages(stack):
    failures = run_all(stack, first_message)
    assert not failures, f"{len(failures)} of {len(CASES)} failed:\n{show(failures)}"


def test_odd_messages_in_the_middle_of_the_triage(stack):
    failures = run_all(stack, mid_triage)
    assert not failures, f"{len(failures)} of {len(CASES)} failed:\n{show(failures)}"


# The failures this battery was built from, replayed as a user met them.


def texts_of(replies: List[Dict]) -> List[str]:
    return [r.get("text") or "" for r in replies]


def test_another_language_gets_one_kind_reply_and_no_check(stack):
    """It got "Sorry, I didn't quite catch that." six times, then the six-question check."""
    sender = f"odd-{uuid.uuid4().hex[:10]}"
    replies = say(stack, sender, "mi novio me dejó y quiero que vuelva")
    said = texts_of(replies)
    assert not any("didn't quite catch" in t for t in said), said
    assert len(said) == len(set(said)) and len(replies) <= MAX_MESSAGES
    assert any("only understand English" in t and "findahelpline.com" in t for t in said), said
    assert len(replies) <= 2, said  # the disclaimer, and one kind reply
    assert active_loop(stack, sender) is None


def test_help_me_decide_asks_its_first_question_once_without_apologies(stack):
    sender = f"odd-{uuid.uuid4().hex[:10]}"
    said = texts_of(say(stack, sender, "/start_assessment"))
    assert not any("didn't quite catch" in t for t in said), said
    assert sum("how many times" in t for t in said) == 1, said
    assert active_loop(stack, sender) == "assessment_form"


def test_an_unreadable_answer_in_the_triage_gets_one_line_and_the_question_again(stack):
    """The triage rejected it, and the menu (the core fallback) followed itself ten times. Now:
    one short line, no menu, and the pending question once behind the bridge."""
    sender = f"odd-{uuid.uuid4().hex[:10]}"
    say(stack, sender, OPENING)
    replies = say(stack, sender, "1")
    said = texts_of(replies)
    assert len(replies) <= MAX_MESSAGES and len(said) == len(set(said)), said
    assert sum("didn't understand" in t for t in said) == 1, said
    assert not any("or pick one" in t for t in said), said  # the menu, either wording
    assert sum("Back to where we were" in t for t in said) == 1, said
    assert active_loop(stack, sender) == "triage_form"


def test_the_same_question_twice_gets_a_recap_and_in_full_on_request(stack):
    """It repeated the same 400-word card word for word."""
    sender = f"odd-{uuid.uuid4().hex[:10]}"
    first = say(stack, sender, "should I text him?")
    assert any(b["title"] == "What could I say?" for m in first for b in m.get("buttons") or [])
    assert len(first) <= 3  # the disclaimer, then a short answer
    again = say(stack, sender, "I just want to know if I should text him")
    assert len(again) == 1, texts_of(again)
    recap = again[0]
    assert len(recap["text"].split()) <= 60 and "We went over this earlier" in recap["text"]
    titles = [b["title"] for b in recap["buttons"]]
    assert titles[0] == "Show it again" and titles[-1] == "Main menu"
    shown = say(stack, sender, recap["buttons"][0]["payload"])
    assert texts_of(shown) == texts_of(first)[1:]  # the same answer (after the disclaimer)
    scripts = say(stack, sender, "what do i say to him")
    assert "What you could say" in " ".join(texts_of(scripts))
