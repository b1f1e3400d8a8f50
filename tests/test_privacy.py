"""Privacy: "delete my data" erases the whole conversation from the conversation store (SQLite and
PostgreSQL), the retention command deletes only idle conversations, and the logs at the default
level never hold what the user wrote."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import uuid

import pytest
import sqlalchemy as sa

import postgres
from servers import ENV, ROOT, Chat, Stack, buttons_of, text_of

PG_DB = "advisor_privacy_test"


# -- the store itself ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rasa_domain():
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request, tmp_path_factory):
    if request.param == "sqlite":
        yield {"dialect": "sqlite", "db": str(tmp_path_factory.mktemp("store") / "conversations.db")}
    else:
        yield from postgres.database(PG_DB)


def make_store(settings, domain):
    from server.tracker_store import AdvisorSQLTrackerStore

    return AdvisorSQLTrackerStore(domain=domain, **settings)


def rows(store, sender):
    with store.engine.connect() as connection:
        return connection.execute(
            sa.text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}
        ).scalar()


def conversation(sender, domain, texts, start=None):
    from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker(sender, domain.slots)
    t = start or time.time()
    tracker.update(ActionExecuted("action_session_start", timestamp=t))
    tracker.update(SessionStarted(timestamp=t))
    for i, text in enumerate(texts):
        tracker.update(UserUttered(text, {"name": "inform", "confidence": 1.0}, timestamp=t + i + 1))
        tracker.update(SlotSet("who_ended", "ex", timestamp=t + i + 1))
    return tracker


def test_the_store_deletes_a_conversation_when_the_user_confirms(backend, rasa_domain):
    from rasa.shared.core.events import SlotSet

    store = make_store(backend, rasa_domain)
    keep, forget = f"keep-{uuid.uuid4().hex[:6]}", f"forget-{uuid.uuid4().hex[:6]}"
    asyncio.run(store.save(conversation(keep, rasa_domain, ["my ex left"])))
    tracker = conversation(forget, rasa_domain, ["my ex left", "two weeks ago"])
    asyncio.run(store.save(tracker))
    assert rows(store, forget) == 6 and rows(store, keep) == 4

    tracker.update(SlotSet("forget_confirmed", False))  # not the marker: stored as usual
    asyncio.run(store.save(tracker))
    assert rows(store, forget) == 7
    tracker.update(SlotSet("forget_confirmed", True))
    asyncio.run(store.save(tracker))
    assert rows(store, forget) == 0, "every event of the conversation is deleted"
    assert asyncio.run(store.retrieve(forget)) is None
    assert rows(store, keep) == 4, "other conversations are untouched"


def test_forgetting_cancels_the_pending_reminders_of_that_conversation(backend, rasa_domain):
    from rasa.core import jobs
    from server.tracker_store import cancel_reminders

    async def scenario():
        import datetime

        jobs.kill_scheduler()  # one made on another test's event loop
        scheduler = await jobs.scheduler()
        when = datetime.datetime.now() + datetime.timedelta(hours=1)
        for sender in ("a", "b", "a"):
            scheduler.add_job(print, "date", run_date=when, args=[None, sender, None])
        removed = await cancel_reminders("a")
        left = [job.args[1] for job in scheduler.get_jobs()]
        jobs.kill_scheduler()
        return removed, left

    assert asyncio.run(scenario()) == (2, ["b"])


def test_a_reminder_of_a_deleted_conversation_is_dropped_without_a_new_session(backend, rasa_domain):
    """On any server (reminders live in one server's memory): no disclaimer, nothing stored."""
    from types import SimpleNamespace

    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.events import ReminderScheduled
    from server import resilience

    resilience.install()
    store = make_store(backend, rasa_domain)
    sender = f"gone-{uuid.uuid4().hex[:6]}"
    # no lock_store, no domain: the original handler would fail at once if it were reached
    processor = SimpleNamespace(tracker_store=store)
    reminder = ReminderScheduled("EXTERNAL_checkin", jobs_datetime_now())
    assert asyncio.run(MessageProcessor.handle_reminder(processor, reminder, sender, None)) is None
    assert rows(store, sender) == 0
    asyncio.run(store.save(conversation(sender, rasa_domain, ["hi"])))
    with pytest.raises(AttributeError):  # a live conversation goes on to Rasa's handler
        asyncio.run(MessageProcessor.handle_reminder(processor, reminder, sender, None))


def jobs_datetime_now():
    import datetime

    return datetime.datetime.now()


# -- the retention command ----------------------------------------------------------------------


def retention(endpoints, *args):
    result = subprocess.run(
        [sys.executable, "-m", "ops.retention", "--endpoints", str(endpoints), *args],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_retention_deletes_only_conversations_idle_for_longer_than_n_days(backend, rasa_domain, tmp_path):
    store = make_store(backend, rasa_domain)
    day = 86400
    now = time.time()
    old = [f"old-{i}-{uuid.uuid4().hex[:6]}" for i in range(3)]
    recent = [f"recent-{i}-{uuid.uuid4().hex[:6]}" for i in range(2)]
    for sender in old:
        asyncio.run(store.save(conversation(sender, rasa_domain, ["hi", "my ex"], start=now - 120 * day)))
    for sender in recent:
        asyncio.run(store.save(conversation(sender, rasa_domain, ["hi"], start=now - 10 * day)))
    # began long ago but spoke yesterday: not idle
    revived = f"revived-{uuid.uuid4().hex[:6]}"
    tracker = conversation(revived, rasa_domain, ["hi"], start=now - 200 * day)
    asyncio.run(store.save(tracker))
    from rasa.shared.core.events import UserUttered

    tracker.update(UserUttered("still here", {"name": "greet", "confidence": 1.0}, timestamp=now - day))
    asyncio.run(store.save(tracker))
    ours = old + recent + [revived]
    others = set(asyncio.run(store.keys())) - set(ours)

    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(postgres.endpoints_yaml(backend))
    dry = retention(endpoints, "--days", "90", "--dry-run")
    assert "dry run" in dry and all(rows(store, s) > 0 for s in ours)
    said = retention(endpoints, "--days", "90")
    assert "deleted" in said, said
    assert [rows(store, s) for s in old] == [0, 0, 0]
    assert all(rows(store, s) > 0 for s in recent + [revived])
    assert set(asyncio.run(store.keys())) - set(ours) <= others
    if not others:  # a fresh database: the counts printed are exactly ours
        assert "deleted 3 of 6 conversations" in said and "3 kept" in said, said
        assert "3 of 6 conversations idle" in dry, dry


# -- end to end: "delete my data" over the REST channel, and what the logs hold -----------------


@pytest.fixture(scope="module")
def stack(backend, request, tmp_path_factory):
    """SQLite: the shared stack (the shipped store), its database in `store`. PostgreSQL: a stack of
    its own on `backend`'s database."""
    if backend["dialect"] == "sqlite":
        shared = request.getfixturevalue("default_stack").from_here()
        shared.store = {"dialect": "sqlite", "db": str(shared.db)}
        shared.written_out = shared.settle  # it runs on for other tests: its logs come as written
        yield shared
        return
    stack = Stack(
        tmp_path_factory.mktemp(f"privacy-{backend['dialect']}"),
        extra_endpoints=postgres.endpoints_yaml(backend),
    )
    stack.store = backend
    stack.written_out = stack.stop  # every log line is written out
    try:
        yield stack.start()
    finally:
        stack.stop()


def stored(settings, sender):
    from rasa.shared.core.domain import Domain

    store = make_store(settings, Domain.load(str(ROOT / "domain")))
    with store.engine.connect() as connection:
        texts = (
            connection.execute(
                sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
            )
            .scalars()
            .all()
        )
    store.engine.dispose()
    return texts


def test_delete_my_data_mid_triage_asks_first_then_erases_everything(stack):
    chat = Chat(stack.rest_url)
    secret = f"zqx{uuid.uuid4().hex[:8]}"
    chat.say(f"my boyfriend {secret} dumped me two weeks ago")
    assert any(secret in row for row in stored(stack.store, chat.sender))

    asked = chat.say("erase everything i told you")
    assert "delete our whole conversation" in text_of(asked)
    assert buttons_of(asked) == ["/forget_confirm", "/forget_cancel"]
    kept = chat.say("/forget_cancel")
    assert "haven't deleted anything" in text_of(kept)
    assert any(secret in row for row in stored(stack.store, chat.sender)), "no means nothing is deleted"

    assert "delete our whole conversation" in text_of(chat.say("delete my conversation"))
    done = chat.say("yes")
    assert "deleted our whole conversation" in text_of(done)
    assert stored(stack.store, chat.sender) == [], "nothing of the conversation is left"

    again = chat.say("hi")  # a blank page: the session starts anew
    assert "not a therapist" in text_of(again)
    rows_now = stored(stack.store, chat.sender)
    assert rows_now and not any(secret in row for row in rows_now)
    assert not any('"who_ended"' in row and '"ex"' in row for row in rows_now)


def test_delete_works_after_abuse_is_disclosed(stack):
    chat = Chat(stack.rest_url)
    chat.say("he hit me when i said i wanted to leave")
    assert "delete our whole conversation" in text_of(chat.say("forget me"))
    assert "deleted our whole conversation" in text_of(chat.say("/forget_confirm"))
    assert stored(stack.store, chat.sender) == []


def test_logs_at_the_default_level_never_hold_the_message_text(stack):
    chat = Chat(stack.rest_url)
    markers = [f"mrk{uuid.uuid4().hex[:10]}" for _ in range(4)]
    chat.say(f"my girlfriend {markers[0]} left me")
    chat.say(f"{markers[1]} it was three weeks ago")
    chat.say(f"i want to kill myself {markers[2]}")
    chat.say(f'/inform{{"who_ended":"{markers[3]}"}}')
    stack.written_out()  # every log line is in the files
    for log in (stack.rasa_log(), stack.actions_log):
        text = log.read_text()
        assert text.strip(), f"{log} is empty: the test would prove nothing"
        leaked = [m for m in markers if m in text]
        assert not leaked, f"{log.name} holds message text: {leaked}"
