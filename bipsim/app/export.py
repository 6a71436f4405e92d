"""What a user takes away from the sandbox: the settings as a scenario file, a run's bundle, a link to the settings.

A scenario file (:func:`scenario_file`) loads with ``bipsim run FILE`` and its comment says which seed gives the
app's run. A bundle (:func:`bundle_zip`) is the folder ``bipsim run --out`` writes, zipped. A link
(:func:`settings_query`, read back by :func:`read_settings_query`) names the preset, the seed, the size and
only the parameters changed from the preset, so it stays short and readable.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import param

from bipsim.app.data import Progress
from bipsim.app.full_runs import FullRun
from bipsim.instruments import write_study
from bipsim.scenario import GROUPS, Scenario, ScenarioError, builtin_scenarios, load_scenario, parameter_names

SEED_MAX = 2**31 - 1
SIZE_KEYS = ("citizens", "weeks")  # population parameters a link names without their group
SHORT_KEYS = ("preset", "seed", *SIZE_KEYS)


def file_stem(scenario: Scenario, seed: int) -> str:
    """A file name (no suffix) naming the preset, whether it was changed, and the seed: ``bipsim-baseline-seed0``."""
    name = scenario.name.removesuffix("*")
    changed = "-changed" if scenario.name.endswith("*") else ""
    return f"bipsim-{name}{changed}-seed{seed}"


def scenario_file(scenario: Scenario, seed: int) -> str:
    """The scenario as a TOML file that ``bipsim run`` accepts, headed by how to reproduce the app's run."""
    header = [
        f"# Settings saved from the bipsim sandbox (preset {scenario.name.removesuffix('*')!r}"
        f"{', changed' if scenario.name.endswith('*') else ''}).",
        f"# The same run as the app: bipsim run {file_stem(scenario, seed)}.toml --seed {seed}",
        "",
    ]
    return "\n".join(header) + scenario.to_toml()


def bundle_zip(run: FullRun, progress: Progress | None = None) -> bytes:
    """The run's bundle (as ``bipsim run --out`` writes it) as the bytes of a zip file of its folder.

    The bundle is written and zipped in a temporary folder that is removed afterwards, whatever happens; the
    zip holds one top folder named like the bundle, so unzipping gives a folder ``bipsim follow`` can read.
    """
    stem = file_stem(run.model.scenario, int(run.model.seed))
    with tempfile.TemporaryDirectory(prefix="bipsim-export-") as folder:
        bundle = write_study(run.model, Path(folder) / stem, progress=progress)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(bundle.rglob("*")):
                if path.is_file():
                    archive.write(path, Path(stem) / path.relative_to(bundle))
    return buffer.getvalue()


def query_value(value: Any) -> str:
    """A parameter value as the text of a link: ``true``/``false``, numbers as Python writes them, lists by commas."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(query_value(v) for v in value)
    return str(value)


def settings_query(preset: str, seed: int, scenario: Scenario) -> str:
    """The query string (without ``?``) that reproduces ``scenario`` and ``seed`` on top of ``preset``."""
    base = load_scenario(preset).to_dict()
    pairs: list[tuple[str, str]] = [("preset", preset), ("seed", str(seed))]
    values = scenario.to_dict()
    pairs += [(key, query_value(values["population"][key])) for key in SIZE_KEYS]
    for group, entries in values.items():
        for name, value in entries.items():
            if not (group == "population" and name in SIZE_KEYS) and value != base[group][name]:
                pairs.append((f"{group}.{name}", query_value(value)))
    return urlencode(pairs, safe=",")


@dataclass(frozen=True)
class LinkProblem:
    """A setting of a link that was not used: ``known`` is false for a name that is no setting at all."""

    key: str
    value: str
    known: bool


@dataclass
class LinkSettings:
    """What a link asks for: preset, seed and parameter values (dotted names), and what it asked for in vain."""

    preset: str | None = None
    seed: int | None = None
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[LinkProblem] = field(default_factory=list)


def _parse(p: param.Parameter, text: str) -> Any:
    """The value ``text`` means for parameter ``p``; raises ValueError when it means none."""
    if isinstance(p, param.Boolean):
        if text.lower() not in ("true", "false"):
            raise ValueError(text)
        return text.lower() == "true"
    if isinstance(p, param.ListSelector):
        return [part for part in text.split(",") if part]
    if isinstance(p, param.Integer):
        return int(text)
    if isinstance(p, param.Number):
        return float(text)
    return text


def read_settings_query(arguments: Mapping[str, str], default_preset: str) -> LinkSettings:
    """The settings a link's query (name to value) asks for, each checked against the scenario declaration.

    A preset that is not built in, a seed out of range, an unknown name or a value the declaration does not
    allow becomes a :class:`LinkProblem` and is left out; everything else is kept, so one typo does not lose
    the rest of a shared link.
    """
    out = LinkSettings()
    preset = arguments.get("preset")
    if preset is not None:
        if preset in builtin_scenarios():
            out.preset = preset
        else:
            out.problems.append(LinkProblem("preset", preset, known=True))
    base = load_scenario(out.preset or default_preset)
    seed = arguments.get("seed")
    if seed is not None:
        if seed.isdigit() and int(seed) <= SEED_MAX:
            out.seed = int(seed)
        else:
            out.problems.append(LinkProblem("seed", seed, known=True))
    for key, text in arguments.items():
        if key in ("preset", "seed"):
            continue
        dotted = f"population.{key}" if key in SIZE_KEYS else key
        group, _, name = dotted.partition(".")
        if group not in GROUPS or name not in parameter_names(group):
            out.problems.append(LinkProblem(key, text, known=False))
            continue
        try:
            value = _parse(GROUPS[group].param[name], text)
            base.replace({dotted: value})
        except (ValueError, ScenarioError):
            out.problems.append(LinkProblem(key, text, known=True))
            continue
        out.values[dotted] = value
    return out


def request_arguments(arguments: Mapping[str, list[bytes]]) -> dict[str, str]:
    """A web request's query arguments (name to the raw values) as name to text, the last value of each."""
    return {name: values[-1].decode("utf-8", errors="replace") for name, values in arguments.items() if values}
