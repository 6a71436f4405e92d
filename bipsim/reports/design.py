"""What a design study shows: the diagnosis table per design and a figure of power, coverage and bias.

The figure (matplotlib, PNG) has one column per (estimand, method, outcome) of interest and three rows: the
rejection rate (power, or type I error where the truth is zero) with the 0.8 line, the coverage of the 95%
intervals with the 0.9 line, and the bias; each against the first varied parameter, one line per value of the
others, with Monte Carlo 95% bars.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bipsim.recovery.design import COVERAGE, POWER, DesignStudy, smallest_designs
from bipsim.recovery.discover import Discovery

HEADLINE_ESTIMANDS = ("caseworker_change", "private_placement")
"""Estimands a design table and figure show when none are asked for (the study's two headline questions)."""
MAX_PANELS = 6


def chosen_rows(study: DesignStudy, estimands: Sequence[str] | None = None) -> pd.DataFrame:
    """The performance rows of ``estimands`` (default :data:`HEADLINE_ESTIMANDS` present) that have a truth."""
    table = study.performance
    wanted = list(estimands) if estimands else [e for e in HEADLINE_ESTIMANDS if e in set(table["estimand"])]
    rows = table[table["estimand"].isin(wanted) & table["has_truth"].fillna(False).astype(bool)]
    return rows[rows["rejection"].notna() | rows["bias"].notna()]


def _cell(value: float, mcse: float, form: str = "{:.3f}") -> str:
    if pd.isna(value):
        return "-"
    return form.format(value) + ("" if pd.isna(mcse) else f" ({mcse:.3f})")


def format_design_table(study: DesignStudy, estimands: Sequence[str] | None = None) -> str:
    """The diagnosis of each design for ``estimands``: bias, RMSE, coverage and power or type I error (MCSE)."""
    rows = chosen_rows(study, estimands)
    if rows.empty:
        return "no estimate of the chosen estimands had a truth to be diagnosed against"
    header = ["estimand", "method", "outcome", "design", "bias (MCSE)", "RMSE (MCSE)", "coverage", "rejection", "is"]
    lines = []
    for _, row in rows.sort_values(["estimand", "method", "outcome", "design_id"], kind="stable").iterrows():
        lines.append(
            [
                row["estimand"],
                row["method"],
                row["outcome"],
                row["label"],
                _cell(row["bias"], row["bias_mcse"], "{:+.3f}"),
                _cell(row["rmse"], row["rmse_mcse"]),
                _cell(row["coverage"], row["coverage_mcse"], "{:.2f}"),
                _cell(row["rejection"], row["rejection_mcse"], "{:.2f}"),
                row["rejection_is"],
            ]
        )
    return _aligned(header, lines)


def format_smallest(study: DesignStudy, estimands: Sequence[str] | None = None) -> str:
    """Per row with a non-zero truth: the smallest design with power >= 0.8 and coverage >= 0.9, or that none has."""
    table = smallest_designs(study)
    wanted = list(estimands) if estimands else [e for e in HEADLINE_ESTIMANDS if e in set(table.get("estimand", []))]
    table = table[table["estimand"].isin(wanted)] if len(table) else table
    if table.empty:
        return "no estimand with a non-zero truth was estimated"
    lines = []
    for _, row in table.iterrows():
        if pd.isna(row["design_id"]):
            found = (
                f"none (best power {row['best_rejection']:.2f}, best coverage {row['best_coverage']:.2f})"
                if "best_rejection" in row and pd.notna(row["best_rejection"])
                else "none"
            )
        else:
            found = f"{row['label']} (power {row['rejection']:.2f}, coverage {row['coverage']:.2f})"
        lines.append([row["estimand"], row["method"], row["outcome"], found])
    found_header = f"smallest design, power >= {POWER}, coverage >= {COVERAGE}"
    return _aligned(["estimand", "method", "outcome", found_header], lines)


def _aligned(header: list[str], rows: list[list[Any]]) -> str:
    text = [[str(c) for c in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in text) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in text)


OUTCOME_ORDER = ("job_entry", "citizen_readiness", "job_1y", "self_sufficiency_2y")
"""The order in which a design figure shows a method's outcomes: the weekly hazard first, as BIP reported."""


def figure_panels(rows: pd.DataFrame) -> list[tuple[str, str, str]]:
    """The (estimand, method, outcome) panels of a design figure, at most :data:`MAX_PANELS`.

    Only rows with a test (where power and coverage mean something), shared fairly between the estimands, the
    weekly hazards first.
    """
    from bipsim.analysis.methods import METHODS

    method_order = {key: i for i, key in enumerate(dict.fromkeys(m.key for m in METHODS))}
    tested = rows.groupby(["estimand", "method", "outcome"], sort=False)["rejection"].apply(lambda r: r.notna().any())
    keys = [key for key, ok in tested.items() if ok]
    keys.sort(
        key=lambda k: (
            OUTCOME_ORDER.index(k[2]) if k[2] in OUTCOME_ORDER else len(OUTCOME_ORDER),
            method_order.get(k[1], len(method_order)),
        )
    )
    estimands = list(dict.fromkeys(k[0] for k in sorted(keys)))
    share = max(1, MAX_PANELS // max(1, len(estimands)))
    return [k for e in estimands for k in [k for k in keys if k[0] == e][:share]][:MAX_PANELS]


def draw_design_png(study: DesignStudy, target: str | Path, estimands: Sequence[str] | None = None) -> None:
    """Power, coverage and bias against the first varied parameter, one panel column per (estimand, method, outcome)."""
    import matplotlib

    matplotlib.use("Agg")  # files only: never open a window
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    rows = chosen_rows(study, estimands)
    panels = figure_panels(rows)
    x_name = study.varied[0] if study.varied else "design_id"
    others = study.varied[1:]
    columns = max(1, len(panels))
    fig, axes = plt.subplots(3, columns, figsize=(3.6 * columns + 1.2, 8.4), squeeze=False, sharex="col")
    measures = (
        ("rejection", "rejection_mcse", "power / type I error", POWER),
        ("coverage", "coverage_mcse", "coverage of 95% CI", COVERAGE),
        ("bias", "bias_mcse", "bias", 0.0),
    )
    for c, panel in enumerate(panels):
        estimand, method, outcome = panel
        frame = rows[(rows["estimand"] == estimand) & (rows["method"] == method) & (rows["outcome"] == outcome)]
        lines = frame.groupby(others, sort=True) if others else [((), frame)]
        for r, (value, mcse, label, line) in enumerate(measures):
            ax = axes[r, c]
            for key, part in lines:
                part = part.sort_values(x_name)
                name = ", ".join(f"{o.split('.')[-1]}={k}" for o, k in zip(others, np.atleast_1d(key), strict=False))
                ax.errorbar(
                    part[x_name].astype(float),
                    part[value],
                    yerr=1.96 * part[mcse].fillna(0.0),
                    marker="o",
                    capsize=3,
                    label=name or None,
                )
            ax.axhline(line, color="#888888", linestyle="--", linewidth=1)
            if r == 0:
                ax.set_title("\n".join(panel), fontsize=9)
            if c == 0:
                ax.set_ylabel(label)
            if r == 2:
                ax.set_xlabel(x_name)
                values = frame[x_name].astype(float)
                if values.min() > 0 and values.max() / values.min() >= 4:
                    ax.set_xscale("log")
                    ax.set_xticks(sorted(values.unique()), [f"{v:g}" for v in sorted(values.unique())])
                    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
            if r < 2:
                ax.set_ylim(-0.03, 1.03)
    if not panels:
        axes[0, 0].text(0.5, 0.5, "no estimate with a truth", ha="center", transform=axes[0, 0].transAxes)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    if labels:
        fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 4), frameon=False)
    replications = int(study.runs["replication"].nunique()) if len(study.runs) else 0
    fig.suptitle(
        f"Design study of {study.scenario.name}: {len(study.designs)} designs x {replications} replications "
        "(bars: Monte Carlo 95%)",
        fontsize=11,
    )
    fig.tight_layout(rect=(0, 0.05, 1, 0.97))
    fig.savefig(target, dpi=110)
    plt.close(fig)


