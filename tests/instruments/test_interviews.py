"""The qualitative study: purposive sample with attrition, narratives in the citizen's voice told with imperfect
recall, two coders with declared error rates, and the true themes kept apart."""

from __future__ import annotations

import copy
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from bipsim.contract.themes import DESCRIPTIVE_KEYS, THEME_KEYS, THEMES
from bipsim.contract.vocabulary import ORIENTATION_KEYS
from bipsim.instruments import narratives
from bipsim.instruments.interviews import (
    expected_kappa,
    interview_weeks,
    purposive_sample,
    qualitative_interviews,
    stratified_sample,
)
from bipsim.instruments.parameters import instrument_parameters

TOPICS = (*DESCRIPTIVE_KEYS, "opening", "since", "future", "barrier")
MEANINGS = ("recognition", "control", "helped", "pointless", "lost_time", "hope", "resignation", "ambivalent")


@pytest.fixture(scope="module")
def study(observed_run) -> SimpleNamespace:
    model, truth = observed_run.model, observed_run.truth
    params = instrument_parameters(model.scenario)
    data = qualitative_interviews(truth, params, model.streams.seed_sequence)
    return SimpleNamespace(params=params, data=data, truth=truth, root=model.streams.seed_sequence)


def _with(params: SimpleNamespace, **changes: object) -> SimpleNamespace:
    changed = copy.deepcopy(params)
    for key, value in changes.items():
        setattr(changed.qualitative_study, key, value)
    return changed


def answer_sentences(text: str) -> list[str]:
    lines = [line.split(": ", 1)[1] for line in text.split("\n") if not line.startswith("Interviewer")]
    return [s for line in lines for s in narratives.sentences(line)]


def test_sample_is_25_activity_ready_citizens_varied_in_orientation_and_jobcentre(observed_run):
    interviews, truth = observed_run.observed.interviews, observed_run.truth
    sample = interviews["citizen_id"].unique()
    assert sample.size == 25
    orientation = truth.citizens.loc[sample, "orientation"].astype(str).value_counts()
    assert set(orientation.index) == set(ORIENTATION_KEYS)
    assert orientation.max() - orientation.min() <= 1  # purposive: about equally many of each
    assert truth.citizens.loc[sample, "jobcentre"].nunique() >= 5
    week0 = truth.weekly[truth.weekly["week"] == 0].set_index("citizen_id")["status"]
    assert (week0.loc[sample] == "activity_ready").all()
    assert set(interviews["week"]) <= set(range(0, 105, 13))


def test_stratified_sample_gives_every_stratum_a_place():
    rng = np.random.default_rng(0)
    orientation = np.array([0] * 90 + [1] * 5 + [2] * 3 + [3] * 1 + [4] * 1)
    picked = stratified_sample(orientation, 10, rng)
    assert picked.size == 10 and np.unique(picked).size == 10
    assert set(orientation[picked]) == {0, 1, 2, 3, 4}


def test_purposive_sample_spreads_over_orientations_jobcentres_and_readiness():
    rng = np.random.default_rng(1)
    orientation = np.repeat(np.arange(5), [60, 40, 30, 20, 10])
    jobcentre = rng.integers(0, 10, orientation.size)
    high = rng.random(orientation.size) < 0.5
    picked = purposive_sample(orientation, jobcentre, high, 25, rng)
    assert np.bincount(orientation[picked]).tolist() == [5, 5, 5, 5, 5]
    assert np.unique(jobcentre[picked]).size == 10
    for k in range(5):
        assert abs(int(high[picked][orientation[picked] == k].sum()) - 2.5) <= 0.5


def test_citizens_drop_out_between_waves_with_attrition(study):
    held = study.data.interviews.groupby("citizen_id")["wave"].max()
    none = qualitative_interviews(study.truth, _with(study.params, attrition=0.0), study.root)
    many = qualitative_interviews(study.truth, _with(study.params, attrition=0.3), study.root)
    assert len(many.interviews) < len(study.data.interviews) <= len(none.interviews)
    assert (many.interviews.groupby("citizen_id")["wave"].max() < held.max()).sum() > 10
    for table in (none, many):  # dropping out is for good: the waves a citizen has are 0, 1, ..., last
        waves = table.interviews.groupby("citizen_id")["wave"].agg(["count", "max"])
        assert (waves["count"] == waves["max"] + 1).all()


def test_the_same_seed_gives_the_same_interviews_and_observing_leaves_the_run_alone(study, observed_run):
    again = qualitative_interviews(study.truth, study.params, study.root)
    pd.testing.assert_frame_equal(again.interviews, study.data.interviews)
    pd.testing.assert_frame_equal(again.codings, study.data.codings)
    pd.testing.assert_frame_equal(observed_run.observed.interviews, study.data.interviews)
    events = observed_run.model.truth().events
    pd.testing.assert_frame_equal(events, observed_run.truth.events)


