"""How a recovery study is shown: the printed tables, the results folder and its self-contained HTML page.

Rows are read against their own estimand: ``with_truth`` holds the rows whose estimand has a truth (bias,
coverage), ``detection_only`` those whose estimand has none (how often the method rejects "no effect", and why
there is no truth), ``not_estimable`` those too thin in every replication (with the median counts). The HTML page
shows, mechanism by mechanism, each method's estimand, its truth, the mean estimate with its mean 95% interval,
the measures and the reason (which of the method's assumptions fail), with readable labels.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bipsim.analysis.methods import METHOD_KEYS, METHODS, assumption, failed
from bipsim.contract.estimands import ESTIMAND_KEYS, ESTIMAND_KIND_KEYS, ESTIMANDS, estimand_kind, has_truth
from bipsim.recovery.study import Recovery

TITLE = "bipsim recover: do the study's methods find what was planted?"
KEYS = ["estimand", "outcome", "method"]


def _pm(value: float, mcse: float, digits: int = 3) -> str:
    if not np.isfinite(value):
        return ""
    return f"{value:.{digits}f} ({mcse:.{digits}f})" if np.isfinite(mcse) else f"{value:.{digits}f}"


def _num(value: float, digits: int = 3) -> str:
    return f"{value:.{digits}f}" if np.isfinite(value) else ""


def method_label(method: str, outcome: str) -> str:
    """The readable name of method ``method`` on ``outcome``."""
    return METHODS[METHOD_KEYS.index((method, outcome))].en if (method, outcome) in METHOD_KEYS else method


def kind_label(kind: str) -> str:
    """The readable name of an estimand kind."""
    return estimand_kind(kind).en if kind in ESTIMAND_KIND_KEYS else str(kind)


def mechanism_label(key: str) -> str:
    """The readable name of a mechanism's estimand."""
    return ESTIMANDS[ESTIMAND_KEYS.index(key)].en if key in ESTIMAND_KEYS else key


def failing(method: str, outcome: str, mechanism: str) -> str:
    """The names of the method's assumptions that fail for ``mechanism`` (short, for the printed table)."""
    if (method, outcome) not in METHOD_KEYS:
        return "no declared estimand"
    names = [assumption(a).en.lower() for a, _ in failed(method, outcome, mechanism)]
    return ", ".join(names) if names else "none"


def with_truth(performance: pd.DataFrame) -> pd.DataFrame:
    """The rows whose estimand has a truth, as text columns for printing (Monte Carlo SEs in brackets)."""
    rows = performance[performance["with_truth"] > 0]
    return pd.DataFrame(
        {
            "estimand": rows["estimand"],
            "method": rows["method"],
            "outcome": rows["outcome"],
            "targets": rows["estimand_kind"].map(kind_label),
            "reps": rows["with_truth"].astype(int).astype(str),
            "true": rows["true_value"].map(_num),
            "planted": rows["planted"].map(_num),
            "mean est.": rows["mean_estimate"].map(_num),
            "bias (MCSE)": [_pm(b, m) for b, m in zip(rows["bias"], rows["bias_mcse"], strict=True)],
            "emp. SE": rows["empirical_se"].map(_num),
            "model SE": rows["model_se"].map(_num),
            "coverage (MCSE)": [_pm(c, m, 2) for c, m in zip(rows["coverage"], rows["coverage_mcse"], strict=True)],
            "p < 0.05": rows["rejection"].map(lambda r: _num(r, 2)),
            "failing assumptions": [
                failing(m, o, e) for e, m, o in zip(rows["estimand"], rows["method"], rows["outcome"], strict=True)
            ],
        }
    )