def format_discovery(discovery: Discovery) -> str:
    """The failures found and PRIM's boxes, each with its coverage, density, mass and limits."""
    samples = len(discovery.samples)
    lines = [
        f"{discovery.method} ({discovery.outcome}) on {discovery.estimand}: {discovery.failures} of {samples} "
        f"sampled worlds fail ({discovery.criterion})",
    ]
    if not discovery.boxes:
        why = "no failures" if discovery.failures == 0 else "failures everywhere or no denser region"
        lines.append(f"PRIM found no box ({why})")
    for i, box in enumerate(discovery.boxes, start=1):
        lines.append(
            f"box {i}: coverage {box.coverage:.2f} (share of the failures inside), density {box.density:.2f} "
            f"(failures among the {box.samples} samples inside), mass {box.mass:.2f}"
        )
        for name, limit in box.limits.iterrows():
            lines.append(f"  {limit['low']:.4g} <= {name} <= {limit['high']:.4g}")
        if box.limits.empty:
            lines.append("  (no parameter restricted)")
    return "\n".join(lines)


def draw_discovery_png(discovery: Discovery, target: str | Path) -> None:
    """The samples over the two parameters the first box restricts most, failures as red crosses, boxes drawn.

    Without a box the first two parameters are shown; a single parameter gets a strip.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    names = [name for name, _, _ in discovery.ranges]
    bounds = {name: (lo, hi) for name, lo, hi in discovery.ranges}
    if discovery.boxes and len(discovery.boxes[0].limits):
        first = discovery.boxes[0].limits
        narrowing = ((first["high"] - first["low"]) / [bounds[n][1] - bounds[n][0] for n in first.index]).sort_values()
        shown = list(dict.fromkeys([*narrowing.index, *names]))[:2]
    else:
        shown = names[:2]
    samples = discovery.samples
    fig, ax = plt.subplots(figsize=(7.5, 6))
    x = samples[shown[0]].astype(float)
    y = samples[shown[1]].astype(float) if len(shown) > 1 else pd.Series(0.0, index=samples.index)
    bad = samples["failed"].to_numpy()
    ax.scatter(x[~bad], y[~bad], c="#4c72b0", label="recovers", s=36)
    ax.scatter(x[bad], y[bad], c="#c44e52", marker="X", label="fails", s=52)
    for i, box in enumerate(discovery.boxes, start=1):
        lo_x, hi_x = box.limits.loc[shown[0]] if shown[0] in box.limits.index else bounds[shown[0]]
        if len(shown) > 1:
            lo_y, hi_y = box.limits.loc[shown[1]] if shown[1] in box.limits.index else bounds[shown[1]]
        else:
            lo_y, hi_y = -0.5, 0.5
        ax.add_patch(Rectangle((lo_x, lo_y), hi_x - lo_x, hi_y - lo_y, fill=False, linewidth=2, edgecolor="#333333"))
        ax.annotate(
            f"box {i}: coverage {box.coverage:.2f}, density {box.density:.2f}",
            (lo_x, hi_y),
            xytext=(3, 3),
            textcoords="offset points",
            fontsize=8,
        )
    own = [getattr(getattr(discovery.scenario, name.split(".")[0]), name.split(".")[1]) for name in shown]
    ax.scatter([own[0]], [own[1] if len(own) > 1 else 0.0], marker="*", s=260, c="#f2b134", edgecolors="#333333",
               zorder=5, label=f"{discovery.scenario.name}'s values")  # fmt: skip
    ax.set_xlabel(shown[0])
    ax.set_ylabel(shown[1] if len(shown) > 1 else "")
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title(
        f"Where {discovery.method} ({discovery.outcome}) fails on {discovery.estimand}\n"
        f"{discovery.failures} of {len(samples)} worlds: {discovery.criterion}",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(target, dpi=110)
    plt.close(fig)


# --- the recorded design study and discovery of docs/research.md ------------------------------------------------

DESIGN_COMMAND = "python -m bipsim.reports.docs --design"
DESIGN_RECORD = "design.json"
DESIGN_RUN: dict[str, Any] = {
    "scenario": "baseline",
    "vary": [["population.citizens", [1000, 2000, 4000]], ["survey.waves", [8, 16]]],
    "replications": 100,
    "seed": 0,
}
"""The recorded design study: three cohort sizes and two survey lengths, 100 replications each."""
DISCOVERY_RUN: dict[str, Any] = {
    "scenario": "baseline",
    "ranges": [
        ["meetings.observation_sd", 0.3, 2.5],
        ["caseworker_rating.noise_sd", 0.1, 1.5],
        ["interventions.private_placement_multiplier", 1.0, 2.5],
    ],
    "n": 48,
    "replications": 6,
    "seed": 0,
    "estimand": "private_placement",
    "method": "register_hazard",
    "outcome": "job_entry",
    "criterion": "abs(bias) > 2 * bias_mcse",
}
"""The recorded discovery: where does the adjusted hazard miss the private placement's multiplier in force?"""
RECORDED_MEASURES = (
    "bias", "bias_mcse", "rmse", "rmse_mcse", "coverage", "coverage_mcse", "rejection", "rejection_mcse",
    "true_value", "replications",
)  # fmt: skip


