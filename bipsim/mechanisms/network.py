"""Social networks: ties carry support and job referrals.

Rule:
    Citizens are tied in a small-world network: ``network.degree`` ties each, a share ``network.rewiring`` of
    them reaching beyond the local neighbourhood; citizens are ordered by jobcentre, so most ties stay within a
    jobcentre. Each week a citizen's network-and-support indicator (itself a modelling assumption) moves
    ``network.support_rate`` of the way toward the mean everyday coping of their ties, and the citizen's chance
    of an employer contact rises with the share of their ties who are in work (referrals).

Planted effect:
    The referral multiplier on employer contacts, ``1 + network.referral_strength * (employed share of
    ties)``.

Switched off:
    With ``network.enabled = false`` there is no support pull and no referral.

Sources:
    All defaults are modelling assumptions.

Parameters:
    ``network.enabled`` (the switch), ``network.degree`` and ``network.rewiring`` (used when the network is
    made), ``network.support_rate`` and ``network.referral_strength``. Reads no other group.
"""

from __future__ import annotations

import numpy as np

from bipsim.contract.vocabulary import indicator_index, status_code
from bipsim.engine.kernels import kernel
from bipsim.engine.world import World

SOCIAL = indicator_index("social_network")
COPING = indicator_index("everyday_coping")
JOB, FLEXI_JOB = status_code("job"), status_code("flexi_job")


def step(model: World) -> None:
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
