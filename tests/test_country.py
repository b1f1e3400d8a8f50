"""Country-aware safety lines: where the user's country comes from (a country they state, then
Telegram's language_code, then the browser's language), and the crisis and abuse replies that
show that country's lines first, then the international directory."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.content_store import content
from actions.country import choose_country, country_from_language, latest_metadata
from actions.safety import (
    ActionRespondToAbuse,
    ActionRespondToCrisis,
    ActionShowCountryLines,
    country_payload,
)
from conftest import make_tracker, payloads, texts
from nlp.breakup_facts import facts_from_doc

CONTENT = content()
KNOWN = CONTENT.resources.countries


def tracker_with(slots=None, metadata=None, **kwargs):
    tracker = make_tracker(slots=slots, **kwargs)
    tracker.events = [{"event": "user", "text": "hi", "metadata": metadata or {}}]
    return tracker


# --- where the country comes from ------------------------------------------------------------


@pytest.mark.parametrize(
    "tag, country",
    [
        ("en-GB", "GB"),
        ("en_AU", "AU"),
        ("fr-FR", "FR"),
        ("zh-Hant-TW", "TW"),
        ("en-gb", "GB"),
        ("en", None),
        ("de", None),
        ("", None),
        (None, None),
        ("english", None),
    ],
)
def test_the_region_of_a_language_tag_is_the_country(tag, country):
    assert country_from_language(tag) == country


def test_a_stated_country_comes_first():
    metadata = {"language_code": "en-US", "language": "en-AU"}
    assert choose_country("GB", metadata, KNOWN) == "GB"


def test_then_telegrams_language_code():
    assert choose_country(None, {"language_code": "en-NZ", "language": "en-AU"}, KNOWN) == "NZ"


def test_then_the_browsers_language():
    assert choose_country(None, {"language": "en-IE"}, KNOWN) == "IE"


def test_a_language_without_region_or_a_country_without_lines_is_unknown():
    assert choose_country(None, {"language_code": "en", "language": "en-IN"}, KNOWN) is None
    assert choose_country(None, {"language_code": "en-IN", "language": "en-CA"}, KNOWN) == "CA"
    assert choose_country(None, {}, KNOWN) is None


def test_the_metadata_is_the_latest_user_messages():
    events = [
        {"event": "user", "metadata": {"language": "en-GB"}},
        {"event": "bot"},
        {"event": "user", "metadata": {"language": "en-AU"}},
        {"event": "action"},
    ]
    assert latest_metadata(events) == {"language": "en-AU"}
    assert latest_metadata([]) == {}


@pytest.mark.parametrize(
    "text, country",
    [
        ("I'm in the UK", "GB"),
        ("i live in australia", "AU"),
        ("im from canada", "CA"),
        ("i’m in scotland and i can't go on", "GB"),
        ("I am living in the United States", "US"),
        ("i'm from northern ireland", "GB"),
        ("i live in ireland", "IE"),
        ("im in new zealand", "NZ"),
        ("I'm based in Germany", "DE"),
        ("i live in france", "FR"),
        ("i am from spain", "ES"),
    ],
)
def test_a_stated_country_is_an_entity(spacy_pipeline, text, country):
    entities = facts_from_doc(spacy_pipeline(text))["entities"]
    assert {"country": country} == {e["entity"]: e["value"] for e in entities if e["entity"] == "country"}


@pytest.mark.parametrize(
    "text",
    [
        "he lives in the uk now",
        "she moved to australia",
        "i'm in love with him",
        "i miss us",
        "i live in fear of him",
    ],
)
def test_the_exs_country_or_other_words_are_not_the_users(spacy_pipeline, text):
    entities = facts_from_doc(spacy_pipeline(text))["entities"]
    assert not [e for e in entities if e["entity"] == "country"]


# --- the replies -----------------------------------------------------------------------------


def test_crisis_reply_for_a_stated_uk_user_gives_samaritans_first(dispatcher, domain):
    tracker = tracker_with(
        slots={"user_country": "GB"}, metadata={"language": "en-US"}, intent="express_crisis"
    )
    ActionRespondToCrisis().run(dispatcher, tracker, domain)
    said = texts(dispatcher)
    assert said.index("Samaritans") < said.index("findahelpline.com")
    assert "988" not in said and "13 11 14" not in said
    assert "call 999" in said
    assert payloads(dispatcher) == [country_payload()]  # "another country", one button


def test_crisis_reply_for_a_telegram_user_in_australia(dispatcher, domain):
    tracker = tracker_with(metadata={"language_code": "en-AU"}, intent="express_crisis")
    ActionRespondToCrisis().run(dispatcher, tracker, domain)
    said = texts(dispatcher)
    assert said.index("13 11 14") < said.index("findahelpline.com") and "116 123" not in said


def test_crisis_reply_without_a_country_gives_the_directory_and_the_countries(dispatcher, domain):
    ActionRespondToCrisis().run(dispatcher, tracker_with(intent="express_crisis"), domain)
    said = texts(dispatcher)
    assert "findahelpline.com" in said and "116 123" not in said and "988" not in said
    assert payloads(dispatcher) == [country_payload(code) for code in KNOWN]


def test_abuse_reply_for_a_browser_in_the_uk_gives_the_four_nations_lines(dispatcher, domain):
    tracker = tracker_with(metadata={"language": "en-GB"}, intent="disclose_abuse")
    ActionRespondToAbuse().run(dispatcher, tracker, domain)
    said = dispatcher.messages[0]["text"]
    for number in ("0808 2000 247", "0800 027 1234", "0808 80 10 800", "0808 802 1414"):
        assert said.index(number) < said.index("findahelpline.com")
    assert "1-800-799-7233" not in said
    assert dispatcher.messages[0]["buttons"] == [
        {"title": "Lines in another country", "payload": country_payload()}
    ]


def test_the_another_country_button_lists_the_countries(dispatcher, domain):
    tracker = tracker_with(slots={"user_country": "GB"}, intent="choose_country")
    assert ActionShowCountryLines().run(dispatcher, tracker, domain) == []
    assert payloads(dispatcher) == [country_payload(code) for code in KNOWN]


def test_a_picked_country_gets_its_lines_of_the_right_kind(dispatcher, domain):
    tracker = tracker_with(
        slots={"safety": "abuse"}, intent="choose_country", entities=[{"entity": "country", "value": "FR"}]
    )
    events = ActionShowCountryLines().run(dispatcher, tracker, domain)
    said = texts(dispatcher)
    assert "3919" in said and "3114" not in said and "findahelpline.com" in said
    assert SlotSet("user_country", "FR") in events


def test_every_country_has_a_line_or_an_emergency_number_and_the_directory():
    for code in KNOWN:
        for kind in ("crisis", "abuse"):
            lines = getattr(CONTENT.resources, kind)
            assert any(code in line.countries for line in lines + CONTENT.resources.emergency)
            assert any(line.region == "Anywhere" for line in lines)


def test_the_slot_is_filled_from_the_entity_at_any_intent(domain):
    slot = domain["slots"]["user_country"]
    assert slot["mappings"] == [{"type": "from_entity", "entity": "country"}]
    assert set(slot["values"]) == set(KNOWN)


def test_a_country_said_out_of_the_blue_is_only_acknowledged(dispatcher, domain):
    tracker = tracker_with(intent="choose_country", entities=[{"entity": "country", "value": "AU"}])
    events = ActionShowCountryLines().run(dispatcher, tracker, domain)
    said = texts(dispatcher)
    assert "Australia" in said and "13 11 14" not in said and not payloads(dispatcher)
    assert SlotSet("user_country", "AU") in events
