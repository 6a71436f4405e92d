"""What an ensemble runs: settings (parameter overrides) crossed with replications, each with its seed.

A setting maps dotted parameter names (``turnover.quit_probability``) to values; names and values are checked
against the one declaration in :mod:`bipsim.scenario`, so a bad one is refused with the same message a TOML
file would get. Settings come from a grid (``--vary name=v1,v2``) or a Latin hypercube (``--ranges
name=lo:hi``) seeded from the sweep's ``SeedSequence``.

Seeds: the sweep's root ``SeedSequence(seed)`` is spawned once per replication, and every setting's
replication ``r`` uses child ``r`` (common random numbers: settings differ only by their parameters, so their
differences are not masked by noise). With independent seeds, pair (setting ``s``, replication ``r``) gets the
child with spawn key ``(r, s)`` instead. Either way a pair's seed depends only on the plan, never on which
worker runs it or when, so results are identical whatever the executor.

Parameter uncertainty: :meth:`Plan.across_vectors` crosses the settings with plausible parameter vectors (the
ensemble of settings that history matching finds consistent with the published figures). Every setting is
run under every vector; with common random numbers, replication ``r`` under vector ``v`` uses the child with
spawn key ``(r, v)`` (``SeedSequence(seed).spawn(R)[r].spawn(V)[v]``), so within a vector the settings (or
scenarios A and B) share their seeds and between vectors the luck is independent, which is what lets
:mod:`bipsim.ensemble.uncertainty` tell parameter from Monte Carlo variance.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import param

from bipsim.scenario import GROUPS, Scenario, ScenarioError, describe_allowed, parameter_names

Setting = dict[str, Any]

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def declared(name: str) -> param.Parameter:
    """The declaration of the dotted parameter ``name``; raises :class:`ScenarioError` naming what is allowed."""
    group, _, key = name.partition(".")
    if not key:
        raise ScenarioError(f"parameter {name!r} must be written group.parameter, e.g. turnover.quit_probability")
    if group not in GROUPS:
        raise ScenarioError(f"unknown parameter group {group!r} in {name!r}; allowed groups: {', '.join(GROUPS)}")
    if key not in parameter_names(group):
        raise ScenarioError(
            f"unknown parameter {name!r}; allowed parameters in [{group}]: {', '.join(parameter_names(group))}"
        )
    return GROUPS[group].param[key]


def parse_value(name: str, text: str) -> Any:
    """Convert the command-line text ``text`` to a value of the declared type of parameter ``name``.

    Booleans accept true/false (yes/no, on/off, 1/0); lists are ``+``-joined keys or ``none``.
    """
    p = declared(name)
    word = text.strip()
    if isinstance(p, param.Boolean):
        if word.lower() in _TRUE | _FALSE:
            return word.lower() in _TRUE
    elif isinstance(p, param.ListSelector):
        return [] if word.lower() in ("none", "") else [part.strip() for part in word.split("+")]
    elif isinstance(p, param.Integer):
        try:
            number = float(word)
        except ValueError:
            number = None
        if number is not None and number.is_integer():
            return int(number)
    elif isinstance(p, param.Number):
        try:
            return float(word)
        except ValueError:
            pass
    else:
        return word
    raise ScenarioError(f"{name} = {word!r} is not allowed; expected {describe_allowed(p)}")


def check_setting(scenario: Scenario, setting: Mapping[str, Any], option: str = "setting") -> None:
    """Raise :class:`ScenarioError` unless ``setting`` is a valid change of ``scenario``; ``option`` names it."""
    for name in setting:
        declared(name)
    try:
        scenario.replace(overrides=dict(setting))
    except ScenarioError as exc:
        raise ScenarioError(f"{option} {str(exc).removeprefix('override: ')}") from None


def parse_vary(scenario: Scenario, text: str) -> tuple[str, list[Any]]:
    """Parse ``name=v1,v2,...`` into the parameter name and its checked values."""
    name, sep, values = text.partition("=")
    name = name.strip()
    if not sep or not values.strip():
        raise ScenarioError(
            f"--vary {text!r} must be written name=v1,v2,..., e.g. turnover.quit_probability=0.001,0.005"
        )
    parsed = [parse_value(name, part) for part in values.split(",")]
    for value in parsed:
        check_setting(scenario, {name: value}, "--vary")
    return name, parsed


def parse_range(scenario: Scenario, text: str) -> tuple[str, float, float]:
    """Parse ``name=lo:hi`` for a numeric parameter into its name and checked bounds (``lo < hi``)."""
    name, sep, bounds = text.partition("=")
    name = name.strip()
    lo_text, colon, hi_text = bounds.partition(":")
    if not sep or not colon:
        raise ScenarioError(f"--ranges {text!r} must be written name=lo:hi, e.g. turnover.quit_probability=0.001:0.01")
    p = declared(name)
    if isinstance(p, param.Boolean) or not isinstance(p, param.Number):
        raise ScenarioError(f"--ranges {name}: only numeric parameters can be sampled; {name} is {describe_allowed(p)}")
    try:
        lo, hi = float(lo_text), float(hi_text)
    except ValueError:
        raise ScenarioError(
            f"--ranges {name} = {bounds!r} is not allowed; expected lo:hi, each {describe_allowed(p)}"
        ) from None
    if not lo < hi:
        raise ScenarioError(f"--ranges {name} = {bounds!r}: the low end must be below the high end")
    for value in (lo, hi):
        check_setting(
            scenario, {name: int(value) if isinstance(p, param.Integer) and value.is_integer() else value}, "--ranges"
        )
    return name, lo, hi


def default_range(scenario: Scenario, name: str) -> tuple[float, float]:
    """Half to one and a half times the scenario's value of ``name``, kept inside its declared bounds.

    A value of 0 ranges over the declared bounds.
    """
    p = declared(name)
    if isinstance(p, param.Boolean) or not isinstance(p, param.Number):
        raise ScenarioError(f"{name}: only numeric parameters can be sampled; {name} is {describe_allowed(p)}")
    group, _, key = name.partition(".")
    value = float(getattr(getattr(scenario, group), key))
    lo_bound, hi_bound = p.bounds
    if value == 0:
        return float(lo_bound), float(hi_bound)
    lo, hi = sorted((0.5 * value, 1.5 * value))
    return max(lo, lo_bound), min(hi, hi_bound)


def grid(varied: Sequence[tuple[str, Sequence[Any]]]) -> list[Setting]:
    """Every combination of the varied values (one empty setting when nothing varies)."""
    names = [name for name, _ in varied]
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*(values for _, values in varied))]


def snap(name: str, value: float) -> Any:
    """``value`` as the declared type of ``name``: integers are rounded."""
    return int(round(value)) if isinstance(declared(name), param.Integer) else float(value)


def latin_hypercube(ranges: Sequence[tuple[str, float, float]], n: int, seed: np.random.SeedSequence) -> list[Setting]:
    """``n`` settings from a Latin hypercube over ``ranges``, reproducible from ``seed``."""
    from scipy.stats import qmc

    sampler = qmc.LatinHypercube(d=len(ranges), rng=np.random.Generator(np.random.PCG64(seed)))
    unit = sampler.random(n)
    lo = np.array([r[1] for r in ranges])
    hi = np.array([r[2] for r in ranges])
    points = qmc.scale(unit, lo, hi)
    return [{name: snap(name, x) for (name, _, _), x in zip(ranges, row, strict=True)} for row in points]


def with_vector(
    scenario: Scenario, setting: Mapping[str, Any], vector: Mapping[str, Any], reference: Scenario
) -> tuple[Setting, list[str]]:
    """``setting`` with a plausible parameter ``vector`` underneath it, and the vector's parameters not applied.

    The vector gives every parameter it names, except where the setting names it too or the scenario's own
    value differs from ``reference`` (the scenario the ensemble was calibrated to, the baseline): a what-if is
    what it changes, so ``high_turnover``'s ``turnover.quit_probability`` must not be undone by the ensemble's.
    Returns the combined setting (vector first, then the setting) and the names kept at the scenario's value.
    """
    kept = []
    combined: Setting = {}
    for name, value in vector.items():
        group, _, key = name.partition(".")
        own = getattr(getattr(scenario, group), key)
        if name in setting or own != getattr(getattr(reference, group), key):
            kept.append(name)
        else:
            combined[name] = value
    return {**combined, **setting}, [name for name in kept if name not in setting]


@dataclass(frozen=True)
class RunSpec:
    """One run of an ensemble: which scenario, which setting, which replication, and its seed.

    Plain data (picklable) so a worker process can run it with :func:`bipsim.ensemble.execute.run_one`.
    """

    setting_id: int
    replication: int
    scenario_name: str
    scenario_values: dict[str, dict[str, Any]]
    setting: Setting
    entropy: int
    spawn_key: tuple[int, ...]

    def seed(self) -> np.random.SeedSequence:
        """The run's seed as a ``SeedSequence``."""
        return np.random.SeedSequence(self.entropy, spawn_key=self.spawn_key)

    def scenario(self) -> Scenario:
        """The scenario with this run's setting applied (raises :class:`ScenarioError` when it is invalid)."""
        base = Scenario(self.scenario_values, source=self.scenario_name, name=self.scenario_name)
        return base.replace(overrides=self.setting) if self.setting else base


