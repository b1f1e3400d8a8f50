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