def _json(value: object) -> object:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if not np.isfinite(value) else round(float(value), 4)
    return value


def design_record(study: DesignStudy, discovery: Discovery | None, workers: int) -> dict[str, Any]:
    """What the documentation shows of a design study and a discovery: their settings, tables, boxes and times."""
    rows = chosen_rows(study)
    panels = set(figure_panels(rows))  # the rows the figure shows: the hazards and the survey first
    rows = rows[[key in panels for key in zip(rows["estimand"], rows["method"], rows["outcome"], strict=True)]]
    rows = rows.sort_values(["estimand", "method", "outcome", "design_id"], kind="stable")
    first = study.replications  # the shown rows' estimates in the first world's first replication
    if len(first):
        shown = np.array([k in panels for k in zip(first["estimand"], first["method"], first["outcome"], strict=True)])
        first = first[shown & (first["replication"] == 0)]
        first = first[first["design_id"].isin(study.designs.loc[study.designs["world_id"] == 0, "design_id"])]
    keep = ["design_id", "label", *study.varied, "estimand", "method", "outcome", "rejection_is", *RECORDED_MEASURES]
    smallest = smallest_designs(study)
    smallest = smallest[smallest["estimand"].isin(HEADLINE_ESTIMANDS)]
    record: dict[str, Any] = {
        "design": {
            **DESIGN_RUN,
            "workers": workers,
            "worlds": int(study.designs["world_id"].nunique()),
            "failed": study.failed,
            "wall_seconds": round(study.seconds, 1),
            "rows": [{k: _json(row[k]) for k in keep} for _, row in rows.iterrows()],
            "smallest": [
                {k: _json(v) for k, v in row.items() if not (isinstance(v, float) and np.isnan(v)) and v is not pd.NA}
                for row in smallest.to_dict("records")
            ],
            # the first world's first replication, estimate by estimate: a test reruns it against today's code
            "first_replication": {
                f"{r.design_id}|{r.estimand}|{r.method}|{r.outcome}": _json(r.estimate)
                for r in (first.itertuples() if len(first) else [])
            },
        }
    }
    if discovery is not None:
        record["discovery"] = {
            **DISCOVERY_RUN,
            "workers": workers,
            "failures": discovery.failures,
            "samples": len(discovery.samples),
            "wall_seconds": round(discovery.seconds, 1),
            "boxes": [
                {
                    "coverage": _json(b.coverage),
                    "density": _json(b.density),
                    "mass": _json(b.mass),
                    "samples": b.samples,
                    "limits": {name: [_json(r["low"]), _json(r["high"])] for name, r in b.limits.iterrows()},
                }
                for b in discovery.boxes
            ],
        }
    return record


