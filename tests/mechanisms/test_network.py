"""Social networks: support pull and job referrals from employed ties."""

from __future__ import annotations

import numpy as np

from bipsim.contract.vocabulary import status_code
from bipsim.mechanisms import network


def test_referral_multiplier_is_one_when_off(run, seed):
    off = run(seed, network={"enabled": False})
    np.testing.assert_array_equal(off.model.referral_multiplier, 1.0)


def test_referral_multiplier_follows_employed_ties_when_on(run, seed):
    on = run(seed)
    m = on.model
    assert (m.referral_multiplier > 1).sum() > 50 and (m.referral_multiplier >= 1).all()
    c = m.citizens
    # recompute from the adjacency and the statuses the multiplier was last computed from
    employed = np.isin(c.status, (status_code("job"), status_code("flexi_job"))).astype(float)
    share = (m.network_adjacency @ employed) / np.maximum(m.network_degree, 1.0)
    expected = 1.0 + m.params.network.referral_strength * share
    assert np.corrcoef(expected, m.referral_multiplier)[0, 1] > 0.8


def test_referrals_raise_employer_contacts(run, seed):
    on, off = run(seed), run(seed, network={"enabled": False})
    assert on.count("employer_contact") > off.count("employer_contact")


def test_stronger_referrals_raise_contacts_more(run, seed):
    strong, default = run(seed, network={"referral_strength": 5.0}), run(seed)
    assert strong.count("employer_contact") > default.count("employer_contact")


def test_network_step_pulls_support_toward_ties_coping(built):
    model = built(1, citizens=200, network={"support_rate": 1.0, "referral_strength": 2.0})
    c = model.citizens
    network.step(model)
    ties_coping = (model.network_adjacency @ c.latent[:, network.COPING]) / np.maximum(model.network_degree, 1)
    np.testing.assert_allclose(c.latent[:, network.SOCIAL], ties_coping, rtol=1e-5)
    c.status[:] = status_code("job")
    network.step(model)
    np.testing.assert_allclose(model.referral_multiplier, 3.0)  # every tie employed: 1 + 2 * 1


def test_network_table_is_the_model_graph(run, seed):
    r = run(seed)
    assert len(r.truth.network) == r.model.network_graph.number_of_edges()
    assert r.truth.network[["citizen_id", "tie_citizen_id"]].max().max() < r.model.citizens.size
