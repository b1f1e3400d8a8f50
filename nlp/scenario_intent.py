"""The scenario intents agree with the facts the rule patterns read, or say nothing.

The four scenario intents each fill a triage fact (domain/triage.yml): they_broke_up -> the ex
ended it, i_broke_up -> the user did, broke_up_again -> not the first breakup, ex_hot_and_cold ->
mixed signals. On a long post one everyday word can tip the classifier ("trying again" looks like
broke_up_again, "my ex and I broke up" like i_broke_up), and a wrong fact gives a wrong scenario,
which is worse than asking. So:
- when the patterns decide the scenario, the scenario intent is the one of that scenario
  ("Jake dumped me ... my friend thinks he will come back" is they_broke_up, whatever the
  classifier leaned to);
- when they don't, a scenario intent the classifier is not sure of becomes want_ex_back: the
  triage starts and asks who ended it instead of assuming.
Other intents (topics, smalltalk, safety) are left alone.
"""
from __future__ import annotations

from typing import Dict, Optional, Text

from actions.situation import infer_scenario

INTENT_OF_SCENARIO = {
    "he_broke_up": "they_broke_up",
    "you_broke_up": "i_broke_up",
    "hot_and_cold": "ex_hot_and_cold",
    "second_breakup": "broke_up_again",
}
SCENARIO_INTENTS = frozenset(INTENT_OF_SCENARIO.values())
UNSURE_INTENT = "want_ex_back"
# Below this confidence a scenario intent with no fact behind it is not trusted.
MIN_CONFIDENCE = 0.9


def scenario_intent(facts: Dict[Text, Text], predicted: Optional[Text],
                    confidence: float) -> Optional[Text]:
    """The intent to use instead of `predicted`, or None to keep it.

    `facts` maps the message's entity labels to their first value."""
    if predicted not in SCENARIO_INTENTS:
        return None
    scenario = infer_scenario(facts.get("who_ended"), facts.get("breakup_count"),
                              facts.get("ex_behaviour"))
    if scenario is not None:
        wanted = INTENT_OF_SCENARIO[scenario]
        return wanted if wanted != predicted else None
    if confidence < MIN_CONFIDENCE:
        return UNSURE_INTENT
    return None
