"""Flows: where the citizens are week by week, which activities they are in, and how many get a job per quarter."""

from __future__ import annotations

from typing import Any

import panel as pn

from bipsim.app import views
from bipsim.app.tabs.tab import RunTab


class Flows(RunTab):
    """The stacked status bands of every week, the citizens in each activity and the hires per quarter."""

    title_key = "tab_flows"

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.flows = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-flows"])
        self.activities = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-activities"])
        self.entries = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-entries"])
        self._layout = pn.Column(
            self.flows, pn.Row(self.activities, self.entries, sizing_mode="stretch_width"), sizing_mode="stretch_width"
        )

    def __panel__(self) -> pn.Column:
        return self._layout

    def draw(self) -> None:
        result, lang = self.result, self.language
        if result is None:
            return
        self.flows.object = views.flows(result, lang)
        self.activities.object = views.activities(result, lang)
        self.entries.object = views.job_entries(result, lang)
