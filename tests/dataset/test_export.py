"""Exports of a bundle and of every results folder open in the tools of the field, with labels; list columns
become long tables; a folder bipsim did not write is refused with one line."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import bipsim
from bipsim.cli import main
from bipsim.contract.outcomes import outcome
from bipsim.contract.results import result_column
from bipsim.dataset import read_bundle
from bipsim.dataset.dictionary import data_dictionary
from bipsim.dataset.export import (
    ExportError,
    export_bundle,
    export_folder,
    export_frames,
    folder_kind,
    stata_names,
)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    model = bipsim.simulate("baseline", seed=6, citizens=300, weeks=40)
    return bipsim.write_bundle(model, tmp_path_factory.mktemp("export") / "bundle")


def test_csv_export_has_every_observed_table_and_themes_as_a_long_table(bundle, tmp_path):
    out = export_bundle(bundle, tmp_path / "csv", "csv")
    read = read_bundle(bundle)
    survey = pd.read_csv(out / "survey.csv")
    assert len(survey) == len(read.survey)
    assert survey["score"].tolist() == read.survey["score"].tolist()
    themes = pd.read_csv(out / "interviews_themes.csv")
    assert list(themes.columns) == ["citizen_id", "wave", "theme"]
    assert len(themes) == sum(len(t) for t in read.interviews["themes"])
    assert "themes" not in pd.read_csv(out / "interviews.csv").columns
    assert (out / "codes" / "benefit_codes.csv").is_file() and (out / "DATA_DICTIONARY.md").is_file()
    assert not (out / "truth").exists()
    labels = pd.read_csv(out / "columns.csv").set_index(["table", "column"])["label"]
    assert labels["survey", "score"] == "Answer on the 1-5 scale."
    assert labels["interviews_themes", "citizen_id"] == "Citizen's running number."
    assert pd.read_csv(out / "codes" / "columns.csv")["table"].str.startswith("codes/").all()


@pytest.mark.parametrize(("language", "label"), [("en", "Answer on the 1-5 scale."), ("da", "Svar på skalaen 1-5.")])
def test_stata_export_carries_variable_and_value_labels(bundle, tmp_path, language, label):
    out = export_bundle(bundle, tmp_path / "dta", "stata", language=language, truth=True)
    with pd.io.stata.StataReader(out / "survey.dta") as reader:
        survey = reader.read()
        labels = reader.variable_labels()
        values = reader.value_labels()
    assert labels["score"] == label
    assert survey["indicator"].dtype == "category"
    assert any("job_search" in mapping.values() for mapping in values.values())
    assert len(survey) == len(read_bundle(bundle).survey)
    assert (out / "truth" / "weekly.dta").is_file()


def test_excel_export_is_one_workbook_with_a_sheet_per_table_and_a_column_sheet(bundle, tmp_path):
    out = export_bundle(bundle, tmp_path / "xlsx", "xlsx")
    sheets = pd.read_excel(out / "observed.xlsx", sheet_name=None)
    assert {"columns", "register_weeks", "survey", "interviews_themes"} <= set(sheets)
    assert len(sheets["citizens"]) == 300
    assert "Citizen's running number." in sheets["columns"]["label"].tolist()


def test_a_table_too_long_for_excel_and_an_unknown_format_are_refused(tmp_path):
    with pytest.raises(ExportError, match="more rows than an Excel sheet"):
        export_frames({"big": pd.DataFrame({"x": range(1_048_576)})}, tmp_path, "xlsx")
    with pytest.raises(ExportError, match="one of csv, stata, xlsx"):
        export_frames({"t": pd.DataFrame({"x": [1]})}, tmp_path, "sas")


# --- results folders ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    out = tmp_path_factory.mktemp("compared") / "compare"
    argv = ["compare", "baseline", "high_turnover", "--replications", "2", "--citizens", "300", "--weeks", "40"]
    assert main([*argv, "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def recovered(tmp_path_factory):
    out = tmp_path_factory.mktemp("recovered") / "recover"
    argv = ["recover", "baseline", "--replications", "2", "--citizens", "400", "--weeks", "60"]
    assert main([*argv, "--out", str(out)]) == 0
    return out


def _same(exported: pd.Series, original: pd.Series) -> None:
    """The values of an exported column equal the Parquet's (numbers to rounding, text as text, empty as empty)."""
    if pd.api.types.is_bool_dtype(original) or pd.api.types.is_numeric_dtype(original):
        np.testing.assert_allclose(exported.astype(float), original.astype(float), equal_nan=True)
    else:
        text = exported.astype(object).where(exported.notna(), "").astype(str).tolist()
        assert text == original.astype(object).where(original.notna(), "").astype(str).tolist()


