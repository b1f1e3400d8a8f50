"""The floor: a bare HTTP echo on Sanic, the server framework Rasa itself runs on, with the same
REST route and reply shape as Rasa's REST channel. One worker, no access log, like `rasa run`.

    python bench/echo_server.py --port 5099
"""

from __future__ import annotations

import argparse
import logging

from sanic import Sanic, response


def make_app() -> Sanic:
    app = Sanic("bench_echo")

    @app.get("/")
    async def root(_request):
        return response.text("echo")

    @app.post("/webhooks/rest/webhook")
    async def webhook(request):
        body = request.json or {}
        return response.json([{"recipient_id": body.get("sender"), "text": body.get("message")}])

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    logging.getLogger("sanic.root").setLevel(logging.WARNING)
    make_app().run(host=args.host, port=args.port, workers=1, access_log=False, debug=False)


if __name__ == "__main__":
    main()
