"""Social networks: ties carry support and job referrals.

Rule: citizens are tied in a small-world network (``network.degree`` ties each, ``network.rewiring`` of them
reaching beyond the local neighbourhood, which mostly shares a jobcentre). Each week a citizen's
network-and-support indicator moves ``network.support_rate`` of the way toward the everyday coping of their
ties, and a citizen's chance of an employer contact rises by ``network.referral_strength`` times the share
of their ties in work.

Planted effect: the referral multiplier ``1 + referral_strength * employed share`` on employer contacts.
Switched off: no support pull and no referrals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from bipsim.contract.vocabulary import indicator_index, status_code
from bipsim.engine.kernels import kernel

if TYPE_CHECKING:
    from bipsim.model.model import BipModel

SOCIAL = indicator_index("social_network")
COPING = indicator_index("everyday_coping")
JOB, FLEXI_JOB = status_code("job"), status_code("flexi_job")


def step(model: BipModel) -> None:
    """Pull the support indicator toward the ties' coping and update the referral multiplier."""
    c, p = model.citizens, model.params.network
    if not p.enabled:
        model.referral_multiplier = np.ones(c.size)
        return
    ties = model.network_adjacency
    model.referral_multiplier = _pull_and_refer(
        indptr=ties.indptr,
        indices=ties.indices,
        weights=ties.data,
        degree=np.maximum(model.network_degree, 1.0),
        latent=c.latent,
        status=c.status,
        support_rate=p.support_rate,
        referral_strength=p.referral_strength,
    )


@kernel
def _pull_and_refer(indptr, indices, weights, degree, latent, status, support_rate, referral_strength):
    """Move each citizen's support toward their ties' mean coping; return the referral multipliers.

    The ties' sums run in the order of the adjacency's row, as scipy's sparse product runs them.
    """
    n = degree.size
    own_coping = np.empty(n)  # contiguous copies: the ties are gathered from them, not from latent's rows
    own_employed = np.empty(n)
    for i in range(n):
        own_coping[i] = latent[i, COPING]
        own_employed[i] = 1.0 if status[i] == JOB or status[i] == FLEXI_JOB else 0.0
    coping = np.empty(n)
    employed = np.empty(n)
    for i in range(n):
        coping_sum, employed_sum = 0.0, 0.0
        for position in range(indptr[i], indptr[i + 1]):
            j = indices[position]
            coping_sum += weights[position] * own_coping[j]
            employed_sum += weights[position] * own_employed[j]
        coping[i], employed[i] = coping_sum / degree[i], employed_sum / degree[i]
    referral = np.empty(n)
    for i in range(n):
        latent[i, SOCIAL] = np.float32(latent[i, SOCIAL] + support_rate * (coping[i] - np.float64(latent[i, SOCIAL])))
        referral[i] = 1.0 + referral_strength * employed[i]
    return referral
