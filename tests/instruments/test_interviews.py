from __future__ import annotations

import re

import numpy as np
import pandas as pd

from bipsim.contract.themes import THEME_KEYS, THEMES
from bipsim.contract.vocabulary import ORIENTATION_KEYS
from bipsim.instruments.interviews import LABELS, stratified_sample, templates


def test_sample_is_25_activity_ready_citizens_with_every_orientation(observed_run):
    interviews, truth = observed_run.observed.interviews, observed_run.truth
    sample = interviews["citizen_id"].unique()
    assert sample.size == 25
    assert set(truth.citizens.loc[sample, "orientation"].astype(str)) == set(ORIENTATION_KEYS)
    week0 = truth.weekly[truth.weekly["week"] == 0].set_index("citizen_id")["status"]
    assert (week0.loc[sample] == "activity_ready").all()
    assert set(interviews["week"]) <= set(range(0, 105, 13))


def test_stratified_sample_gives_every_stratum_a_place():
    rng = np.random.default_rng(0)
    orientation = np.array([0] * 90 + [1] * 5 + [2] * 3 + [3] * 1 + [4] * 1)
    picked = stratified_sample(orientation, 10, rng)
    assert picked.size == 10 and np.unique(picked).size == 10
    assert set(orientation[picked]) == {0, 1, 2, 3, 4}


def test_every_theme_has_a_template_for_every_orientation_and_language():
    text = templates()["citizen"]
    assert set(text) == set(THEME_KEYS)
    for theme in THEME_KEYS:
        assert set(text[theme]) == set(ORIENTATION_KEYS)
        assert all(set(text[theme][o]) == {"da", "en"} for o in ORIENTATION_KEYS)


def test_event_themes_and_named_interventions_happened_to_that_citizen(observed_run):
    interviews, events = observed_run.observed.interviews, observed_run.truth.events
    by_key = {t.key: t for t in THEMES}
    intervention_labels = {k: v["en"] for k, v in LABELS["activity"].items()}
    checked = 0
    for row in interviews.itertuples():
        previous = interviews[(interviews["citizen_id"] == row.citizen_id) & (interviews["wave"] == row.wave - 1)]
        since = int(previous["week"].iloc[0]) + 1 if len(previous) else 0
        mine = events[(events["citizen_id"] == row.citizen_id) & events["week"].between(since, row.week)]
        for key in row.themes:
            theme = by_key[key]
            if theme.events:
                hits = mine[mine["event"].isin(theme.events)]
                if theme.details:
                    hits = hits[hits["detail"].isin(theme.details)]
                assert len(hits) > 0, (row.citizen_id, row.week, key)
                checked += 1
        for key, label in intervention_labels.items():
            if re.search(re.escape(label), row.text_en):
                assert (mine["detail"] == key).any(), (row.citizen_id, row.week, label)
    assert checked > 20


def test_same_events_are_told_differently_by_orientation(observed_run):
    interviews, citizens = observed_run.observed.interviews, observed_run.truth.citizens
    one_theme = interviews[interviews["themes"].map(len) == 1].copy()
    one_theme["theme"] = one_theme["themes"].str[0]
    one_theme["orientation"] = citizens.loc[one_theme["citizen_id"], "orientation"].astype(str).to_numpy()
    texts = one_theme.groupby(["theme", "orientation"])["text_en"].first().reset_index()
    varied = texts.groupby("theme")["text_en"].nunique()
    assert (varied[texts.groupby("theme").size() > 1] > 1).all()
    assert not interviews["text_da"].eq(interviews["text_en"]).any()


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
