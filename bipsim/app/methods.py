"""Methods vs truth: the planted mechanisms of a scenario, and what the study's methods say about them.

:func:`triangulation` runs the analyses (:func:`bipsim.analysis.analyze.triangulate`) on a run's observed data;
the Methods tab shows its table as a mechanism x method matrix of findings, beside :func:`mechanism_table`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import param

from bipsim.analysis.analyze import triangulate
from bipsim.scenario import GROUPS, MECHANISMS, Scenario


def triangulation(observed: Any) -> pd.DataFrame:
    """What each method says about each planted mechanism: a row per (mechanism, method) with its ``finding``."""
    return triangulate(observed)


def triangulation_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """The tidy triangulation table as a matrix: a row per mechanism, a column per method."""
    return table.pivot_table(index="mechanism", columns="method", values="finding", aggfunc="first").reset_index()


PLANTED_DOCS = ("Planted", "Causal")
"""How the doc of a planted effect strength begins: "Planted" (set by assumption) or "Causal" (a causal effect
whose value is calibrated or assumed, as opposed to an association the study observes)."""


def is_planted(p: param.Parameter) -> bool:
    """Whether a parameter is a planted effect strength (its doc says so)."""
    return (p.doc or "").startswith(PLANTED_DOCS)


def mechanism_table(scenario: Scenario) -> pd.DataFrame:
    """Each mechanism of ``scenario``: its switch and its planted strengths with units, from the declaration."""
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
                "mechanism": group,
                "enabled": bool(values.enabled),
                "planted": "; ".join(planted) or "(acts through its rates and capacities)",
                "what it does": (GROUPS[group].__doc__ or "").strip().splitlines()[0],
            }
        )
    return pd.DataFrame(rows)
