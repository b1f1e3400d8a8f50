"""The kinds of wording real people use for who ended it, how often, how the ex acts, and whose
pronoun is whose, read by the rule patterns and the extractor (no model needed).

Each case is checked as typed and lower-cased (Rasa lower-cases text before spaCy sees it).
Run: .venv/bin/python -m pytest tests/test_real_wording.py -q
"""

from __future__ import annotations

from typing import Dict, Optional

import pytest

from actions.situation import infer_scenario
from nlp.breakup_facts import facts_from_doc
from nlp.build_pipeline import build


@pytest.fixture(scope="module")
def nlp(tmp_path_factory):
    return build(tmp_path_factory.mktemp("spacy") / "pipeline")


def facts(nlp, text: str) -> Dict[str, str]:
    found: Dict[str, str] = {}
    for entity in facts_from_doc(nlp(text))["entities"]:
        found.setdefault(entity["entity"], entity["value"])
    return found


def variants(text: str):
    return [text] if text == text.lower() else [text, text.lower()]


def scenario(nlp, text: str) -> Optional[str]:
    f = facts(nlp, text)
    return infer_scenario(f.get("who_ended"), f.get("breakup_count"), f.get("ex_behaviour"))


# (message, expected scenario from the facts alone)
SCENARIOS = [
    # the ex ended it: named ex, pronoun, noun, "left me for", divorce, "w/"
    ("Jake dumped me last week and i cant eat", "he_broke_up"),
    ("jake called it off after 2 years", "he_broke_up"),
    ("Emma ended things over text", "he_broke_up"),
    ("so tyler broke up with me on my birthday", "he_broke_up"),
    ("she ended things and moved out", "he_broke_up"),
    ("my husband left me for another woman", "he_broke_up"),
    ("he left me for his coworker", "he_broke_up"),
    ("she ended our 3 year relationship out of nowhere", "he_broke_up"),
    ("my wife asked for a divorce in march", "he_broke_up"),
    ("she said she wanted to break up because of the distance", "he_broke_up"),
    ("he told me he was done", "he_broke_up"),
    ("gf broke up w/ me last night", "he_broke_up"),
    ("bf broke up w me over snapchat", "he_broke_up"),
    ("how do you get him back after he dumped you because his friends hate you", "he_broke_up"),
    ("i was recently dumped by a guy i dated for a year", "he_broke_up"),
    ("the truth is, she left. and that's when i changed", "he_broke_up"),
    ("he chose to break off the relationship with me", "he_broke_up"),
    ("one of the reasons she wanted to split was her job", "he_broke_up"),
    # the user ended it
    ("i called it off", "you_broke_up"),
    ("I ended it because he never had time for me", "you_broke_up"),
    ("i ended our 2 year relationship and now i regret it", "you_broke_up"),
    ("i broke up w him bc i was stressed", "you_broke_up"),
    ("i walked away from the relationship and regret it", "you_broke_up"),
    ("it was mostly my choice to do so", "you_broke_up"),
    ("i left my wife last spring and now i see what i lost", "you_broke_up"),
    ("honestly i regret dumping him so much", "you_broke_up"),
    # both
    ("the break-up (which was pretty much mutual) hit me hard", "you_broke_up"),
    ("my girlfriend and i ended our almost-five-year relationship", "you_broke_up"),
    ("we broke up (in good terms) in march", "you_broke_up"),
    ("we decided to split after 4 years", "you_broke_up"),
    ("we broke up mutually but i miss her", "you_broke_up"),
    ("we split amicably in june", "you_broke_up"),
    ("we split up on good terms", "you_broke_up"),
    # mixed signals
    ("one day he's all over me the next he ignores me", "hot_and_cold"),
    ("she is hot and cold with me since we split", "hot_and_cold"),
    ("he calls me every night and then ignores me for days", "hot_and_cold"),
    # not the first breakup, whoever ended it
    ("we got back together and broke up again", "second_breakup"),
    ("we broke up in may, got back together in june and now he dumped me", "second_breakup"),
    ("this is the third time", "second_breakup"),
    ("second time we've broken up this year", "second_breakup"),
    ("we've been on and off for 2 years", "second_breakup"),
    ("she broke up with me for the third time", "second_breakup"),
    ("he dumped me again", "second_breakup"),
    ("this guy broke up with me no less than four times", "second_breakup"),
    ("i broke up with my boyfriend between 3 and 6 times", "second_breakup"),
    ("we dated, broke up and then got back together for three months", "second_breakup"),
    ("we always came back together and made it work", "second_breakup"),
    ("it happened just months after a previous breakup", "second_breakup"),
    ("during one of the breakups i was abroad", "second_breakup"),
    # not enough said: ask rather than guess
    ("we got back together, how do we make it last", None),
    ("we got back together last month and it's going great", None),
    ("he said he loves me but he can't be with me anymore", None),
    ("my girlfriend and I recently broke up, it was so confusing", None),
    ("so i ended things", "you_broke_up"),
    ("we broke up", None),
    ("my ex and I broke up", None),
    ("we split", None),
    ("we are trying again", None),
    ("we're giving it another go after a rough patch", None),
    ("what if we got back together", None),
    ("the breakup left me devastated", None),
    ("I'm thinking of ending it all tonight", None),
    ("we finally ended things", "you_broke_up"),  # both ended it
    ("he said he wanted to talk", None),
]


