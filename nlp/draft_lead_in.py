"""A request to check a message, with the draft in the same message: "should I send this: hey,
how have you been?". The lead-in phrases are patterns (nlp/patterns/workshop.yml, id `lead_in`);
the draft is what follows the lead-in after a colon, a dash, a quote, a question mark or a line
break. Used by the NLU (nlp/breakup_facts.py: such a message asks to check a message, whatever the
draft says) and by the workshop (actions/workshop.py: the draft to check).
"""
from __future__ import annotations

from typing import Any, Optional, Text

from nlp.build_pipeline import draft_spans

# The lead-in starts within the first few words ("hey, should I send this: ...").
MAX_LEAD_START = 4
SEPARATORS = ":-\u2013\u2014\"'\u201c\u2018?\n"
QUOTES = "\"'\u201c\u201d\u2018\u2019"


def inline_draft(doc: Any) -> Optional[Text]:
    """The draft that follows a lead-in, or None when the message is only the request."""
    text = doc.text
    for span in draft_spans(doc):
        if span.id_ != "lead_in" or span.start > MAX_LEAD_START:
            continue
        rest = text[span.end_char:]
        stripped = rest.lstrip(" \t")
        if not stripped or stripped[0] not in SEPARATORS:
            continue
        draft = stripped.lstrip(SEPARATORS + " \t\r\n")
        opened = any(c in QUOTES for c in stripped[:len(stripped) - len(draft)])
        draft = draft.strip()
        if opened and draft and draft[-1] in QUOTES:
            draft = draft[:-1].strip()
        if any(c.isalpha() for c in draft):
            return draft
    return None


def is_quit(doc: Any) -> bool:
    """Whether the whole message is "done", "cancel", "never mind" and the like."""
    words = [t for t in doc if not t.is_punct and not t.is_space]
    return any(span.id_ == "quit" and span.start <= words[0].i and span.end > words[-1].i
               for span in draft_spans(doc)) if words else False
