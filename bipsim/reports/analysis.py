"""The analysis report: tidy tables as CSV and one self-contained HTML page with hvplot figures.

The page embeds bokeh's JavaScript inline (no server, no network): open ``report.html`` in a browser.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from bipsim.analysis.analyze import Analysis
from bipsim.contract.files import move_into_place, output_problem, remove_sibling, temporary_sibling

TITLE = "bipsim analysis: register, progression survey and interviews"
LENSES = {
    "horizontal": "Register (horizontal lens): job effects as regularities in register data",
    "vertical": "Progression survey (vertical lens): indicators as generative mechanisms",
    "relational": "Interviews (relational lens): effects bound to situated processes",
    "triangulation": "Triangulation: does each method detect each mechanism, and do they agree?",
}


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


def _figures(analysis: Analysis) -> dict[str, list[tuple[str, object]]]:
    """hvplot/holoviews figures per lens: (caption, holoviews object)."""
    import holoviews as hv
    import hvplot.pandas  # noqa: F401  (registers .hvplot)

    t = analysis.tables
    out: dict[str, list[tuple[str, object]]] = {k: [] for k in LENSES}
    width = 760
    if _has(t, "flows", "week", "share", "benefit_code") and t["flows"]["week"].nunique() > 1:  # an area needs 2
        out["horizontal"].append(
            (
                "Flows: share of the cohort in each register code, week by week.",
                t["flows"].hvplot.area(
                    x="week", y="share", by="benefit_code", stacked=True, width=width, height=320, legend="right"
                ),
            )
        )
    if _has(t, "self_sufficiency", "week", "self_sufficiency", "group"):
        out["horizontal"].append(
            (
                "Self-sufficiency degree per quarter, by the caseworker's belief at the first wave.",
                t["self_sufficiency"].hvplot.line(x="week", y="self_sufficiency", by="group", width=width, height=300),
            )
        )
    hazard = analysis.estimates[(analysis.estimates["outcome"] == "job_entry") & analysis.estimates["estimate"].notna()]
    if len(hazard):
        frame = hazard.assign(label=hazard["estimand"] + " | " + hazard["method"].str.replace("register_", ""))
        points = hv.Scatter(frame, "label", ["estimate", "method"]).opts(
            color="method", cmap="Category10", size=8, invert_axes=True
        )
        bars = hv.ErrorBars(
            frame.assign(lower=frame["estimate"] - frame["ci_low"], upper=frame["ci_high"] - frame["estimate"]),
            "label",
            ["estimate", "lower", "upper"],
        ).opts(invert_axes=True)
        zero = hv.VLine(0).opts(color="grey", line_dash="dashed")
        out["horizontal"].append(
            (
                "Job-entry hazard: log hazard ratios with 95% intervals (cluster-robust by caseworker); naive, "
                "adjusted and propensity-weighted. The gap between naive and adjusted is selection.",
                (bars * points * zero).opts(width=width, height=22 * len(frame) + 80, xlabel="log hazard ratio"),
            )
        )
    chosen = t["trajectories"] if _has(t, "trajectories", "indicator", "wave", "mean", "group") else None
    if chosen is not None:
        chosen = chosen[chosen["indicator"].isin(["work_belief", "job_search", "health"])]
    if chosen is not None and len(chosen):
        out["vertical"].append(
            (
                "Indicator trajectories by wave: those who got a job and those who did not, by respondent.",
                chosen.hvplot.line(
                    x="wave", y="mean", by=["group", "respondent"], groupby="indicator", width=width, height=320
                )
                .layout("indicator")
                .cols(1),
            )
        )
    if "prediction" in t and len(t["prediction"]):
        pred = t["prediction"].assign(label=lambda f: f["predictors"] + " (" + f["respondent"] + ")")
        out["vertical"].append(
            (
                "Which measures predict a job within a year (AUC): register history against indicators.",
                pred.sort_values("auc").hvplot.barh(x="label", y="auc", width=width, height=16 * len(pred) + 80),
            )
        )
    if "agreement" in t and len(t["agreement"]):
        out["vertical"].append(
            (
                "Citizen-caseworker agreement per indicator (quadratic-weighted kappa).",
                t["agreement"].hvplot.bar(x="indicator", y="weighted_kappa", rot=45, width=width, height=300),
            )
        )
    if "theme_counts" in t and len(t["theme_counts"]):
        out["relational"].append(
            (
                "Theme timeline: share of interviews raising each theme, wave by wave.",
                t["theme_counts"].hvplot.heatmap(
                    x="wave", y="theme", C="share", cmap="Blues", width=width, height=360, colorbar=True
                ),
            )
        )
    if "barriers" in t and len(t["barriers"]):
        long = t["barriers"].melt(id_vars="citizen_id", value_vars=["individual", "institutional", "labour_market"])
        long["citizen_id"] = long["citizen_id"].astype(str)  # ids are labels, not a numeric axis
        out["relational"].append(
            (
                "Individual versus institutional barriers: theme mentions per interviewed citizen.",
                long.hvplot.bar(x="citizen_id", y="value", by="variable", stacked=True, width=width, height=300),
            )
        )
    tri = analysis.triangulation
    if tri is not None and len(tri):
        code = tri["sign"].map({"+": 1.0, "-": -1.0, "0": 0.0}).astype(float) * tri["detected"].astype("float").fillna(
            0.5
        ).replace(0.0, 0.5)
        frame = tri.assign(direction=code)
        out["triangulation"].append(
            (
                "Mechanism x method: red = detected negative, blue = detected positive, pale = same direction "
                "but not significant, blank = the method cannot see it.",
                hv.HeatMap(frame, ["method", "mechanism"], ["direction", "estimate", "p_value"]).opts(
                    cmap="RdBu", clim=(-1, 1), width=width, height=420, tools=["hover"], xrotation=30
                ),
            )
        )
    return out


def table_html(frame: pd.DataFrame, digits: int = 3) -> str:
    """A table as plain HTML, numbers rounded to ``digits``; a wide table scrolls inside its box, not the page."""
    table = frame.round(digits).to_html(index=False, na_rep="", classes="table", border=0)
    return f"<div class='scroll'>{table}</div>"


def embed(figures: dict[str, object]) -> tuple[str, dict[str, str]]:
    """Render holoviews objects to bokeh: one ``<script>`` for all and a ``<div>`` per name."""
    import holoviews as hv
    from bokeh.embed import components

    hv.extension("bokeh", logo=False)
    if not figures:
        return "", {}
    return components({name: hv.render(obj, backend="bokeh") for name, obj in figures.items()})


def standalone_page(title: str, script: str, body: str) -> str:
    """A self-contained HTML page: bokeh's JavaScript inline, no server and no network needed."""
    from bokeh.resources import INLINE

    style = (
        "body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}"
        ".scroll{overflow-x:auto;max-width:100%}"
        ".table{border-collapse:collapse;font-size:12px;margin:1em 0}"
        ".table td,.table th{padding:2px 6px;border-bottom:1px solid #ddd;text-align:left}"
        "figcaption{font-size:13px;color:#555;margin-bottom:1.5em}"
    )
    # Only the inline code: the resources' file links (a module shim of Panel's) would need the network.
    resources = "".join(f"<script type='text/javascript'>{code}</script>" for code in INLINE.js_raw)
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{style}</style>{resources}{script}</head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )


