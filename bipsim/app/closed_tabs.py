"""A closed browser tab is not an error: the server's log stays free of its tracebacks.

When a user closes the tab (or the laptop's lid) while the page still receives updates, Bokeh and Panel's
pending writes to that session's websocket fail with tornado's ``WebSocketClosedError`` or
``StreamClosedError``. Nobody awaits those writes, so asyncio logs each as "Task exception was never
retrieved" with a traceback, which looks like a crash to a teacher watching the terminal. This filter drops
exactly those records; every other error is logged as before.
"""

from __future__ import annotations

import logging

from tornado.iostream import StreamClosedError
from tornado.websocket import WebSocketClosedError

CLOSED = (WebSocketClosedError, StreamClosedError)


class ClosedTabFilter(logging.Filter):
    """Drop log records whose exception is a write to a connection the browser already closed."""

    def filter(self, record: logging.LogRecord) -> bool:
        exception = record.exc_info[1] if record.exc_info else None
        if exception is None and isinstance(record.args, dict):  # asyncio passes its context as the argument
            exception = record.args.get("exception")
        return not isinstance(exception, CLOSED)


def quiet_closed_tabs() -> None:
    """Install the filter on asyncio's and tornado's loggers (once, however often a page is built)."""
    for name in ("asyncio", "tornado.application", "bokeh.server"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, ClosedTabFilter) for f in logger.filters):
            logger.addFilter(ClosedTabFilter())
