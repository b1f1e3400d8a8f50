"""Safety patterns by kind of wording (nlp/patterns/crisis.yml, red_flag.yml).

Each kind has positive cases in several wordings and lookalikes that must stay harmless: breakup
posts are full of figures of speech ("this is killing me", "he hit me up", "I stalked his insta").
Abuse is any red_flag id but cheating; crisis is crisis/self_harm; the gentle check is
crisis/self_harm_past without a self_harm match.
"""

from __future__ import annotations

import pytest

from nlp.breakup_facts import facts_from_doc, safety_intent

ABUSE = {
    "violence, described": [
        "he closed my hand in the door and said I did it to myself",
        "she slammed my head against the wall",
        "he shoved me into the kitchen counter",
        "he threw me down the stairs",
        "he grabbed my wrist so hard it bruised",
        "he twisted my arm behind my back",
        "he put his hands around my neck",
        "he pinned me down on the bed",
        "he hit me with a belt",
        "he punched a hole in the wall next to my head",
        "he smashed my phone when I tried to call my sister",
        "she left bruises on my arms",
        "he put me in the hospital",
        "my boyfriend has hit me several times",
        "he would shove me when he was drunk",
        # the user as the one it was done to, without naming who; injuries kept out of sight; the
        # ex's hitting reported to the user as "you"
        "the kids have seen me pushed into a wall and spit at",
        "i was shoved against the door so hard i fell",
        "he always made sure the bruises were where nobody would look",
        "the marks were always somewhere hidden",
        "he kept saying you think I hit you, you're crazy",
        "his friend told me he said that if people heard from me that he hit you not to believe it",
    ],
    "threats": [
        "he keeps sending me threatening e-mails",
        "he sent threatening texts to my mom",
        "he mailed me photos of us with the eyes gouged out",
        "he said he'll kill himself if I leave him",
        "she threatens to hurt herself whenever I try to end it",
        "he threatened to post my nudes",
        "he said he would make my life hell",
        "i'm scared of him",
        "threats of hitting me turned into actually hitting me",
        "he sent me a picture of a knife",
    ],
    "stalking and monitoring": [
        "he tracks my location all the time",
        "he put a tracker on my car",
        "he hacked into my instagram",
        "he keeps turning up at my work uninvited",
        "he was outside my apartment all night",
        "he calls me 50 times a day",
        "he found out where I live and showed up",
        "he goes through my phone every night",
        "she reads all my messages",
        "I have a stalker and it's my ex",
    ],
    "isolation and money": [
        "he made me stop seeing my friends",
        "he cut me off from my family",
        "he took all my money",
        "he won't let me have my own bank account",
        "she ran up debt in my name",
    ],
    "sexual coercion": [
        "he pressured me into sex",
        "he kept pressuring me to have sex",
        "he wouldn't take no for an answer",
        "he forced me to send nudes",
    ],
    "humiliation and name-calling": [
        "He would scream at me and call me worthless every day, but I want him back",
        'he called me "worthless"',
        "she said i was a fat pig",
        "he told me I'm nothing without him",
        'he texted me "you fat whore"',
        "he constantly belittles me in front of my friends",
        "he always puts me down",
        "he used to call me names",
        "she said I would never find anyone better",
        'I was acting like a "cunt" according to him',
    ],
    "pressed into, pulled by, broken near": [
        "she used to dig her nails into my arm when we fought so nobody would notice",
        "he dragged me out of the car by my hair",
        "my ex kicked the bathroom door in while i was hiding in there",
    ],
    "threats, veiled or over the children": [
        "my ex keeps saying he'll make sure i never see my kids again if i date anyone else",
        "he told me i'd regret it and that he knows where my mum lives",
        "she said i would never see my son again",
        "he said if he can't have me no one can",
    ],
    "rough handling, objects on the body, kept from leaving": [
        "whenever he was drunk he'd get rough, like grabbing me",
        "i was pregnant and he pushed me so hard i fell",
        "she smashed a plate over my head last christmas",
        "she'd take my car keys and phone so i couldnt leave the house",
    ],
}

CRISIS = [
    # the means, a time, a wish to crash (written probes)
    "i bought a rope today",
    "i've been stockpiling my meds just in case",
    "i sat on the roof last night thinking about jumping",
    "i drove really fast on purpose hoping i'd crash",
    "tonight i'm going to end it",
    "I've gone back to cutting",
    "I started cutting again",
    "i cut my arms last night",
    "the urge to cut is so strong",
    "I don't want to wake up tomorrow",
    "everyone would be better off without me",
    "i hope i die in my sleep",
    "i'd rather not exist",
    "i've been stockpiling my pills",
    "i thought about driving my car into a tree",
    "i wanted to kill myself last night",
    "i'm thinking of ending it all",
    "i just want to drop out of life",
]