@pytest.mark.parametrize("language", ["da", "en"])
def test_both_languages_make_the_same_choices_for_every_topic_and_meaning(language):
    class Recorder(narratives.Chooser):
        def __init__(self) -> None:
            super().__init__([0.3, 0.7, 0.1, 0.9], [0, 1, 2], language)
            self.calls: list[tuple[str, int]] = []

        def pick(self, *options: str) -> str:
            self.calls.append(("pick", len(options)))
            return super().pick(*options)

        def maybe(self, chance: float = 0.5) -> bool:
            self.calls.append(("maybe", 0))
            return super().maybe(chance)

        def filler(self, chance: float = 0.3) -> str:
            self.calls.append(("filler", 0))
            return super().filler(chance)

    def calls(lang: str) -> list:
        out = []
        for orientation in ORIENTATION_KEYS:
            for topic in TOPICS:
                for n in (1, 5):
                    facts = narratives.localise(
                        {"n": n, "details": ["mentor"], "sectors": ["retail"], "tracks": ["education"], "weeks": 9},
                        lang,
                    ) | {"orientation": orientation, "months": "x", "previous": "waiting", "reason": "health"}
                    for macro, args in (("question", (topic,)), ("answer", (topic,)), ("silence", (topic,))):
                        chooser = Recorder()
                        chooser.fillers = narratives.Chooser([0.5], [0, 1, 2], lang).fillers
                        getattr(narratives.grammar(lang), macro)(*args, facts, chooser)
                        out.append((macro, topic, chooser.calls))
                    for code in MEANINGS + ("self_attribution", "system_attribution"):
                        chooser = Recorder()
                        narratives.grammar(lang).meaning(code, topic, facts, chooser)
                        out.append(("meaning", code, chooser.calls))
        return out

    assert calls(language) == calls("en" if language == "da" else "da")


def test_told_themes_happened_to_that_citizen_and_late_ones_before(study):
    events, themes = study.truth.events, study.data.themes
    interviews = study.data.interviews
    by_key = {t.key: t for t in THEMES}
    checked = 0
    for row in themes[themes["recall"].isin(["told", "late"])].itertuples():
        theme = by_key[row.theme]
        if not theme.events:
            continue
        week = interviews.set_index(["citizen_id", "wave"]).at[(row.citizen_id, row.wave), "week"]
        mine = events[(events["citizen_id"] == row.citizen_id) & (events["week"] <= week)]
        hits = mine[mine["event"].isin(theme.events)]
        if theme.details:
            hits = hits[hits["detail"].isin(theme.details)]
        assert len(hits) > 0, row
        if row.recall == "late":  # told one interview late: it happened before the previous interview
            previous = interviews.set_index(["citizen_id", "wave"]).at[(row.citizen_id, row.wave - 1), "week"]
            assert (hits["week"] <= previous).any(), row
        checked += 1
    assert checked > 20
    recalls = set(themes["recall"])
    assert {"told", "late", "missed", "interpretation"} <= recalls


def test_the_first_coders_themes_are_the_observed_ones_and_truth_is_kept_apart(study):
    interviews, codings = study.data.interviews, study.data.codings
    first = codings[codings["coder"] == "coder_a"].groupby(["citizen_id", "wave"])["theme"].apply(set)
    for row in interviews.itertuples():
        assert set(row.themes) == first.get((row.citizen_id, row.wave), set())
    assert set(codings["coder"]) == {"coder_a", "coder_b"}
    assert "recall" not in interviews.columns and "voiced" not in codings.columns


def _units(data: SimpleNamespace, coder: str | None) -> np.ndarray:
    if coder is None:
        frame = data.themes[data.themes["voiced"]]
    else:
        frame = data.codings[data.codings["coder"] == coder]
    coded = set(zip(frame["citizen_id"], frame["wave"], frame["theme"], strict=True))
    keys = zip(data.interviews["citizen_id"], data.interviews["wave"], strict=True)
    return np.array([(c, w, t) in coded for c, w in keys for t in THEME_KEYS])


def test_each_coders_kappa_is_in_the_range_its_error_rates_declare(study):
    p = study.params.qualitative_study
    truth = _units(study.data, None)
    kappas = {}
    for coder, miss, false in (
        ("coder_a", p.coder_a_miss, p.coder_a_false),
        ("coder_b", p.coder_b_miss, p.coder_b_false),
    ):
        kappas[coder] = cohen_kappa_score(truth, _units(study.data, coder))
        answers = study.data.interviews["text_en"].map(lambda t: len(narratives.answer_spans(t))).mean()
        expected = expected_kappa(miss, false, truth.mean(), answers)
        assert abs(kappas[coder] - expected) < 0.05, (coder, kappas[coder], expected)
    between = cohen_kappa_score(_units(study.data, "coder_a"), _units(study.data, "coder_b"))
    assert between < min(kappas.values()) and between > 0.5
    perfect = qualitative_interviews(study.truth, _with(study.params, coder_a_miss=0.0, coder_a_false=0.0), study.root)
    assert cohen_kappa_score(_units(perfect, None), _units(perfect, "coder_a")) == 1


