"""A catalogue of damaged bundles: each entry makes one kind of damage to a copy of a good bundle.

Every entry says what a careful tool must do with it:

- ``refused``: ``analyze`` exits 2 with one line naming the problem (the text in ``says``);
- ``tolerated``: ``analyze`` succeeds and warns about what it left out (the text in ``says``);
- ``fine``: the data are still valid (e.g. numbers stored as text) and are analysed as they are.

Damage to a table's values comes with a manifest whose hash matches the damaged file (an edited bundle,
not a corrupted one), so that the damage reaches the data check rather than the hash check. Entries whose
damage is to the files or the manifest themselves leave the hashes as the damage leaves them.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


@dataclass(frozen=True)
class Damage:
    """One kind of damage: its name, category, what ``analyze`` must do and the words it must say."""

    name: str
    category: str
    expect: str
    says: str
    apply: Callable[[Path], None]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(path: Path) -> dict:
    return json.loads((path / "manifest.json").read_text())


def _write_manifest(path: Path, manifest: object) -> None:
    (path / "manifest.json").write_text(json.dumps(manifest))


def _edit_manifest(change: Callable[[dict], object]) -> Callable[[Path], None]:
    def apply(path: Path) -> None:
        manifest = _manifest(path)
        result = change(manifest)  # a new manifest when it returns one, else the changed one
        _write_manifest(path, result if isinstance(result, (dict, list)) else manifest)

    return apply


def _rehash(path: Path, name: str) -> None:
    manifest = _manifest(path)
    manifest["tables"][name]["sha256"] = _sha256(path / manifest["tables"][name]["file"])
    _write_manifest(path, manifest)


def _edit_table(name: str, change: Callable[[pd.DataFrame], pd.DataFrame | None]) -> Callable[[Path], None]:
    """Change observed table ``name`` as pandas sees it, write it back and update its hash."""

    def apply(path: Path) -> None:
        file = path / f"{name}.parquet"
        frame = pq.read_table(file).to_pandas()
        result = change(frame)
        frame = frame if result is None else result
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), file)
        _rehash(path, name)

    return apply


def _set(column: str, value: object, rows: slice | list[int] = slice(0, 1)) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        values = frame[column].astype(object).to_numpy().copy()
        values[rows] = value
        frame[column] = values
        return frame

    return change


def _as_text(column: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        frame[column] = frame[column].astype(str)
        return frame

    return change


def _as_codes(column: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        frame[column] = frame[column].cat.codes.astype(np.int16)
        return frame

    return change


def _duplicate_row(frame: pd.DataFrame) -> pd.DataFrame:
    """Swap the second row for a copy of the first: the row count stays the same."""
    frame = frame.copy()
    frame.iloc[1] = frame.iloc[0]
    return frame


def _unknown_citizen(frame: pd.DataFrame) -> pd.DataFrame:
    ids = frame["citizen_id"].to_numpy().copy()
    ids[:5] = 999_990 + np.arange(min(5, ids.size))  # five citizens the register does not know
    frame["citizen_id"] = ids
    return frame


def _word(column: str, word: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """Store ``column`` as text, with ``word`` in its first row."""

    def change(frame: pd.DataFrame) -> pd.DataFrame:
        text = frame[column].astype(str).to_numpy().copy()
        text[0] = word
        frame[column] = text
        return frame

    return change


def _drop(column: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    return lambda frame: frame.drop(columns=column)


def _rows(fraction: float, column: str, value: object) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        n = max(1, int(len(frame) * fraction))
        return _set(column, value, list(range(n)))(frame)

    return change


def _point_at(name: str, target: str, with_hash: bool = True) -> Callable[[Path], None]:
    def apply(path: Path) -> None:
        manifest = _manifest(path)
        manifest["tables"][name]["file"] = target
        if with_hash and Path(path / target).is_file():
            manifest["tables"][name]["sha256"] = _sha256(path / target)
        _write_manifest(path, manifest)

    return apply


def _link_to_truth(path: Path) -> None:
    file = path / "citizens.parquet"
    file.unlink()
    os.symlink(path / "truth" / "citizens.parquet", file)
    _rehash(path, "citizens")


def _link_outside(path: Path) -> None:
    file = path / "survey.parquet"
    outside = path.parent / f"{path.name}-outside.parquet"
    outside.write_bytes(file.read_bytes())
    file.unlink()
    os.symlink(outside, file)


def _truncate(name: str) -> Callable[[Path], None]:
    def apply(path: Path) -> None:
        file = path / f"{name}.parquet"
        file.write_bytes(file.read_bytes()[:200])
        _rehash(path, name)

    return apply


def _flip_byte(path: Path) -> None:
    file = path / "survey.parquet"
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    file.write_bytes(bytes(data))


def _text_file(path: Path) -> None:
    (path / "register_weeks.parquet").write_text("citizen_id,week\n1,2\n")
    _rehash(path, "register_weeks")


def _remove(name: str) -> Callable[[Path], None]:
    return lambda path: (path / f"{name}.parquet").unlink()


def _empty(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.iloc[0:0]


def _unknown_theme(frame: pd.DataFrame) -> pd.DataFrame:
    themes = list(frame["themes"])
    themes[0] = [*themes[0], "moon_landing"]
    frame["themes"] = themes
    return frame


def _delete_keys(*keys: str) -> Callable[[dict], None]:
    def change(manifest: dict) -> None:
        for key in keys:
            manifest.pop(key, None)

    return change


DAMAGES: tuple[Damage, ...] = (
    # --- the manifest ---------------------------------------------------------------------------------------
    Damage(
        "manifest_not_json",
        "manifest",
        "refused",
        "unreadable manifest",
        lambda p: (p / "manifest.json").write_text("{not json"),
    ),
    Damage("manifest_a_list", "manifest", "refused", "manifest", _edit_manifest(lambda m: [m])),
    Damage(
        "manifest_tables_a_list",
        "manifest",
        "refused",
        "manifest",
        _edit_manifest(lambda m: {**m, "tables": list(m["tables"].values())}),
    ),
    Damage(
        "manifest_entry_a_string",
        "manifest",
        "refused",
        "must have a 'file'",
        _edit_manifest(lambda m: m["tables"].__setitem__("survey", "survey.parquet")),
    ),
    Damage(
        "manifest_entry_without_file",
        "manifest",
        "refused",
        "must have a 'file'",
        _edit_manifest(lambda m: m["tables"]["survey"].pop("file")),
    ),
    Damage(
        "manifest_entry_without_hash",
        "manifest",
        "refused",
        "must have a 'file'",
        _edit_manifest(lambda m: m["tables"]["survey"].pop("sha256")),
    ),
    Damage(
        "observed_pointing_at_truth",
        "manifest",
        "refused",
        "it must be 'citizens.parquet'",
        _point_at("citizens", "truth/citizens.parquet"),
    ),
    Damage(
        "observed_pointing_outside",
        "manifest",
        "refused",
        "it must be 'citizens.parquet'",
        _point_at("citizens", "/etc/hostname"),
    ),
    Damage(
        "observed_pointing_up",
        "manifest",
        "refused",
        "it must be 'survey.parquet'",
        _point_at("survey", "../survey.parquet"),
    ),
    Damage(
        "unknown_table_entry",
        "manifest",
        "refused",
        "not a table or document of the schema",
        _edit_manifest(lambda m: m["tables"].__setitem__("extra", {"file": "x.parquet", "sha256": "0"})),
    ),
    Damage(
        "documents_a_list",
        "manifest",
        "refused",
        "'documents' must be a mapping",
        _edit_manifest(lambda m: {**m, "documents": []}),
    ),
    Damage(
        "wrong_format",
        "manifest",
        "refused",
        "not a bipsim bundle manifest",
        _edit_manifest(lambda m: {**m, "format": "something-else"}),
    ),
    Damage("no_seed_or_created", "manifest", "fine", "", _edit_manifest(_delete_keys("seed", "created"))),
    Damage("listed_but_deleted", "manifest", "refused", "listed in the manifest but missing", _remove("survey")),
    Damage("observed_linked_into_truth", "manifest", "refused", "leads into truth/", _link_to_truth),
    Damage("observed_linked_outside", "manifest", "refused", "leads outside", _link_outside),
    # --- the files ------------------------------------------------------------------------------------------
    Damage("hash_mismatch", "files", "refused", "sha256 does not match", _flip_byte),
    Damage("truncated_parquet", "files", "refused", "unreadable table", _truncate("survey")),
    Damage("text_instead_of_parquet", "files", "refused", "unreadable table", _text_file),
    Damage("empty_register", "files", "refused", "register_weeks", _edit_table("register_weeks", _empty)),
    Damage("empty_survey", "files", "fine", "", _edit_table("survey", _empty)),
    Damage(
        "register_without_column",
        "files",
        "refused",
        "benefit_code",
        _edit_table("register_weeks", _drop("benefit_code")),
    ),
    Damage("citizens_without_column", "files", "refused", "age", _edit_table("citizens", _drop("age"))),
    Damage(
        "undeclared_column",
        "files",
        "tolerated",
        "undeclared column",
        _edit_table("citizens", lambda f: f.assign(shoe_size=42)),
    ),
    # --- values -----------------------------------------------------------------------------------------------
    Damage("survey_score_9", "values", "refused", "values within 1 to 5", _edit_table("survey", _set("score", 9))),
    Damage(
        "survey_score_minus_7", "values", "refused", "values within 1 to 5", _edit_table("survey", _set("score", -7))
    ),
    Damage(
        "survey_score_missing", "values", "refused", "no missing values", _edit_table("survey", _set("score", None))
    ),
    Damage(
        "all_survey_scores_missing",
        "values",
        "refused",
        "no missing values",
        _edit_table("survey", _rows(1.0, "score", None)),
    ),
    Damage(
        "survey_score_fractional",
        "values",
        "refused",
        "whole numbers",
        _edit_table("survey", lambda f: f.assign(score=f["score"].astype(float) + 0.5)),
    ),
    Damage(
        "survey_week_minus_100", "values", "refused", "values within 0 to", _edit_table("survey", _set("week", -100))
    ),
    Damage(
        "register_week_fractional",
        "values",
        "refused",
        "whole numbers",
        _edit_table("register_weeks", lambda f: f.assign(week=f["week"].astype(float) + 0.25)),
    ),
    Damage("register_weeks_as_number_text", "values", "fine", "", _edit_table("register_weeks", _as_text("week"))),
    Damage("register_ids_as_number_text", "values", "fine", "", _edit_table("register_weeks", _as_text("citizen_id"))),
    Damage(
        "register_ids_as_words",
        "values",
        "refused",
        "whole numbers",
        _edit_table("register_weeks", _word("citizen_id", "anna")),
    ),
    Damage(
        "benefit_codes_as_integers",
        "values",
        "refused",
        "codes are stored as text",
        _edit_table("register_weeks", _as_codes("benefit_code")),
    ),
    Damage(
        "unknown_benefit_code",
        "values",
        "refused",
        "documented codes",
        _edit_table("register_weeks", _set("benefit_code", "kh_unknown")),
    ),
    Damage(
        "missing_benefit_code",
        "values",
        "refused",
        "documented codes",
        _edit_table("register_weeks", _set("benefit_code", None)),
    ),
    Damage(
        "unknown_activity",
        "values",
        "refused",
        "documented codes",
        _edit_table("register_weeks", _set("activity", "yoga")),
    ),
    Damage(
        "few_unknown_indicators",
        "values",
        "tolerated",
        "unknown codes",
        _edit_table("survey", _set("indicator", "shoe_size")),
    ),
    Damage(
        "many_unknown_indicators",
        "values",
        "refused",
        "documented codes",
        _edit_table("survey", _rows(0.2, "indicator", "shoe_size")),
    ),
    Damage(
        "indicators_as_integers",
        "values",
        "refused",
        "codes are stored as text",
        _edit_table("survey", _as_codes("indicator")),
    ),
    Damage(
        "unknown_respondent",
        "values",
        "tolerated",
        "unknown codes",
        _edit_table("survey", _set("respondent", "neighbour")),
    ),
    Damage("duplicated_citizen", "values", "refused", "share their key", _edit_table("citizens", _duplicate_row)),
    Damage(
        "duplicated_register_week",
        "values",
        "refused",
        "share their key",
        _edit_table("register_weeks", _duplicate_row),
    ),
    Damage("duplicated_survey_answer", "values", "refused", "share their key", _edit_table("survey", _duplicate_row)),
    Damage(
        "survey_citizens_not_in_register",
        "values",
        "refused",
        "not in 'register_weeks'",
        _edit_table("survey", _unknown_citizen),
    ),
    Damage(
        "interview_citizens_not_in_register",
        "values",
        "refused",
        "not in 'register_weeks'",
        _edit_table("interviews", _unknown_citizen),
    ),
    Damage(
        "background_citizens_not_in_register",
        "values",
        "refused",
        "not in 'register_weeks'",
        _edit_table("citizens", _unknown_citizen),
    ),
    Damage(
        "age_out_of_range", "values", "refused", "values within 15 to 70", _edit_table("citizens", _set("age", 200))
    ),
    Damage(
        "flag_as_words", "values", "refused", "true or false", _edit_table("citizens", _word("children", "perhaps"))
    ),
    Damage(
        "flag_as_numbers",
        "values",
        "fine",
        "",
        _edit_table("citizens", lambda f: f.assign(children=f["children"].astype(int))),
    ),
    Damage(
        "unknown_interview_theme",
        "values",
        "tolerated",
        "left out of the lists",
        _edit_table("interviews", _unknown_theme),
    ),
    Damage(
        "self_supporting_missing",
        "values",
        "refused",
        "true or false",
        _edit_table("register_weeks", _set("self_supporting", None)),
    ),
)
CATEGORIES: tuple[str, ...] = ("manifest", "files", "values")