CHECK = [
    # hopelessness with no method named
    "tbh some nights i dont see the point of anything anymore",
    "i just don't see the point anymore",
    "honestly i see no point in anything since she left",
    "i feel like giving up on everything",
    "what's the point of going on. i dont see a future for me at all",
    "i dont think ill be here much longer",
    "my family would be fine without me tbh, i'm just a burden",
    "honestly i dont see a future for myself",
    "when he left I just wanted to die",
    "i used to cut",
    "I used to self harm in high school",
    "I was suicidal after my divorce",
    "I tried to kill myself years ago",
    "i felt like dying when she left",
    "I have a history of self harm",
    "i keep thinking about ending it",
    "i just want to disappear",
]

OTHER_LANGUAGE_CRISIS = [
    "quiero morir, mi novio me dejó",
    "ich will nicht mehr leben",
    "je veux mourir depuis qu'il est parti",
    "quero morrer",
    "voglio morire",
    "ik wil dood",
    "tengo ganas de morir desde que se fue",
    "ich habe lust zu sterben",
    "je n'ai plus envie de vivre",
    "sinto vontade de morrer",
    "vorrei morire",
]

# Breakup posts full of figures of speech: no safety reply at all.
HARMLESS = [
    # pushed, marks, "hit you": the lookalikes of the passive and reported wordings
    "i was pushed into a corner at work",
    "i got pushed into the pool at the party lol",
    "i was thrown into the deep end at my new job",
    "my stretch marks are hidden under my jeans",
    "you think i hit a nerve?",
    "i got spat at by a stranger on the bus",
    # boundaries, written in the boundaries exercise
    "no belittling my work",
    "no name calling, no cheating",
    "i dont see the point of texting him if he never answers",
    "whats the point of going on a date if i still think about him",
    "she knows where i work because we met there",
    "he kicked me out of the group chat",
    "my mum said i'd regret it if i took him back",
    "he broke my phone screen by accident when he dropped it",
    "he locked me out of our netflix account lol",
    "i burned all his letters last night and felt better",
    "i'm a burden on my friends with all my crying about him",
    "im thinking about jumping back into dating",
    "tonight i'm going to end it with him for good",
    "i see no point in going back to her",
    "i don't see the point of this relationship anymore",
    "im giving up on him, he made his choice",
    "this breakup is killing me",
    "he hit me up last night after three weeks",
    "I'm dying to see him again",
    "I stalked his insta for an hour",
    "we argued a lot but never about anything serious",
    "I could kill him lol",
    "she blocked me everywhere",
    "he hit me with the news that he's moving",
    "it hit me that he's really gone",
    "call me stupid but I still love him",
    "he never laid a hand on me",
    "he's gonna kill me when he finds out I lost his hoodie lol",
    "i'm scared of him moving on",
    "I'm thinking about ending it with him",
    "I want to disappear for a while from social media",
    "I'm cutting him off completely",
    "I've been cutting back on coffee",
    "I used to cut his hair",
    "she said i was too good for her",
    "he said I was nothing like his ex",
    "he called me yesterday",
    "he made me feel like a princess",
    "I showed up at his house uninvited and regret it",
    "I follow her on instagram",
    "he twisted my arm to go to the party",
    "his ex girlfriend was abusive to him",
    "she's apparently been suicidal and he wants to help her",
    "he threatened to leave me",
    "he yells at me whenever I call",
    "he broke my heart",
    "she broke the news over text",
    "I'm afraid of her answer",
]


