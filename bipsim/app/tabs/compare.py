"""Compare: two scenarios over paired replications, the difference of key outcomes with 95% intervals.

Where bipsim ships the plausible ensemble of the baseline, an option runs both scenarios under (up to
:data:`~bipsim.app.data.APP_VECTORS` of) its parameter vectors, so the interval includes parameter
uncertainty, as ``bipsim compare --ensemble baseline`` does; without the file the option is not shown.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import panel as pn

from bipsim.app import views
from bipsim.app.data import compare_over_plausible, compare_scenarios, plausible_vectors
from bipsim.app.i18n import COMPARE_LABELS, number, word
from bipsim.app.jobs import Job
from bipsim.app.sidebar import Sidebar
from bipsim.app.tabs.tab import Tab
from bipsim.scenario import Scenario, ScenarioError, builtin_scenarios, load_scenario

CURRENT = "__current__"  # the choice "the sidebar's current settings"
DEFAULT = ("baseline", "low_turnover")
UNCERTAINTY_WORDS: dict[str, dict[str, str]] = {
    "option": {
        "en": "include parameter uncertainty (plausible ensemble, {vectors} vectors)",
        "da": "medtag parameterusikkerhed (plausibelt ensemble, {vectors} vektorer)",
    },
    "monte_carlo": {"en": "95% Monte Carlo only", "da": "95% kun Monte Carlo"},
    "with_parameters": {"en": "95% with parameters", "da": "95% med parametre"},
    "same_sign": {"en": "vectors with the same sign", "da": "vektorer med samme fortegn"},
}
"""The option's words, Danish and English; the interval columns are named apart so neither is mistaken."""


class Compare(Tab):
    """Scenarios A and B to pick (a preset or the sidebar's settings), replications, and B minus A per outcome."""

    title_key = "tab_compare"

    def __init__(self, sidebar: Sidebar, **params: Any) -> None:
        super().__init__(**params)
        self.sidebar = sidebar
        self.compared: tuple[pd.DataFrame, str, str] | None = None  # the table and the choices it compares
        self.hint = pn.pane.Markdown("")
        self.first = pn.widgets.Select(options=[], width=240)
        self.second = pn.widgets.Select(options=[], width=240)
        self.replications = pn.widgets.IntSlider(value=3, start=1, end=10, width=220)
        self.ensemble = plausible_vectors()
        self.uncertainty = pn.widgets.Checkbox(value=False, visible=self.ensemble is not None)
        self.uncertainty.param.watch(self._fewest_replications, "value")
        self.button = pn.widgets.Button(color="primary", css_classes=["compare-button"], width=160)
        self.job = Job("compare", "comparing", width=300, language=self.param.language)
        self.plot = pn.pane.HoloViews(None, sizing_mode="stretch_width", css_classes=["fig-compare"])
        self.table = pn.pane.DataFrame(None, index=False, sizing_mode="stretch_width", css_classes=["compare-table"])
        self._layout = pn.Column(
            self.hint,
            pn.FlexBox(self.first, self.second, self.replications, self.button),
            self.uncertainty,
            self.job,
            self.plot,
            self.table,
            sizing_mode="stretch_width",
        )
        self.relabel()
        self.first.value, self.second.value = DEFAULT
        self.button.on_click(self.compare)

    def __panel__(self) -> pn.Column:
        return self._layout

    def scenario(self, choice: str) -> Scenario:
        """The scenario of a choice: the sidebar's settings, or a preset at the sidebar's size."""
        if choice == CURRENT:
            return self.sidebar.scenario()
        return load_scenario(choice).replace(population=self.sidebar.size())

    def _fewest_replications(self, event: object = None) -> None:
        """Parameter uncertainty needs two replications per vector to tell it from Monte Carlo uncertainty."""
        fewest = 2 if self.uncertainty.value else 1
        self.replications.param.update(start=fewest, value=max(fewest, self.replications.value))

    async def compare(self, event: object = None) -> None:
        """Run both scenarios over paired replications (under each plausible vector) and show the differences."""
        first, second = self.first.value, self.second.value
        if self.sidebar.refuse(self.job):  # a typed value not allowed, or too big for this server
            return
        try:
            scenarios = (self.scenario(first), self.scenario(second))
        except ScenarioError as exc:
            self.job.fail(str(exc))
            return
        replications = int(self.replications.value)
        if self.ensemble is not None and self.uncertainty.value:
            table = await self.job.submit(
                compare_over_plausible,
                *scenarios,
                self.sidebar.seed,
                replications,
                self.ensemble,
                total=2 * replications * len(self.ensemble.vectors),
            )
        else:
            table = await self.job.submit(
                compare_scenarios, *scenarios, self.sidebar.seed, replications, total=2 * replications
            )
        if table is None:
            return
        self.compared = (table, first, second)
        self.job.say("compared")
        self.redraw()

    def relabel(self) -> None:
        lang = self.language
        options = {word("current", lang): CURRENT, **{p: p for p in builtin_scenarios()}}
        for select, key in ((self.first, "compare_first"), (self.second, "compare_second")):
            select.param.update(options=options, label=word(key, lang))
        self.replications.label = word("replications", lang)
        self.button.label = word("compare_run", lang)
        self.hint.object = word("compare_hint", lang)
        vectors = len(self.ensemble.vectors) if self.ensemble is not None else 0
        self.uncertainty.name = UNCERTAINTY_WORDS["option"][lang].format(vectors=vectors)

    def draw(self) -> None:
        if self.compared is None:
            return
        table, *choices = self.compared
        lang = self.language
        first, second = (word("current", lang) if c == CURRENT else c for c in choices)
        self.plot.object = views.compare(table, first, second, lang)
        self.table.object = compare_table(table, first, second, lang)


