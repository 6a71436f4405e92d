"""Methods vs truth: the planted mechanisms of a scenario, and the hook for the triangulation analyses.

The hook. When a module :data:`TRIANGULATION_MODULE` exists and defines a function
:data:`TRIANGULATION_FUNCTION` taking the observed data (:class:`bipsim.instruments.Observed` or a bundle)
and returning a tidy :class:`pandas.DataFrame` with at least the columns ``mechanism``, ``method`` and
``finding`` (one row per mechanism and method: what that method says about that mechanism), the sandbox
calls it after every run and shows the table as a mechanism x method matrix. Any other columns (an
``estimate``, its ``low`` and ``high`` bounds, a ``truth`` from recovery) are shown in full beneath it.
Until the module exists, the view says so; nothing is invented in its place.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

import pandas as pd
import param

from bipsim.scenario import GROUPS, MECHANISMS, Scenario

TRIANGULATION_MODULE = "bipsim.analysis.analyze"
TRIANGULATION_FUNCTION = "triangulate"
TRIANGULATION_COLUMNS: tuple[str, ...] = ("mechanism", "method", "finding")


def triangulation_available() -> bool:
    """Whether the triangulation analyses exist in this installation."""
    return importlib.util.find_spec(TRIANGULATION_MODULE) is not None


def triangulation(observed: Any) -> pd.DataFrame | None:
    """The triangulation table of the observed data, or ``None`` when the analyses do not exist yet.

    Raises ``ValueError`` when the function exists but returns a table without the required columns.
    """
    if not triangulation_available():
        return None
    function = getattr(importlib.import_module(TRIANGULATION_MODULE), TRIANGULATION_FUNCTION, None)
    if function is None:
        return None
    table = function(observed)
    missing = [c for c in TRIANGULATION_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{TRIANGULATION_MODULE}.{TRIANGULATION_FUNCTION} returned no column(s) {', '.join(missing)}")
    return table


def triangulation_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """The tidy triangulation table as a matrix: a row per mechanism, a column per method."""
    return table.pivot_table(index="mechanism", columns="method", values="finding", aggfunc="first").reset_index()


def is_planted(p: param.Parameter) -> bool:
    """Whether a parameter is a planted effect strength (its doc says so)."""
    return (p.doc or "").startswith("Planted")


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
