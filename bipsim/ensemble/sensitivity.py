"""Global sensitivity of outcomes to parameters: Sobol indices or Morris screening, with SALib.

SALib draws the parameter sample; every sample point becomes a setting that the ensemble machinery runs
(with common random numbers across points, so the model is a fixed function of the parameters and the
indices are not swamped by simulation noise); the outcome's mean over replications at each point goes back
to SALib. Sobol: first-order (S1) and total (ST) indices with confidence half-widths; Morris: mean absolute
elementary effect (mu_star), its confidence half-width, and the spread of effects (sigma: interactions or
non-linearity).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from bipsim.ensemble.plan import Setting, snap

METHODS: tuple[str, ...] = ("sobol", "morris")
MORRIS_LEVELS = 4
INDICES = {"sobol": ("S1", "ST"), "morris": ("mu_star", "sigma")}


class SensitivityError(ValueError):
    """A sensitivity analysis that cannot be computed (e.g. an outcome undefined at some sample points)."""


def problem(ranges: Mapping[str, tuple[float, float]]) -> dict:
    """The SALib problem: parameter names and their (low, high) ranges."""
    return {"num_vars": len(ranges), "names": list(ranges), "bounds": [list(map(float, b)) for b in ranges.values()]}


def _int_seed(seed: np.random.SeedSequence) -> int:
    return int(seed.generate_state(1)[0])


def sample(spec: dict, method: str, n: int, seed: np.random.SeedSequence) -> np.ndarray:
    """Sample points: Sobol (Saltelli scheme, ``n * (d + 2)`` points) or Morris (``n`` trajectories)."""
    if method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(spec, n, calc_second_order=False, seed=_int_seed(seed))
    if method == "morris":
        from SALib.sample import morris

        return morris.sample(spec, n, num_levels=MORRIS_LEVELS, seed=_int_seed(seed))
    raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")


def settings(spec: dict, points: np.ndarray) -> list[Setting]:
    """Each sample point as a setting (integer parameters rounded)."""
    return [{name: snap(name, x) for name, x in zip(spec["names"], row, strict=True)} for row in points]


def point_means(runs: pd.DataFrame, outcome: str, points: int) -> np.ndarray:
    """The outcome's mean over replications at each sample point; raises when a point has no value."""
    ok = runs[runs["status"] == "ok"]
    means = ok.groupby("setting_id")[outcome].mean().reindex(range(points))
    missing = int(means.isna().sum())
    if missing:
        failed = int((runs["status"] != "ok").sum())
        raise SensitivityError(
            f"{outcome!r} is undefined at {missing} of {points} sample points ({failed} failed run(s)); "
            "narrow the ranges or choose another outcome"
        )
    return means.to_numpy(dtype=float)


def analyse(spec: dict, method: str, points: np.ndarray, y: np.ndarray, seed: np.random.SeedSequence) -> pd.DataFrame:
    """Indices of one outcome as a tidy table: parameter, index, value, conf (95% half-width).

    An outcome that does not vary over the sample has no indices: its values are NaN.
    """
    rows = []
    if np.ptp(y) == 0:
        names = INDICES[method] if method == "sobol" else (*INDICES[method], "mu")
        return pd.DataFrame(
            [{"parameter": p, "index": i, "value": np.nan, "conf": np.nan} for p in spec["names"] for i in names]
        )
    if method == "sobol":
        from SALib.analyze import sobol

        result = sobol.analyze(spec, y, calc_second_order=False, seed=_int_seed(seed))
        for i, name in enumerate(spec["names"]):
            for index in ("S1", "ST"):
                rows.append(
                    {
                        "parameter": name,
                        "index": index,
                        "value": float(result[index][i]),
                        "conf": float(result[f"{index}_conf"][i]),
                    }
                )
    else:
        from SALib.analyze import morris

        result = morris.analyze(spec, points, y, num_levels=MORRIS_LEVELS, seed=_int_seed(seed))
        for i, name in enumerate(spec["names"]):
            rows.append(
                {
                    "parameter": name,
                    "index": "mu_star",
                    "value": float(result["mu_star"][i]),
                    "conf": float(result["mu_star_conf"][i]),
                }
            )
            rows.append({"parameter": name, "index": "sigma", "value": float(result["sigma"][i]), "conf": np.nan})
            rows.append({"parameter": name, "index": "mu", "value": float(result["mu"][i]), "conf": np.nan})
    return pd.DataFrame(rows)


def draw_figure(indices: pd.DataFrame, method: str, path: Path, title: str = "") -> None:
    """Bar chart per outcome: S1 and ST (Sobol) or mu_star and sigma (Morris), with 95% half-widths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    outcomes = list(dict.fromkeys(indices["outcome"]))
    parameters = list(dict.fromkeys(indices["parameter"]))
    shown = INDICES[method]
    fig, axes = plt.subplots(
        len(outcomes), 1, figsize=(8, 1.2 + 0.5 * len(parameters) * len(outcomes) + 0.6 * len(outcomes)), squeeze=False
    )
    height = 0.8 / len(shown)
    for ax, outcome in zip(axes[:, 0], outcomes, strict=True):
        table = indices[indices["outcome"] == outcome]
        if table["value"].isna().all():
            ax.text(
                0.5, 0.5, "does not vary over the sample: no indices", ha="center", va="center", transform=ax.transAxes
            )
        for k, index in enumerate(shown):
            part = table[table["index"] == index].set_index("parameter").reindex(parameters)
            positions = np.arange(len(parameters)) + (k - (len(shown) - 1) / 2) * height
            errors = part["conf"].fillna(0).to_numpy()
            ax.barh(positions, part["value"].to_numpy(), height=height, xerr=errors, capsize=3, label=index)
        ax.set_yticks(np.arange(len(parameters)), parameters)
        ax.invert_yaxis()
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_title(outcome.replace("_", " "), fontsize=10)
        ax.legend(loc="lower right", fontsize=8)
    axes[-1, 0].set_xlabel(
        "Sobol index (bars: 95% half-width)" if method == "sobol" else "elementary effect (outcome units)"
    )
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def run_analysis(
    spec: dict,
    method: str,
    points: np.ndarray,
    runs: pd.DataFrame,
    outcomes: Sequence[str],
    seed: np.random.SeedSequence,
) -> pd.DataFrame:
    """Indices of every outcome, stacked: outcome, parameter, index, value, conf."""
    tables = []
    for outcome in outcomes:
        y = point_means(runs, outcome, len(points))
        tables.append(analyse(spec, method, points, y, seed).assign(outcome=outcome))
    table = pd.concat(tables, ignore_index=True)
    return table[["outcome", "parameter", "index", "value", "conf"]]