def _interval(low: float, high: float, language: str) -> str:
    return f"[{number(low, language, '+.1f')}, {number(high, language, '+.1f')}]"


def compare_table(table: pd.DataFrame, first: str, second: str, language: str) -> pd.DataFrame:
    """The comparison as the chart shows it, in the same units.

    Shares in %, their differences in percentage points, other outcomes in their own unit; intervals beside the
    difference, numbers written as the language writes them.
    """
    shown = views.in_units(table)
    share = shown["unit"] == views.SHARE_UNIT
    level_unit = [
        word("share_percent", language) if s else views.unit_label(u, language)
        for s, u in zip(share, shown["unit"], strict=True)
    ]
    out = {
        word("outcome", language): [COMPARE_LABELS[o][language] for o in shown["key"]],
        f"A: {first}": [number(v, language, ".1f") for v in shown["first"]],
        f"B: {second}": [number(v, language, ".1f") for v in shown["second"]],
        word("unit_column", language): level_unit,
        "B − A": [number(v, language, "+.1f") for v in shown["difference"]],
        word("difference_unit_column", language): [views.unit_label(u, language) for u in shown["unit"]],
        "SE": [number(v, language, ".1f") if pd.notna(v) else "" for v in shown["se"]],
    }
    intervals = [_interval(lo, hi, language) for lo, hi in zip(shown["low"], shown["high"], strict=True)]
    if "mc_low" in table:  # over the plausible ensemble: both intervals and the sign agreement
        words = {key: UNCERTAINTY_WORDS[key][language] for key in ("monte_carlo", "with_parameters", "same_sign")}
        out[words["monte_carlo"]] = [
            _interval(lo, hi, language) for lo, hi in zip(shown["mc_low"], shown["mc_high"], strict=True)
        ]
        out[words["with_parameters"]] = intervals
        out[words["same_sign"]] = [
            f"{round(share * n)}/{n}" if n else ""
            for share, n in zip(table["same_sign"], table["vectors"], strict=True)
        ]
    else:
        out["95%"] = intervals
    return pd.DataFrame(out)
