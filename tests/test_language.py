"""Messages in other languages (nlp/language.py) and how the NLU component treats them."""

from __future__ import annotations

import pytest
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.training_data.message import Message

from nlp.breakup_facts import BreakupFactsExtractor
from nlp.language import mostly_not_english, other_language

OTHER = {
    "mi novio me dejó y quiero que vuelva": "es",
    "Mein Freund hat mich verlassen und ich vermisse ihn so sehr": "de",
    "mon copain m'a quitté hier soir et je suis perdue": "fr",
    "meu namorado terminou comigo ontem": "pt",
    "il mio ragazzo mi ha lasciato la settimana scorsa": "it",
}
NON_LATIN = ["привет, мой парень меня бросил", "我的男朋友离开了我", "حبيبي تركني"]
# Short or chatty English, names, links and a little borrowed wording stay English.
ENGLISH = [
    "ok",
    "lol",
    "hi",
    "no",
    "yes",
    "idk tbh",
    "omg lol ok",
    "ya",
    "hola",
    "ciao",
    "merci",
    "danke",
    "k",
    "hmm idk",
    "nope",
    "thx",
    "my ex and I broke up",
    "he ghosted me after 3 years",
    "Jake and Maria broke up last week",
    "my novio left me",
    "Ok so basically my bf dumped me lol",
    "ngl i kinda miss him tbh",
    "should i text her?",
    "he said 'te amo' and left",
    "my girlfriend Ana Sofia Gutierrez left",
    "https://example.com/some/page",
    "what day of no contact am i on",
    "wtf is wrong w him smh",
    "asdfgh jkl qwerty",
    "/greet",
    "",
    "   ",
    "😭😭😭",
    "💔 he left",
]


@pytest.mark.parametrize("text, code", OTHER.items())
def test_other_languages_are_recognised(text, code):
    assert other_language(text) == code


@pytest.mark.parametrize("text", NON_LATIN)
def test_a_non_latin_script_is_another_language(text):
    assert other_language(text)


@pytest.mark.parametrize("text", ENGLISH)
def test_english_is_never_taken_for_another_language(text):
    assert other_language(text) is None


MASH = "asdfgh jkl qwerty"


@pytest.mark.parametrize("text", [*OTHER, *NON_LATIN, MASH, "quel temps fait-il", "我"])
def test_the_menu_says_it_reads_only_english_for_other_languages_and_mash(text):
    # The menu's looser test (a message the NLU could not place): no language detector asked.
    assert mostly_not_english(text)


@pytest.mark.parametrize("text", [t for t in ENGLISH if t != MASH])
def test_the_menu_does_not_tell_an_english_message_it_reads_only_english(text):
    assert not mostly_not_english(text)


def parse(nlp, text, intent="nlu_fallback"):
    message = Message(data={"text": text})
    message.set(SPACY_DOCS["text"], nlp(text.lower()))
    message.set("intent", {"name": intent, "confidence": 0.2})
    message.set("intent_ranking", [{"name": intent, "confidence": 0.2}])
    BreakupFactsExtractor().process([message])
    return message


def test_another_language_overrules_the_classifier(spacy_pipeline):
    message = parse(spacy_pipeline, "mi novio me dejó y quiero que vuelva")
    assert message.get("intent")["name"] == "other_language"
    assert not message.get("entities")


@pytest.mark.parametrize(
    "text",
    [
        "quiero morir, mi novio me dejó",
        "Ich will nicht mehr leben, ich will alles beenden",
        "je veux mourir depuis qu'il est parti",
    ],
)
def test_crisis_words_in_another_language_still_get_the_crisis_reply(spacy_pipeline, text):
    assert parse(spacy_pipeline, text).get("intent")["name"] == "express_crisis"


def test_a_classifier_guess_of_another_language_on_english_is_a_fallback(spacy_pipeline):
    assert parse(spacy_pipeline, "hmm ok", intent="other_language").get("intent")["name"] == "nlu_fallback"


