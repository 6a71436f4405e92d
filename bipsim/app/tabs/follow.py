"""Follow a citizen: any citizen of the run shown, on lanes and as text, as ``bipsim follow --truth`` shows them.

Stories shows the interviewed citizens; here a student types any id. The timeline is the one of
:mod:`bipsim.reports.follow` (register spells, activities, caseworker changes, observed meetings, interviews, the
true status, and survey answers against latent readiness), drawn from the whole run (:mod:`bipsim.app.full_runs`),
which is computed off the event loop the first time a run is followed. Below it, the citizen's social network two
ties out, with the employers its members worked for and their jobcentres (:mod:`bipsim.app.network`).
"""

from __future__ import annotations

import html
from typing import Any

import panel as pn

from bipsim.app import views
from bipsim.app.full_runs import FullRun, cached_full_run
from bipsim.app.i18n import word
from bipsim.app.jobs import Job
from bipsim.app.network import neighbourhood
from bipsim.app.tabs.tab import RunTab
from bipsim.reports import follow

EXAMPLES = 5  # interviewed citizens named in the hint


class Follow(RunTab):
    """A citizen id to type, that citizen's timeline figures and their whole record as text."""

    title_key = "tab_follow"

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self.citizen = pn.widgets.IntInput(value=None, width=160, css_classes=["follow-id"])
        self.hint = pn.pane.Markdown("", sizing_mode="stretch_width", css_classes=["follow-hint"])
        self.job = Job("follow", "follow_progress", language=self.param.language)
        self.missing = pn.pane.Alert(
            "", alert_type="warning", visible=False, css_classes=["follow-missing"], sizing_mode="stretch_width"
        )
        self.lanes = pn.pane.HoloViews(None, css_classes=["fig-follow"])
        self.answers = pn.pane.HoloViews(None, css_classes=["fig-follow-answers"])
        self.network = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-network"])
        self.text = pn.pane.HTML("", css_classes=["follow-text"], sizing_mode="stretch_width")
        self.details = pn.Card(self.text, collapsed=True, sizing_mode="stretch_width")
        self._layout = pn.Column(
            pn.Row(self.citizen, self.hint, sizing_mode="stretch_width"),
            self.job,
            self.missing,
            self.lanes,
            self.answers,
            self.network,
            self.details,
            sizing_mode="stretch_width",
        )
        self._shown: tuple[int, int] | None = None  # (id of the run's result, citizen) on screen
        self.relabel()
        self.citizen.param.watch(lambda _: self.redraw(), "value")

    def __panel__(self) -> pn.Column:
        return self._layout

    def relabel(self) -> None:
        self.citizen.name = word("follow_id", self.language)
        self.details.title = word("follow_details", self.language)
        self._hint()

    def _hint(self) -> None:
        result = self.result
        if result is None:
            return
        examples = ", ".join(str(cid) for cid in list(result.stories)[:EXAMPLES]) or "-"
        last = result.scenario.population.citizens - 1
        self.hint.object = word("follow_hint", self.language, first=0, last=last, examples=examples)

    def draw(self) -> None:
        result = self.result
        if result is None:
            return
        self._hint()
        if self.citizen.value is None:  # the first interviewed citizen: a life with interviews to look at
            self.citizen.value = next(iter(result.stories), 0)  # its watcher draws
            return
        pn.state.execute(self._follow)

    async def _follow(self) -> None:
        """Get the whole run off the event loop (at once when it is cached) and show the chosen citizen."""
        result = self.result
        if result is None:
            return
        run = await self.job.submit(
            cached_full_run, result.scenario, result.seed, total=result.scenario.population.weeks
        )
        if run is None or result is not self.result:  # failed (the job says why), or a newer run is on its way
            return
        self.show(run, self.citizen.value)

    def show(self, run: FullRun, citizen_id: int) -> None:
        """Draw citizen ``citizen_id`` of ``run``, or say which ids there are when the run has no such citizen."""
        lang = self.language
        first, last = run.citizen_ids
        if not first <= citizen_id <= last:
            self.missing.param.update(
                object=word("follow_missing", lang, cid=citizen_id, first=first, last=last), visible=True
            )
            self.job.status.object = ""
            return
        self.missing.visible = False
        life = follow.life_in_run(run.model, citizen_id, run.observed, run.truth)
        self.lanes.object, self.answers.object = (views.numbers_in(f, lang) for f in follow.figures(life, lang))
        self.network.object = views.network(neighbourhood(run.model, citizen_id), lang)
        self.text.object = f"<pre style='font-size:13px'>{html.escape(follow.life_text(life, lang))}</pre>"
        self.job.say("follow_shown", cid=citizen_id, scenario=run.model.scenario.name, seed=run.model.seed)
