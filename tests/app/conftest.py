"""Fixtures of the sandbox tests: a Panel server on a free local port and headless Debian Chromium.

Browser tests need ``/usr/bin/chromium`` (CI installs it with apt-get; ``playwright install`` is never
used) and are skipped with that reason when it is absent.
"""

from __future__ import annotations

import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SERVER_START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"no server on 127.0.0.1:{port} after {timeout} s")


def failing_runner(scenario, seed, progress=None):  # noqa: ANN001, ANN201
    """A run that fails after a few weeks, as a broken model would."""
    for week in range(1, 4):
        if progress is not None:
            progress(week, scenario.population.weeks)
    raise RuntimeError("deliberate failure for the test")


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The sandbox served in this process: ``/sandbox`` as users see it, ``/failing`` with a failing run."""
    import panel as pn

    from bipsim.app import create_app
    from bipsim.app.sandbox import default_scenario
    from bipsim.app.state import warm_up

    warm_up(default_scenario())  # as `bipsim app` does at server start
    port = free_port()
    thread = pn.serve(
        {"sandbox": create_app, "failing": lambda: create_app(runner=failing_runner)},
        port=port,
        address="127.0.0.1",
        websocket_origin=f"127.0.0.1:{port}",
        show=False,
        threaded=True,
        start=True,
    )
    try:
        wait_for_port(port, SERVER_START_SECONDS)
        yield f"http://127.0.0.1:{port}"
    finally:
        thread.stop()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser_context():  # noqa: ANN201
    if not CHROMIUM.exists():
        pytest.skip(
            "Debian's chromium is not installed at /usr/bin/chromium (CI installs it: apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bipsim-chromium-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1600, "height": 1000},
        )
        context.set_default_timeout(30_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context):  # noqa: ANN001, ANN201
    """A fresh tab (a fresh session of the app) that records console errors in ``page.errors``."""
    page = browser_context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    page.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
