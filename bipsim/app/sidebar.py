"""The sidebar: the scenario a user sets up (preset, size, seed, mechanisms) and the Run that turns it into a result.

Every tab that shows a run reads :attr:`Sidebar.result`; Compare and Recover build their scenarios from
:meth:`Sidebar.scenario`, :meth:`Sidebar.size` and :attr:`Sidebar.seed`, so all tabs follow one set of settings.
Below Run, the user saves the settings as a scenario file, the shown run's bundle as a zip, and a link; a link
opened later sets the sidebar before the first run (:meth:`Sidebar.apply_link`), and after every run the page's
address is the link of that run, so reloading the page shows the same run. Typed values the declaration does not
allow, and runs bigger than the server's limit (:mod:`bipsim.app.limits`), are named in a message under the size
while Run waits (:meth:`Sidebar.problems`); every tab that starts runs asks the same question first.
"""

from __future__ import annotations

import io
import traceback
from typing import Any

import panel as pn
import param

from bipsim.app.controls import SIZE, Controls, group_title, number_problem
from bipsim.app.data import RunResult
from bipsim.app.export import (
    SEED_MAX,
    LinkProblem,
    bundle_zip,
    file_stem,
    read_settings_query,
    scenario_file,
    settings_query,
)
from bipsim.app.full_runs import cached_full_run
from bipsim.app.i18n import LANGUAGES, QUESTIONS_DA, word
from bipsim.app.jobs import Job
from bipsim.app.limits import too_big
from bipsim.app.runs import Runner
from bipsim.dataset.bundle import BUNDLE_FILES
from bipsim.scenario import GROUPS, MECHANISMS, Scenario, ScenarioError, builtin_scenarios, load_scenario

DEFAULT_PRESET = "baseline"
WIDTH = 380