def detection_only(performance: pd.DataFrame) -> pd.DataFrame:
    """The rows with estimates but no truth for their estimand: how often each method rejects "no effect", and why."""
    rows = performance[(performance["with_truth"] == 0) & (performance["replications"] > 0)]
    return pd.DataFrame(
        {
            "estimand": rows["estimand"],
            "method": rows["method"],
            "outcome": rows["outcome"],
            "targets": rows["estimand_kind"].map(kind_label),
            "reps": rows["replications"].astype(int).astype(str),
            "mean est.": rows["mean_estimate"].map(_num),
            "emp. SE": rows["empirical_se"].map(_num),
            "p < 0.05 (MCSE)": [_pm(r, m, 2) for r, m in zip(rows["rejection"], rows["rejection_mcse"], strict=True)],
            "why no truth": [_no_truth(e, k) for e, k in zip(rows["estimand"], rows["estimand_kind"], strict=True)],
        }
    )


def not_estimable(performance: pd.DataFrame) -> pd.DataFrame:
    """The rows of mechanisms a method can see that no replication could estimate, with the median counts."""
    sees = [
        (m, o) in METHOD_KEYS and e in METHODS[METHOD_KEYS.index((m, o))].mechanisms
        for e, m, o in zip(performance["estimand"], performance["method"], performance["outcome"], strict=True)
    ]
    rows = performance[(performance["replications"] == 0) & np.array(sees, dtype=bool)]
    return pd.DataFrame(
        {
            "estimand": rows["estimand"],
            "method": rows["method"],
            "outcome": rows["outcome"],
            "exposed citizens (median)": rows["exposed_median"].map(lambda v: _num(v, 1)),
            "events (median)": rows["events_median"].map(lambda v: _num(v, 1)),
        }
    )


