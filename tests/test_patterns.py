"""Table-driven tests for the rule patterns in nlp/patterns/*.yml.

Each positive case must yield an entity with the given (label, id); each negative case must not.
Every message is checked twice: as typed, and lower-cased, because Rasa's SpacyNLP lower-cases
text before spaCy sees it (case_sensitive: false) while other callers may not.

Run: .venv/bin/python -m pytest tests/test_patterns.py -q
"""

from __future__ import annotations

from typing import List, Set, Tuple

import pytest
import spacy

from nlp.build_pipeline import build, fact_spans


@pytest.fixture(scope="module")
def nlp(tmp_path_factory):
    out = tmp_path_factory.mktemp("spacy") / "pipeline"
    pipeline = build(out)
    pipeline._test_out = out  # where it was saved, for the round-trip test
    return pipeline


def ents(nlp, text: str) -> Set[Tuple[str, str]]:
    return {(e.label_, e.id_) for e in fact_spans(nlp(text))}


def spans(nlp, text: str, label: str) -> List[str]:
    return [e.text.lower() for e in fact_spans(nlp(text)) if e.label_ == label]


def variants(text: str) -> List[str]:
    return [text] if text == text.lower() else [text, text.lower()]


def _id(case) -> str:
    return " | ".join(str(x) for x in case)[:90]


# --------------------------------------------------------------------------- crisis
CRISIS_SELF_HARM = [
    "I want to kill myself",
    "i'd like to die",
    "I would like to be dead",
    "id love to just die",
    "i'd love to just disappear forever",
    "i want to simply vanish forever",
    "honestly I just want to die",
    "i wanna die",
    "I WANT TO DIE",
    "I don't want to live anymore",
    "i dont want to be alive anymore",
    "I don't want to be here anymore, everything hurts",
    "Sometimes I think about ending my life",
    "I'm thinking of ending it all tonight",
    "I've been having suicidal thoughts since he left",
    "I feel suicidal",
    "I have thought about suicide a lot this week",
    "everyone would be better off without me",
    "I'd be better off dead",
    "there's no reason to live without her",
    "I have nothing left to live for",
    "I've started cutting myself again",
    "I want to hurt myself",
    "I keep thinking about self harm",
    "I relapsed into self-harm last night",
    "I'm going to take my own life",
    "I thought about taking all my pills",
    "I want to overdose",
    "kms",
    "I wish I was dead",
    "I wish I'd never been born",
    "I hope I don't wake up tomorrow",
    "I want to go to sleep and never wake up",
    "life isn't worth living without him",
    "I can't go on anymore",
    "I'm scared I'll do something stupid",
    "I'm so tired of living",
    "I don't want to live without him",
    "I'd rather die than live without him",
    "I keep thinking about jumping off a bridge",
    "I just want it all to end",
    "i feel like dying",
    "nobody would care if I was gone",
    "no one would miss me",
    "I don't want to wake up",
    "I took a bunch of pills",
    "I started cutting again",
    "I can't keep living like this",
    "Im going to end it tonight",
    "I just want the pain to stop",
    "I think about dying a lot",
    "I wanna sleep forever",
    "i'm gonna off myself",
    # the figurative phrase in the same message must not hide the real one
    "This breakup is killing me and honestly I want to kill myself",
    "I'm dying to know why he left, and some nights I want to die",
    (
        "We were together for six years and he broke up with me three weeks ago out of "
        "nowhere. I can't eat, I can't sleep, my friends are sick of hearing about it and "
        "honestly I don't see the point anymore, I keep thinking everyone would be better off "
        "without me."
    ),
    (
        "I know I ended it with him, I was the one who called it off, but now I just ended it "
        "all in my head and I'm going to end it all"
    ),
]

CRISIS_FIGURATIVE = [
    "this breakup is killing me",
    "I'm dying to know if he misses me",
    "my feet are killing me",
    "I'd kill for a hug",
    "I killed it at work today",
    "I could die of embarrassment, I drunk texted him at 3am",
    "I'm dead tired",
    "it's killing me not knowing if he's seeing someone",
    "the silence is killing me",
    "I cut myself off from all his friends",
    "I hurt myself at the gym trying to distract myself",
    "I'd rather die than text him first",
    "texting him would be social suicide",
    "I don't want to live with him anymore",
    "I don't want to die alone",
    "I'm only hurting myself by checking his instagram",
    "I want to take my life back",
    "we drove 300 kms to see his parents",
    "I'm killing myself at the gym every day",
    "I cut myself shaving this morning",
    "I nearly died laughing at his new haircut",
    "I know I'll do something stupid like text him",
    "I don't want to be here when he comes to get his stuff",
    "I overdosed on chocolate and netflix",
    "I feel like dying of embarrassment",
    "I don't want to wake up early tomorrow",
    "I'm fine, just tired. this week has been killing me",
    # reader comment (seed 001, AshleyLH)
    "I have gone alittle over 1.5 weeks without talking/texting him and it's killing me.",
]

CRISIS_NOT_SELF_HARM = CRISIS_FIGURATIVE + [
    # reader comments (seed 001, Alicia; James's reply)
    "I know the right thing to do is to let him live his life, but the thought about him being "
    "with another girls kills me!",
    "I wrote him back, that it was difficult to know that he felt better after the break up when "
    "I still couldnt live without him.",
    "investing further into what if territory is an exercise in emotional self-mutilation",
    "life is worth living again",
    "I died my hair red after the breakup",
    "he said he's dying to see me",
    "he threatened suicide when I tried to leave",
    "no one would notice if I left the party",
    "he said he'd kill himself if I leave",
    "i'd like to be braver",
]


@pytest.mark.parametrize("text", CRISIS_SELF_HARM, ids=_id)
def test_crisis_self_harm(nlp, text):
    for t in variants(text):
        assert ("crisis", "self_harm") in ents(nlp, t), t


@pytest.mark.parametrize("text", CRISIS_FIGURATIVE, ids=_id)
def test_crisis_figurative_is_tagged(nlp, text):
    for t in variants(text):
        assert ("crisis", "figurative") in ents(nlp, t), t


@pytest.mark.parametrize("text", CRISIS_NOT_SELF_HARM, ids=_id)
def test_crisis_figurative_is_not_self_harm(nlp, text):
    for t in variants(text):
        assert ("crisis", "self_harm") not in ents(nlp, t), t


