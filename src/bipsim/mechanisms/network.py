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

from bipsim.vocabulary import indicator_index, status_code

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
    degree = np.maximum(model.network_degree, 1.0)
    ties_coping = (model.network_adjacency @ c.latent[:, COPING]) / degree
    c.latent[:, SOCIAL] += p.support_rate * (ties_coping - c.latent[:, SOCIAL])
    employed_share = (model.network_adjacency @ ((c.status == JOB) | (c.status == FLEXI_JOB)).astype(float)) / degree
    model.referral_multiplier = 1.0 + p.referral_strength * employed_share
