"""Closing a tab, also while a run is going, leaves no traceback in the server's log."""

from __future__ import annotations

import logging
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bipsim.app import browser
from bipsim.app.closed_tabs import ClosedTabFilter


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _open_and_close_tabs() -> None:
    with browser.served() as url, tempfile.TemporaryDirectory(prefix="bipsim-chromium-") as profile:
        with browser.chromium(profile) as context:
            for rerun in (False, True):
                page = context.new_page()
                browser.open_app(page, url + "/sandbox")
                if rerun:
                    page.get_by_role("button", name="Run").first.click()
                    time.sleep(0.3)  # close while the run's progress is being sent
                page.close()
                time.sleep(3)


@pytest.mark.slow
def test_closing_a_tab_logs_no_traceback():
    if not browser.CHROMIUM.exists():
        pytest.skip(f"Debian's chromium is not installed at {browser.CHROMIUM}")
    handler = Records()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with ThreadPoolExecutor(1) as thread:  # Playwright's sync API needs a thread without an event loop
            thread.submit(_open_and_close_tabs).result()
    finally:
        root.removeHandler(handler)
    logged = [r for r in handler.records if r.exc_info or "Traceback" in r.getMessage()]
    assert logged == [], [r.getMessage() for r in logged]


def test_the_filter_keeps_every_other_error():
    record = logging.LogRecord("asyncio", logging.ERROR, __file__, 1, "boom", None, (ValueError, ValueError("x"), None))
    assert ClosedTabFilter().filter(record)


def test_a_tab_closed_before_its_session_was_made_logs_no_traceback_but_other_assertions_do():
    from bokeh.server.connection import ServerConnection

    connection = ServerConnection.__new__(ServerConnection)  # as Bokeh has it before the session is made
    connection._session = None
    try:
        connection.session  # noqa: B018 - what Bokeh's websocket handler asks for when the tab closes
    except AssertionError as exc:
        closed_early = exc
    record = logging.LogRecord(
        "tornado.application",
        logging.ERROR,
        __file__,
        1,
        "x",
        None,
        (AssertionError, closed_early, closed_early.__traceback__),
    )
    assert not ClosedTabFilter().filter(record)
    try:
        raise AssertionError("ours")
    except AssertionError as exc:
        ours = exc
    record = logging.LogRecord(
        "tornado.application", logging.ERROR, __file__, 1, "x", None, (AssertionError, ours, ours.__traceback__)
    )
    assert ClosedTabFilter().filter(record)
