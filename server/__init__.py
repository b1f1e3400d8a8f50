"""Code that runs inside the Rasa server process: the conversation store, the changes to Rasa
(installed by runtime.py), the check-ins rescheduled at start-up, and the warnings filter every
`rasa` command starts through (quiet.py). The tools that start or maintain servers are in ops/."""
