"""Console tables of results: the estimates of ``bipsim analyze`` and the figures of ``bipsim calibrate``.

Labels come from the declarations (estimands and effect outcomes in :mod:`bipsim.contract.estimands`, methods in
:mod:`bipsim.analysis.methods`, calibration figures in their table's ``figure`` column), never from the keys, and
a row without a value says why in a few words instead of printing NaN. The files the commands write keep every
column and the full notes.
"""

from __future__ import annotations

import math

import pandas as pd

from bipsim.analysis.estimates import MIN_EVENTS, MIN_EXPOSED, too_thin
from bipsim.analysis.methods import METHOD_KEYS, method
from bipsim.cli.text import aligned, terminal_width, wrapped
from bipsim.contract.estimands import EFFECT_OUTCOME_KEYS, EFFECT_OUTCOMES, ESTIMAND_KEYS, estimand

SCALES = {
    "log_hazard_ratio": "log hazard ratio",
    "risk_difference": "risk difference",
    "mean_difference": "mean difference",
    "share": "share",
}
"""How a scale of :data:`bipsim.contract.estimands.EFFECT_OUTCOMES` reads in a table (unknown keys: spaces)."""

SCALE_NOTE = (
    "Scales: a log hazard ratio of 0.69 doubles the weekly chance of entering a job (0: no difference); risk and "
    "mean differences are exposed minus unexposed in the outcome's own units; a share is of the interviewed."
)


def scale_label(key: str) -> str:
    """The readable name of an estimate's scale."""
    return SCALES.get(key, key.replace("_", " "))


def _outcome_label(key: str) -> str:
    return EFFECT_OUTCOMES[EFFECT_OUTCOME_KEYS.index(key)].en if key in EFFECT_OUTCOME_KEYS else key.replace("_", " ")


def _method_label(key: str, outcome: str) -> str:
    return method(key, outcome).en if (key, outcome) in METHOD_KEYS else key.replace("_", " ")


def _estimand_heading(key: str) -> str:
    if key not in ESTIMAND_KEYS:
        return key.replace("_", " ")
    entry = estimand(key)
    return f"{entry.en} / {entry.da}"


def short_reason(row: pd.Series) -> str:
    """Why a row has no estimate, in a few words: the counts that are too small, or the note's first clause."""
    exposed, events = int(row["exposed"]), int(row["events"])
    note = str(row["note"] or "")
    if note and note == too_thin(exposed, events):
        parts = [f"{exposed} exposed < {MIN_EXPOSED}"] if exposed < MIN_EXPOSED else []
        parts += [f"{events} events < {MIN_EVENTS}"] if events < MIN_EVENTS else []
        return ", ".join(parts)
    for mark in (";", ": "):
        note = note.split(mark)[0]
    return note.strip() or "no estimate"


def _number(value: float) -> str:
    return f"{value:.3f}"


def _p_value(value: float) -> str:
    if value is None or math.isnan(value):
        return ""
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def format_estimates(estimates: pd.DataFrame, width: int | None = None) -> str:
    """The estimates table for a terminal: by estimand, then by outcome with its scale, one line per method.

    Each estimate shows its 95% interval and p-value; the rows without one follow their outcome's estimates, one
    line per reason naming the methods it stops (an outcome with none at all takes a single line).
    """
    width = terminal_width() if width is None else width
    has = estimates["estimate"].notna()
    shown = estimates[has]
    names = [_method_label(m, o) for m, o in zip(shown["method"], shown["outcome"], strict=True)]
    label_width = max([len("method"), *map(len, names)])
    lines = [
        f"Estimates with 95% intervals: {int(has.sum())} of {len(estimates)} (estimand, outcome, method) rows have "
        "one.",
        *wrapped(SCALE_NOTE, width),
        "",
        f"    {'method':<{label_width}}  {'estimate':>8}  {'95% interval':<18}  p",
    ]
    order = {key: i for i, key in enumerate(METHOD_KEYS)}
    for key, group in estimates.groupby("estimand", sort=False):
        lines += ["", _estimand_heading(str(key))]
        outcomes = sorted(set(group["outcome"]), key=lambda o: (_position(EFFECT_OUTCOME_KEYS, o), o))
        for outcome in outcomes:
            part = group[group["outcome"] == outcome]
            part = part.iloc[
                sorted(range(len(part)), key=lambda i: order.get(tuple(part.iloc[i][["method", "outcome"]]), 99))
            ]
            title = f"{_outcome_label(outcome)} ({scale_label(str(part['scale'].iloc[0]))})"
            estimated = part[part["estimate"].notna()]
            reasons = _reasons(part[part["estimate"].isna()])
            if estimated.empty:
                for reason, methods in reasons.items():
                    lines += wrapped(f"{title}: not estimable, {reason}: {methods}", width, first="  ", rest="      ")
                continue
            lines.append(f"  {title}")
            for _, row in estimated.iterrows():
                interval = (
                    "no interval"
                    if pd.isna(row["ci_low"])
                    else f"[{_number(row['ci_low'])}, {_number(row['ci_high'])}]"
                )
                label = _method_label(row["method"], row["outcome"])
                lines.append(
                    f"    {label:<{label_width}}  {_number(row['estimate']):>8}  {interval:<18}  "
                    f"{_p_value(row['p_value'])}".rstrip()
                )
            for reason, methods in reasons.items():
                lines += wrapped(f"not estimable, {reason}: {methods}", width, first="    ", rest="        ")
    return "\n".join(lines)


