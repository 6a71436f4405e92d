"""Recovery, a section of the Methods tab: do the study's methods find what was planted, over replications?"""

from __future__ import annotations

from typing import Any

import panel as pn
import param

from bipsim.app.data import recovery_study
from bipsim.app.i18n import LANGUAGES, word
from bipsim.app.jobs import Job
from bipsim.app.sidebar import Sidebar
from bipsim.reports.recovery import bias_plot, with_truth
from bipsim.scenario import ScenarioError


class Recovery(pn.viewable.Viewer):
    """Replications of the sidebar's scenario, each analysed and compared with its twins: bias against the truth."""

    language = param.Selector(default="en", objects=list(LANGUAGES), allow_refs=True, doc="Language of the words.")

    def __init__(self, sidebar: Sidebar, **params: Any) -> None:
        super().__init__(**params)
        self.sidebar = sidebar
        self.heading = pn.pane.Markdown("")
        self.hint = pn.pane.Markdown("")
        self.replications = pn.widgets.IntSlider(value=3, start=1, end=20, width=220)
        self.button = pn.widgets.Button(color="primary", css_classes=["recover-button"], width=160)
        self.job = Job("recover", "recovering", width=300, language=self.param.language)
        self.plot = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-recovery"])
        self.table = pn.pane.DataFrame(None, index=False, sizing_mode="stretch_width", css_classes=["recovery-table"])
        self._layout = pn.Column(
            self.heading,
            self.hint,
            pn.Row(self.replications, self.button),
            self.job,
            self.plot,
            self.table,
            sizing_mode="stretch_width",
        )
        self._relabel()
        self.button.on_click(self.recover)

    def __panel__(self) -> pn.Column:
        return self._layout

    async def recover(self, event: object = None) -> None:
        """Run the recovery study of the sidebar's scenario and show its bias and performance table."""
        try:
            scenario = self.sidebar.scenario()
        except ScenarioError as exc:
            self.job.fail(str(exc))
            return
        replications = int(self.replications.value)
        performance = await self.job.submit(
            recovery_study, scenario, self.sidebar.seed, replications, total=replications
        )
        if performance is None:
            return
        self.job.say("recovered")
        self.plot.object = bias_plot(performance)
        self.table.object = with_truth(performance)

    @param.depends("language", watch=True)
    def _relabel(self) -> None:
        lang = self.language
        self.heading.object = f"### {word('recovery_title', lang)}"
        self.hint.object = word("recovery_hint", lang)
        self.replications.label = word("replications", lang)
        self.button.label = word("recover_run", lang)
