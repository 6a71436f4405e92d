"""Readiness: one indicator over the survey weeks as the latent truth and as the citizens and caseworkers rate it."""

from __future__ import annotations

from typing import Any

import panel as pn

from bipsim.app import views
from bipsim.app.i18n import term, word
from bipsim.app.tabs.tab import RunTab
from bipsim.contract.vocabulary import INDICATORS, ORIENTATION_KEYS

DEFAULT_INDICATOR = "work_belief"


class Readiness(RunTab):
    """An indicator and an orientation to pick, the three lines of that indicator, and the raters' gap on all."""

    title_key = "tab_readiness"

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.indicator = pn.widgets.Select(options={}, sizing_mode="fixed", width=360)
        self.orientation = pn.widgets.Select(options={}, sizing_mode="fixed", width=260)
        self.readiness = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-readiness"])
        self.gap = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-gap"])
        self._layout = pn.Column(
            pn.Row(self.indicator, self.orientation), self.readiness, self.gap, sizing_mode="stretch_width"
        )
        self.relabel()
        self.indicator.param.watch(lambda _: self.redraw(), "value")
        self.orientation.param.watch(lambda _: self.redraw(), "value")

    def __panel__(self) -> pn.Column:
        return self._layout

    def relabel(self) -> None:
        lang = self.language
        self.indicator.label, self.orientation.label = word("indicator", lang), word("orientation", lang)
        # the caseworker's job belief is a belief about the citizen, not a readiness item
        indicators = {views.indicator_label(i.key, lang): i.key for i in INDICATORS if i.key != "caseworker_job_belief"}
        self.indicator.param.update(options=indicators, value=self.indicator.value or DEFAULT_INDICATOR)
        orientations = {
            word("all_orientations", lang): "all",
            **{term("orientation", k, lang): k for k in ORIENTATION_KEYS},
        }
        self.orientation.param.update(options=orientations, value=self.orientation.value or "all")

    def draw(self) -> None:
        result, lang = self.result, self.language
        if result is None or not self.indicator.value:
            return
        self.readiness.object = views.readiness(result, self.indicator.value, self.orientation.value, lang)
        self.gap.object = views.rater_gap(result, self.orientation.value, lang)
