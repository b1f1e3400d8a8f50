"""Turns advice cards into chat messages that fit a phone: the summaries first, then each part
(steps, scripts, cautions, the full text, the sources) on request, as buttons.

Messages use a small Markdown subset (**bold**, numbered and "- " lists, "> " quotes); each channel
renders it natively (channels/formatting.py). One message is one bubble."""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Optional, Text

from actions.content_store import Card, Content
from actions.messages import message
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
    return message("source_line", titles="; ".join(source_titles(sources)))


# --- progressive disclosure -------------------------------------------------------------------
# The first answer to a subject is its cards' summaries (at most FIRST_CARDS of them); the rest
# comes part by part, on buttons or typed ("what do I say to him"). A turn shows at most
# TURN_BUBBLES bubbles and about TURN_WORDS words: a phone screen, read without scrolling far.
FIRST_CARDS = 2
TURN_BUBBLES = 3
TURN_WORDS = 150

# The parts of a subject's advice, in the order they are offered, with their buttons.
PARTS = ("steps", "scripts", "warnings", "details", "source")


def part_titles() -> Dict[Text, Text]:
    """The buttons of the parts, by part (PART_BUTTONS)."""
    return {
        "steps": message("button_part_steps"),
        "scripts": message("button_part_scripts"),
        "warnings": message("button_part_warnings"),
        "details": message("button_part_details"),
        "source": message("button_part_source"),
    }


