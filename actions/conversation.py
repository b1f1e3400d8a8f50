"""Conversation plumbing: the disclaimer at the start of every session, and the menu of what the
advisor can help with (also the reply to off-topic, unclear, empty or non-English input)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.checkins import carried_reminder
from actions.content_store import content
from actions.messages import message
from actions.country import METADATA_KEYS, SLOT as COUNTRY_SLOT, choose_country, latest_metadata
from actions.rendering import scenario_button, topic_button
from actions.safety import (
    doing_better_button,
    line_buttons,
    reconciliation_blocked,
    safe_topics,
    welcome_back_due,
    welcome_back_message,
)
from actions.turns import action_ran_before, action_ran_last_turn, earlier_user_messages, turns_in_a_row
from nlp.answers import matches
from nlp.ex_pronoun import BARE
from nlp.language import english_words, mostly_not_english
from nlp.scenario_intent import user_weighs_a_breakup

english_words()  # load the English word list when the action server starts, not on a user's turn

# Topics offered in the menu next to the scenarios (the rest appear as follow-ups).
MENU_TOPICS = ("should_i_go_back", "no_contact", "reaching_out", "cant_stop_thinking")
NOT_CARRIED_OVER = ("requested_slot",)
MENU_ACTION = "action_explain_scope"


class ActionSessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_disclaimer")
        if welcome_back_due(tracker.slots):
            # Someone who disclosed a crisis comes back: ask how they are, with the lines, once
            # per session (this action runs only when a session starts), until they say they are
            # doing better.
            current = content()
            country = session_country(tracker, current.resources.countries)
            dispatcher.utter_message(
                text=welcome_back_message(current, country),
                buttons=[doing_better_button(), *line_buttons(current, country)],
            )
        # Carry what the user told us (and any safety flag) into the new session.
        carried = [
            SlotSet(name, value)
            for name, value in tracker.slots.items()
            if value is not None and name not in NOT_CARRIED_OVER
        ]
        # A pending check-in too: Rasa drops a reminder that is not in the current session.
        return [SessionStarted(), *carried, *carried_reminder(tracker), ActionExecuted("action_listen")]


def session_country(tracker: Tracker, known) -> Optional[Text]:
    """The user's country when a session starts (actions/country.py): the one they stated, else the
    language the channel sent with the message that starts the session (Rasa passes its metadata
    in `session_started_metadata`), else that of their last message before."""
    metadata = dict(latest_metadata(tracker.events))
    started = tracker.get_slot("session_started_metadata")
    if isinstance(started, dict):
        metadata.update({key: started[key] for key in METADATA_KEYS if started.get(key)})
    return choose_country(tracker.get_slot(COUNTRY_SLOT), metadata, known)


def not_understood(tracker: Tracker) -> bool:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name") == "nlu_fallback"


def anywhere_line(current) -> Text:
    """The international directory of helplines (safety_resources.yml, region "Anywhere")."""
    line = next(l for l in current.resources.crisis if l.region.lower() == "anywhere")
    return message("scope_own_language", contact=line.contact) + " "


def scope_intro(tracker: Tracker) -> Text:
    latest = tracker.latest_message or {}
    text = (latest.get("text") or "").strip()
    intent = (latest.get("intent") or {}).get("name")
    if not text:
        return message("scope_empty") + " "
    if intent in ("nlu_fallback", "out_of_scope"):
        if matches("only_a_link", text):
            return message("scope_link") + " "
        if mostly_not_english(text):
            return message("scope_not_english") + " " + anywhere_line(content())
        if intent == "out_of_scope":
            if action_ran_last_turn(tracker, MENU_ACTION):
                return message("scope_still_not_sure") + " "
            if about_the_known_ex(tracker, text):
                return message("scope_about_the_ex") + " "
            if user_weighs_a_breakup(text):
                return message("scope_still_together") + " "
            if matches("about_a_relationship", text):
                # A post about love or a partner that the classifier put out of scope may still be
                # a breakup told in its own way: "outside what I know" would shut the door on it.
                return message("scope_maybe_a_breakup") + " "
            return message("scope_outside") + " "
        if about_the_known_ex(tracker, text) and not matches("asks_a_question", text):
            return message("scope_heard_about_the_ex") + " "
        if matches("asks_what_to_do", text) or matches("says_lost", text):
            # "idk what to do honestly", mid-triage: a plea for the very help on offer, not a
            # misreading to apologise for.
            if paused_form(tracker):
                return message("scope_what_to_do_mid_form") + " "
            return message("scope_what_to_do") + " "
        return message("scope_not_understood") + " "
    return ""


# "ok", "lol ok", "no" said to nothing in particular, after the advisor has already answered
# something: an acknowledgement, not a request for the whole menu again.
ACKNOWLEDGEMENT_INTENTS = ("affirm", "deny")


# The words that name the ex by the pronoun the conversation uses (nlp/ex_pronoun.py's for he and she).
_EX_WORDS = {**BARE, "they": {"they", "them", "their", "they're", "they’re"}}


def about_the_known_ex(tracker: Tracker, text: Text) -> bool:
    """A message the classifier put outside the advisor's scope, that talks about the ex once the
    breakup is known ("he told me last week he doesn't want to be friends", mid-triage): it is
    not off-topic, only not something the advisor has an answer for."""
    pronoun = tracker.get_slot("ex_pronoun")
    if not pronoun or not (tracker.get_slot("scenario") or tracker.get_slot("who_ended")):
        return False
    return bool(set(text.lower().split()) & _EX_WORDS.get(pronoun, set()))


# How sure the classifier must be of a topic for it to stand against the off-topic reading.
TOPIC_IN_CONTEXT_CONFIDENCE = 0.9


def topic_read_in_context(tracker: Tracker, current) -> Optional[Text]:
    """The topic intent the classifier read in a message that the NLU then put off-topic, when
    the conversation is already about the user's breakup: "was it my fault tho? i did lie to him
    once", after an abuse disclosure, is long and has no breakup word, which makes a first
    message off-topic (nlp/scenario_intent.py), but here it asks the survivor's question."""
    latest = tracker.latest_message or {}
    if (latest.get("intent") or {}).get("name") != "out_of_scope":
        return None
    if not breakup_told(tracker) or earlier_user_messages(tracker) == 0 or paused_form(tracker):
        return None
    ranking = [
        r for r in latest.get("intent_ranking") or [] if r.get("name") not in ("out_of_scope", "nlu_fallback")
    ]
    if not ranking or (ranking[0].get("confidence") or 0) < TOPIC_IN_CONTEXT_CONFIDENCE:
        return None
    name = ranking[0].get("name")
    return name if name in current.topic_by_intent else None


