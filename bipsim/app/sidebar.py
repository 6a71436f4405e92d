"""The sidebar: the scenario a user sets up (preset, size, seed, mechanisms) and the Run that turns it into a result.

Every tab that shows a run reads :attr:`Sidebar.result`; Compare and Recover build their scenarios from
:meth:`Sidebar.scenario`, :meth:`Sidebar.size` and :attr:`Sidebar.seed`, so all tabs follow one set of settings.
"""

from __future__ import annotations

import traceback
from typing import Any

import panel as pn
import param

from bipsim.app.controls import SIZE, Controls
from bipsim.app.data import RunResult
from bipsim.app.i18n import LANGUAGES, word
from bipsim.app.jobs import Job
from bipsim.app.runs import Runner
from bipsim.scenario import Scenario, ScenarioError, builtin_scenarios, load_scenario

DEFAULT_PRESET = "baseline"
WIDTH = 380


def question(preset: str) -> str:
    """The question a built-in scenario answers: the ``# Question:`` line of its file."""
    path = builtin_scenarios().get(preset)
    if path is None:
        return ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# Question:"):
            return line.removeprefix("# Question:").strip()
    return ""


class Sidebar(pn.viewable.Viewer):
    """Preset, size and seed, the Run and Reset buttons with the run's progress, and the parameter cards."""

    language = param.Selector(default="en", objects=list(LANGUAGES), allow_refs=True, doc="Language of the words.")
    result = param.ClassSelector(
        class_=RunResult, default=None, allow_None=True, doc="The latest finished run (None until the first)."
    )

    def __init__(self, runner: Runner, **params: Any) -> None:
        super().__init__(**params)
        self.runner = runner
        presets = list(builtin_scenarios())
        self.controls = Controls()
        self.preset = pn.widgets.Select(
            options=presets,
            value=DEFAULT_PRESET if DEFAULT_PRESET in presets else presets[0],
            description="A built-in scenario from the scenarios/ folder; its file says which question it answers.",
            sizing_mode="stretch_width",
        )
        self.seed_input = pn.widgets.IntInput(
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
        self.job = Job("run", "running", "tabulating", language=self.param.language)
        self.question = pn.pane.Markdown("", styles={"font-style": "italic"}, sizing_mode="stretch_width")
        self.preset_label = pn.pane.Markdown("")
        self.mechanisms_label = pn.pane.Markdown("")
        self.more_label = pn.pane.Markdown("")
        self._layout = pn.Column(
            self.preset_label,
            self.preset,
            self.question,
            *self.controls.size_widgets(),
            self.seed_input,
            pn.Row(self.run_button, self.reset_button, sizing_mode="stretch_width"),
            self.job,
            self.mechanisms_label,
            *self.controls.mechanism_cards(),
            self.more_label,
            *self.controls.other_cards(),
            width=WIDTH,
            styles={"overflow-y": "auto", "max-height": "calc(100vh - 70px)", "padding-right": "8px"},
            css_classes=["sidebar"],
        )
        self.run_button.on_click(self.run)
        self.reset_button.on_click(self._on_reset)
        self.preset.param.watch(self._on_preset, "value")
        self.controls.show(load_scenario(self.preset.value))
        self.job.say("waiting_first")
        self._relabel()

    def __panel__(self) -> pn.Column:
        return self._layout

    @property
    def seed(self) -> int:
        """The seed of every run, comparison and recovery started from this page."""
        return int(self.seed_input.value)

    def scenario(self) -> Scenario:
        """The scenario the sidebar describes; raises :class:`~bipsim.scenario.ScenarioError` when it is invalid."""
        return self.controls.scenario(self.preset.value)

    def size(self) -> dict[str, int]:
        """The population size and weeks the sidebar shows."""
        return self.controls.size()

    async def run(self, event: object = None) -> None:
        """Run the scenario the sidebar describes and publish it as :attr:`result` (which draws the open tab)."""
        try:
            scenario = self.scenario()
        except ScenarioError as exc:
            self.job.fail(str(exc))
            return
        result = await self.job.submit(self.runner, scenario, self.seed, total=scenario.population.weeks)
        if result is None:
            return
        self.job.say(
            "finished",
            n=self.job.completed,
            scenario=scenario.name,
            seed=result.seed,
            citizens=scenario.population.citizens,
            weeks=scenario.population.weeks,
            seconds=result.seconds,
        )
        try:
            self.result = result
        except Exception as exc:  # noqa: BLE001 - a figure that cannot be drawn is shown as an error, not lost
            traceback.print_exc()
            self.job.fail(f"{type(exc).__name__}: {exc}")

    def _on_preset(self, event: object) -> None:
        self.controls.show(load_scenario(self.preset.value), keep=SIZE)
        self.question.object = question(self.preset.value)

    def _on_reset(self, event: object) -> None:
        self.controls.show(load_scenario(self.preset.value))
        self.seed_input.value = 0
        self.job.hide_error()

    @param.depends("language", watch=True)
    def _relabel(self) -> None:
        lang = self.language
        self.preset_label.object = f"**{word('preset', lang)}**"
        self.question.object = question(self.preset.value)
        self.mechanisms_label.object = f"### {word('mechanisms', lang)}"
        self.more_label.object = f"### {word('more_parameters', lang)}"
        self.seed_input.label = word("seed", lang)
        self.run_button.label = word("run", lang)
        self.reset_button.label = word("reset", lang)
