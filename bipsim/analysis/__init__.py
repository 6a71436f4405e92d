"""Analyses of observed data: they read bundles (or observed tables), never the truth.

``analyze(observed)`` runs the three lenses of the BIP study — register (horizontal), progression survey
(vertical), interviews (relational) — and their triangulation; see :mod:`bipsim.analysis.estimates` for
the estimands.
"""

from bipsim.analysis.analyze import Analysis, analyze
from bipsim.analysis.observed import AnalysisError, read_observed
from bipsim.analysis.triangulation import triangulation_table

__all__ = ["Analysis", "AnalysisError", "analyze", "read_observed", "triangulation_table"]
