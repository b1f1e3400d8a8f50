"""The advice content: schema, coverage, pronouns, citations and originality."""

import re
import shutil
from pathlib import Path

import pytest
import yaml

from actions.content_store import (
    CONTENT_DIR,
    SCRIPT_WORDS,
    STEP_WORDS,
    SUMMARY_WORDS,
    ContentError,
    ContentStore,
    load_content,
)
from actions.pronouns import fill
from conftest import ROOT, SEEDS

CONTENT = load_content()
ALL_CARDS = CONTENT.cards
PRONOUNS = ("he", "she", "they")


def test_every_scenario_and_topic_has_a_main_card():
    for subject in list(CONTENT.registry.scenarios) + list(CONTENT.registry.topics):
        assert CONTENT.main_card(subject).subject == subject


@pytest.mark.parametrize("card", ALL_CARDS, ids=lambda c: c.id)
@pytest.mark.parametrize("pronoun", PRONOUNS)
def test_cards_render_with_every_pronoun(card, pronoun):
    for text in card.all_text():
        rendered = fill(text, pronoun)
        assert "{" not in rendered and "}" not in rendered


@pytest.mark.parametrize("card", ALL_CARDS, ids=lambda c: c.id)
def test_cards_refer_to_the_ex_through_placeholders(card):
    # "he"/"she" written out would read wrong for users whose ex is someone else.
    for text in card.all_text():
        assert not re.search(r"\b(he|him|his|she|her|hers|himself|herself)\b", text, re.I), text


@pytest.mark.parametrize("card", ALL_CARDS, ids=lambda c: c.id)
def test_cards_keep_to_the_word_budgets(card):
    # Read on a phone: the summary fits one screen, a step or a script one glance.
    assert len(card.summary.split()) <= SUMMARY_WORDS, card.summary
    for step in card.steps:
        assert len(step.split()) <= STEP_WORDS, step
    for script in card.scripts:
        assert len(script.text.split()) <= SCRIPT_WORDS, script.label


@pytest.mark.parametrize("card", ALL_CARDS, ids=lambda c: c.id)
def test_summaries_are_written_afresh(card):
    # The summary is read first and alone: its own sentences, not a paragraph of the card cut out
    # (a shared phrase is fine, no run of 11 words), and a variant's says what is particular to
    # its situation instead of repeating the main card's.
    rest = " ".join([card.text] + list(card.steps) + list(card.warnings) + [s.text for s in card.scripts])
    copied = _ngrams(_words(card.summary), 11) & _ngrams(_words(rest), 11)
    assert not copied, f"{card.id} summary repeats: {' '.join(sorted(copied)[0])}"
    if card.when:
        main = CONTENT.main_card(card.subject)
        assert not _ngrams(_words(card.summary), 11) & _ngrams(_words(main.summary), 11), card.id


@pytest.mark.parametrize("card", ALL_CARDS, ids=lambda c: c.id)
def test_summaries_are_plain_sentences(card):
    # Shown on its own before anything else: one paragraph, no list, heading, markup or quoted script.
    summary = card.summary
    assert "\n" not in summary and summary.endswith((".", "!", "?")), card.id
    assert not re.search(r"^\s*([-*#>]|\d+\.)\s|\*\*|[\"\u201c\u201d]", summary), card.id


def test_summaries_differ_from_card_to_card():
    summaries = [card.summary for card in ALL_CARDS]
    assert len(set(summaries)) == len(summaries)


def test_the_word_budgets():
    assert (SUMMARY_WORDS, STEP_WORDS, SCRIPT_WORDS) == (60, 30, 70)


def test_pronoun_agreement():
    assert fill("{They} need{s} space and {is} busy", "he") == "He needs space and is busy"
    assert fill("{They} need{s} space and {is} busy", "they") == "They need space and are busy"
    assert fill("{They're} not ready; give {them} time", "she") == "She's not ready; give her time"
    assert fill("{they} {doesn't} reply", None) == "they don't reply"


def _words(text):
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'").replace("'", ""))


def _ngrams(words, n=8):
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@pytest.fixture(scope="module")
def seed_ngrams():
    articles = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not articles:  # nothing to compare with would pass every text: fail instead
        pytest.fail(
            f"no source articles (*.txt) at {SEEDS}: originality cannot be checked "
            "(set ADVISOR_SEEDS_DIR to the folder that holds them)"
        )
    grams = set()
    for path in articles:
        grams |= _ngrams(_words(path.read_text(encoding="utf-8")))
    return grams


@pytest.mark.parametrize("card", ALL_CARDS, ids=lambda c: c.id)
def test_cards_are_written_in_our_own_words(card, seed_ngrams):
    # No run of 8 words may be copied from an article (checked with each pronoun filled in).
    for pronoun in PRONOUNS:
        for text in card.all_text():
            copied = _ngrams(_words(fill(text, pronoun))) & seed_ngrams
            assert not copied, f"{card.id} copies: {' '.join(sorted(copied)[0])}"


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


# sources.yml quotes the articles' titles on purpose: it is the citation list.
CONTENT_FILES = sorted(p for p in (ROOT / "actions" / "content").rglob("*.yml") if p.name != "sources.yml")
ACTION_MODULES = sorted((ROOT / "actions").glob("*.py"))


