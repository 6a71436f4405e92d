"""``analyze``: every analysis of one set of observed data, as a tidy estimates table and report tables.

It reads only the observed tables (a :class:`~bipsim.dataset.bundle.Bundle`, the
:class:`~bipsim.instruments.Observed` of a run, or any object with the tables as attributes) and never a
bundle's ``truth``. The register is required; without the survey or the interviews the methods that need
them are left out (their estimates say why).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from bipsim.analysis.estimates import not_estimable, table
from bipsim.analysis.horizontal import Exposures, Landmark, RegisterStudy
from bipsim.analysis.measures import SurveyWaves
from bipsim.analysis.observed import AnalysisError, columns_of, require
from bipsim.analysis.register_weeks import RegisterWeeks
from bipsim.analysis.relational import InterviewStudy
from bipsim.analysis.triangulation import finding, triangulation_table
from bipsim.analysis.vertical import ProgressionStudy, Quarters
from bipsim.contract.estimands import ESTIMAND_KEYS
from bipsim.contract.vocabulary import INTERVENTION_KEYS

Progress = Callable[[int, int], None]
STEPS = 5


@dataclass
class Analysis:
    """The results of :func:`analyze`: ``estimates`` (tidy), ``tables`` for the report, ``triangulation``.

    Whom each comparison compared, so recovery can compute the true effect for the same citizens: ``landmark``
    (the landmark comparisons), ``exposures`` (the hazard models' exposure of every citizen-week), ``quarters``
    (the survey's person-quarters) and ``mediation`` (which of those quarters the mediation uses).
    """

    estimates: pd.DataFrame
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    triangulation: pd.DataFrame | None = None
    landmark: Landmark | None = None
    exposures: Exposures | None = None
    quarters: Quarters | None = None
    mediation: np.ndarray | None = None
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


def _table(observed: Any, name: str) -> pd.DataFrame | None:
    frame = getattr(observed, name, None)
    return frame if isinstance(frame, pd.DataFrame) and not frame.empty else None


def analyze(observed: Any, tables: bool = True, progress: Progress | None = None) -> Analysis:
    """Run every analysis on observed data; ``tables=False`` computes only the estimates (fast, for recovery).

    Raises :class:`~bipsim.analysis.observed.AnalysisError` when the register or the background table is
    missing or lacks documented columns. The fits use one BLAS thread, so their sums round the same way on
    every machine and in every process: a near-singular fit then succeeds or fails everywhere alike.
    """
    with threadpool_limits(limits=1):
        return _analyze(observed, tables, progress)


def _analyze(observed: Any, tables: bool, progress: Progress | None) -> Analysis:
    started = time.perf_counter()
    step = 0

    def advance() -> None:
        nonlocal step
        step += 1
        if progress is not None:
            progress(step, STEPS)

    require(
        observed,
        {"register_weeks": columns_of("register_weeks"), "citizens": columns_of("citizens")},
        "the register analyses",
    )
    try:
        panel = RegisterWeeks(observed)
    except ValueError as exc:
        raise AnalysisError(f"register_weeks: {exc}") from None
    survey = _table(observed, "survey")
    if survey is not None:
        require(observed, {"survey": columns_of("survey")}, "the progression analyses")
    interviews = _table(observed, "interviews")
    if interviews is not None:
        require(observed, {"interviews": ("citizen_id", "wave", "week", "themes", "text_en")}, "the interviews")
    waves = SurveyWaves.of(panel) if survey is not None else None
    advance()

    register = RegisterStudy(panel, waves)
    rows = register.hazard_rows() + register.landmark_rows()
    advance()
    if waves is not None:
        progression = ProgressionStudy(panel, waves, interviews, register.background)
        rows += progression.progression_rows() + progression.mediation_rows()
    else:
        rows += [
            not_estimable(e, "citizen_readiness", "survey_progression", "mean_difference", "no survey")
            for e in ESTIMAND_KEYS
        ]
        rows += [
            not_estimable(e, "job_1y", "survey_mediation", "risk_difference", "no survey") for e in INTERVENTION_KEYS
        ]
    advance()
    if interviews is not None:
        study = InterviewStudy(interviews, panel, survey)
        rows += study.interview_rows()
    else:
        rows += [not_estimable(e, "job_1y", "interviews", "risk_difference", "no interviews") for e in ESTIMAND_KEYS]
    advance()
    result = Analysis(
        table(rows),
        landmark=register.landmark(),
        exposures=register.exposures,
        warnings=list(getattr(observed, "warnings", [])),
    )
    if waves is not None and progression.quarters is not None:
        result.quarters = progression.quarters
        result.mediation = progression.mediation_sample(progression.quarters)
    result.triangulation = triangulation_table(result)
    if tables:
        result.tables = {
            "estimates": result.estimates,
            "triangulation": result.triangulation,
            "hazard_model": register.hazard_table(),
            "baseline_comparison": register.baseline_comparison(),
            "self_sufficiency": register.self_sufficiency(),
            "flows": register.flows(),
        }
        if waves is not None:
            result.tables |= {
                "trajectories": progression.trajectories(),
                "indicator_change": progression.change(),
                "prediction": progression.prediction(),
                "agreement": progression.agreement(),
                "attrition": progression.attrition(),
            }
        if interviews is not None:
            result.tables |= study.tables()  # the relational lens: themes, meaning by orientation, disagreements
    advance()
    result.seconds = time.perf_counter() - started
    return result


def triangulate(observed: Any) -> pd.DataFrame:
    """Run the analyses on observed data and return the triangulation table with a ``finding`` column."""
    table = triangulation_table(analyze(observed, tables=False))
    table.insert(2, "finding", [finding(row) for row in table.itertuples()])
    return table