# --------------------------------------------------------------------------- generic (label, id) tables
# (label, id, message): the message must yield (label, id)
POSITIVE = [
    # ---- red_flag: violence
    ("red_flag", "violence", "He hit me last night when he was drunk"),
    ("red_flag", "violence", "my boyfriend hits me when he doesn't get his way"),
    ("red_flag", "violence", "he's been hitting me for months and I still miss him"),
    ("red_flag", "violence", "he punched me in the face"),
    ("red_flag", "violence", "she slapped me in front of her friends"),
    ("red_flag", "violence", "he choked me during an argument"),
    ("red_flag", "violence", "he pushed me against the wall"),
    ("red_flag", "violence", "he pushed me. I fell and hit my head"),
    ("red_flag", "violence", "he shoved me into the door"),
    ("red_flag", "violence", "he threw his phone at me"),
    ("red_flag", "violence", "he beat me up"),
    ("red_flag", "violence", "he grabbed me by the throat"),
    ("red_flag", "violence", "he hurt me physically more than once"),
    ("red_flag", "violence", "he kicked me in the stomach"),
    ("red_flag", "violence", "he got violent when I tried to leave"),
    ("red_flag", "violence", "he put his hands on me"),
    ("red_flag", "violence", "He HIT me."),
    ("red_flag", "violence", "he slammed me against the wall"),
    ("red_flag", "violence", "my ex used to beat me"),
    ("red_flag", "violence", "he's pushed me before"),
    ("red_flag", "violence", "he bit me"),
    # ---- red_flag: threat
    ("red_flag", "threat", "he threatened to kill me if I ever left"),
    ("red_flag", "threat", "he said he'd kill me"),
    ("red_flag", "threat", "she said she would kill herself if I leave"),
    ("red_flag", "threat", "if I leave him he'll make my life hell"),
    ("red_flag", "threat", "he threatened me with a knife"),
    ("red_flag", "threat", "he threatened to post my nudes"),
    ("red_flag", "threat", "he threatened suicide when I tried to leave"),
    ("red_flag", "threat", "I'm afraid of what he'll do"),
    ("red_flag", "threat", "I don't feel safe with him"),
    # ---- red_flag: sexual_coercion
    ("red_flag", "sexual_coercion", "he forced me to have sex"),
    ("red_flag", "sexual_coercion", "he raped me"),
    ("red_flag", "sexual_coercion", "he pressured me into sex all the time"),
    ("red_flag", "sexual_coercion", "he made me have sex with him when I didn't want to"),
    ("red_flag", "sexual_coercion", "my ex sexually assaulted me"),
    ("red_flag", "sexual_coercion", "he had sex with me while I was asleep"),
    ("red_flag", "sexual_coercion", "he wouldn't take no for an answer"),
    # ---- red_flag: control
    ("red_flag", "control", "he checks my phone every night"),
    ("red_flag", "control", "he goes through my phone when I'm asleep"),
    ("red_flag", "control", "he won't let me see my friends"),
    ("red_flag", "control", "she doesn't let me go out without her"),
    ("red_flag", "control", "he controls my money"),
    ("red_flag", "control", "he tracks my location"),
    ("red_flag", "control", "he tells me what to wear"),
    ("red_flag", "control", "he isolated me from my family"),
    ("red_flag", "control", "he was so controlling"),
    ("red_flag", "control", "he made me give him all my passwords"),
    ("red_flag", "control", "he was emotionally abusive"),
    ("red_flag", "control", "he reads all my texts"),
    ("red_flag", "control", "he hacked my instagram"),
    # ---- red_flag: stalking
    ("red_flag", "stalking", "he stalks me"),
    ("red_flag", "stalking", "he followed me home from work"),
    ("red_flag", "stalking", "he shows up at my work uninvited"),
    ("red_flag", "stalking", "he keeps showing up at my house"),
    ("red_flag", "stalking", "he won't stop texting me even though I asked him to stop"),
    ("red_flag", "stalking", "he won't leave me alone"),
    ("red_flag", "stalking", "he made a fake account to watch my stories"),
    ("red_flag", "stalking", "he's been waiting outside my apartment"),
    ("red_flag", "stalking", "he keeps calling me from different numbers"),
    ("red_flag", "stalking", "he turned up at my house at 2am"),
    # ---- red_flag: cheating
    ("red_flag", "cheating", "he cheated on me"),
    ("red_flag", "cheating", "I found out he was cheating."),
    ("red_flag", "cheating", "she had an affair"),
    ("red_flag", "cheating", "he slept with someone else"),
    ("red_flag", "cheating", "he was unfaithful"),
    ("red_flag", "cheating", "my girlfriend cheated"),
    ("red_flag", "cheating", "I caught him texting another girl"),
    ("red_flag", "cheating", "my girlfriend cheated on me with her coworker"),
    # reader comment (seed 001, Tyecce)
    (
        "red_flag",
        "cheating",
        "He harbors the fact that he thinks I cheated on him because of a "
        "compromising situation he caught me in",
    ),
    # ---- who_ended: ex
    ("who_ended", "ex", "he broke up with me"),
    ("who_ended", "ex", "she dumped me"),
    ("who_ended", "ex", "I got dumped last week"),
    ("who_ended", "ex", "I was dumped by text"),
    ("who_ended", "ex", "he ended things with me"),
    ("who_ended", "ex", "she called it off"),
    ("who_ended", "ex", "he ended it"),
    ("who_ended", "ex", "my husband left me after 12 years"),
    ("who_ended", "ex", "he left me for another woman"),
    ("who_ended", "me", "a few months later i lost interest and left her after i graduated"),
    ("who_ended", "ex", "my gf of 3 yrs ended things in september"),
    ("who_ended", "ex", "my husband of ten years called it off"),
    ("who_ended", "ex", "my gf left me last month"),
    ("breakup_count", "first", "my boyfriend left me 3 days ago, first time. he's not talking to me"),
    ("who_ended", "ex", "she left me 3 weeks ago"),
    ("who_ended", "ex", "he told me it was over"),
    ("who_ended", "ex", "she's leaving me"),
    ("who_ended", "ex", "he decided to end things"),
    ("who_ended", "ex", "He Broke Up With Me Out Of Nowhere"),
    ("who_ended", "ex", "HE DUMPED ME"),
    ("who_ended", "ex", "he told me we were done"),
    # reader comments (seed 001: Alicia, Katrine, Nassima, Tyecce; seed 004: Ryan)
    (
        "who_ended",
        "ex",
        "My boyfriend broke up with me 2 months ago, we had one big problem and "
        "it was the reason he broke up.",
    ),
    ("who_ended", "ex", "Well yesterday he broke up, for me it was out of the blue, as i was happy"),
    (
        "who_ended",
        "ex",
        "Thank you for this great article , My boyfriend brok up with me for no reason for almost one month",
    ),
    (
        "who_ended",
        "ex",
        "My situation is about a week ago my boyfriend said “I can’t do this "
        "anymore”, I asked what do you mean",
    ),
    (
        "who_ended",
        "ex",
        "I told him I didn't feel comfortable with them being super close like "
        "that and he freaked out and broke up with me.",
    ),
    # ---- who_ended: me
    ("who_ended", "me", "I broke up with him"),
    ("who_ended", "me", "I dumped her last month"),
    ("who_ended", "me", "I ended it"),
    ("who_ended", "me", "I called it off"),
    ("who_ended", "me", "I finally left him"),
    ("who_ended", "me", "I was the one who ended it"),
    ("who_ended", "me", "I'm the dumper this time"),
    # reader comment (seed 004, Tessa)
    ("who_ended", "me", "I broke up with my ex a month ago but I really miss him and want him back."),
    # ---- who_ended: mutual
    ("who_ended", "mutual", "it was mutual"),
    ("who_ended", "mutual", "we both decided to split"),
    ("who_ended", "mutual", "we agreed to break up"),
    ("who_ended", "mutual", "it was a mutual decision"),
    ("who_ended", "mutual", "we mutually agreed to end things"),
    ("who_ended", "mutual", "the breakup was pretty mutual"),
    ("who_ended", "mutual", "we decided to go our separate ways"),
    ("who_ended", "mutual", "we both knew it was over"),
    ("who_ended", "mutual", "it was a joint decision"),
    # ---- breakup_count: first
    ("breakup_count", "first", "this is the first time we've broken up"),
    ("breakup_count", "first", "this is our first breakup"),
    ("breakup_count", "first", "we've never broken up before"),
    ("breakup_count", "first", "It's the first time he's broken up with me"),
    # at the end of a message, not only between commas
    ("breakup_count", "first", "he dumped me last week and it was the first time"),
    ("breakup_count", "first", "she left me, first time this happened"),
    ("breakup_count", "first", "it was the first time"),
    ("breakup_count", "first", "First time this has happened to us."),
    # ---- breakup_count: repeat
    ("breakup_count", "repeat", "we broke up again"),
    ("breakup_count", "repeat", "he dumped me again"),
    ("breakup_count", "repeat", "she left me again"),
    ("breakup_count", "repeat", "we've split again"),
    ("breakup_count", "repeat", "we've been on and off for three years"),
    ("breakup_count", "repeat", "we're in an on-again, off-again relationship"),
    ("breakup_count", "repeat", "we keep breaking up and getting back together"),
    ("breakup_count", "repeat", "we broke up twice before"),
    ("breakup_count", "repeat", "this is the third time"),
    ("breakup_count", "repeat", "it's over again"),
    ("breakup_count", "repeat", "this is the 2nd time he's ended it"),
    ("breakup_count", "repeat", "I broke up with him for the second time"),
    ("breakup_count", "repeat", "we broke up 5 times"),
    # reader comments (seed 004: Mary, Donna, Isa; seed 001 article text)
    (
        "breakup_count",
        "repeat",
        "This is the second time my ex and I have broken up. Last time it was me, this time it was him.",
    ),
    (
        "breakup_count",
        "repeat",
        "This isn't our first breakup but I really love my ex and still want him back.",
    ),
    (
        "breakup_count",
        "repeat",
        "then boom he started looking at the relationship again and he broke up yet again.",
    ),
    # ---- ex_behaviour: silent
    ("ex_behaviour", "silent", "he blocked me on everything"),
    ("ex_behaviour", "silent", "he ignores all my texts"),
    ("who_ended", "ex", "my boyfriend left me"),
    ("who_ended", "ex", "my gf left me"),
    ("ex_pronoun", "she", "my gf left me"),
    ("ex_behaviour", "silent", "she ignored every single message i sent"),
    ("ex_behaviour", "silent", "she's ignoring me"),
    ("ex_behaviour", "silent", "he ghosted me"),
    ("ex_behaviour", "silent", "he won't talk to me"),
    ("ex_behaviour", "silent", "he doesn't answer my calls"),
    ("ex_behaviour", "silent", "we're in no contact"),
    ("ex_behaviour", "silent", "he left me on read"),
    ("ex_behaviour", "silent", "I haven't heard from him in weeks"),
    ("ex_behaviour", "silent", "he stopped texting me"),
    # the triage's own button, typed: at the end of the message too
    ("ex_behaviour", "silent", "we dont talk"),
    ("ex_behaviour", "silent", "we don't talk"),
    ("ex_behaviour", "silent", "we do not really talk"),
    ("ex_behaviour", "silent", "we don't talk anymore"),
    ("ex_behaviour", "silent", "we're not talking"),
    ("ex_behaviour", "silent", "he never texted me back"),
    ("ex_behaviour", "silent", "he unfollowed me on instagram"),
    # reader comments (seed 004: Ellen; seed 001: AshleyLH)
    (
        "ex_behaviour",
        "silent",
        "when I texted him a few days later he didn't answer. I tried again, still no response.",
    ),
    (
        "ex_behaviour",
        "silent",
        "I thought there was potential for him to change his mind, It has "
        "been 3 days since that exchange and I haven't heard from him.",
    ),
    # ---- ex_behaviour: friendly
    ("ex_behaviour", "friendly", "we still talk every day"),
    ("ex_behaviour", "friendly", "we're on good terms"),
    ("ex_behaviour", "friendly", "he still texts me"),
    ("ex_behaviour", "friendly", "she's been really nice to me"),
    ("ex_behaviour", "friendly", "we're still friends"),
    ("ex_behaviour", "friendly", "he hit me up last week asking how I'm doing"),
    ("ex_behaviour", "friendly", "he checks in on me"),
    ("ex_behaviour", "friendly", "he wants to stay friends"),
    # ---- ex_behaviour: hot_and_cold
    ("ex_behaviour", "hot_and_cold", "she keeps saying she misses me then goes cold for days"),
    ("ex_behaviour", "hot_and_cold", "hes really sweet and then just goes distant again"),
    ("ex_behaviour", "hot_and_cold", "he gives me mixed signals"),
    # heard in a conversation: read as "she got in touch"
    (
        "ex_behaviour",
        "hot_and_cold",
        "my ex keeps texting me at 2am saying she misses me then ignores me for days",
    ),
    # heard in a conversation: read as a repeat breakup, and the user got the second-breakup card
    ("ex_behaviour", "hot_and_cold", "so my ex keeps coming back and then disappearing for weeks"),
    ("ex_behaviour", "hot_and_cold", "he keeps coming back then leaving again"),
    ("breakup_count", "repeat", "we keep getting back together"),
    ("breakup_count", "repeat", "we keep coming back to each other"),
    ("ex_behaviour", "hot_and_cold", "he's so hot and cold"),
    ("ex_behaviour", "hot_and_cold", "one day he says he misses me and the next he ignores me"),
    ("ex_behaviour", "hot_and_cold", "he flirts with me then ignores me"),
    ("ex_behaviour", "hot_and_cold", "he's stringing me along"),
    ("ex_behaviour", "hot_and_cold", "he keeps going back and forth"),
    # ---- ex_behaviour: seeing_someone
    ("ex_behaviour", "seeing_someone", "he's seeing someone else"),
    ("ex_behaviour", "seeing_someone", "she has a new boyfriend"),
    ("ex_behaviour", "seeing_someone", "he's dating someone new"),
    ("ex_behaviour", "seeing_someone", "she's in a new relationship"),
    ("ex_behaviour", "seeing_someone", "he's already got a new girlfriend"),
    ("ex_behaviour", "seeing_someone", "he left me for another woman"),
    ("ex_behaviour", "seeing_someone", "he moved on with someone from work"),
    # reader comment (seed 004, James)
    (
        "ex_behaviour",
        "seeing_someone",
        "She started seeing this friend before breaking it off with me "
        "and has since entered a relationship with this guy",
    ),
    # ---- ex_behaviour: hostile
    ("ex_behaviour", "hostile", "he hates me"),
    ("ex_behaviour", "hostile", "she is so angry with me"),
    ("ex_behaviour", "hostile", "he yells at me whenever I call"),
    ("ex_behaviour", "hostile", "he's really mean to me now"),
    ("ex_behaviour", "hostile", "he said he hates me"),
    ("ex_behaviour", "hostile", "he's become quite resentful"),
    # reader comment (seed 001, Nassima)
    (
        "ex_behaviour",
        "hostile",
        "now he's sending me messages to my fb after deleting me calling me names , i don't know why !",
    ),
    # ---- ex_pronoun
    ("ex_pronoun", "he", "my boyfriend broke up with me"),
    ("ex_pronoun", "he", "my ex-boyfriend texted me"),
    ("ex_pronoun", "he", "my ex boyfriend texted me"),
    ("ex_pronoun", "he", "my bf dumped me"),
    ("ex_pronoun", "he", "my husband wants a divorce"),
    ("ex_pronoun", "he", "my ex said he misses me"),
    ("ex_pronoun", "he", "I still love him"),
    ("ex_pronoun", "he", "she told me my husband left me"),
    ("ex_pronoun", "he", "my boyfriend left me on read"),
    ("ex_pronoun", "he", "my boyfriend left me again"),
    ("ex_pronoun", "she", "my girlfriend broke up with me"),
    ("ex_pronoun", "she", "my gf dumped me"),
    ("ex_pronoun", "she", "my wife left"),
    ("ex_pronoun", "she", "my ex-girlfriend is seeing someone"),
    ("ex_pronoun", "she", "my ex said she needs time"),
    ("ex_pronoun", "she", "I miss her so much"),
    ("ex_pronoun", "they", "my partner wants a break"),
    ("ex_pronoun", "they", "my spouse wants a divorce"),
    ("ex_pronoun", "they", "my significant other broke up with me"),
    ("ex_pronoun", "they", "my ex-partner blocked me"),
    # ---- breakup_style: sudden
    ("breakup_style", "sudden", "it came out of nowhere"),
    ("breakup_style", "sudden", "he broke up with me out of the blue"),
    ("breakup_style", "sudden", "she ended it suddenly"),
    ("breakup_style", "sudden", "he suddenly doesn't feel he will ever love me"),
    ("breakup_style", "sudden", "he left without any warning"),
    ("breakup_style", "sudden", "I didn't see it coming"),
    ("breakup_style", "sudden", "I was completely blindsided"),
    # ---- breakup_style: considered
    ("breakup_style", "considered", "he said he had been thinking about it for months"),
    ("breakup_style", "considered", "she'd had doubts for a while"),
    ("breakup_style", "considered", "he's been unhappy for a long time"),
    ("breakup_style", "considered", "it wasn't a sudden decision for him"),
    # ---- breakup_style: pulled_away
    ("breakup_style", "pulled_away", "he became distant"),
    ("breakup_style", "pulled_away", "he pulled away"),
    ("breakup_style", "pulled_away", "he was stressed with work"),
    ("breakup_style", "pulled_away", "she said she needed space"),
    ("breakup_style", "pulled_away", "he went into his cave"),
    ("breakup_style", "pulled_away", "he pushed me away emotionally"),
    # reader comments (seed 004, Isa; seed 001, Tyecce and Alicia)
    (
        "breakup_style",
        "pulled_away",
        "the more the distance the more he thought of it over and over and he became distant",
    ),
    ("breakup_style", "pulled_away", "Is it a possibility he just has a lot on his plate with his kids"),
    (
        "breakup_style",
        "pulled_away",
        "he told me that he still have feelings for me but for now he needs to be alone.",
    ),
]

