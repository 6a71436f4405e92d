"""Apply every instrument to a finished run: the observed tables a study of it would collect."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from bipsim.instruments.interviews import (
    QualitativeData,
    employer_interviews,
    observed_meetings,
    qualitative_interviews,
    sample_citizens,
)
from bipsim.instruments.parameters import instrument_parameters
from bipsim.instruments.register import background, register_history, register_weeks
from bipsim.instruments.survey import progression_survey
from bipsim.instruments.weekly import WeeklyPanel

if TYPE_CHECKING:
    from bipsim.model.model import BipModel
    from bipsim.model.truth import Truth


@dataclass
class Observed:
    """The observed tables of one run, as they appear in the bundle."""

    citizens: pd.DataFrame
    register_weeks: pd.DataFrame
    register_history: pd.DataFrame
    survey: pd.DataFrame
    interviews: pd.DataFrame
    interview_codings: pd.DataFrame
    meetings_observed: pd.DataFrame
    employer_interviews: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the tables by name."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def observe(
    model: BipModel,
    truth: Truth | None = None,
    on_table: Callable[[str, pd.DataFrame], None] | None = None,
    on_truth: Callable[[str, pd.DataFrame], None] | None = None,
) -> Observed:
    """Apply every instrument to a finished run; pass ``truth`` when it is already built.

    ``on_table(name, table)`` is called with each observed table as soon as it is made (a bundle writer
    starts on it while the other instruments run); ``on_truth(name, table)`` with the truth the instruments
    make (the interviews' true themes).
    """
    truth = truth if truth is not None else model.truth()
    params = instrument_parameters(model.scenario)
    root = model.streams.seed_sequence
    panel = WeeklyPanel(truth.weekly)  # the weekly matrices, pivoted once and shared by the instruments
    made: list[QualitativeData] = []
    drawn: list[np.ndarray] = []

    def sample() -> np.ndarray:  # the qualitative study's citizens, drawn once for interviews and meetings
        if not drawn:
            drawn.append(sample_citizens(truth, params.qualitative_study, root, panel))
        return drawn[0]

    def qualitative() -> QualitativeData:
        if not made:
            made.append(qualitative_interviews(truth, params, root, panel, sample()))
            if on_truth is not None:
                on_truth("interview_themes", made[0].themes)
        return made[0]

    instruments: dict[str, Callable[[], pd.DataFrame]] = {
        "citizens": lambda: background(truth),
        "register_weeks": lambda: register_weeks(truth, panel),
        "register_history": lambda: register_history(truth, params.register_history, root),
        "survey": lambda: progression_survey(truth, params, root, panel),
        "interviews": lambda: qualitative().interviews,
        "interview_codings": lambda: qualitative().codings,
        "meetings_observed": lambda: observed_meetings(truth, params, root, panel, sample()),
        "employer_interviews": lambda: employer_interviews(truth, params, root, panel),
    }
    tables = {}
    for name, instrument in instruments.items():
        tables[name] = instrument()
        if on_table is not None:
            on_table(name, tables[name])
    return Observed(**tables)
