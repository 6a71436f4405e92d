"""Recovery, a section of the Methods tab: do the study's methods find what was planted, over replications?

After a recovery run the section shows one mechanism at a time (a selector): each estimand a method targets in
words, its truth, a dot-and-whisker plot of the methods' estimates against it, and a row per method with its
interval, bias, coverage and the reason. The view is the recovery page's (:func:`bipsim.reports.recovery.
mechanism_section`), so the app and ``bipsim recover --out`` say the same thing in the same words.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import panel as pn
import param

from bipsim.app.data import recovery_study
from bipsim.app.i18n import LANGUAGES, word
from bipsim.app.jobs import Job
from bipsim.app.sidebar import Sidebar
from bipsim.reports.recovery import SECTION_CSS, mechanism_label, mechanism_section, mechanisms
from bipsim.scenario import ScenarioError


class Recovery(pn.viewable.Viewer):
    """Replications of the sidebar's scenario, analysed and compared with their twins, shown mechanism by mechanism."""

    language = param.Selector(default="en", objects=list(LANGUAGES), allow_refs=True, doc="Language of the words.")
    performance = param.DataFrame(default=None, allow_None=True, doc="The performance table of the latest recovery.")

    def __init__(self, sidebar: Sidebar, **params: Any) -> None:
        super().__init__(**params)
        self.sidebar = sidebar
        self.heading = pn.pane.Markdown("")
        self.hint = pn.pane.Markdown("")
        self.replications = pn.widgets.IntSlider(value=3, start=1, end=20, width=220)
        self.button = pn.widgets.Button(color="primary", css_classes=["recover-button"], width=160)
        self.job = Job("recover", "recovering", width=300, language=self.param.language)
        self.mechanism = pn.widgets.Select(options={}, width=320, visible=False, css_classes=["recovery-mechanism"])
        self.section = pn.pane.HTML(
            "", sizing_mode="stretch_width", stylesheets=[SECTION_CSS], css_classes=["recovery-section"]
        )
        self._layout = pn.Column(
            self.heading,
            self.hint,
            pn.Row(self.replications, self.button),
            self.job,
            self.mechanism,
            self.section,
            sizing_mode="stretch_width",
        )
        self._relabel()
        self.button.on_click(self.recover)
        self.mechanism.param.watch(lambda event: self._show(), "value")

    def __panel__(self) -> pn.Column:
        return self._layout

    async def recover(self, event: object = None) -> None:
        """Run the recovery study of the sidebar's scenario and show it mechanism by mechanism."""
        if self.sidebar.refuse(self.job):  # a typed value not allowed, or too big for this server
            return
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
        self.performance = performance

    @param.depends("performance", watch=True)
    def _on_performance(self) -> None:
        self._choices()
        self._show()

    def _choices(self) -> None:
        """The selector's mechanisms, named in the page's language, keeping the chosen one."""
        table: pd.DataFrame | None = self.performance
        keys = mechanisms(table) if table is not None and len(table) else []
        chosen = self.mechanism.value if self.mechanism.value in keys else (keys[0] if keys else None)
        self.mechanism.param.update(
            options={mechanism_label(k, self.language): k for k in keys},
            value=chosen,
            visible=bool(keys),
            name=word("recovery_mechanism", self.language),
        )

    def _show(self) -> None:
        """The chosen mechanism's section in the page's language."""
        table: pd.DataFrame | None = self.performance
        chosen = self.mechanism.value
        if table is None or chosen is None:
            self.section.object = ""
            return
        self.section.object = mechanism_section(table, chosen, self.language)

    @param.depends("language", watch=True)
    def _relabel(self) -> None:
        lang = self.language
        self.heading.object = f"### {word('recovery_title', lang)}"
        self.hint.object = word("recovery_hint", lang)
        self.replications.label = word("replications", lang)
        self.button.label = word("recover_run", lang)
        self._choices()
        self._show()
