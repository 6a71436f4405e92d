"""The model's agents: citizens, caseworkers, employers and jobcentres (mesa Agents).

Their numbers live in the model's columnar state (:mod:`bipsim.engine.columns`) so that weekly updates run
on all agents at once; an agent object is the named, inspectable view onto its row, and carries the
behaviour that happens to one agent at a time, such as a caseworker leaving.
"""

from __future__ import annotations

import itertools
import weakref
from typing import TYPE_CHECKING

import mesa
import numpy as np

from bipsim.contract.vocabulary import CASEWORKER_STYLES, INDICATOR_KEYS, ORIENTATION_KEYS, SECTORS, STATUS_KEYS
from bipsim.mechanisms import turnover

if TYPE_CHECKING:
    from bipsim.model.model import BipModel


class _IdCounters(weakref.WeakKeyDictionary):
    """mesa's per-model ``unique_id`` counters, held by weak reference to the model.

    mesa 3.3 keeps them in ``Agent._ids``, a class-level dict with the model as key, so every model ever
    built stays alive (mesa issue 3179, fixed only in releases that need Python 3.12). An ensemble of
    hundreds of runs in one worker then grows by a whole model per run.
    """

    def __getitem__(self, model: mesa.Model) -> itertools.count:
        try:
            return super().__getitem__(model)
        except KeyError:
            self[model] = counter = itertools.count(1)
            return counter


class BipAgent(mesa.Agent):
    """A mesa Agent whose model can be garbage-collected once nothing else refers to it."""

    _ids = _IdCounters()


class Citizen(BipAgent):
    """An activity-ready citizen ("aktivitetsparat kontanthjælpsmodtager")."""

    model: BipModel

    def __init__(self, model: BipModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def status(self) -> str:
        return STATUS_KEYS[self.model.citizens.status[self.index]]

    @property
    def orientation(self) -> str:
        return ORIENTATION_KEYS[self.model.citizens.orientation[self.index]]

    @property
    def indicators(self) -> dict[str, float]:
        """Latent indicator values on the 1-5 scale."""
        return dict(zip(INDICATOR_KEYS, self.model.citizens.latent[self.index].tolist(), strict=True))

    @property
    def readiness(self) -> float:
        return float(self.model.citizens.readiness[self.index])

    @property
    def caseworker(self) -> Caseworker | None:
        index = self.model.citizens.caseworker[self.index]
        return self.model.caseworker_agents[index] if index >= 0 else None

    def __repr__(self) -> str:
        return f"Citizen({self.index}, {self.status}, {self.orientation}, readiness={self.readiness:.2f})"


class Caseworker(BipAgent):
    """A caseworker ("sagsbehandler"/"jobkonsulent") at a jobcentre."""

    model: BipModel

    def __init__(self, model: BipModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def jobcentre(self) -> int:
        return int(self.model.caseworkers.jobcentre[self.index])

    @property
    def style(self) -> str:
        return CASEWORKER_STYLES[self.model.caseworkers.style[self.index]].key

    @property
    def tenure(self) -> int:
        """Weeks this caseworker has worked at the jobcentre (until leaving)."""
        end = min(int(self.model.caseworkers.end_week[self.index]), self.model.week)
        return end - int(self.model.caseworkers.start_week[self.index])

    @property
    def caseload(self) -> np.ndarray:
        """Indices of the citizens on benefit this caseworker is responsible for."""
        c = self.model.citizens
        return np.flatnonzero((c.caseworker == self.index) & c.on_benefit())

    @property
    def active(self) -> bool:
        return bool(self.model.caseworkers.active()[self.index])

    def leave(self, rng: np.random.Generator, assigned: np.ndarray | None = None) -> Caseworker:
        """Leave the jobcentre; a replacement is hired and takes over every citizen assigned to us.

        ``assigned``: those citizens, in order, when the caller has already found them.
        """
        model = self.model
        model.caseworkers.end_week[self.index] = model.week
        successor = model.hire_caseworker(self.jobcentre, rng)
        if assigned is None:
            assigned = np.flatnonzero(model.citizens.caseworker == self.index)
        if assigned.size:
            turnover.reassign(model, assigned, successor.index)
        return successor

    def __repr__(self) -> str:
        return f"Caseworker({self.index}, jobcentre={self.jobcentre}, {self.style}, caseload={self.caseload.size})"


class Employer(BipAgent):
    """An employer ("arbejdsgiver"/"virksomhed") within reach of one or more jobcentres."""

    model: BipModel

    def __init__(self, model: BipModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def sector(self) -> str:
        return SECTORS[self.model.employers.sector[self.index]].key

    @property
    def vacancies(self) -> int:
        return int(self.model.vacancies[self.index])

    @property
    def threshold(self) -> float:
        """Readiness this employer asks for this week, competition included."""
        return float(self.model.employers.threshold[self.index] + self.model.threshold_shift)

    @property
    def jobcentres(self) -> list[int]:
        return sorted(j for _, j in self.model.employer_ties.neighbors(("employer", self.index)))

    def __repr__(self) -> str:
        return f"Employer({self.index}, {self.sector}, vacancies={self.vacancies})"


class Jobcentre(BipAgent):
    """A jobcentre (municipality): its caseworkers and its places in each intervention."""

    model: BipModel

    def __init__(self, model: BipModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def places(self) -> np.ndarray:
        return self.model.places[self.index]

    @property
    def caseworkers(self) -> list[Caseworker]:
        cw = self.model.caseworkers
        return [self.model.caseworker_agents[i] for i in np.flatnonzero(cw.active() & (cw.jobcentre == self.index))]

    def __repr__(self) -> str:
        return f"Jobcentre({self.index}, caseworkers={len(self.caseworkers)})"