@pytest.mark.parametrize("text, expected", SCENARIOS, ids=[c[0][:60] for c in SCENARIOS])
def test_scenario_from_real_wording(nlp, text, expected):
    for t in variants(text):
        assert scenario(nlp, t) == expected, (t, facts(nlp, t))


def test_one_day_the_next_is_not_a_time(nlp):
    assert "time_since" not in facts(nlp, "one day he's all over me the next he ignores me")
    assert facts(nlp, "one day ago")["time_since"] == "one day ago"


# (message, the ex's pronoun or None when nothing says it)
PRONOUNS = [
    # the ex's own noun or pronoun
    ("my girlfriend dumped me after 3 years", "she"),
    ("he left me for her", "he"),
    ("she left me for a guy at her work, he's 30", "she"),
    # a third party's partner is not the ex
    ("he went back to his ex-girlfriend", "he"),
    ("he went back to his ex girlfriend and i'm a wreck", "he"),
    ("she moved on with her new boyfriend already", "she"),
    ("my ex-boyfriend's new girlfriend keeps posting, she is so annoying", "he"),
    ("my sister's boyfriend told me he saw my ex at a bar", None),
    ("my friend's husband said he saw her with someone", None),  # her: the friend? ask
    # a third party's pronoun is not the ex's
    ("my friend said she thinks i should move on", None),
    ("my mom hates him. she says i deserve better", "he"),
    ("my mom says i should move on", None),
    ("my dad said he never liked her", "she"),
    ("my friend sarah said she would help me get over it", None),
    # the ex named: the name's evident pronoun
    ("Jake dumped me last week", "he"),
    ("emma ended things after 2 years", "she"),
    ("sarah and i broke up 2 months ago", "she"),
    ("me and tyler split up", "he"),
    ("my ex jessica won't talk to me", "she"),
    ("alex broke up with me", None),  # a name given to anyone: ask, don't guess
]


@pytest.mark.parametrize("text, expected", PRONOUNS, ids=[c[0][:60] for c in PRONOUNS])
def test_the_ex_pronoun_comes_from_the_ex(nlp, text, expected):
    for t in variants(text):
        assert facts(nlp, t).get("ex_pronoun") == expected, (t, facts(nlp, t))


# ---------------------------------------------------------------- scenario intents and facts
from nlp.scenario_intent import scenario_intent  # noqa: E402

LONG_ABOUT_WORK = (
    "i have a meeting with my boss tomorrow about my promotion and im so nervous, any tips on what to say"
)
CURRENT_JEALOUS = (
    "my boyfriend and i have been together for two years and he still texts his ex "
    "every night, is it wrong that it bothers me"
)
CURRENT_ENDED = (
    "my boyfriend and i have been together for two years and last night he said he wants "
    "to break up, what do i do"
)
CURRENT_SILENT = (
    "my girlfriend and i have been together for 3 years and since the wedding she hasnt "
    "answered a single call"
)
LONG_ABOUT_EX = "my ex and i broke up a month ago and i miss him so much, i dont know what to do with myself"


