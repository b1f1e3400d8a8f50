"""The Rasa server keeps its connections to the action server open between custom actions
(server/action_client.py), and still reaches an action server that was restarted."""

import asyncio

from aiohttp import web
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

import server.tracker_store  # noqa: F401  (importing the store installs it, as `rasa run` does)
from server import action_client
from servers import free_port


async def serve(port, peers):
    async def webhook(request):
        peers.append(request.transport.get_extra_info("peername")[1])
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


def test_calls_to_the_action_server_share_one_connection_and_survive_its_restart():
    port = free_port()
    endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
    RemoteAction("action_x", endpoint)  # a custom action marks its endpoint
    peers = []

    async def scenario():
        runner = await serve(port, peers)
        for _ in range(3):
            assert await endpoint.request(json={"next_action": "action_x"}, method="post") == {
                "events": [],
                "responses": [],
            }
        first_round = list(peers)
        await runner.cleanup()  # the action server restarts
        runner = await serve(port, peers)
        assert await endpoint.request(json={"next_action": "action_x"}, method="post") is not None
        await runner.cleanup()
        await endpoint._advisor_session[1].close()
        return first_round

    first_round = asyncio.run(scenario())
    assert len(first_round) == 3 and len(set(first_round)) == 1, "one kept connection"
    assert peers[3] != peers[0], "a new connection after the restart"


def test_other_endpoints_keep_rasa_s_own_session():
    endpoint = EndpointConfig("http://127.0.0.1:9/nlg")

    async def scenario():
        session = endpoint.session()
        kept = not hasattr(session, "close")
        if hasattr(session, "close"):
            await session.close()
        return kept

    assert asyncio.run(scenario()) is False
    assert not getattr(endpoint, action_client._MARK, False)
