"""Figures of what-if questions: ``bipsim compare``'s differences and ``bipsim sweep``'s outcomes, with 95% intervals.

Each figure is written twice, as a PNG (matplotlib) to put in a paper or a slide and as a self-contained
HTML page (holoviews/bokeh, JavaScript inline, no network) to hover over. Outcomes are named by their
declared labels (:mod:`bipsim.contract.outcomes`) in Danish or English. Outcomes are measured in different
units, so a figure never puts a share and a number of weeks on one axis: a comparison has one panel per
unit, a sweep one panel per outcome. Shares are shown in per cent, and their differences in percentage
points, because "+2.3 percentage points" is read correctly where "+0.023" is not.

Figures are drawn in memory first (:class:`Figures`); their writers are then handed to
:func:`bipsim.ensemble.results.write_results`, which calls them inside the results folder while it is being
built, so the figures appear atomically with the tables they show. A figure that cannot be drawn (a plotting
package missing) is left out with a warning: it never costs the runs' results.
"""

from __future__ import annotations

import functools
import html
import importlib.util
import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bipsim.contract.outcomes import OUTCOME_KEYS, outcome
from bipsim.scenario import GROUPS, Scenario

LANGUAGES = ("en", "da")
COMPARISON_FILES = ("comparison.png", "comparison.html")
SWEEP_FILES = ("sweep.png", "sweep.html")
FIGURE_PACKAGES = {".png": "matplotlib", ".html": "holoviews"}  # what draws each kind of file
CLEAR, UNCLEAR, ZERO = "#1f4e79", "#9a9a9a", "#555555"
GROUP_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f")
SHOWN_PARAMETERS = 4  # sweep panels per outcome; a Latin hypercube of more parameters shows the first four


@dataclass(frozen=True)
class Scale:
    """How an outcome unit is shown: multiplied by ``factor``, with axis texts for levels and differences."""

    factor: float
    level_da: str
    level_en: str
    difference_da: str
    difference_en: str

    def level(self, language: str) -> str:
        return self.level_da if language == "da" else self.level_en

    def difference(self, language: str) -> str:
        return self.difference_da if language == "da" else self.difference_en


# Keyed by the units declared in bipsim.contract.outcomes; a test checks that every declared unit is here.
SCALES: dict[str, Scale] = {
    "share of citizens": Scale(
        100, "% af borgerne", "% of citizens", "procentpoint (af borgerne)", "percentage points (of citizens)"
    ),
    "share of citizen-weeks": Scale(
        100,
        "% af borger-ugerne",
        "% of citizen-weeks",
        "procentpoint (af borger-ugerne)",
        "percentage points (of citizen-weeks)",
    ),
    "weeks": Scale(1, "uger", "weeks", "uger", "weeks"),
    "changes per citizen": Scale(
        1, "skift pr. borger", "changes per citizen", "skift pr. borger", "changes per citizen"
    ),
    "citizens per quarter": Scale(
        1, "borgere pr. kvartal", "citizens per quarter", "borgere pr. kvartal", "citizens per quarter"
    ),
    "citizens": Scale(1, "borgere", "citizens", "borgere", "citizens"),
    "trust (0-1)": Scale(1, "tillid (0-1)", "trust (0-1)", "forskel i tillid (0-1)", "difference in trust (0-1)"),
}

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "compare_title": "{b} − {a}: difference with 95% interval",
        "compare_note": "A = {a}, B = {b}: {pairs} paired replications (same seeds) of {citizens:,} citizens × "
        "{weeks} weeks. Dark: the interval excludes 0 (a clear difference); grey: it includes 0. Beside each row: "
        "the difference [its interval] (the mean of A, of B).",
        "sweep_title": "{scenario}: mean with 95% interval per setting",
        "sweep_note": "{replications} replications per setting of {citizens:,} citizens × {weeks} weeks; "
        "the band or bar is the 95% interval of the mean.",
        "clear": "interval excludes 0",
        "unclear": "interval includes 0",
        "difference": "difference B − A",
        "mean": "mean",
        "interval": "95% interval",
        "outcome": "outcome",
        "setting": "setting",
    },
    "da": {
        "compare_title": "{b} − {a}: forskel med 95%-interval",
        "compare_note": "A = {a}, B = {b}: {pairs} parrede gentagelser (samme seeds) af {citizens:,} borgere × "
        "{weeks} uger. Mørk: intervallet udelukker 0 (en klar forskel); grå: det indeholder 0. Ved hver række: "
        "forskellen [dens interval] (gennemsnittet i A, i B).",
        "sweep_title": "{scenario}: gennemsnit med 95%-interval pr. indstilling",
        "sweep_note": "{replications} gentagelser pr. indstilling af {citizens:,} borgere × {weeks} uger; "
        "båndet eller stregen er middelværdiens 95%-interval.",
        "clear": "intervallet udelukker 0",
        "unclear": "intervallet indeholder 0",
        "difference": "forskel B − A",
        "mean": "gennemsnit",
        "interval": "95%-interval",
        "outcome": "udfald",
        "setting": "indstilling",
    },
}