# Kinds written as grammar (subject x verb class x object), each in wordings of its own.
ABUSE.update(
    {
        "threats, reported": [
            "she told me she'd ruin my life if I went to the police",
            "he said he would hurt me if i told anyone",
            "he swore he'd find me wherever I go and kill me",
            "he'll kill me if i leave him",
            "he says he will take the kids away from me",
            "he said he'd leave me with nothing",
        ],
        "fear of the ex": [
            "i'm afraid he will hurt me if i leave",
            "i'm terrified she'll hurt me again",
        ],
        "money and permission": [
            "he controls all the money",
            "my husband controlled our finances for ten years",
            "he makes me ask permission to go anywhere",
            "i have to ask his permission to see my sister",
            "he took my bank card",
            "she kept my passport so i couldn't go home",
        ],
        "confinement and injuries": [
            "he blocked the door so i couldn't leave",
            "he broke my arm",
            "my ex fractured my wrist",
            "he gave me a concussion",
        ],
    }
)
CRISIS += [
    "i wish i could sleep forever and never wake up",
    "i just hope i can disappear forever",
    "everyone would be happier if i was dead",
    "they'd all be better off if i wasn't here",
    "i sometimes wish i could be asleep forever",
    "i took too many pills last night and i'm scared",
]
CRISIS += [
    "i'm so tired of existing in this body",
    "i'm tired of living in this world",
    "what's the point of living in this pain",
]
CHECK += [
    "honestly some days i feel like i cant go on without her",
    "I can't keep going without him",
    "some days i wish i'd never have to wake up",
    "after he left i ended up in a psych ward",
    "i was hospitalised for two weeks because of the breakup",
    "i became a cutter in high school",
    "cutting was an addiction for me",
]
HARMLESS += [
    "can you check my text before I send it to him",
    "could you read my message to her first",
    "i can't go on a date without thinking of him",
    "she'll kill me when she finds out lol",
    "my mom will kill me if she sees this",
    "i can't stop checking his instagram",
    "my mom's husband used to yell at her",
    "i controlled my spending after the breakup",
    "i keep hoping he'll show up at my door with flowers",
    "it got to the point of me asking her to marry me",
    "i was so embarrassed i wanted to die",
    "he said he'd take me back if i changed",
    "he said he would never hurt me",
    "he'll take the kids this weekend",
    "i could sleep forever on sundays",
    "i cut a box with a box cutter",
    "i took too many pictures of us",
    "i relapsed and texted him",
]


def kind(nlp, text):
    intent = safety_intent(facts_from_doc(nlp(text.lower())), None)
    return {"express_crisis": "crisis", "disclose_abuse": "abuse", "hint_self_harm": "check"}.get(intent)


@pytest.mark.parametrize("text", [t for texts in ABUSE.values() for t in texts])
def test_abuse_in_its_kinds(spacy_pipeline, text):
    assert kind(spacy_pipeline, text) == "abuse", text


@pytest.mark.parametrize("text", CRISIS + OTHER_LANGUAGE_CRISIS)
def test_crisis_in_any_context(spacy_pipeline, text):
    assert kind(spacy_pipeline, text) == "crisis", text


@pytest.mark.parametrize("text", CHECK)
def test_past_or_ambiguous_wording_gets_the_gentle_check(spacy_pipeline, text):
    assert kind(spacy_pipeline, text) == "check", text


@pytest.mark.parametrize("text", HARMLESS)
def test_figures_of_speech_raise_no_alarm(spacy_pipeline, text):
    assert kind(spacy_pipeline, text) is None, text


def test_present_tense_beats_the_past_in_one_message(spacy_pipeline):
    assert kind(spacy_pipeline, "I used to cut and now I want to kill myself") == "crisis"


def test_abuse_wins_over_the_gentle_check(spacy_pipeline):
    assert kind(spacy_pipeline, "he choked me and when he left I wanted to die") == "abuse"


