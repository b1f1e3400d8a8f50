"""Multi-turn dialogues (tests/dialogues/*.yml, user lines only) played against the advisor, each
in a fresh conversation, with per-turn checks, and written out as readable transcripts.

    dialogues:
      - id: text-him-twice                 # unique within the file; names the transcript
        source: https://...                # optional: where the wording comes from
        turns:
          - "should I text him?"
          - "I just want to know if I should text him"
        checks:                            # optional; `turn` is 1-based (or a list; -1 = last;
          - turn: 2                        # "any": at some turn); without it, every turn
            no_long_repeat: 60
          - turn: 1
            expect_safety: crisis
            xfail: "why it is known to fail"   # a known failure: printed loudly, not fatal

Every turn gets four default checks unless a check of the same kind covers it (`no_repeat: false`
switches one off): `no_repeat` (no text twice in one turn), `max_messages` (default 6,
--max-messages), `no_file_names`, and `no_loop` (no message of 4 words or more, with the same buttons,
in three turns running: a question asked a third time, a card given a third time).
A file may mark a default check as a known failure for all its dialogues, with the reason:
`default_xfail: {no_file_names: "cards still cite file names"}` (top level, beside `dialogues:`).
Other kinds: `forbid` / `expect` (a regex, case-insensitive, that must not / must appear in the
turn's texts or button titles), `expect_safety` (crisis | abuse: the safety slot set to it in this
turn, or its safety reply run), `slots` ({name: value} after the turn; null = unset),
`forbid_action` / `expect_action` (a regex matched in full against the actions run and forms
activated in the turn), `no_long_repeat` (at most N words of the turn's messages repeat messages an
earlier turn already showed: a topic given again gets a short recap, not the card again).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

from play.advisor import ROOT, Advisor, Turn, new_sender, run_all, normalise

DIALOGUES = ROOT / "tests" / "dialogues"
FILE_NAME = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b|\b[\w-]+\.(?:txt|ya?ml|py|json|md)\b", re.I)
DEFAULT_KINDS = ("no_repeat", "max_messages", "no_file_names", "no_loop")
KINDS = DEFAULT_KINDS + (
    "forbid",
    "expect",
    "expect_safety",
    "slots",
    "forbid_action",
    "expect_action",
    "no_long_repeat",
)
CONSOLE_LINES = 80  # failed checks printed; SUMMARY.md lists them all
LOOP_MIN_WORDS = 4  # shorter lines ("What to do:") head many cards: seen three times is no loop
SAFETY_REPLY = {"crisis": "action_respond_to_crisis", "abuse": "action_respond_to_abuse"}


@dataclass
class Check:
    kind: str
    value: Any
    turns: Optional[List[int]] = None  # 1-based; negative counts from the end; None = all
    xfail: Optional[str] = None
    xfail_for_file: bool = False  # marked by the file's default_xfail: passing is no news

    def covers(self, turn: int, count: int) -> bool:
        if self.turns is None:
            return True
        if self.turns == "any":  # judged once, over the whole dialogue, at its last turn
            return turn == count
        return any(t == turn or (t < 0 and count + 1 + t == turn) for t in self.turns)

    def label(self) -> str:
        if self.kind in ("no_repeat", "no_file_names", "no_loop") and self.value is True:
            return self.kind
        text = f"{self.kind}: {self.value!r}" if isinstance(self.value, str) else f"{self.kind}: {self.value}"
        return text + (" (at any turn)" if self.turns == "any" else "")


@dataclass
class Dialogue:
    id: str
    file: str
    turns: List[str]
    checks: List[Check]
    source: Optional[str] = None
    note: Optional[str] = None
    default_xfail: Dict[str, str] = field(
        default_factory=dict
    )  # the file's known failures of a default check


def _parse_check(raw: Dict[str, Any], where: str) -> Check:
    kinds = [k for k in raw if k in KINDS]
    unknown = [k for k in raw if k not in KINDS and k not in ("turn", "xfail")]
    if unknown or len(kinds) != 1:
        raise ValueError(
            f"{where}: a check has exactly one of {', '.join(KINDS)} "
            f"(plus optional turn, xfail); got {sorted(raw)}"
        )
    kind = kinds[0]
    value = raw[kind]
    if kind in ("forbid", "expect", "forbid_action", "expect_action"):
        re.compile(value)
    if kind == "expect_safety" and value not in SAFETY_REPLY:
        raise ValueError(f"{where}: expect_safety is crisis or abuse, not {value!r}")
    if kind in DEFAULT_KINDS and kind != "max_messages" and value not in (True, False):
        raise ValueError(f"{where}: {kind} takes true or false")
    if kind in ("max_messages", "no_long_repeat") and (not isinstance(value, int) or isinstance(value, bool)):
        raise ValueError(f"{where}: {kind} takes a number")
    if kind == "slots" and not isinstance(value, dict):
        raise ValueError(f"{where}: slots takes a mapping of slot names to values")
    turns = raw.get("turn")
    if turns is not None and turns != "any":
        turns = turns if isinstance(turns, list) else [turns]
        if not all(isinstance(t, int) and t != 0 for t in turns):
            raise ValueError(
                f"{where}: turn is a 1-based number (or -1 for the last), a list of them, "
                f'or "any" (passes when it passes at some turn)'
            )
    xfail = raw.get("xfail")
    if xfail is not None and (not isinstance(xfail, str) or not xfail.strip()):
        raise ValueError(f"{where}: xfail needs the reason, as text")
    return Check(kind, value, turns, xfail)


def load(folder: Path = DIALOGUES, only: Optional[str] = None) -> List[Dialogue]:
    dialogues = []
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        default_xfail = data.get("default_xfail") or {}
        if not isinstance(default_xfail, dict) or any(
            k not in DEFAULT_KINDS or not isinstance(v, str) or not v.strip()
            for k, v in default_xfail.items()
        ):
            raise ValueError(
                f"{path.name}: default_xfail maps a default check ({', '.join(DEFAULT_KINDS)}) "
                f"to the reason it is known to fail"
            )
        seen = set()
        for raw in data.get("dialogues") or []:
            where = f"{path.name}: {raw.get('id')!r}"
            if not raw.get("id") or not re.fullmatch(r"[\w.-]+", str(raw["id"])):
                raise ValueError(f"{where}: needs an id of letters, digits, '-', '_' or '.'")
            if raw["id"] in seen:
                raise ValueError(f"{where}: id used twice in the file")
            seen.add(raw["id"])
            turns = raw.get("turns")
            if not turns or not all(isinstance(t, str) and t.strip() for t in turns):
                raise ValueError(f"{where}: turns must be a list of user lines")
            checks = [_parse_check(c, where) for c in raw.get("checks") or []]
            for check in checks:
                for t in check.turns if isinstance(check.turns, list) else []:
                    if abs(t) > len(turns):
                        raise ValueError(f"{where}: a check names turn {t} of {len(turns)}")
            dialogue = Dialogue(
                str(raw["id"]), path.stem, turns, checks, raw.get("source"), raw.get("note"), default_xfail
            )
            if only and only not in f"{dialogue.file}/{dialogue.id}":
                continue
            dialogues.append(dialogue)
    return dialogues


@dataclass
class Result:
    check: Check
    turn: int
    passed: bool
    detail: str = ""

    @property
    def status(self) -> str:
        if self.check.xfail and not (self.passed and self.check.xfail_for_file):
            return "XPASS" if self.passed else "XFAIL"
        return "ok" if self.passed else "FAIL"


def _turn_texts(turn: Turn) -> str:
    return "\n".join(turn.texts + turn.button_titles)


def evaluate(check: Check, index: int, turns: Sequence[Turn]) -> Tuple[bool, str]:
    """(passed, what was seen) for one check on turn `index` (0-based) of a played dialogue."""
    turn = turns[index]
    kind, value = check.kind, check.value
    if value is False:  # a default check switched off for these turns
        return True, "switched off"
    if kind == "no_loop":

        def shown(t: Turn) -> set:
            return {
                (normalise(r.get("text") or ""), tuple(b.get("payload") for b in r.get("buttons") or []))
                for r in t.replies
                if len((r.get("text") or "").split()) >= LOOP_MIN_WORDS
            }

        looping = shown(turn) & shown(turns[index - 1]) & shown(turns[index - 2]) if index >= 2 else set()
        return not looping, "; ".join(f'third turn running: "{_short(text)}"' for text, _ in looping)
    if kind == "no_repeat":
        seen, repeated = set(), []
        for text in turn.texts:
            key = normalise(text)
            if key in seen and text not in repeated:
                repeated.append(text)
            seen.add(key)
        return not repeated, "; ".join(f'repeated: "{_short(t)}"' for t in repeated)
    if kind == "max_messages":
        count = len(turn.replies)
        return count <= value, f"{count} messages"
    if kind == "no_file_names":
        found = FILE_NAME.findall(_turn_texts(turn))
        return not found, f"file names: {', '.join(found)}" if found else ""
    if kind in ("forbid", "expect"):
        found = re.search(value, _turn_texts(turn), re.I)
        shown = f'found "{found.group(0)}"' if found else "not found"
        return (found is None) if kind == "forbid" else (found is not None), shown
    if kind == "expect_safety":
        set_to = turn.slot_events("safety")
        ran = SAFETY_REPLY[value] in turn.actions
        ok = value in set_to or ran
        return (
            ok,
            f"safety slot set to {set_to or 'nothing'}; {SAFETY_REPLY[value]} {'ran' if ran else 'did not run'}",
        )
    if kind == "slots":
        wrong = {name: turn.slots.get(name) for name, want in value.items() if turn.slots.get(name) != want}
        return not wrong, f"slots: {wrong}" if wrong else ""
    if kind in ("forbid_action", "expect_action"):
        matched = [a for a in turn.actions if re.fullmatch(value, a)]
        ok = not matched if kind == "forbid_action" else bool(matched)
        return ok, f"actions: {', '.join(turn.actions) or 'none'}"
    if kind == "no_long_repeat":
        earlier = {normalise(t) for previous in turns[:index] for t in previous.texts}
        repeated = [t for t in turn.texts if normalise(t) in earlier]
        words = sum(len(t.split()) for t in repeated)
        return words <= value, (
            f'{words} words shown before, in {len(repeated)} messages: "{_short(repeated[0])}"...'
            if repeated
            else ""
        )
    raise ValueError(kind)


def judge(dialogue: Dialogue, turns: Sequence[Turn], max_messages: int) -> List[Result]:
    results = []
    count = len(turns)
    for number in range(1, count + 1):
        mine = [c for c in dialogue.checks if c.covers(number, count)]
        given = {c.kind for c in mine}
        defaults = [
            Check(
                kind,
                max_messages if kind == "max_messages" else True,
                xfail=dialogue.default_xfail.get(kind),
                xfail_for_file=True,
            )
            for kind in DEFAULT_KINDS
            if kind not in given
        ]
        for check in defaults + mine:
            if check.turns == "any":
                seen = [evaluate(check, i, turns) for i in range(count)]
                at = [i + 1 for i, (ok, _) in enumerate(seen) if ok]
                detail = f"passes at turn {at[0]}" if at else f"at no turn; last: {seen[-1][1]}"
                results.append(Result(check, number, bool(at), detail))
                continue
            passed, detail = evaluate(check, number - 1, turns)
            results.append(Result(check, number, passed, detail))
    return results


@dataclass
class Played:
    dialogue: Dialogue
    turns: List[Turn] = field(default_factory=list)
    results: List[Result] = field(default_factory=list)
    error: Optional[str] = None
    seconds: float = 0.0

    @property
    def failed(self) -> List[Result]:
        return [r for r in self.results if r.status == "FAIL"]

    @property
    def ok(self) -> bool:
        return not self.error and not self.failed


def play_one(advisor: Advisor, dialogue: Dialogue, max_messages: int) -> Played:
    played = Played(dialogue)
    sender = new_sender(f"dialogue-{dialogue.id}")
    started = time.monotonic()
    try:
        for line in dialogue.turns:
            since = played.turns[-1].tracker_length if played.turns else 0
            played.turns.append(advisor.turn(sender, line, since))
    except Exception as error:  # reported as a failure of this dialogue
        played.error = f"{type(error).__name__}: {error}"
    played.seconds = time.monotonic() - started
    if not played.error:
        played.results = judge(dialogue, played.turns, max_messages)
    return played


def _short(text: str, limit: int = 100) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote(text: str) -> List[str]:
    return [f"> {line}" if line.strip() else ">" for line in text.splitlines()] or [">"]


def transcript(played: Played) -> str:
    d = played.dialogue
    lines = [f"# {d.file} / {d.id}", ""]
    if d.source:
        lines.append(f"Source: {d.source}")
    if d.note:
        lines.append(f"Note: {d.note}")
    failed, xfail = len(played.failed), sum(r.status == "XFAIL" for r in played.results)
    lines += [
        f"Result: {'PASS' if played.ok else 'FAIL'} ({failed} failed checks"
        + (f", {xfail} known failures" if xfail else "")
        + f"; {played.seconds:.1f}s)",
        "",
    ]
    for number, turn in enumerate(played.turns, 1):
        lines += [f"## Turn {number}", "", f"**User:** {turn.user}", ""]
        for i, reply in enumerate(turn.replies, 1):
            lines.append(f"**Bot {i}:**")
            lines += _quote(reply.get("text") or "")
            for button in reply.get("buttons") or []:
                lines.append(f">  [{button.get('title')}] `{button.get('payload')}`")
            for extra in ("image", "attachment", "custom"):
                if reply.get(extra):
                    lines.append(f">  ({extra}: {reply[extra]})")
            lines.append("")
        slots = {k: v for k, v in turn.slots.items() if k in ("scenario", "safety") and v is not None}
        lines.append(
            f"_intent {turn.intent}; actions: {', '.join(turn.actions) or 'none'}"
            + (f"; {', '.join(f'{k}={v}' for k, v in slots.items())}" if slots else "")
            + "_"
        )
        checks = [r for r in played.results if r.turn == number]
        shown = [r for r in checks if r.status != "ok" or r.check.kind not in DEFAULT_KINDS]
        if shown:
            lines.append("")
            for r in shown:
                reason = f" (known failure: {r.check.xfail})" if r.check.xfail else ""
                lines.append(
                    f"- {r.status} {r.check.label()}{reason}" + (f": {r.detail}" if r.detail else "")
                )
        lines.append("")
    if played.error:
        lines += ["## Error", "", played.error, ""]
    return "\n".join(lines)


def run(
    advisor: Advisor,
    folder: Path = DIALOGUES,
    out: Path = ROOT / "results" / "transcripts",
    jobs: int = 8,
    max_messages: int = 6,
    only: Optional[str] = None,
) -> int:
    dialogues = load(folder, only)
    if not dialogues:
        print(f"no dialogues in {folder}" + (f" matching {only!r}" if only else ""))
        return 1
    print(f"dialogues: {len(dialogues)} from {folder}, {jobs} at a time", flush=True)
    started = time.monotonic()
    played = run_all(lambda d: play_one(advisor, d, max_messages), dialogues, jobs)
    seconds = time.monotonic() - started
    summary = [
        f"# Transcripts: {len(played)} dialogues, {sum(len(p.turns) for p in played)} turns, {seconds:.0f}s",
        "",
    ]
    for p in played:
        folder_out = out / p.dialogue.file
        folder_out.mkdir(parents=True, exist_ok=True)
        (folder_out / f"{p.dialogue.id}.md").write_text(transcript(p), encoding="utf-8")
    failures = [(p, r) for p in played for r in p.failed]
    known = [(p, r) for p in played for r in p.results if r.status == "XFAIL"]
    xpass = [(p, r) for p in played for r in p.results if r.status == "XPASS"]
    errors = [p for p in played if p.error]

    def line(p: Played, r: Result) -> str:
        return f"{p.dialogue.file}/{p.dialogue.id} turn {r.turn}: {r.check.label()}" + (
            f" -- {r.detail}" if r.detail else ""
        )

    for title, items in (
        ("FAILED", failures),
        ("KNOWN FAILURES (xfail)", known),
        ("PASSING BUT MARKED xfail (remove the mark)", xpass),
    ):
        if items:
            summary += [f"## {title}: {len(items)}", ""]
            for p, r in items:
                summary.append(f"- {line(p, r)}" + (f" [xfail: {r.check.xfail}]" if r.check.xfail else ""))
            summary.append("")
    if errors:
        summary += (
            [f"## ERRORS: {len(errors)}", ""]
            + [f"- {p.dialogue.file}/{p.dialogue.id}: {p.error}" for p in errors]
            + [""]
        )
    summary += ["## Dialogues", ""]
    for p in played:
        checks = len(p.results)
        summary.append(
            f"- {'PASS' if p.ok else 'FAIL'} {p.dialogue.file}/{p.dialogue.id}: "
            f"{len(p.turns)} turns, {checks - len(p.failed)}/{checks} checks"
            + (
                f", {sum(r.status == 'XFAIL' for r in p.results)} known failures"
                if any(r.status == "XFAIL" for r in p.results)
                else ""
            )
        )
    out.mkdir(parents=True, exist_ok=True)
    (out / "SUMMARY.md").write_text("\n".join(summary) + "\n", encoding="utf-8")

    if failures:
        kinds: Dict[str, set] = {}
        for p, r in failures:
            kinds.setdefault(r.check.kind, set()).add(f"{p.dialogue.file}/{p.dialogue.id}")
        print(
            f"{len(failures)} FAILED CHECKS in {len({id(p) for p, _ in failures})} dialogues; by kind: "
            + ", ".join(
                f"{k} in {len(v)} dialogues" for k, v in sorted(kinds.items(), key=lambda kv: -len(kv[1]))
            )
        )
        shown = [
            (p, r) for p, r in failures if r.check.kind not in DEFAULT_KINDS or p.dialogue.file != "realistic"
        ]
        for p, r in shown[:CONSOLE_LINES]:
            print(f"  FAIL {line(p, r)}")
        if len(failures) > min(len(shown), CONSOLE_LINES):
            print(
                f"  ... and {len(failures) - min(len(shown), CONSOLE_LINES)} more: every one in {out / 'SUMMARY.md'}"
            )
    if known:
        print(f"\n!!! {len(known)} KNOWN FAILURES (marked xfail; they still fail):")
        for p, r in known:
            print(f"  XFAIL {line(p, r)}  [{r.check.xfail}]")
    if xpass:
        print(f"\n!!! {len(xpass)} checks marked xfail now PASS: remove their xfail mark:")
        for p, r in xpass:
            print(f"  XPASS {line(p, r)}")
    for p in errors:
        print(f"  ERROR {p.dialogue.file}/{p.dialogue.id}: {p.error}")
    passed = sum(p.ok for p in played)
    total_checks = sum(len(p.results) for p in played)
    print(
        f"\ntranscripts: {passed}/{len(played)} dialogues pass; {len(failures)} failed checks of "
        f"{total_checks}, {len(known)} known failures, {len(errors)} errors; {seconds:.0f}s. "
        f"Transcripts in {out}/ (read them)."
    )
    return 0 if not failures and not errors else 1
