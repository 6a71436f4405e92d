"""Methods vs truth: what each method says about each planted mechanism, what was planted, and the calibration."""

from __future__ import annotations

from typing import Any

import panel as pn

from bipsim.app import views
from bipsim.app.i18n import word
from bipsim.app.methods import calibration_table, mechanism_table, triangulation_matrix
from bipsim.app.sidebar import Sidebar
from bipsim.app.tabs.recovery import Recovery
from bipsim.app.tabs.tab import RunTab


class MethodsVsTruth(RunTab):
    """The triangulation matrix, the planted mechanisms, published vs simulated figures, and the recovery study."""

    title_key = "tab_methods"

    def __init__(self, sidebar: Sidebar, **params: Any) -> None:
        super().__init__(**params)
        self.headings = {key: pn.pane.Markdown("") for key in ("triangulation", "mechanisms", "calibration")}
        self.triangulation_note = pn.pane.Markdown("", css_classes=["triangulation"], sizing_mode="stretch_width")
        self.triangulation = pn.pane.DataFrame(
            None, index=False, sizing_mode="stretch_width", visible=False, css_classes=["triangulation-matrix"]
        )
        self.mechanisms = pn.pane.DataFrame(
            None, index=False, sizing_mode="stretch_width", css_classes=["mechanism-table"]
        )
        self.calibration_plot = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-calibration"])
        self.calibration_table = pn.pane.DataFrame(
            None, index=False, sizing_mode="stretch_width", css_classes=["calibration-table"]
        )
        self.recovery = Recovery(sidebar, language=self.param.language)
        self._layout = pn.Column(
            self.headings["triangulation"],
            self.triangulation_note,
            self.triangulation,
            self.headings["mechanisms"],
            self.mechanisms,
            self.headings["calibration"],
            self.calibration_plot,
            self.calibration_table,
            self.recovery,
            sizing_mode="stretch_width",
        )
        self.relabel()

    def __panel__(self) -> pn.Column:
        return self._layout

    def relabel(self) -> None:
        for key, heading in self.headings.items():
            heading.object = f"### {word(f'{key}_title', self.language)}"

    def draw(self) -> None:
        result, lang = self.result, self.language
        if result is None:
            return
        if result.triangulation is None:  # a run reduced without the analyses
            self.triangulation_note.object = word("triangulation_missing", lang)
            self.triangulation.visible = False
        else:
            self.triangulation_note.object = ""
            matrix = triangulation_matrix(result.triangulation, lang, result.scenario)
            self.triangulation.param.update(object=matrix, visible=True)
        self.mechanisms.object = mechanism_table(result.scenario, lang)
        self.calibration_plot.object = views.calibration(result, lang)
        self.calibration_table.object = calibration_table(result.calibration, lang)