def _tables(folder):
    return {f.stem: pd.read_parquet(f) for f in sorted(folder.glob("*.parquet"))}


def test_a_compare_folder_exports_to_csv_stata_and_excel_with_its_values_and_labels(compared, tmp_path):
    assert folder_kind(compared) == "compare"
    tables = _tables(compared)
    assert set(tables) == {"runs", "settings", "comparison"}
    job = outcome("share_job_within_1_year").en + "."

    kind, csv = export_folder(compared, tmp_path / "csv", "csv")
    assert kind == "compare" and (csv / "manifest.json").is_file()
    labels = pd.read_csv(csv / "columns.csv").set_index(["table", "column"])["label"]
    assert labels["runs", "share_job_within_1_year"] == job
    assert labels["comparison", "difference"] == "Mean paired difference B - A."
    for name, original in tables.items():
        exported = pd.read_csv(csv / f"{name}.csv")
        assert list(exported.columns) == list(original.columns)
        for column in original.columns:
            _same(exported[column], original[column])

    _, dta = export_folder(compared, tmp_path / "dta", "stata")
    long_name = "share_job_or_education_within_1_year"  # 36 characters: too long for Stata
    with pd.io.stata.StataReader(dta / "runs.dta") as reader:
        runs, variable_labels = reader.read(), reader.variable_labels()
    mapped = stata_names([long_name])[long_name]
    assert len(mapped) <= 32 and mapped in runs.columns and long_name not in runs.columns
    assert variable_labels[mapped].startswith(f"{long_name}: ")
    assert variable_labels["share_job_within_1_year"] == job
    assert all(len(text) <= 80 for text in variable_labels.values())
    assert pd.read_csv(dta / "columns.csv").query("column == @long_name")["name"].unique().tolist() == [mapped]
    for column in tables["runs"].columns:
        _same(runs[stata_names(list(tables["runs"].columns))[column]], tables["runs"][column])
    with pd.io.stata.StataReader(dta / "comparison.dta") as reader:
        comparison, values = reader.read(), reader.value_labels()
    assert comparison["outcome"].dtype == "category"
    assert set(values["outcome"].values()) == set(tables["comparison"]["outcome"])
    assert comparison["clear_difference"].tolist() == tables["comparison"]["clear_difference"].astype(int).tolist()

    _, xlsx = export_folder(compared, tmp_path / "xlsx", "xlsx")
    sheets = pd.read_excel(xlsx / "compare.xlsx", sheet_name=None)
    assert set(sheets) == {"columns", "runs", "settings", "comparison"}
    for name, original in tables.items():
        for column in original.columns:
            _same(sheets[name][column], original[column])
    assert job in sheets["columns"].query("sheet == 'runs'")["label"].tolist()