def acknowledged(tracker: Tracker) -> bool:
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    return (
        intent in ACKNOWLEDGEMENT_INTENTS and not paused_form(tracker) and earlier_user_messages(tracker) > 0
    )


def paused_form(tracker: Tracker) -> bool:
    return bool((tracker.active_loop or {}).get("name"))


def breakup_told(tracker: Tracker) -> bool:
    """Whether the user has told what happened: a scenario, who ended it, or a disclosure."""
    return any(tracker.get_slot(s) for s in ("scenario", "who_ended", "safety"))


class ActionGreet(Action):
    """ "hi": the greeting, once per session. The web page opens with it, so a user who then types
    "hi" would get the same paragraph twice in a row: a typed greeting after it gets a short line."""

    def name(self) -> Text:
        return "action_greet"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        greeted = action_ran_before(tracker, self.name(), since_session_start=True)
        typed = not ((tracker.latest_message or {}).get("text") or "").startswith("/")
        # Telegram's /start and the page's opening payload ask for the greeting itself: always whole.
        if not (greeted and typed):
            dispatcher.utter_message(response="utter_greet")
        elif breakup_told(tracker):
            dispatcher.utter_message(text=message("greet_again_told"))
        else:
            dispatcher.utter_message(text=message("greet_again"))
        return []


class ActionSadness(Action):
    """Grief, said without a crisis ("i just cant stop crying"): the kind words once. A second sad
    message right after gets a shorter line, not the same paragraph again."""

    def name(self) -> Text:
        return "action_sadness"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if not action_ran_last_turn(tracker, self.name()):
            dispatcher.utter_message(response="utter_sadness")
        elif tracker.get_slot("scenario"):
            dispatcher.utter_message(text=message("sadness_again_told"))
        else:
            dispatcher.utter_message(text=message("sadness_again"))
        return []


