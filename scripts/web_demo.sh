#!/usr/bin/env bash
# The website chat demo: the action server, `rasa run` with the Socket.IO channel (credentials.yml)
# and the chat page, until Ctrl-C. Run it through `make web-demo`, which builds what it needs first.
#
#   WEB_PORT   the page's port (8080)           RASA_PORT   the Rasa server's port (5005)
#   WEB_HOST   the interface both listen on (127.0.0.1; 0.0.0.0 to open them to the network)
#   ADVISOR_ALLOWED_ORIGINS  the pages allowed to connect (default: this page, on localhost and
#              127.0.0.1); set it to the page's real origin when WEB_HOST is not local.
#
# No `--cors`: the Socket.IO channel answers CORS for /socket.io itself (channels/webchat.py), and
# Rasa's Sanic-CORS would add a second Access-Control-Allow-Origin there, which browsers refuse.
# The page needs no other route of Rasa's, so the HTTP routes stay closed to other origins.
set -euo pipefail
cd "$(dirname "$0")/.."
WEB_HOST=${WEB_HOST:-127.0.0.1}
WEB_PORT=${WEB_PORT:-8080}
RASA_PORT=${RASA_PORT:-5005}
export ADVISOR_ALLOWED_ORIGINS=${ADVISOR_ALLOWED_ORIGINS:-"http://localhost:$WEB_PORT,http://127.0.0.1:$WEB_PORT"}
MODEL=models/advisor.tar.gz
[ -f "$MODEL" ] || { echo "No model at $MODEL: run \`make web-demo\` (it trains first)" >&2; exit 1; }
[ -f web/vendor/rasa-webchat.js ] || { echo "No widget bundle: run \`make web\`" >&2; exit 1; }

mkdir -p logs
pids=()
# stops what this script started: its children and their children (rasa run, the action server)
killtree() { local c; for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do killtree "$c"; done; kill "$1" 2>/dev/null || true; }
cleanup() { trap - EXIT INT TERM; for p in "${pids[@]}"; do killtree "$p"; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

.venv/bin/python scripts/serve_web.py --host "$WEB_HOST" --port "$WEB_PORT" --rasa-port "$RASA_PORT" \
  >logs/web.log 2>&1 &
pids+=($!)
echo "Starting the advisor (about a minute); logs in logs/rasa.log, logs/actions.log, logs/web.log"
# server/launch.py: `rasa run`, with the HTTP API only when ADVISOR_API_TOKEN/ADVISOR_JWT_SECRET is set
scripts/with_action_server.sh .venv/bin/python -m server.launch --model "$MODEL" --credentials credentials.yml \
  --endpoints endpoints.yml --interface "$WEB_HOST" --port "$RASA_PORT" \
  >logs/rasa.log 2>&1 &
pids+=($!)

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
    echo
    wait -n "${pids[@]}" || true
    echo "A server stopped; see logs/" >&2
    exit 1
  fi
  for p in "${pids[@]}"; do
    kill -0 "$p" 2>/dev/null || { echo "A server did not start; the end of its log:" >&2; tail -20 logs/rasa.log logs/actions.log logs/web.log >&2 2>/dev/null; exit 1; }
  done
  sleep 0.5
done
echo "Rasa did not answer on :$RASA_PORT within 2 minutes; see logs/rasa.log" >&2
exit 1