def record_design(path: Path, workers: int = 2, progress: Any = None) -> dict[str, Any]:
    """Run the design study of :data:`DESIGN_RUN` and the discovery of :data:`DISCOVERY_RUN`; write the record."""
    import json

    from bipsim.recovery.design import design_study
    from bipsim.recovery.discover import discover
    from bipsim.scenario import load_scenario

    varied = [(name, values) for name, values in DESIGN_RUN["vary"]]
    study = design_study(
        load_scenario(DESIGN_RUN["scenario"]), varied, DESIGN_RUN["replications"], DESIGN_RUN["seed"], workers
    )
    run = DISCOVERY_RUN
    found = discover(
        load_scenario(run["scenario"]), [tuple(r) for r in run["ranges"]], run["n"], run["estimand"], run["method"],
        run["outcome"], run["criterion"], run["replications"], run["seed"], workers,
    )  # fmt: skip
    record = design_record(study, found, workers)
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return record


def read_design_record(path: Path) -> dict[str, Any]:
    """Read the design record; it must be of the declared runs."""
    import json

    if not path.is_file():
        raise FileNotFoundError(f"{path}: no design record; make it with `{DESIGN_COMMAND}`")
    record = json.loads(path.read_text(encoding="utf-8"))
    design = record.get("design", {})
    if [design.get(k) for k in DESIGN_RUN] != list(DESIGN_RUN.values()):
        raise ValueError(f"{path}: the record is of another design study; remake it with `{DESIGN_COMMAND}`")
    return record


