"""Custom actions of the breakup advisor (served by `rasa run actions`).

Modules by concern:
- content_store: loads and validates the advice content in actions/content/ (schema, reload)
- pronouns: fills he/she/they into authored text
- rendering: turns advice cards into chat messages with follow-up buttons
- situation: the scenario rules and the parsing of "how long ago"
- safety: crisis and abuse replies, and the gate that blocks reconciliation advice after abuse
- triage: the triage form's extraction and validation
- advice: scenario and topic advice actions
- conversation: session start (disclaimer) and the "what I can help with" menu
- privacy: "delete my data" (confirmation, then the conversation store erases the conversation)
- clock: today and the check-in day length (settable by tests)
- no_contact, no_contact_dates, no_contact_content: the no-contact tracker
- checkins: check-ins scheduled as Rasa reminders
- form_digressions: asides in the forms ("why do you ask?", questions mid-form, "just tell me")
"""
