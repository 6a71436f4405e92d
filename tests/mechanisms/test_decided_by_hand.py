"""Citizens whose caseworker decisions a human makes (``CitizenState.decided_by_hand``, class mode's students).

The mask takes three decisions away from the model, and nothing else: no standard offer at their meetings
(interventions), no exemption by the rule (rules), and no belief update at a meeting (meetings), while the
meetings, perceived readiness and every random draw go on as before. With nobody decided by hand, a run is
the model as it was, bit for bit.
"""

from __future__ import annotations

import numpy as np
import pytest

from bipsim.model.model import BipModel
from bipsim.scenario import load_scenario

CITIZENS, WEEKS = 1000, 104
BY_HAND_EVERY = 5
"""Every fifth citizen is decided by hand in the behaviour tests: a fifth of the jobcentres' meetings."""


def baseline(seed: int, weeks: int = WEEKS) -> BipModel:
    scenario = load_scenario("baseline").replace(population={"citizens": CITIZENS, "weeks": weeks})
    return BipModel(scenario, seed)


def outputs(model: BipModel) -> dict[str, np.ndarray]:
    """Everything a run produces that the mask could change: the event log, the weekly records, latent and trust."""
    found = {f"event_{k}": v for k, v in model.events.columns().items()}
    found |= {f"record_{k}": v for k, v in model.record.items()}
    found |= {"latent": model.latent_record, "trust": model.trust_record, "orientation": model.orientation_record}
    return found


def test_nobody_decided_by_hand_by_default():
    model = baseline(seed=1, weeks=2)
    assert model.citizens.decided_by_hand.dtype == bool
    assert model.citizens.decided_by_hand.shape == (CITIZENS,) and not model.citizens.decided_by_hand.any()


@pytest.mark.parametrize("seed", [3, 8])
def test_the_mask_draws_nothing_and_changes_nothing_where_nobody_is_met(seed):
    """A run with the mask set every week on citizens off benefit (never met) is the default run, bit for bit.

    Every mechanism reads the mask every week with entries set, so a mask that cost a random draw, changed the
    order of the met citizens or the arithmetic of anyone not decided by hand would show here; a mask set all
    False gives the default run, whose results this session checked against the code before the mask.
    """
    default = baseline(seed).run()
    masked = baseline(seed)
    while masked.running:
        masked.citizens.decided_by_hand[:] = ~masked.citizens.on_benefit()
        masked.step()
    assert masked.citizens.decided_by_hand.any()
    assert default.summary() == masked.summary()
    expected, found = outputs(default), outputs(masked)
    assert expected.keys() == found.keys()
    for name, values in expected.items():
        np.testing.assert_array_equal(found[name], values, err_msg=name)
    assert default.events._details == masked.events._details


@pytest.fixture(scope="module")
def by_hand_run() -> tuple[BipModel, np.ndarray, dict[str, np.ndarray]]:
    """A year in which every fifth citizen is decided by hand and the human never offers, exempts or re-believes."""
    model = baseline(seed=4, weeks=52)
    hand = np.arange(0, CITIZENS, BY_HAND_EVERY)
    model.citizens.decided_by_hand[hand] = True
    start = {
        "offers": model.citizens.offers.copy(),
        "perceived": model.citizens.perceived_readiness.copy(),
    }
    return model.run(), hand, start


def test_no_standard_offer_for_citizens_decided_by_hand(by_hand_run):
    model, hand, start = by_hand_run
    others = np.setdiff1d(np.arange(CITIZENS), hand)
    np.testing.assert_array_equal(model.citizens.offers[hand], start["offers"][hand])
    assert np.sum(model.citizens.offers[others] > start["offers"][others]) > others.size // 10
    events = model.events.to_frame()
    started = events.loc[events.event == "intervention_start", "citizen_id"]
    assert started.isin(others).any() and not started.isin(hand).any()


def test_the_rule_exempts_nobody_decided_by_hand(by_hand_run):
    model, hand, _ = by_hand_run
    events = model.events.to_frame()
    exempted = events.loc[events.event == "exemption", "citizen_id"]
    assert exempted.size > 0 and not exempted.isin(hand).any()


def test_a_meeting_keeps_the_humans_belief_but_updates_perceived_readiness(by_hand_run):
    model, hand, start = by_hand_run
    events = model.events.to_frame()
    meetings = events[events.event == "meeting"]
    changed = events.loc[events.event == "caseworker_change", ["week", "citizen_id"]]
    meetings = meetings.merge(changed, how="left", on=["week", "citizen_id"], indicator=True)
    meetings = meetings[(meetings["_merge"] == "left_only") & (meetings.week > 0)]
    belief = model.record["belief"]
    before = belief[meetings.week.to_numpy() - 1, meetings.citizen_id.to_numpy()]
    at_meeting = meetings.value.to_numpy().astype(np.float32)
    mine = meetings.citizen_id.isin(hand).to_numpy()
    assert mine.sum() > 100 and (~mine).sum() > 100
    np.testing.assert_array_equal(at_meeting[mine], before[mine])
    assert np.mean(at_meeting[~mine] != before[~mine]) > 0.5
    met = np.intersect1d(hand, meetings.citizen_id.to_numpy())
    assert np.mean(model.citizens.perceived_readiness[met] != start["perceived"][met]) > 0.5
