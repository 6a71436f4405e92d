"""The mesa agents are the per-agent API: views onto the columnar state, the weekly record and the event log.

Rare events (a caseworker leaving) live on them; what they report agrees with the truth tables.
"""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd
import pytest

import bipsim
from bipsim.contract.vocabulary import INDICATOR_KEYS, INTERVENTIONS, ORIENTATION_KEYS, STATUS_KEYS
from bipsim.model import BipModel
from bipsim.model.agents import Caseworker, Citizen, Employer, Jobcentre, caseworker_spells, intervention_spells
from bipsim.scenario import load_scenario


@pytest.fixture(scope="module")
def finished():
    return bipsim.simulate(seed=4, citizens=400, weeks=40)


@pytest.fixture(scope="module")
def truth(finished):
    return finished.truth()


def fresh_model(seed: int = 4, citizens: int = 400, weeks: int = 20) -> BipModel:
    return BipModel(load_scenario(None).replace(population={"citizens": citizens, "weeks": weeks}), seed=seed)


def registered(model: BipModel) -> mesa.agent.AgentSet:
    """The agents registered with mesa so far (mesa's own property, which makes none)."""
    return mesa.Model.agents.fget(model)


def test_agents_are_made_when_first_asked_for_and_kept():
    model = fresh_model(weeks=3)
    assert len(registered(model)) == 0  # building the model makes no agent
    citizen = model.citizen(7)
    assert isinstance(citizen, Citizen) and citizen.index == 7
    assert model.citizen(np.int64(7)) is citizen
    assert list(registered(model)) == [citizen]
    caseworker = citizen.caseworker
    assert caseworker is model.caseworker(model.citizens.caseworker[7])
    assert {type(a) for a in registered(model)} == {Citizen, Caseworker}
    for ask, count in ((model.citizen, 400), (model.caseworker, model.caseworkers.size), (model.jobcentre, 10)):
        with pytest.raises(IndexError, match=f"has {count}"):
            ask(count)
        with pytest.raises(IndexError):
            ask(-1)
    with pytest.raises(TypeError):
        model.employer(1.0)


def test_asking_for_agents_does_not_change_the_run():
    plain = fresh_model(seed=2, weeks=12).run().truth()
    model = fresh_model(seed=2, weeks=12)
    assert len(model.agents) > 400  # every agent made before the first week
    while model.running:
        model.step()
        _ = [model.citizen(i).caseworker_history for i in range(0, 400, 37)]
    watched = model.truth()
    for name in ("weekly", "events", "caseworkers", "latent"):
        pd.testing.assert_frame_equal(getattr(watched, name), getattr(plain, name))


def test_model_agents_hold_every_kind(finished):
    kinds = {type(a) for a in finished.agents}
    assert kinds == {Citizen, Caseworker, Employer, Jobcentre}
    m = finished
    assert len(m.agents_by_type[Citizen]) == m.citizens.size == 400
    assert len(m.agents_by_type[Caseworker]) == m.caseworkers.size
    assert len(m.agents_by_type[Employer]) == m.employers.size
    assert len(m.agents_by_type[Jobcentre]) == m.params.population.jobcentres
    assert len(m.agents) == 400 + m.caseworkers.size + m.employers.size + m.params.population.jobcentres
    assert {a.index for a in m.agents_by_type[Citizen]} == set(range(400))
    assert m.citizen(12) in m.agents_by_type[Citizen]


def test_citizen_views_match_the_columnar_state(finished, truth):
    c = finished.citizens
    statuses = [finished.citizen(i).status for i in range(c.size)]
    assert statuses == [STATUS_KEYS[s] for s in c.status]
    assert len(set(statuses)) > 2  # the run has moved citizens between statuses
    weekly = truth.weekly
    last = weekly[weekly["week"] == 39].sort_values("citizen_id")
    assert list(last["status"].astype(str)) == statuses
    for agent in map(finished.citizen, range(25)):
        assert agent.orientation == ORIENTATION_KEYS[c.orientation[agent.index]]
        assert list(agent.indicators) == list(INDICATOR_KEYS)
        np.testing.assert_allclose(list(agent.indicators.values()), c.latent[agent.index])
        assert agent.readiness == pytest.approx(float(c.readiness[agent.index]))
        expected = c.caseworker[agent.index]
        assert (agent.caseworker.index if agent.caseworker is not None else -1) == expected


