"""The scenario intents agree with the facts the rule patterns read, or say nothing.

The four scenario intents each fill a triage fact (domain/triage.yml): they_broke_up -> the ex
ended it, i_broke_up -> the user did, broke_up_again -> not the first breakup, ex_hot_and_cold ->
mixed signals. On a long post one everyday word can tip the classifier ("trying again" looks like
broke_up_again, "my ex and I broke up" like i_broke_up), and a wrong fact gives a wrong scenario,
which is worse than asking. So:
- when the patterns decide the scenario, the scenario intent is the one of that scenario
  ("Jake dumped me ... my friend thinks he will come back" is they_broke_up, whatever the
  classifier leaned to);
- when they don't, a scenario intent becomes want_ex_back (the triage starts and asks who ended
  it instead of assuming), except on a short message the classifier is sure of ("I was the one
  who left"). On long posts the classifier is sure of everything and right about the scenario
  far less often than the patterns: on the realistic dev messages its guesses alone named 16
  scenarios right and 75 wrong.

And a long post with nothing in it about a breakup, an ex or the user's own partner (a boss, an
exam, a roommate, a dog) is off-topic, whatever breakup intent or topic the classifier picked:
trained on short breakup messages, it reads every long post as one of them. So is a long post
about a relationship that is still going on, with no breakup of the user's own in it (said
as the partner's present habits, "my husband never does the dishes", or as weighing up a breakup,
"should I break up with him"), or about meeting someone new (a match on an app, a first date), or
about someone else's breakup (a friend's, the parents' divorce) with none of the user's own.
The other way round, a long post about a breakup is not off-topic because the classifier found
nothing it knows in it: the scenario intent of its facts, else want_ex_back (the triage asks).
Other intents (smalltalk, safety, the no-contact count...) are left alone.
"""

from __future__ import annotations

import re
from typing import Dict, Optional, Text

from actions.situation import infer_scenario