# Grammar guards: who is the subject, what is negated, what is a figure of speech. Each guard
# comes with disclosures worded next to it that must still raise the alarm.
GUARDED_HARMLESS = [
    # negated
    "it was never an abusive relationship, we just drifted",
    "there was no domestic violence, only silence",
    "he wasn't at all violent, just cold",
    # the user is the one described or accused
    "i was controlling and jealous and i know it",
    "i can be possessive when i'm insecure",
    "she accused me of being manipulative",
    "he tells everyone that i was abusive",
    "i was the one who threatened to leave",
    "i threatened to end it every time we fought",
    "i let her check my phone whenever she wanted",
    "he made me quit smoking and i thank him for it",
    # someone else
    "my stepfather was violent so i grew up scared",
    "her new man beat him up at a party",
    "my ex was abusive to my sister",
    # figures of speech
    "my best friend stabbed me in the back",
    "she threw a curveball at me last night",
    "he made me feel like i was the luckiest girl alive",
    "he made me feel like i was so special",
    "we had coffee and then it hit me that i'm over him",
    "he liked my photo and then hit me up",
    "my dad would kill me if he knew i texted her",
    "i didn't want it to end on a bad note",
    "i wanted it to end like adults, face to face",
    "i want this heartache to go away so i can focus on school",
    "i burned myself out for that relationship",
    "i hung myself up on her for months",
    "i'm sick of living in a tiny flat since the split",
    "no point in living together if we don't talk",
    "i hope i never wake up beside him again",
    "i'd rather die single than go back to her",
    "his cousin committed suicide when they were teens",
    "she threatened to break up with me if i moved away",
    "he threatened to call the cops on me for knocking",
    "she said she felt smothered by me",
]
GUARDED_DISCLOSURES = {
    "abuse": [
        "he was abusive, and i still want him back",
        "there was domestic violence in our marriage",
        "he made me feel like i was a burden",
        "he started yelling and then slapped me",
        "she accused me of lying and then hit me in front of her friends",
        "my boyfriend beat me up last week",
        "he threw a mug at me",
        "he stabbed me with a fork",
        "he was always controlling",
        "he threatened to kill me if i left",
        "she threatened to post my photos",
    ],
    "crisis": [
        "i just want it to end",
        "i want it all to end",
        "i want the pain to stop",
        "i'm tired of living like this",
        "there's no point in living anymore",
        "i wish i could sleep and never wake up",
        "i promised my mum i wouldn't hurt myself but i'm not sure i can keep it",
        "i swore to my counsellor that i would never cut myself again and now i want to",
        "i looked up ways to end my own life",
        "i can't promise my own safety tonight",
        "i'm going to kill myself",
        "he threatened to end it all and i want to end it all too",
    ],
}
# A denial is asked about gently: "are you safe right now?", never silence, never the full alarm.
DENIALS = [
    "i'm not suicidal, just heartbroken",
    "i'm not going to hurt myself, i just need to talk",
    "i have never self harmed",
    "i've been punishing myself for the things i said",
]


@pytest.mark.parametrize("text", GUARDED_HARMLESS)
def test_grammar_guards_raise_no_alarm(spacy_pipeline, text):
    assert kind(spacy_pipeline, text) is None, text


@pytest.mark.parametrize("text", [(k, t) for k, texts in GUARDED_DISCLOSURES.items() for t in texts])
def test_disclosures_next_to_a_guard_still_raise_it(spacy_pipeline, text):
    want, sentence = text
    assert kind(spacy_pipeline, sentence) == want, sentence


@pytest.mark.parametrize("text", DENIALS)
def test_a_denial_gets_the_gentle_check(spacy_pipeline, text):
    assert kind(spacy_pipeline, text) == "check", text


# Kinds of wording found missing when real messages collected after the patterns were tuned were
# scored (tests/realistic/dev/safety_fresh.yml); each kind is probed here in wordings written for
# it, next to lookalikes that must stay harmless.
FRESH_ABUSE = {
    "thrown across a room, or into a part of the furniture": [
        "he threw me across the room when i said i was leaving",
        "she flung me into the next room",
        "he slammed my face into the edge of the table",
        "he knocked me into the corner of the dresser",
    ],
    "hands closing on the neck, with an adjective between": [
        "his hands closed around my thin neck until i saw stars",
        "her fingers squeezed my little throat",
        "he put his hands around my skinny neck",
    ],
    "followed, and seen doing it": [
        "i caught him following me to the shops last week",
        "i noticed her tailing me after work.",
        "my ex was following me in his car.",
    ],
    "asking other people where the user is": [
        "he keeps asking my friends about my schedule",
        "she asked my sister where i live now",
        "he has been questioning my coworkers about my whereabouts",
    ],
    "kept from friends and family": [
        "he tried to isolate me from my family",
        "she has kept me away from all my friends for a year",
        "he turned me against my own sister",
        "over time he separated me from everyone i loved",
    ],
    "the partner's reaction to the user seeing people": [
        "whenever i want to see my friends he sulks for days",
        "every time i visit my parents she gets furious",
        "if i go out with my girlfriends he throws a fit",
    ],
    "taking over calls": [
        "he grabbed my phone and yelled at my mum to stop calling",
        "she answered my call and told my friend never to ring again",
    ],
    "surveillance of calls and rooms": [
        "he wiretapped our phone line",
        "she bugged my car so she always knew where i went",
        "he secretly records all my phone calls",
    ],
    "accounts broken into": [
        "he hacked into my work email account",
        "she logged into my e-mail account and read everything",
    ],
    "no money or account of one's own": [
        "i don't have a bank account of my own",
        "i don't even have a card in my own name",
        "every penny i earn goes straight into his account",
        "i can't buy groceries without his approval",
        "if i spend anything he'll punish me",
    ],
    "insults quoted after 'told me I was'": [
        'he told me i was a "slob" in front of his mates',
        'she tells me i\'m "disgusting" every morning',
    ],
    "the partner's suicide threats used as leverage": [
        "his suicidal threats are how he keeps me from leaving",
        "she uses threats of suicide whenever i talk about going",
    ],
    "sex pressed physically": [
        "he keeps pushing my head down towards his lap",
        "she grabbed my hand and pulled it into her pants",
    ],
    "a harm verb in the threat": [
        "he threatened to injure me if i told anyone",
        "she has threatened to disfigure me",
    ],
    "a list of what he did, with gerunds": [
        "he started screaming at me, shoving me, and taking my keys",
        "she was yelling, slapping me, calling me names",
    ],
}

