"""A request to check a message, with the draft in the same message: "should I send this: hey,
how have you been?". The lead-in phrases are patterns (nlp/patterns/workshop.yml, id `lead_in`);
the draft is what follows the lead-in after a colon, a quote or a line break (a dash only after
"this" / "my draft", a question mark only before a line break or a quote). Used by the NLU (nlp/breakup_facts.py: such a message asks to check a message, whatever the
draft says) and by the workshop (actions/workshop.py: the draft to check).
"""

from __future__ import annotations

from typing import Any, Optional, Text

from nlp.build_pipeline import draft_spans

# The lead-in starts within the first few words ("hey, should I send this: ...").
MAX_LEAD_START = 4
SEPARATORS = ":-\u2013\u2014\"'\u201c\u2018?\n"
QUOTES = "\"'\u201c\u201d\u2018\u2019"
DASHES = "-\u2013\u2014"
# A lead-in that points at the draft ("send this", "my draft"): only then may a dash introduce it.
POINTS_AT_DRAFT = frozenset({"this", "that", "following", "draft"})


def _introduces(span, rest: Text) -> bool:
    """Whether what follows the lead-in starts a draft: a colon, a quote or a line break; a dash
    after "this"/"my draft"; a question mark only when a line break, colon or quote follows it
    ("should I text him? I miss him" is a question and its context, not a draft)."""
    after = rest.lstrip(" \t")
    if not after:
        return False
    first = after[0]
    if first in ":\n\r" or first in QUOTES:
        return True
    if first in DASHES:
        return any(t.lower_ in POINTS_AT_DRAFT for t in span)
    if first == "?":
        following = after.lstrip("?! \t")
        return bool(following) and (following[0] in ":\n\r" or following[0] in QUOTES)
    return False


def inline_draft(doc: Any) -> Optional[Text]:
    """The draft that follows a lead-in, or None when the message is only the request."""
    text = doc.text
    for span in draft_spans(doc):
        if span.id_ != "lead_in" or span.start > MAX_LEAD_START:
            continue
        rest = text[span.end_char :]
        if not _introduces(span, rest):
            continue
        stripped = rest.lstrip(" \t")
        draft = stripped.lstrip(SEPARATORS + " \t\r\n")
        opened = any(c in QUOTES for c in stripped[: len(stripped) - len(draft)])
        draft = draft.strip()
        if opened and draft and draft[-1] in QUOTES:
            draft = draft[:-1].strip()
        if any(c.isalpha() for c in draft):
            return draft
    return None


def is_quit(doc: Any) -> bool:
    """Whether the whole message is "done", "cancel", "never mind" and the like."""
    words = [t for t in doc if not t.is_punct and not t.is_space]
    return (
        any(
            span.id_ == "quit" and span.start <= words[0].i and span.end > words[-1].i
            for span in draft_spans(doc)
        )
        if words
        else False
    )
