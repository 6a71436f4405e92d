"""Property tests of the data check and the bundle manifest: valid data pass, every damage is named.

Hypothesis builds small observed data sets of the documented shape (a register of citizens x weeks, their
background, survey answers and interviews), damages them in one of the ways real data go wrong, and writes
arbitrary manifests. The check must pass every valid set unchanged, refuse every damage with a message
naming the table and column, and a manifest must either be a sealed bipsim manifest or be refused with
:class:`BundleError`, never with another exception.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bipsim.contract.codes import BENEFIT_KEYS, RESPONDENTS
from bipsim.contract.schema import INDICATOR_KEYS, OBSERVED
from bipsim.contract.themes import THEME_KEYS
from bipsim.contract.validation import ObservedDataError, check_observed
from bipsim.contract.vocabulary import INTERVENTION_KEYS
from bipsim.dataset.bundle import BundleError, read_manifest

COLUMNS = {t.name: [c.name for c in t.columns] for t in OBSERVED}
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def observed_sets(draw: st.DrawFn) -> dict[str, pd.DataFrame]:
    """A valid small observed data set: register, background, survey and interviews."""
    n = draw(st.integers(1, 6))
    weeks = draw(st.integers(1, 8))
    ids = np.array(sorted(draw(st.sets(st.integers(0, 10_000), min_size=n, max_size=n))), dtype=np.int32)
    codes = draw(st.lists(st.sampled_from(BENEFIT_KEYS), min_size=n * weeks, max_size=n * weeks))
    register = pd.DataFrame(
        {
            "citizen_id": np.repeat(ids, weeks),
            "week": np.tile(np.arange(weeks, dtype=np.int32), n),
            "benefit_code": codes,
            "self_supporting": [c in ("ordinary_job", "education", "other_self_supporting") for c in codes],
            "activity": draw(
                st.lists(st.sampled_from([*INTERVENTION_KEYS, "none"]), min_size=n * weeks, max_size=n * weeks)
            ),
            "caseworker_id": pd.array([1] * (n * weeks), dtype="Int32"),
            "employer_id": pd.array([None] * (n * weeks), dtype="Int32"),
        }
    )
    citizens = pd.DataFrame(
        {
            "citizen_id": ids,
            "jobcentre": np.zeros(n, dtype=np.int16),
            "age": np.array(draw(st.lists(st.integers(15, 70), min_size=n, max_size=n)), dtype=np.int16),
            "sex": draw(st.lists(st.sampled_from(["female", "male"]), min_size=n, max_size=n)),
            "origin": ["danish_or_western"] * n,
            "vocational_qualification": [False] * n,
            "psychiatric_diagnosis": [True] * n,
            "musculoskeletal_disorder": [False] * n,
            "children": [False] * n,
        }
    )
    answers = draw(
        st.sets(
            st.tuples(
                st.sampled_from(list(ids)),
                st.integers(0, 3),
                st.sampled_from(RESPONDENTS),
                st.sampled_from(INDICATOR_KEYS),
            ),
            min_size=1,
            max_size=30,
        )
    )
    survey = pd.DataFrame(
        [
            {
                "citizen_id": c,
                "wave": w,
                "week": 13 * w,
                "respondent": r,
                "caseworker_id": 1,
                "indicator": i,
                "score": draw(st.integers(1, 5)),
            }
            for c, w, r, i in sorted(answers)
        ]
    )
    talks = draw(st.sets(st.tuples(st.sampled_from(list(ids)), st.integers(0, 3)), min_size=1, max_size=8))
    interviews = pd.DataFrame(
        [
            {
                "citizen_id": c,
                "wave": w,
                "week": 13 * w,
                "themes": draw(st.lists(st.sampled_from(THEME_KEYS), max_size=3)),
                "text_da": "tekst",
                "text_en": "text",
            }
            for c, w in sorted(talks)
        ]
    )
    return {"register_weeks": register, "citizens": citizens, "survey": survey, "interviews": interviews}


def _damage_score(data, draw):
    data["survey"].loc[0, "score"] = draw(st.sampled_from([0, 6, 9, -7, 100]))
    return "survey", "score"


def _damage_week(data, draw):
    data["register_weeks"]["week"] = data["register_weeks"]["week"].astype(float)
    data["register_weeks"].loc[0, "week"] = draw(st.sampled_from([-1.0, -100.0, 0.5, 2.25]))
    return "register_weeks", "week"


def _damage_code(data, draw):
    data["register_weeks"]["benefit_code"] = data["register_weeks"]["benefit_code"].astype(object)
    data["register_weeks"].loc[0, "benefit_code"] = draw(st.sampled_from(["kh", "unknown", "", "7"]))
    return "register_weeks", "benefit_code"


def _damage_numeric_codes(data, draw):
    frame = data["survey"]
    frame["indicator"] = pd.Categorical(frame["indicator"], categories=list(INDICATOR_KEYS)).codes
    return "survey", "indicator"


def _damage_duplicate(data, draw):
    frame = data["register_weeks"]
    data["register_weeks"] = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
    return "register_weeks", "citizen_id"


def _damage_reference(data, draw):
    data["survey"].loc[0, "citizen_id"] = 99_999
    return "survey", "citizen_id"


def _damage_age(data, draw):
    data["citizens"].loc[0, "age"] = draw(st.sampled_from([0, 14, 71, 300]))
    return "citizens", "age"


def _damage_words(data, draw):
    frame = data["citizens"]
    frame["citizen_id"] = frame["citizen_id"].astype(str)
    frame.loc[0, "citizen_id"] = draw(st.sampled_from(["anna", "1.5x", "id-3"]))
    return "citizens", "citizen_id"


DAMAGES = (
    _damage_score,
    _damage_week,
    _damage_code,
    _damage_numeric_codes,
    _damage_duplicate,
    _damage_reference,
    _damage_age,
    _damage_words,
)


@SETTINGS
@given(observed_sets())
def test_valid_observed_data_pass_unchanged(data):
    checked = check_observed(data)
    assert checked.warnings == []
    for name, frame in data.items():
        assert len(checked.tables[name]) == len(frame)
        assert list(checked.tables[name].columns) == COLUMNS[name]


@SETTINGS
@given(observed_sets(), st.sampled_from(DAMAGES), st.data())
def test_every_damage_is_refused_naming_the_table(data, damage, more):
    table, column = damage(data, more.draw)
    with pytest.raises(ObservedDataError) as refused:
        check_observed(data)
    message = str(refused.value)
    assert f"'{table}'" in message
    if damage is not _damage_duplicate:
        assert f"'{column}'" in message


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
table_keys = st.sampled_from(["survey", "citizens", "truth/citizens", "codes/themes", "extra", "../x"])
entries = (
    st.fixed_dictionaries(
        {
            "file": st.sampled_from(["survey.parquet", "truth/citizens.parquet", "/etc/hostname", "../a.parquet", "x"]),
            "sha256": st.text(max_size=8),
        }
    )
    | json_values
)


@SETTINGS
@given(
    st.one_of(
        json_values,
        st.fixed_dictionaries(
            {"format": st.just("bipsim-bundle"), "tables": st.dictionaries(table_keys, entries, max_size=4)},
            optional={"documents": json_values},
        ),
    )
)
def test_a_manifest_is_sealed_or_refused_with_a_bundle_error(tmp_path_factory, manifest):
    folder = tmp_path_factory.mktemp("manifest")
    (folder / "manifest.json").write_text(json.dumps(manifest))
    try:
        read = read_manifest(folder)
    except BundleError:
        return
    declared = {
        "survey": "survey.parquet",
        "citizens": "citizens.parquet",
        "truth/citizens": "truth/citizens.parquet",
        "codes/themes": "codes/themes.parquet",
    }
    for key, entry in read["tables"].items():
        assert entry["file"] == declared[key]
