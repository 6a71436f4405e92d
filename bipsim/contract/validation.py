"""Checking observed data against the documented schema before any analysis reads it.

Real data, and bundles that were damaged or edited, reach the analyses through this check. It is driven by
the declaration in :mod:`bipsim.contract.schema` (one declaration for writing, the data dictionary and this
check) rather than a second schema in a validation library: every rule below reads the declared column
types, allowed codes, bounds, keys and references.

Rules, per observed table that is present:

- **types**: whole-number columns hold whole numbers (``"12"`` stored as text is read as 12; ``"twelve"``,
  12.5 or a missing value where none is allowed are refused); true/false columns hold booleans or 0/1;
  code columns hold the documented codes as text or categories (codes stored as numbers are unknown codes);
- **ranges**: declared bounds (survey scores 1-5, weeks 0 and later, ...);
- **codes**: values among the documented ones. Where a row can be left out without changing the meaning
  of the others (a survey answer, an interview) and at most :data:`TOLERATED_SHARE` of the rows have an
  unknown code, those rows are dropped with a warning; otherwise the data are refused. Unknown themes in an
  interview's theme list are dropped with a warning;
- **keys**: no two rows share the declared key (one register row per citizen and week);
- **references**: every citizen of the survey, interviews, observed meetings, background and history is
  in the register.

A violation that would change results raises :class:`ObservedDataError`, naming the table, column, rule and
example rows; tolerable ones come back as warnings, which the analyses report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from bipsim.contract.schema import OBSERVED, Column, SchemaError, Table

TOLERATED_SHARE = 0.01  # unknown codes in at most 1% of a droppable table's rows are dropped with a warning
EXAMPLES = 3  # example rows named in a message
INTEGER_DTYPES = ("int8", "int16", "int32", "int64", "Int32")


class ObservedDataError(SchemaError):
    """Observed data that break the documented schema in a way that would change the results."""


@dataclass
class Checked:
    """Observed tables after the check: the tables (cast to the declared types) and the warnings."""

    tables: dict[str, pd.DataFrame | None]
    warnings: list[str] = field(default_factory=list)


def _examples(frame: pd.DataFrame, bad: np.ndarray, column: str | None = None) -> str:
    """``rows 3, 17, 40 (values 9, -7, 9)``: the first bad rows by position, with their values."""
    positions = np.flatnonzero(bad)[:EXAMPLES]
    text = "row" + ("s " if len(positions) > 1 else " ") + ", ".join(str(int(p)) for p in positions)
    if column is not None:
        values = [repr(v) for v in frame[column].iloc[positions].tolist()]
        text += f" (value{'s' if len(values) > 1 else ''} {', '.join(values)})"
    return text


def _refuse(table: Table, column: str, bad: np.ndarray, rule: str, frame: pd.DataFrame) -> ObservedDataError:
    return ObservedDataError(
        f"observed table {table.name!r}, column {column!r}: {int(bad.sum()):,} row(s) break the rule "
        f"'{rule}', e.g. {_examples(frame, bad, column)}"
    )


def _whole_numbers(table: Table, column: Column, frame: pd.DataFrame) -> pd.Series:
    values = frame[column.name]
    if isinstance(values.dtype, pd.CategoricalDtype) or values.dtype == object or pd.api.types.is_string_dtype(values):
        numbers = pd.to_numeric(values.astype("string"), errors="coerce")
        unreadable = (numbers.isna() & values.notna()).to_numpy()
        if unreadable.any():
            raise _refuse(table, column.name, unreadable, "whole numbers", frame)
        values = numbers
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        raise _refuse(table, column.name, np.ones(len(values), bool), "whole numbers", frame)
    floats = values.to_numpy(dtype=np.float64, na_value=np.nan)
    missing = np.isnan(floats)
    if missing.any() and not column.nullable:
        raise _refuse(table, column.name, missing, "no missing values", frame)
    fractional = ~missing & (floats != np.round(floats))
    if fractional.any():
        raise _refuse(table, column.name, fractional, "whole numbers", frame)
    if column.bounds is not None:
        lo, hi = column.bounds
        outside = ~missing & ((floats < lo) | (floats > hi))
        if outside.any():
            raise _refuse(table, column.name, outside, f"values within {lo:g} to {hi:g}", frame)
    if values.dtype == column.dtype:
        return values
    return pd.Series(floats, index=values.index).astype(column.dtype)


def _booleans(table: Table, column: Column, frame: pd.DataFrame) -> pd.Series:
    values = frame[column.name]
    if pd.api.types.is_bool_dtype(values) and not values.isna().any():
        return values.astype(bool)
    numbers = pd.to_numeric(values.astype("string").str.lower().replace({"true": "1", "false": "0"}), errors="coerce")
    bad = ~numbers.isin([0, 1]).to_numpy()
    if bad.any():
        raise _refuse(table, column.name, bad, "true or false (or 1 and 0)", frame)
    return numbers.astype(bool)


def _codes(table: Table, column: Column, frame: pd.DataFrame, warnings: list[str]) -> tuple[pd.Series, np.ndarray]:
    """The column as declared categories, and which rows hold an unknown code (to drop, where tolerated)."""
    values = frame[column.name]
    allowed = list(column.allowed)
    if isinstance(values.dtype, pd.CategoricalDtype) and set(values.cat.categories) <= set(allowed):
        codes = values.cat.set_categories(allowed)  # already documented codes: no text round trip
        unknown = codes.isna().to_numpy()
        if not unknown.any():
            return codes, unknown
    numeric = pd.api.types.is_numeric_dtype(values) and not isinstance(values.dtype, pd.CategoricalDtype)
    text = values.astype("string")
    unknown = (~text.isin(allowed) | text.isna()).to_numpy()
    if not unknown.any():
        return pd.Series(pd.Categorical(text, categories=allowed), index=values.index), unknown
    share = unknown.mean()
    rule = f"one of the documented codes ({', '.join(column.allowed[:6])}{', ...' if len(column.allowed) > 6 else ''})"
    if numeric:
        rule += "; codes are stored as text, not numbers"
    if numeric or not table.rows_droppable or share > TOLERATED_SHARE:
        raise _refuse(table, column.name, unknown, rule, frame)
    warnings.append(
        f"observed table {table.name!r}, column {column.name!r}: {int(unknown.sum()):,} row(s) with unknown codes "
        f"({', '.join(sorted(set(text[unknown].dropna().astype(str)))[:EXAMPLES]) or 'missing'}) left out"
    )
    return pd.Series(pd.Categorical(text.where(~unknown), categories=allowed), index=values.index), unknown


def _theme_lists(table: Table, column: Column, frame: pd.DataFrame, warnings: list[str]) -> pd.Series:
    values = frame[column.name]
    allowed = set(column.allowed)
    unknown: set[str] = set()

    def known(items: object) -> list[str]:
        items = [] if items is None or (isinstance(items, float) and np.isnan(items)) else list(items)
        unknown.update(str(i) for i in items if i not in allowed)
        return [i for i in items if i in allowed]

    cleaned = values.map(known)
    if unknown:
        warnings.append(
            f"observed table {table.name!r}, column {column.name!r}: unknown item(s) "
            f"{', '.join(sorted(unknown)[:EXAMPLES])} left out of the lists"
        )
    return cleaned


def _check_table(table: Table, frame: pd.DataFrame, warnings: list[str]) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    declared = {c.name: c for c in table.columns}
    undeclared = [c for c in frame.columns if c not in declared]
    if undeclared:
        warnings.append(f"observed table {table.name!r}: undeclared column(s) {', '.join(undeclared)} ignored")
    out = {}
    drop = np.zeros(len(frame), dtype=bool)
    for column in table.columns:
        if column.name not in frame.columns:
            continue  # each analysis says which columns it needs (analysis.observed.require)
        if column.dtype in INTEGER_DTYPES:
            out[column.name] = _whole_numbers(table, column, frame)
        elif column.dtype == "bool":
            out[column.name] = _booleans(table, column, frame)
        elif column.dtype == "category":
            out[column.name], unknown = _codes(table, column, frame, warnings)
            drop |= unknown
        elif column.dtype == "list":
            out[column.name] = _theme_lists(table, column, frame, warnings)
        elif column.dtype in ("float32", "float64"):
            numbers = pd.to_numeric(frame[column.name], errors="coerce")
            unreadable = (numbers.isna() & frame[column.name].notna()).to_numpy()
            if unreadable.any():
                raise _refuse(table, column.name, unreadable, "numbers", frame)
            out[column.name] = numbers.astype(column.dtype)
        else:
            out[column.name] = frame[column.name]
    checked = pd.DataFrame(out, index=frame.index)
    checked = checked[~drop].reset_index(drop=True) if drop.any() else checked
    keys = [k for k in table.keys if k in checked.columns]
    if keys and len(keys) == len(table.keys):
        duplicated = checked.duplicated(keys, keep=False).to_numpy()
        if duplicated.any():
            raise ObservedDataError(
                f"observed table {table.name!r}: {int(duplicated.sum()):,} rows share their key "
                f"({', '.join(keys)}), but each must identify one row, e.g. {_examples(checked, duplicated)} "
                f"({', '.join(f'{k}={checked[k].iloc[int(np.flatnonzero(duplicated)[0])]}' for k in keys)})"
            )
    return checked


def check_observed(tables: Mapping[str, pd.DataFrame | None]) -> Checked:
    """Check every present observed table against the schema; raise :class:`ObservedDataError` on damage.

    Returns the tables cast to the declared types (rows with tolerated unknown codes left out) and the
    warnings about what was tolerated.
    """
    warnings: list[str] = []
    checked: dict[str, pd.DataFrame | None] = dict(tables)
    for table in OBSERVED:
        frame = tables.get(table.name)
        if frame is not None:
            checked[table.name] = _check_table(table, frame, warnings)
    for table in OBSERVED:
        frame = checked.get(table.name)
        for column, target in table.references:
            other = checked.get(target)
            if frame is None or other is None or column not in frame.columns or column not in other.columns:
                continue
            unknown = ~frame[column].isin(other[column].unique()).to_numpy()
            if unknown.any():
                raise ObservedDataError(
                    f"observed table {table.name!r}, column {column!r}: {int(unknown.sum()):,} row(s) name a "
                    f"{column} that is not in {target!r}, e.g. {_examples(frame, unknown, column)}"
                )
    return Checked(checked, warnings)