def _r(value: object, digits: int = 2, sign: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"


def design_section(record: dict[str, Any]) -> str:
    """The recorded design study as Markdown: the diagnosis per row and design, the smallest designs, the boxes."""
    design = record["design"]
    names = [name for name, _ in design["vary"]]
    minutes = design["wall_seconds"] / 60
    out = [
        f"Recorded: `bipsim design {design['scenario']} "
        + " ".join(f"--vary {n}={','.join(map(str, v))}" for n, v in design["vary"])
        + f" --replications {design['replications']} --seed {design['seed']} --workers {design['workers']}` "
        f"({len(design['rows']) and len({r['design_id'] for r in design['rows']})} designs over {design['worlds']} "
        f"worlds, {minutes:.1f} minutes on {design['workers']} workers; remake with `{DESIGN_COMMAND}`). "
        "Monte Carlo SEs in brackets; *estimated in*: the replications with enough exposed citizens and events for an "
        "estimate.",
        "",
        "| estimand | method | outcome | " + " | ".join(names) + " | estimated in | bias | RMSE | coverage | power |",
        "|---|---|---|" + "---:|" * len(names) + "---:|---:|---:|---:|---:|",
    ]
    for row in design["rows"]:
        out.append(
            f"| {row['estimand']} | {row['method']} | {row['outcome']} | "
            + " | ".join(f"{row[n]:,}" if isinstance(row[n], int) else str(row[n]) for n in names)
            + f" | {row['replications']} | {_r(row['bias'], 3, True)} ({_r(row['bias_mcse'], 3)}) | "
            f"{_r(row['rmse'], 3)} | "
            f"{_r(row['coverage'])} ({_r(row['coverage_mcse'])}) | "
            f"{_r(row['rejection'])} ({_r(row['rejection_mcse'])}) |"
        )
    out += ["", f"The smallest design with power ≥ {POWER} and coverage ≥ {COVERAGE} (cost: citizens × waves):", ""]
    for row in design["smallest"]:
        what = f"**{row['estimand']}**, {row['method']} ({row['outcome']})"
        if row.get("label"):
            out.append(f"- {what}: {row['label']} (power {row['rejection']:.2f}, coverage {row['coverage']:.2f})")
        else:
            out.append(
                f"- {what}: none of these designs (the best power is {_r(row.get('best_rejection'))}, the best "
                f"coverage {_r(row.get('best_coverage'))}, not necessarily of one design)"
            )
    found = record.get("discovery")
    if found:
        ranges = ", ".join(f"{n} {lo:g}–{hi:g}" for n, lo, hi in found["ranges"])
        out += [
            "",
            f"Recorded discovery: `bipsim discover {found['scenario']} "
            + " ".join(f"--ranges {n}={lo:g}:{hi:g}" for n, lo, hi in found["ranges"])
            + f" --n {found['n']} --replications {found['replications']} --estimand {found['estimand']} --method "
            f"{found['method']} --outcome {found['outcome']} --criterion '{found['criterion']}' --workers "
            f"{found['workers']}` ({found['wall_seconds'] / 60:.1f} minutes). Over {ranges}, "
            f"{found['failures']} of {found['samples']} sampled worlds fail.",
            "",
        ]
        if not found["boxes"]:
            out.append("PRIM found no box where the failures concentrate.")
        for i, box in enumerate(found["boxes"], start=1):
            limits = "; ".join(f"{lo:.3g} ≤ {name} ≤ {hi:.3g}" for name, (lo, hi) in box["limits"].items())
            out.append(
                f"- Box {i}: {limits or 'no parameter restricted'} — coverage {box['coverage']:.2f} (share of the "
                f"failures inside), density {box['density']:.2f} (failures among its {box['samples']} worlds), mass "
                f"{box['mass']:.2f}"
            )
    return "\n".join(out) + "\n"
