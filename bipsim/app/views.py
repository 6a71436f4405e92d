"""The sandbox's figures: hvplot on the small tables of a :class:`~bipsim.app.data.RunResult`.

Every function takes the run's tables and a language and returns a HoloViews object with a title, axis
labels with units and a legend, in colours chosen to stay apart on a projector (Okabe-Ito).
"""

from __future__ import annotations

import holoviews as hv
import hvplot.pandas  # noqa: F401 - registers DataFrame.hvplot
import numpy as np
import pandas as pd

from bipsim.app.data import FLOW_BANDS, STORY_EVENTS, RunResult, Story
from bipsim.app.network import Neighbourhood
from bipsim.contract.outcomes import OUTCOMES
from bipsim.contract.vocabulary import INDICATORS, INTERVENTION_KEYS
from bipsim.reports import palette

from .i18n import COMPARE_LABELS, WORDS, calibration_figure, term, word

HEIGHT = 380
FONT = {"title": "15pt", "labels": "13pt", "xticks": "12pt", "yticks": "12pt", "legend": "12pt"}
STATUS_COLOURS = {**palette.STATUS_COLOURS, "exited": "#999999"}  # "exited": the flows' band of every exit
ACTIVITY_COLOURS = palette.ACTIVITY_COLOURS
SOURCE_COLOURS = {"latent": "#222222", "citizen": "#E69F00", "caseworker": "#0072B2"}
GROUP_COLOURS = {"got_job": "#0072B2", "no_job": "#D55E00"}
CASEWORKER_COLOURS = ("#4477AA", "#AA3377", "#228833", "#CCBB44", "#66CCEE", "#EE6677")


def _style(plot: hv.core.Dimensioned, language: str, height: int = HEIGHT, **opts: object) -> hv.core.Dimensioned:
    plot = plot.opts(fontsize=FONT, responsive=True, height=height, toolbar="right", shared_axes=False, **opts)
    return numbers_in(plot, language)


DANISH_TICK_JS = "return tick.toLocaleString('da-DK', {maximumFractionDigits: 3});"
"""A tick as Danish writes it: a thousands point, a decimal comma, up to three decimals."""


def _danish_ticks(plot: object, element: object) -> None:
    """A HoloViews hook: every number axis and colour bar of the Bokeh figure writes 1.000 and 0,25.

    Bokeh's ``NumeralTickFormatter(language="da-dk")`` writes English in the browser (Numbro's Danish is not in
    BokehJS), so the browser's own Danish number format writes the ticks.
    """
    from bokeh.models import CategoricalAxis, ColorBar, CustomJSTickFormatter, DatetimeAxis

    def danish() -> CustomJSTickFormatter:
        return CustomJSTickFormatter(code=DANISH_TICK_JS)

    figure = plot.state
    for axis in [*getattr(figure, "xaxis", []), *getattr(figure, "yaxis", [])]:
        if not isinstance(axis, CategoricalAxis | DatetimeAxis):
            axis.formatter = danish()
    for bar in figure.select(type=ColorBar) if hasattr(figure, "select") else ():
        bar.formatter = danish()


def numbers_in(plot: hv.core.Dimensioned, language: str) -> hv.core.Dimensioned:
    """``plot`` with its axes' numbers written as ``language`` writes them (Bokeh writes English, 1,000 and 0.25).

    Danish writes a decimal comma and a thousands point; Bokeh's own formatter knows only English, so in Danish
    each number axis formats its ticks with the browser's Danish number format.
    """
    return plot.opts(hooks=[_danish_ticks]) if language == "da" else plot


def flows(result: RunResult, language: str) -> hv.Overlay:
    """Stacked area of citizens in each status band per week."""
    return flows_of(result.flows, language)


def flows_of(table: pd.DataFrame, language: str, **opts: object) -> hv.Overlay:
    """Stacked area of citizens in each status band per week, from a week x FLOW_BANDS table."""
    labels = {band: term("status", band, language) for band in FLOW_BANDS}
    frame = table.rename(columns=labels).reset_index()
    plot = frame.hvplot.area(
        responsive=True,
        x="week",
        y=list(labels.values()),
        stacked=True,
        color=[STATUS_COLOURS[b] for b in FLOW_BANDS],
        line_width=0,
        alpha=0.9,
        title=word("flows_title", language),
        group_label=word("lane_status", language),
        xlabel=word("week", language),
        ylabel=word("n_citizens", language),
        legend="right",
        hover="vline",
    )
    return _style(plot, language, **opts)


