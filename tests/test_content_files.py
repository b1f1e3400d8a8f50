"""The one content loader (actions/content_files.py) and the sentences of messages.yml.

- Every content file is read from $ADVISOR_CONTENT_DIR when it is set, and follows one reload rule.
- Every key the code passes to message() is in messages.yml with the placeholders the code fills,
  and every key there is used; a missing key or placeholder fails loudly.
"""

import ast
import os
import shutil
from pathlib import Path

import pytest
import yaml

from actions import content_files
from actions.content_files import CONTENT_DIR, CONTENT_DIR_ENV, ContentError, Reloading
from actions.messages import FILE, load_messages, message, placeholders, used_in_code

CODE = Path(content_files.__file__).parent


@pytest.fixture
def content_copy(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def _edit_message(folder: Path, key: str, text: str) -> None:
    path = folder / FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["messages"][key] = text
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _touch_later(path: Path) -> None:
    """Moves a file's time on, so an edit within the same clock tick is still seen."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))


# --- the keys ------------------------------------------------------------------------------


def test_every_key_used_in_code_is_in_the_file_with_its_placeholders():
    data = yaml.safe_load((CONTENT_DIR / FILE).read_text(encoding="utf-8"))["messages"]
    for key, names in used_in_code().items():
        assert key in data, f"{key} is used by the code but missing from {FILE}"
        assert placeholders(data[key]) == names, f"{key}: the code fills {sorted(names)}"


def test_every_key_in_the_file_is_used_by_the_code():
    data = yaml.safe_load((CONTENT_DIR / FILE).read_text(encoding="utf-8"))["messages"]
    unused = sorted(set(data) - set(used_in_code()))
    assert not unused, f"keys in {FILE} no code uses: {unused}"


def test_the_code_scan_sees_every_call():
    """used_in_code() reads the calls from the source: it must find as many as there are."""
    calls = 0
    for path in CODE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "message":
                calls += 1
    assert calls >= len(used_in_code()) > 20


def test_the_file_loads_from_the_default_folder():
    loaded = load_messages(CONTENT_DIR)
    assert set(loaded) == set(used_in_code())


def test_a_missing_key_fails_loudly(content_copy):
    path = content_copy / FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["messages"]["crisis_reply"]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError, match="crisis_reply: used by the code, missing from messages.yml"):
        load_messages(content_copy)


def test_a_missing_placeholder_fails_loudly(content_copy):
    _edit_message(content_copy, "crisis_reply", "Please call one of these lines:\n{lines}{pick_note}")
    with pytest.raises(ContentError, match=r"crisis_reply: has placeholders \['lines', 'pick_note'\]"):
        load_messages(content_copy)


def test_an_unknown_placeholder_fails_loudly(content_copy):
    _edit_message(content_copy, "ask_country", "Which country are you in, {name}?")
    with pytest.raises(ContentError, match=r"ask_country: has placeholders \['name'\], the code fills \[\]"):
        load_messages(content_copy)


def test_an_unused_key_and_bad_braces_fail_loudly(content_copy):
    _edit_message(content_copy, "never_said", "Nobody asks for this.")
    _edit_message(content_copy, "ask_country", "Which country {are you in?")
    with pytest.raises(ContentError) as error:
        load_messages(content_copy)
    assert "never_said: not used by the code" in str(error.value)
    assert "ask_country: bad braces" in str(error.value)


def test_pronoun_placeholders_are_for_cards_only(content_copy):
    _edit_message(content_copy, "ask_country", "Which country are {they} in?")
    with pytest.raises(ContentError, match="pronoun placeholders"):
        load_messages(content_copy)


def test_a_message_given_the_wrong_values_fails_loudly():
    with pytest.raises(ContentError, match="needs the values"):
        message("country_noted")
    assert message("country_noted", country="Ireland").startswith("Thanks, I'll keep in mind")


# --- the reload rule and the folder --------------------------------------------------------


def test_an_edited_file_is_reloaded_and_a_broken_edit_keeps_the_last_good(content_copy):
    loaded = Reloading("messages", load_messages, content_copy, check_every=0)
    _edit_message(content_copy, "ask_country", "Where are you?")
    _touch_later(content_copy / FILE)
    assert loaded.get()["ask_country"][0] == "Where are you?"
    (content_copy / FILE).write_text("messages: [oops", encoding="utf-8")
    _touch_later(content_copy / FILE)
    assert loaded.get()["ask_country"][0] == "Where are you?"


def test_a_reload_is_checked_at_most_once_a_second(content_copy, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(content_files.time, "monotonic", lambda: now[0])
    loaded = Reloading("messages", load_messages, content_copy)
    _edit_message(content_copy, "ask_country", "Where are you?")
    _touch_later(content_copy / FILE)
    now[0] += 0.9
    assert loaded.get()["ask_country"][0] == "Which country are you in?"
    now[0] += 0.2
    assert loaded.get()["ask_country"][0] == "Where are you?"


def test_every_content_file_comes_from_the_folder_in_the_environment(content_copy, monkeypatch):
    """A copy of the content with an edit in each kind of file: each edit is what the code serves."""
    from actions import content_store
    from actions.content_store import content
    from actions.form_digressions import questions
    from actions.guided_content import reflections_content
    from actions.no_contact_content import tracker_texts
    from actions.workshop_content import workshop_texts

    _edit_message(content_copy, "ask_country", "Which country, from the copy?")
    path = content_copy / "workshop.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["texts"]["quit"] = "Nothing checked (from the copy)."
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    path = content_copy / "no_contact_tracker.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["relapse"]["title"] = "A slip (from the copy)"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    path = content_copy / "guided" / "questions.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    first = next(iter(data["questions"]))
    data["questions"][first]["why"] = "Because (from the copy)."
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    path = content_copy / "guided" / "reflections.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    exercise = next(iter(data["exercises"]))
    data["exercises"][exercise]["title"] = "An exercise (from the copy)"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")

    monkeypatch.setenv(CONTENT_DIR_ENV, str(content_copy))
    assert message("ask_country") == "Which country, from the copy?"
    assert workshop_texts().texts["quit"] == "Nothing checked (from the copy)."
    assert tracker_texts().relapse.title == "A slip (from the copy)"
    assert questions()[first]["why"] == "Because (from the copy)."
    assert reflections_content().exercises[exercise].title == "An exercise (from the copy)"
    content()
    assert content_store._STORE.directory == content_copy

    monkeypatch.delenv(CONTENT_DIR_ENV)
    assert message("ask_country") == "Which country are you in?"
    assert workshop_texts().texts["quit"] != "Nothing checked (from the copy)."


def test_a_missing_folder_fails_loudly(tmp_path, monkeypatch):
    monkeypatch.setenv(CONTENT_DIR_ENV, str(tmp_path / "missing"))
    with pytest.raises(ContentError, match="messages.yml: cannot be read"):
        message("ask_country")
