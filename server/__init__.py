"""Code that runs inside the Rasa server: the conversation store, failure handling, the launcher
and the retention command."""