FileWriter = Callable[[Path], None]


@dataclass
class Figures:
    """Figures drawn in memory, by file name, and why any were left out."""

    files: dict[str, bytes]
    warnings: list[str]

    def writers(self) -> dict[str, FileWriter]:
        """A writer per file, for :func:`bipsim.ensemble.results.write_results`'s ``files``."""
        return {name: functools.partial(_write_bytes, data=data) for name, data in self.files.items()}

    def paths(self, folder: Path) -> list[Path]:
        """Where the figures are once written to ``folder``."""
        return [Path(folder) / name for name in self.files]


def _write_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def draw(drawers: dict[str, Callable[[], bytes]]) -> Figures:
    """Draw every figure of ``drawers``; a figure whose package is missing or whose drawing fails is left out."""
    files, warnings = {}, []
    for name, drawer in drawers.items():
        package = FIGURE_PACKAGES[Path(name).suffix]
        if importlib.util.find_spec(package) is None:
            warnings.append(f"{name} left out: it needs the package {package!r} (pip install 'bipsim[app]')")
            continue
        try:
            files[name] = drawer()
        except Exception as exc:  # noqa: BLE001 - a figure must never cost the results it shows
            warnings.append(f"{name} left out: it could not be drawn ({type(exc).__name__}: {exc})")
    return Figures(files, warnings)


def word(key: str, language: str, **values: Any) -> str:
    """The text ``key`` in ``language`` (da or en), with ``values`` filled in."""
    return WORDS[language][key].format(**values)


def label(key: str, language: str) -> str:
    """The declared label of outcome ``key`` in ``language``."""
    return getattr(outcome(key), language)


def scale_of(key: str) -> Scale:
    """How outcome ``key`` is shown (its unit's :class:`Scale`)."""
    return SCALES[outcome(key).unit]


def _number(value: float) -> str:
    """A value with about three significant digits, signed: +22.7, -0.125, +3.0e-05."""
    if not np.isfinite(value):
        return ""
    magnitude = abs(value)
    if magnitude < 1e-9:  # rounding noise of a difference between paired runs that agree
        return "0"
    if magnitude >= 100:
        return f"{value:+.0f}"
    if magnitude >= 0.01:
        return f"{value:+.{max(0, 2 - int(np.floor(np.log10(magnitude))))}f}"
    return f"{value:+.1e}"


def _level(value: float) -> str:
    return _number(value).lstrip("+")


# --- bipsim compare --------------------------------------------------------------------------------------------


def comparison_frame(table: pd.DataFrame, language: str) -> pd.DataFrame:
    """The comparison table in display units: one row per outcome with a difference, grouped by unit.

    Columns: outcome, label, unit (the panel's axis text), difference, low, high, mean_a, mean_b (scaled),
    clear (bool), colour and text (the difference, its interval and the two means, as printed beside the row).
    """
    rows = table[table["outcome"].isin(OUTCOME_KEYS) & table["difference"].notna()]
    out = []
    for _, row in rows.iterrows():
        scale = scale_of(row["outcome"])
        values = {k: row[k] * scale.factor for k in ("difference", "low", "high", "mean_a", "mean_b")}
        interval = "" if pd.isna(values["low"]) else f" [{_number(values['low'])}, {_number(values['high'])}]"
        out.append(
            {
                "outcome": row["outcome"],
                "label": label(row["outcome"], language),
                "unit": scale.difference(language),
                **values,
                "clear": bool(row["clear_difference"]),
                "colour": CLEAR if row["clear_difference"] else UNCLEAR,
                "text": f"{_number(values['difference'])}{interval}   "
                f"(A {_level(values['mean_a'])}, B {_level(values['mean_b'])})",
            }
        )
    columns = ["outcome", "label", "unit", "difference", "low", "high", "mean_a", "mean_b", "clear", "colour", "text"]
    return pd.DataFrame(out, columns=columns)