# (label, id or None, message): the message must not yield (label, id); None means no entity of
# that label at all.
NEGATIVE = [
    ("breakup_count", None, "so my ex keeps coming back and then disappearing for weeks"),
    # the user asking the advisor to delete what it keeps is not the ex going silent
    ("ex_behaviour", None, "delete my data"),
    ("ex_behaviour", None, "he was texting me about the dog and i just ignored him"),
    # questions about no contact, and the user's own practice, say nothing of how the ex acts
    ("ex_behaviour", None, "wait, what is no contact exactly?"),
    ("ex_behaviour", None, "how long should no contact last?"),
    ("ex_behaviour", None, "im on day 5 of no contact"),
    ("who_ended", None, "my boyfriend left me alone at the party"),
    ("who_ended", None, "my ex left me some money for the rent"),
    ("ex_behaviour", None, "please delete all my messages"),
    # ---- red_flag
    ("who_ended", None, "she left me a voicemail last night"),
    ("breakup_count", None, "honestly, first time I've felt this low"),
    ("who_ended", None, "he left me on read yesterday"),
    ("red_flag", None, "it hit me that I miss him"),
    ("red_flag", None, "Then it hit me. He's not coming back."),
    ("red_flag", None, "he hit the gym every day after the breakup"),
    ("red_flag", None, "the news hit hard"),
    ("red_flag", None, "the breakup hit me hard"),
    ("red_flag", None, "he hit me up last week asking how I'm doing"),
    ("red_flag", None, "it choked me up"),
    ("red_flag", None, "he pushed me away emotionally"),
    ("red_flag", None, "he pushed me to apply for the job"),
    ("red_flag", None, "he kicked me out of the group chat"),
    ("red_flag", None, "I keep stalking his instagram"),
    ("red_flag", None, "he follows me on instagram but doesn't like my posts"),
    ("red_flag", None, "he read my messages but didn't reply"),
    ("red_flag", None, "he really hurt me"),
    ("red_flag", None, "we slept together after the breakup"),
    ("red_flag", None, "it's my cheat day"),
    ("red_flag", None, "he threw himself at me at the party"),
    ("red_flag", None, "I'm scared he'll find someone better"),
    ("red_flag", None, "he told me he would never hurt me"),
    ("red_flag", None, "he threatened to break up with me"),
    ("red_flag", None, "he won't let me go"),
    ("red_flag", None, "beats me why he did it"),
    ("red_flag", None, "reality hit me like a truck"),
    ("red_flag", None, "it really hit me when I saw his car"),
    ("red_flag", None, "he beat me to it"),
    ("red_flag", None, "he kicked me off his netflix account"),
    ("red_flag", None, "he kicked me out"),
    ("red_flag", None, "he held me to a high standard"),
    ("red_flag", None, "I got hit by a car"),
    ("red_flag", None, "he's been pushing my buttons"),
    ("red_flag", None, "I felt like a stalker checking his page"),
    ("red_flag", None, "he makes me feel safe"),
    ("red_flag", None, "he always pushed me away"),
    # ---- who_ended
    ("who_ended", None, "we broke up"),
    (
        "who_ended",
        None,
        "Me and my boyfriend broke up 2 weeks ago because he started becoming friends with a girl",
    ),
    ("who_ended", None, "my ex and I broke up last month"),
    ("who_ended", None, "we have a lot of mutual friends"),
    ("who_ended", None, "he left me on read"),
    ("who_ended", None, "it left me feeling empty"),
    ("who_ended", None, "I want to break up with him"),
    ("who_ended", None, "I didn't break up with him"),
    ("who_ended", None, "he won't leave me alone"),
    ("who_ended", None, "my gf and I split up"),
    ("who_ended", "me", "he says he'll kill himself if I leave him"),
    (
        "who_ended",
        None,
        "I cried, I wished him luck in his job, and then I left his apartment with my stuff.",
    ),
    # ---- breakup_count
    ("breakup_count", None, "text me again"),
    ("breakup_count", None, "I want to see him again"),
    ("breakup_count", None, "I've been crying on and off all day"),
    ("breakup_count", None, "This is my third time asking to hangout since we've been broken up."),
    ("breakup_count", None, "the first time I saw him I knew"),
    ("breakup_count", None, "I texted him again yesterday"),
    ("breakup_count", None, "he hurt me again"),
    ("breakup_count", None, "he called me again last night"),
    ("breakup_count", "first", "This isn't our first breakup"),
    ("breakup_count", "first", "after our first breakup we got back together"),
    # ---- ex_behaviour
    ("ex_behaviour", "silent", "I blocked him"),
    ("ex_behaviour", "silent", "I'm ignoring him"),
    ("ex_behaviour", "silent", "I don't text him anymore"),
    ("ex_behaviour", "friendly", "we have mutual friends"),
    ("ex_behaviour", "friendly", "I don't want to be friends"),
    ("ex_behaviour", "seeing_someone", "I'm seeing a therapist"),
    ("ex_behaviour", "seeing_someone", "I was talking to a friend about it"),
    ("ex_behaviour", "seeing_someone", "we moved in together last year"),
    ("ex_behaviour", "hostile", "I hate myself"),
    ("ex_behaviour", "hostile", "I'm so angry with myself"),
    ("ex_behaviour", "hot_and_cold", "one day I'll get over him"),
    ("ex_behaviour", "friendly", "he never texted me back"),
    # ---- ex_pronoun: they/them are not "they"; a bare "my ex" is not tagged
    ("ex_pronoun", "they", "they said we should talk"),
    ("ex_pronoun", "they", "I told them everything"),
    ("ex_pronoun", None, "my ex texted me"),
    ("ex_pronoun", None, "my old man says I should move on"),
    # ---- breakup_style
    ("breakup_style", None, "we were together for a long time"),
    ("breakup_style", None, "I need to focus on work"),
    ("ex_behaviour", None, "we don't talk about our feelings"),
    ("ex_behaviour", None, "we never talk things through"),
    ("ex_behaviour", None, "we're not talking about it yet"),
    ("breakup_count", None, "it was the first time we met"),
    ("breakup_count", None, "it was the first time he said he loved me"),
    ("breakup_count", None, "the first time this happened he apologised"),
    ("breakup_style", None, "the long distance was hard"),
    ("breakup_style", None, "I'm trying to give him space"),
    ("breakup_style", "pulled_away", "he pushed me against the wall"),
]


