from __future__ import annotations

import json
import traceback
from pathlib import Path

import pandas as pd
import pytest

import bipsim
from bipsim.cli import main
from bipsim.contract.schema import OBSERVED, TABLES, conform, table
from bipsim.dataset import BundleError, BundleExistsError, SchemaError, read_bundle, verify
from bipsim.dataset import bundle as bundle_module
from bipsim.instruments import write_study as write_bundle


@pytest.fixture(scope="module")
def model() -> bipsim.BipModel:
    return bipsim.simulate(seed=2, citizens=300, weeks=60)


@pytest.fixture(scope="module")
def written(model, tmp_path_factory) -> Path:
    return write_bundle(model, tmp_path_factory.mktemp("bundles") / "run")


def test_round_trip_keeps_observed_tables_and_manifest(model, written):
    bundle = read_bundle(written)
    truth = model.truth()
    assert bundle.manifest["seed"] == 2 and bundle.manifest["scenario"]["population"]["citizens"] == 300
    assert set(bundle.tables) == {t.name for t in OBSERVED}
    assert len(bundle.register_weeks) == 300 * 60
    assert bundle.manifest["tables"]["survey"]["rows"] == len(bundle.survey)
    pd.testing.assert_series_equal(bundle.truth.events["citizen_id"], truth.events["citizen_id"])
    assert bundle.truth.scenario == bundle.manifest["scenario"]
    assert "orientation" not in bundle.citizens.columns and "orientation" in bundle.truth.citizens.columns
    assert bundle.interviews["themes"].map(len).min() >= 1


def test_every_table_is_declared_and_in_the_data_dictionary(written):
    manifest = json.loads((written / "manifest.json").read_text())
    assert {e["file"] for e in manifest["tables"].values()} == {t.file for t in TABLES}
    dictionary = (written / "DATA_DICTIONARY.md").read_text()
    assert all(f"`{t.file}`" in dictionary for t in TABLES)
    assert "`self_supporting`" in dictionary and "Selvforsørgende" in dictionary


def test_hashes_match_and_tampering_is_detected(model, tmp_path):
    path = write_bundle(model, tmp_path / "b")
    assert verify(path) == []
    with (path / "survey.parquet").open("ab") as handle:
        handle.write(b"tampered")
    assert verify(path) == ["survey.parquet: sha256 does not match the manifest"]
    with pytest.raises(BundleError, match="damaged"):
        read_bundle(path)


def test_existing_folder_is_not_overwritten_without_force(model, tmp_path):
    path = write_bundle(model, tmp_path / "b")
    created = json.loads((path / "manifest.json").read_text())["created"]
    with pytest.raises(BundleExistsError, match="--force"):
        write_bundle(model, path)
    write_bundle(model, path, force=True)
    assert verify(path) == [] and json.loads((path / "manifest.json").read_text())["created"] >= created
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    with pytest.raises(BundleError, match="not a bundle"):
        write_bundle(model, other, force=True)
    assert (other / "notes.txt").read_text() == "keep me"


def test_crash_mid_write_leaves_nothing_under_the_final_name(model, tmp_path, monkeypatch):
    calls = {"n": 0}
    real = bundle_module.write_table

    def crash_on_fifth(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(bundle_module, "write_table", crash_on_fifth)
    with pytest.raises(OSError, match="disk full"):
        write_bundle(model, tmp_path / "b")
    assert calls["n"] == 5
    assert not (tmp_path / "b").exists()
    assert list(tmp_path.iterdir()) == []


def test_a_failure_on_the_writer_thread_is_the_error_reported(model, tmp_path, monkeypatch):
    real = bundle_module.write_table

    def truth_table_fails(spec, frame, folder):
        if spec.kind == "truth":
            raise OSError("disk full")
        return real(spec, frame, folder)

    monkeypatch.setattr(bundle_module, "write_table", truth_table_fails)
    with pytest.raises(OSError, match="disk full") as failure:
        write_bundle(model, tmp_path / "b")
    assert list(tmp_path.iterdir()) == []
    # reported once, not once more for every table still queued behind it
    assert len(traceback.extract_tb(failure.value.__traceback__)) < 15


def test_bad_folders_raise_bundle_error(tmp_path):
    with pytest.raises(BundleError, match="no such folder"):
        read_bundle(tmp_path / "missing")
    with pytest.raises(BundleError, match="not a bipsim bundle"):
        read_bundle(tmp_path)
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(BundleError, match="unreadable manifest"):
        read_bundle(tmp_path)


def test_schema_rejects_values_outside_the_declaration():
    spec = table("observed", "survey")
    good = pd.DataFrame(
        {
            "citizen_id": [0],
            "wave": [0],
            "week": [0],
            "respondent": ["citizen"],
            "caseworker_id": [pd.NA],
            "indicator": ["health"],
            "score": [3],
        }
    )
    assert conform(spec, good)["caseworker_id"].dtype == "Int32"
    with pytest.raises(SchemaError, match="score.*range"):
        conform(spec, good.assign(score=[6]))
    with pytest.raises(SchemaError, match="respondent.*not among"):
        conform(spec, good.assign(respondent=["neighbour"]))
    with pytest.raises(SchemaError, match="undeclared"):
        conform(spec, good.assign(extra=[1]))


def test_cli_writes_describes_and_refuses(tmp_path, capsys):
    out = tmp_path / "cli"
    assert main(["run", "--citizens", "200", "--weeks", "30", "--out", str(out)]) == 0
    assert "wrote bundle" in capsys.readouterr().out
    assert main(["run", "--citizens", "200", "--weeks", "30", "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["describe", str(out)]) == 0
    assert "match the manifest" in capsys.readouterr().out
    (out / "register_weeks.parquet").write_bytes(b"broken")
    assert main(["describe", str(out)]) == 1
    assert "register_weeks.parquet" in capsys.readouterr().err
    assert main(["describe", str(tmp_path)]) == 2
    assert "not a bipsim bundle" in capsys.readouterr().err