class ActionExplainScope(Action):
    def name(self) -> Text:
        return MENU_ACTION

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        current = content()
        pronoun = tracker.get_slot("ex_pronoun")
        topic_intent = topic_read_in_context(tracker, current)
        if topic_intent:
            # Imported here: actions.advice builds on this module (it falls back to the menu).
            from actions.advice import give_topic_advice

            return give_topic_advice(dispatcher, tracker, domain, topic_intent)
        if acknowledged(tracker):
            dispatcher.utter_message(text=message("scope_acknowledged"))
            return []
        intro = scope_intro(tracker)
        if intro and paused_form(tracker):
            # Mid-form, one short line: the form asks its question again right after, and a
            # menu of eight buttons between the two would bury it.
            dispatcher.utter_message(text=intro.strip())
            return []
        on_subject = subject_just_answered(tracker) if not_understood(tracker) else None
        if on_subject and intro == message("scope_not_understood") + " ":
            # "like just a hey or smth" right after "Reaching out": the parts of that answer,
            # where the user most likely is, rather than the whole menu of scenarios.
            title, buttons = on_subject
            dispatcher.utter_message(
                text=message("scope_not_understood_on_subject", title=title), buttons=buttons
            )
            return []
        in_a_row = turns_in_a_row(tracker, MENU_ACTION) if intro else 0
        if in_a_row >= 2:
            # A third off-topic or unreadable message in a row: the same menu again would be a
            # loop. One short, different line, and the door left open; after that, a shorter one.
            line = message("scope_third_time") if in_a_row == 2 else message("scope_still_here")
            dispatcher.utter_message(text=line)
            return []
        if reconciliation_blocked(tracker):
            buttons = [topic_button(current, t, pronoun) for t in safe_topics(current)]
            what = message("scope_what_after_abuse")
        else:
            buttons = [scenario_button(current, s, pronoun) for s in current.registry.scenarios] + [
                topic_button(current, t, pronoun) for t in MENU_TOPICS
            ]
            what = message("scope_what")
        told = breakup_told(tracker)
        menu = (
            message("scope_menu_known", intro=intro, what=what)
            if told
            else message("scope_menu", intro=intro, what=what)
        )
        dispatcher.utter_message(
            text=menu,
            buttons=buttons,
        )
        if not_understood(tracker) or action_ran_last_turn(tracker, MENU_ACTION):
            # One message for a message not understood, and when the menu was just shown: the
            # tools row is for "help", and the same two messages turn after turn read as a loop.
            return []
        dispatcher.utter_message(
            text=message("scope_tools"),
            buttons=tool_buttons(blocked=reconciliation_blocked(tracker)),
        )
        return []


# The actions that give a scenario's or topic's advice, or a part of it.
ANSWER_ACTIONS = (
    "action_give_scenario_advice",
    "action_give_topic_advice",
    "action_show_in_full",
    "action_show_part",
)


def subject_just_answered(tracker: Tracker) -> Optional[Tuple[Text, List[Dict[Text, Text]]]]:
    """The title and part buttons of the subject answered in the previous turn, when there is
    one (through the safety gate), else None."""
    subject_id = tracker.get_slot("open_subject")
    if not subject_id or not any(action_ran_last_turn(tracker, name) for name in ANSWER_ACTIONS):
        return None
    # Imported here: actions.advice builds on this module (it falls back to the menu).
    from actions.advice import gated_subject
    from actions.pronouns import fill
    from actions.rendering import parts_menu

    subject = gated_subject(tracker, content(), subject_id)
    if subject is None or not subject.cards:
        return None
    title = fill(subject.cards[0].title, tracker.get_slot("ex_pronoun"))
    return title, parts_menu(subject.cards)


def tool_buttons(blocked: bool) -> List[Dict[Text, Text]]:
    """The menu's second row: the tools that follow the user over time. The "should I go back?"
    check and the message check are left out after abuse, like every reconciliation topic."""
    tools = [
        (message("button_count_days"), "/ask_no_contact_day"),
        (message("button_help_me_decide"), "/start_assessment"),
        (message("button_check_message"), "/check_message"),
        (message("button_a_reflection"), "/start_reflection"),
        (message("button_show_plan"), "/show_plan"),
    ]
    return [
        {"title": title, "payload": payload}
        for title, payload in tools
        if not (blocked and payload in ("/start_assessment", "/check_message"))
    ]
