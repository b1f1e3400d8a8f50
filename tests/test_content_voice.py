"""One voice across the content: the points where cards, the tracker, the assessment and the
cautions must say the same thing, or avoid the same thing."""

import re

from actions.content_store import content
from actions.guided_content import assessment_content
from actions.no_contact_content import load_tracker_texts

CONTENT = content()
TRACKER = load_tracker_texts()


def _all_texts():
    for card in CONTENT.cards:
        yield card.id, " ".join(card.all_text())
    for guidance in TRACKER.all_guidance():
        yield guidance.title, " ".join(guidance.all_text())
    for name, caution in CONTENT.cautions.items():
        yield name, caution.text


def test_one_stance_on_cheating():
    step = next(w for w in CONTENT.main_card("should_i_go_back").warnings if "cheating" in w)
    finding = assessment_content().findings["cheating"].text
    caution = CONTENT.cautions["cheating"].text
    for text in (step, finding, caution):
        assert "time apart" in text  # rebuilding only after real time apart
    for text in (step, finding):
        assert re.search(r"going back quickly (isn.t|is not) recommended", text, re.I)


def test_no_contact_lasts_at_least_30_to_60_days_everywhere():
    for where, text in _all_texts():
        for match in re.finditer(r"30 to 60 days", text):
            assert text[: match.start()].endswith("at least "), where


def test_a_slip_and_acting_needy_agree_one_short_apology_is_fine():
    relapse = " ".join(TRACKER.relapse.all_text())
    assert "one short apology" in relapse and "no extra messages" not in relapse
    assert "one short apology" in CONTENT.main_card("acted_needy").text


def test_the_odds_say_where_their_figures_come_from():
    text = CONTENT.main_card("odds").text
    assert "readers of one" in text and "not a random sample" in text


def test_no_game_tactics():
    for where, text in _all_texts():
        assert "unpredictabl" not in text, where
        assert "what life without you" not in text, where


def test_the_just_friends_warnings_do_not_assume_the_user_pressed():
    for card in CONTENT.by_subject["just_friends"]:
        for warning in card.warnings:
            assert "reassurance" not in warning, card.id


def test_the_six_step_message_says_when_and_names_a_concrete_kindness():
    card = next(c for c in CONTENT.cards if c.id == "he_broke_up_pulled_away")
    said = " ".join(card.all_text())
    assert "few weeks" in said and "not in the first" in said.lower()
    assert any("[" in s.text and "kind thing" in s.text for s in card.scripts)


def test_the_survivor_cards_cite_domestic_abuse_services_and_every_guide_is_used():
    cited = {s for c in CONTENT.cards for s in c.sources}
    cited |= {s for g in TRACKER.all_guidance() for v in (g, g.after_abuse_version) if v for s in v.sources}
    assert set(CONTENT.guides) <= cited
    for tid in CONTENT.registry.survivor_path:
        assert any(s.startswith("guide_") for s in CONTENT.main_card(tid).sources), tid
    for guide in CONTENT.guides.values():
        assert guide.url.startswith("http") and guide.publisher
