"""Safety first, in every flow.

- Crisis language: a warm reply with crisis lines at once, and no breakup advice in that turn.
- Abuse, violence, threats, sexual coercion or control: say kindly that the articles advise against
  going back, give domestic-abuse lines, and from then on never give reconciliation advice
  (`reconciliation_blocked` is the one gate every advice action passes through).
- After abuse, what may be shown is a property of the content: every card says `after_abuse:
  safe|blocked`. The survivor's path (topics.yml `survivor_path`) is offered first; a blocked topic
  with a fitting survivor topic (`after_abuse_instead`) answers with that one.
The lines come from content/safety_resources.yml: the user's country's lines first (see
actions/country.py for where the country comes from), then the international directory. The
words around them are in content/messages.yml (actions/messages.py).
"""

from __future__ import annotations

import re

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.content_store import Content, content
from actions.country import directory, lines_for, user_country
from actions.messages import message
from actions.rendering import topic_button
from actions.situation import facts_stated

CRISIS = "crisis"
ABUSE = "abuse"
SAFETY_INTENTS = ("express_crisis", "disclose_abuse")
# Set once a crisis was disclosed and kept after abuse is recorded in `safety`: every later
# session opens by asking how the user is (action_session_start).
CRISIS_DISCLOSED = "crisis_disclosed"
# Set when the user says they are doing better ("I'm doing better now", the welcome-back's button):
# later sessions then open without the welcome-back. A new crisis disclosure clears it.
DOING_BETTER = "doing_better"


def doing_better_button() -> Dict[Text, Text]:
    return {"title": message("button_doing_better"), "payload": "/feeling_better"}


def reconciliation_blocked(tracker: Tracker) -> bool:
    return tracker.get_slot("safety") == ABUSE


def crisis_recorded(tracker: Tracker) -> List[EventType]:
    """The events that record a crisis disclosure. Abuse stays recorded in `safety` (it is what
    blocks reconciliation advice); `crisis_disclosed` keeps the crisis beside it."""
    events: List[EventType] = [SlotSet(CRISIS_DISCLOSED, True), SlotSet(DOING_BETTER, None)]
    if tracker.get_slot("safety") != ABUSE:
        events.insert(0, SlotSet("safety", CRISIS))
    return events


def crisis_remembered(slots: Dict[Text, Any]) -> bool:
    """Whether a crisis was disclosed in this conversation (in any session)."""
    return slots.get("safety") == CRISIS or bool(slots.get(CRISIS_DISCLOSED))


def welcome_back_due(slots: Dict[Text, Any]) -> bool:
    """Whether a new session opens by asking how the user is: a crisis was disclosed and the user
    has not said since that they are doing better."""
    return crisis_remembered(slots) and not slots.get(DOING_BETTER)


def safe_topics(content: Content) -> List[Text]:
    """Topics that may be given after abuse (their main card is `after_abuse: safe`): the
    survivor's path first, in its order, then the others."""
    path = list(content.registry.survivor_path)
    return path + [t for t in content.registry.topics if t not in path and content.cleared_after_abuse(t)]


def survivor_path(content: Content) -> List[Text]:
    """The topics offered right after a disclosure of abuse."""
    return list(content.registry.survivor_path)


def topic_after_abuse(content: Content, topic_id: Text) -> Optional[Text]:
    """The topic to answer with once abuse was disclosed: the topic itself when it is cleared,
    else its survivor counterpart (`after_abuse_instead`), else None (the blocked reply)."""
    if content.cleared_after_abuse(topic_id):
        return topic_id
    return content.registry.topics[topic_id].after_abuse_instead


def follow_ups_after_abuse(content: Content, topic_ids: List[Text], exclude: List[Text] = ()) -> List[Text]:
    """Follow-up topics fit to offer after abuse: cleared ones kept, the others replaced by their
    survivor counterpart or dropped, without repeats."""
    chosen: List[Text] = []
    for tid in topic_ids:
        fit = topic_after_abuse(content, tid)
        if fit and fit not in chosen and fit not in exclude:
            chosen.append(fit)
    return chosen