@pytest.mark.parametrize(
    "facts, predicted, confidence, text, expected",
    [
        # the facts decide: the classifier's lean towards another scenario is overruled
        ({"who_ended": "ex", "ex_behaviour": "hot_and_cold"}, "i_broke_up", 1.0, "x", "ex_hot_and_cold"),
        ({"who_ended": "ex"}, "ex_hot_and_cold", 1.0, LONG_ABOUT_EX, "they_broke_up"),
        ({"who_ended": "ex"}, "they_broke_up", 1.0, "he dumped me", None),
        # no fact: a long post is not assumed to be a scenario, the triage asks
        ({}, "i_broke_up", 1.0, LONG_ABOUT_EX, "want_ex_back"),
        ({}, "broke_up_again", 0.5, "we are trying again", "want_ex_back"),
        # a short sure answer keeps the classifier's scenario
        ({}, "i_broke_up", 0.97, "it was me who left", None),
        # a long post with nothing about a breakup or an ex is off-topic
        ({}, "ask_meeting_up", 1.0, LONG_ABOUT_WORK, "out_of_scope"),
        ({}, "want_ex_back", 1.0, LONG_ABOUT_WORK, "out_of_scope"),
        # a long post about a breakup is not off-topic
        ({}, "out_of_scope", 0.8, LONG_ABOUT_EX, "want_ex_back"),
        ({"who_ended": "ex"}, "nlu_fallback", 0.3, LONG_ABOUT_EX, "they_broke_up"),
        # a relationship still going on, with no breakup of the user's own, is off-topic (written
        # for this test; someone else's ex does not make it a breakup)
        ({}, "want_ex_back", 1.0, CURRENT_JEALOUS, "out_of_scope"),
        ({"ex_behaviour": "friendly"}, "ask_just_friends", 1.0, CURRENT_JEALOUS, "out_of_scope"),
        (
            {},
            "want_ex_back",
            1.0,
            "im in a relationship with a guy who never makes time for me, should i give him an ultimatum",
            "out_of_scope",
        ),
        # the user weighing up ending a relationship still going on, in the first person, is
        # off-topic (kinds from the third fresh set, written for this test) ...
        (
            {},
            "want_ex_back",
            1.0,
            "i want to break up with my boyfriend of 4 years because we want different things",
            "out_of_scope",
        ),
        (
            {},
            "want_ex_back",
            1.0,
            "i am 15 and have a boyfriend. i think i need to end the relationship, how do i do it",
            "out_of_scope",
        ),
        (
            {},
            "want_ex_back",
            1.0,
            "i’ve been with my girlfriend for six years and she never wants to do anything with me",
            "out_of_scope",
        ),
        # ... not leaving the ex alone, after the breakup
        (
            {},
            "want_ex_back",
            1.0,
            "he dumped me in may, should i leave him alone for a while or text him",
            None,
        ),
        # ... not the ex's own reluctance told after the end, nor a partner who was moving out
        (
            {},
            "want_ex_back",
            1.0,
            "i was with my last partner for two years. he didn’t want to break up but said he understood",
            None,
        ),
        (
            {},
            "want_ex_back",
            1.0,
            "we’ve been together for 20 years and he said he wasn’t sure of his feelings and was moving out",
            None,
        ),
        # ... but not when the user's own breakup is in it, or the partner went silent
        ({}, "want_ex_back", 1.0, CURRENT_ENDED, None),
        ({"ex_behaviour": "silent"}, "want_ex_back", 1.0, CURRENT_SILENT, None),
        # the general wish with facts that decide the scenario is that scenario
        ({"who_ended": "ex"}, "want_ex_back", 1.0, "got broken up with today", "they_broke_up"),
        # an unsure classifier on a short message whose facts decide the scenario
        ({"who_ended": "ex"}, "nlu_fallback", 0.3, "my boyfriend left me", "they_broke_up"),
        ({}, "nlu_fallback", 0.3, "asdf left", None),
        # someone else's breakup, told by the user, is off-topic (written for this test) ...
        (
            {},
            "want_ex_back",
            1.0,
            "my best friend's boyfriend broke up with her last week and she cries all day, how do i help",
            "out_of_scope",
        ),
        (
            {},
            "want_ex_back",
            1.0,
            "my parents told us they are getting divorced and i cry at school",
            "out_of_scope",
        ),
        # ... but a friend in a post about the user's own breakup is not
        ({}, "want_ex_back", 1.0, "my ex left me last month and my best friend says i should move on", None),
        # a relationship going on now, said as the partner's habits, is off-topic ...
        (
            {},
            "want_ex_back",
            1.0,
            "my husband never helps with the dishes and we argue about it every single night",
            "out_of_scope",
        ),
        # ... the user weighing up a breakup is not one yet ...
        (
            {},
            "want_ex_back",
            1.0,
            "i'm in love with a guy who doesn't want kids, should i break up with him or wait",
            "out_of_scope",
        ),
        # ... but a partner who is leaving is a breakup
        ({}, "want_ex_back", 1.0, "my husband never saw it coming but last night he said he's leaving", None),
        # a match from a dating app who stopped texting, a friend who blows hot and cold: off-topic
        (
            {"ex_behaviour": "silent"},
            "want_ex_back",
            1.0,
            "i matched with a guy on hinge, we went on two dates and now he stopped texting me",
            "out_of_scope",
        ),
        (
            {"ex_behaviour": "hot_and_cold"},
            "want_ex_back",
            1.0,
            "a friend of mine might be more than a friend but he blows hot and cold, the friend zone is hard",
            "out_of_scope",
        ),
        # "so" is not a partner ("s/o" is)
        (
            {},
            "want_ex_back",
            1.0,
            "i play a game with a guy every night, my fav so i asked him for tips",
            "out_of_scope",
        ),
        # a crush, someone at work, a few dates: off-topic (written for this test) ...
        (
            {},
            "want_ex_back",
            1.0,
            "there is a girl in my office and i have had a huge crush on her for a year, should i say something",
            "out_of_scope",
        ),
        (
            {},
            "want_ex_back",
            1.0,
            "i think i am falling for someone i work with but she has no idea, what do i do",
            "out_of_scope",
        ),
        # ... but a crush after the user's own breakup is about the breakup
        (
            {},
            "want_ex_back",
            1.0,
            "my ex dumped me in june and now i have a crush on someone i work with",
            None,
        ),
        # a relationship still going on, said as "I've been dating him for", and a partner who
        # won't end it: off-topic
        (
            {},
            "want_ex_back",
            1.0,
            "i've been dating him for a year and i'm not sure whether to break up with him or not",
            "out_of_scope",
        ),
        (
            {},
            "want_ex_back",
            1.0,
            "my boyfriend and i have been together three years, i like someone else and he won't break up with me",
            "out_of_scope",
        ),
        # the classifier's off-topic stands when the breakup words are weighed or someone else's
        (
            {},
            "out_of_scope",
            0.8,
            "we have been together for a few months and my parents say i have to break up with him",
            None,
        ),
        (
            {},
            "out_of_scope",
            0.8,
            "a friend told me she is getting divorced and i don't know what to say to her",
            None,
        ),
        # a long post the classifier called off-topic that names the user's own partner or ex,
        # and is none of the off-topic kinds, is about the user's love life: the triage asks ...
        (
            {},
            "out_of_scope",
            0.9,
            "me and my boyfriend were together for ten months and now i keep wanting to text him every night",
            "want_ex_back",
        ),
        # ... but not a relationship going on, nor "call him" about a doctor
        (
            {},
            "out_of_scope",
            0.9,
            "my boyfriend and i have been together for two years and he never does the dishes at all",
            None,
        ),
        (
            {},
            "out_of_scope",
            0.9,
            "i have had a headache every day for six months, should i call my doctor or wait",
            None,
        ),
        # "the youngest sister" is someone else; "i called" is not "i called it off"
        (
            {},
            "want_ex_back",
            1.0,
            "i called my youngest sister last night and she was crying, her boyfriend broke up with her",
            "out_of_scope",
        ),
        # other intents are left alone
        ({}, "greet", 1.0, "hi", None),
        ({}, "out_of_scope", 1.0, "tell me a joke", None),
    ],
)
def test_scenario_intents_agree_with_the_facts(facts, predicted, confidence, text, expected):
    assert scenario_intent(facts, predicted, confidence, text) == expected