def question(preset: str, language: str = "en") -> str:
    """The question a built-in scenario answers: the ``# Question:`` lines of its file, or their Danish translation."""
    if language == "da" and preset in QUESTIONS_DA:
        return QUESTIONS_DA[preset]
    path = builtin_scenarios().get(preset)
    if path is None:
        return ""
    lines: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# Question:"):
            lines.append(line.removeprefix("# Question:").strip())
        elif lines and line.startswith("# ") and line.strip() != "#":  # the question goes on
            lines.append(line.removeprefix("# ").strip())
        elif lines:
            break
    return " ".join(lines)


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
            sizing_mode="stretch_width",
        )
        self.seed_input = pn.widgets.IntInput(
            value=0,
            css_classes=["seed"],
            sizing_mode="stretch_width",
        )
        self.run_button = pn.widgets.Button(color="primary", css_classes=["run-button"], sizing_mode="stretch_width")
        self.reset_button = pn.widgets.Button(
            color="default", css_classes=["reset-button"], sizing_mode="stretch_width"
        )
        self.job = Job("run", "running", "tabulating", language=self.param.language)
        self.checks = pn.pane.Alert(
            "", alert_type="warning", visible=False, css_classes=["input-problems"], sizing_mode="stretch_width"
        )
        self.question = pn.pane.Markdown("", styles={"font-style": "italic"}, sizing_mode="stretch_width")
        self.preset_label = pn.pane.Markdown("")
        self.mechanisms_label = pn.pane.Markdown("")
        self.more_label = pn.pane.Markdown("")
        self._export_parts()
        self.mechanism_cards = pn.Column(*self.controls.cards(MECHANISMS), margin=0, sizing_mode="stretch_width")
        self.other_cards = pn.Column(*self.controls.cards(self._other_groups()), margin=0, sizing_mode="stretch_width")
        self._layout = pn.Column(
            self.preset_label,
            self.preset,
            self.question,
            *self.controls.size_widgets(),
            self.seed_input,
            self.checks,
            pn.Row(self.run_button, self.reset_button, sizing_mode="stretch_width"),
            self.job,
            self.notice,
            self.export_card,
            self.mechanisms_label,
            self.mechanism_cards,
            self.more_label,
            self.other_cards,
            width=WIDTH,
            styles={"overflow-y": "auto", "max-height": "calc(100vh - 70px)", "padding-right": "8px"},
            css_classes=["sidebar"],
        )
        self.run_button.on_click(self.run)
        self.reset_button.on_click(self._on_reset)
        self.link_button.on_click(self._show_link)
        self.preset.param.watch(self._on_preset, "value")
        for widget in (self.seed_input, *(widget for widget, _ in self.controls.numbers())):
            widget.param.watch(lambda event: self._say_checks(), "value")
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

    def problems(self) -> list[tuple[str, dict[str, Any]]]:
        """What keeps the sidebar's settings from running, as (app word, values); empty when they can run.

        Typed values the declaration does not allow come first, then a size above the server's limit.
        """
        lang = self.language
        found = [("message", {"text": text}) for text in self.controls.problems(lang)]
        seed = number_problem(word("seed", lang), self.seed_input.value, (0, SEED_MAX), lang)
        if seed:
            found.append(("message", {"text": seed}))
        size = self.size()
        if not found and (oversized := too_big(size["citizens"], size["weeks"])) is not None:
            found.append(("too_big", oversized))
        return found

    def refuse(self, job: Job) -> bool:
        """Whether the settings cannot run; if so ``job`` shows why (its run is refused, never started)."""
        found = self.problems()
        if found:
            key, values = found[0]
            job.refuse(key, **values)
        return bool(found)

    def _say_checks(self) -> None:
        lines = [word(key, self.language, **values) for key, values in self.problems()]
        self.checks.param.update(object="\n\n".join(lines), visible=bool(lines))
        self.run_button.disabled = bool(lines)

    async def run(self, event: object = None) -> None:
        """Run the scenario the sidebar describes and publish it as :attr:`result` (which draws the open tab)."""
        if self.refuse(self.job):
            return
        try:
            scenario = self.scenario()
        except ScenarioError as exc:
            self.job.fail(str(exc))
            return
        preset = self.preset.value
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
        self._address(settings_query(preset, result.seed, scenario))

    # --- save and share ---------------------------------------------------------------------------------------

    def _export_parts(self) -> None:
        """The export card's widgets: two downloads, the bundle's progress, the link and what went wrong."""
        self.download_settings = pn.widgets.FileDownload(
            callback=self._settings_file,
            filename="bipsim.toml",
            label="",
            css_classes=["export-toml"],
            sizing_mode="stretch_width",
        )
        self.download_bundle = pn.widgets.FileDownload(
            callback=self._bundle_file,
            filename="bipsim.zip",
            label="",
            css_classes=["export-bundle"],
            sizing_mode="stretch_width",
        )
        self.export_job = Job("export", "export_progress", language=self.param.language)
        self.link_button = pn.widgets.Button(css_classes=["link-button"], sizing_mode="stretch_width")
        self.link = pn.widgets.TextInput(
            value="", visible=False, css_classes=["share-link"], sizing_mode="stretch_width"
        )
        self.export_hint = pn.pane.Markdown("", styles={"font-size": "0.85em"}, sizing_mode="stretch_width")
        self.notice = pn.pane.Alert(
            "", alert_type="warning", visible=False, css_classes=["export-notice"], sizing_mode="stretch_width"
        )
        self._problems: list[LinkProblem] = []
        self.export_card = pn.Card(
            self.download_settings,
            self.download_bundle,
            self.export_job,
            self.link_button,
            self.link,
            self.export_hint,
            collapsed=True,
            sizing_mode="stretch_width",
            css_classes=["export-card"],
        )

    def settings_link(self) -> str:
        """The address of this page with the query that reproduces the sidebar's settings and seed.

        Raises :class:`~bipsim.scenario.ScenarioError` when the settings are invalid.
        """
        query = settings_query(self.preset.value, self.seed, self.scenario())
        location = pn.state.location
        base = location.href.split("?")[0].split("#")[0] if location is not None and location.href else ""
        return f"{base}?{query}"

    def apply_link(self, arguments: dict[str, str]) -> None:
        """Set the sidebar to what a link's query (name to value) asks for; say which of its settings were left out."""
        if not arguments:
            return
        settings = read_settings_query(arguments, self.preset.value)
        if settings.preset is not None:
            self.preset.value = settings.preset
        scenario = load_scenario(self.preset.value).replace(settings.values)
        self.controls.show(scenario)
        if settings.seed is not None:
            self.seed_input.value = settings.seed
        self._problems = settings.problems
        self._say_problems()

    def _say_problems(self) -> None:
        lang = self.language
        lines = [
            word("link_bad" if p.known else "link_unknown", lang, setting=p.key, value=p.value) for p in self._problems
        ]
        self.notice.param.update(object="\n\n".join(lines), visible=bool(lines))

    def _settings_file(self) -> io.BytesIO:
        """The TOML download: the sidebar's settings with a header naming the seed (a ScenarioError is shown)."""
        try:
            scenario = self.scenario()
        except ScenarioError as exc:
            self.notice.param.update(object=str(exc), visible=True)
            raise
        self.download_settings.filename = f"{file_stem(scenario, self.seed)}.toml"
        return io.BytesIO(scenario_file(scenario, self.seed).encode("utf-8"))

    async def _bundle_file(self) -> io.BytesIO:
        """The zip download: the shown run again (cached when it was followed) and its bundle, off the event loop."""
        result = self.result
        if result is None:
            self.notice.param.update(object=word("no_run_yet", self.language), visible=True)
            raise RuntimeError("no finished run to export")
        weeks = result.scenario.population.weeks

        def work(progress: Any) -> bytes:
            run = cached_full_run(result.scenario, result.seed, progress)
            return bundle_zip(run, lambda done, _: progress(weeks + done, weeks + BUNDLE_FILES))

        data = await self.export_job.submit(work, total=weeks + BUNDLE_FILES)
        if data is None:  # the job's error box says why
            raise RuntimeError("the bundle could not be written")
        name = f"{file_stem(result.scenario, result.seed)}.zip"
        self.download_bundle.filename = name
        self.export_job.say("exported", name=name, mb=len(data) / 1e6)
        return io.BytesIO(data)

    def _show_link(self, event: object = None) -> None:
        try:
            self.link.param.update(value=self.settings_link(), visible=True)
        except ScenarioError as exc:
            self.notice.param.update(object=str(exc), visible=True)

    @staticmethod
    def _address(query: str) -> None:
        """Put ``query`` in the browser's address bar (in a served page), so a reload shows the same run."""
        location = pn.state.location
        if location is not None and pn.state.curdoc is not None and pn.state.curdoc.session_context is not None:
            location.search = f"?{query}"

    def _on_preset(self, event: object) -> None:
        self.controls.show(load_scenario(self.preset.value), keep=SIZE)
        self.question.object = question(self.preset.value, self.language)

    def _on_reset(self, event: object) -> None:
        self.controls.show(load_scenario(self.preset.value))
        self.seed_input.value = 0
        self.job.hide_error()
        self._problems = []  # the preset's values replace whatever a link asked for
        self._say_problems()

    @staticmethod
    def _other_groups() -> tuple[str, ...]:
        return tuple(g for g in GROUPS if g not in MECHANISMS)

    @param.depends("language", watch=True)
    def _relabel(self) -> None:
        lang = self.language
        self.preset_label.object = f"**{word('preset', lang)}**"
        self.question.object = question(self.preset.value, lang)
        self.mechanisms_label.object = f"### {word('mechanisms', lang)}"
        self.more_label.object = f"### {word('more_parameters', lang)}"
        self.seed_input.label = word("seed", lang)
        self.preset.description = word("preset_tip", lang)
        self.seed_input.description = word("seed_tip", lang)
        self.controls.relabel(lang)
        for name in SIZE:
            self.controls.widgets["population", name].name = word(name, lang)
        # New cards in the new language, in one change per column: retitling each card made the browser lay the
        # whole sidebar out once per card (seconds on a classroom laptop)
        opened = self.controls.opened()
        for column, groups in ((self.mechanism_cards, MECHANISMS), (self.other_cards, self._other_groups())):
            if any(self.controls.group_cards[g].title != group_title(g, lang) for g in groups):
                column.objects = self.controls.cards(groups, lang, opened)
        self.run_button.label = word("run", lang)
        self.reset_button.label = word("reset", lang)
        self.export_card.title = word("export", lang)
        self.download_settings.label = word("export_toml", lang)
        self.download_bundle.label = word("export_bundle", lang)
        self.link_button.label = word("export_link", lang)
        self.link.name = word("export_link_label", lang)
        self.export_hint.object = word("export_hint", lang)
        self._say_problems()
        self._say_checks()
