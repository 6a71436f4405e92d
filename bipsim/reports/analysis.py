"""The analysis report: tidy tables as CSV and one self-contained HTML page with hvplot and bokeh figures.

The page embeds bokeh's JavaScript inline (no server, no network): open ``report.html`` in a browser. Its figures
stretch to the page's width at a fixed height and keep their legends below the plotting area, where they never
cover the data; axes, legends and tables read the declared labels (:mod:`bipsim.reports.analysis_words`) in
English or Danish, and every estimate is shown with its scale and unit. Long or wide tables scroll inside their
box, never the page.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pandas as pd

from bipsim.analysis.analyze import Analysis
from bipsim.analysis.methods import METHOD_KEYS
from bipsim.contract.codes import SCALE
from bipsim.contract.estimands import EFFECT_OUTCOME_KEYS, ESTIMAND_KEYS
from bipsim.contract.files import move_into_place, output_problem, remove_sibling, temporary_sibling
from bipsim.reports.analysis_words import (
    column_label,
    outcome_label,
    readable_table,
    scale_with_unit,
    table_title,
    term,
    unit,
    value,
    words,
)
from bipsim.reports.recovery_words import LANGUAGES, mechanism_label, method_label, number, scale_label

TITLE = words("title", "en")
LENSES: tuple[str, ...] = ("horizontal", "vertical", "relational", "triangulation")
"""The report's sections: the study's three lenses (:data:`bipsim.analysis.methods.LENSES`) and triangulation."""
TABLES: dict[str, tuple[str, ...]] = {
    "horizontal": ("baseline_comparison",),
    "vertical": ("indicator_change", "attrition"),
    "relational": (
        "meaning_by_orientation",
        "moderation",
        "around_exposures",
        "belief_comparison",
        "disagreements",
        "invisible_to_survey",
    ),
    "triangulation": ("triangulation", "estimates"),
}
"""The analysis tables each section shows below its figures."""
TRAJECTORY_INDICATORS = ("work_belief", "job_search", "health")
"""The indicators whose trajectories the report draws (the rest are in ``tables/trajectories.csv``)."""
PLOT_HEIGHT = 320
ROW_HEIGHT = 24
"""Pixels per category of a plot with a categorical axis, so long lists keep readable rows."""
CHARACTER_WIDTH = 7
"""About the pixels a character of an axis label or legend entry takes, to lay legends out before the browser."""
LEGEND_ROW_HEIGHT = 22
NARROWEST_PAGE = 820
"""The plot width (pixels) legends are laid out for: a 900-pixel window less the page's margins."""

Figure = tuple[str, list[Any]]
"""A figure of the report: its caption and the plots it shows one above the other."""


def write_tables(analysis: Analysis, directory: Path) -> list[Path]:
    """Write every table of ``analysis`` as ``directory/<name>.csv``; return the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in analysis.tables.items():
        path = directory / f"{name}.csv"
        frame.to_csv(path, index=False)
        paths.append(path)
    return paths


def _has(tables: dict[str, pd.DataFrame], name: str, *columns: str) -> bool:
    """Whether table ``name`` has rows and the columns a figure plots (a tiny study may leave it empty)."""
    frame = tables.get(name)
    return frame is not None and len(frame) > 0 and all(c in frame.columns for c in columns)


def _labelled(obj: Any, language: str, *columns: str, **labels: str) -> Any:
    """A holoviews object whose dimensions (axes, legend title, hover) read the columns' declared labels."""
    return obj.redim.label(**{c: column_label(c, language) for c in columns}, **labels)


def _method_names(frame: pd.DataFrame, language: str) -> list[str]:
    """Each row's method label; a label that two outcomes share is told apart by the outcome's label."""
    names = [method_label(m, o, language) for m, o in zip(frame["method"], frame["outcome"], strict=True)]
    outcomes: dict[str, set[str]] = {}
    for name, outcome in zip(names, frame["outcome"], strict=True):
        outcomes.setdefault(name, set()).add(outcome)
    return [
        f"{name} ({outcome_label(o, language).lower()})" if len(outcomes[name]) > 1 else name
        for name, o in zip(names, frame["outcome"], strict=True)
    ]


def _order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in the declarations' order: estimand, then method (unknown keys last, in their own order)."""
    estimand_rank = {k: i for i, k in enumerate(ESTIMAND_KEYS)}
    method_rank = {k: i for i, k in enumerate(METHOD_KEYS)}
    rank = [
        (estimand_rank.get(e, len(estimand_rank)), method_rank.get((m, o), len(method_rank)))
        for e, m, o in zip(frame["estimand"], frame["method"], frame["outcome"], strict=True)
    ]
    return frame.iloc[sorted(range(len(frame)), key=rank.__getitem__)]


