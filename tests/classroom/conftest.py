"""Fixtures of the class-mode tests: a small class, and its two pages served in this process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bipsim.classroom.settings import ClassSettings

SMALL = ClassSettings(citizens=400, students=3, caseload=5, meetings=3, rounds=3, seed=3)
"""A class small enough for tests: 400 citizens, three students with five citizens each, three rounds."""


@pytest.fixture
def small_settings() -> ClassSettings:
    return SMALL


@pytest.fixture
def class_server(tmp_path) -> Iterator[tuple[str, object]]:  # noqa: ANN001
    """The class pages served on a free local port; yields the address and the server's classroom."""
    from bipsim.app import browser
    from bipsim.classroom.server import classroom, serve

    room = classroom(tmp_path / "class", defaults=SMALL)
    port = browser.free_port()
    thread = serve(room, "127.0.0.1", port, [f"127.0.0.1:{port}"], show=False, threaded=True)
    try:
        browser.wait_for_port(port, browser.SERVER_START_SECONDS)
        yield f"http://127.0.0.1:{port}", room
    finally:
        thread.stop()
        thread.join(timeout=10)