FRESH_CRISIS = [
    "some nights i think about blowing my brains out",
    "i feel like blowing my damn head off",
    "i have a feeling today might be my last day",
    "this could be my last night, i'm so tired",
    "tonight could be my last day on earth",
    "i keep thinking i'll just drive off a cliff",
    "part of me wants to drive over the edge of the quarry",
]

FRESH_HARMLESS = [
    # someone else's relationship
    "my friend's husband has become violent and i don't know how to help her",
    "her new boyfriend got violent with her at the party",
    "my cousin is being beaten by her husband and won't leave",
    "my sister who was abused by her ex is doing better now",
    # someone else is the controlling one
    "my parents are so controlling about my curfew",
    "my boss is manipulative and it's wearing me down",
    # the user's own actions and feelings
    "i was scrolling through my phone looking at old photos of us",
    "i can't stop looking through my gallery at night",
    "losing her made me feel like i was a ghost in my own life",
    "i was asking my friends about my ex's new girlfriend",
    "i followed him on instagram again after the breakup",
    "he followed me back on tiktok",
    "i separated my stuff from his when i moved out",
    # a job, an accident, a route, a denial
    "friday will be my last day at that job",
    "it might be my last day in the city before i move",
    "i dropped the pan and burned myself on the handle",
    "i spilled my coffee and burned myself, what a morning",
    "we drove over the bridge to his parents' house",
    "this isn't a suicide note, i'm just sad and writing it down",
    "i have no money of my own because i'm a student, lol",
]


# Kinds of wording found missing when a second set of real messages, collected after the patterns
# above were tuned, was scored (tests/realistic/dev/safety_fresh2.yml). Each kind is probed in
# wordings written for it (not copied from the set), next to a lookalike that must stay harmless.
FRESH2_ABUSE = {
    "hitting in slang": [
        "my girlfriend socked me in the jaw last night",
        "he decked me when i wouldn't hand over my phone",
        "she whacked me with the back of her hand",
    ],
    "violence verbs in a row, the last naming the user": [
        "he shoved or kicked me whenever he was drunk",
        "she scratched and bit me during the fight",
    ],
    "abuse named with its kind, no subject": [
        "emotionally abused me for the whole marriage",
        "physically assaulted me twice before i left",
    ],
    "name-calling in the passive": [
        "i'm tired of being called stupid every day",
        "i got called a worthless slut in front of his friends",
    ],
    "insults in the present simple": [
        "he belittles me whenever we have guests",
        "she constantly mocks my accent",
    ],
    "told as a habit, about the user": [
        "he tells me every day that i'm a bad mother",
        "she reminds me all the time i'm useless",
    ],
    "a partner's wish for the user's death, reported": [
        "he told me he wished i was dead",
        "she said she hopes i die",
    ],
    "threatening suicide to control": [
        "my husband threatens suicide every time i mention divorce",
        "she keeps threatening to commit suicide if i go",
    ],
    "kept from people, said with want or like": [
        "my boyfriend doesn't want me to see my friends anymore",
        "he didn't like me going out without him",
        "she has never wanted me to visit my family",
    ],
    "followed, or the home entered": [
        "he followed me home from the bar",
        "my ex broke into my apartment while i was at work",
    ],
    "money kept out of reach": [
        "i have no access to our bank account",
        "he gives me a tiny allowance and checks every receipt",
        "i'm not allowed to keep my own paycheck",
    ],
}

FRESH2_CRISIS = [
    "honestly i don't deserve to live",
    "all i want now is to die",
    "all i wish for is to just be dead",
    "i pray for death every night since she left",
    "my wrist was bleeding again this morning",
    "i carved lines into my thighs last night",
]

