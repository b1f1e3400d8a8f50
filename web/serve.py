"""Serves the chat page (web/) on http://HOST:PORT: index.html, its CSS and JS, and the widget bundle
that `make web` copies into web/vendor/. Nothing else of web/ (node_modules, package files) is
served. /config.js tells the page where the Rasa server is; /safety-lines.json gives the page's
footer its crisis lines, read from the bot's own list (actions/content/safety_resources.yml, or
$ADVISOR_CONTENT_DIR) through the action server's content loader (actions/content_files.py), with
its reload rule, so the page and the bot never differ.

    python web/serve.py [--host 127.0.0.1] [--port 8080] [--socket-url http://localhost:5005]
    python web/serve.py --safety-lines > safety-lines.json   # for another web server

Environment: WEB_HOST, WEB_PORT, ADVISOR_SOCKET_URL (default: the page's own host name, port
RASA_PORT or 5005). Good enough for the demo and the tests; in production put the files SERVED
lists behind your own web server.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from actions.content_files import current, read_yaml  # noqa: E402
from actions.content_store import SafetyResources  # noqa: E402

WEB = ROOT / "web"
BUNDLE = WEB / "vendor" / "rasa-webchat.js"
SERVED = {
    "/": "index.html",
    "/index.html": "index.html",
    "/style.css": "style.css",
    "/chat.js": "chat.js",
    "/favicon.svg": "favicon.svg",
    "/vendor/rasa-webchat.js": "vendor/rasa-webchat.js",
}


def content_security_policy(socket_url: str | None) -> str:
    connect = ["'self'"]
    if socket_url:
        parts = urlsplit(socket_url)
        ws = "wss" if parts.scheme == "https" else "ws"
        connect += [f"{parts.scheme}://{parts.netloc}", f"{ws}://{parts.netloc}"]
    else:  # the page derives the URL from its own host name: allow that host on any port
        connect += ["http://localhost:*", "ws://localhost:*", "http://127.0.0.1:*", "ws://127.0.0.1:*"]
    # The widget injects its own <style> elements, hence 'unsafe-inline' for styles only; scripts
    # come from this server alone, so neither an inline handler nor a javascript: link can run.
    return (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src " + " ".join(connect) + "; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def safety_lines() -> dict:
    """What the footer needs from the bot's list of lines: the countries that have lines, and the
    crisis lines (the international directory is the one for region "Anywhere"), validated as
    the action server validates them."""
    resources = current(
        "safety resources",
        lambda folder: SafetyResources.parse_obj(read_yaml(folder / "safety_resources.yml")),
    )
    return {"countries": sorted(resources.countries), "crisis": [line.dict() for line in resources.crisis]}


class Handler(SimpleHTTPRequestHandler):
    socket_url: str | None = None
    rasa_port: int = 5005

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        path = urlsplit(self.path).path
        if path == "/config.js":
            body = (
                "window.ADVISOR_CHAT = "
                + json.dumps({"socketUrl": self.socket_url, "rasaPort": self.rasa_port})
                + ";\n"
            ).encode()
            return self._send(200, "text/javascript; charset=utf-8", body, head, cache="no-store")
        if path == "/safety-lines.json":
            body = json.dumps(safety_lines(), ensure_ascii=False, indent=1).encode("utf-8")
            return self._send(200, "application/json; charset=utf-8", body, head)
        name = SERVED.get(path)
        file = WEB / name if name else None
        if file is None or not file.is_file():
            if path == "/vendor/rasa-webchat.js":
                body = b"// the widget bundle is missing: run `make web`\n"
                return self._send(404, "text/javascript; charset=utf-8", body, head)
            return self._send(404, "text/plain; charset=utf-8", b"Not found\n", head)
        types = {
            ".html": "text/html; charset=utf-8",
            ".css": "text/css; charset=utf-8",
            ".js": "text/javascript; charset=utf-8",
            ".svg": "image/svg+xml",
        }
        self._send(200, types[file.suffix], file.read_bytes(), head, cache="no-cache")

    def _send(self, status: int, ctype: str, body: bytes, head: bool, cache: str = "no-cache") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", content_security_policy(self.socket_url))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def do_POST(self) -> None:  # noqa: N802
        self._send(405, "text/plain; charset=utf-8", b"Method not allowed\n", head=False)

    def log_message(self, format: str, *args) -> None:  # one line per request, on stderr
        sys.stderr.write("web: %s %s\n" % (self.address_string(), format % args))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=os.environ.get("WEB_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
    parser.add_argument(
        "--socket-url",
        default=os.environ.get("ADVISOR_SOCKET_URL") or None,
        help="the Rasa server the widget connects to (default: this page's host, port --rasa-port)",
    )
    parser.add_argument("--rasa-port", type=int, default=int(os.environ.get("RASA_PORT", "5005")))
    parser.add_argument(
        "--safety-lines",
        action="store_true",
        help="print the footer's crisis lines (/safety-lines.json) and exit",
    )
    args = parser.parse_args(argv)
    if args.safety_lines:
        print(json.dumps(safety_lines(), ensure_ascii=False, indent=1))
        return
    if not BUNDLE.is_file():
        sys.exit(f"{BUNDLE.relative_to(WEB.parent)} is missing: run `make web` first")
    handler = type(
        "ConfiguredHandler", (Handler,), {"socket_url": args.socket_url, "rasa_port": args.rasa_port}
    )
    server = ThreadingHTTPServer((args.host, args.port), handler)
    print(f"Serving the chat page on http://{args.host}:{server.server_port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
