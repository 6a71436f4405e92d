"""Instruments: the observed data a study of the run would collect (survey, register, interviews).

Each instrument reads the truth tables and the instruments' parameters and draws from its own random
stream derived from the model's seed, so the same run always yields the same observed data. Instruments
never change the model; analyses read only what they produce.
"""

from bipsim.instruments.observe import Observed, observe
from bipsim.instruments.parameters import INSTRUMENT_GROUPS, instrument_parameters
from bipsim.instruments.register import self_sufficiency
from bipsim.instruments.study import Study, write_study

__all__ = [
    "INSTRUMENT_GROUPS",
    "Observed",
    "Study",
    "instrument_parameters",
    "observe",
    "self_sufficiency",
    "write_study",
]
