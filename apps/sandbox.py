"""Entry point for ``panel serve apps/sandbox.py`` and ``bipsim app``: one sandbox page per session."""

from bipsim.app import create_app

create_app().servable(title="bipsim sandbox")