def test_a_citizens_timeline_is_their_rows_of_the_weekly_table(finished, truth):
    weekly = truth.weekly
    for i in (0, 1, 57, 201, 399):
        rows = weekly[weekly["citizen_id"] == i].drop(columns="citizen_id").reset_index(drop=True)
        pd.testing.assert_frame_equal(finished.citizen(i).timeline, rows)
    moving = [i for i in range(400) if finished.citizen(i).timeline["status"].nunique() > 1]
    assert moving  # timelines that change, not only constant ones


def test_a_citizens_events_are_their_rows_of_the_event_log(finished, truth):
    events = truth.events
    for i in (3, 99):
        expected = events[events["citizen_id"] == i].reset_index(drop=True)
        assert len(expected) > 0
        pd.testing.assert_frame_equal(finished.citizen(i).events, expected)


def reference_spells(ids: list[int], status: list[str], changes: set[int]) -> list[tuple]:
    """Spells with one caseworker, week by week: the definition of ``caseworker_spells`` as a plain loop.

    ``ids``: the citizen's caseworker each week (-1 none), ``status`` their status, ``changes`` the weeks of
    their caseworker changes.
    """
    spells: list[list] = []
    for week, worker in enumerate(ids):
        if worker < 0:
            continue
        previous = ids[week - 1] if week > 0 else -1
        if week == 0 or worker != previous or week in changes:
            how = "caseworker_change" if week in changes or previous >= 0 else ("start" if week == 0 else "return")
            if spells and spells[-1][2] == week - 1:
                spells[-1][5] = "caseworker_change"
            spells.append([worker, week, week, how, None, None])
        spells[-1][2] = week
    for spell in spells:
        if spell[5] is None:
            after = spell[2] + 1
            spell[5] = "ongoing" if after == len(ids) else status[after]
    return [(w, first, last, last - first + 1, how, end) for w, first, last, how, _, end in spells]


def test_caseworker_history_follows_the_weekly_caseworker_and_the_changes(finished, truth):
    weekly = truth.weekly  # citizen by citizen, week by week
    ids = weekly["caseworker_id"].fillna(-1).to_numpy().reshape(400, -1).tolist()
    status = weekly["status"].astype(str).to_numpy().reshape(400, -1).tolist()
    changes = truth.events.query("event == 'caseworker_change'").groupby("citizen_id")["week"].agg(set)
    every = caseworker_spells(finished, np.arange(400))
    for i in range(400):
        mine = every[every["citizen_id"] == i].drop(columns=["citizen_id"])
        expected = reference_spells(ids[i], status[i], changes.get(i, set()))
        assert list(mine.itertuples(index=False, name=None)) == expected, i
        if i % 40 == 0:
            pd.testing.assert_frame_equal(finished.citizen(i).caseworker_history, mine.reset_index(drop=True))
    assert {"start", "caseworker_change", "return"} == set(every["started_by"])
    assert {"ongoing", "caseworker_change", "job", "education"} <= set(every["ended_by"])


def test_a_caseworkers_history_is_the_spells_of_the_citizens_they_served(finished, truth):
    every = caseworker_spells(finished, np.arange(400))
    weekly = truth.weekly
    for j in np.unique(every["caseworker_id"])[:40]:
        history = finished.caseworker(j).history
        expected = every[every["caseworker_id"] == j].drop(columns="caseworker_id").reset_index(drop=True)
        pd.testing.assert_frame_equal(history, expected)
        served = set(weekly.loc[weekly["caseworker_id"] == j, "citizen_id"])
        assert set(history["citizen_id"]) == served and served
    assert (every["started_by"] == "caseworker_change").any()


def test_caseload_is_the_citizens_whose_current_caseworker_it_is(finished, truth):
    last = truth.weekly[truth.weekly["week"] == finished.week - 1]
    with_worker = last.dropna(subset=["caseworker_id"])
    for j in range(finished.caseworkers.size):
        expected = np.sort(with_worker.loc[with_worker["caseworker_id"] == j, "citizen_id"].to_numpy())
        np.testing.assert_array_equal(finished.caseworker(j).caseload, expected)
    total = sum(finished.caseworker(j).caseload.size for j in range(finished.caseworkers.size))
    assert total == len(with_worker) > 0


