"""Register: the self-sufficiency degree per quarter of those who got an ordinary job and those who did not."""

from __future__ import annotations

from typing import Any

import panel as pn

from bipsim.app import views
from bipsim.app.data import RunResult
from bipsim.app.i18n import word
from bipsim.app.tabs.tab import RunTab


def group_sizes(result: RunResult, language: str) -> str:
    """How many citizens each line of the figure stands for, in its last quarter."""
    table = result.self_sufficiency
    last = table[table["quarter"] == table["quarter"].max()].set_index("group")
    parts = [f"{word(g, language)}: n = {int(last.loc[g, 'n']):,}" for g in ("got_job", "no_job") if g in last.index]
    return " · ".join(parts)


class Register(RunTab):
    """The register's self-sufficiency lines, with the size of each group beneath."""

    title_key = "tab_register"

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.register = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-register"])
        self.sizes = pn.pane.Markdown("")
        self._layout = pn.Column(self.register, self.sizes, sizing_mode="stretch_width")

    def __panel__(self) -> pn.Column:
        return self._layout

    def draw(self) -> None:
        if self.result is None:
            return
        self.register.object = views.self_sufficiency(self.result, self.language)
        self.sizes.object = group_sizes(self.result, self.language)