def test_narratives_vary_and_no_citizen_repeats_a_sentence_across_waves(study):
    interviews = study.data.interviews
    for column in ("text_da", "text_en"):
        said = [s for text in interviews[column] for s in answer_sentences(text)]
        assert len(set(said)) / len(said) >= 0.6
        for _, rows in interviews.groupby("citizen_id"):
            mine = [s for text in rows[column] for s in answer_sentences(text)]
            assert len(mine) == len(set(mine))
    assert interviews["text_en"].nunique() == len(interviews)
    assert not interviews["text_da"].eq(interviews["text_en"]).any()
    assert all(line.startswith(("Interviewer: ", "Citizen: ")) for t in interviews["text_en"] for line in t.split("\n"))
    assert all(line.startswith(("Interviewer: ", "Borger: ")) for t in interviews["text_da"] for line in t.split("\n"))


def test_answers_are_coded_per_turn_and_silences_voice_nothing(study):
    themes, interviews = study.data.themes, study.data.interviews
    answers = interviews.set_index(["citizen_id", "wave"])["text_en"].map(lambda t: len(narratives.answer_spans(t)))
    voiced = themes[themes["voiced"]]
    turns = voiced.groupby(["citizen_id", "wave"])["turn"].max()
    assert (turns < answers.reindex(turns.index)).all()
    assert themes.loc[themes["recall"] == "silenced", "turn"].isna().all()


def test_the_same_meeting_means_different_things_to_different_orientations(observed_run):
    """With every activity-ready citizen interviewed, meanings follow orientation (and the model's responses)."""
    model, truth = observed_run.model, observed_run.truth
    params = _with(instrument_parameters(model.scenario), citizens=500, attrition=0.0)
    data = qualitative_interviews(truth, params, model.streams.seed_sequence)
    themes = data.themes[data.themes["voiced"]]
    orientation = truth.citizens["orientation"].astype(str)
    per = themes.assign(orientation=orientation.reindex(themes["citizen_id"]).to_numpy())
    codes = per.groupby(["citizen_id", "wave", "orientation"])["theme"].apply(set).reset_index()
    meetings = codes[codes["theme"].map(lambda t: "meeting" in t)]
    heard = meetings.assign(heard=meetings["theme"].map(lambda t: "recognition" in t)).groupby("orientation")["heard"]
    assert heard.mean()["work_first"] > heard.mean()["distrustful"] + 0.1
    job_help = codes[codes["theme"].map(lambda t: "placement" in t)]
    helped = job_help.assign(h=job_help["theme"].map(lambda t: "helped" in t)).groupby("orientation")["h"].mean()
    assert helped["work_first"] > helped["health_first"]


def test_observed_meetings_are_real_meetings_of_sampled_citizens(observed_run):
    meetings, events = observed_run.observed.meetings_observed, observed_run.truth.events
    sample = set(observed_run.observed.interviews["citizen_id"])
    assert len(meetings) > 0 and set(meetings["citizen_id"]) <= sample
    real = events[events["event"] == "meeting"][["citizen_id", "week"]]
    joined = meetings.merge(real.drop_duplicates(), on=["citizen_id", "week"], how="left", indicator=True)
    assert (joined["_merge"] == "both").all()


def test_employers_interviewed_took_a_placement_or_hired(observed_run):
    employers, events = observed_run.observed.employer_interviews, observed_run.truth.events
    assert 0 < len(employers) <= 15
    involved = events[events["event"].isin(["hire", "intervention_start"]) & events["employer_id"].notna()]
    assert set(employers["employer_id"]) <= set(involved["employer_id"].astype(int))
    assert ((employers["placements"] > 0) | (employers["hires"] > 0)).all()
    hires = events[(events["event"] == "hire") & (events["week"] <= 104)].groupby("employer_id").size()
    expected = hires.reindex(employers["employer_id"]).fillna(0).astype(int).to_numpy()
    assert (employers["hires"].to_numpy() == expected).all()
    assert pd.api.types.is_string_dtype(employers["text_da"])


def test_interview_weeks_follow_the_design():
    p = SimpleNamespace(study_weeks=104, interval_weeks=13)
    assert interview_weeks(p, 60).tolist() == [0, 13, 26, 39, 52]
    assert re.fullmatch(r"[\d, ]+", ", ".join(map(str, interview_weeks(p, 200))))