FRESH2_CHECK = [
    # told in the past, no present wish
    "after the divorce i didn't want to exist",
    "that winter i didn't want to wake up",
    "back then i wanted to commit suicide",
    "two years ago i was contemplating suicide",
    "i cannot go on without you in my life",
    "i just hope for the end",
]

FRESH2_HARMLESS = [
    "he doesn't deserve to live in my head rent free",
    "i hope for the end of this awful week",
    "a path i did not want to be on anymore",
    "she said she was tired of living a lie",
    "he ended it all over text, no explanation",
    "you took my life away from me when you left",
    "he followed me on instagram after we broke up",
    "he didn't want me to leave him",
    "he doesn't want me to see his phone",
    "my mom belittles me about my ex",
    "they say that i am stupid for still loving him",
    "i don't want to be possessive of my best friend",
    "she calls me every night and we talk for hours",
    "he showed up at my apartment unannounced.",
    "she has pushed me and the kids away",
    "i keep trying to figure out where i went wrong",
    "we negotiated my allowance and i'm fine with it",
    "he joked that he didn't get his allowance yet",
    "he is not allowing me to go to the cottage this summer",
]


# Kinds of wording found missing in a third set of real messages, gathered from public pages after
# the patterns above were tuned and kept out of the repository as a validation set: before these
# patterns, 74% of its crisis and abuse disclosures got a safety reply. Each kind is probed in
# wordings written for it, next to lookalikes that must stay harmless.
FRESH3_ABUSE = {
    "hit, told in the passive without saying by whom": [
        "i got slapped during an argument and i deserved it",
        "i was punched in the face the night i tried to leave",
    ],
    "hit, told in the passive, by the partner": [
        "i got hit by my boyfriend last week",
        "i was pushed by my ex down the stairs",
    ],
    "a hand raised against the user": [
        "the first time he raised his hand to hit me we were in the car",
        "she lifted her fist at me when i said no",
    ],
    "clothes grabbed or torn": [
        "he pulled me back by grabbing my top",
        "my husband ripped my shirt during the fight",
    ],
    "the ex's put-down that no one else would want the user": [
        "he told me nobody else would ever want me",
        "she always said no one would put up with me",
    ],
}
FRESH3_CRISIS = [
    "he told me he wanted space so i cut 19 times",
    "i relapsed and cut last night",
    "i cut again tonight",
    "death is the only option for me now",
    "the only way to be rid of it was to die",
    "i wish i could drown in the shower",
    "i took a whole bottle of pills last night",
    "i wish i could stop existing",
]
FRESH3_HARMLESS = [
    "i got slapped with a fine for parking outside his flat",
    "i got pushed aside for his new girlfriend",
    "i was pushed to my limits by this breakup",
    "i got thrown under the bus by my friends",
    "i was hit by a car last year and he looked after me",
    "i cut my hair again to feel like a new person",
    "i cut him off on every app last night",
    "i grabbed my jacket and left",
    "he raised his hand to wave at me across the street",
    "i feel like nobody will ever love me like he did",
    "i wish i could stop thinking about him",
    "i wish i could drown out the noise in my head",
    "the only option was to end things with him",
    "the only way out is through",
]


# The kinds of wording of the three fresh sets above, each probed with its lookalikes.
@pytest.mark.parametrize(
    "text",
    [t for kinds in (FRESH_ABUSE, FRESH2_ABUSE, FRESH3_ABUSE) for texts in kinds.values() for t in texts],
)
def test_fresh_abuse_kinds(spacy_pipeline, text):
    assert kind(spacy_pipeline, text) == "abuse", text


@pytest.mark.parametrize("text", FRESH_CRISIS + FRESH2_CRISIS + FRESH3_CRISIS)
def test_fresh_crisis_kinds(spacy_pipeline, text):
    assert kind(spacy_pipeline, text) == "crisis", text


@pytest.mark.parametrize("text", FRESH2_CHECK)
def test_fresh_past_and_ambiguous_wording_gets_the_gentle_check(spacy_pipeline, text):
    assert kind(spacy_pipeline, text) == "check", text


@pytest.mark.parametrize("text", FRESH_HARMLESS + FRESH2_HARMLESS + FRESH3_HARMLESS)
def test_fresh_lookalikes_raise_no_alarm(spacy_pipeline, text):
    assert kind(spacy_pipeline, text) is None, text
