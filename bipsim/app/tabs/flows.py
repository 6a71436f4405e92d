"""Flows: where the citizens are week by week, which activities they are in, and how many get a job per quarter.

A new run's tables are sent into the figures already on screen (a HoloViews ``Pipe``), so Bokeh updates their
data and ranges in place instead of building three new figures: at BIP scale building them was most of the time
from Run to figures on screen. A language switch builds them anew, with their words in the new language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import holoviews as hv
import panel as pn

from bipsim.app import views
from bipsim.app.data import RunResult
from bipsim.app.tabs.tab import RunTab


def fitted(figure: Callable[..., hv.core.Dimensioned], result: RunResult, language: str) -> hv.core.Dimensioned:
    """``figure`` of ``result`` with its axes fitted to this run, so a figure updated in place rescales.

    HoloViews keeps the first frame's ranges of a figure fed by a pipe unless told otherwise (``framewise``), and
    hvplot's overlays keep them even then unless the ranges are given: so they are given, from the run's tables.
    """
    weeks = (0, max(len(result.flows) - 1, 1))
    if figure is views.flows:
        citizens = float(result.flows.sum(axis=1).max()) or 1.0
        return views.flows_of(result.flows, language, xlim=weeks, ylim=(0, citizens)).opts(framewise=True)
    if figure is views.activities:
        most = float(result.activities.to_numpy().max()) if result.activities.size else 0.0
        return figure(result, language, xlim=weeks, ylim=(0, 1.05 * most or 1.0)).opts(framewise=True)
    return figure(result, language).opts(framewise=True)


class Flows(RunTab):
    """The stacked status bands of every week, the citizens in each activity and the hires per quarter."""

    title_key = "tab_flows"

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.flows = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-flows"])
        self.activities = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-activities"])
        self.entries = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-entries"])
        self._pipe = hv.streams.Pipe(data=None)
        self._drawn_in: str | None = None  # the language of the figures on screen, None before the first
        self._layout = pn.Column(
            self.flows, pn.Row(self.activities, self.entries, sizing_mode="stretch_width"), sizing_mode="stretch_width"
        )

    def __panel__(self) -> pn.Column:
        return self._layout

    def draw(self) -> None:
        result, lang = self.result, self.language
        if result is None:
            return
        if self._drawn_in == lang:
            self._pipe.send(result)
            return
        self._pipe = pipe = hv.streams.Pipe(data=result)
        for pane, figure in (
            (self.flows, views.flows),
            (self.activities, views.activities),
            (self.entries, views.job_entries),
        ):
            pane.object = hv.DynamicMap(lambda data, figure=figure: fitted(figure, data, lang), streams=[pipe])
        self._drawn_in = lang