@pytest.mark.parametrize("case", POSITIVE, ids=_id)
def test_positive(nlp, case):
    label, ident, text = case
    for t in variants(text):
        assert (label, ident) in ents(nlp, t), (t, sorted(ents(nlp, t)))


@pytest.mark.parametrize("case", NEGATIVE, ids=_id)
def test_negative(nlp, case):
    label, ident, text = case
    for t in variants(text):
        found = ents(nlp, t)
        if ident is None:
            assert label not in {lab for lab, _ in found}, (t, sorted(found))
        else:
            assert (label, ident) not in found, (t, sorted(found))


# --------------------------------------------------------------------------- time_since
# (message, text that a time_since span must contain)
TIME_SINCE = [
    ("he broke up with me yesterday", "yesterday"),
    ("she dumped me today", "today"),
    ("it happened last night", "last night"),
    ("we broke up last week", "last week"),
    ("he ended it last month", "last month"),
    ("we split last year", "last year"),
    ("she left me last weekend", "last weekend"),
    ("he texted me this morning that it's over", "this morning"),
    ("we broke up a few days ago", "a few days ago"),
    ("a couple of weeks ago he said he needed space", "a couple of weeks ago"),
    ("he dumped me 3 weeks ago", "3 weeks ago"),
    ("he dumped me three weeks ago", "three weeks ago"),
    ("we broke up a week ago", "a week ago"),
    ("she broke up with me six months ago", "six months ago"),
    ("we broke up over a year ago and I still think about him", "over a year ago"),
    ("we split a year and a half ago", "a year and a half ago"),
    ("it's been a month and a half", "a month and a half"),
    ("just under a year ago", "under a year ago"),
    ("we broke up last friday", "last friday"),
    ("we broke up the other day", "the other day"),
    ("2 months", "2 months"),
    ("about three weeks", "three weeks"),
    ("It's been 4 months and I have been working on me", "4 months"),
    ("he broke up with me 3weeks ago", "3weeks ago"),
    ("we broke up 2 wks ago", "2 wks ago"),
    # reader comments (seed 001: Alicia, AshleyLH; seed 004: Harper)
    ("My boyfriend broke up with me 2 months ago, we had one big problem", "2 months ago"),
    ("mind you, it had been almost 3 weeks since we broke up or talked.", "3 weeks"),
    (
        "My ex boyfriend and I broke up a little bit over a year ago and I did the no contact twice",
        "over a year ago",
    ),
    ("my gf of 3 yrs ended things in september and i cant stop", "in september"),
    ("we broke up back in march", "back in march"),
    ("he dumped me last june", "last june"),
]