INTENT_OF_SCENARIO = {
    "he_broke_up": "they_broke_up",
    "you_broke_up": "i_broke_up",
    "hot_and_cold": "ex_hot_and_cold",
    "second_breakup": "broke_up_again",
}
SCENARIO_INTENTS = frozenset(INTENT_OF_SCENARIO.values())
UNSURE_INTENT = "want_ex_back"
OFF_TOPIC_INTENT = "out_of_scope"
OFF_TOPIC_INTENTS = frozenset({OFF_TOPIC_INTENT, "nlu_fallback"})
TOPIC_PREFIX = "ask_"
# The topics that are each one half of mixed signals: the ex got in touch, the ex went quiet.
MIXED_SIGNAL_HALVES = frozenset({"ask_ex_reached_out", "ask_ex_not_responding"})
FACT_LABELS = ("who_ended", "breakup_count", "ex_behaviour")
# Words that make a message about a breakup, an ex, or the user's own relationship.
_PARTNER = (
    r"boy ?friend|girl ?friend|bf|gf|husband|hubby|wife|fianc[eé]e?|partner|spouse|man|"
    r"girl|guy|lover|s/o"
)
ABOUT_US = re.compile(
    r"\b(ex|exes|ex'?s|ex-\w+|exbf|exgf|break ?ups?|break-ups?|broke ?up|broken ?up|breaking up|"
    r"split( up)?|dumped|dumping|dump|divorc\w*|separat\w*|back together|no contact|"
    r"get (him|her|them) back|(miss|missing|love|loved|text|texting|call|calling|message|"
    r"messaging|contact|over|forget) (him|her)|relationship|dating|"
    r"(my|our|the) (\w+ )?("
    + _PARTNER
    + r")|left (me|him|her)|ended (it|things)|together|broke (his|her|my) heart|"
    r"(a|on a|the) break|try(ing)? again|give (it|us) another|make (it|this|us) work|"
    r"(take|want|get|win) (him|her|them) back|feelings for|in love|dated|cheat\w*|crush)\b"
)
# Words that make a message about a breakup or an ex (not just about a relationship).
BREAKUP_WORDS = re.compile(
    r"\b(ex|exes|ex'?s|ex-\w+|exbf|exgf|break ?ups?|break-ups?|broke ?up|broken ?up|breaking up|"
    r"dumped|dumping|divorc\w*|back together|no contact|get (him|her|them) back|left me|"
    r"ended (it|things)|split up|separated from)\b"
)
# A relationship that is still going on ("my boyfriend and I have been together for a year",
# "I'm in a relationship", "I've been seeing this guy"): the advisor's scope is after a breakup.
_CURRENT_PARTNER = r"(boy ?friend|girl ?friend|bf|gf|partner|husband|hubby|wife|fianc[eé]e?)"
CURRENT_RELATIONSHIP = re.compile(
    r"\b(my (current|new|present) " + _CURRENT_PARTNER + r"|i'?m (currently )?in a relationship|"
    r"i am (currently )?in a relationship|we'?ve been together (for|since)|"
    r"we have been together (for|since)|(my|our) " + _CURRENT_PARTNER + r" and i "
    r"(have been|are|live|'ve been)|i'?ve been (seeing|dating|talking to) (this|a) (guy|girl|man|woman)|"
    r"i have been (seeing|dating) (this|a) (guy|girl|man|woman)|we (just |recently )?started dating|"
    r"i'?m (seeing|dating) (this|a) (guy|girl|man|woman)|(i'?ve|i have) been (dating|seeing) (him|her|my "
    + _CURRENT_PARTNER
    + r")|(i'?ve|i have) been in a relationship (with|for)|(currently|now) (seeing|dating) (this|a|someone)|"
    r"(i'?m|i am) happy with (him|her) now|(i'?ve|i have) been with (my|this) (\w+ )?"
    + _CURRENT_PARTNER
    + r" for|"
    r"(i'?ve|i have) been dating (my|this) (\w+ )?"
    + _CURRENT_PARTNER
    + r"|i (have|got) a (boy ?friend|girl ?friend)\b(?! who)|"
    r"(i'?m|i am) (\d+|thirteen|fourteen|fifteen|sixteen|seventeen) (years old )?and (i )?have a (boy ?friend|girl ?friend))\b"
)
# Someone else's ex ("his ex is fighting him for custody") is not the user's breakup.
OTHERS_EX = re.compile(
    r"\b(his|her|their|your|my friend'?s|my (boy|girl) ?friend'?s|my husband'?s|"
    r"my wife'?s|my partner'?s) (ex\b|ex-\w+|exes|former)"
)
# Words that end a relationship without the usual breakup words ("he's leaving", "she moved out",
# "we split up", "called the wedding off"): a post with them is not about a relationship still
# going on.
ENDING_WORDS = re.compile(
    r"\b((he|she)('s| is| was) (leaving|moving out)|(was|is) moving out|leaving me|left me|walked out|moved out|"
    r"separat\w*|split up|we split|call(ed|s)? (it|things|the wedding|our wedding|the engagement) "
    r"(off|quits)|(it'?s|it is|it was|we'?re|we are|we were) over|(broke|ripped|tore) my heart|"
    r"heart ?broken|ditched me|gave (me )?back (my|the) ring|ring back|no longer together|"
    r"not together anymore)\b"
)
# The user weighing up a breakup of a relationship still going on ("should I break up with
# him", "how do you break up with someone you still love", "he doesn't want kids and I'm
# thinking of breaking up"): not a breakup yet.
WEIGHING_A_BREAKUP = re.compile(
    r"\b(should i|do i|can i|how (do|can|should) (you|i)|how to|whether to|if i should|"
    r"(thinking|thought) (about|of)|want to|wanting to|going to|have to|afraid to|scared to|"
    r"need to|needs to|ready to|(how|when|whether) (do|can|should) i|"
    r"(i|you) should|(an )?excuse to|reason to|won'?t|will not|wouldn'?t|refuses? to|refused to)"
    r" (\w+ ){0,2}(break ?up|breaking up|split up|end (it|things|the relationship|our relationship|"
    r"this relationship|my relationship|my marriage|our marriage)|leave (him|her|my (husband|wife|"
    r"boy ?friend|girl ?friend|partner)))\b"
)
# The user, in the first person, weighing up ending a relationship still going on: "I want to
# break up with my boyfriend of 5 years", "I think I need to end the relationship", "how do I
# leave my husband". Alone (without "my boyfriend is ..."), it makes a post about a relationship
# going on; the ex's words ("he didn't want to break up") do not.
USER_WEIGHING_A_BREAKUP = re.compile(
    r"\b(i('m| am)? (really |just |still |finally )?(want|need|have|plan|am going|'m going|am ready|"
    r"'m ready|am thinking of|'m thinking of|think i (need|should|have|want)|feel like i (need|should|have))"
    r" to|should i|how (do|can|should) i|whether (i should|to))"
    r" (\w+ ){0,2}(break ?up|end (it|things|the relationship|our relationship|this relationship|"
    r"my relationship|my marriage|our marriage)|leave (him|her|my (husband|wife|boy ?friend|"
    r"girl ?friend|partner))(?! alone| be\b))\b"
)
# A relationship going on now, said as the partner's present habits or the couple's present
# ("my husband never does the dishes", "my partner and I argue non-stop about his ex", "I'm in a
# long-distance relationship", "I am in love with a guy who...", "married for six years").
ONGOING = re.compile(
    r"\b(my " + _CURRENT_PARTNER + r" (is|isn'?t|never|always|says|wants|does|doesn'?t|thinks|"
    r"works|has|hasn'?t|made|keeps|gets|loves|likes|hates|tells me|told me (he|she) loves)|"
    r"(my|our) " + _CURRENT_PARTNER + r" and i (argue|fight|have|are|live|go|had a|spend|both)|"
    r"(i'?m|i am) (currently )?in an? (\w+[- ]?){0,2}relationship|(i'?m|i am) in love with (a|this) "
    r"(guy|man|girl|woman)|(been|were|are|got) married (for|since)|married for \d+|"
    r"(he|she) assures me (he|she) loves me)\b"
)
# Meeting someone new, not a breakup: a match on an app, a first date, a guy met online.
DATING_NEW = re.compile(
    r"\b(tinder|hinge|bumble|okcupid|dating apps?|matched (on|with)|first date|met (a|this) (guy|girl|man|"
    r"woman) (on|online|at|through)|(a|the) (guy|girl) i met (on|online|at)|we (just |recently )?started "
    r"(dating|seeing each other)(?! again)|(been )?hanging out with a (guy|girl)|friend ?zone|"
    r"(a|this|my|huge|big|massive|killer|wicked|raging|secret)( \w+){0,2} crush on|crush on (a|my|this|someone)|"
    r"(in love with|feelings for|crush on) (someone|a (guy|girl|man|woman)) (i|who) work|"
    r"(guy|girl|man|woman|someone) i work with|went on (a few|a couple of|some|two|three|\d+) dates)\b"
)
# Someone else's breakup told by the user: a friend's, a sister's, the parents' ("my parents are
# getting divorced", "my best friend is divorcing a friend of hers", "I had a friend that just
# went through this"), with no breakup of the user's own in the post.
THIRD_PARTY = re.compile(
    r"\b(my (best |close |old |good )?(friend|friends|bff|bestie|mate|sister|brother|sis|bro|mom|"
    r"mum|mother|dad|father|parents|cousin|roommate|flatmate|coworker|co-worker|colleague|daughter|"
    r"son|aunt|uncle|niece|nephew|neighbou?r)('?s)?|(a|one of my) (friend|girlfriend|coworker) (of mine )?"
    r"(that|who)|another (married )?couple|(the|my) (youngest|oldest|older|younger|little|big|baby) "
    r"(sister|brother)|a friend (told me|of mine|just|recently))\b"
)
OWN_BREAKUP = re.compile(
    r"\b((my|our) (ex|ex-\w+|exes|breakup|break-up|break up|divorce|separation|split)|"
    r"(broke|broken) up with me|dumped me|left me|divorcing me|(i|we) (just |recently |finally )?"
    r"(broke|split|separated|divorced|ended|called (it|things|the wedding|the engagement))|i (dumped|left) (him|her)|"
    r"(me and|and i) (\w+ ){0,2}(broke|split)|since (we|the breakup|my breakup)|ex|exes|"
    r"(you|he|she) (just |finally )?left|lost (him|her|you|my (boy ?friend|girl ?friend|husband|wife|"
    r"partner|fianc\w+))|lose (him|her|you)|i (still )?miss (him|her|you))\b"
)
# The user's own partner or ex named, or contact with them: a long post with these words that the
# classifier called off-topic is about the user's love life unless it is one of the off-topic kinds
# above (a relationship going on, someone new, someone else's breakup).
OWN_PARTNER = re.compile(
    r"\b((my|our) (ex\b|ex-\w+|boy ?friend|girl ?friend|bf|gf|husband|hubby|wife|partner|fianc[eé]e?|spouse|x)\b|"
    r"(miss|missing) (him|her)|(text|texting|message|messaging) (him|her)\b|no contact|\bnc\b|separated|"
    r"relationship (of|ended|is over|was over))"
)
# A scenario intent with no fact behind it is trusted only on a message this short, this sure.
MAX_WORDS = 10
MIN_CONFIDENCE = 0.9


