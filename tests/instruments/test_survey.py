from __future__ import annotations

import numpy as np
import pandas as pd

import bipsim
from bipsim.contract.vocabulary import INDICATORS, status_code
from bipsim.instruments import instrument_parameters
from bipsim.instruments.survey import (
    MEASURED_STATUSES,
    _latent_at_waves,
    measurements,
    progression_survey,
    survey_population,
    survey_waves,
)

CITIZEN_ITEMS = {i.key for i in INDICATORS if "citizen" in i.answered_by}
CASEWORKER_ITEMS = {i.key for i in INDICATORS if "caseworker" in i.answered_by}


def test_scores_are_integers_on_the_scale(observed_run):
    score = observed_run.observed.survey["score"]
    assert score.dtype == np.int8
    assert score.between(1, 5).all()
    assert score.nunique() == 5


def test_each_respondent_answers_exactly_their_items(observed_run):
    survey = observed_run.observed.survey
    items = survey.groupby(["citizen_id", "wave", "respondent"], observed=True)["indicator"].agg(
        lambda s: frozenset(s.astype(str))
    )
    by_respondent = items.groupby(level="respondent", observed=True).agg(set)
    assert by_respondent["citizen"] == {frozenset(CITIZEN_ITEMS)}
    assert by_respondent["caseworker"] == {frozenset(CASEWORKER_ITEMS)}


def test_waves_are_quarterly_and_only_the_survey_population_is_measured(observed_run):
    survey, weekly = observed_run.observed.survey, observed_run.truth.weekly
    assert set(survey["week"].unique()) <= set(range(0, 120, 13))
    assert (survey["week"] == survey["wave"] * 13).all()
    status = weekly.set_index(["citizen_id", "week"])["status"]
    answered = survey[["citizen_id", "week"]].drop_duplicates()
    at_wave = status.reindex(pd.MultiIndex.from_frame(answered)).astype(str)
    assert at_wave.isin(MEASURED_STATUSES).all()


def test_attrition_is_permanent_after_an_exit():
    status = np.array([[0, 4, 0], [0, 0, 0], [9, 0, 0]])  # activity_ready, job, ...; 9 is sick
    measured = survey_population(status, rejoin=False)
    assert measured.tolist() == [[True, False, False], [True, True, True], [True, True, True]]
    assert survey_population(status, rejoin=True)[0].tolist() == [True, False, True]
    assert status_code("job") == 4 and status_code("sick") == 9


def test_caseworker_job_belief_item_follows_the_belief(observed_run):
    survey, weekly = observed_run.observed.survey, observed_run.truth.weekly
    item = survey[survey["indicator"] == "caseworker_job_belief"]
    belief = weekly.set_index(["citizen_id", "week"])["caseworker_belief"]
    b = belief.reindex(pd.MultiIndex.from_frame(item[["citizen_id", "week"]])).to_numpy()
    assert np.corrcoef(b, item["score"])[0, 1] > 0.8


def _agreement(survey: pd.DataFrame, weekly: pd.DataFrame) -> pd.Series:
    """Correlation of citizen and caseworker scores on shared items, by caseworker knowledge."""
    wide = (
        survey.pivot_table(
            index=["citizen_id", "week", "indicator"], columns="respondent", values="score", observed=True
        )
        .dropna()
        .reset_index()
    )
    meetings = weekly.set_index(["citizen_id", "week"])["meetings_with_caseworker"]
    wide["meetings"] = meetings.reindex(pd.MultiIndex.from_frame(wide[["citizen_id", "week"]])).to_numpy()
    wide["knowledge"] = pd.cut(wide["meetings"], [-1, 1, 6, 1000], labels=["little", "some", "much"])
    return wide.groupby("knowledge", observed=True).apply(lambda g: g["citizen"].corr(g["caseworker"]))


def test_agreement_is_imperfect_and_rises_with_knowledge(observed_run):
    agreement = _agreement(observed_run.observed.survey, observed_run.truth.weekly)
    assert (agreement < 0.9).all()
    assert agreement["little"] < agreement["some"] < agreement["much"]


def test_counts_at_bip_scale_are_as_published():
    model = bipsim.simulate(seed=1, citizens=4000, weeks=208)
    survey = progression_survey(model.truth(), instrument_parameters(model.scenario), model.streams.seed_sequence)
    counts = measurements(survey)["respondent"].value_counts()
    assert counts.sum() > 26_000
    assert 0.4 < counts["citizen"] / counts.sum() < 0.6


def test_same_seed_same_survey_and_model_streams_untouched(observed_run):
    model = observed_run.model
    again = progression_survey(model.truth(), instrument_parameters(model.scenario), model.streams.seed_sequence)
    pd.testing.assert_frame_equal(again, observed_run.observed.survey)
    other = bipsim.simulate(seed=4, citizens=800, weeks=120)
    different = progression_survey(other.truth(), instrument_parameters(other.scenario), other.streams.seed_sequence)
    assert not different["score"].head(1000).equals(again["score"].head(1000))


def test_latent_at_waves_is_the_same_from_a_table_in_any_row_order(observed_run):
    latent = observed_run.truth.latent
    n = latent["citizen_id"].nunique()
    waves = survey_waves(int(latent["week"].max()) + 1)
    shuffled = latent.sample(frac=1.0, random_state=1)
    assert (_latent_at_waves(latent, waves, n) == _latent_at_waves(shuffled, waves, n)).all()


def test_noise_drawn_in_slices_of_citizens_gives_the_same_survey(observed_run, monkeypatch):
    from bipsim.instruments import survey

    model, truth = observed_run.model, observed_run.truth
    params = instrument_parameters(model.scenario)
    monkeypatch.setattr(survey, "NOISE_CITIZENS", 97)  # many slices, the last one short
    sliced = progression_survey(truth, params, model.streams.seed_sequence)
    pd.testing.assert_frame_equal(sliced, observed_run.observed.survey)
