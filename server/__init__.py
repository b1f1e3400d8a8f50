"""Rasa-server-side code of the advisor (loaded by `rasa run`, not by the action server)."""
