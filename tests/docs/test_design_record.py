"""The recorded design study of docs/research.md is what today's code gives: its first replication is rerun."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bipsim.recovery.design import design_one, design_plan
from bipsim.reports.design import DESIGN_RECORD, DESIGN_RUN, read_design_record
from bipsim.scenario import load_scenario

DOCS = Path(__file__).parents[2] / "docs"


@pytest.mark.slow
def test_the_recorded_design_study_reruns_to_the_same_estimates():
    record = read_design_record(DOCS / DESIGN_RECORD)["design"]
    recorded = record["first_replication"]
    assert recorded, "the record keeps the first replication's estimates"
    varied = [(name, values) for name, values in DESIGN_RUN["vary"]]
    _, _, tasks = design_plan(
        load_scenario(DESIGN_RUN["scenario"]), varied, DESIGN_RUN["replications"], DESIGN_RUN["seed"]
    )
    first = next(task for task in tasks if task.setting_id == 0 and task.replication == 0)
    estimates = design_one(first)["estimates"]
    rerun = {
        f"{r.design_id}|{r.estimand}|{r.method}|{r.outcome}": r.estimate
        for r in estimates.itertuples()
        if f"{r.design_id}|{r.estimand}|{r.method}|{r.outcome}" in recorded
    }
    assert rerun.keys() == recorded.keys()
    for key, value in recorded.items():
        if value is None:
            assert math.isnan(rerun[key]), key
        else:
            assert rerun[key] == pytest.approx(value, abs=1e-4), key  # the record rounds to 4 decimals


def test_the_recorded_design_study_is_the_declared_one_and_has_its_tables():
    record = read_design_record(DOCS / DESIGN_RECORD)
    design = record["design"]
    assert design["failed"] == 0 and design["worlds"] == len(DESIGN_RUN["vary"][0][1])
    estimands = {row["estimand"] for row in design["rows"]}
    assert {"caseworker_change", "private_placement"} <= estimands
    for row in design["rows"]:
        assert 1 <= row["replications"] <= DESIGN_RUN["replications"] and 0 <= row["rejection"] <= 1
    discovery = record["discovery"]
    assert discovery["samples"] == discovery["n"] and 0 <= discovery["failures"] <= discovery["n"]
    for box in discovery["boxes"]:
        assert 0 < box["coverage"] <= 1 and 0 < box["density"] <= 1 and box["samples"] >= 1