# --- the lines, the user's country first ------------------------------------------------------

CHOOSE_COUNTRY = "choose_country"


def country_payload(code: Optional[Text] = None) -> Text:
    return f"/{CHOOSE_COUNTRY}" + (f'{{"country":"{code}"}}' if code else "")


def another_country_button() -> Dict[Text, Text]:
    return {"title": message("button_another_country"), "payload": country_payload()}


def country_buttons(content: Content, exclude: Optional[Text] = None) -> List[Dict[Text, Text]]:
    return [
        {"title": name, "payload": country_payload(code)}
        for code, name in content.resources.countries.items()
        if code != exclude
    ]


def lines_text(content: Content, kind: Text, country: Optional[Text]) -> Text:
    """The user's country's lines, then the international directory."""
    lines = getattr(content.resources, kind)
    return "\n".join(
        message("resource_line", region=line.region, service=line.service, contact=line.contact)
        for line in lines_for(lines, country) + directory(lines)
    )


def emergency_line(content: Content, country: Optional[Text] = None) -> Text:
    numbers = message("or").join(e.number for e in lines_for(content.resources.emergency, country))
    return message("emergency_line", numbers=numbers or message("emergency_number_unknown"))


def line_buttons(content: Content, country: Optional[Text]) -> List[Dict[Text, Text]]:
    """With a known country, one button for the others; without, a button per country."""
    return [another_country_button()] if country else country_buttons(content)


def _pick_note(country: Optional[Text]) -> Text:
    return "" if country else "\n" + message("pick_country_note")


def crisis_message(content: Content, country: Optional[Text] = None) -> Text:
    return message(
        "crisis_reply",
        lines=lines_text(content, "crisis", country),
        emergency=emergency_line(content, country),
        pick_note=_pick_note(country),
    )


def crisis_lines_message(content: Content, country: Optional[Text] = None) -> Text:
    """The crisis lines on request, without the alarm: the user's country's first."""
    return message(
        "crisis_lines",
        lines=lines_text(content, "crisis", country),
        emergency=emergency_line(content, country),
        pick_note=_pick_note(country),
    )


def welcome_back_message(content: Content, country: Optional[Text] = None) -> Text:
    """The first words of a later session after a crisis was disclosed. Worded so that it says
    nothing explicit to anyone else who sees the screen."""
    return message(
        "welcome_back",
        lines=lines_text(content, "crisis", country),
        emergency=emergency_line(content, country),
        pick_note=_pick_note(country),
    )


def abuse_message(content: Content, country: Optional[Text] = None, threat_to_self: bool = False) -> Text:
    return message(
        "abuse_reply",
        threat_note=message("abuse_threat_to_self_note") + "\n\n" if threat_to_self else "",
        lines=lines_text(content, "abuse", country),
        emergency=emergency_line(content, country),
        pick_note=_pick_note(country),
    )


# "he says he'll kill himself if I don't take him back": a threat of self-harm used to control.
_SELF = re.compile(r"\b(him|her|them)sel(f|ves)\b|\bthemself\b|\b(his|her|their) (own )?life\b")


def threatens_self_harm(tracker: Tracker) -> bool:
    """Whether a threat the patterns read in the latest message is the ex threatening to harm
    themselves (a way to control, and a person who may be in danger)."""
    latest = tracker.latest_message or {}
    text = latest.get("text") or ""
    for entity in latest.get("entities") or []:
        start, end = entity.get("start"), entity.get("end")
        if entity.get("entity") == "red_flag" and entity.get("value") == "threat" and isinstance(start, int):
            # the span and the few words after it: "threatened to end | her life"
            if _SELF.search(text[start : (end or start) + 20].lower()):
                return True
    return False


def blocked_message() -> Text:
    return message("blocked_reply")


