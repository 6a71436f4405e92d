"""Scenario discovery: where in the world's parameter space does a method fail to recover its estimand?

The world's parameters are sampled from a Latin hypercube over the given ranges; at each sample a small recovery
study (``replications`` replications, common random numbers across samples) scores one method against the truth
of the estimand it targets, for one mechanism; a criterion on that sample's performance measures (e.g.
``abs(bias) > 2 * bias_mcse``: a bias the Monte Carlo error cannot explain) marks it as a failure. PRIM, the
Patient Rule Induction Method (Friedman & Fisher 1999), as implemented in the EMA Workbench (Kwakkel 2017), then
finds boxes of the parameter space where failures concentrate, each with its coverage (the share of all failures
inside it), density (the share of failures among the samples inside it) and mass (the share of samples inside).

Only the chosen estimand's twin runs in each replication, so a discovery study costs about a model run, the
instruments, the analyses and one twin per replication.
"""

from __future__ import annotations

import ast
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from bipsim.analysis.methods import METHOD_KEYS, METHODS
from bipsim.contract.estimands import has_truth
from bipsim.ensemble.execute import Progress, describe_error, execute, identity
from bipsim.ensemble.plan import Plan, RunSpec, latin_hypercube
from bipsim.recovery.performance import KEYS, MEASURES, performance
from bipsim.recovery.replicate import replicate_designs
from bipsim.scenario import Scenario

CRITERION = "abs(bias) > 2 * bias_mcse"
"""The default failure: a bias larger than twice its Monte Carlo SE."""
CRITERION_NAMES = frozenset(MEASURES) - {"replications", "replications_missing", "with_truth"}
"""The measures a criterion may name (each sample's :mod:`bipsim.recovery.performance` row)."""
MIN_LIFT = 0.1
"""How much denser in failures than all samples together a box must be to be reported."""
MIN_COVERAGE = 0.5
"""Along a box's peeling trajectory, the densest box that still holds at least this share of the failures."""
MAX_BOXES = 3


class CriterionError(ValueError):
    """A failure criterion that cannot be evaluated: it names something else than a measure, or is no condition."""


def check_criterion(text: str) -> ast.Expression:
    """Parse ``text`` as a condition on performance measures; raise :class:`CriterionError` naming what is wrong.

    Allowed: the measures of :data:`CRITERION_NAMES`, numbers, arithmetic, comparisons, ``and``/``or``/``not``
    and ``abs()``.
    """
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise CriterionError(f"--criterion {text!r} is not an expression ({exc.msg})") from None
    allowed = (
        ast.Expression, ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.Compare, ast.Name, ast.Load, ast.Constant,
        ast.And, ast.Or, ast.Not, ast.USub, ast.UAdd, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow,
        ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq, ast.Call,
    )  # fmt: skip
    for node in ast.walk(tree):
        if not isinstance(node, allowed):
            raise CriterionError(f"--criterion {text!r}: {type(node).__name__} is not allowed in a criterion")
        if isinstance(node, ast.Call) and not (
            isinstance(node.func, ast.Name) and node.func.id == "abs" and len(node.args) == 1 and not node.keywords
        ):
            raise CriterionError(f"--criterion {text!r}: the only function allowed is abs(x)")
        if isinstance(node, ast.Name) and node.id != "abs" and node.id not in CRITERION_NAMES:
            raise CriterionError(
                f"--criterion {text!r}: unknown measure {node.id!r}; allowed: {', '.join(sorted(CRITERION_NAMES))}"
            )
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float)):
            raise CriterionError(f"--criterion {text!r}: only numbers are allowed as constants")
    if not isinstance(tree.body, (ast.Compare, ast.BoolOp)) and not (
        isinstance(tree.body, ast.UnaryOp) and isinstance(tree.body.op, ast.Not)
    ):
        raise CriterionError(f"--criterion {text!r} is no condition; write a comparison, e.g. {CRITERION!r}")
    return tree