def render_html(analysis: Analysis) -> str:
    """The whole report as one self-contained HTML page."""
    figures = _figures(analysis)
    script, divs = embed({f"{lens}{i}": obj for lens, items in figures.items() for i, (_, obj) in enumerate(items)})
    parts = [f"<p>Analyses read only the observed tables. Estimates took {analysis.seconds:.1f} s.</p>"]
    if analysis.warnings:
        items = "".join(f"<li>{html.escape(w)}</li>" for w in analysis.warnings)
        parts.append(f"<h2>What the data check tolerated</h2><ul>{items}</ul>")
    for lens, title in LENSES.items():
        parts.append(f"<h2>{html.escape(title)}</h2>")
        for i, (caption, _) in enumerate(figures[lens]):
            parts.append(f"<figure>{divs[f'{lens}{i}']}<figcaption>{html.escape(caption)}</figcaption></figure>")
        if lens == "triangulation":
            parts.append(table_html(analysis.triangulation))
            parts.append("<h3>All estimates</h3>" + table_html(analysis.estimates))
        for name in {
            "horizontal": ("baseline_comparison",),
            "vertical": ("indicator_change", "attrition"),
            "relational": ("invisible_to_survey",),
            "triangulation": (),
        }[lens]:
            if name in analysis.tables:
                parts.append(f"<h3>{name.replace('_', ' ')}</h3>" + table_html(analysis.tables[name]))
    return standalone_page(TITLE, script, "".join(parts))


class ReportError(Exception):
    """A report folder that cannot be written because something else is in the way."""


def write_report(analysis: Analysis, directory: str | Path, html_page: bool = True, force: bool = False) -> Path:
    """Write the tables (``tables/*.csv``) and ``report.html`` to ``directory`` atomically; return its path.

    The folder is built beside ``directory`` and renamed into place when complete. An earlier report there
    is replaced only with ``force``; a folder that holds anything else is left alone (:class:`ReportError`).
    """
    target = Path(directory).absolute()
    check_report_target(target, force)
    temporary = temporary_sibling(target)
    try:
        write_tables(analysis, temporary / "tables")
        if html_page:
            (temporary / "report.html").write_text(render_html(analysis), encoding="utf-8")
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