def facts_kept(tracker: Tracker) -> List[EventType]:
    """The triage facts the safety turn's own words state, kept for later (see facts_stated)."""
    entities = tracker.latest_message.get("entities") or []
    updates = facts_stated(entities, tracker.current_slot_values())
    events = [SlotSet(slot, value) for slot, value in updates.items()]
    said = pronoun_said(tracker)
    if tracker.get_slot("ex_pronoun") is None and said:
        # Rasa's own mapping skips it while a form waits ("he used to go through my phone" in the
        # check): the survivor's topics that follow would say "they" for a man just named "he".
        events.append(SlotSet("ex_pronoun", said))
    return events


def pronoun_said(tracker: Tracker) -> Optional[Text]:
    """The ex's pronoun: the one known, else the one the latest message uses for the ex."""
    known = tracker.get_slot("ex_pronoun")
    if known:
        return known
    entities = tracker.latest_message.get("entities") or []
    said = next((e.get("value") for e in entities if e.get("entity") == "ex_pronoun"), None)
    return said if said in ("he", "she", "they") else None


def _end_triage(tracker: Tracker) -> List[EventType]:
    # Always emitted (a no-op outside the form), so the rules for "at any turn" and "mid-triage"
    # agree on what these actions do to the active loop.
    return [ActiveLoop(None), SlotSet("requested_slot", None)]


class ActionRespondToCrisis(Action):
    def name(self) -> Text:
        return "action_respond_to_crisis"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        current = content()
        country = user_country(tracker, current.resources.countries)
        dispatcher.utter_message(
            text=crisis_message(current, country), buttons=line_buttons(current, country)
        )
        return _end_triage(tracker) + crisis_recorded(tracker) + facts_kept(tracker)


class ActionRespondToAbuse(Action):
    def name(self) -> Text:
        return "action_respond_to_abuse"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        current = content()
        pronoun = pronoun_said(tracker)
        country = user_country(tracker, current.resources.countries)
        dispatcher.utter_message(
            text=abuse_message(current, country, threat_to_self=threatens_self_harm(tracker)),
            buttons=line_buttons(current, country),
        )
        dispatcher.utter_message(
            text=message("abuse_survivor_offer"),
            buttons=[topic_button(current, t, pronoun) for t in survivor_path(current)],
        )
        return _end_triage(tracker) + [SlotSet("safety", ABUSE)] + facts_kept(tracker)


def blocked_reply(
    dispatcher: CollectingDispatcher, tracker: Tracker, current: Optional[Content] = None
) -> None:
    """What any advice action says instead of reconciliation advice after abuse was disclosed:
    one message, the lines of the user's country (or the directory) and the survivor's topics."""
    current = current or content()
    pronoun = tracker.get_slot("ex_pronoun")
    country = user_country(tracker, current.resources.countries)
    dispatcher.utter_message(
        text=message(
            "blocked_reply_with_lines", blocked=blocked_message(), lines=lines_text(current, ABUSE, country)
        ),
        buttons=[topic_button(current, t, pronoun) for t in survivor_path(current)],
    )


class ActionShowCountryLines(Action):
    """The "another country" button, or the user saying where they are: without a country, a
    button per country; with one (a button, or a country the user named), after a crisis or
    abuse reply that country's lines (abuse lines after abuse was disclosed, else crisis lines),
    and before any, a short thanks."""

    def name(self) -> Text:
        return "action_show_country_lines"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        current = content()
        countries = current.resources.countries
        picked = next(
            (
                e.get("value")
                for e in tracker.latest_message.get("entities") or []
                if e.get("entity") == "country" and e.get("value") in countries
            ),
            None,
        )
        if picked is None:
            dispatcher.utter_message(text=message("ask_country"), buttons=country_buttons(current))
            return []
        if tracker.get_slot("safety") is None:  # said where they live, nothing to answer yet
            dispatcher.utter_message(text=message("country_noted", country=countries[picked]))
            return [SlotSet("user_country", picked)]
        kind = ABUSE if tracker.get_slot("safety") == ABUSE else CRISIS
        dispatcher.utter_message(
            text=message(
                "country_lines",
                country=countries[picked],
                lines=lines_text(current, kind, picked),
                emergency=emergency_line(current, picked),
            ),
            buttons=[another_country_button()],
        )
        return [SlotSet("user_country", picked)]
