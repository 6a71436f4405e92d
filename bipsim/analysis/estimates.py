"""The estimands and the tidy estimates table that every analysis method writes into.

One row per (estimand, outcome, method): ``estimand, outcome, method, scale, estimate, se, ci_low,
ci_high, p_value, n, note``. Intervals are 95% Wald intervals on the row's scale.

ESTIMANDS (the exposures; the mechanism each one stands for is in ``docs/model.md`` section 7):

- ``caseworker_change`` (sagsbehandlerskift): the caseworker_id of the register differs from the one of the
  previous register week with a caseworker (weeks without one, e.g. in a job, are skipped). Time-varying
  exposure in the hazard: at least one change since week 0.
- ``caseworker_belief``: the caseworker's answer to the survey item ``caseworker_job_belief`` at the last
  wave at or before the week, scores 4-5 ("good chances", "yes") against 1-3; no answer yet is its own
  category (a missing flag), not part of the contrast.
- ``waiting`` (ventetid): NOT visible in the register — a queued citizen is coded as social assistance with
  activity ``none``, exactly like somebody without an offer — and not asked in the survey. Only the
  interviews (theme ``waiting``) see it; the register methods report a row with a NaN estimate saying so.
- ``business_cycle``: labour demand. No observed table holds a demand series, and calendar time is
  confounded with the cohort's duration on benefit, so no method estimates it (a NaN row says so).
- one estimand per intervention type of ``INTERVENTION_KEYS`` (e.g. ``private_placement``): a *completed*
  spell of that activity in the register, i.e. the citizen is still on social assistance the week after
  the spell's last week. Time-varying exposure in the hazard: a spell completed in the last 26 weeks.

OUTCOMES: ``job_entry`` (weekly transition from social assistance to an ordinary job, hazard methods);
``job_1y`` (any ordinary-job week within 52 weeks) and ``self_sufficiency_2y`` (share of in-population
weeks self-supporting within 104 weeks), both after the landmark week of :mod:`bipsim.analysis.register`;
``citizen_readiness`` (quarterly change of the citizen's mean indicator score, survey methods);
``theme_prevalence`` (interviews).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import norm

from bipsim.contract.vocabulary import INTERVENTION_KEYS

MECHANISMS: tuple[str, ...] = (
    "caseworker_change",
    "caseworker_belief",
    "waiting",
    "business_cycle",
    *INTERVENTION_KEYS,
)
COLUMNS: tuple[str, ...] = (
    "estimand",
    "outcome",
    "method",
    "scale",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "p_value",
    "n",
    "note",
)
Z95 = float(norm.ppf(0.975))


def row(
    estimand: str,
    outcome: str,
    method: str,
    scale: str,
    estimate: float,
    se: float = math.nan,
    n: int = 0,
    note: str = "",
    p_value: float | None = None,
) -> dict[str, object]:
    """One row of the estimates table; the interval and (unless given) p-value come from a normal Wald test."""
    estimate, se = float(estimate), float(se)
    ok = math.isfinite(estimate) and math.isfinite(se) and se > 0
    if p_value is None:
        p_value = float(2 * norm.sf(abs(estimate / se))) if ok else math.nan
    return {
        "estimand": estimand,
        "outcome": outcome,
        "method": method,
        "scale": scale,
        "estimate": estimate,
        "se": se if ok else math.nan,
        "ci_low": estimate - Z95 * se if ok else math.nan,
        "ci_high": estimate + Z95 * se if ok else math.nan,
        "p_value": p_value,
        "n": int(n),
        "note": note,
    }


def not_estimable(estimand: str, outcome: str, method: str, scale: str, note: str, n: int = 0) -> dict[str, object]:
    """A row whose estimate is NaN, with the reason in ``note``."""
    return row(estimand, outcome, method, scale, math.nan, n=n, note=note)


def table(rows: list[dict[str, object]]) -> pd.DataFrame:
    """The tidy estimates table, in a stable order (mechanism, outcome, method)."""
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    order = {k: i for i, k in enumerate(MECHANISMS)}
    frame["_order"] = frame["estimand"].map(order).fillna(len(order))
    frame = frame.sort_values(["_order", "outcome", "method"], kind="stable").drop(columns="_order")
    frame["n"] = frame["n"].astype(np.int64)
    return frame.reset_index(drop=True)
