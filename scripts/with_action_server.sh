#!/usr/bin/env bash
# Runs a command with the action server up: starts it (ops/action_server.py) on :5055 unless one is
# already answering, waits until it is healthy, and stops it when the command ends.
# ACTION_SERVER_PORT: another port; ADVISOR_LOG_DIR: where its log goes (logs/).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${ACTION_SERVER_PORT:-5055}
LOGS=${ADVISOR_LOG_DIR:-logs}
health() { .venv/bin/python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$PORT/health', timeout=1)" >/dev/null 2>&1; }
pid=""
if ! health; then
  mkdir -p "$LOGS"
  .venv/bin/python -m ops.action_server --port "$PORT" >"$LOGS/actions.log" 2>&1 &
  pid=$!
  trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do
    health && break
    if ! kill -0 "$pid" 2>/dev/null; then echo "The action server did not start; see $LOGS/actions.log" >&2; tail -20 "$LOGS/actions.log" >&2; exit 1; fi
    sleep 0.5
  done
  health || { echo "The action server did not answer on :$PORT within 60 s; see $LOGS/actions.log" >&2; exit 1; }
fi
"$@"