TIME_SINCE_NEGATIVE = [
    "we met in september and he was perfect",
    "we're going on holiday in june",
    "we dated for 2 months",
    "we were together for 3 years",
    "I just celebrated my 6 months aniversary with my boyfriend",
    "he's moving abroad in 14 days",
]


@pytest.mark.parametrize("case", TIME_SINCE, ids=_id)
def test_time_since(nlp, case):
    text, expected = case
    for t in variants(text):
        found = spans(nlp, t, "time_since")
        assert any(expected.lower() in s for s in found), (t, found)


@pytest.mark.parametrize("text", TIME_SINCE_NEGATIVE, ids=_id)
def test_time_since_negative(nlp, text):
    for t in variants(text):
        assert not spans(nlp, t, "time_since"), t


# --------------------------------------------------------------------------- cross-label behaviour
def test_ex_pronoun_keeps_nouns_next_to_who_ended(nlp):
    doc = nlp("My boyfriend broke up with me out of the blue 3 weeks ago")
    found = {(e.text.lower(), e.label_, e.id_) for e in fact_spans(doc)}
    assert ("boyfriend", "ex_pronoun", "he") in found
    assert ("broke up with me", "who_ended", "ex") in found
    assert ("out of the blue", "breakup_style", "sudden") in found
    assert ("3 weeks ago", "time_since", "") in found