# Crisis wording in other languages as people inflect it: the infinitive with "zu", a clitic, a
# wish, a conditional, a method (written for these tests, after the forms of each language).
INFLECTED_CRISIS = [
    "Mein Freund hat mich verlassen und ich denke daran, mich umzubringen.",
    "Seit sie weg ist, will ich einfach nur sterben",
    "Ich wünschte, ich wäre tot. Sie hat Schluss gemacht.",
    "ich habe mich wieder geritzt weil er mich verlassen hat",
    "Ich will morgen nicht mehr aufwachen",
    "Manchmal denke ich daran, mir das Leben zu nehmen",
    "Mi novio me dejó y ya no puedo más, estaría mejor muerta",
    "ojalá estuviera muerta, él ya tiene otra",
    "quiero dormir y no despertar",
    "no vale la pena vivir sin él",
    "me voy a tomar todas las pastillas",
    "Mon copain m'a quitté, j'ai envie d'en finir",
    "je voudrais ne plus me réveiller",
    "je vais me foutre en l'air",
    "penso em me matar todos os dias",
    "estaria melhor morta",
    "a volte penso che sarebbe meglio morta",
    "la mia vita non ha più senso",
    "ik wil niet meer wakker worden",
]
# "I can't take any more", dark thoughts, wanting to disappear: ambiguous, so the gentle check.
AMBIGUOUS_DESPAIR = [
    "Ich kann nicht mehr. Er hat eine Neue.",
    "j'ai des idées noires depuis la rupture",
    "je n'en peux plus, il me manque trop",
    "tenho vontade de sumir desde que ela foi embora",
    "não aguento mais essa dor",
    "non ce la faccio più senza di lui",
    # no pattern reads these; a word of dying or of no way out in a message the advisor cannot
    # read asks the question instead of only saying it reads English
    "desde que se fue siento que me estoy muriendo por dentro, no veo ninguna salida, todo sin sentido",
    "seit der Trennung sehe ich keinen Ausweg mehr und denke oft an den Tod",
    "desde que se fue siento que me estoy muriendo por dentro, no veo ninguna salida",
]
# Breakup messages in other languages with death words used figuratively, or none: no alarm.
FOREIGN_LOOKALIKES = [
    "Mi novio me dejó y no sé qué hacer, quiero que vuelva",
    "me muero de ganas de verlo otra vez",
    "no quiero estar con nadie más",
    "no puedo más que esperar",
    "voy a cortarme el pelo para olvidarlo",
    "Liebeskummer: mein Ex will nicht mehr mit mir reden",
    "Ich kann nicht mehr schlafen seit sie weg ist",
    "ich würde für ihn sterben",
    "Il veut en finir avec notre relation",
    "je suis morte de rire quand il m'a écrit",
    "j'ai envie d'en finir avec cette relation toxique",
    "ich kann nicht mehr mit ihm reden",
    "quero meu ex de volta",
    "vorrei togliermi questo peso, mi manca tanto",
]


@pytest.mark.parametrize("text", INFLECTED_CRISIS)
def test_inflected_crisis_wording_in_another_language_gets_the_crisis_reply(spacy_pipeline, text):
    assert parse(spacy_pipeline, text).get("intent")["name"] == "express_crisis"


@pytest.mark.parametrize("text", AMBIGUOUS_DESPAIR)
def test_despair_in_another_language_gets_the_gentle_check(spacy_pipeline, text):
    assert parse(spacy_pipeline, text).get("intent")["name"] == "hint_self_harm"


@pytest.mark.parametrize("text", FOREIGN_LOOKALIKES)
def test_figurative_death_words_in_another_language_only_get_the_english_reply(spacy_pipeline, text):
    assert parse(spacy_pipeline, text).get("intent")["name"] == "other_language"


def test_the_distress_words_are_not_read_in_english(spacy_pipeline):
    # "tot", "mort", "dood" and "sin salida" are read only in a message in another language
    for text in ["my ex is a tot at heart lol", "we watched a film about Mort", "he said sin salida"]:
        assert parse(spacy_pipeline, text).get("intent")["name"] not in ("hint_self_harm", "express_crisis")
