"""Playing the advisor end to end over REST: the realistic message set (realistic.py) and
multi-turn dialogues with per-turn checks (dialogues.py)."""
