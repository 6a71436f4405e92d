"""A closed browser tab is not an error: the server's log stays free of its tracebacks.

When a user closes the tab (or the laptop's lid) while the page still receives updates, Bokeh and Panel's
pending writes to that session's websocket fail with tornado's ``WebSocketClosedError`` or
``StreamClosedError``. Nobody awaits those writes, so asyncio logs each as "Task exception was never
retrieved" with a traceback, which looks like a crash to a teacher watching the terminal. This filter drops
exactly those records; every other error is logged as before. A tab closed before its session was made (a class
opening and closing pages quickly) makes Bokeh's websocket handler fail an assertion on its missing session, logged
the same way; that record is dropped too, by where it was raised.
"""

from __future__ import annotations

import logging
import traceback

from tornado.iostream import StreamClosedError
from tornado.websocket import WebSocketClosedError

CLOSED = (WebSocketClosedError, StreamClosedError)


class ClosedTabFilter(logging.Filter):
    """Drop log records whose exception is a write to a connection the browser already closed."""

    def filter(self, record: logging.LogRecord) -> bool:
        exception = record.exc_info[1] if record.exc_info else None
        if exception is None and isinstance(record.args, dict):  # asyncio passes its context as the argument
            exception = record.args.get("exception")
        return not (isinstance(exception, CLOSED) or _closed_before_session(exception))


def _closed_before_session(exception: BaseException | None) -> bool:
    """Whether ``exception`` is Bokeh's assertion that a closed connection had a session (it had none yet)."""
    if not isinstance(exception, AssertionError) or exception.__traceback__ is None:
        return False
    last = traceback.extract_tb(exception.__traceback__)[-1]
    return last.filename.replace("\\", "/").endswith("bokeh/server/connection.py") and last.name == "session"


def quiet_closed_tabs() -> None:
    """Install the filter on asyncio's and tornado's loggers (once, however often a page is built)."""
    for name in ("asyncio", "tornado.application", "bokeh.server"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, ClosedTabFilter) for f in logger.filters):
            logger.addFilter(ClosedTabFilter())