def __getattr__(name: Text) -> Any:
    # PART_BUTTONS: part -> its button; SHOW_IN_FULL: the button under a recap.
    if name == "PART_BUTTONS":
        return part_titles()
    if name == "SHOW_IN_FULL":
        return message("button_show_again")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Buttons send /advice_part{"advice_part": ...}; typed ways to ask for a part ("what do I say to
# him") have an intent of their own.
PART_INTENT = "advice_part"
PART_INTENTS = {
    "part_steps": "steps",
    "part_scripts": "scripts",
    "part_warnings": "warnings",
    "part_details": "details",
    "part_source": "source",
}
NEXT_PART = "next"  # "Something else": the follow-up topics and the menu


def main_menu_button() -> Dict[Text, Text]:
    return {"title": message("button_main_menu"), "payload": "/help"}


def part_payload(part: Text, page: int = 1) -> Text:
    if page > 1:
        return '/advice_part{"advice_part": "%s", "advice_page": "%d"}' % (part, page)
    return '/advice_part{"advice_part": "%s"}' % part


def part_button(part: Text, page: int = 1) -> Dict[Text, Text]:
    if page == 1:
        title = part_titles()[part]
    else:
        title = message("button_part_scripts_more") if part == "scripts" else message("button_more")
    return {"title": title, "payload": part_payload(part, page)}


def something_else_button() -> Dict[Text, Text]:
    return {"title": message("button_something_else"), "payload": part_payload(NEXT_PART)}


def summary_of(card: Card, pronoun: Optional[Text]) -> Text:
    return fill(card.summary, pronoun)


def opening_sentences(text: Text, limit: int) -> Text:
    first_paragraph = text.strip().split("\n\n")[0]
    sentences = [s.strip() for s in SENTENCE_END.split(first_paragraph) if s.strip()]
    chosen = sentences[:1]
    for sentence in sentences[1:]:
        if word_count(" ".join([*chosen, sentence])) > limit:
            break
        chosen.append(sentence)
    return " ".join(chosen)


def bold(text: Text) -> Text:
    return f"**{text}**"


def summary_message(card: Card, pronoun: Optional[Text]) -> Message:
    return {"text": f"{bold(fill(card.title, pronoun))}\n\n{summary_of(card, pronoun)}"}


def available_parts(cards: List[Card]) -> List[Text]:
    """The parts these cards have something for (every card has details and a source)."""
    has = {
        "steps": any(c.steps for c in cards),
        "scripts": any(c.scripts for c in cards),
        "warnings": any(c.warnings for c in cards),
        "details": True,
        "source": True,
    }
    return [part for part in PARTS if has[part]]


def pointers_of(content: Content, cards: List[Card], pronoun: Optional[Text]) -> List[Message]:
    kinds: List[Text] = []
    for card in cards:
        if card.pointer and card.pointer not in kinds:
            kinds.append(card.pointer)
    return [pointer_message(content, kind, pronoun) for kind in kinds]


def attach_buttons(messages: List[Message], buttons: List[Dict[Text, Text]]) -> List[Message]:
    """Puts the buttons on the last message (a pointer's own button stays first)."""
    if not buttons:
        return messages
    last = dict(messages[-1])
    last["buttons"] = list(last.get("buttons") or []) + buttons
    return messages[:-1] + [last]


def parts_menu(cards: List[Card], extra: Iterable[Dict[Text, Text]] = ()) -> List[Dict[Text, Text]]:
    """The buttons under a first answer: the parts these cards have, any extra, "Something else"."""
    return [part_button(part) for part in available_parts(cards)] + list(extra) + [something_else_button()]


def first_answer_messages(
    content: Content,
    cards: List[Card],
    pronoun: Optional[Text],
    buttons: Optional[List[Dict[Text, Text]]] = None,
    lead: Optional[List[Card]] = None,
) -> List[Message]:
    """The first answer to a subject: the summaries of its lead cards (the cards not given yet,
    at most FIRST_CARDS) and any crisis/abuse pointer, with `buttons` on the last message (by
    default the parts menu; none when the caller asks its own question next)."""
    lead = (lead or cards)[:FIRST_CARDS]
    messages = [summary_message(card, pronoun) for card in lead]
    messages += pointers_of(content, cards, pronoun)
    return attach_buttons(messages, parts_menu(cards) if buttons is None else buttons)


def _unique(items: Iterable[Text]) -> List[Text]:
    seen: List[Text] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def _chunk_lines(heading: Text, lines: List[Text], limit: int = TURN_WORDS) -> List[Text]:
    """A heading and its list, as few bubbles as fit `limit` words each."""
    chunks: List[List[Text]] = []
    for line in lines:
        if not chunks or word_count(" ".join([heading, *chunks[-1], line])) > limit:
            chunks.append([])
        chunks[-1].append(line)
    return [f"{bold(heading)}\n\n" + "\n".join(chunk) for chunk in chunks]


def part_items(content: Content, cards: List[Card], part: Text, pronoun: Optional[Text]) -> List[Text]:
    """Every bubble of one part of the cards' advice, before paging."""
    if part == "steps":
        steps = _unique(fill(step, pronoun) for card in cards for step in card.steps)
        return _chunk_lines(
            message("part_steps_heading"), [f"{i}. {step}" for i, step in enumerate(steps, 1)]
        )
    if part == "scripts":
        return [
            f"{bold(message('part_scripts_heading'))} ({fill(script.label, pronoun)}):\n\n"
            f"> \u201c{fill(script.text, pronoun)}\u201d"
            for card in cards
            for script in card.scripts
        ]
    if part == "warnings":
        warnings = _unique(fill(w, pronoun) for card in cards for w in card.warnings)
        return _chunk_lines(message("part_warnings_heading"), [f"- {w}" for w in warnings])
    if part == "details":
        return [f"{bold(fill(card.title, pronoun))}\n\n{fill(card.text, pronoun)}" for card in cards]
    if part == "source":
        titles = _unique(title for card in cards for title in source_titles(card.sources))
        return [message("part_source_heading") + "\n\n" + "\n".join(f"- {title}" for title in titles)]
    raise ValueError(f"unknown part {part!r}")


def pages(items: List[Text], words: int = TURN_WORDS, bubbles: int = TURN_BUBBLES) -> List[List[Text]]:
    """Items packed into turns of at most `bubbles` bubbles and about `words` words (an item
    longer than that still gets a turn of its own)."""
    packed: List[List[Text]] = []
    for item in items:
        if packed and len(packed[-1]) < bubbles and word_count(" ".join(packed[-1] + [item])) <= words:
            packed[-1].append(item)
        else:
            packed.append([item])
    return packed


def part_messages(
    content: Content,
    cards: List[Card],
    part: Text,
    page: int,
    pronoun: Optional[Text],
    shown: Iterable[Text],
    follow_ups: List[Text],
) -> List[Message]:
    """One page of one part, with the ways on: more of it, the parts not shown yet, or (once
    everything was shown) the follow-up topics; "Something else" always."""
    packed = pages(part_items(content, cards, part, pronoun)) or [[]]
    page = min(max(page, 1), len(packed))
    messages: List[Message] = [{"text": text} for text in packed[page - 1]]
    buttons: List[Dict[Text, Text]] = []
    if page < len(packed):
        buttons.append(part_button(part, page + 1))
    done = set(shown) | {part}
    buttons += [part_button(p) for p in available_parts(cards) if p not in done]
    if len(buttons) < 2:
        buttons += [topic_button(content, t, pronoun) for t in follow_ups[:2]]
    buttons.append(something_else_button())
    return attach_buttons(messages, buttons)


def next_messages(content: Content, pronoun: Optional[Text], follow_ups: List[Text]) -> List[Message]:
    """ "Something else": the subject's follow-up topics and the menu."""
    return [
        {
            "text": message("where_next"),
            "buttons": [topic_button(content, t, pronoun) for t in follow_ups] + [main_menu_button()],
        }
    ]


def pointer_message(content: Content, kind: Text, pronoun: Optional[Text]) -> Message:
    """The line under a card that leads to the crisis reply or the abuse reply, with its button
    (card field `pointer`, texts in topics.yml `pointers`)."""
    pointer = content.registry.pointers[kind]
    return {
        "text": fill(pointer.text, pronoun),
        "buttons": [{"title": fill(pointer.button, pronoun), "payload": pointer.payload}],
    }


def follow_up_ids(cards: Iterable[Card], exclude: Iterable[Text] = (), limit: int = 4) -> List[Text]:
    """Follow-up topics of the cards, in order, without repeats or excluded topics."""
    chosen: List[Text] = []
    excluded = set(exclude)
    for card in cards:
        for topic_id in card.follow_ups:
            if topic_id not in chosen and topic_id not in excluded:
                chosen.append(topic_id)
    return chosen[:limit]


# A topic given earlier in the conversation is recapped, not repeated: the card's title and its
# opening sentences (authored text, nothing generated), at most RECAP_WORDS words in all.
RECAP_WORDS = 60
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def word_count(text: Text) -> int:
    return len(text.split())


def recap_text(card: Card, pronoun: Optional[Text], limit: int = RECAP_WORDS, noted: bool = False) -> Text:
    """ "We went over this earlier" with the card's title and as many sentences of its summary as
    fit in `limit` words (at least the first one: tests/test_content.py checks that it fits).
    `noted`: the user gave a fact ("a few months") that leads to the same advice, so the fact is
    acknowledged instead."""
    if noted:
        intro = message("recap_intro_noted", title=fill(card.title, pronoun))
    else:
        intro = message("recap_intro", title=fill(card.title, pronoun))
    summary = opening_sentences(summary_of(card, pronoun), limit - word_count(intro))
    return f"{intro} {summary}"


def show_in_full_payload(subject: Text) -> Text:
    return '/show_in_full{"recap_subject": "%s"}' % subject


def recap_messages(
    content: Content,
    subject: Text,
    cards: List[Card],
    pronoun: Optional[Text],
    follow_ups: List[Text],
    noted: bool = False,
) -> List[Message]:
    """One short message instead of the cards again, with the way back to them and ways on."""
    buttons = [{"title": message("button_show_again"), "payload": show_in_full_payload(subject)}]
    buttons += [topic_button(content, t, pronoun) for t in follow_ups[:2]]
    buttons.append(main_menu_button())
    return [{"text": recap_text(cards[0], pronoun, noted=noted), "buttons": buttons}]