def estimates_plot(rows: pd.DataFrame, outcome: str, language: str) -> Any:
    """Dots and 95% whiskers of one outcome's estimates, a row per estimand and method, on the outcome's scale.

    The x axis names the scale with its unit. Each row's label names the method, so the colours (one per method)
    need no legend, which would sit beside the long row labels and widen the plot beyond a narrow page.
    """
    from bokeh.models import ColumnDataSource, FactorRange, HoverTool, Span
    from bokeh.palettes import Category10_10
    from bokeh.plotting import figure

    rows = _order(rows)
    methods = _method_names(rows, language)
    data = pd.DataFrame(
        {
            "row": [f"{mechanism_label(e, language)} · {m}" for e, m in zip(rows["estimand"], methods, strict=True)],
            "method": methods,
            "estimate": rows["estimate"].to_numpy(float),
            "low": rows["ci_low"].fillna(rows["estimate"]).to_numpy(float),
            "high": rows["ci_high"].fillna(rows["estimate"]).to_numpy(float),
        }
    )
    colours = dict(zip(dict.fromkeys(methods), Category10_10 * 3, strict=False))
    data["colour"] = data["method"].map(colours)
    plot = figure(
        y_range=FactorRange(factors=list(reversed(data["row"].tolist()))),
        height=ROW_HEIGHT * len(data) + 140,
        sizing_mode="stretch_width",
        toolbar_location="above",
        tools="pan,wheel_zoom,box_zoom,reset,save",
    )
    source = ColumnDataSource(data)
    plot.segment("low", "row", "high", "row", source=source, color="colour", line_width=2)
    dots = plot.scatter("estimate", "row", source=source, color="colour", size=9)
    plot.add_layout(Span(location=0, dimension="height", line_color="grey", line_dash="dashed"))
    plot.add_tools(
        HoverTool(renderers=[dots], tooltips=[("", "@row"), ("", "@estimate{0.000} [@low{0.000}, @high{0.000}]")])
    )
    plot.xaxis.axis_label = scale_with_unit(str(rows["scale"].iloc[0]), outcome, language)
    plot.yaxis.axis_label = words("estimand_method", language)
    return plot


def _estimate_figures(analysis: Analysis, language: str) -> dict[str, Figure]:
    """A figure per effect outcome with estimates, in the declared order of outcomes."""
    shown = analysis.estimates[analysis.estimates["estimate"].notna()]
    known = [o for o in EFFECT_OUTCOME_KEYS if o in set(shown["outcome"])]
    others = sorted(set(shown["outcome"]) - set(known))
    out = {}
    for outcome in known + others:
        rows = shown[shown["outcome"] == outcome]
        caption = words(
            "estimates",
            language,
            outcome=outcome_label(outcome, language),
            scale=scale_label(str(rows["scale"].iloc[0]), language),
            unit=unit(outcome, language),
            note=words("hazard_note", language) if outcome == "job_entry" else "",
        ).strip()
        out[outcome] = (caption, [estimates_plot(rows, outcome, language)])
    return out


