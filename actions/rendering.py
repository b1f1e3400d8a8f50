"""Turns advice cards into chat messages: short messages a phone screen can hold, plain text that
reads well in the web widget, Telegram and a terminal, and follow-up topics as buttons."""
from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Optional, Text

from actions.content_store import Card, Content
from actions.pronouns import fill

Message = Dict[Text, Any]


def topic_button(content: Content, topic_id: Text, pronoun: Optional[Text]) -> Dict[Text, Text]:
    topic = content.registry.topics[topic_id]
    return {"title": fill(topic.button, pronoun), "payload": f"/{topic.intent}"}


def scenario_button(content: Content, scenario_id: Text, pronoun: Optional[Text]) -> Dict[Text, Text]:
    scenario = content.registry.scenarios[scenario_id]
    return {"title": fill(scenario.button, pronoun), "payload": f"/{scenario.intent}"}


def source_titles(sources: Iterable[Text]) -> List[Text]:
    """The titles of the articles and guides cited (sources.yml). File names and ids are never
    shown to the user; content validation makes sure every source cited is listed there."""
    from actions.content_store import content

    current = content()
    titles = [current.source_title(source) for source in sources]
    return [title for title in titles if title]


def source_line(sources: Iterable[Text]) -> Text:
    return "Source: " + "; ".join(source_titles(sources))


def card_messages(card: Card, pronoun: Optional[Text]) -> List[Message]:
    """One card as a few messages: the advice, the steps, each script, the cautions + source."""
    messages: List[Message] = [{"text": f"{fill(card.title, pronoun)}\n\n{fill(card.text, pronoun)}"}]
    if card.steps:
        lines = [f"{i}. {fill(step, pronoun)}" for i, step in enumerate(card.steps, 1)]
        # The blank line lets the web widget's markdown see a numbered list.
        messages.append({"text": "What to do:\n\n" + "\n".join(lines)})
    for script in card.scripts:
        messages.append({"text": f"What you could say ({fill(script.label, pronoun)}):\n\n"
                                 f"\u201c{fill(script.text, pronoun)}\u201d"})
    tail = ""
    if card.warnings:
        tail = "Be careful:\n\n" + "\n".join(f"- {fill(w, pronoun)}" for w in card.warnings) + "\n\n"
    tail += source_line(card.sources)
    messages.append({"text": tail})
    return messages


def pointer_message(content: Content, kind: Text, pronoun: Optional[Text]) -> Message:
    """The line under a card that leads to the crisis reply or the abuse reply, with its button
    (card field `pointer`, texts in topics.yml `pointers`)."""
    pointer = content.registry.pointers[kind]
    return {"text": fill(pointer.text, pronoun),
            "buttons": [{"title": fill(pointer.button, pronoun), "payload": pointer.payload}]}


def follow_up_ids(cards: Iterable[Card], exclude: Iterable[Text] = (), limit: int = 4) -> List[Text]:
    """Follow-up topics of the cards, in order, without repeats or excluded topics."""
    chosen: List[Text] = []
    excluded = set(exclude)
    for card in cards:
        for topic_id in card.follow_ups:
            if topic_id not in chosen and topic_id not in excluded:
                chosen.append(topic_id)
    return chosen[:limit]


def advice_messages(content: Content, cards: List[Card], pronoun: Optional[Text],
                    follow_ups: List[Text]) -> List[Message]:
    messages: List[Message] = []
    for card in cards:
        messages.extend(card_messages(card, pronoun))
        if card.pointer:
            messages.append(pointer_message(content, card.pointer, pronoun))
    if follow_ups:
        messages.append({
            "text": "Where would you like to go from here? Tap a topic or ask in your own words.",
            "buttons": [topic_button(content, t, pronoun) for t in follow_ups],
        })
    return messages


# A topic given earlier in the conversation is recapped, not repeated: the card's title and its
# opening sentences (authored text, nothing generated), at most RECAP_WORDS words in all.
RECAP_WORDS = 60
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
SHOW_IN_FULL = "Show it in full again"
SOMETHING_ELSE = {"title": "Something else", "payload": "/help"}


def word_count(text: Text) -> int:
    return len(text.split())


def recap_text(card: Card, pronoun: Optional[Text], limit: int = RECAP_WORDS) -> Text:
    """"We went over this earlier" with the card's title and as many of its first sentences as fit
    in `limit` words (at least the first one: tests/test_content.py checks that it fits)."""
    intro = f"We went over this earlier (\u201c{fill(card.title, pronoun)}\u201d). In short:"
    first_paragraph = fill(card.text, pronoun).strip().split("\n\n")[0]
    sentences = [s.strip() for s in SENTENCE_END.split(first_paragraph) if s.strip()]
    summary = sentences[:1]
    for sentence in sentences[1:]:
        if word_count(" ".join([intro, *summary, sentence])) > limit:
            break
        summary.append(sentence)
    return " ".join([intro, *summary])


def show_in_full_payload(subject: Text) -> Text:
    return '/show_in_full{"recap_subject": "%s"}' % subject


def recap_messages(content: Content, subject: Text, cards: List[Card], pronoun: Optional[Text],
                   follow_ups: List[Text]) -> List[Message]:
    """One short message instead of the cards again, with the way back to them and ways on."""
    buttons = [{"title": SHOW_IN_FULL, "payload": show_in_full_payload(subject)}]
    buttons += [topic_button(content, t, pronoun) for t in follow_ups[:2]]
    buttons.append(SOMETHING_ELSE)
    return [{"text": recap_text(cards[0], pronoun), "buttons": buttons}]