def _lowered(text: Text) -> Text:
    """The text as the regexes above read it: lower case, curly apostrophes straightened."""
    return text.lower().replace("’", "'")


def user_weighs_a_breakup(text: Text) -> bool:
    """ "i think i need to break up with my bf": still together, asking whether to end it."""
    return bool(USER_WEIGHING_A_BREAKUP.search(_lowered(text)))


def is_about_a_breakup(text: Text, facts: Dict[Text, Text]) -> bool:
    return any(facts.get(label) for label in FACT_LABELS) or bool(ABOUT_US.search(text.lower()))


def about_a_current_relationship(text: Text, facts: Dict[Text, Text]) -> bool:
    """A post about a relationship still going on, with no breakup of the user's own in it: no
    breakup word (someone else's ex aside), no who-ended or count fact, and no silence from the
    partner (a boyfriend who stopped answering may be ending it)."""
    lowered = _lowered(text)
    if facts.get("who_ended") or facts.get("breakup_count"):
        return False
    dating = DATING_NEW.search(lowered)
    if facts.get("ex_behaviour") == "silent" and not dating:
        return False
    if not (
        CURRENT_RELATIONSHIP.search(lowered)
        or ONGOING.search(lowered)
        or dating
        or USER_WEIGHING_A_BREAKUP.search(lowered)  # "i want to break up with my boyfriend of 5 years"
    ):
        return False
    weighed = WEIGHING_A_BREAKUP.sub(" ", OTHERS_EX.sub(" ", lowered))
    return not BREAKUP_WORDS.search(weighed) and not ENDING_WORDS.search(weighed)


