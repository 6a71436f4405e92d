"""The sandbox page: sidebar of generated controls, a tab per view, one instance per browser session.

:func:`create_app` builds a fresh :class:`Sandbox` (its own widgets, run state and results) each time a
session opens, which is what ``apps/sandbox.py`` and ``bipsim app`` serve. The first run starts when the
page has loaded, so the page appears at once and fills in as soon as the run is done.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from importlib.resources import files

import holoviews as hv
import pandas as pd
import panel as pn

from bipsim.app import views
from bipsim.app.controls import SIZE, Controls
from bipsim.app.data import Progress, RunResult, compare_scenarios, recovery_study
from bipsim.app.methods import mechanism_table, triangulation_matrix
from bipsim.app.runs import Runs, cached_run, warm_up
from bipsim.contract.vocabulary import INDICATORS, ORIENTATION_KEYS
from bipsim.scenario import ScenarioError, builtin_scenarios, load_scenario

from .i18n import COMPARE_LABELS, term, word

DEFAULT_PRESET = "baseline"
COMPARE_DEFAULT = ("baseline", "low_turnover")
CURRENT = "__current__"
PROGRESS_STEPS = 13  # progress-bar updates per run; more would flood the websocket
Runner = Callable[..., RunResult]

HEADER_COLOUR = "#0072B2"
CSS = """
:host { font-size: 15px; }
.bk-panel-models-markup-HTML table { font-size: 14px; }
"""


def about_text(language: str) -> str:
    """The About page (NetLogo's Info tab) in ``language``."""
    return files("bipsim.app").joinpath(f"about_{language}.md").read_text(encoding="utf-8")


def _throttled(report: Callable[[int, int], None], steps: int = PROGRESS_STEPS) -> Progress:
    last = [-1]

    def progress(done: int, total: int) -> None:
        step = done * steps // max(total, 1)
        if step != last[0] or done >= total:
            last[0] = step
            report(done, total)

    return progress


class Sandbox:
    """One session's page: controls, views, and the runs behind them."""

    def __init__(self, runner: Runner | None = None) -> None:
        pn.extension(raw_css=[CSS], notifications=False)
        hv.extension("bokeh", logo=False)
        self.runner = runner if runner is not None else cached_run
        self.runs = Runs()
        self.result: RunResult | None = None
        self._stale: set[int] = set()
        self.compared: tuple[pd.DataFrame, str, str] | None = None
        self.language = "en"
        presets = list(builtin_scenarios())
        self.controls = Controls()
        self.preset = pn.widgets.Select(
            options=presets,
            value=DEFAULT_PRESET if DEFAULT_PRESET in presets else presets[0],
            description="A built-in scenario from the scenarios/ folder; its file says which question it answers.",
            sizing_mode="stretch_width",
        )
        self.seed = pn.widgets.IntInput(
            value=0,
            start=0,
            end=2**31 - 1,
            description="Random seed: the same seed and settings give the same run.",
            css_classes=["seed"],
            sizing_mode="stretch_width",
        )
        self.run_button = pn.widgets.Button(color="primary", css_classes=["run-button"], sizing_mode="stretch_width")
        self.reset_button = pn.widgets.Button(
            color="default", css_classes=["reset-button"], sizing_mode="stretch_width"
        )
        self.language_switch = pn.widgets.RadioButtonGroup(
            options={"English": "en", "Dansk": "da"}, value="en", color="light"
        )
        self.progress = pn.indicators.Progress(
            value=0, max=100, sizing_mode="stretch_width", bar_color="primary", visible=False
        )
        self.status = pn.pane.Markdown("", css_classes=["run-status"], sizing_mode="stretch_width")
        self.error = pn.pane.Alert(
            "", alert_type="danger", visible=False, css_classes=["run-error"], sizing_mode="stretch_width"
        )
        self.title = pn.pane.HTML("", styles={"font-size": "26px", "font-weight": "600", "color": "white"})
        self.question = pn.pane.Markdown("", styles={"font-style": "italic"}, sizing_mode="stretch_width")
        self.preset_label = pn.pane.Markdown("")
        self.mechanisms_label = pn.pane.Markdown("")
        self.more_label = pn.pane.Markdown("")

        # views: panes are created once and their objects replaced after each run
        self.flows = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-flows"])
        self.activities = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-activities"])
        self.entries = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-entries"])
        self.indicator = pn.widgets.Select(options={}, sizing_mode="fixed", width=360)
        self.orientation = pn.widgets.Select(options={}, sizing_mode="fixed", width=260)
        self.readiness = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-readiness"])
        self.gap = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-gap"])
        self.register = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-register"])
        self.register_note = pn.pane.Markdown("")
        self.story_pick = pn.widgets.Select(options={}, sizing_mode="fixed", width=360, css_classes=["story-pick"])
        self.story = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-story"])
        self.narratives = pn.pane.Markdown(
            "", css_classes=["story-narrative"], width=400, height=520, styles={"overflow-y": "auto"}
        )
        self.triangulation = pn.pane.Markdown("", css_classes=["triangulation"], sizing_mode="stretch_width")
        self.triangulation_table = pn.pane.DataFrame(None, index=False, sizing_mode="stretch_width", visible=False)
        self.mechanisms = pn.pane.DataFrame(
            None, index=False, sizing_mode="stretch_width", css_classes=["mechanism-table"]
        )
        self.calibration_plot = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-calibration"])
        self.calibration_table = pn.pane.DataFrame(
            None, index=False, sizing_mode="stretch_width", css_classes=["calibration-table"]
        )
        self.methods_titles = [pn.pane.Markdown("") for _ in range(4)]
        self.recovery_hint = pn.pane.Markdown("")
        self.recovery_replications = pn.widgets.IntSlider(value=3, start=1, end=20, width=220)
        self.recover_button = pn.widgets.Button(color="primary", css_classes=["recover-button"], width=160)
        self.recover_progress = pn.indicators.Progress(value=0, max=100, width=300, visible=False)
        self.recover_status = pn.pane.Markdown("", css_classes=["recover-status"])
        self.recovery_plot = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-recovery"])
        self.recovery_table = pn.pane.DataFrame(
            None, index=False, sizing_mode="stretch_width", css_classes=["recovery-table"]
        )
        self.recovered: pd.DataFrame | None = None
        compare_options = {word("current", "en"): CURRENT, **{p: p for p in presets}}
        self.compare_first = pn.widgets.Select(options=compare_options, value=COMPARE_DEFAULT[0], width=240)
        self.compare_second = pn.widgets.Select(options=compare_options, value=COMPARE_DEFAULT[1], width=240)
        self.replications = pn.widgets.IntSlider(value=3, start=1, end=10, width=220)
        self.compare_button = pn.widgets.Button(color="primary", css_classes=["compare-button"], width=160)
        self.compare_progress = pn.indicators.Progress(value=0, max=100, width=300, visible=False)
        self.compare_hint = pn.pane.Markdown("")
        self.compare_status = pn.pane.Markdown("", css_classes=["compare-status"])
        self.compare_plot = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-compare"])
        self.compare_table = pn.pane.DataFrame(
            None, index=False, sizing_mode="stretch_width", css_classes=["compare-table"]
        )
        self.about = pn.pane.Markdown(
            "", sizing_mode="stretch_width", styles={"max-width": "900px"}, css_classes=["about"]
        )
        self.tabs = pn.Tabs(dynamic=True, sizing_mode="stretch_width")

        self.run_button.on_click(self._on_run)
        self.reset_button.on_click(self._on_reset)
        self.compare_button.on_click(self._on_compare)
        self.recover_button.on_click(self._on_recover)
        self.preset.param.watch(self._on_preset, "value")
        self.language_switch.param.watch(self._on_language, "value")
        self.indicator.param.watch(lambda _: self._draw_readiness(), "value")
        self.orientation.param.watch(lambda _: self._draw_readiness(), "value")
        self.story_pick.param.watch(lambda _: self._draw_story(), "value")
        self.controls.show(load_scenario(self.preset.value))
        self._relabel()

    # --- layout --------------------------------------------------------------------------------------
    def _tab_contents(self) -> list[tuple[str, pn.viewable.Viewable]]:
        lang = self.language
        return [
            (
                word("tab_flows", lang),
                pn.Column(
                    self.flows,
                    pn.Row(self.activities, self.entries, sizing_mode="stretch_width"),
                    sizing_mode="stretch_width",
                ),
            ),
            (
                word("tab_readiness", lang),
                pn.Column(
                    pn.Row(self.indicator, self.orientation), self.readiness, self.gap, sizing_mode="stretch_width"
                ),
            ),
            (word("tab_register", lang), pn.Column(self.register, self.register_note, sizing_mode="stretch_width")),
            (
                word("tab_stories", lang),
                pn.Column(
                    self.story_pick,
                    pn.Row(self.story, self.narratives, sizing_mode="stretch_width"),
                    sizing_mode="stretch_width",
                ),
            ),
            (
                word("tab_methods", lang),
                pn.Column(
                    self.methods_titles[0],
                    self.triangulation,
                    self.triangulation_table,
                    self.methods_titles[1],
                    self.mechanisms,
                    self.methods_titles[2],
                    self.calibration_plot,
                    self.calibration_table,
                    self.methods_titles[3],
                    self.recovery_hint,
                    pn.Row(self.recovery_replications, self.recover_button),
                    self.recover_progress,
                    self.recover_status,
                    self.recovery_plot,
                    self.recovery_table,
                    sizing_mode="stretch_width",
                ),
            ),
            (
                word("tab_compare", lang),
                pn.Column(
                    self.compare_hint,
                    pn.FlexBox(self.compare_first, self.compare_second, self.replications, self.compare_button),
                    self.compare_progress,
                    self.compare_status,
                    self.compare_plot,
                    self.compare_table,
                    sizing_mode="stretch_width",
                ),
            ),
            (word("tab_about", lang), pn.Column(self.about, sizing_mode="stretch_width")),
        ]

    def view(self) -> pn.Column:
        """The page: a header, the sidebar of controls and the tabs of views."""
        self.tabs[:] = self._tab_contents()
        self.tabs.param.watch(lambda _: self._draw(), "active")
        sidebar = pn.Column(
            self.preset_label,
            self.preset,
            self.question,
            *self.controls.size_widgets(),
            self.seed,
            pn.Row(self.run_button, self.reset_button, sizing_mode="stretch_width"),
            self.progress,
            self.status,
            self.error,
            self.mechanisms_label,
            *self.controls.mechanism_cards(),
            self.more_label,
            *self.controls.other_cards(),
            width=380,
            styles={"overflow-y": "auto", "max-height": "calc(100vh - 70px)", "padding-right": "8px"},
            css_classes=["sidebar"],
        )
        header = pn.Row(
            self.title,
            pn.HSpacer(),
            self.language_switch,
            styles={"background": HEADER_COLOUR, "color": "white", "padding": "4px 16px"},
            sizing_mode="stretch_width",
        )
        pn.state.onload(self._first_run)
        return pn.Column(
            header,
            pn.Row(sidebar, self.tabs, sizing_mode="stretch_width"),
            sizing_mode="stretch_width",
        )

    # --- language ------------------------------------------------------------------------------------
    def _relabel(self) -> None:
        lang = self.language
        self.title.object = (
            f"{word('title', lang)} <small style='font-weight:400;color:white'>· {word('subtitle', lang)}</small>"
        )
        self.preset.label = ""
        self.preset_label.object = f"**{word('preset', lang)}**"
        self.mechanisms_label.object = f"### {word('mechanisms', lang)}"
        self.more_label.object = f"### {word('more_parameters', lang)}"
        self.seed.label = word("seed", lang)
        self.run_button.label = word("run", lang)
        self.reset_button.label = word("reset", lang)
        self.question.object = self._question(self.preset.value)
        self.indicator.label, self.orientation.label = word("indicator", lang), word("orientation", lang)
        indicators = {views.indicator_label(i.key, lang): i.key for i in INDICATORS if i.key != "caseworker_job_belief"}
        self.indicator.param.update(options=indicators, value=self.indicator.value or "work_belief")
        orientations = {
            word("all_orientations", lang): "all",
            **{term("orientation", k, lang): k for k in ORIENTATION_KEYS},
        }
        self.orientation.param.update(options=orientations, value=self.orientation.value or "all")
        self.story_pick.label = word("story_pick", lang)
        self.compare_first.label, self.compare_second.label = word("compare_first", lang), word("compare_second", lang)
        self.replications.label = word("replications", lang)
        self.compare_button.label = word("compare_run", lang)
        self.compare_hint.object = word("compare_hint", lang)
        self.methods_titles[0].object = f"### {word('triangulation_title', lang)}"
        self.methods_titles[1].object = f"### {word('mechanisms_title', lang)}"
        self.methods_titles[2].object = f"### {word('calibration_title', lang)}"
        self.methods_titles[3].object = f"### {word('recovery_title', lang)}"
        self.recovery_hint.object = word("recovery_hint", lang)
        self.recovery_replications.label = word("replications", lang)
        self.recover_button.label = word("recover_run", lang)
        self.about.object = about_text(lang)
        if not self.status.object or self.result is None:
            self.status.object = word("waiting_first", lang)

    def _question(self, preset: str) -> str:
        path = builtin_scenarios().get(preset)
        if path is None:
            return ""
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# Question:"):
                return line.removeprefix("# Question:").strip()
        return ""

    def _on_language(self, event: object) -> None:
        self.language = self.language_switch.value
        self._relabel()
        self.tabs[:] = self._tab_contents()
        self._draw(everything=True)

    # --- running -------------------------------------------------------------------------------------
    def _on_preset(self, event: object) -> None:
        self.controls.show(load_scenario(self.preset.value), keep=SIZE)
        self.question.object = self._question(self.preset.value)

    def _on_reset(self, event: object) -> None:
        self.controls.show(load_scenario(self.preset.value))
        self.seed.value = 0
        self.error.visible = False

    async def _first_run(self) -> None:
        await self._run()

    async def _on_run(self, event: object) -> None:
        await self._run()

    def _report(self, done: int, total: int) -> None:
        self.progress.value = int(100 * done / max(total, 1))
        self.status.object = (
            word("running", self.language, done=done, total=total)
            if done < total
            else word("tabulating", self.language)
        )

    async def _run(self) -> None:
        lang = self.language
        self.error.visible = False
        try:
            scenario = self.controls.scenario(self.preset.value)
        except ScenarioError as exc:
            self._fail(str(exc))
            return
        self.progress.param.update(value=0, visible=True)
        self.status.object = word("running", lang, done=0, total=scenario.population.weeks)
        try:
            current, result = await self.runs.submit(
                "run", self.runner, scenario, int(self.seed.value), progress=_throttled(self._report)
            )
        except Exception as exc:  # noqa: BLE001 - any failure of a run is shown in the page
            traceback.print_exc()
            self._fail(f"{type(exc).__name__}: {exc}")
            return
        if not current:
            return  # a newer run replaced this one; it will draw
        self.result = result
        self.progress.visible = False
        self.status.object = word(
            "finished",
            self.language,
            n=self.runs.completed,
            scenario=scenario.name,
            seed=result.seed,
            citizens=scenario.population.citizens,
            weeks=scenario.population.weeks,
            seconds=result.seconds,
        )
        try:
            self._draw(everything=True)
        except Exception as exc:  # noqa: BLE001
            traceback.print_exc()
            self._fail(f"{type(exc).__name__}: {exc}")

    def _fail(self, message: str) -> None:
        self.progress.visible = False
        self.status.object = ""
        self.error.object = word("failed", self.language, error=message)
        self.error.visible = True

    # --- drawing -------------------------------------------------------------------------------------
    def _draw(self, everything: bool = False) -> None:
        """Draw the views of the active tab; ``everything`` marks every tab as needing a new drawing first.

        Views of hidden tabs are drawn when their tab is opened, so a run only pays for what is seen.
        """
        if everything:
            self._stale = set(range(len(self.tabs)))
        if self.result is None or self.tabs.active not in self._stale:
            return
        self._stale.discard(self.tabs.active)
        drawers = (
            self._draw_flows,
            self._draw_readiness,
            self._draw_register,
            self._draw_stories,
            self._draw_methods,
            self._draw_compare,
        )
        if self.tabs.active < len(drawers):
            drawers[self.tabs.active]()

    def _draw_flows(self) -> None:
        result, lang = self.result, self.language
        self.flows.object = views.flows(result, lang)
        self.activities.object = views.activities(result, lang)
        self.entries.object = views.job_entries(result, lang)

    def _draw_register(self) -> None:
        self.register.object = views.self_sufficiency(self.result, self.language)
        self.register_note.object = self._register_note(self.result, self.language)

    def _draw_stories(self) -> None:
        result, lang = self.result, self.language
        stories = {f"#{cid} · {term('orientation', s.orientation, lang)}": cid for cid, s in result.stories.items()}
        keep = self.story_pick.value if self.story_pick.value in result.stories else next(iter(result.stories), None)
        self.story_pick.param.update(options=stories, value=keep)
        self._draw_story()

    def _draw_readiness(self) -> None:
        if self.result is None or not self.indicator.value:
            return
        self.readiness.object = views.readiness(
            self.result, self.indicator.value, self.orientation.value, self.language
        )
        self.gap.object = views.rater_gap(self.result, self.orientation.value, self.language)

    def _draw_story(self) -> None:
        result, lang = self.result, self.language
        if result is None:
            return
        story = result.stories.get(self.story_pick.value)
        if story is None:
            self.story.object = None
            self.narratives.object = word("no_story", lang)
            return
        self.story.object = views.story(story, result.scenario.population.weeks, lang)
        self.narratives.object = views.narratives_markdown(story, lang)

    def _register_note(self, result: RunResult, lang: str) -> str:
        table = result.self_sufficiency
        last = table[table["quarter"] == table["quarter"].max()].set_index("group")
        parts = [f"{word(g, lang)}: n = {int(last.loc[g, 'n']):,}" for g in ("got_job", "no_job") if g in last.index]
        return " · ".join(parts)

    def _draw_methods(self) -> None:
        result, lang = self.result, self.language
        if result.triangulation is None:
            self.triangulation.object = word("triangulation_missing", lang)
            self.triangulation_table.visible = False
        else:
            self.triangulation.object = ""
            self.triangulation_table.object = triangulation_matrix(result.triangulation)
            self.triangulation_table.visible = True
        self.mechanisms.object = mechanism_table(result.scenario)
        self.calibration_plot.object = views.calibration(result, lang)
        table = result.calibration[["key", "figure", "published", "simulated", "tolerance", "within", "note"]]
        self.calibration_table.object = table.round(3)
        self._draw_recovery()

    # --- compare -------------------------------------------------------------------------------------
    def _compare_scenario(self, choice: str):  # noqa: ANN202 - returns Scenario
        size = {name: self.controls.widgets["population", name].value for name in SIZE}
        if choice == CURRENT:
            return self.controls.scenario(self.preset.value)
        return load_scenario(choice).replace(population=size)

    async def _on_compare(self, event: object) -> None:
        lang = self.language
        self.error.visible = False
        first, second = self.compare_first.value, self.compare_second.value
        try:
            scenarios = (self._compare_scenario(first), self._compare_scenario(second))
        except ScenarioError as exc:
            self._fail(str(exc))
            return
        replications = int(self.replications.value)

        def report(done: int, total: int) -> None:
            self.compare_progress.value = int(100 * done / total)
            self.compare_status.object = word("comparing", self.language, done=done, total=total)

        self.compare_progress.param.update(value=0, visible=True)
        self.compare_status.object = word("comparing", lang, done=0, total=2 * replications)
        try:
            current, table = await self.runs.submit(
                "compare", compare_scenarios, *scenarios, int(self.seed.value), replications, progress=report
            )
        except Exception as exc:  # noqa: BLE001
            traceback.print_exc()
            self.compare_progress.visible = False
            self._fail(f"{type(exc).__name__}: {exc}")
            return
        if not current:
            return
        names = tuple(word("current", self.language) if c == CURRENT else c for c in (first, second))
        self.compared = (table, *names)
        self.compare_progress.visible = False
        self.compare_status.object = word("compared", self.language)
        self._draw_compare()

    async def _on_recover(self, event: object) -> None:
        self.error.visible = False
        try:
            scenario = self.controls.scenario(self.preset.value)
        except ScenarioError as exc:
            self._fail(str(exc))
            return
        replications = int(self.recovery_replications.value)

        def report(done: int, total: int) -> None:
            self.recover_progress.value = int(100 * done / total)
            self.recover_status.object = word("recovering", self.language, done=done, total=total)

        self.recover_progress.param.update(value=0, visible=True)
        self.recover_status.object = word("recovering", self.language, done=0, total=replications)
        try:
            current, table = await self.runs.submit(
                "recover", recovery_study, scenario, int(self.seed.value), replications, progress=report
            )
        except Exception as exc:  # noqa: BLE001
            traceback.print_exc()
            self.recover_progress.visible = False
            self._fail(f"{type(exc).__name__}: {exc}")
            return
        if not current:
            return
        self.recovered = table
        self.recover_progress.visible = False
        self.recover_status.object = word("recovered", self.language)
        self._draw_recovery()

    def _draw_recovery(self) -> None:
        from bipsim.reports.recovery import bias_plot, with_truth

        if self.recovered is None:
            return
        self.recovery_plot.object = bias_plot(self.recovered)
        self.recovery_table.object = with_truth(self.recovered)

    def _draw_compare(self) -> None:
        if self.compared is None:
            return
        table, first, second = self.compared
        lang = self.language
        self.compare_plot.object = views.compare(table, first, second, lang)
        shown = pd.DataFrame(
            {
                word("outcome", lang): [COMPARE_LABELS[o][lang] for o in table["outcome"]],
                f"A: {first}": table["first"].round(3),
                f"B: {second}": table["second"].round(3),
                "B − A": table["difference"].round(3),
                "SE": table["se"].round(3),
                "95%": [f"[{lo:.3f}, {hi:.3f}]" for lo, hi in zip(table["low"], table["high"], strict=True)],
            }
        )
        self.compare_table.object = shown


def default_scenario():  # noqa: ANN201 - returns Scenario
    """The scenario of the first run of every page: the default preset as declared."""
    return load_scenario(DEFAULT_PRESET)


def create_app(runner: Runner | None = None) -> pn.Column:
    """A new sandbox page for one session; ``runner(scenario, seed, progress)`` replaces the model run in tests."""
    if runner is None:
        warm_up(default_scenario())
    return Sandbox(runner).view()