def test_long_message_with_several_facts(nlp):
    text = (
        "Hi, I have been with my boyfriend for 7+ months. Then two days later, he told me with "
        "TEARS in his eyes that we couldn't be together. I was completely shocked, I felt like I "
        "had been hit by a brick. Everyone was surprised by the breakup...and then bam, he "
        "suddenly doesn't feel he will ever love me? What do I do, this is killing me."
    )
    found = ents(nlp, text)
    assert ("ex_pronoun", "he") in found
    assert ("breakup_style", "sudden") in found
    assert ("crisis", "figurative") in found
    assert ("crisis", "self_harm") not in found
    assert "red_flag" not in {lab for lab, _ in found}


def test_long_message_repeat_and_ex(nlp):
    text = (
        "So we got back together in March after our first breakup, and last night she dumped me "
        "again over text. She says she needs space but she's already talking to another guy. "
        "I don't know whether to wait for her."
    )
    found = ents(nlp, text)
    assert ("breakup_count", "repeat") in found
    assert ("ex_pronoun", "she") in found
    assert ("breakup_style", "pulled_away") in found
    assert ("ex_behaviour", "seeing_someone") in found
    assert any("last night" in s for s in spans(nlp, text, "time_since"))


# Facts of different labels may share words: the subject of "she called it off" is both the ex's
# pronoun and part of who ended it, and "suddenly" sits inside "she suddenly ended it".
OVERLAPPING_FACTS = [
    ("my partner ended things", [("ex_pronoun", "they"), ("who_ended", "ex")]),
    ("she suddenly ended it", [("breakup_style", "sudden"), ("who_ended", "ex")]),
    ("he broke up with me again", [("who_ended", "ex"), ("breakup_count", "repeat")]),
    ("my boyfriend hit me", [("ex_pronoun", "he"), ("red_flag", "violence")]),
]


@pytest.mark.parametrize("case", OVERLAPPING_FACTS, ids=_id)
def test_overlapping_facts_are_all_kept(nlp, case):
    text, expected = case
    found = ents(nlp, text)
    assert all(e in found for e in expected), sorted(found)


def test_overlap_keeps_the_safety_fact(nlp):
    # where facts collide, the more important one survives
    assert ("who_ended", "ex") in ents(nlp, "my partner ended things")
    assert ("breakup_count", "repeat") in ents(nlp, "he broke up with me again")
    assert ("red_flag", "violence") in ents(nlp, "my boyfriend hit me")


def test_crisis_wins_over_other_labels(nlp):
    # who_ended's "I ended it" must not swallow crisis's "end it all"
    for text in ["I just ended it all", "I actually ended it all", "I'm going to end it all"]:
        assert ("crisis", "self_harm") in ents(nlp, text), text


def test_saved_pipeline_matches(nlp):
    loaded = spacy.load(nlp._test_out)
    for text in CRISIS_SELF_HARM[:10] + [c[2] for c in POSITIVE[:20]]:
        assert ents(loaded, text) == ents(nlp, text), text


