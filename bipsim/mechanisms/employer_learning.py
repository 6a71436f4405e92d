"""Employers learn: a hire from the jobcentre that fails makes an employer more hesitant, one that lasts less so.

Rule:
    Each employer carries a learned shift of its hiring threshold for the jobcentre's candidates (0 at the
    start). A hire that ends within the labour market's early weeks (a failed hire) raises it by
    ``employer_learning.failed_hire_step``; a hire that reaches a year lowers it by
    ``employer_learning.good_hire_step``. The shift fades toward 0 with a time constant of
    ``employer_learning.memory_weeks`` ("more hesitant next time", for a while). The labour market adds the
    shift to the employer's threshold when it decides on a candidate.

Planted effect:
    Hiring thresholds that follow each employer's experience with the jobcentre's citizens: early job losses
    close doors for the next candidates, lasting hires open them.

Switched off:
    With ``employer_learning.enabled = false`` the shift stays 0.

Sources:
    The direction is the BIP employer interviews' ("more hesitant next time"); the strengths are modelling
    assumptions (a failed hire is remembered for about a year and weighs three times a lasting one).

Fixed assumptions:
    A hire fails when it ends within the early weeks of :mod:`bipsim.mechanisms.labour_market` (13), which
    tells this mechanism so at each separation. ``GOOD_HIRE_WEEKS``: a hire counts as good when it lasts 52 weeks.

Parameters:
    ``employer_learning.enabled`` (the switch); ``employer_learning.failed_hire_step``,
    ``employer_learning.good_hire_step`` and ``employer_learning.memory_weeks``. Reads no other group.
"""

from __future__ import annotations

import numpy as np

from bipsim.contract.vocabulary import status_code
from bipsim.engine.world import World

GOOD_HIRE_WEEKS = 52
"""A hire that lasts this many weeks has gone well."""
JOB = status_code("job")


def fade(model: World) -> None:
    """Let every employer's learned shift fade for a week, and credit hires that reach a year."""
    p, e, c = model.params.employer_learning, model.employers, model.citizens
    if not p.enabled:
        return
    e.learned_shift *= np.exp(-1.0 / p.memory_weeks)
    lasting = (c.exit_status == JOB) & (model.week - c.job_start == GOOD_HIRE_WEEKS) & (c.employer >= 0)
    np.subtract.at(e.learned_shift, c.employer[lasting], p.good_hire_step)


def learn_from_separations(model: World, employers: np.ndarray, failed: np.ndarray) -> None:
    """Raise the shift of each employer whose hire ended early (``failed``, as the labour market judges it)."""
    p = model.params.employer_learning
    if not p.enabled:
        return
    np.add.at(model.employers.learned_shift, employers[failed & (employers >= 0)], p.failed_hire_step)