def live_readiness(table: pd.DataFrame, weeks: int, language: str) -> hv.Overlay:
    """Readiness of the citizens on social assistance, week by week: the mean and the middle half (quartiles)."""
    frame = table.reset_index()
    band = hv.Area(frame, kdims=["week"], vdims=["low", "high"], label=word("middle_half", language)).opts(
        color="#56B4E9", alpha=0.35, line_width=0
    )
    mean = hv.Curve(frame, kdims=["week"], vdims=["mean"], label=word("mean", language)).opts(
        color="#0072B2", line_width=3, tools=["hover"]
    )
    plot = (band * mean).opts(
        title=word("live_readiness_title", language),
        xlabel=word("week", language),
        ylabel=word("readiness_score", language),
        xlim=(0, weeks),
        ylim=(1, 5),
        legend_position="top_right",
    )
    return _style(plot, language, height=HEIGHT - 60)


def activities(result: RunResult, language: str) -> hv.Overlay:
    """Citizens in each intervention type per week."""
    labels = {key: term("activity", key, language) for key in INTERVENTION_KEYS}
    frame = result.activities.rename(columns=labels).reset_index()
    plot = frame.hvplot.line(
        responsive=True,
        x="week",
        y=list(labels.values()),
        color=[ACTIVITY_COLOURS[k] for k in INTERVENTION_KEYS],
        line_width=3,
        title=word("activities_title", language),
        group_label=word("lane_activity", language),
        xlabel=word("week", language),
        ylabel=word("n_citizens", language),
        hover="vline",
    )
    # Below the plot: on the right, six long labels leave the lines a third of a half-width cell
    return _style(plot, language, legend_position="bottom", legend_cols=2, height=HEIGHT + 60)


def job_entries(result: RunResult, language: str) -> hv.Bars:
    """Hires into an ordinary job per quarter."""
    plot = result.job_entries.hvplot.bar(
        responsive=True,
        x="quarter",
        y="hires",
        color=STATUS_COLOURS["job"],
        title=word("entries_title", language),
        xlabel=word("quarter", language),
        ylabel=word("hires", language),
        hover_cols="all",
    )
    return _style(plot, language, show_legend=False, height=HEIGHT + 60)  # as tall as the activities beside it


def indicator_label(key: str, language: str) -> str:
    """The indicator's name, marked when it is a modelling assumption."""
    indicator = next(i for i in INDICATORS if i.key == key)
    label = term("indicator", key, language)
    return label if indicator.confirmed else f"{label} {word('assumption', language)}"


def readiness(result: RunResult, indicator: str, orientation: str, language: str) -> hv.Overlay:
    """One indicator over the survey weeks: latent truth, citizens' answers and caseworkers' answers."""
    rows = result.readiness[
        (result.readiness["indicator"] == indicator) & (result.readiness["orientation"] == orientation)
    ]
    wide = rows.pivot_table(index="week", columns="source", values="mean")
    sources = [s for s in SOURCE_COLOURS if s in wide.columns]
    labels = {s: word(s, language) for s in sources}
    frame = wide[sources].rename(columns=labels).reset_index()
    options = {
        "x": "week",
        "y": list(labels.values()),
        "color": [SOURCE_COLOURS[s] for s in sources],
        "xlabel": word("week", language),
        "ylabel": word("score", language),
        "ylim": (1, 5),
        "legend": "top_left",
    }
    lines = frame.hvplot.line(
        responsive=True,
        line_width=3,
        title=word("readiness_title", language, indicator=indicator_label(indicator, language)),
        group_label=word("source", language),
        **options,
    )
    points = frame.hvplot.scatter(responsive=True, size=60, hover_cols="all", **options)
    return _style(lines * points, language)


def rater_gap(result: RunResult, orientation: str, language: str) -> hv.HeatMap:
    """Caseworker minus citizen mean answer per indicator and survey week."""
    rows = result.readiness[result.readiness["orientation"] == orientation]
    wide = rows.pivot_table(index=["indicator", "week"], columns="source", values="mean")
    if not {"citizen", "caseworker"} <= set(wide.columns):
        return _style(hv.HeatMap([]).opts(title=word("gap_title", language)), language)
    gap = (wide["caseworker"] - wide["citizen"]).dropna().rename("gap").reset_index()
    gap["indicator"] = [term("indicator", k, language) for k in gap["indicator"]]
    limit = float(max(np.abs(gap["gap"]).max(), 0.1)) if len(gap) else 1.0
    plot = gap.hvplot.heatmap(
        responsive=True,
        x="week",
        y="indicator",
        C="gap",
        cmap="RdBu_r",
        clim=(-limit, limit),
        title=word("gap_title", language),
        xlabel=word("week", language),
        ylabel="",
        clabel=word("gap", language),
    )
    return _style(plot, language, colorbar=True)


