"""The sandbox app: a Panel page with hvplot figures for teaching and "what if" questions.

``bipsim app`` (or ``panel serve apps/sandbox.py``) serves it; :func:`create_app` builds one session's page.
The modules follow the data flow: ``controls`` (widgets from the scenario declaration) -> ``state`` (runs
off the event loop, one set per session) -> ``data`` (small tables from a run) -> ``views`` (figures) ->
``sandbox`` (the page); ``methods`` holds the Methods-vs-truth hook, ``i18n`` the words in two languages.
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
