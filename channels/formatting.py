"""How a bot message is shown in each channel: the one place that renders the advisor's text.

Actions write one message per bubble in a small Markdown subset (actions/rendering.py):
**bold** headings, numbered lines ("1. "), bullet lines ("- "), and a script to copy as a quote
line ("> \u201cI'm sorry...\u201d"). Each channel gets it in its native form:

- the web widget (rasa-webchat renders Markdown): as written;
- Telegram: HTML (parse_mode "HTML"), everything escaped first so nothing a user typed is ever
  read as markup; a script becomes <code>, which Telegram copies with one tap;
- REST and the terminal (`rasa shell`): plain text, the markers removed.

Rasa's own channels cut a message into several bubbles at every blank line; ours send one
message as one bubble, so a heading stays with its list.
"""

from __future__ import annotations

import html
import re
from typing import Text

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_QUOTE = re.compile(r"^> ?(.*)$", re.MULTILINE)
_BULLET = re.compile(r"^- ", re.MULTILINE)
_QUOTED = re.compile(r"^\u201c(.*)\u201d$", re.DOTALL)


def web_markdown(text: Text) -> Text:
    return text


def plain(text: Text) -> Text:
    """For a terminal or a REST client: no markers, the script in its quotation marks."""
    text = _BOLD.sub(r"\1", text)
    return _QUOTE.sub(lambda m: "    " + m.group(1), text)


def telegram_html(text: Text) -> Text:
    """Telegram HTML: escaped text, <b> headings, "•" bullets, scripts in <code> (tap to copy)."""
    escaped = html.escape(text, quote=False)
    escaped = _BOLD.sub(r"<b>\1</b>", escaped)
    escaped = _BULLET.sub("\u2022 ", escaped)

    def script(match: "re.Match[Text]") -> Text:
        inner = match.group(1).strip()
        quoted = _QUOTED.match(inner)
        return f"<code>{quoted.group(1) if quoted else inner}</code>"

    # "> " arrives escaped as "&gt; ".
    return re.sub(r"^&gt; ?(.*)$", script, escaped, flags=re.MULTILINE)
