"""Exports of a bundle open in the tools of the field, with labels, and list columns become long tables."""

from __future__ import annotations

import pandas as pd
import pytest

import bipsim
from bipsim.dataset import read_bundle
from bipsim.dataset.export import ExportError, export_bundle, export_frames


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
