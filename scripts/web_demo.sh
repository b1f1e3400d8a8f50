#!/usr/bin/env bash
# The advisor as its users meet it (`make run`): the action server, `rasa run` with the channels of
# credentials.yml (the web widget's Socket.IO, REST, and Telegram when TELEGRAM_* is set) and the
# chat page, until Ctrl-C. Run it through `make run`, which builds what it needs first.
#
#   WEB_PORT   the page's port (8080)           RASA_PORT   the Rasa server's port (5005)
#   WEB_HOST   the interface both listen on (127.0.0.1; 0.0.0.0 to open them to the network)
#   ADVISOR_ALLOWED_ORIGINS  the pages allowed to connect (default: this page, on localhost and
#              127.0.0.1); set it to the page's real origin when WEB_HOST is not local.
#   ACTION_SERVER_PORT  the action server's port (5055); ADVISOR_ENDPOINTS  the endpoints file
#              (endpoints.yml), whose action_endpoint must name that port
#   ADVISOR_LOG_DIR     where the logs go (logs/)
#   TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_URL, TELEGRAM_WEBHOOK_SECRET  turn the Telegram channel on
#              (channels/telegram.py; docs/operations.md)
#
# No `--cors`: the Socket.IO channel answers CORS for /socket.io itself (channels/webchat.py), and
# Rasa's Sanic-CORS would add a second Access-Control-Allow-Origin there, which browsers refuse.
# The page needs no other route of Rasa's, so the HTTP routes stay closed to other origins.
set -euo pipefail
cd "$(dirname "$0")/.."
WEB_HOST=${WEB_HOST:-127.0.0.1}
WEB_PORT=${WEB_PORT:-8080}
RASA_PORT=${RASA_PORT:-5005}
ACTION_SERVER_PORT=${ACTION_SERVER_PORT:-5055}
ENDPOINTS=${ADVISOR_ENDPOINTS:-endpoints.yml}
LOGS=${ADVISOR_LOG_DIR:-logs}
export ACTION_SERVER_PORT ADVISOR_LOG_DIR=$LOGS
export ADVISOR_ALLOWED_ORIGINS=${ADVISOR_ALLOWED_ORIGINS:-"http://localhost:$WEB_PORT,http://127.0.0.1:$WEB_PORT"}
MODEL=models/advisor.tar.gz
[ -f "$MODEL" ] || { echo "No model at $MODEL: run \`make run\` (it trains first)" >&2; exit 1; }
[ -f web/vendor/rasa-webchat.js ] || { echo "No widget bundle: run \`make web\` (it needs npm)" >&2; exit 1; }
grep -q "localhost:$ACTION_SERVER_PORT/\|127.0.0.1:$ACTION_SERVER_PORT/" "$ENDPOINTS" || {
  echo "$ENDPOINTS does not send custom actions to port $ACTION_SERVER_PORT (ACTION_SERVER_PORT):" \
       "give it an action_endpoint on that port" >&2; exit 1; }

mkdir -p "$LOGS"
pids=()
# stops what this script started: its children and their children (rasa run, the action server)
killtree() { local c; for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do killtree "$c"; done; kill "$1" 2>/dev/null || true; }
cleanup() { trap - EXIT INT TERM; for p in "${pids[@]}"; do killtree "$p"; done; wait 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

.venv/bin/python web/serve.py --host "$WEB_HOST" --port "$WEB_PORT" --rasa-port "$RASA_PORT" \
  >"$LOGS/web.log" 2>&1 &
pids+=($!)
echo "Starting the advisor (about a minute); logs in $LOGS/rasa.log, $LOGS/actions.log, $LOGS/web.log"
# ops/launch.py: `rasa run`, with the HTTP API only when ADVISOR_API_TOKEN/ADVISOR_JWT_SECRET is set
scripts/with_action_server.sh .venv/bin/python -m ops.launch --model "$MODEL" --credentials credentials.yml \
  --endpoints "$ENDPOINTS" --interface "$WEB_HOST" --port "$RASA_PORT" \
  >"$LOGS/rasa.log" 2>&1 &
pids+=($!)

# Telegram's state, once Rasa is up: the channel's own health route says whether the webhook is set.
telegram_line() {
  if [ -z "${TELEGRAM_BOT_TOKEN:-}" ]; then
    echo "Telegram: off (set TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET to add it; docs/operations.md)"
    return
  fi
  local state
  state=$(.venv/bin/python - "$RASA_PORT" 2>/dev/null <<'PY' || true
import json, sys, time, urllib.request
for _ in range(10):   # the webhook is set by a background task just after the start
    try:
        health = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/webhooks/telegram/", timeout=3))
    except Exception:
        health = {}
    if health.get("status") != "ok" or health.get("webhook_set"):
        break
    time.sleep(1)
print("set" if health.get("webhook_set") else "pending" if health.get("status") == "ok" else "off")
PY
)
  case "$state" in
    set) echo "Telegram: on, the bot receives updates at $TELEGRAM_WEBHOOK_URL" ;;
    pending) echo "Telegram: configured, webhook not set yet (see \"Telegram\" in $LOGS/rasa.log)" ;;
    *) echo "Telegram: configured but off (see \"Telegram\" in $LOGS/rasa.log)" ;;
  esac
}

for _ in $(seq 1 240); do
  # ready when the model answers (the port opens before the model is loaded)
  if .venv/bin/python - "$RASA_PORT" >/dev/null 2>&1 <<'PY'
import json, sys, urllib.request
req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/webhooks/rest/webhook",
                             json.dumps({"sender": "web-demo-ready-check", "message": "/greet"}).encode(),
                             {"Content-Type": "application/json"})
sys.exit(0 if json.load(urllib.request.urlopen(req, timeout=5)) else 1)
PY
  then
    host=$WEB_HOST; [ "$host" = 0.0.0.0 ] && host=localhost
    echo
    echo "  The advisor is ready: open http://$host:$WEB_PORT/ in a browser. (Ctrl-C stops it.)"
    echo "  $(telegram_line)"
    echo "  REST: POST http://$host:$RASA_PORT/webhooks/rest/webhook   Terminal chat instead: make shell"
    echo
    wait -n "${pids[@]}" || true
    echo "A server stopped; see $LOGS/" >&2
    exit 1
  fi
  for p in "${pids[@]}"; do
    kill -0 "$p" 2>/dev/null || { echo "A server did not start; the end of its log:" >&2; tail -20 "$LOGS/rasa.log" "$LOGS/actions.log" "$LOGS/web.log" >&2 2>/dev/null; exit 1; }
  done
  sleep 0.5
done
echo "Rasa did not answer on :$RASA_PORT within 2 minutes; see $LOGS/rasa.log" >&2
exit 1
