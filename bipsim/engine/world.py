"""What a mechanism may read and change of the model: the world the weekly rules act on, written down.

The mechanisms take a :class:`World` rather than the model class, so they never name the model layer above
them and their whole interface to it is this one protocol. :class:`bipsim.model.model.BipModel` is a World.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np
    from scipy import sparse

    from bipsim.engine.columns import CaseworkerState, CitizenState, EmployerState
    from bipsim.engine.events import EventLog


class LeavingCaseworker(Protocol):
    """A caseworker who can leave the jobcentre (the one agent behaviour a mechanism calls)."""

    def leave(self, rng: np.random.Generator, assigned: np.ndarray | None = None) -> object:
        """Leave; a replacement is hired at the jobcentre and takes over ``assigned``, the caseload."""
        ...


class World(Protocol):
    """The state and transitions of a running model that the mechanisms use."""

    params: SimpleNamespace
    """The scenario's values, ``params.group.name``; read-only."""
    week: int
    """The week being run, from 0."""
    citizens: CitizenState
    """Every citizen's columnar state; the mechanisms update it in place."""
    caseworkers: CaseworkerState
    """Every caseworker ever employed (style, quality, capacity, jobcentre, start and end week)."""
    employers: EmployerState
    """Every employer (sector, size, hiring threshold, openness to placements and wage subsidy)."""
    events: EventLog
    """The event log the mechanisms write what happened to."""
    continuity: np.ndarray
    """Continuity of a relationship after ``m`` meetings with the same caseworker, indexed by ``m``."""
    demand: float
    """This week's labour demand relative to normal; set by the labour market."""
    threshold_shift: float
    """This week's rise in employers' hiring thresholds; set by the labour market."""
    vacancies: np.ndarray
    """Open vacancies per employer this week; set and filled by the labour market."""
    referral_multiplier: np.ndarray
    """Each citizen's referral multiplier on employer contacts; set by the network."""
    network_adjacency: sparse.csr_array
    """The citizens' ties, as a symmetric adjacency matrix."""
    network_degree: np.ndarray
    """Each citizen's number of ties."""
    places: np.ndarray
    """Intervention places per (jobcentre, intervention type)."""
    jobcentre_group_offset: np.ndarray
    """Each citizen's first place group: ``places.ravel()[offset + type]`` is their jobcentre's for ``type``."""

    def caseworker(self, index: int) -> LeavingCaseworker:
        """Caseworker ``index`` as an agent."""
        ...

    def hire(self, citizens: np.ndarray, employers: np.ndarray) -> None:
        """``citizens`` start an ordinary job at ``employers`` (their interventions end)."""
        ...

    def return_to_benefit(self, citizens: np.ndarray) -> None:
        """``citizens`` whose job ended are back on social assistance with their caseworker."""
        ...

    def leave_benefit(self, citizens: np.ndarray, statuses: np.ndarray, employer_draws: np.ndarray) -> None:
        """``citizens`` leave social assistance for ``statuses`` (exits); flexi-jobs get an employer."""
        ...

    def pick_employers(self, jobcentres: np.ndarray, draws: np.ndarray, weights: str) -> np.ndarray:
        """For each draw, an employer tied to the jobcentre, in proportion to ``weights``; -1 if none."""
        ...