# --------------------------------------------------------------------------- gaps found by the NLU test set
# Messages the classifier alone had to catch, and look-alikes that must stay harmless.
GAP_CASES = [
    ("i have a plan to end it", ("crisis", "self_harm")),
    ("i'm standing on the bridge right now", ("crisis", "self_harm")),
    ("i've written a goodbye note", ("crisis", "self_harm")),
    ("everyone would be better off if i was gone", ("crisis", "self_harm")),
    ("i can't go on", ("crisis", "self_harm")),
    ("my life is over", ("crisis", "self_harm")),
    ("he kicked me", ("red_flag", "violence")),
    ("my husband beats me", ("red_flag", "violence")),
    ("he pushed me into the wall", ("red_flag", "violence")),
    ("she controls all my money", ("red_flag", "control")),
    ("he said no one would believe me if i told", ("red_flag", "threat")),
]
GAP_LOOKALIKES = [
    ("i have a plan to end it with him tonight", "crisis"),
    ("i can't go on a date yet", "crisis"),
    ("he kicked me out of the apartment", "red_flag"),
    ("he pushed me away", "red_flag"),
    ("he beat me at chess", "red_flag"),
    ("i showed up at his house uninvited", "red_flag"),
    ("he gets jealous when i talk to other guys", "red_flag"),
]


@pytest.mark.parametrize("text, fact", GAP_CASES, ids=_id)
def test_gap_cases_are_caught(nlp, text, fact):
    assert fact in ents(nlp, text)


@pytest.mark.parametrize("text, label", GAP_LOOKALIKES, ids=_id)
def test_gap_lookalikes_stay_harmless(nlp, text, label):
    assert label not in {lab for lab, _ in ents(nlp, text)}


def test_unquoted_yaml_booleans_are_refused(tmp_path):
    from nlp.build_pipeline import load_patterns

    (tmp_path / "crisis.yml").write_text(
        "label: crisis\npatterns:\n  - id: self_harm\n    pattern: [{LOWER: on}]\n"
    )
    with pytest.raises(ValueError, match="quote on/off/yes/no"):
        load_patterns(tmp_path)


# --------------------------------------------------------------------------- grammar-level facts
# Who ended it and how often, said with a time, to the ex as "you", as a report or a count.
GRAMMAR_FACTS = [
    ("who_ended", "ex", "my wife left me in october, two days after our anniversary"),
    ("who_ended", "ex", "he left me on christmas eve"),
    ("who_ended", "ex", "she left me during the winter and i still can't sleep"),
    ("who_ended", "ex", "you left me when things got hard"),
    ("who_ended", "ex", "You chose. You left. I stayed."),
    ("who_ended", "ex", "you ended it and never told me why"),
    ("who_ended", "ex", "she told me she can't date me anymore"),
    ("who_ended", "ex", "he said he couldn't be with me anymore"),
    ("who_ended", "me", "I finally chose to end the relationship in may"),
    ("who_ended", "me", "i decided to walk away from our engagement"),
    ("who_ended", "me", "leaving him was the hardest decision of my life"),
    ("who_ended", "me", "breaking up with her turned out to be a mistake"),
    ("who_ended", "me", "It was too much. So I left. Now I miss her"),
    ("who_ended", "mutual", "we split by mutual consent"),
    ("breakup_count", "repeat", "we've broken up with each other like five times now"),
    ("breakup_count", "repeat", "i broke up with the same girl three times this year"),
]
GRAMMAR_LOOKALIKES = [
    ("who_ended", None, "the divorce left me in debt"),
    ("who_ended", None, "she left me on read all weekend"),
    ("who_ended", None, "the fight left me in pieces"),
    ("who_ended", None, "I need to leave him but I'm scared"),
    ("who_ended", None, "I told her to leave me alone"),
    ("who_ended", None, "we were fighting and I told him to leave. he came back an hour later"),
    ("who_ended", None, "he was shouting, so I left the house"),
    ("who_ended", None, "you left your jacket at my place"),
    ("breakup_count", None, "i have broken up with people many times before"),
]


@pytest.mark.parametrize("case", GRAMMAR_FACTS, ids=_id)
def test_grammar_facts(nlp, case):
    label, ident, text = case
    for t in variants(text):
        assert (label, ident) in ents(nlp, t), (t, sorted(ents(nlp, t)))


@pytest.mark.parametrize("case", GRAMMAR_LOOKALIKES, ids=_id)
def test_grammar_lookalikes(nlp, case):
    label, _, text = case
    for t in variants(text):
        assert label not in {lab for lab, _ in ents(nlp, t)}, (t, sorted(ents(nlp, t)))


# --------------------------------------------------------------------------- readings of fresh posts
# Kinds of wording met in a fresh batch of real first messages, written anew for these tests:
# the partner ends a marriage or an engagement, the user is left or ditched with a time or a
# purpose after it, passive and reported endings, the ex's "I miss you" since, and the count of a
# breakup verb only.
FRESH_READINGS = [
    ("who_ended", "ex", "my husband, 51, wants a divorce and won't tell me why"),
    ("who_ended", "ex", "she wanted us to get a divorce before summer"),
    ("who_ended", "ex", "last week he was filing for divorce behind my back"),
    ("who_ended", "ex", "at dinner he was announcing he's leaving for good"),
    ("who_ended", "ex", "my partner left me a few weeks ago"),
    ("who_ended", "ex", "my fiance left me to marry his coworker"),
    ("who_ended", "ex", "the guy i loved ditched me at the airport"),
    ("who_ended", "ex", "i was suddenly discarded after four years"),
    ("who_ended", "ex", "my wife of ten years finally had enough and called it quits"),
    ("who_ended", "ex", "my fiancee called our wedding off in march"),
    ("who_ended", "ex", "he backed out of our summer wedding"),
    ("who_ended", "ex", "she gave me back my ring and moved out"),
    ("who_ended", "ex", "he asked for his ring back"),
    ("who_ended", "ex", "she said she's not ready and wants to be single"),
    ("who_ended", "ex", "i got broken up with over text"),
    ("who_ended", "me", "i did the breaking up but it still hurts"),
    ("who_ended", "me", "walking away from someone i still loved was the hardest thing"),
    ("who_ended", "me", "i told him last night that i am moving out"),
    ("who_ended", "ex", "she says she is ready to file and talks to lawyers"),
    ("ex_behaviour", "hot_and_cold", "he phoned me on sunday to say he missed me"),
    ("ex_behaviour", "hot_and_cold", "she told me she misses me but she's with him now"),
    ("ex_behaviour", "hot_and_cold", "he claims he still loves me but needs space"),
    ("breakup_count", "repeat", "he dumped me for the third time"),
    ("breakup_count", "repeat", "it was another breakup, like always"),
]
FRESH_LOOKALIKES = [
    ("who_ended", "me", "i was broken up with on my birthday"),  # passive: the ex did it
    ("who_ended", None, "he broke up with her a week before the party"),  # a friend's story
    ("who_ended", None, "she was divorced for years before she met him"),  # a state, not an act
    ("who_ended", "me", "i told her that he is moving out of his flat"),  # a third party moves
    ("who_ended", "me", "i told him i was moving on with my life"),  # moving on is not moving out
    ("breakup_count", None, "i failed my driving test for the second time"),
    ("breakup_count", None, "i was hospitalized for the second time this month"),
    ("breakup_count", None, "something i can never take back. i broke it off"),
    ("ex_behaviour", "hot_and_cold", "i have mixed feelings about seeing him"),
    ("ex_behaviour", "hot_and_cold", "one day we were planning a trip and the next she was gone"),
]


