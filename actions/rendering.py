"""Turns advice cards into chat messages: short messages a phone screen can hold, plain text that
reads well in the web widget, Telegram and a terminal, and follow-up topics as buttons."""
from __future__ import annotations

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


def source_line(sources: Iterable[Text]) -> Text:
    return "Source: " + ", ".join(sources)


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
