"""About: the model explained for teachers and students, in the sections of NetLogo's Info tab."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import panel as pn

from bipsim.app.tabs.tab import Tab


def about_text(language: str) -> str:
    """The About page in ``language`` (``bipsim/app/about_{language}.md``)."""
    return files("bipsim.app").joinpath(f"about_{language}.md").read_text(encoding="utf-8")


class About(Tab):
    """What the model is, how it works, how to use it, things to notice and to try."""

    title_key = "tab_about"

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.about = pn.pane.Markdown(
            "", sizing_mode="stretch_width", styles={"max-width": "900px"}, css_classes=["about"]
        )
        self._layout = pn.Column(self.about, sizing_mode="stretch_width")
        self.relabel()

    def __panel__(self) -> pn.Column:
        return self._layout

    def relabel(self) -> None:
        self.about.object = about_text(self.language)