@dataclass
class Plan:
    """Settings of one or more scenarios crossed with replications; :meth:`runs` lists every pair with its seed.

    ``scenarios[i]`` is the scenario of ``settings[i]``, so a comparison is two settings with different
    scenarios and no overrides.
    """

    scenarios: list[Scenario]
    settings: list[Setting]
    replications: int
    seed: int = 0
    common_random_numbers: bool = True
    labels: list[str] = field(default_factory=list)
    vectors: list[int] | None = None
    """Across plausible parameter vectors: the position of each setting's vector (None: no ensemble)."""
    vector_ids: list[int] = field(default_factory=list)
    """The ensemble's ids of its vectors, by position."""
    origins: list[int] = field(default_factory=list)
    """Across vectors: each setting's index among the settings before they were crossed with the vectors."""

    def __post_init__(self) -> None:
        if len(self.scenarios) != len(self.settings):
            raise ValueError("one scenario per setting")
        if self.vectors is not None and not (len(self.vectors) == len(self.origins) == len(self.settings)):
            raise ValueError("one vector position and one origin per setting")
        if not self.labels:
            self.labels = [scenario.name for scenario in self.scenarios]

    @classmethod
    def sweep(
        cls,
        scenario: Scenario,
        settings: Sequence[Setting],
        replications: int,
        seed: int = 0,
        common_random_numbers: bool = True,
    ) -> Plan:
        """All ``settings`` of one scenario."""
        settings = list(settings) or [{}]
        return cls([scenario] * len(settings), settings, replications, seed, common_random_numbers)

    @classmethod
    def across_vectors(
        cls,
        scenarios: Sequence[Scenario],
        settings: Sequence[Setting],
        labels: Sequence[str],
        vectors: Sequence[Setting],
        vector_ids: Sequence[int],
        reference: Scenario,
        replications: int,
        seed: int = 0,
        common_random_numbers: bool = True,
    ) -> Plan:
        """Every (scenario, setting) under every plausible vector, vector by vector (see :func:`with_vector`).

        Setting ``v * len(settings) + i`` is setting ``i`` under vector ``v``; its label is ``labels[i]``.
        """
        crossed, crossed_scenarios, crossed_labels, positions, origins = [], [], [], [], []
        for v, vector in enumerate(vectors):
            for i, (scenario, setting) in enumerate(zip(scenarios, settings, strict=True)):
                crossed.append(with_vector(scenario, setting, vector, reference)[0])
                crossed_scenarios.append(scenario)
                crossed_labels.append(labels[i])
                positions.append(v)
                origins.append(i)
        return cls(
            crossed_scenarios,
            crossed,
            replications,
            seed,
            common_random_numbers,
            crossed_labels,
            vectors=positions,
            vector_ids=[int(i) for i in vector_ids],
            origins=origins,
        )

    @property
    def root(self) -> np.random.SeedSequence:
        """The sweep's root seed; sampling settings draws from it, runs from its children."""
        return np.random.SeedSequence(self.seed)

    def spawn_key(self, setting_id: int, replication: int) -> tuple[int, ...]:
        """Spawn key (under the root's entropy) of the pair's seed."""
        if not self.common_random_numbers:
            return (replication, setting_id)
        if self.vectors is not None:
            return (replication, self.vectors[setting_id])
        return (replication,)

    def runs(self) -> list[RunSpec]:
        """Every (setting, replication) pair, setting by setting."""
        entropy = int(self.root.entropy)
        values = [scenario.to_dict() for scenario in self.scenarios]
        return [
            RunSpec(
                setting_id=s,
                replication=r,
                scenario_name=self.scenarios[s].name,
                scenario_values=values[s],
                setting=dict(self.settings[s]),
                entropy=entropy,
                spawn_key=self.spawn_key(s, r),
            )
            for s in range(len(self.settings))
            for r in range(self.replications)
        ]

    def settings_table(self):  # noqa: ANN201 - returns pandas.DataFrame
        """One row per setting: its id, label (the scenario's name) and the value of every varied parameter.

        Across vectors also the setting's ``origin_id`` (its index before crossing) and ``vector_id``.
        """
        import pandas as pd

        rows = []
        for s, (label, setting) in enumerate(zip(self.labels, self.settings, strict=True)):
            row: dict[str, Any] = {"setting_id": s, "scenario": label}
            if self.vectors is not None:
                row |= {"origin_id": self.origins[s], "vector_id": self.vector_ids[self.vectors[s]]}
            rows.append(row | setting)
        return pd.DataFrame(rows)