# Who ended it and whether it happened before, said indirectly: one group per kind of wording,
# with the readings each kind must not produce (a third party, a wish or question, a current
# relationship). (message, expected scenario from the facts alone)
INDIRECT = [
    # the ex no longer wants the relationship
    ("my boyfriend doesn't love me anymore and moved back to his mom's", "he_broke_up"),
    ("she does not love me any more, she said so on friday", "he_broke_up"),
    ("she told me she wants to be single for a while", "he_broke_up"),
    ("he realized he's not ready for a relationship right now", "he_broke_up"),
    ("she said she wasn't ready to commit to anyone", "he_broke_up"),
    ("he said he needs space and stopped coming over", "he_broke_up"),
    ("she told me she needed time alone to figure herself out", "he_broke_up"),
    ("after two years he was done trying", "he_broke_up"),
    ("he told me he had met someone else", "he_broke_up"),
    ("he said he couldn't see us working long term", "he_broke_up"),
    # the ex went
    ("she walked out, just like that", "he_broke_up"),
    ("he ghosted me after six months together", None),  # silence, not who ended it
    ("she finished with me over the phone", "he_broke_up"),
    ("it has been a month since she left. i still set two plates", "he_broke_up"),
    ("we argued and he stormed out, and that was the end of us", "he_broke_up"),
    ("my fiance ended up leaving in june", "he_broke_up"),
    ("my wife, who i lived with, just left.", "he_broke_up"),
    # ... but not a third party, a wish, a question, or someone leaving a room
    ("my husband left for his night shift at nine", None),
    ("my sister's boyfriend doesn't love her anymore", None),
    ("what if he doesn't love me anymore?", None),
    ("i'm scared she wants to be single", None),
    ("my roommate's girlfriend ghosted him", None),
    ("when he left for work i cried for an hour", None),
    ("he left the apartment to go to class", None),
    ("my friend needs space from her boyfriend", None),
    # the user ended it
    ("i finally let her go after eight years", "you_broke_up"),
    ("i let him go because he never chose me", "you_broke_up"),
    ("i walked away. it was the hardest thing i've done", "you_broke_up"),
    ("i finally had enough and left him", "you_broke_up"),
    ("i told her i was done and moved out", "you_broke_up"),
    ("i had broken off our engagement in the spring", "you_broke_up"),
    ("i recently left a relationship of four years", "you_broke_up"),
    ("some days i regret ever leaving you", "you_broke_up"),
    ("i'm the instigator of our separation", "you_broke_up"),
    ("i texted her that it was over and blocked her", "you_broke_up"),
    ("i told him i wasn't in love with him anymore", "you_broke_up"),
    # ... but not a question, a plan, or a hypothetical
    ("i told him i was still in love with him", None),
    ("should i let him go?", None),
    ("how do i let her go when she is everywhere", None),
    ("i don't know if i can walk away from him", None),
    ("i'm thinking of leaving him", None),
    ("should i break up with her", None),
    ("can i end things with him without a fight", None),
    # both decided
    ("we decided that we wanted different things", "you_broke_up"),
    ("we both agreed it was best to go our separate ways", "you_broke_up"),
    ("in the end we decided, after many talks, to end our relationship", "you_broke_up"),
    ("we had to part ways for many reasons", "you_broke_up"),
    ("we had to split up because of the visa", "you_broke_up"),
    # ... but not a reunion, a promise, or a mutual breakup denied
    ("we decided to get back together and it's going well", None),
    ("we agreed we would never split up", None),
    ("i wish i could say it was a mutual decision", None),
    ("we're still together but it's rocky", None),
    # not the first breakup
    ("we've been together off and on since college", "second_breakup"),
    ("each time we broke up he came back within a week", "second_breakup"),
    ("every time she split with me i begged", "second_breakup"),
    ("the final breakup was in march", "second_breakup"),
    ("she says this time it's for good", "second_breakup"),
    ("it's over for good this time", "second_breakup"),
    ("he broke my heart again", "second_breakup"),
    ("i took him back in may but we split in july", "second_breakup"),
    # mixed signals, said in other words
    ("he won't get back together with me but he still says he misses me", "hot_and_cold"),
    ("some days she wants me back, other days she wants nothing to do with me", "hot_and_cold"),
    ("she doesn't want to get back together, but that's fine", None),
    # ... but not a single breakup or a hope
    ("we broke up for good in 2019", None),
    ("my heart broke when he said it", None),
    ("i want to take him back", None),
    ("turn the lights off and on", None),
]


@pytest.mark.parametrize("text, expected", INDIRECT, ids=[c[0][:60] for c in INDIRECT])
def test_scenario_said_indirectly(nlp, text, expected):
    for t in variants(text):
        assert scenario(nlp, t) == expected, (t, facts(nlp, t))


# The guards above (a question, a wish) must never hide a safety phrase next to them.
@pytest.mark.parametrize(
    "text, flag",
    [
        ("if he doesn't love me anymore i want to kill myself", "self_harm"),
        ("should i break up with him? he said he will kill me", "abuse"),
        ("should i let him go, i want to end my life", "self_harm"),
    ],
)
def test_guards_leave_safety_alone(nlp, text, flag):
    read = facts_from_doc(nlp(text))
    assert read[flag], (text, read)