def _figures(analysis: Analysis, language: str = "en") -> dict[str, list[Figure]]:
    """The report's figures per section, labelled in ``language``: (caption, plots) each."""
    import holoviews as hv
    import hvplot.pandas  # noqa: F401  (registers .hvplot)

    hv.extension("bokeh", logo=False)  # options are checked against a loaded backend
    t = analysis.tables
    out: dict[str, list[Figure]] = {k: [] for k in LENSES}
    wide = {"responsive": True, "height": PLOT_HEIGHT}
    if _has(t, "flows", "week", "share", "benefit_code") and t["flows"]["week"].nunique() > 1:  # an area needs 2
        flows = t["flows"].assign(
            benefit_code=t["flows"]["benefit_code"].map(lambda k: term("benefit_code", k, language))
        )
        plot = flows.hvplot.area(x="week", y="share", by="benefit_code", stacked=True, **wide)
        out["horizontal"].append(
            (words("flows", language), [_labelled(plot, language, "week", "share", "benefit_code")])
        )
    if _has(t, "self_sufficiency", "week", "self_sufficiency", "group"):
        frame = t["self_sufficiency"].assign(group=t["self_sufficiency"]["group"].map(lambda g: value(g, language)))
        plot = frame.hvplot.line(x="week", y="self_sufficiency", by="group", **wide)
        out["horizontal"].append(
            (words("self_sufficiency", language), [_labelled(plot, language, "week", "self_sufficiency", "group")])
        )
    estimates = _estimate_figures(analysis, language)
    if "job_entry" in estimates:
        out["horizontal"].append(estimates.pop("job_entry"))
    if _has(t, "trajectories", "indicator", "wave", "mean", "group", "respondent"):
        trajectories = t["trajectories"]
        plots = []
        for indicator in TRAJECTORY_INDICATORS:
            part = trajectories[trajectories["indicator"] == indicator]
            if part.empty:
                continue
            series = [
                f"{value(g, language)}, {term('respondent', r, language).lower()}"
                for g, r in zip(part["group"], part["respondent"], strict=True)
            ]
            plot = part.assign(series=series).hvplot.line(
                x="wave", y="mean", by="series", title=term("indicator", indicator, language), **wide
            )
            mean = words("mean_answer", language, low=SCALE[0], high=SCALE[1])
            plots.append(_labelled(plot, language, "wave", mean=mean, series=words("series", language)))
        if plots:
            caption = words("trajectories", language, low=SCALE[0], high=SCALE[1])
            out["vertical"].append((caption, plots))
    if _has(t, "prediction", "predictors", "respondent", "auc"):
        prediction = t["prediction"].sort_values("auc")
        names = [
            term("indicator", p, language) + (f" ({term('respondent', r, language).lower()})" if pd.notna(r) else "")
            for p, r in zip(prediction["predictors"], prediction["respondent"], strict=True)
        ]
        plot = prediction.assign(measure=names).hvplot.barh(
            x="measure", y="auc", responsive=True, height=ROW_HEIGHT * len(prediction) + 100
        )
        out["vertical"].append(
            (words("prediction", language), [_labelled(plot, language, "auc", measure=words("measure", language))])
        )
    if _has(t, "agreement", "indicator", "weighted_kappa"):
        agreement = t["agreement"].assign(
            indicator=t["agreement"]["indicator"].map(lambda k: term("indicator", k, language))
        )
        plot = agreement.hvplot.barh(
            x="indicator", y="weighted_kappa", responsive=True, height=ROW_HEIGHT * len(agreement) + 100
        )
        out["vertical"].append(
            (words("agreement", language), [_labelled(plot, language, "indicator", "weighted_kappa")])
        )
    if _has(t, "theme_counts", "wave", "theme", "share"):
        counts = t["theme_counts"].assign(
            theme=t["theme_counts"]["theme"].map(lambda k: term("theme", k, language)),
            wave=t["theme_counts"]["wave"].astype(str),  # waves are columns of a grid, not a numeric axis
        )
        themes = counts["theme"].nunique()
        plot = counts.hvplot.heatmap(
            x="wave",
            y="theme",
            C="share",
            cmap="Blues",
            colorbar=True,
            responsive=True,
            height=ROW_HEIGHT * themes + 120,
        )
        out["relational"].append(
            (words("theme_counts", language), [_labelled(plot, language, "wave", "theme", "share")])
        )
    if _has(t, "barriers", "citizen_id", "individual", "institutional", "labour_market"):
        groups = ["individual", "institutional", "labour_market"]
        long = t["barriers"].melt(id_vars="citizen_id", value_vars=groups, var_name="barrier", value_name="mentions")
        long["citizen_id"] = long["citizen_id"].astype(str)  # ids are labels, not a numeric axis
        long["barrier"] = long["barrier"].map(lambda k: term("theme_group", k, language))
        plot = long.hvplot.bar(x="citizen_id", y="mentions", by="barrier", stacked=True, rot=90, **wide)
        labels = {"mentions": words("mentions", language), "barrier": column_label("dominant", language)}
        out["relational"].append((words("barriers", language), [_labelled(plot, language, "citizen_id", **labels)]))
    tri = analysis.triangulation
    if tri is not None and len(tri):
        detected = tri["detected"].astype("float").fillna(0.5).replace(0.0, 0.5)
        direction = tri["sign"].map({"+": 1.0, "-": -1.0, "0": 0.0}).astype(float) * detected
        frame = tri.assign(
            direction=direction,
            method=_method_names(tri, language),
            mechanism=tri["mechanism"].map(lambda k: mechanism_label(k, language)),
        )
        plot = hv.HeatMap(frame, ["mechanism", "method"], ["direction", "estimate", "p_value"]).opts(
            cmap="RdBu",
            clim=(-1, 1),
            responsive=True,
            height=ROW_HEIGHT * frame["method"].nunique() + 260,
            tools=["hover"],
            xrotation=45,
        )
        labelled = _labelled(plot, language, "method", "mechanism", "estimate", "p_value")
        out["triangulation"].append(
            (words("triangulation_map", language), [labelled.redim.label(direction=words("direction", language))])
        )
    out["triangulation"].extend(estimates.values())
    return out