def self_sufficiency(result: RunResult, language: str) -> hv.Overlay:
    """Mean self-sufficiency degree per quarter: those who got a job and those who did not."""
    frame = result.self_sufficiency.copy()
    groups = [g for g in GROUP_COLOURS if g in set(frame["group"])]
    frame[word("group", language)] = [word(g, language) for g in frame["group"]]
    options = {
        "x": "quarter",
        "y": "mean",
        "by": word("group", language),
        "color": [GROUP_COLOURS[g] for g in groups],
        "xlabel": word("quarter", language),
        "ylabel": word("selfsuff", language),
        "ylim": (0, 1),
        "legend": "top_left",
    }
    lines = frame.hvplot.line(responsive=True, line_width=3, title=word("selfsuff_title", language), **options)
    points = frame.hvplot.scatter(responsive=True, size=60, hover_cols=["n"], **options)
    return _style(lines * points, language)


LANES = ("interviews", "events", "activity", "caseworker", "status")


def story(story: Story, weeks: int, language: str) -> hv.Overlay:
    """A citizen's timeline: status, caseworker and activity spells, events and interviews, on lanes.

    Statuses, activities and event kinds take their colours from :mod:`bipsim.reports.palette`, so a caseworker
    change is one colour for every citizen; the legend below names each colour on the figure.
    """
    y_of = {lane: k for k, lane in enumerate(LANES)}
    spells = story.spells.copy()
    spells["y"] = spells["lane"].map(y_of).astype(float)
    caseworker_rank = {cw: k for k, cw in enumerate(dict.fromkeys(spells.loc[spells["lane"] == "caseworker", "key"]))}

    def colour(row: pd.Series) -> str:
        if row.lane in ("status", "activity"):
            return palette.colour(row.lane, row.key)
        return CASEWORKER_COLOURS[caseworker_rank[row.key] % len(CASEWORKER_COLOURS)]

    def label(row: pd.Series) -> str:
        if row.lane == "caseworker":
            return f"{word('lane_caseworker', language)} {row.key}"
        return term("status" if row.lane == "status" else "activity", row.key, language)

    spells["colour"] = [colour(r) for r in spells.itertuples()]
    spells["label"] = [label(r) for r in spells.itertuples()]
    spells["weeks"] = spells["end"] - spells["start"]
    kdims, vdims = ["start", "y", "end", "y"], ["label", "colour", "weeks"]
    named = spells[spells["lane"] != "caseworker"]
    layers: list[hv.Element] = [
        hv.Segments(part, kdims, vdims, label=part["label"].iloc[0]).opts(
            color=part["colour"].iloc[0], line_width=22, tools=["hover"]
        )
        for _, part in named.sort_values(["lane"], ascending=False, kind="stable").groupby(["lane", "key"], sort=False)
    ]
    layers.append(
        hv.Segments(spells[spells["lane"] == "caseworker"], kdims, vdims).opts(
            color="colour", line_width=22, tools=["hover"]
        )
    )
    long = spells[(spells["weeks"] >= max(weeks // 10, 8)) & (spells["lane"] != "caseworker")]
    layers.append(
        hv.Labels(
            long.assign(x=(long["start"] + long["end"]) / 2 - 0.5, y=long["y"] + 0.32),
            kdims=["x", "y"],
            vdims=["label"],
        ).opts(text_font_size="10pt", text_color="#222222")
    )
    events = story.events.assign(y=float(y_of["events"]))
    hover = [c for c in ("detail", "caseworker_id", "employer_id") if c in events.columns]
    for kind in [e for e in STORY_EVENTS if e in set(events["event"])]:
        mine = events[events["event"] == kind]
        layers.append(
            hv.Scatter(mine, "week", ["y", *hover], label=term("event", kind, language)).opts(
                color=palette.colour("event", kind), size=13, marker="diamond", line_color="white", tools=["hover"]
            )
        )
    interviews = story.interviews.assign(y=float(y_of["interviews"]))
    layers.append(
        hv.Scatter(interviews, "week", ["y", "wave"], label=word("interview", language)).opts(
            color=palette.INTERVIEW_COLOUR, size=16, marker="star", tools=["hover"]
        )
    )
    ticks = [(y_of[lane], word(f"lane_{lane}", language)) for lane in LANES]
    title = word(
        "story_title", language, cid=story.citizen_id, orientation=term("orientation", story.orientation, language)
    )
    plot = hv.Overlay(layers).opts(
        title=title,
        xlabel=word("week", language),
        ylabel="",
        yticks=ticks,
        ylim=(-0.7, len(LANES) - 0.4),
        xlim=(-1, weeks + 1),
    )
    entries = len(named.groupby(["lane", "key"])) + len(set(events["event"])) + 1
    height = HEIGHT + 40 + 26 * -(-entries // STORY_LEGEND_COLUMNS)
    return _style(
        plot, language, legend_position="bottom", legend_cols=STORY_LEGEND_COLUMNS, show_grid=True, height=height
    )


STORY_LEGEND_COLUMNS = 3


def narratives_markdown(story: Story, language: str) -> str:
    """The citizen's interview narratives as Markdown, one paragraph per interview."""
    column = "text_da" if language == "da" else "text_en"
    parts = [f"### {word('narratives', language)}"]
    for row in story.interviews.itertuples():
        themes = ", ".join(row.themes) if len(row.themes) else "-"
        parts.append(
            f"**{word('interview', language)} {row.wave + 1}** · {word('week', language).split()[0]} {row.week} · "
            f"_{word('themes', language)}: {themes}_\n\n> {getattr(row, column)}"
        )
    return "\n\n".join(parts)


def calibration(result: RunResult, language: str) -> hv.Overlay:
    """Published figures (with their tolerance) and simulated ones, for the figures that are shares."""
    table = result.calibration
    table = table[table["simulated"].notna() & table["published"].notna() & (table["published"] <= 1)]
    table = table.reset_index(drop=True).assign(y=lambda f: np.arange(len(f), dtype=float))
    ranges = hv.Segments(
        table.assign(low=table["published"] - table["tolerance"], high=table["published"] + table["tolerance"]),
        kdims=["low", "y", "high", "y"],
        vdims=["figure"],
    ).opts(color="#999999", line_width=10, alpha=0.6)
    published = table.hvplot.scatter(
        responsive=True,
        x="published",
        y="y",
        color="#222222",
        marker="square",
        size=90,
        label=word("published", language),
        hover_cols=["figure"],
    )
    simulated = table.hvplot.scatter(
        responsive=True,
        x="simulated",
        y="y",
        color="#D55E00",
        size=110,
        label=word("simulated", language),
        hover_cols=["figure"],
    )
    plot = (ranges * published * simulated).opts(
        title=word("calibration_plot", language),
        xlabel=word("share", language),
        ylabel="",
        yticks=[
            (y, _short(calibration_figure(key, figure, language)))
            for y, key, figure in zip(table["y"], table["key"], table["figure"], strict=True)
        ],
        legend_position="right",
    )
    return _style(plot, language, height=max(HEIGHT, 26 * len(table) + 120))


def _short(text: str, limit: int = 48) -> str:
    """``text`` cut to ``limit`` characters at a word, with an ellipsis when cut (for axis ticks)."""
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit)].rstrip(" ,(") + "…"


def compare(table: pd.DataFrame, first: str, second: str, language: str) -> hv.Layout:
    """Difference B - A of each outcome with its 95% interval, one panel per unit (shares in percentage points).

    Outcomes in different units never share an axis, so a difference of two weeks does not dwarf one of two
    percentage points; each panel's axis is symmetric around zero, so the sign is read at a glance.
    """
    panels = []
    for unit, rows in in_units(table).groupby("unit", sort=False):
        frame = rows.reset_index(drop=True).assign(
            y=lambda f: np.arange(len(f), dtype=float)[::-1],  # the table's first row at the top
            outcome=lambda f: [COMPARE_LABELS[o][language] for o in f["key"]],
        )
        reach = float(np.nanmax(np.abs(frame[["difference", "low", "high"]].to_numpy()))) if len(frame) else 1.0
        reach = 1.1 * (reach if np.isfinite(reach) and reach > 0 else 1.0)
        intervals = hv.Segments(frame, kdims=["low", "y", "high", "y"], vdims=["outcome"]).opts(
            color="#0072B2", line_width=6
        )
        points = frame.hvplot.scatter(
            responsive=True,
            x="difference",
            y="y",
            color="#0072B2",
            size=140,
            hover_cols=["outcome", "low", "high"],
            label=f"{second} − {first}",
        )
        zero = hv.VLine(0).opts(color="#222222", line_dash="dashed")
        plot = (intervals * points * zero).opts(
            title=word("compare_title", language, r=int(table["replications"].iloc[0])) if not panels else "",
            xlabel=word("difference_in", language, unit=unit_label(unit, language)),
            ylabel="",
            yticks=list(zip(frame["y"], frame["outcome"], strict=True)),
            ylim=(-0.6, len(frame) - 0.4),
            xlim=(-reach, reach),
            legend_position="bottom",
            show_legend=not panels,
        )
        panels.append(_style(plot, language, height=110 + 55 * len(frame) + (60 if not panels else 0)))
    return hv.Layout(panels).cols(1).opts(shared_axes=False)


SHARE_UNIT = "pp"


def in_units(table: pd.DataFrame) -> pd.DataFrame:
    """The compared outcomes in the units they are read in: the numbers both the chart and the table show.

    Shares become percentages and their differences percentage points (``unit`` "pp"); everything else keeps
    its declared unit.
    """
    units = {o.key: o.unit for o in OUTCOMES}
    rows = []
    for row in table.itertuples():
        share = units.get(row.outcome, "").startswith("share")
        factor = 100.0 if share else 1.0
        values = {"key": row.outcome, "unit": SHARE_UNIT if share else units.get(row.outcome, "")}
        for column in ("first", "second", "difference", "se", "low", "high", "mc_low", "mc_high"):
            if column in table.columns:
                values[column] = factor * getattr(row, column)
        values["low"] = values["difference"] if pd.isna(values["low"]) else values["low"]
        values["high"] = values["difference"] if pd.isna(values["high"]) else values["high"]
        rows.append(values)
    return pd.DataFrame(rows)


def unit_label(unit: str, language: str) -> str:
    """A unit in words: percentage points for shares, else the declared unit (weeks)."""
    key = "unit_pp" if unit == SHARE_UNIT else f"unit_{unit.replace(' ', '_')}"
    return word(key, language) if key in WORDS else unit


EDGE_STYLES = {
    "social": ("#AAAAAA", 1.5, "solid"),
    "works": ("#0072B2", 2.5, "solid"),
    "tie": ("#555555", 1.0, "dashed"),
}
PLACE_MARKERS = {"employer": ("square", "#8C6D31"), "jobcentre": ("triangle", "#222222")}


def network(around: Neighbourhood, language: str) -> hv.Overlay:
    """The followed citizen's network, its employers (squares) and their jobcentres (triangles).

    Citizens are coloured by their status in the last week; the followed citizen is the large ringed dot.
    """
    layers = []
    for kind, (colour, width, dash) in EDGE_STYLES.items():
        edges = around.edges[around.edges["kind"] == kind]
        if len(edges):
            layers.append(
                hv.Segments(edges, kdims=["x0", "y0", "x1", "y1"], label=word(f"network_{kind}", language)).opts(
                    color=colour, line_width=width, line_dash=dash, alpha=0.7
                )
            )
    nodes = around.nodes
    citizens = nodes[nodes["kind"] == "citizen"].copy()
    citizens[word("lane_status", language)] = [term("status", k, language) for k in citizens["status"]]
    citizens[word("orientation", language)] = [term("orientation", k, language) for k in citizens["orientation"]]
    citizens[word("follow_id", language)] = citizens["id"]
    hover = [word("follow_id", language), word("orientation", language)]
    for status in [k for k in STATUS_COLOURS if k in set(citizens["status"])]:
        mine = citizens[citizens["status"] == status]
        layers.append(
            hv.Points(
                mine,
                kdims=["x", "y"],
                vdims=[word("lane_status", language), *hover],
                label=term("status", status, language),
            ).opts(color=STATUS_COLOURS[status], size=14, line_color="white", tools=["hover"])
        )
    for kind, (marker, colour) in PLACE_MARKERS.items():
        places = nodes[nodes["kind"] == kind].assign(
            name=lambda f, k=kind: [f"{word(f'network_{k}', language)} {i}" for i in f["id"]]
        )
        if len(places):
            layers.append(
                hv.Points(places, kdims=["x", "y"], vdims=["name"], label=word(f"network_{kind}_node", language)).opts(
                    marker=marker, color=colour, size=16, tools=["hover"]
                )
            )
    me = citizens[citizens["id"] == around.citizen_id]
    layers.append(
        hv.Points(me, kdims=["x", "y"], vdims=hover, label=word("network_me", language)).opts(
            color="#000000", fill_alpha=0, line_width=3, size=30
        )
    )
    plot = hv.Overlay(layers).opts(
        title=word("network_title", language, cid=around.citizen_id, n=len(citizens) - 1),
        xaxis=None,
        yaxis=None,
        legend_position="right",
        show_grid=False,
    )
    return _style(plot, language, height=HEIGHT + 120)