def comparison_figures(table: pd.DataFrame, a: Scenario, b: Scenario, language: str = "en") -> Figures:
    """``comparison.png`` and ``comparison.html`` of the table of ``bipsim compare`` (B - A), drawn in memory."""
    frame = comparison_frame(table, language)
    pairs = int(table["pairs"].max()) if len(table) else 0
    size = {"citizens": a.population.citizens, "weeks": a.population.weeks}
    title = word("compare_title", language, a=a.name, b=b.name)
    note = word("compare_note", language, a=a.name, b=b.name, pairs=pairs, **size)
    return draw(
        {
            "comparison.png": lambda: _png(draw_comparison_png, frame, title, note, language),
            "comparison.html": lambda: comparison_page(frame, title, note, language).encode("utf-8"),
        }
    )


def _panels(frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The rows of ``frame`` by unit, in the order the units first appear."""
    return [(unit, frame[frame["unit"] == unit]) for unit in dict.fromkeys(frame["unit"])]


def draw_comparison_png(frame: pd.DataFrame, title: str, note: str, language: str, target: Any) -> None:
    """One panel per unit: each outcome's difference as a dot with its 95% interval, and a line at 0.

    ``target`` is a file name or a binary file object.
    """
    plt = _pyplot()
    panels = _panels(frame)
    heights = [len(rows) + 1.2 for _, rows in panels] or [1]
    fig, axes = plt.subplots(
        len(heights),
        1,
        figsize=(12, 2.2 + 0.42 * sum(heights)),
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
    )
    for ax, (unit, rows) in zip(axes[:, 0], panels, strict=False):
        y = np.arange(len(rows))[::-1]
        for colour in (UNCLEAR, CLEAR):
            part = rows["colour"].to_numpy() == colour
            if not part.any():
                continue
            lower = (rows["difference"] - rows["low"]).to_numpy()[part]
            upper = (rows["high"] - rows["difference"]).to_numpy()[part]
            ax.errorbar(
                rows["difference"].to_numpy()[part],
                y[part],
                xerr=np.nan_to_num(np.vstack([lower, upper])),
                fmt="o",
                color=colour,
                ecolor=colour,
                elinewidth=2.5,
                capsize=4,
                markersize=7,
                label=word("clear" if colour == CLEAR else "unclear", language),
            )
        ax.axvline(0, color=ZERO, linestyle="--", linewidth=1)
        ax.set_yticks(y, rows["label"].tolist())
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.set_xlabel(unit)
        ax.set_xlim(*_x_range(rows))
        for yy, text in zip(y, rows["text"], strict=True):
            ax.annotate(text, xy=(1.01, yy), xycoords=("axes fraction", "data"), va="center", fontsize=9)
        ax.grid(axis="x", color="#e5e5e5")
    if not panels:
        axes[0, 0].axis("off")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="lower left", ncols=2, fontsize=9, frameon=False)
    _headline(fig, title, note)
    inch, count = 1 / fig.get_figheight(), max(len(panels), 1)
    top, bottom, gap = 1 - 1.3 * inch, 0.9 * inch, 0.75  # gap: inches between panels, for the axis text
    plotted = (top - bottom) * fig.get_figheight()
    # Labels on the left, each row's numbers on the right: the panels take the middle.
    fig.subplots_adjust(
        left=0.3, right=0.66, top=top, bottom=bottom, hspace=gap * count / (plotted - gap * (count - 1))
    )
    fig.savefig(target, dpi=120, format="png")
    plt.close(fig)


def _x_range(rows: pd.DataFrame) -> tuple[float, float]:
    """An axis range that shows 0 and every difference and interval of ``rows``, with a margin."""
    values = rows[["difference", "low", "high"]].to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    low, high = (min(finite.min(), 0.0), max(finite.max(), 0.0)) if finite.size else (-1.0, 1.0)
    pad = (high - low) * 0.08 or 1.0
    return low - pad, high + pad


def _label_room(plot: Any, element: Any) -> None:
    """The same room for row labels in every panel, so that the panels line up."""
    plot.state.min_border_left = 280


def comparison_page(frame: pd.DataFrame, title: str, note: str, language: str) -> str:
    """The comparison as a self-contained HTML page: one hoverable panel per unit and the table below."""
    hv = _holoviews()

    figures = {}
    for k, (unit, rows) in enumerate(_panels(frame)):
        # Numeric rows counted from the top, named by yticks: the same order as the PNG and the table.
        data = rows.assign(y=np.arange(len(rows))[::-1].astype(float))
        lines = hv.Segments(data.dropna(subset=["low"]), ["low", "y", "high", "y"], ["colour"]).opts(
            color="colour", line_width=4
        )
        dots = hv.Scatter(data, "difference", ["y", "label", "text", "colour"]).opts(
            color="colour", size=11, tools=["hover"]
        )
        zero = hv.VLine(0).opts(color=ZERO, line_dash="dashed", line_width=1)
        figures[f"panel{k}"] = (lines * dots * zero).opts(
            width=900,
            height=42 * len(rows) + 70,
            xlabel=unit,
            ylabel="",
            yticks=list(zip(data["y"], data["label"], strict=True)),
            ylim=(-0.6, len(rows) - 0.4),
            xlim=_x_range(rows),
            show_grid=True,
            hooks=[_label_room],
        )
    table = frame[["label", "unit", "text"]].rename(
        columns={"label": word("outcome", language), "unit": "", "text": word("difference", language)}
    )
    return _page(title, note, figures, table, language)


# --- bipsim sweep ----------------------------------------------------------------------------------------------


def sweep_frame(summary: pd.DataFrame, settings: pd.DataFrame, outcomes: Sequence[str]) -> pd.DataFrame:
    """The sweep's summary for ``outcomes`` in display units, with the settings' varied values beside it."""
    varied = varied_parameters(settings)
    rows = summary[summary["outcome"].isin([o for o in outcomes if o in OUTCOME_KEYS])].copy()
    factor = rows["outcome"].map(lambda key: scale_of(key).factor).astype(float)
    for column in ("mean", "low", "high"):
        rows[column] = rows[column].astype(float) * factor
    keep = ["setting_id", *varied, "outcome", "mean", "low", "high"]
    return rows[keep].reset_index(drop=True)


def varied_parameters(settings: pd.DataFrame) -> list[str]:
    """The columns of a sweep's settings table that name varied parameters."""
    return [c for c in settings.columns if c not in ("setting_id", "scenario")]


def sweep_figures(
    summary: pd.DataFrame,
    settings: pd.DataFrame,
    outcomes: Sequence[str],
    scenario: Scenario,
    replications: int,
    language: str = "en",
) -> Figures:
    """``sweep.png`` and ``sweep.html``, drawn in memory: each outcome against each varied parameter's value.

    Along one parameter the other parameters' settings are separate lines with 95% bands; where no two
    settings share the other values (a Latin hypercube) each setting is a point with its 95% interval.
    """
    frame = sweep_frame(summary, settings, outcomes)
    shown = [o for o in outcomes if o in set(frame["outcome"])]
    parameters = varied_parameters(settings)[:SHOWN_PARAMETERS]
    size = {"citizens": scenario.population.citizens, "weeks": scenario.population.weeks}
    title = word("sweep_title", language, scenario=scenario.name)
    note = word("sweep_note", language, replications=replications, **size)
    return draw(
        {
            "sweep.png": lambda: _png(draw_sweep_png, frame, shown, parameters, title, note, language),
            "sweep.html": lambda: sweep_page(frame, shown, parameters, title, note, language).encode("utf-8"),
        }
    )


@dataclass(frozen=True)
class Series:
    """One line (or set of points) of a sweep panel: its name, x positions, tick texts and values."""

    name: str
    x: np.ndarray
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    connected: bool


def sweep_series(frame: pd.DataFrame, key: str, parameter: str, parameters: Sequence[str]) -> tuple[list[Series], Any]:
    """The series of one panel (outcome ``key`` against ``parameter``) and its x ticks (None when numeric).

    A numeric parameter is its own axis; any other (a list of withheld interventions, a switch) is placed at
    0, 1, ... with its values as tick texts.
    """
    rows = frame[frame["outcome"] == key]
    others = [p for p in parameters if p != parameter]
    values = rows[parameter]
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if numeric:
        x_of = values.astype(float)
        ticks = None
    else:
        texts = values.map(_setting_text)
        order = list(dict.fromkeys(texts))
        x_of = texts.map(order.index).astype(float)
        ticks = (list(range(len(order))), order)
    rows = rows.assign(_x=x_of.to_numpy())
    groups = rows.groupby([rows[p].map(_setting_text) for p in others], sort=False) if others else [("", rows)]
    sizes = [len(part) for _, part in groups]
    connected = max(sizes, default=0) > 1
    series = []
    if connected:
        for name, part in groups:
            part = part.sort_values("_x")
            text = ", ".join(
                f"{p}={v}" for p, v in zip(others, name if isinstance(name, tuple) else (name,), strict=False)
            )
            series.append(_series(text, part, True))
    else:
        series.append(_series("", rows.sort_values("_x"), False))
    return series, ticks


def _series(name: str, part: pd.DataFrame, connected: bool) -> Series:
    return Series(
        name,
        part["_x"].to_numpy(dtype=float),
        part["mean"].to_numpy(dtype=float),
        part["low"].to_numpy(dtype=float),
        part["high"].to_numpy(dtype=float),
        connected,
    )


def _setting_text(value: Any) -> str:
    if isinstance(value, (list, tuple, np.ndarray)):
        return "+".join(map(str, value)) or "none"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _parameter_axis(parameter: str) -> str:
    """A parameter's axis text: its name and, where declared, its unit."""
    group, _, name = parameter.partition(".")
    declared = GROUPS.get(group)
    unit = getattr(declared.param.objects("existing").get(name), "unit", "") if declared is not None else ""
    return f"{parameter} ({unit})" if unit else parameter


def draw_sweep_png(
    frame: pd.DataFrame,
    outcomes: Sequence[str],
    parameters: Sequence[str],
    title: str,
    note: str,
    language: str,
    target: Any,
) -> None:
    """A grid of panels, outcomes down and varied parameters across: mean with its 95% band or bars.

    ``target`` is a file name or a binary file object.
    """
    plt = _pyplot()
    rows, cols = max(len(outcomes), 1), max(len(parameters), 1)
    fig, axes = plt.subplots(rows, cols, figsize=(max(5.2 * cols + 1.5, 8), 3.1 * rows + 1.2), squeeze=False)
    for i, key in enumerate(outcomes):
        for j, parameter in enumerate(parameters):
            ax = axes[i, j]
            series, ticks = sweep_series(frame, key, parameter, parameters)
            for k, line in enumerate(series):
                colour = GROUP_COLOURS[k % len(GROUP_COLOURS)]
                if line.connected:
                    ax.fill_between(line.x, line.low, line.high, color=colour, alpha=0.2, linewidth=0)
                    ax.plot(line.x, line.mean, "o-", color=colour, label=line.name or None)
                else:
                    errors = np.nan_to_num(np.vstack([line.mean - line.low, line.high - line.mean]))
                    ax.errorbar(line.x, line.mean, yerr=errors, fmt="o", color=colour, capsize=3)
            if ticks is not None:
                ax.set_xticks(*ticks)
            ax.set_title(label(key, language), fontsize=10)
            ax.set_ylabel(scale_of(key).level(language))
            ax.set_xlabel(_parameter_axis(parameter))
            ax.grid(color="#e5e5e5")
            if any(line.name for line in series):
                ax.legend(fontsize=7)
    if not outcomes or not parameters:
        axes[0, 0].axis("off")
    _headline(fig, title, note)
    fig.tight_layout(rect=(0, 0, 1, 1 - 1.0 / fig.get_figheight()))
    fig.savefig(target, dpi=120, format="png")
    plt.close(fig)


def sweep_page(
    frame: pd.DataFrame, outcomes: Sequence[str], parameters: Sequence[str], title: str, note: str, language: str
) -> str:
    """The sweep as a self-contained HTML page: one hoverable panel per outcome and parameter, the table below."""
    hv = _holoviews()

    figures = {}
    for i, key in enumerate(outcomes):
        for j, parameter in enumerate(parameters):
            series, ticks = sweep_series(frame, key, parameter, parameters)
            layers = []
            for k, line in enumerate(series):
                colour = GROUP_COLOURS[k % len(GROUP_COLOURS)]
                data = pd.DataFrame(
                    {"x": line.x, "mean": line.mean, "low": line.low, "high": line.high, "setting": line.name}
                )
                if line.connected:
                    layers.append(hv.Area(data, "x", ["low", "high"]).opts(color=colour, alpha=0.2, line_alpha=0))
                    layers.append(hv.Curve(data, "x", "mean", label=line.name).opts(color=colour))
                else:
                    bars = data.assign(lower=data["mean"] - data["low"], upper=data["high"] - data["mean"])
                    layers.append(hv.ErrorBars(bars.fillna(0), "x", ["mean", "lower", "upper"]).opts(color=colour))
                layers.append(
                    hv.Scatter(data, "x", ["mean", "low", "high", "setting"]).opts(
                        color=colour, size=8, tools=["hover"]
                    )
                )
            options: dict[str, Any] = {
                "width": 700 if len(parameters) == 1 else 440,
                "padding": 0.06,
                "xformatter": "%.4g",
                "height": 300,
                "title": label(key, language),
                "xlabel": _parameter_axis(parameter),
                "ylabel": scale_of(key).level(language),
                "show_grid": True,
                "legend_position": "top_left",
            }
            if ticks is not None:
                options["xticks"] = list(zip(*ticks, strict=True))
            figures[f"panel{i}_{j}"] = hv.Overlay(layers).opts(**options)
    table = frame.assign(
        outcome=frame["outcome"].map(lambda key: label(key, language)),
        interval=[f"[{_level(lo)}, {_level(hi)}]" for lo, hi in zip(frame["low"], frame["high"], strict=True)],
    ).drop(columns=["low", "high"])
    table = table.rename(
        columns={
            "setting_id": word("setting", language),
            "outcome": word("outcome", language),
            "mean": word("mean", language),
            "interval": word("interval", language),
        }
    )
    return _page(title, note, figures, table, language, columns=len(parameters))


# --- shared ----------------------------------------------------------------------------------------------------


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # files only: never open a window, also where a display is set
    import matplotlib.pyplot as plt

    return plt


def _headline(fig: Any, title: str, note: str) -> None:
    """The figure's title and its note (wrapped to the figure's width) at the top left."""
    inch = 1 / fig.get_figheight()
    fig.text(0.02, 1 - 0.2 * inch, title, fontsize=13, va="top")
    width = int(fig.get_figwidth() * 13)  # characters of 9-point text per line
    fig.text(0.02, 1 - 0.55 * inch, textwrap.fill(note, width), fontsize=9, color="#444444", va="top")


def _holoviews() -> Any:
    import holoviews as hv

    hv.extension("bokeh", logo=False)  # options are checked against a loaded backend
    return hv


def _page(title: str, note: str, figures: dict[str, Any], table: pd.DataFrame, language: str, columns: int = 1) -> str:
    """A self-contained page: title, note, the figures (``columns`` abreast) and the table they show."""
    from bipsim.reports.analysis import embed, standalone_page, table_html

    script, divs = embed(figures)
    cells = "".join(f"<figure>{divs[name]}</figure>" for name in figures)
    grid = f"<div style='display:grid;grid-template-columns:repeat({columns},auto);gap:0 1em'>{cells}</div>"
    body = f"<p>{html.escape(note)}</p>{grid}{table_html(table)}"
    page = standalone_page(title, script, body)
    # Wide sweeps need more than the report's reading width; the page names its own language.
    page = page.replace("max-width:1000px", f"max-width:{max(1000, 480 * columns)}px", 1)
    return page.replace("<html lang='en'>", f"<html lang='{language}'>", 1)


def _png(drawer: Callable[..., Any], *arguments: Any) -> bytes:
    """The PNG that ``drawer(*arguments, target)`` draws, as bytes."""
    buffer = io.BytesIO()
    drawer(*arguments, buffer)
    return buffer.getvalue()
