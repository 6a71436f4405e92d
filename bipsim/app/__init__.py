"""The sandbox app: a Panel page with hvplot figures for teaching and "what if" questions.

``bipsim app`` (or ``panel serve apps/sandbox.py``) serves it; :func:`create_app` builds one session's page.
The modules follow the data flow: ``controls`` (widgets from the scenario declaration) -> ``data`` (small tables
from a run) -> ``runs`` (finished runs shared by all sessions) -> ``jobs`` (a button's work off the event loop,
with its progress and errors) -> ``views`` (figures) -> ``sidebar`` (settings and the Run) -> ``tabs`` (one
Viewer per tab) -> ``sandbox`` (the page). ``methods`` holds the Methods-vs-truth tables, ``i18n`` the words in
two languages, ``browser`` the headless-Chromium helpers of the tests and the app benchmark.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Panel loads only when the page is built, so ``bipsim`` commands that register ``app`` start quickly.
    if name == "create_app":
        from bipsim.app.sandbox import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