@pytest.mark.parametrize("path", CONTENT_FILES + ACTION_MODULES, ids=lambda p: p.name)
def test_every_authored_text_is_in_our_own_words(path, seed_ngrams):
    """All wording, not only the cards: every string in the content files and in the actions'
    code (the forms' questions, the plan, the tracker's replies)."""
    import ast

    import yaml

    if path.suffix == ".py":
        tree = ast.parse(path.read_text(encoding="utf-8"))
        texts = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    else:
        texts = list(_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    for text in texts:
        copied = _ngrams(_words(text)) & seed_ngrams
        assert not copied, f"{path.name} copies: {' '.join(sorted(copied)[0])}"


def test_cautions_are_written_in_our_own_words(seed_ngrams):
    for name, caution in CONTENT.cautions.items():
        assert not (_ngrams(_words(caution.text)) & seed_ngrams), name


def test_every_cited_source_exists():
    assert SEEDS.is_dir(), f"the source articles are not at {SEEDS} (set ADVISOR_SEEDS_DIR)"
    assert all((SEEDS / name).is_file() for name in CONTENT.sources)


def test_safety_resources_reach_anyone_anywhere():
    for lines in (CONTENT.resources.crisis, CONTENT.resources.abuse):
        anywhere = [line for line in lines if line.region == "Anywhere"]
        assert anywhere and "findahelpline.com" in anywhere[0].contact


def test_safety_numbers_match_the_checked_list():
    text = yaml.safe_dump(yaml.safe_load((CONTENT_DIR / "safety_resources.yml").read_text()))
    for number in (
        "988",
        "116 123",
        "13 11 14",
        "1-800-799-7233",
        "88788",
        "0808 2000 247",
        "1800 737 732",
        "911",
        "999",
        "112",
        "000",
    ):
        assert number in text


@pytest.fixture
def content_copy(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def _edit_card(content_dir: Path, filename: str, **changes):
    path = content_dir / "cards" / filename
    data = yaml.safe_load(path.read_text())
    data["cards"][0].update(changes)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"text": "Give {him} space."}, "unknown placeholders"),
        ({"follow_ups": ["not_a_topic"]}, "not a topic"),
        ({"follow_ups": ["no_contact"]}, "its own topic"),
        ({"sources": ["999_0000000000000000.txt"]}, "not in sources.yml"),
        ({"scenario": "he_broke_up"}, "exactly one of"),
        ({"when": {"time_since": ["yesterday"]}}, "not in"),
        ({"colour": "red"}, "extra fields not permitted"),
        ({"text": ""}, "at least 1 character"),
        ({"summary": "Give {him} space."}, "unknown placeholders"),
        ({"summary": " ".join(["word"] * 61)}, "summary has 61 words"),
        ({"steps": ["Short step.", " ".join(["word"] * 31)]}, "step 2 has 31 words"),
        ({"scripts": [{"label": "Long", "text": " ".join(["word"] * 71)}]}, "script 'Long' has 71 words"),
    ],
)
def test_invalid_cards_are_rejected(content_copy, changes, message):
    _edit_card(content_copy, "no_contact.yml", **changes)
    with pytest.raises(ContentError, match=message):
        load_content(content_copy)


def test_a_card_without_a_summary_is_rejected(content_copy):
    path = content_copy / "cards" / "odds.yml"
    data = yaml.safe_load(path.read_text())
    del data["cards"][1]["summary"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(
        ContentError, match=r"odds.yml card #1: 1 validation error for Card\nsummary\n  field required"
    ):
        load_content(content_copy)


def test_a_safe_cards_summary_is_checked_for_forbidden_wording(content_copy):
    _edit_card(content_copy, "survivor_support.yml", summary="When you feel stronger, you could try again.")
    with pytest.raises(ContentError, match="survivor_support_main: safe after abuse, but says 'try again'"):
        load_content(content_copy)


def test_a_missing_main_card_is_rejected(content_copy):
    (content_copy / "cards" / "odds.yml").unlink()
    with pytest.raises(ContentError, match="odds: needs exactly one card without `when`"):
        load_content(content_copy)


def test_edited_advice_is_served_without_restart(content_copy):
    store = ContentStore(content_copy, check_every=0)
    _edit_card(content_copy, "no_contact.yml", title="An edited title")
    assert store.get().main_card("no_contact").title == "An edited title"


def test_a_broken_edit_keeps_the_last_good_content(content_copy):
    store = ContentStore(content_copy, check_every=0)
    before = store.get().main_card("no_contact").title
    (content_copy / "cards" / "no_contact.yml").write_text("cards: [oops")
    assert store.get().main_card("no_contact").title == before


def test_the_content_folder_can_be_set_by_the_environment(content_copy, monkeypatch):
    import actions.content_store as store_module

    monkeypatch.delenv(store_module.CONTENT_DIR_ENV, raising=False)
    assert store_module.content_dir() == CONTENT_DIR
    _edit_card(content_copy, "odds.yml", title="Odds, from another folder")
    monkeypatch.setenv(store_module.CONTENT_DIR_ENV, str(content_copy))
    monkeypatch.setattr(store_module, "_STORE", None)
    assert store_module.content_dir() == content_copy
    assert store_module.content().main_card("odds").title == "Odds, from another folder"
    monkeypatch.setattr(store_module, "_STORE", None)
    monkeypatch.setenv(store_module.CONTENT_DIR_ENV, str(content_copy / "missing"))
    with pytest.raises(ContentError):
        store_module.content()
