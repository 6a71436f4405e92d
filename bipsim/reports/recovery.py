"""How a recovery study is shown: the printed tables, the results folder and its self-contained HTML page.

Rows are read against their own estimand: ``with_truth`` holds the rows whose estimand has a truth (bias,
coverage), ``detection_only`` those whose estimand has none (how often the method rejects "no effect", and why
there is no truth), ``not_estimable`` those too thin in every replication (with the median counts).

The HTML page (:func:`render_html`, in English or Danish) shows mechanism by mechanism (:func:`mechanism_section`,
also the app's recovery view) each estimand a method targets in words, its truth, a dot-and-whisker plot of the
methods' mean estimates and mean 95% intervals against it (inline SVG), and a row per method with bias, coverage,
rejection and the reason: which of the method's assumptions hold and which fail for the mechanism. Labels and
words in both languages come from :mod:`bipsim.reports.recovery_words`.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bipsim.analysis.methods import METHOD_KEYS, METHODS, assumption, failed
from bipsim.contract.estimands import (
    EFFECT_OUTCOME_KEYS,
    EFFECT_OUTCOMES,
    ESTIMAND_KEYS,
    ESTIMAND_KIND_KEYS,
    PLANTED,
    estimand,
    estimand_kind,
    has_truth,
)
from bipsim.recovery.study import Recovery
from bipsim.reports.recovery_words import (
    LANGUAGES,
    assumptions_reason,
    estimand_sentence,
    kind_label,
    label,
    lower_first,
    mechanism_label,
    method_label,
    method_order,
    no_truth_reason,
    number,
    scale_label,
    sees,
    share,
    truth_source,
    words,
)

TITLE = words("title", "en")
KEYS = ["estimand", "outcome", "method"]


def _pm(value: float, mcse: float, digits: int = 3) -> str:
    if not np.isfinite(value):
        return ""
    return f"{value:.{digits}f} ({mcse:.{digits}f})" if np.isfinite(mcse) else f"{value:.{digits}f}"


def _num(value: float, digits: int = 3) -> str:
    return f"{value:.{digits}f}" if np.isfinite(value) else ""


def outcome_label(outcome: str, language: str = "en") -> str:
    """The readable name of an effect outcome."""
    if outcome not in EFFECT_OUTCOME_KEYS:
        return outcome.replace("_", " ")
    return label(EFFECT_OUTCOMES[EFFECT_OUTCOME_KEYS.index(outcome)], language)


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
    """Dots with horizontal intervals, one row per estimate (first row on top), coloured by mechanism."""
    import holoviews as hv
    import hvplot.pandas  # noqa: F401  (registers .hvplot)

    rows = rows.iloc[::-1]  # bokeh lists categorical factors bottom-up
    height = 16 * len(rows) + 110
    intervals = hv.Segments(rows, [low, "label", high, "label"]).opts(color="grey")
    dots = rows.hvplot.scatter(x=value, y="label", by="mechanism", size=40, hover_cols=["method", "estimand_kind"])
    line = hv.VLine(reference).opts(color="black", line_dash="dashed", line_width=1)
    return (intervals * dots * line).opts(
        width=1000, height=height, xlabel=xlabel, ylabel="", legend_position="right", show_legend=False
    )


def _labelled(performance: pd.DataFrame, language: str = "en") -> pd.DataFrame:
    """The rows with a truth, each with a readable label: mechanism, method and outcome."""
    rows = performance[performance["with_truth"] > 0].copy()
    rows["mechanism"] = [mechanism_label(e, language) for e in rows["estimand"]]
    rows["label"] = [
        f"{mechanism_label(e, language)} · {method_label(m, o, language)} · {outcome_label(o, language)}"
        for e, m, o in zip(rows["estimand"], rows["method"], rows["outcome"], strict=True)
    ]
    return rows


def bias_plot(performance: pd.DataFrame, language: str = "en") -> Any | None:
    """The bias of every estimate that has a truth, with +/- 2 Monte Carlo SE (``None`` when none has)."""
    rows = _labelled(performance, language)
    if rows.empty:
        return None
    margin = 2 * rows["bias_mcse"].fillna(0)
    rows = rows.assign(bias_low=rows["bias"] - margin, bias_high=rows["bias"] + margin)
    return _dot_plot(rows, "bias", "bias_low", "bias_high", 0.0, words("bias", language))


def _figures(performance: pd.DataFrame, language: str) -> dict[str, tuple[str, Any]]:
    out: dict[str, tuple[str, Any]] = {}
    rows = _labelled(performance, language)
    if len(rows):
        out["bias"] = (words("bias_caption", language), bias_plot(performance, language))
        cover = rows.dropna(subset=["coverage"])
        if len(cover):
            margin = 2 * cover["coverage_mcse"].fillna(0)
            cover = cover.assign(
                coverage_low=(cover["coverage"] - margin).clip(0, 1),
                coverage_high=(cover["coverage"] + margin).clip(0, 1),
            )
            out["coverage"] = (
                words("coverage_caption", language),
                _dot_plot(cover, "coverage", "coverage_low", "coverage_high", 0.95, words("coverage", language)).opts(
                    xlim=(-0.02, 1.02)
                ),
            )
    return out


SECTION_CSS = """
.mechanism h3{margin:1.6em 0 .3em}
.mechanism .estimand{border-left:4px solid #3b6ea5;padding:.2em 0 .2em .8em;margin:1.2em 0}
.mechanism .estimand h4{margin:.2em 0}
.mechanism .sentence{margin:.2em 0}
.mechanism .truth{margin:.2em 0}
.mechanism .key{color:#777;font-size:11px}
.mechanism .muted{color:#666}
.mechanism table.methods{border-collapse:collapse;font-size:12.5px;margin:.5em 0;width:100%}
.mechanism table.methods th,.mechanism table.methods td{padding:3px 6px;border-bottom:1px solid #ddd;text-align:left;
vertical-align:top}
.mechanism table.methods td.num{white-space:nowrap}
.mechanism .reason{font-size:12px}
.mechanism .reason ul{margin:.1em 0 .3em;padding-left:1.2em}
.mechanism .fails{color:#9a3412}
.mechanism svg text{font-family:sans-serif}
"""
"""The style of a mechanism's section, on the page and in the app."""

_PLOT = {"width": 760, "label": 290, "row": 24, "top": 30, "bottom": 40, "right": 16}
_TRUTH_COLOUR, _PLANTED_COLOUR, _DOT_COLOUR, _ZERO_COLOUR = "#b91c1c", "#7c3aed", "#1d4e89", "#9ca3af"


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick positions covering [low, high]: steps of 1, 2 or 5 times a power of ten."""
    span = high - low
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step + 1e-9) + 1)]


def estimates_svg(rows: pd.DataFrame, truth: float, planted: float, scale: str, language: str = "en") -> str:
    """A dot-and-whisker plot of the methods' mean estimates and mean 95% intervals against the truth line.

    ``rows`` has the columns ``method``, ``outcome``, ``mean_estimate``, ``interval_low`` and ``interval_high``, one
    per method (first on top); ``truth`` and ``planted`` (either may be NaN) are drawn as vertical lines, the planted
    strength only on the log hazard ratio scale it is declared on. Inline SVG: no script, no network.
    """
    p = _PLOT
    height = p["top"] + p["row"] * len(rows) + p["bottom"]
    planted = planted if scale == "log_hazard_ratio" else np.nan  # declared on that scale only
    values = [0.0, *(v for v in (truth, planted) if np.isfinite(v))]
    for column in ("mean_estimate", "interval_low", "interval_high"):
        values += [float(v) for v in rows[column] if np.isfinite(v)]
    low, high = min(values), max(values)
    pad = 0.06 * (high - low) if high > low else max(abs(high), 1.0) * 0.5
    low, high = low - pad, high + pad
    left, right = p["label"], p["width"] - p["right"]

    def x(value: float) -> float:
        return left + (value - low) / (high - low) * (right - left)

    bottom = height - p["bottom"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{p["width"]}" height="{height}" role="img" '
        f'viewBox="0 0 {p["width"]} {height}" aria-label="{html.escape(words("plot_caption", language))}">',
        f'<rect x="{left}" y="{p["top"] - 6}" width="{right - left}" height="{bottom - p["top"] + 6}" '
        'fill="#fafafa" stroke="#ddd"/>',
    ]
    for tick in _ticks(low, high):
        parts.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{bottom}" y2="{bottom + 4}" stroke="#555"/>'
            f'<text x="{x(tick):.1f}" y="{bottom + 16}" font-size="11" text-anchor="middle" fill="#333">'
            f"{number(tick, _tick_digits(tick, high - low), language)}</text>"
        )
    parts.append(
        f'<text x="{(left + right) / 2:.1f}" y="{height - 6}" font-size="12" text-anchor="middle" fill="#333">'
        f"{html.escape(scale_label(scale, language))}</text>"
    )
    lines = [(0.0, _ZERO_COLOUR, "", words("zero", language))]
    if np.isfinite(truth):
        truth_name = f"{lower_first(words('truth', language))} {number(truth, 3, language)}"
        lines.append((truth, _TRUTH_COLOUR, "", truth_name))
    if np.isfinite(planted):
        lines.append((planted, _PLANTED_COLOUR, "2 3", f"{words('planted', language)} {number(planted, 3, language)}"))
    legend = left
    for value, colour, dash, name in lines:
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        width = 1 if colour == _ZERO_COLOUR else 2
        parts.append(
            f'<line x1="{x(value):.1f}" x2="{x(value):.1f}" y1="{p["top"] - 6}" y2="{bottom}" stroke="{colour}" '
            f'stroke-width="{width}"{dashed}><title>{html.escape(name)}</title></line>'
            # the legend above the plot names each line, so that lines close together never hide their names
            f'<line x1="{legend}" x2="{legend + 16}" y1="{p["top"] - 14}" y2="{p["top"] - 14}" stroke="{colour}" '
            f'stroke-width="{width}"{dashed}/>'
            f'<text x="{legend + 20}" y="{p["top"] - 10}" font-size="11" fill="{colour}">{html.escape(name)}</text>'
        )
        legend += 20 + 6.5 * len(name) + 14
    for i, row in enumerate(rows.itertuples()):
        y = p["top"] + p["row"] * i + p["row"] / 2
        name = method_label(row.method, row.outcome, language)
        parts.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="12" text-anchor="end" fill="#222">'
            f"{html.escape(name)}</text>"
        )
        if not np.isfinite(row.mean_estimate):
            parts.append(
                f'<text x="{left + 8}" y="{y + 4:.1f}" font-size="11" fill="#888" font-style="italic">'
                f"{html.escape(words('not_estimable_short', language))}</text>"
            )
            continue
        tip = html.escape(f"{name}: {_estimate_text(row, language)}")
        if np.isfinite(row.interval_low) and np.isfinite(row.interval_high):
            parts.append(
                f'<line x1="{x(row.interval_low):.1f}" x2="{x(row.interval_high):.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                f'stroke="{_DOT_COLOUR}" stroke-width="2"><title>{tip}</title></line>'
            )
            for end in (row.interval_low, row.interval_high):
                parts.append(
                    f'<line x1="{x(end):.1f}" x2="{x(end):.1f}" y1="{y - 4:.1f}" y2="{y + 4:.1f}" '
                    f'stroke="{_DOT_COLOUR}" stroke-width="2"/>'
                )
        parts.append(
            f'<circle cx="{x(row.mean_estimate):.1f}" cy="{y:.1f}" r="5" fill="{_DOT_COLOUR}">'
            f"<title>{tip}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _tick_digits(tick: float, span: float) -> int:
    """Decimals enough to tell ticks ``span`` apart."""
    return max(0, min(4, 1 - math.floor(math.log10(span / 5)))) if span > 0 else 2


def _estimate_text(row: Any, language: str) -> str:
    """A mean estimate with its mean 95% interval, e.g. ``0.127 [0.090, 0.164]`` (``;`` between in Danish)."""
    between = "; " if language == "da" else ", "
    interval = (
        f" [{number(row.interval_low, 3, language)}{between}{number(row.interval_high, 3, language)}]"
        if np.isfinite(row.interval_low) and np.isfinite(row.interval_high)
        else ""
    )
    return number(row.mean_estimate, 3, language) + interval


def mechanisms(performance: pd.DataFrame) -> list[str]:
    """The mechanisms of a performance table in its order (the order of the declared estimands)."""
    return list(dict.fromkeys(performance["estimand"]))


def _reason_html(row: Any, mechanism: str, language: str) -> str:
    holds, fails = assumptions_reason(row.method, row.outcome, mechanism, language)
    parts = []
    if fails:
        items = "".join(f"<li>{html.escape(f)}</li>" for f in fails)
        parts.append(f'<span class="fails"><b>{words("fails", language)}:</b></span><ul>{items}</ul>')
    if holds:
        intro = words("all_hold", language) if not fails else words("holds", language)
        parts.append(f"<b>{intro}:</b> {html.escape('; '.join(lower_first(h) for h in holds))}.")
    return f'<div class="reason">{"".join(parts)}</div>'


def _method_row(row: Any, mechanism: str, language: str) -> str:
    """One method's row: its name, mean estimate with interval (or why none), bias, coverage, rejection, reason."""
    name = (
        f"{html.escape(method_label(row.method, row.outcome, language))}<br>"
        f'<span class="key">{html.escape(row.method)} · {html.escape(outcome_label(row.outcome, language))}</span>'
    )
    if row.replications > 0:
        estimate = html.escape(_estimate_text(row, language))
        if np.isfinite(row.estimable) and row.estimable < 1:
            estimable = words("estimable_share", language, share=share(row.estimable))
            estimate += f'<br><span class="muted">{estimable}</span>'
    else:
        estimate = (
            '<span class="muted">'
            + words(
                "not_estimable",
                language,
                exposed=number(row.exposed_median, 0, language) or "0",
                events=number(getattr(row, "events_median", np.nan), 0, language) or "0",
            )
            + "</span>"
        )
    bias = _pm(row.bias, row.bias_mcse) if row.with_truth > 0 else ""
    coverage = _pm(row.coverage, row.coverage_mcse, 2) if row.with_truth > 0 else ""
    if language == "da":
        bias, coverage = bias.replace(".", ","), coverage.replace(".", ",")
    return (
        f"<tr><td>{name}</td><td class='num'>{estimate}</td><td class='num'>{bias}</td>"
        f"<td class='num'>{coverage}</td><td class='num'>{number(row.rejection, 2, language)}</td>"
        f"<td>{_reason_html(row, mechanism, language)}</td></tr>"
    )


def _estimand_block(mechanism: str, kind: str, rows: pd.DataFrame, planted: float, language: str) -> str:
    """One estimand of a mechanism: its sentence, its truth (or why none), the plot and a row per method."""
    head = (
        f"<h4>{words('estimand', language)}: {html.escape(kind_label(kind, language))} "
        f'<span class="key">{html.escape(kind)}</span></h4>'
        f'<p class="sentence">{html.escape(estimand_sentence(mechanism, kind, language))}</p>'
    )
    truths = rows.loc[rows["with_truth"] > 0, "true_value"].dropna()
    source = truth_source(kind, language)
    how = html.escape(estimand_kind(kind).truth) if kind in ESTIMAND_KIND_KEYS else ""
    if truths.empty:
        truth = np.nan
        line = words("no_truth", language, why=html.escape(no_truth_reason(mechanism, kind, language)))
    elif truths.max() - truths.min() > 1e-9 * max(1.0, abs(truths.max())):
        truth = np.nan
        line = words(
            "truth_range",
            language,
            low=number(truths.min(), 3, language),
            high=number(truths.max(), 3, language),
            source=source,
        )
    else:
        truth = float(truths.iloc[0])
        line = words("truth_value", language, value=number(truth, 3, language), source=source)
    scale = estimand_kind(kind).scale if kind in ESTIMAND_KIND_KEYS else str(rows["scale"].iloc[0])
    title = f' title="{how}"' if how and language == "en" else ""
    header = "".join(
        f"<th>{html.escape(words(k, language))}</th>"
        for k in ("method", "estimate", "bias_mcse", "coverage_mcse", "rejection", "reason")
    )
    body = "".join(_method_row(row, mechanism, language) for row in rows.itertuples())
    return (
        f'<div class="estimand" data-kind="{html.escape(kind)}">{head}<p class="truth"{title}>{line}</p>'
        f"<figure>{estimates_svg(rows, truth, planted, scale, language)}</figure>"
        f'<div class="scroll"><table class="methods"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>'
        "</div></div>"
    )


def mechanism_section(performance: pd.DataFrame, mechanism: str, language: str = "en") -> str:
    """One mechanism as HTML: what it is and its planted strength, then each estimand a method targets.

    Under each estimand: its sentence (population, contrast, outcome, scale), its truth or why there is none, a
    dot-and-whisker plot of the methods' estimates against the truth, and a row per method with its mean estimate and
    mean 95% interval (or why not estimable), bias and coverage with Monte Carlo SEs, rejection rate and reason.
    Methods that cannot see the exposure are named in one line.
    """
    rows = performance[performance["estimand"] == mechanism]
    visible = np.array([sees(m, o, mechanism) for m, o in zip(rows["method"], rows["outcome"], strict=True)], bool)
    seen, unseen = rows[visible], rows[~visible]
    name = mechanism_label(mechanism, language)
    other = mechanism_label(mechanism, "en" if language == "da" else "da")
    parts = [
        f'<section class="mechanism" id="mechanism-{html.escape(mechanism)}" data-mechanism="{html.escape(mechanism)}">'
        f'<h3>{html.escape(name)} <small class="muted">({html.escape(other)})</small></h3>'
    ]
    planted = rows["planted"].dropna()
    planted_value = float(planted.iloc[0]) if len(planted) else np.nan
    if mechanism in PLANTED and np.isfinite(planted_value):
        value = number(planted_value, 3, language)
        parts.append(f"<p>{words('planted_strength', language, parameter=PLANTED[mechanism], value=value)}</p>")
    else:
        parts.append(f"<p>{words('no_planted_strength', language)}</p>")
    if language == "en" and mechanism in ESTIMAND_KEYS:
        entry = estimand(mechanism)
        parts.append(
            f'<p class="muted">{html.escape(entry.description)} <b>{words("seen_as", language)}:</b> '
            f"{html.escape(entry.exposure)}.</p>"
        )
    if seen.empty:
        parts.append(f"<p>{words('no_method_sees', language)}</p>")
    order = {k: i for i, k in enumerate(ESTIMAND_KIND_KEYS)}
    kinds = sorted(dict.fromkeys(seen["estimand_kind"]), key=lambda k: order.get(k, len(order)))
    for kind in kinds:
        block = seen[seen["estimand_kind"] == kind]
        places = [method_order(m, o) for m, o in zip(block["method"], block["outcome"], strict=True)]
        block = block.iloc[np.argsort(places, kind="stable")]
        parts.append(_estimand_block(mechanism, kind, block, planted_value, language))
    if len(unseen):
        names = ", ".join(
            dict.fromkeys(
                f"{method_label(m, o, language)} ({lower_first(outcome_label(o, language))})"
                for m, o in zip(unseen["method"], unseen["outcome"], strict=True)
            )
        )
        parts.append(f'<p class="muted">{html.escape(words("cannot_see", language, methods=names))}</p>')
    parts.append("</section>")
    return "".join(parts)


def by_mechanism(performance: pd.DataFrame, language: str = "en") -> str:
    """Every mechanism's section (:func:`mechanism_section`), in the table's order."""
    return "".join(mechanism_section(performance, m, language) for m in mechanisms(performance))


def render_html(recovery: Recovery, language: str = "en") -> str:
    """The recovery study as one self-contained HTML page in ``language`` (``en`` or ``da``)."""
    return render_page(
        recovery.performance,
        language,
        study=words(
            "study",
            language,
            scenario=html.escape(recovery.scenario.name),
            ok=len(recovery.runs) - recovery.failed,
            runs=len(recovery.runs),
            citizens=recovery.scenario.population.citizens,
            weeks=recovery.scenario.population.weeks,
            seed=recovery.plan.seed,
            seconds=recovery.seconds,
            phases=", ".join(f"{html.escape(k)} {v:.0f} s" for k, v in time_spent(recovery).items()),
        ),
        failed_runs=recovery.runs[recovery.runs["status"] != "ok"],
    )


def render_page(
    performance: pd.DataFrame, language: str = "en", study: str = "", failed_runs: pd.DataFrame | None = None
) -> str:
    """The page of a performance table (also a recorded one): overview figures, each mechanism, every measure.

    ``study`` is a sentence (HTML) describing the study, ``failed_runs`` the replications that failed.
    """
    from bipsim.reports.analysis import embed, standalone_page, table_html

    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    figures = _figures(performance, language)
    script, divs = embed({name: obj for name, (_, obj) in figures.items()})
    contents = " · ".join(
        f'<a href="#mechanism-{html.escape(m)}">{html.escape(mechanism_label(m, language))}</a>'
        for m in mechanisms(performance)
    )
    parts = [
        f"<p>{study}</p>" if study else "",
        f"<p>{words('how', language)}</p>",
        f"<p><b>{words('contents', language)}:</b> {contents}</p>",
        f"<style>{SECTION_CSS}</style>",
        f"<h2>{words('by_mechanism', language)}</h2>",
        by_mechanism(performance, language),
    ]
    if figures:
        parts.append(f"<h2>{words('overview', language)}</h2>")
    for name, (caption, _) in figures.items():
        parts.append(f"<figure>{divs[name]}<figcaption>{html.escape(caption)}</figcaption></figure>")
    parts.append(f"<h2>{words('all_measures', language)}</h2>" + table_html(performance))
    if failed_runs is not None and len(failed_runs):
        parts.append(f"<h2>{words('failed_runs', language)}</h2>" + table_html(failed_runs[["replication", "error"]]))
    body = "".join(parts).replace('class="dataframe"', 'class="table"')
    page = standalone_page(words("title", language), script, body)
    return page.replace("<html lang='en'>", f"<html lang='{language}'>", 1)


def write_recovery(
    recovery: Recovery, directory: str | Path, manifest: dict[str, Any], force: bool = False, language: str = "en"
) -> Path:
    """Write the results folder atomically: tables as Parquet (performance also as CSV), the page, the manifest.

    The page ``recovery.html`` is in ``language`` (``en`` or ``da``).
    """
    from bipsim.ensemble.results import write_results

    performance = recovery.performance

    def page(path: Path) -> None:
        path.write_text(render_html(recovery, language), encoding="utf-8")

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
