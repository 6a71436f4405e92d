"""The mesa agents are views onto the columnar state; rare events (a caseworker leaving) live on them."""

from __future__ import annotations

import numpy as np
import pytest

import bipsim
from bipsim.contract.vocabulary import INDICATOR_KEYS, ORIENTATION_KEYS, STATUS_KEYS
from bipsim.model import BipModel
from bipsim.model.agents import Caseworker, Citizen, Employer, Jobcentre
from bipsim.scenario import load_scenario


@pytest.fixture(scope="module")
def finished():
    return bipsim.simulate(seed=4, citizens=400, weeks=40)


def fresh_model(seed: int = 4, citizens: int = 400, weeks: int = 20) -> BipModel:
    return BipModel(load_scenario(None).replace(population={"citizens": citizens, "weeks": weeks}), seed=seed)


def test_model_agents_hold_every_kind(finished):
    kinds = {type(a) for a in finished.agents}
    assert kinds == {Citizen, Caseworker, Employer, Jobcentre}
    m = finished
    assert len(m.agents_by_type[Citizen]) == m.citizens.size == 400
    assert len(m.agents_by_type[Caseworker]) == m.caseworkers.size
    assert len(m.agents_by_type[Employer]) == m.employers.size
    assert len(m.agents_by_type[Jobcentre]) == m.params.population.jobcentres
    assert len(m.agents) == 400 + m.caseworkers.size + m.employers.size + m.params.population.jobcentres


def test_citizen_views_match_the_columnar_state(finished):
    c = finished.citizens
    statuses = [a.status for a in finished.citizen_agents]
    assert statuses == [STATUS_KEYS[s] for s in c.status]
    assert len(set(statuses)) > 2  # the run has moved citizens between statuses
    weekly = finished.truth().weekly
    last = weekly[weekly["week"] == 39].sort_values("citizen_id")
    assert list(last["status"].astype(str)) == statuses
    for agent in finished.citizen_agents[:25]:
        assert agent.orientation == ORIENTATION_KEYS[c.orientation[agent.index]]
        assert list(agent.indicators) == list(INDICATOR_KEYS)
        np.testing.assert_allclose(list(agent.indicators.values()), c.latent[agent.index])
        assert agent.readiness == pytest.approx(float(c.readiness[agent.index]))
        expected = c.caseworker[agent.index]
        assert (agent.caseworker.index if agent.caseworker is not None else -1) == expected


def test_caseworker_and_jobcentre_views(finished):
    for jobcentre in finished.jobcentre_agents:
        workers = jobcentre.caseworkers
        assert workers and all(w.active and w.jobcentre == jobcentre.index for w in workers)
        assert jobcentre.places.shape == (len(finished.places[0]),)
    caseload = sum(w.caseload.size for w in finished.caseworker_agents)
    on_benefit_with_worker = int((finished.citizens.on_benefit() & (finished.citizens.caseworker >= 0)).sum())
    assert caseload == on_benefit_with_worker


def test_caseworker_leave_hands_the_caseload_to_a_successor_in_the_same_jobcentre():
    model = fresh_model()
    for _ in range(5):
        model.step()
    c = model.citizens
    leaver = max(model.caseworker_agents, key=lambda w: w.caseload.size)
    assigned = np.flatnonzero(c.caseworker == leaver.index)
    assert assigned.size > 0
    changes_before = c.caseworker_changes[assigned].copy()
    others_before = c.caseworker.copy()
    successor = leaver.leave(model.streams("turnover", model.week))
    assert isinstance(successor, Caseworker) and successor.index != leaver.index
    assert successor.jobcentre == leaver.jobcentre
    assert successor.active and not leaver.active
    assert model.caseworkers.end_week[leaver.index] == model.week
    assert model.caseworkers.start_week[successor.index] == model.week
    assert (c.caseworker[assigned] == successor.index).all()
    assert not (c.caseworker == leaver.index).any()
    assert (c.caseworker_changes[assigned] == changes_before + 1).all()
    assert (c.meetings_with_caseworker[assigned] == 0).all()
    untouched = np.setdiff1d(np.arange(c.size), assigned)
    np.testing.assert_array_equal(c.caseworker[untouched], others_before[untouched])
    assert model.caseworker_agents[successor.index] is successor and successor in model.agents
    logged = model.events.to_frame().query("event == 'caseworker_change'")
    assert set(assigned) <= set(logged["citizen_id"])


def test_employer_views(finished):
    employer = finished.employer_agents[0]
    assert employer.jobcentres and all(0 <= j < finished.params.population.jobcentres for j in employer.jobcentres)
    assert employer.threshold == pytest.approx(finished.employers.threshold[0] + finished.threshold_shift)
    assert employer.vacancies == finished.vacancies[0]


def test_a_finished_model_is_freed_once_nothing_refers_to_it():
    # mesa 3.3's Agent._ids keeps every model alive; an ensemble worker would grow by a model per run
    import gc
    import weakref

    model = fresh_model(citizens=100, weeks=5).run()
    ids = {a.unique_id for a in model.agents}
    assert len(ids) == len(model.agents)  # unique ids per model still hold
    hired = model.hire_caseworker(0, np.random.default_rng(0))
    assert hired.unique_id not in ids
    alive = weakref.ref(model)
    del model, hired
    gc.collect()
    assert alive() is None
