"""Scripted multi-turn conversations for the benchmark, each turn a message (typed text or a button
payload) and a piece of text the reply must contain (None: any non-empty reply).

The advisor's scripts walk its real flows: a triage to scenario advice and a follow-up button,
crisis language in the middle of the triage, abuse disclosed and then a reconciliation question,
and typed topic questions. The stock assistant's scripts are the flows `rasa init` ships with.
The echo server gets the advisor's messages.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

Turn = Tuple[str, Optional[str]]
Script = List[Turn]

ADVISOR: List[Script] = [
    [  # triage with buttons, scenario advice, a follow-up topic by button
        ("my boyfriend dumped me three weeks ago", "first time"),
        ("yes, the first time", "How does your ex act"),
        ('/inform{"ex_behaviour":"silent"}', "Source: "),
        ("/ask_no_contact", "Source: "),
        ("thanks a lot", None),
    ],
    [  # the safety turn in the middle of the triage
        ("hello", "Hi, I'm here"),
        ("my wife left me", None),
        ("i can't do this anymore, i want to kill myself", "988"),
        ("thank you", None),
    ],
    [  # abuse disclosed, then reconciliation is refused, healing is offered
        ("he choked me last month during a fight", "1-800-799-7233"),
        ("how do i text him after no contact", "won't help"),
        ("/ask_healing", None),
    ],
    [  # typed topic questions and the menu
        ("what are the odds we get back together?", "Source: "),
        ("/ask_should_i_go_back", "Source: "),
        ("i can't stop thinking about her", None),
        ("what can you help me with?", None),
        ("bye", None),
    ],
]

STOCK: List[Script] = [
    [("hi", "How are you?"), ("I am sad", "cheer you up"), ("yes", "carry on"), ("bye", "Bye")],
    [
        ("hello there", "How are you?"),
        ("great", "carry on"),
        ("are you a bot?", "I am a bot"),
        ("goodbye", "Bye"),
    ],
    [("hey", "How are you?"), ("not good", "cheer you up"), ("no", "Bye")],
]

ECHO: List[Script] = [[(message, message) for message, _ in script] for script in ADVISOR]

# The first answer that proves a server is up, per system: (message, text the reply contains).
PROBES = {
    "advisor": ("hello", "Hi, I'm here"),
    "stock": ("hi", "How are you?"),
    "echo": ("ping", "ping"),
}