def table_html(frame: pd.DataFrame, digits: int = 3, tall: bool = False) -> str:
    """A table as plain HTML, numbers rounded to ``digits``; a wide table scrolls inside its box, not the page.

    With ``tall`` a long table also scrolls inside a box of about twenty rows, its header kept in view.
    """
    table = frame.round(digits).to_html(index=False, na_rep="", classes="table", border=0)
    return f"<div class='scroll{' tall' if tall else ''}'>{table}</div>"


def readable_html(frame: pd.DataFrame, language: str, digits: int = 3) -> str:
    """A table of the analysis with declared labels and the language's decimal mark, scrolling inside its box."""
    shown = readable_table(frame, language)
    for column in shown.columns:
        if pd.api.types.is_float_dtype(shown[column]):
            shown[column] = shown[column].map(lambda x: number(x, digits, language))
    shown = shown.astype(object).where(shown.notna(), "")  # a missing value is a blank cell, not <NA>
    return table_html(shown, digits, tall=True)


def fit_to_page(model: Any) -> Any:
    """Make a rendered bokeh figure stretch to its box's width and move every legend below the plotting area.

    A legend beside or inside the frame covers data or takes width from it. Below, its entries take as many
    columns as fit beside the plot's left axis on the narrowest page the report is laid out for
    (:data:`NARROWEST_PAGE`), and the plot grows by the legend's rows so the plotting area keeps its height.
    Clicking an entry mutes its data.
    """
    from bokeh.models import FactorRange, Legend, Plot

    for plot in model.select({"type": Plot}):
        plot.sizing_mode = "stretch_width"
        plot.width = None
        factors = plot.y_range.factors if isinstance(plot.y_range, FactorRange) else []
        axis = CHARACTER_WIDTH * max((len(str(f)) for f in factors), default=6) + 60
        for legend in list(plot.select({"type": Legend})):
            for side in ("left", "right", "above", "below", "center"):
                panel = getattr(plot, side)
                if legend in panel:
                    panel.remove(legend)
            entries = [str(getattr(item.label, "value", "") or "") for item in legend.items]
            entry = CHARACTER_WIDTH * max(map(len, entries), default=10) + 50
            columns = max(1, min(len(entries), (NARROWEST_PAGE - axis) // entry))
            legend.update(
                orientation="horizontal",
                ncols=columns,
                location="top_left",
                click_policy="mute",
                border_line_alpha=0,
                spacing=4,
                label_standoff=6,
            )
            plot.add_layout(legend, "below")
            if plot.height is not None:
                plot.height += LEGEND_ROW_HEIGHT * (-(-len(entries) // columns) + (1 if legend.title else 0)) + 20
    return model


def embed(figures: dict[str, object], stretch: bool = False) -> tuple[str, dict[str, str]]:
    """Render holoviews objects (bokeh models pass as they are) to one ``<script>`` for all and a ``<div>`` each.

    With ``stretch`` every figure fills its box's width and keeps its legends below (:func:`fit_to_page`).
    """
    import holoviews as hv
    from bokeh.embed import components
    from bokeh.model import Model

    hv.extension("bokeh", logo=False)
    if not figures:
        return "", {}
    models = {name: obj if isinstance(obj, Model) else hv.render(obj, backend="bokeh") for name, obj in figures.items()}
    if stretch:
        models = {name: fit_to_page(model) for name, model in models.items()}
    return components(models)


def standalone_page(title: str, script: str, body: str, language: str = "en", max_width: str = "1000px") -> str:
    """A self-contained HTML page: bokeh's JavaScript inline, no server and no network needed.

    The body is at most ``max_width`` wide ("none": the window's width); ``language`` is the page's language.
    """
    from bokeh.resources import INLINE

    style = (
        f"body{{font-family:sans-serif;max-width:{max_width};margin:2em auto;padding:0 1.5em;color:#222}}"
        ".scroll{overflow-x:auto;max-width:100%}"
        ".scroll.tall{max-height:32em;overflow-y:auto;width:fit-content;border:1px solid #ddd}"
        ".scroll.tall th{position:sticky;top:0;background:#fff}"
        ".table{border-collapse:collapse;font-size:12px;margin:1em 0}"
        ".table td,.table th{padding:2px 6px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}"
        "figure{margin:1em 0}"
        "figcaption{font-size:13px;color:#555;margin-bottom:1.5em;max-width:60em}"
        "p{max-width:60em}"
    )
    # Only the inline code: the resources' file links (a module shim of Panel's) would need the network.
    resources = "".join(f"<script type='text/javascript'>{code}</script>" for code in INLINE.js_raw)
    return (
        f"<!DOCTYPE html><html lang='{html.escape(language)}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title>"
        f"<style>{style}</style>{resources}{script}</head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )


def render_html(analysis: Analysis, language: str = "en") -> str:
    """The whole report as one self-contained HTML page in ``language`` (``en`` or ``da``)."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    figures = _figures(analysis, language)
    plots = {
        f"{lens}{i}_{j}": plot
        for lens, items in figures.items()
        for i, (_, part) in enumerate(items)
        for j, plot in enumerate(part)
    }
    script, divs = embed(plots, stretch=True)
    parts = [f"<p>{html.escape(words('intro', language, seconds=analysis.seconds))}</p>"]
    if analysis.warnings:
        items = "".join(f"<li>{html.escape(w)}</li>" for w in analysis.warnings)
        parts.append(f"<h2>{html.escape(words('tolerated', language))}</h2><ul>{items}</ul>")
    for lens in LENSES:
        parts.append(f"<h2>{html.escape(words(lens, language))}</h2>")
        for i, (caption, part) in enumerate(figures[lens]):
            shown = "".join(divs[f"{lens}{i}_{j}"] for j in range(len(part)))
            parts.append(f"<figure>{shown}<figcaption>{html.escape(caption)}</figcaption></figure>")
        for name in TABLES[lens]:
            frame = analysis.triangulation if name == "triangulation" else analysis.tables.get(name)
            if frame is None:
                continue
            heading = words("all_estimates", language) if name == "estimates" else table_title(name, language)
            note = f"<p>{html.escape(words('scales_note', language))}</p>" if name == "estimates" else ""
            parts.append(f"<h3>{html.escape(heading)}</h3>{note}{readable_html(frame, language)}")
    return standalone_page(words("title", language), script, "".join(parts), language, max_width="1600px")


class ReportError(Exception):
    """A report folder that cannot be written because something else is in the way."""


def write_report(
    analysis: Analysis, directory: str | Path, html_page: bool = True, force: bool = False, language: str = "en"
) -> Path:
    """Write the tables (``tables/*.csv``) and ``report.html`` to ``directory`` atomically; return its path.

    The page is in ``language`` (``en`` or ``da``); the tables keep the keys, as every reader of them expects.

    The folder is built beside ``directory`` and renamed into place when complete. An earlier report there
    is replaced only with ``force``; a folder that holds anything else is left alone (:class:`ReportError`).
    """
    target = Path(directory).absolute()
    check_report_target(target, force)
    temporary = temporary_sibling(target)
    try:
        write_tables(analysis, temporary / "tables")
        if html_page:
            (temporary / "report.html").write_text(render_html(analysis, language), encoding="utf-8")
        check_report_target(target, force)  # again: another writer may have put something there meanwhile
        try:
            move_into_place(temporary, target, replace=force or _is_empty_folder(target))
        except FileExistsError:
            raise ReportError(_EXISTS.format(target=target)) from None
    except BaseException:
        remove_sibling(temporary)
        raise
    return target / "report.html" if html_page else target / "tables"


REPORT_ENTRIES = ("report.html", "tables")
_EXISTS = "{target} already holds a report; choose another folder or pass --force to replace it"


def check_report_target(target: Path, force: bool) -> None:
    """Raise :class:`ReportError` unless a report can be written at ``target``.

    Its parent must be a folder this process can write in; ``target`` must be missing or an empty folder, or
    with ``force`` a folder holding only an earlier report.
    """
    problem = output_problem(target)
    if problem is not None:
        raise ReportError(f"{target}: {problem}")
    if not target.exists():
        return
    if not target.is_dir():
        raise ReportError(f"{target} exists and is not a folder")
    if any(p.name not in REPORT_ENTRIES for p in target.iterdir()):
        raise ReportError(f"{target} holds files that are not a bipsim report; choose another folder")
    if not force and not _is_empty_folder(target):
        raise ReportError(_EXISTS.format(target=target))


def _is_empty_folder(path: Path) -> bool:
    return path.is_dir() and not any(path.iterdir())
