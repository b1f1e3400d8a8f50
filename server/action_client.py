"""Keeps the Rasa server's connections to the action server open between custom actions.

Rasa 3.6's `EndpointConfig.request` opens a new aiohttp ClientSession, and with it a new TCP
connection, for every custom action: on most turns that is one to three sessions and
connections, each set up and torn down again (`make bench` profiles showed the setup among the
Rasa server's per-turn costs). `install()` gives the action endpoint one session per event loop,
kept open, whose idle connections are reused.

Idle connections are dropped after KEEPALIVE_SECONDS, less than the action server's own
keep-alive (Sanic closes an idle connection after 5 s), so the Rasa server never sends on a
connection the action server is closing. A connection the action server dropped (it was
restarted) is noticed by aiohttp and not reused. Other endpoints (NLG, model server, ...) keep
Rasa's behaviour.
"""

from __future__ import annotations

import asyncio
from typing import Any, Optional

import aiohttp

KEEPALIVE_SECONDS = 2.0
_MARK = "_advisor_keeps_connections"
_installed = False


class _KeptOpen:
    """`async with endpoint.session() as session` for a session that outlives the block."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *exc: Any) -> Optional[bool]:
        return None


def _new_session(endpoint: Any) -> aiohttp.ClientSession:
    """What Rasa's `EndpointConfig.session` builds, with a connector that keeps connections."""
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT

    auth = (
        aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"])
        if endpoint.basic_auth
        else None
    )
    return aiohttp.ClientSession(
        headers=endpoint.headers,
        auth=auth,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
    )


def install() -> None:
    """Marks every custom action's endpoint, and gives marked endpoints a kept session."""
    global _installed
    if _installed:
        return
    _installed = True
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig

    original_init = RemoteAction.__init__

    def init(self: RemoteAction, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        if self.action_endpoint is not None:
            setattr(self.action_endpoint, _MARK, True)

    RemoteAction.__init__ = init  # type: ignore[assignment]

    original_session = EndpointConfig.session

    def session(self: EndpointConfig) -> Any:
        if not getattr(self, _MARK, False):
            return original_session(self)
        loop = asyncio.get_running_loop()
        kept = getattr(self, "_advisor_session", None)
        if kept is None or kept[0] is not loop or kept[1].closed:
            kept = (loop, _new_session(self))
            self._advisor_session = kept
        return _KeptOpen(kept[1])

    EndpointConfig.session = session  # type: ignore[assignment]
