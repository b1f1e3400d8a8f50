"""Starts `rasa run` for this project, with Rasa's HTTP API on only when it is protected.

    python -m ops.launch [--print] [rasa run arguments...]

- ADVISOR_API_TOKEN set: adds `--enable-api --auth-token <token>` (requests need ?token=...).
- ADVISOR_JWT_SECRET set: adds `--enable-api --jwt-secret <secret> --jwt-method <method>`
  (ADVISOR_JWT_METHOD, HS256 by default); both may be set.
- Neither: the API stays off (channels such as /webhooks/rest/webhook still work), and an
  `--enable-api` among the arguments is refused: the API never runs without auth.
- SANIC_REQUEST_MAX_SIZE defaults to 512 KB (Sanic's default is 100 MB); raise it to upload models
  through the API.
Rasa runs in this process, so the secrets do not appear in the process list (`ps`). Before Rasa
starts, the project's changes to Rasa are checked and installed (server/runtime.py) and the
conversation store endpoints.yml names is loaded: when either fails, the launcher prints why and
exits with status 3 instead of starting a server that would lose conversations.
`--print` shows the command with the secrets masked, and exits. The libraries' start-up warnings
are filtered first (server/quiet.py).
"""

from __future__ import annotations

import os
import sys
from typing import List, Mapping, Optional, Sequence, Text

TOKEN_ENV = "ADVISOR_API_TOKEN"
JWT_ENV = "ADVISOR_JWT_SECRET"
JWT_METHOD_ENV = "ADVISOR_JWT_METHOD"
DEFAULT_MAX_REQUEST = "524288"
AUTH_FLAGS = ("--auth-token", "--jwt-secret", "--jwt-method", "--jwt-private-key")
SECRET_FLAGS = ("--auth-token", "--jwt-secret")


class UnsafeCommand(ValueError):
    """The arguments would start the HTTP API without authentication."""


def rasa_run_args(extra: Sequence[Text] = (), env: Optional[Mapping[Text, Text]] = None) -> List[Text]:
    """The arguments after `rasa`: `run`, the API flags the environment allows, then `extra`."""
    env = os.environ if env is None else env
    extra = list(extra)
    given = [a.split("=", 1)[0] for a in extra]
    if any(flag in given for flag in AUTH_FLAGS):
        raise UnsafeCommand(
            "Pass secrets through ADVISOR_API_TOKEN / ADVISOR_JWT_SECRET, not as "
            "arguments (arguments are visible to every local user)."
        )
    token = (env.get(TOKEN_ENV) or "").strip()
    jwt_secret = (env.get(JWT_ENV) or "").strip()
    extra = [a for a in extra if a != "--enable-api"]
    if "--enable-api" in given and not (token or jwt_secret):
        raise UnsafeCommand(
            "--enable-api needs ADVISOR_API_TOKEN or ADVISOR_JWT_SECRET: Rasa's "
            "HTTP API is never started without authentication."
        )
    args = ["run"]
    if token or jwt_secret:
        args.append("--enable-api")
        if token:
            args += ["--auth-token", token]
        if jwt_secret:
            args += ["--jwt-secret", jwt_secret, "--jwt-method", env.get(JWT_METHOD_ENV) or "HS256"]
    return args + extra


def masked(args: Sequence[Text]) -> List[Text]:
    out: List[Text] = []
    for i, arg in enumerate(args):
        out.append("***" if i and args[i - 1] in SECRET_FLAGS else arg)
    return out


def main(argv: Optional[Sequence[Text]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from server import quiet

    quiet.install(argv)
    show = "--print" in argv
    argv = [a for a in argv if a != "--print"]
    try:
        args = rasa_run_args(argv)
    except UnsafeCommand as e:
        print(f"ops.launch: {e}", file=sys.stderr)
        return 2
    if show:
        print(" ".join(["rasa", *masked(args)]))
        return 0
    os.environ.setdefault("SANIC_REQUEST_MAX_SIZE", DEFAULT_MAX_REQUEST)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    from server import runtime

    try:  # Rasa as the changes expect it, and a conversation store that loads, or no start
        runtime.install()
        runtime.check_store(runtime.endpoints_file(args))
    except runtime.ExtensionError as e:
        print(f"ops.launch: {e}", file=sys.stderr)
        return 3
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *args]
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
