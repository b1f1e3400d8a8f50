"""A throw-away PostgreSQL database for tests (127.0.0.1:5432, user postgres, trust auth). Starts
the local cluster when it is down; fails with a clear message, never skips, when it cannot."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest

HOST = os.environ.get("ADVISOR_TEST_PG_HOST", "127.0.0.1")
PORT = int(os.environ.get("ADVISOR_TEST_PG_PORT", "5432"))
USER = os.environ.get("ADVISOR_TEST_PG_USER", "postgres")


def _connect(dbname: str = "postgres"):
    import psycopg2

    return psycopg2.connect(host=HOST, port=PORT, user=USER, dbname=dbname, connect_timeout=3)


def _reachable() -> bool:
    try:
        _connect().close()
        return True
    except Exception:
        return False


def ensure_postgres_up() -> None:
    if _reachable():
        return
    versions = (
        sorted(p.name for p in Path("/etc/postgresql").glob("*")) if Path("/etc/postgresql").is_dir() else []
    )
    if versions:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"],
            capture_output=True,
            timeout=60,
        )
        for _ in range(30):
            if _reachable():
                return
            time.sleep(1)
    pytest.fail(
        f"PostgreSQL is not reachable at {HOST}:{PORT} as user {USER!r} and could not be "
        "started (pg_ctlcluster). These tests need it: start PostgreSQL, or set "
        "ADVISOR_TEST_PG_HOST / ADVISOR_TEST_PG_PORT / ADVISOR_TEST_PG_USER."
    )


def recreate(name: str) -> None:
    connection = _connect()
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def drop(name: str) -> None:
    connection = _connect()
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    connection.close()


def database(name: str) -> Iterator[dict]:
    """Generator for a fixture: a fresh empty database, dropped afterwards."""
    ensure_postgres_up()
    recreate(name)
    try:
        yield {"dialect": "postgresql", "host": HOST, "port": PORT, "username": USER, "db": name}
    finally:
        drop(name)


def endpoints_yaml(settings: dict) -> str:
    """The tracker_store section; Rasa passes a custom store's host as `url` (a `host:` key would
    be given twice)."""
    return "tracker_store:\n  type: server.tracker_store.AdvisorSQLTrackerStore\n" + "".join(
        f'  {"url" if k == "host" else k}: "{v}"\n' for k, v in settings.items()
    )