def test_caseworker_and_jobcentre_views(finished):
    for jobcentre in map(finished.jobcentre, range(finished.params.population.jobcentres)):
        workers = jobcentre.caseworkers
        assert workers and all(w.active and w.jobcentre == jobcentre.index for w in workers)
        assert jobcentre.places.shape == (len(finished.places[0]),)
        assert (finished.citizens.jobcentre[jobcentre.citizens] == jobcentre.index).all()


def test_interventions_pair_the_starts_and_ends_of_the_event_log(finished, truth):
    kinds = ("intervention_start", "intervention_end", "waiting_end")
    by_citizen = dict(list(truth.events[truth.events["event"].isin(kinds)].groupby("citizen_id")))
    duration = {i.key: i.duration_weeks for i in INTERVENTIONS}
    completed = 0
    for i in range(0, 400, 4):
        table = finished.citizen(i).interventions
        mine = by_citizen.get(i, truth.events.iloc[:0])
        starts = mine[mine["event"] == "intervention_start"]
        assert list(table["start_week"]) == list(starts["week"])
        assert list(table["intervention"].astype(str)) == list(starts["detail"])
        ends = mine[mine["event"] == "intervention_end"]
        assert table["end_week"].notna().sum() == len(ends)
        done = table[table["completed"].fillna(False)]
        assert (done["end_week"] - done["start_week"] == done["intervention"].astype(str).map(duration)).all()
        assert done.shape[0] == int((ends["value"] == 1.0).sum())
        completed += len(done)
        waits = mine[mine["event"] == "waiting_end"]
        started = set(zip(starts["week"], starts["detail"], strict=True))
        at_start = np.array([(w, d) in started for w, d in zip(waits["week"], waits["detail"], strict=True)], bool)
        waited = waits[at_start]
        assert table["waited_weeks"].sum() == waited["value"].sum()
    assert completed > 0


def test_employer_views(finished, truth):
    employer = finished.employer(0)
    assert employer.jobcentres and all(0 <= j < finished.params.population.jobcentres for j in employer.jobcentres)
    assert employer.threshold == pytest.approx(finished.employers.threshold[0] + finished.threshold_shift)
    assert employer.vacancies == finished.vacancies[0]
    hires = truth.events.query("event == 'hire'")
    assert len(hires) > 0
    for k in np.unique(hires["employer_id"].to_numpy()):
        expected = hires[hires["employer_id"] == k][["week", "citizen_id", "caseworker_id"]].reset_index(drop=True)
        pd.testing.assert_frame_equal(finished.employer(k).hires, expected)
    last = truth.weekly[truth.weekly["week"] == finished.week - 1]
    working = last[last["status"].isin(["job", "flexi_job"])]
    employees = np.concatenate([finished.employer(k).employees for k in range(finished.employers.size)])
    assert sorted(employees) == sorted(working["citizen_id"]) and employees.size > 0


def test_placements_are_the_interventions_held_at_the_employer(finished):
    placements = []
    for k in range(finished.employers.size):
        held = finished.employer(k).placements
        assert (held["employer_id"] == k).all()
        placements.append(len(held))
    every = intervention_spells(finished.events.to_frame())
    assert sum(placements) == int(every["employer_id"].notna().sum()) > 0
    pd.testing.assert_frame_equal(  # one citizen's interventions are their rows of everybody's
        finished.citizen(110).interventions,
        every[every["citizen_id"] == 110].drop(columns="citizen_id").reset_index(drop=True),
    )


def test_survey_answers_are_the_citizens_rows_of_the_survey(finished, tmp_path):
    bipsim.write_bundle(finished, tmp_path / "study")
    survey = bipsim.read_bundle(tmp_path / "study").survey
    answered = 0
    for i in (0, 5, 120):
        answers = finished.citizen(i).survey_answers(survey)
        expected = survey[survey["citizen_id"] == i].drop(columns="citizen_id").reset_index(drop=True)
        pd.testing.assert_frame_equal(answers, expected)
        answered += len(answers)
    assert answered > 0


def test_caseworker_leave_hands_the_caseload_to_a_successor_in_the_same_jobcentre():
    model = fresh_model()
    for _ in range(5):
        model.step()
    c = model.citizens
    leaver = max(map(model.caseworker, range(model.caseworkers.size)), key=lambda w: w.caseload.size)
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
    assert model.caseworker(successor.index) is successor and successor in model.agents
    logged = model.events.to_frame().query("event == 'caseworker_change'")
    assert set(assigned) <= set(logged["citizen_id"])


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
