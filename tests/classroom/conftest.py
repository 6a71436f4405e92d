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


@pytest.fixture(scope="session")
def browser_context():  # noqa: ANN201
    """Headless Debian Chromium, as the sandbox's browser tests use it."""
    import tempfile

    from bipsim.app import browser

    if not browser.CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (CI installs it with apt-get)")
    with tempfile.TemporaryDirectory(prefix="bipsim-chromium-") as profile, browser.chromium(profile) as context:
        yield context


@pytest.fixture(scope="session")
def artifacts():  # noqa: ANN201
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return folder
