"""Search effort: discouragement with time on benefit and after rejections, and lock-in while in a programme.

Rule:
    A citizen's employer contacts (see :mod:`bipsim.mechanisms.labour_market`) are multiplied by a search
    factor, the product of three parts:

    - discouragement with time: ``exp(-search.duration_decline * years on benefit)``, never below
      ``search.duration_floor``; years on benefit are counted by the refusion clock (``benefit_weeks``), which
      starts again after a year self-supporting;
    - discouragement after rejections: ``(1 - search.rejection_effect) ** rejections``, where every employer
      contact that did not end in a hire adds one rejection and rejections fade with a time constant of
      ``search.rejection_memory_weeks``;
    - lock-in: ``search.lock_in_factor`` while the citizen takes part in any intervention (time and energy go
      to the programme).

Planted effect:
    Fewer employer contacts the longer a citizen has been on benefit, after rejections, and while in a
    programme; the lock-in is the short-term cost of every intervention.

Switched off:
    With ``search.enabled = false`` the factor is 1: search does not fall with duration, rejections or
    programmes (rejections are still counted).

Sources:
    Assumptions. The directions follow the literature: job search effort falls over an unemployment spell
    (Krueger and Mueller's time-use studies) and participants search less while in a programme (the lock-in
    effect found by evaluations of active labour-market programmes, e.g. Lechner and Wunsch 2009). The
    strengths are set so that a two-year spell costs about a quarter of search and a programme a third while
    it runs; ``labour_market.contact_rate`` was calibrated with the mechanism on.

Parameters:
    ``search.enabled`` (the switch); ``search.duration_decline`` and ``search.duration_floor`` (time on
    benefit); ``search.rejection_effect`` and ``search.rejection_memory_weeks`` (rejections);
    ``search.lock_in_factor`` (programmes). Reads no other group.
"""

from __future__ import annotations

import numpy as np

from bipsim.engine.columns import JOB_SLOT, SUPPORT_SLOT
from bipsim.engine.world import World

WEEKS_PER_YEAR = 52.0


def factor(model: World) -> np.ndarray:
    """Each citizen's search factor this week (1 with the mechanism switched off)."""
    c, p = model.citizens, model.params.search
    if not p.enabled:
        return np.ones(c.size)
    years = c.benefit_weeks / WEEKS_PER_YEAR
    duration = np.maximum(np.exp(-p.duration_decline * years), p.duration_floor)
    rejected = (1.0 - p.rejection_effect) ** c.rejections
    in_programme = (c.programme[:, JOB_SLOT] >= 0) | (c.programme[:, SUPPORT_SLOT] >= 0)
    locked = np.where(in_programme, p.lock_in_factor, 1.0)
    return duration * rejected * locked


def remember(model: World, contacted: np.ndarray, hired: np.ndarray) -> None:
    """Fade last week's rejections and add this week's: contacts in ``contacted`` that were not ``hired``."""
    c, p = model.citizens, model.params.search
    c.rejections *= np.exp(-1.0 / p.rejection_memory_weeks)
    c.rejections[contacted[~hired]] += 1.0