# --------------------------------------------------------------------------- kinds of wording, second fresh set
# Each reading is a kind of wording (the structure, not one message); the words here are written
# for the test, none is a collected message.
WORDING_KINDS = [
    ("who_ended", "ex", "my girlfriend of three years ended our relationship in may"),
    ("who_ended", "ex", "my husband of 20 years called off the marriage"),
    ("who_ended", "ex", "she no longer loves me and that's that"),
    ("who_ended", "ex", "he told me last week that he is no longer in love with me"),
    ("who_ended", "ex", "he decided he didn't want to be married to me anymore"),
    ("who_ended", "ex", "she doesn't want to see me any more"),
    ("who_ended", "ex", "he phoned me after work and said it wasn't working and we had to break up"),
    ("who_ended", "ex", "she told me on the phone that she wants to separate"),
    ("who_ended", "ex", "he slept with someone else and told all his friends it was over"),
    ("who_ended", "ex", "she texted me that the wedding is off"),
    ("who_ended", "ex", "our engagement was called off by my fiance two weeks before the date"),
    ("who_ended", "ex", "he said 'i don't love you anymore' and walked out"),
    ("who_ended", "ex", "she just left one day without a word"),
    ("who_ended", "ex", "he initiated it, not me"),
    ("who_ended", "me", "i told him i never wanted to see him again"),
    ("who_ended", "me", "i finally found the strength to leave him"),
    ("who_ended", "me", "i walked out on her after the fight"),
    ("breakup_count", "repeat", "he has walked out on me in the past"),
    ("breakup_count", "repeat", "she left me before and came back"),
    ("breakup_count", "repeat", "this is not the first time we are parting ways"),
    ("breakup_count", "repeat", "i let him break my heart a second time"),
]
WORDING_LOOKALIKES = [
    # not a breakup yet: weighed, planned, refused
    ("who_ended", None, "he told me he was thinking of breaking up with me"),
    ("who_ended", None, "he won't break up with me even though i'm unhappy"),
    ("who_ended", None, "i know that i have to end the relationship soon"),
    ("who_ended", None, "so i have to break up with him before the summer"),
    # a fear about a relationship going on, not an ending
    ("who_ended", None, "i think my husband no longer loves me"),
    # someone else is not loved any more
    ("who_ended", None, "he no longer loves her"),
    # a habit, not a person
    ("who_ended", None, "i broke up with sugar last month"),
    ("who_ended", None, "i broke up with my gym"),
    # the user's own partner, still "my boyfriend": the user ended it
    ("who_ended", "ex", "i broke up with my boyfriend"),
    # reported speech about the bill is no breakup
    ("who_ended", None, "he said i was rude and we had to split the bill"),
    # "I said we had to break up" is the user's words
    ("who_ended", "ex", "i said we had to break up"),
    # the user's indecision and a denied lead-on are not the ex's mixed signals
    ("ex_behaviour", "hot_and_cold", "i went back and forth for months before i ended it"),
    ("ex_behaviour", "hot_and_cold", "he said he didn't want to lead me on"),
    # "in" alone after the breakup verb is not "in the past"
    ("breakup_count", "repeat", "he broke up with me in part because of my job"),
]


# --------------------------------------------------------------------------- kinds of wording, third fresh set
# Kinds found unread in a third set of real messages (tests/realistic/dev/*_fresh3.yml); the words
# here are written for the test.
THIRD_WORDING_KINDS = [
    ("who_ended", "ex", "he told me he'd fallen out of love with me"),
    ("who_ended", "ex", "my wife said she has fallen out of love"),
    ("who_ended", "me", "after a year i fell out of love with her"),
    ("who_ended", "me", "i called off my wedding three weeks before the day"),
    ("who_ended", "me", "i kicked him out in march"),
    ("who_ended", "me", "i asked her to move out"),
    ("who_ended", "ex", "one morning he packed his bags and left"),
    ("breakup_count", "repeat", "my ex and i are exes once again"),
    ("breakup_count", "repeat", "so we're over once again"),
    ("breakup_count", "repeat", "he broke up with me, once again"),
    ("breakup_count", "repeat", "she dumped me yet again"),
]
THIRD_WORDING_LOOKALIKES = [
    ("who_ended", None, "i fell out of love with running after the injury"),
    ("who_ended", None, "i asked him to leave the party with me"),
    ("who_ended", None, "i told her to go home and rest"),
    ("who_ended", None, "i called my mom about the wedding"),
    ("breakup_count", None, "once again i'm crying over him"),
    ("breakup_count", None, "i called him once again last night"),
]


# The fresh sets' readings and the kinds of wording, each with its lookalikes.
@pytest.mark.parametrize("case", FRESH_READINGS + WORDING_KINDS + THIRD_WORDING_KINDS, ids=_id)
def test_wording_kinds(nlp, case):
    label, ident, text = case
    assert (label, ident) in ents(nlp, text), (text, sorted(ents(nlp, text)))


@pytest.mark.parametrize("case", FRESH_LOOKALIKES + WORDING_LOOKALIKES + THIRD_WORDING_LOOKALIKES, ids=_id)
def test_wording_lookalikes(nlp, case):
    label, ident, text = case
    found = ents(nlp, text)
    if ident is None:
        assert label not in {lab for lab, _ in found}, (text, sorted(found))
    else:
        assert (label, ident) not in found, (text, sorted(found))


def test_have_to_end_it_all_stays_crisis(nlp):
    # the guard against "I have to end the relationship" must not hide a crisis statement
    assert ("crisis", "self_harm") in ents(nlp, "so i have to end it all tonight")