def failed(measures: pd.DataFrame, criterion: str) -> np.ndarray:
    """Whether each row of ``measures`` meets ``criterion`` (a row with a missing measure does not)."""
    code = compile(check_criterion(criterion), "<criterion>", "eval")
    out = []
    for row in measures.to_dict("records"):
        names = {name: float(row.get(name, np.nan)) for name in CRITERION_NAMES}
        with np.errstate(invalid="ignore"):
            out.append(bool(eval(code, {"__builtins__": {"abs": abs}}, names)))  # noqa: S307 - checked above
    return np.array(out, dtype=bool)


def check_target(estimand: str, method: str, outcome: str | None) -> tuple[str, str, str]:
    """The (method, outcome) row that targets ``estimand`` with a truth, and its estimand kind; or a clear error."""
    rows = [
        (m.key, m.outcome, m.estimand_kind)
        for m in METHODS
        if m.key == method and estimand in m.mechanisms and has_truth(estimand, m.estimand_kind)
    ]
    if outcome is not None:
        rows = [r for r in rows if r[1] == outcome]
    if not rows:
        choices = sorted(
            f"{m.key} --outcome {m.outcome}"
            for m in METHODS
            if estimand in m.mechanisms and has_truth(estimand, m.estimand_kind)
        )
        known = sorted({k[0] for k in METHOD_KEYS})
        raise CriterionError(
            f"--method {method}{'' if outcome is None else ' --outcome ' + outcome} has no truth to score for "
            f"--estimand {estimand}; methods with one: {', '.join(dict.fromkeys(choices)) or 'none'} "
            f"(methods: {', '.join(known)})"
        )
    return rows[0]


@dataclass(frozen=True)
class DiscoverRunSpec(RunSpec):
    """A sample's replication and the one truth it needs: ``(mechanism, estimand kind)``."""

    truth: tuple[str, str] = ("", "")


def discover_one(spec: DiscoverRunSpec) -> dict[str, Any]:
    """The executor's task: one replication at one sample, with only the chosen estimand's twin."""
    row = identity(spec)
    start = time.perf_counter()
    try:
        scenario = spec.scenario()
        (result,) = replicate_designs(scenario, spec.seed(), [scenario], only={spec.truth})
    except Exception as exc:  # noqa: BLE001 - a failed replication is recorded, the study goes on
        row.update(wall_seconds=time.perf_counter() - start, status="error", error=describe_error(exc))
        return row
    row.update(wall_seconds=time.perf_counter() - start, status="ok", error="", estimates=result.estimates)
    return row


@dataclass
class Box:
    """A box of parameter space where the method fails: its limits on the restricted parameters and its statistics."""

    limits: pd.DataFrame
    coverage: float
    density: float
    mass: float
    samples: int


@dataclass
class Discovery:
    """The results of :func:`discover`: each sample's values, measures and failure, PRIM's boxes, the settings."""

    scenario: Scenario
    plan: Plan
    estimand: str
    method: str
    outcome: str
    criterion: str
    ranges: list[tuple[str, float, float]]
    samples: pd.DataFrame
    replications: pd.DataFrame
    boxes: list[Box]
    seconds: float

    @property
    def failures(self) -> int:
        """Samples that meet the failure criterion."""
        return int(self.samples["failed"].sum())


