"""The sandbox server lets only its own pages open a session, on any port, and says when others can reach it."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from bipsim.cli.app import is_loopback, serving


def test_port_0_is_resolved_to_the_port_served_and_the_origins_name_it():
    plan = serving("127.0.0.1", 0)
    assert plan.port > 0
    assert plan.origins == (f"127.0.0.1:{plan.port}", f"localhost:{plan.port}")
    assert "*" not in "".join(plan.origins) and plan.warning is None


def test_every_interface_is_served_with_a_warning_naming_who_can_reach_it():
    plan = serving("0.0.0.0", 5123)
    assert not is_loopback("0.0.0.0") and is_loopback("localhost") and is_loopback("::1")
    assert "every network interface" in plan.warning and "5123" in plan.warning
    assert "127.0.0.1:5123" in plan.origins


def _status(url: str, origin: str) -> int:
    """The HTTP status a websocket handshake from a page at ``origin`` gets (101: switched to a websocket).

    Run on a thread of its own: the test process may already have an event loop running (Panel's).
    """
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, _handshake(url, origin)).result()


async def _handshake(url: str, origin: str) -> int:
    try:
        connection = await websocket_connect(HTTPRequest(url, headers={"Origin": origin}), subprotocols=["bokeh"])
    except HTTPClientError as exc:
        return exc.code
    connection.close()
    return 101


def test_a_page_from_another_site_is_refused_a_session_on_a_port_chosen_for_the_server():
    pn = pytest.importorskip("panel")
    plan = serving("127.0.0.1", 0)
    server = pn.serve(
        {"page": lambda: pn.pane.Markdown("sandbox")},
        port=plan.port,
        address=plan.address,
        websocket_origin=list(plan.origins),
        show=False,
        threaded=True,
    )
    try:
        url = f"ws://127.0.0.1:{plan.port}/page/ws"
        for _ in range(100):  # the server thread starts listening
            try:
                foreign = _status(url, "http://evil.example")
                break
            except ConnectionRefusedError:
                time.sleep(0.1)
        own = _status(url, f"http://127.0.0.1:{plan.port}")
    finally:
        server.stop()
    assert foreign == 403
    assert own != 403


def test_the_largest_run_is_the_apps_own_limit_unless_the_teacher_sets_another(capsys):  # noqa: ANN001
    from bipsim.app import limits
    from bipsim.cli import app as app_command
    from bipsim.cli.main import main

    assert app_command.DEFAULT_MAX_SIZE == limits.DEFAULT_MAX_SIZE
    assert main(["app", "--max-size", "0", "--no-show"]) == 2
    assert "--max-size 0: expected at least 1 citizen-week" in capsys.readouterr().err
    assert limits.too_big(10_000, 208) is None and limits.too_big(10_001, 208)["limit"] == limits.DEFAULT_MAX_SIZE
    try:
        limits.set_max_size(1000)
        refused = limits.too_big(100, 11)
        assert refused == {"citizens": 100, "weeks": 11, "size": 1100, "limit": 1000, "example": 4}
        assert limits.too_big(100, 10) is None
    finally:
        limits.set_max_size(limits.DEFAULT_MAX_SIZE)