def test_a_recover_folder_exports_with_danish_labels_for_every_column(recovered, tmp_path):
    assert folder_kind(recovered) == "recover"
    tables = _tables(recovered)
    undeclared = [c for frame in tables.values() for c in frame.columns if result_column(c) is None]
    assert not undeclared, f"columns of recover's tables without labels: {undeclared}"

    _, dta = export_folder(recovered, tmp_path / "dta", "stata", language="da")
    with pd.read_stata(dta / "replications.dta", iterator=True) as reader:
        labels = reader.variable_labels()
    assert labels["estimate"] == "Estimat." and labels["ci_low"] == "Nedre grænse af 95%-konfidensintervallet."
    replications = pd.read_stata(dta / "replications.dta")
    for column in ("estimate", "truth", "replication", "note"):
        _same(replications[column], tables["replications"][column])
    assert replications["method"].astype(str).tolist() == tables["replications"]["method"].tolist()
    with pd.io.stata.StataReader(dta / "performance.dta") as reader:
        assert reader.variable_labels()["bias_mcse"] == "Monte Carlo-SE: Bias (estimat minus sandhed)."

    _, csv = export_folder(recovered, tmp_path / "csv", "csv", language="da")
    performance = pd.read_csv(csv / "performance.csv")
    assert list(performance.columns) == list(tables["performance"].columns)
    _same(performance["bias"], tables["performance"]["bias"])
    assert "haven::read_dta" in (csv / "DATA_DICTIONARY.md").read_text(encoding="utf-8")

    _, xlsx = export_folder(recovered, tmp_path / "xlsx", "xlsx", language="da")
    sheets = pd.read_excel(xlsx / "recover.xlsx", sheet_name=None)
    assert len(sheets["truth"]) == len(tables["truth"])
    _same(sheets["truth"]["truth"], tables["truth"]["truth"])
    assert "Estimat." in sheets["columns"]["label"].tolist()


def test_analyze_tables_export_with_a_list_column_as_a_long_table(bundle, tmp_path):
    report = tmp_path / "report"
    assert main(["analyze", str(bundle), "--out", str(report), "--no-html"]) == 0
    assert folder_kind(report) == "analyze"
    timelines = pd.read_csv(report / "tables" / "case_timelines.csv")
    kind, out = export_folder(report, tmp_path / "csv", "csv")
    themes = pd.read_csv(out / "case_timelines_themes.csv")
    assert list(themes.columns) == ["citizen_id", "wave", "theme"]
    assert len(themes) == sum(len(t.split("; ")) for t in timelines["themes"].dropna())
    assert "themes" not in pd.read_csv(out / "case_timelines.csv").columns
    first = timelines.dropna(subset=["themes"]).iloc[0]
    mine = themes.query("citizen_id == @first.citizen_id and wave == @first.wave")["theme"].tolist()
    assert mine == first["themes"].split("; ")
    _, dta = export_folder(report, tmp_path / "dta", "stata")
    with pd.io.stata.StataReader(dta / "case_timelines_themes.dta") as reader:
        assert reader.variable_labels()["theme"] == "Themes of the interview."
        assert len(reader.read()) == len(themes)


def test_a_folder_bipsim_did_not_write_is_refused_in_one_line(tmp_path, capsys):
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ExportError, match="not a folder bipsim writes"):
        folder_kind(tmp_path)
    assert main(["export", str(tmp_path), "--format", "csv", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(tmp_path) in err and "compare, sweep" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_export_refuses_truth_for_results(compared, tmp_path, capsys):
    assert main(["export", str(compared), "--format", "csv", "--truth", "--out", str(tmp_path / "out")]) == 2
    assert "--truth" in capsys.readouterr().err


def test_stata_names_are_valid_distinct_and_keep_valid_names():
    columns = ["turnover.quit_probability", "turnover_quit_probability", "x" * 40, "x" * 41, "1st", "if", "ok"]
    names = stata_names(columns)
    assert names["ok"] == "ok" and names["turnover_quit_probability"] == "turnover_quit_probability"
    assert names["turnover.quit_probability"] == "turnover_quit_probability_2"
    assert len(set(names.values())) == len(columns)
    assert all(len(n) <= 32 and (n[0].isalpha() or n[0] == "_") and "." not in n for n in names.values())
    assert names["if"] != "if" and names["1st"] == "_1st"


def test_the_data_dictionary_says_how_to_read_the_files_in_r_and_stata():
    text = data_dictionary()
    for call in ("haven::read_dta", "readr::read_csv", "arrow::read_parquet", 'use "survey.dta"', "import delimited"):
        assert call in text