def about_someone_elses_breakup(text: Text, facts: Dict[Text, Text]) -> bool:
    """A post about a friend's or the parents' breakup, with no breakup of the user's own: no
    who-ended or count fact, a third party named, and no "my ex", "dumped me", "we broke up"."""
    lowered = _lowered(text)
    if facts.get("who_ended") or facts.get("breakup_count"):
        return False
    return bool(THIRD_PARTY.search(lowered)) and not OWN_BREAKUP.search(OTHERS_EX.sub(" ", lowered))


def scenario_intent(
    facts: Dict[Text, Text], predicted: Optional[Text], confidence: float, text: Text
) -> Optional[Text]:
    """The intent to use instead of `predicted`, or None to keep it.

    `facts` maps the message's entity labels to their first value."""
    words = len(text.split())
    breakup_intent = (
        predicted in SCENARIO_INTENTS
        or predicted == UNSURE_INTENT
        or (predicted or "").startswith(TOPIC_PREFIX)
    )
    scenario = infer_scenario(facts.get("who_ended"), facts.get("breakup_count"), facts.get("ex_behaviour"))
    if words > MAX_WORDS:
        about_us = is_about_a_breakup(text, facts)
        if breakup_intent and (
            not about_us
            or about_a_current_relationship(text, facts)
            or about_someone_elses_breakup(text, facts)
        ):
            return OFF_TOPIC_INTENT
        lowered = _lowered(text)
        if (
            predicted == OFF_TOPIC_INTENT
            and scenario is None
            and not BREAKUP_WORDS.search(lowered)
            and OWN_PARTNER.search(lowered)
            and not (
                about_a_current_relationship(text, facts)
                or about_someone_elses_breakup(text, facts)
                or DATING_NEW.search(lowered)
            )
        ):
            # "my boyfriend and I were together ten months ... I keep wanting to text him": about
            # the user's own love life, and none of the off-topic kinds; the triage asks
            return UNSURE_INTENT
        if predicted in OFF_TOPIC_INTENTS and (scenario or BREAKUP_WORDS.search(lowered)):
            if scenario is None and (
                about_a_current_relationship(text, facts) or about_someone_elses_breakup(text, facts)
            ):
                # "my parents say I have to break up with him", "a friend told me she was getting
                # divorced": the breakup words are weighed or someone else's; off-topic stands
                return None
            return INTENT_OF_SCENARIO[scenario] if scenario else UNSURE_INTENT
    if predicted == "nlu_fallback" and scenario is not None:
        # The classifier was unsure ("my boyfriend left me" between they_broke_up and a lookalike)
        # but the patterns decide the scenario: that is understood.
        return INTENT_OF_SCENARIO[scenario]
    if predicted == UNSURE_INTENT and scenario is not None:
        return INTENT_OF_SCENARIO[scenario]  # the same triage, with the facts' scenario
    if predicted in MIXED_SIGNAL_HALVES and facts.get("ex_behaviour") == "hot_and_cold":
        # "keeps texting me at 2am ... then ignores me for days": the classifier picked one half
        # (she got in touch, or she stopped answering); the patterns read the whole, mixed signals.
        return INTENT_OF_SCENARIO["hot_and_cold"]
    if predicted not in SCENARIO_INTENTS:
        return None
    if scenario is not None:
        wanted = INTENT_OF_SCENARIO[scenario]
        return wanted if wanted != predicted else None
    if words > MAX_WORDS or confidence < MIN_CONFIDENCE:
        return UNSURE_INTENT
    return None