def _no_truth(mechanism: str, kind: str) -> str:
    if kind not in ESTIMAND_KIND_KEYS:
        return "no declared estimand"
    if has_truth(mechanism, kind):
        return "not computed: no replication could estimate it"
    return estimand_kind(kind).no_truth


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
    """The printed summary: the study, the three tables and where the time went."""
    s = recovery.scenario
    ok = len(recovery.runs) - recovery.failed
    phases = time_spent(recovery)
    total = sum(phases.values()) or 1.0
    lines = [
        f"bipsim recover: scenario {s.name!r}, {ok} of {len(recovery.runs)} replication(s) of "
        f"{s.population.citizens:,} citizens x {s.population.weeks} weeks, seed {recovery.plan.seed}",
        "",
        "Estimates compared with the truth of the estimand their method targets (bias = mean of estimate - truth; "
        "MCSE = Monte Carlo SE; coverage of 95% intervals; planted = the scenario's strength as a log hazard ratio):",
        aligned(with_truth(recovery.performance)),
        "",
        "No truth for the method's estimand: share of replications with p < 0.05, and why there is no truth",
        aligned(detection_only(recovery.performance)),
        "",
        "Not estimable in any replication (fewer exposed citizens or events than bipsim.analysis.estimates asks for):",
        aligned(not_estimable(recovery.performance)),
        "",
        "Every measure with its MCSE, the estimand kinds and the reasons in full: performance.csv and recovery.html "
        "(--out).",
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
    dots = rows.hvplot.scatter(x=value, y="label", by="method", size=40, hover_cols=["estimand_kind", "replications"])
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
    out: dict[str, tuple[str, Any]] = {}
    rows = _labelled(performance)
    if len(rows):
        out["bias"] = (
            "Bias of each estimate against the truth of its own estimand (mean of estimate minus truth) with +/- 2 "
            "Monte Carlo SE; the dashed line is zero bias. Hazard rows are log hazard ratios, landmark and "
            "mediation rows risk or mean differences, survey rows points of readiness.",
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
    return out


def _mechanism_section(mechanism: str, rows: pd.DataFrame) -> str:
    """One mechanism: what it is, and per method its estimand, truth, estimate with interval, measures and reason."""
    entry = ESTIMANDS[ESTIMAND_KEYS.index(mechanism)] if mechanism in ESTIMAND_KEYS else None
    head = f"<h3>{html.escape(mechanism_label(mechanism))}"
    if entry is not None:
        head += f" <small>({html.escape(entry.da)})</small></h3>"
        head += (
            f"<p>{html.escape(entry.description)} <b>Seen as:</b> {html.escape(entry.exposure)}. "
            f"<b>Twin:</b> {html.escape(entry.contrast_text)}.</p>"
        )
    else:
        head += "</h3>"
    body = []
    for row in rows.itertuples():
        kind = estimand_kind(row.estimand_kind) if row.estimand_kind in ESTIMAND_KIND_KEYS else None
        estimand = (
            f"<b>{html.escape(kind.en)}</b><br><small>{html.escape(kind.description)} "
            f"({html.escape(kind.effect.replace('_', ' '))}, {html.escape(kind.scale.replace('_', ' '))})</small>"
            if kind is not None
            else "no declared estimand"
        )
        if row.replications > 0:
            estimate = (
                f"{row.mean_estimate:.3f}<br><small>[{_num(row.interval_low)}, {_num(row.interval_high)}]</small>"
            )
        else:
            estimate = (
                f"not estimable<br><small>median {row.exposed_median:.0f} exposed citizens, "
                f"{row.events_median:.0f} events</small>"
            )
        if row.with_truth > 0:
            truth = f"{row.true_value:.3f}"
            measures = (
                f"bias {_pm(row.bias, row.bias_mcse)}<br>coverage {_pm(row.coverage, row.coverage_mcse, 2)}"
                f"<br>emp. SE {_num(row.empirical_se)}, model SE {_num(row.model_se)}"
            )
        else:
            truth = f"<small>none: {html.escape(_no_truth(mechanism, row.estimand_kind))}</small>"
            measures = f"p &lt; 0.05 in {_num(row.rejection, 2)}" if np.isfinite(row.rejection) else ""
        planted = "" if not np.isfinite(row.planted) else f"<br><small>planted {row.planted:.3f}</small>"
        body.append(
            "<tr>"
            f"<td>{html.escape(method_label(row.method, row.outcome))}<br><small>{html.escape(row.method)}</small></td>"
            f"<td>{estimand}</td><td>{truth}{planted}</td><td>{estimate}</td><td>{measures}</td>"
            f"<td><small>{html.escape(row.reason)}</small></td></tr>"
        )
    table = (
        '<table class="table"><thead><tr><th>method</th><th>estimand it targets</th><th>truth</th>'
        "<th>mean estimate [mean 95% interval]</th><th>performance (MCSE)</th><th>reason</th></tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table>"
    )
    return head + table


def by_mechanism(performance: pd.DataFrame) -> str:
    """The HTML sections, one per mechanism, of the rows a method can see."""
    sees = [
        (m, o) in METHOD_KEYS and e in METHODS[METHOD_KEYS.index((m, o))].mechanisms
        for e, m, o in zip(performance["estimand"], performance["method"], performance["outcome"], strict=True)
    ]
    shown = performance[np.array(sees, dtype=bool)]
    return "".join(_mechanism_section(m, rows) for m, rows in shown.groupby("estimand", sort=False))


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
        "study's analyses on the observed tables only, and computes the truth of each method's own estimand for the "
        "citizens it compared: from counterfactual twins with the same random numbers (the mechanism removed, or "
        "only its readiness channel), from the planted rule, or from what happened. Performance measures follow "
        "Morris, White &amp; Crowther (2019); numbers in brackets are Monte Carlo standard errors. The reason says "
        "which of the method's assumptions fail for the mechanism.</p>",
    ]
    for name, (caption, _) in figures.items():
        parts.append(f"<figure>{divs[name]}<figcaption>{html.escape(caption)}</figcaption></figure>")
    parts.append("<h2>Mechanism by mechanism</h2>" + by_mechanism(recovery.performance))
    parts.append("<h2>All performance measures</h2>" + table_html(recovery.performance))
    failed_runs = recovery.runs[recovery.runs["status"] != "ok"]
    if len(failed_runs):
        parts.append("<h2>Failed replications</h2>" + table_html(failed_runs[["replication", "error"]]))
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
