"""Methods vs truth: the planted mechanisms of a scenario, and what the study's methods say about them.

:func:`triangulation` runs the analyses (:func:`bipsim.analysis.analyze.triangulate`) on a run's observed data;
the Methods tab shows its table as a mechanism x method matrix of findings (:func:`triangulation_matrix`), beside
:func:`mechanism_table` and :func:`calibration_table`. Every name shown comes from a declared table (estimands,
methods and effect outcomes in :mod:`bipsim.contract` and :mod:`bipsim.analysis.methods`), in the page's
language; no key, True/False or NaN reaches the page. Where the run knows the truth is zero (the mechanism is
switched off, or the activity withheld from everyone, as in the ``null`` preset), a detected effect is marked as
a false positive.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import param

from bipsim.analysis.analyze import triangulate
from bipsim.app.controls import group_intro, group_title
from bipsim.app.i18n import calibration_figure, calibration_note, number, word
from bipsim.contract.estimands import EFFECT_OUTCOME_KEYS, EFFECT_OUTCOMES, ESTIMAND_KEYS, ESTIMANDS
from bipsim.reports.recovery_words import mechanism_label, method_label
from bipsim.scenario import GROUPS, MECHANISMS, Scenario


def triangulation(observed: Any) -> pd.DataFrame:
    """What each method says about each planted mechanism: a row per (mechanism, method) with its ``finding``."""
    return triangulate(observed)


def truth_is_zero(mechanism: str, scenario: Scenario) -> bool:
    """Whether ``scenario`` plants no effect of estimand ``mechanism`` (its mechanism off, or its activity withheld)."""
    if mechanism not in ESTIMAND_KEYS:
        return False
    estimand = ESTIMANDS[ESTIMAND_KEYS.index(mechanism)]
    group = getattr(scenario, estimand.mechanism, None)
    if group is None:
        return False
    if not group.enabled:
        return True
    withheld = getattr(group, "withheld", None) or ()
    return estimand.mechanism == "interventions" and mechanism in withheld


def _outcome_label(key: str, language: str) -> str:
    if key in EFFECT_OUTCOME_KEYS:
        entry = EFFECT_OUTCOMES[EFFECT_OUTCOME_KEYS.index(key)]
        return (entry.da if language == "da" else entry.en).lower()
    return str(key).replace("_", " ")


def _p_value(p: float, language: str) -> str:
    return number(p, language, ".2g" if p >= 0.001 else ".0e")


def finding(row: Any, language: str, scenario: Scenario | None = None) -> str:
    """One cell of the matrix: whether the method sees the mechanism, what it estimates, and a false positive."""
    detected = row.detected
    if detected is None or (isinstance(detected, float) and math.isnan(detected)) or pd.isna(detected):
        return word("finding_blind", language)
    direction = word("finding_raises" if row.estimate >= 0 else "finding_lowers", language)
    text = word(
        "finding_detected" if bool(detected) else "finding_not_significant",
        language,
        direction=direction,
        outcome=_outcome_label(row.outcome, language),
        estimate=number(row.estimate, language, "+.2f"),
        p=_p_value(float(row.p_value), language),
    )
    if bool(detected) and scenario is not None and truth_is_zero(row.mechanism, scenario):
        text += " " + word("false_positive", language)
    return text


def triangulation_matrix(table: pd.DataFrame, language: str = "en", scenario: Scenario | None = None) -> pd.DataFrame:
    """The tidy triangulation table as a matrix: a row per mechanism, a column per method, named in ``language``."""
    cells = table.assign(
        cell=[finding(row, language, scenario) for row in table.itertuples()],
        column=[method_label(m, o, language) for m, o in zip(table["method"], table["outcome"], strict=True)],
        row=[mechanism_label(m, language) for m in table["mechanism"]],
    )
    order = list(dict.fromkeys(cells["row"]))
    columns = list(dict.fromkeys(cells["column"]))
    matrix = cells.pivot_table(index="row", columns="column", values="cell", aggfunc="first").reindex(order)
    matrix = matrix[columns].fillna("–")
    matrix.columns.name = None
    return matrix.rename_axis(word("mechanism_column", language)).reset_index()


PLANTED_DOCS = ("Planted", "Causal")
"""How the doc of a planted effect strength begins: "Planted" (set by assumption) or "Causal" (a causal effect
whose value is calibrated or assumed, as opposed to an association the study observes)."""


def is_planted(p: param.Parameter) -> bool:
    """Whether a parameter is a planted effect strength (its doc says so)."""
    return (p.doc or "").startswith(PLANTED_DOCS)


def mechanism_table(scenario: Scenario, language: str = "en") -> pd.DataFrame:
    """Each mechanism of ``scenario``: on or off, its planted strengths with units, and what it does."""
    rows = []
    for group in MECHANISMS:
        values = getattr(scenario, group)
        planted = [
            f"{name} = {getattr(values, name)} {getattr(p, 'unit', '')}".rstrip()
            for name, p in GROUPS[group].param.objects("existing").items()
            if is_planted(p)
        ]
        rows.append(
            {
                word("mechanism_column", language): group_title(group, language),
                word("switch_column", language): word("switched_on" if values.enabled else "switched_off", language),
                word("planted_column", language): "; ".join(planted) or word("acts_through_rates", language),
                word("does_column", language): group_intro(group, language).splitlines()[0],
            }
        )
    return pd.DataFrame(rows)


def calibration_table(table: pd.DataFrame, language: str = "en") -> pd.DataFrame:
    """The calibration rows with readable columns: role in words, numbers rounded, within as yes/no, no NaN."""
    return pd.DataFrame(
        {
            word("figure_column", language): [
                calibration_figure(k, f, language) for k, f in zip(table["key"], table["figure"], strict=True)
            ],
            word("role_column", language): [word(f"role_{r}", language) for r in table["role"]],
            word("published", language): [_plain_number(v, language) for v in table["published"]],
            word("simulated", language): [_plain_number(v, language) for v in table["simulated"]],
            word("tolerance_column", language): [_plain_number(v, language) for v in table["tolerance"]],
            word("implausibility_column", language): [_plain_number(v, language) for v in table["implausibility"]],
            word("within_column", language): [
                "" if pd.isna(w) else word("yes" if bool(w) else "no", language) for w in table["within"]
            ],
            word("note_column", language): [
                "" if pd.isna(n) else calibration_note(str(n), language) for n in table["note"]
            ],
        }
    )


def _plain_number(value: Any, language: str) -> str:
    if value is None or pd.isna(value):
        return ""
    return number(float(value), language, ",.0f" if abs(float(value)) >= 100 else ".3g")