def _position(keys: tuple[str, ...], key: str) -> int:
    return keys.index(key) if key in keys else len(keys)


def _reasons(rows: pd.DataFrame) -> dict[str, str]:
    """The methods of ``rows`` (rows without an estimate) by the short reason they have none."""
    by_reason: dict[str, list[str]] = {}
    for _, row in rows.iterrows():
        by_reason.setdefault(short_reason(row), []).append(_method_label(row["method"], row["outcome"]))
    return {reason: "; ".join(methods) for reason, methods in by_reason.items()}


ROLE_HEADINGS = {
    "outcome": "Outcome targets: figures the model must produce",
    "input": "Inputs: figures the model is given (a check that they arrive)",
}


def format_calibration(table: pd.DataFrame, width: int | None = None) -> str:
    """The calibration table, outcome targets and inputs apart, each figure with its implausibility.

    Each figure by its description, its published value with the source's uncertainty (± one SD), the simulated
    value and its implausibility. A figure is reproduced when its implausibility is at most 3 (the source's
    uncertainty, the model discrepancy and the Monte Carlo error, in standard deviations). Figures without a
    simulated value say why.
    """
    width = terminal_width() if width is None else width
    has_se = "mc_se" in table and table["mc_se"].notna().any()
    header = ["figure", "published", "± SD", "model", *(["MC SE"] if has_se else []), "implaus.", "ok"]
    lines, missing = [], []
    roles = table["role"] if "role" in table else pd.Series("outcome", index=table.index)
    for role, heading in ROLE_HEADINGS.items():
        rows = []
        for _, row in table[roles == role].iterrows():
            label = str(row.get("figure") or row["key"])
            if row["simulated"] is None or pd.isna(row["simulated"]):
                missing.append((label, row))
                continue
            like = row["published"]
            uncertainty = row.get("uncertainty")
            cells = [label, _figure(row["published"]), _figure(uncertainty, like) if uncertainty is not None else ""]
            cells += [_figure(row["simulated"], like)]
            cells += [_figure(row["mc_se"], like) if not pd.isna(row["mc_se"]) else ""] if has_se else []
            score = row.get("implausibility")
            cells += [f"{score:.1f}" if score is not None and not pd.isna(score) else "", _within(row)]
            rows.append(cells)
        if rows:
            lines.append(heading)
            lines += aligned(header, rows, right=tuple(range(1, len(header) - 1)), wrap=0, width=width)
    rules = table[roles == "rule"]
    missing += [(str(row.get("figure") or row["key"]), row) for _, row in rules.iterrows()]
    if missing:
        lines.append("Not computed:")
        for label, row in missing:
            note = str(row.get("note") or "")
            if row["published"] is not None and not pd.isna(row["published"]):
                why = "no replication gave a value at this size" + (f" ({note})" if note else "")
            else:
                why = note or "no simulated value"
            lines += wrapped(f"{label}: {why}", width, first="    ", rest="      ")
    computed = table["within"].notna()
    summary = (
        f"{int(table.loc[computed, 'within'].astype(bool).sum())} of {int(computed.sum())} computed figures "
        "reproduced (implausibility at most 3: the published figure's own uncertainty, a declared model "
        "discrepancy and the Monte Carlo error, in standard deviations; the sources: bipsim calibrate --json "
        "or docs/calibration.md)"
    )
    lines += wrapped(summary, width, first="", rest="")
    return "\n".join(lines)


def _within(row: pd.Series) -> str:
    if row["within"] is None or pd.isna(row["within"]):
        return ""
    return "yes" if bool(row["within"]) else "NO"


def _figure(value: float, like: float | None = None) -> str:
    """A figure as published: whole numbers from 10 up, three decimals below (``like`` sets which for a spread)."""
    if value is None or pd.isna(value):
        return ""
    size = value if like is None or pd.isna(like) else like
    return f"{value:,.0f}" if abs(size) >= 10 else f"{value:.3f}"