def discover(
    scenario: Scenario,
    ranges: Sequence[tuple[str, float, float]],
    n: int,
    estimand: str,
    method: str,
    outcome: str | None = None,
    criterion: str = CRITERION,
    replications: int = 4,
    seed: int = 0,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> Discovery:
    """Sample ``n`` worlds over ``ranges``, score ``method`` on ``estimand`` in each, and find PRIM's failure boxes."""
    check_criterion(criterion)
    method, outcome, kind = check_target(estimand, method, outcome)
    start = time.perf_counter()
    ranges = list(ranges)
    settings = latin_hypercube(ranges, n, np.random.SeedSequence(seed).spawn(1)[0])
    plan = Plan.sweep(scenario, settings, replications, seed)
    tasks = [
        DiscoverRunSpec(**{f.name: getattr(spec, f.name) for f in fields(RunSpec)}, truth=(estimand, kind))
        for spec in plan.runs()
    ]
    rows = execute(tasks, workers, scheduler, progress, task=discover_one)
    frames = []
    for row in rows:
        frame = row.pop("estimates", None)
        if frame is not None:
            mine = (frame["estimand"] == estimand) & (frame["method"] == method) & (frame["outcome"] == outcome)
            chosen = frame[mine]
            frames.append(chosen.assign(setting_id=row["setting_id"], replication=row["replication"]))
    estimates = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    samples = plan.settings_table().drop(columns="scenario")
    if len(estimates):
        measures = performance(estimates, keys=["setting_id", *KEYS])
        samples = samples.merge(measures, on="setting_id", how="left")
    samples["failed"] = failed(samples, criterion)
    names = [name for name, _, _ in ranges]
    boxes = find_boxes(samples[names], samples["failed"].to_numpy())
    return Discovery(
        scenario, plan, estimand, method, outcome, criterion, ranges, samples, estimates, boxes,
        time.perf_counter() - start,
    )  # fmt: skip


def peel_alpha(samples: int) -> float:
    """The share PRIM peels off a box at each step: about five samples, from 0.05 (PRIM's default) to 0.2.

    With a few dozen samples, 5% is two or three of them, and a peel that happens to remove two failures at a
    box's edge stops PRIM at once, although failures concentrate inside; five samples at a time see past that.
    """
    return float(np.clip(5 / max(samples, 1), 0.05, 0.2))


def find_boxes(x: pd.DataFrame, y: np.ndarray) -> list[Box]:
    """PRIM's boxes of ``x`` where ``y`` (failures) concentrate, one after another, at most :data:`MAX_BOXES`.

    PRIM peels the sample space towards the failures; along each box's peeling trajectory the densest box that
    holds at least :data:`MIN_COVERAGE` of the failures is chosen (the densest overall when none does), and kept
    when its density is at least :data:`MIN_LIFT` above the share of failures among all samples. The next box is
    sought among the samples outside the boxes found.
    """
    if y.sum() == 0 or y.all() or len(x) < 4:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the workbench warns about optional parallel back ends on import
        from ema_workbench.analysis import prim
        from ema_workbench.util import ema_logging

        ema_logging.get_rootlogger().setLevel("ERROR")
        base = float(y.mean())
        # PRIM keeps a box only when its density reaches the threshold; the base rate keeps every peeled box,
        # and the choice along the trajectory below decides
        finder = prim.Prim(
            x.astype(float).reset_index(drop=True), y.astype(bool), threshold=base, peel_alpha=peel_alpha(len(x))
        )
        values = x.astype(float).to_numpy()
        boxes = []
        for _ in range(MAX_BOXES):
            box = finder.find_box()
            if box is None or len(box.peeling_trajectory) < 2:
                break
            trajectory = box.peeling_trajectory
            wide = trajectory[trajectory["coverage"] >= MIN_COVERAGE]
            box.select(int((wide if len(wide) else trajectory)["density"].idxmax()))
            if box.density < base + MIN_LIFT:
                break
            limits = box.box_lim.T.rename(columns={0: "low", 1: "high"})
            initial = finder.box_init.T.rename(columns={0: "low", 1: "high"})
            restricted = limits[(limits["low"] > initial["low"]) | (limits["high"] < initial["high"])]
            inside = ((values >= limits["low"].to_numpy()) & (values <= limits["high"].to_numpy())).all(axis=1)
            boxes.append(Box(restricted, float(box.coverage), float(box.density), float(box.mass), int(inside.sum())))
    return boxes
