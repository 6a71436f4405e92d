"""``bipsim design`` and ``bipsim discover`` end to end: the tables printed and the results folder written."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from bipsim.cli import main

SMALL = ["--citizens", "400", "--weeks", "120"]


@pytest.mark.slow
def test_design_prints_the_diagnosis_and_writes_what_r_reads(tmp_path, capsys):
    out = tmp_path / "design"
    code = main(["design", *SMALL, "--vary", "survey.waves=4,8", "--replications", "2", "--estimand",
                 "caseworker_belief", "--out", str(out)])  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0
    assert "survey.waves=4" in printed and "survey.waves=8" in printed and "smallest design" in printed
    for name in ("design.png", "performance.csv", "simulations.csv", "designs.parquet", "manifest.json"):
        assert (out / name).is_file(), name
    assert (out / "design.png").stat().st_size > 10_000
    designs = pd.read_parquet(out / "designs.parquet")
    assert designs["label"].tolist() == ["survey.waves=4", "survey.waves=8"]
    assert designs["world_id"].nunique() == 1  # one world, observed two ways
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["command"] == "design" and len(manifest["designs"]) == 2


@pytest.mark.slow
def test_discover_prints_the_boxes_and_draws_them(tmp_path, capsys):
    out = tmp_path / "discovery"
    code = main(["discover", *SMALL, "--ranges", "turnover.quit_probability=0.001:0.02", "--n", "6",
                 "--replications", "2", "--estimand", "caseworker_belief", "--method", "register_naive",
                 "--outcome", "job_entry", "--criterion", "abs(bias) > 0", "--out", str(out)])  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0
    assert "register_naive (job_entry) on caseworker_belief" in printed and "sampled worlds fail" in printed
    samples = pd.read_csv(out / "samples.csv")
    assert len(samples) == 6 and samples["turnover.quit_probability"].between(0.001, 0.02).all()
    assert samples["failed"].sum() == (samples["bias"].abs() > 0).sum()
    assert (out / "discovery.png").stat().st_size > 10_000
