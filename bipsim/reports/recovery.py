"""How a recovery study is shown: the printed table, the results folder and its self-contained HTML page."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bipsim.recovery.study import Recovery

TITLE = "bipsim recover: do the study's methods find what was planted?"
KEYS = ["estimand", "outcome", "method"]
KIND_LABEL = {"planted": "planted strength", "landmark": "twins, exposed at landmark", "none": ""}


def _pm(value: float, mcse: float, digits: int = 3) -> str:
    if not np.isfinite(value):
        return ""
    return f"{value:.{digits}f} ({mcse:.{digits}f})" if np.isfinite(mcse) else f"{value:.{digits}f}"


def _num(value: float, digits: int = 3) -> str:
    return f"{value:.{digits}f}" if np.isfinite(value) else ""


def with_truth(performance: pd.DataFrame) -> pd.DataFrame:
    """The rows whose estimates have a truth, as text columns for printing (Monte Carlo SEs in brackets)."""
    rows = performance[performance["with_truth"] > 0]
    return pd.DataFrame(
        {
            "estimand": rows["estimand"],
            "outcome": rows["outcome"],
            "method": rows["method"],
            "truth from": rows["truth_kind"].map(KIND_LABEL),
            "reps": rows["with_truth"].astype(int).astype(str),
            "true": rows["true_value"].map(_num),
            "mean est.": rows["mean_estimate"].map(_num),
            "bias (MCSE)": [_pm(b, m) for b, m in zip(rows["bias"], rows["bias_mcse"], strict=True)],
            "emp. SE": rows["empirical_se"].map(_num),
            "model SE": rows["model_se"].map(_num),
            "coverage (MCSE)": [_pm(c, m, 2) for c, m in zip(rows["coverage"], rows["coverage_mcse"], strict=True)],
        }
    )


def detection_only(performance: pd.DataFrame) -> pd.DataFrame:
    """The rows with estimates but no truth on their scale: how often each method rejects "no effect"."""
    rows = performance[(performance["with_truth"] == 0) & (performance["replications"] > 0)]
    return pd.DataFrame(
        {
            "estimand": rows["estimand"],
            "outcome": rows["outcome"],
            "method": rows["method"],
            "reps": rows["replications"].astype(int).astype(str),
            "mean est.": rows["mean_estimate"].map(_num),
            "emp. SE": rows["empirical_se"].map(_num),
            "p < 0.05 (MCSE)": [_pm(r, m, 2) for r, m in zip(rows["rejection"], rows["rejection_mcse"], strict=True)],
        }
    )


def aligned(frame: pd.DataFrame) -> str:
    """A text table with aligned columns."""
    header = list(frame.columns)
    cells = [[str(v) for v in row] for row in frame.itertuples(index=False)]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(header)]
    lines = ["  " + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines += ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)


def time_spent(recovery: Recovery) -> dict[str, float]:
    """Seconds per phase summed over the replications (model, instruments, analyses, twins)."""
    columns = [c for c in recovery.runs.columns if c.startswith("seconds_")]
    return {c.removeprefix("seconds_"): float(recovery.runs[c].sum()) for c in columns}


def format_report(recovery: Recovery) -> str:
    """The printed summary: the study, the two tables and where the time went."""
    s = recovery.scenario
    ok = len(recovery.runs) - recovery.failed
    phases = time_spent(recovery)
    total = sum(phases.values()) or 1.0
    lines = [
        f"bipsim recover: scenario {s.name!r}, {ok} of {len(recovery.runs)} replication(s) of "
        f"{s.population.citizens:,} citizens x {s.population.weeks} weeks, seed {recovery.plan.seed}",
        "",
        "Estimates with a truth (bias = mean of estimate - truth; MCSE = Monte Carlo SE; coverage of 95% intervals):",
        aligned(with_truth(recovery.performance)),
        "",
        "Detection only (the method measures something without a truth on its scale): share of replications "
        "with p < 0.05",
        aligned(detection_only(recovery.performance)),
        "",
        f"wall time {recovery.seconds:.1f} s; run time by phase: "
        + ", ".join(f"{k} {v:.0f} s ({v / total:.0%})" for k, v in phases.items()),
    ]
    return "\n".join(lines)


def _dot_plot(rows: pd.DataFrame, value: str, low: str, high: str, reference: float, xlabel: str) -> Any:
    """Dots with horizontal intervals, one row per estimate (first row on top), coloured by method."""
    import holoviews as hv
    import hvplot.pandas  # noqa: F401  (registers .hvplot)

    rows = rows.iloc[::-1]  # bokeh lists categorical factors bottom-up
    height = 16 * len(rows) + 110
    intervals = hv.Segments(rows, [low, "label", high, "label"]).opts(color="grey")
    dots = rows.hvplot.scatter(x=value, y="label", by="method", size=40, hover_cols=["truth_kind", "replications"])
    line = hv.VLine(reference).opts(color="black", line_dash="dashed", line_width=1)
    return (intervals * dots * line).opts(width=900, height=height, xlabel=xlabel, ylabel="", legend_position="right")


def _labelled(performance: pd.DataFrame) -> pd.DataFrame:
    rows = performance[performance["with_truth"] > 0].copy()
    rows["label"] = rows["estimand"] + " | " + rows["outcome"]
    rows["label"] = rows["label"] + " | " + rows["method"].str.replace("register_", "")
    return rows


def bias_plot(performance: pd.DataFrame) -> Any | None:
    """The bias of every estimate that has a truth, with +/- 2 Monte Carlo SE (``None`` when none has)."""
    rows = _labelled(performance)
    if rows.empty:
        return None
    margin = 2 * rows["bias_mcse"].fillna(0)
    rows = rows.assign(bias_low=rows["bias"] - margin, bias_high=rows["bias"] + margin)
    return _dot_plot(rows, "bias", "bias_low", "bias_high", 0.0, "bias")


def _figures(performance: pd.DataFrame) -> dict[str, tuple[str, Any]]:
    import holoviews as hv

    out: dict[str, tuple[str, Any]] = {}
    rows = _labelled(performance)
    if len(rows):
        out["bias"] = (
            "Bias of each estimate (mean of estimate minus truth) with +/- 2 Monte Carlo SE; the dashed line is "
            "zero bias. Planted-strength rows are log hazard ratios, landmark rows risk or mean differences.",
            bias_plot(performance),
        )
        cover = rows.dropna(subset=["coverage"])
        if len(cover):
            margin = 2 * cover["coverage_mcse"].fillna(0)
            cover = cover.assign(
                coverage_low=(cover["coverage"] - margin).clip(0, 1),
                coverage_high=(cover["coverage"] + margin).clip(0, 1),
            )
            out["coverage"] = (
                "Coverage of the 95% intervals with +/- 2 Monte Carlo SE; the dashed line is the nominal 95%.",
                _dot_plot(cover, "coverage", "coverage_low", "coverage_high", 0.95, "coverage").opts(
                    xlim=(-0.02, 1.02)
                ),
            )
    detected = performance.dropna(subset=["rejection"])
    if len(detected):
        frame = detected.assign(method_outcome=detected["method"] + " | " + detected["outcome"])
        frame = frame.groupby(["method_outcome", "estimand"], as_index=False)["rejection"].max()
        out["detection"] = (
            "How often each method rejects 'no effect' (p < 0.05), mechanism by method: power where there is an "
            "effect, the type I error rate where there is none. Blank: the method gives no test for it.",
            hv.HeatMap(frame, ["method_outcome", "estimand"], "rejection").opts(
                cmap="Blues", clim=(0, 1), width=900, height=420, xrotation=40, tools=["hover"], colorbar=True
            ),
        )
    return out


def render_html(recovery: Recovery) -> str:
    """The recovery study as one self-contained HTML page (figures and tables)."""
    from bipsim.reports.analysis import embed, standalone_page, table_html

    figures = _figures(recovery.performance)
    script, divs = embed({name: obj for name, (_, obj) in figures.items()})
    s = recovery.scenario
    phases = time_spent(recovery)
    parts = [
        f"<p>Scenario <b>{html.escape(s.name)}</b>: {len(recovery.runs) - recovery.failed} of {len(recovery.runs)} "
        f"replications of {s.population.citizens:,} citizens x {s.population.weeks} weeks (seed "
        f"{recovery.plan.seed}); wall time {recovery.seconds:.1f} s; run time by phase: "
        + ", ".join(f"{html.escape(k)} {v:.0f} s" for k, v in phases.items())
        + ".</p>",
        "<p>Each replication runs the scenario, observes it with the survey, register and interviews, runs the "
        "study's analyses on the observed tables only, and runs a counterfactual twin per mechanism with the same "
        "random numbers. Hazard estimates are compared with the <i>planted</i> strength (log hazard ratio); "
        "the register's landmark comparisons with the twins' effect on the citizens the register shows exposed "
        "before the landmark week. Performance measures follow Morris, White &amp; Crowther (2019); numbers in "
        "brackets are Monte Carlo standard errors.</p>",
    ]
    for name, (caption, _) in figures.items():
        parts.append(f"<figure>{divs[name]}<figcaption>{html.escape(caption)}</figcaption></figure>")
        if name == "coverage" or (name == "bias" and "coverage" not in figures):
            parts.append("<h2>Estimates with a truth</h2>" + with_truth(recovery.performance).to_html(index=False))
    parts.append("<h2>Detection only</h2>" + detection_only(recovery.performance).to_html(index=False))
    parts.append("<h2>All performance measures</h2>" + table_html(recovery.performance))
    failed = recovery.runs[recovery.runs["status"] != "ok"]
    if len(failed):
        parts.append("<h2>Failed replications</h2>" + table_html(failed[["replication", "error"]]))
    body = "".join(parts).replace('class="dataframe"', 'class="table"')
    return standalone_page(TITLE, script, body)


def write_recovery(recovery: Recovery, directory: str | Path, manifest: dict[str, Any], force: bool = False) -> Path:
    """Write the results folder atomically: tables as Parquet (performance also as CSV), the page, the manifest."""
    from bipsim.ensemble.results import write_results

    performance = recovery.performance

    def page(path: Path) -> None:
        path.write_text(render_html(recovery), encoding="utf-8")

    def csv(path: Path) -> None:
        performance.to_csv(path, index=False)

    tables = {
        "performance": performance,
        "replications": recovery.replications,
        "truth": recovery.truth,
        "runs": recovery.runs,
    }
    extra = {
        "recovery": {
            "replications": len(recovery.runs),
            "failed": recovery.failed,
            "wall_seconds": round(recovery.seconds, 3),
            "seconds_by_phase": {k: round(v, 3) for k, v in time_spent(recovery).items()},
        }
    }
    return write_results(
        directory,
        tables,
        json.loads(json.dumps({**manifest, **extra}, default=str)),
        files={"recovery.html": page, "performance.csv": csv},
        force=force,
    )
