"""The model's agents: citizens, caseworkers, employers and jobcentres (mesa Agents), the per-agent API.

Ask the model for one: ``model.citizen(i)``, ``model.caseworker(j)``, ``model.employer(k)``,
``model.jobcentre(j)``. An agent object is made the first time it is asked for and kept (the same object
comes back); reading ``model.agents`` or ``model.agents_by_type`` makes every agent not made yet, so
mesa's agent set always holds them all. An agent reads its numbers from the model: its current state
from the columnar arrays, its past from the weekly record and the event log. ``index`` is its id in the
truth tables (``citizen_id``, ``caseworker_id``, ``employer_id``); mesa's ``unique_id`` only counts the
order in which agents were made.

HOW THE AGENTS BEHAVE. Each behaviour is a rule of :mod:`bipsim.mechanisms`, run by the model each week
(:meth:`bipsim.model.model.BipModel.step`, in this order):

- an employer opens vacancies: :func:`bipsim.mechanisms.labour_market.open_vacancies`;
- a caseworker leaves and a successor takes over the caseload (:meth:`Caseworker.leave`), and citizens are
  moved to another caseworker: :func:`bipsim.mechanisms.turnover.step` (hand-over:
  :func:`~bipsim.mechanisms.turnover.reassign`);
- a caseworker meets the citizens due a meeting, sees their readiness, forms a belief and reclassifies
  them: :func:`bipsim.mechanisms.meetings.step`; exempts some from contact:
  :func:`bipsim.mechanisms.rules.exempt`;
- a caseworker offers an intervention: :func:`bipsim.mechanisms.interventions.allocate`; a jobcentre fills
  its free places from the queue: :func:`bipsim.mechanisms.waiting.step`; interventions run and end:
  :func:`bipsim.mechanisms.interventions.progress`;
- a citizen's indicators drift, regress without help and take health shocks:
  :func:`bipsim.mechanisms.readiness.step`; a citizen's ties give support and referrals:
  :func:`bipsim.mechanisms.network.step`;
- a citizen contacts an employer, who hires (:meth:`~bipsim.model.model.BipModel.hire`) when the readiness
  it sees clears its threshold: :func:`bipsim.mechanisms.labour_market.search_and_hire`; jobs end:
  :func:`bipsim.mechanisms.labour_market.separate`;
- a citizen leaves social assistance for education, a rehabilitation programme, a flexi-job, disability
  pension, or leaves the population: :func:`bipsim.mechanisms.exits.step`;
- each citizen's weekly status is derived and recorded by the model at the end of the week.

WHY THE WEEK RUNS ON ARRAYS. Every rule touches thousands to hundreds of thousands of agents every week.
Run as Python methods on agent objects, that would be a Python call per agent, rule and week; run on
columnar arrays (:mod:`bipsim.engine.columns`, one array per variable, one row per agent) it is one
compiled loop or vectorised expression per rule and week, and each rule draws its random numbers from its
own stream in fixed-size, agent-indexed arrays, which gives twin runs common random numbers. Per-agent
Python runs only for rare events: a caseworker leaving goes through :meth:`Caseworker.leave`. The agents are
the API for looking at one agent at a time: its state, timeline, caseworkers, interventions, caseload,
hires.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

import mesa
import numpy as np
import pandas as pd

from bipsim.contract.vocabulary import (
    CASEWORKER_STYLES,
    EVENT_KEYS,
    INDICATOR_KEYS,
    INTERVENTION_KEYS,
    INTERVENTIONS,
    ORIENTATION_KEYS,
    SECTORS,
    STATUS_KEYS,
    status_code,
)
from bipsim.engine.columns import ON_BENEFIT
from bipsim.engine.world import World
from bipsim.mechanisms import turnover
from bipsim.model.truth import Recorded

if TYPE_CHECKING:
    import networkx as nx


class Host(World, Recorded, Protocol):
    """What the agents read of the model that makes them: the mechanisms' world, the run's records, and more.

    :class:`bipsim.model.model.BipModel` is the host; it is not named here, so this module, which the model
    imports, does not import it back.
    """

    employer_ties: nx.Graph
    """Jobcentres and the employers they know, as a bipartite graph."""

    def citizen(self, index: int) -> Citizen:
        """Citizen ``index`` as an agent."""
        ...

    def employer(self, index: int) -> Employer:
        """Employer ``index`` as an agent."""
        ...

    def jobcentre(self, index: int) -> Jobcentre:
        """Jobcentre ``index`` as an agent."""
        ...

    def hire_caseworker(self, jobcentre: int, rng: np.random.Generator) -> Caseworker:
        """Employ a new caseworker at ``jobcentre`` and return them."""
        ...

REHABILITATION = status_code("rehabilitation")
IN_WORK = (status_code("job"), status_code("flexi_job"))
CASEWORKER_CHANGE = EVENT_KEYS.index("caseworker_change")
# the columns of :func:`intervention_spells` and their types
INTERVENTION_COLUMNS = {
    "citizen_id": "int32",
    "intervention": pd.CategoricalDtype(list(INTERVENTION_KEYS)),
    "kind": "object",
    "start_week": "int32",
    "waited_weeks": "int32",
    "end_week": "Int32",
    "completed": "boolean",
    "employer_id": "Int32",
}


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
    """A mesa Agent that is row ``index`` of its kind, and whose model can be garbage-collected."""

    _ids = _IdCounters()
    model: Host

    def __init__(self, model: Host, index: int) -> None:
        super().__init__(model)
        self.index = index


class Citizen(BipAgent):
    """An activity-ready citizen ("aktivitetsparat kontanthjælpsmodtager")."""

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
        return self.model.caseworker(index) if index >= 0 else None

    @property
    def timeline(self) -> pd.DataFrame:
        """Week by week so far: the citizen's rows of the truth's weekly table (without ``citizen_id``).

        ``week``, ``status``, ``activity``, ``caseworker_id`` (the responsible caseworker while on benefit or
        in rehabilitation), ``employer_id``, ``caseworker_belief`` and ``meetings_with_caseworker``.
        """
        model, weeks = self.model, self.model.week
        row = {name: values[:weeks, self.index] for name, values in model.record.items()}
        activity = row["activity"]
        return pd.DataFrame(
            {
                "week": np.arange(weeks, dtype=np.int32),
                "status": pd.Categorical.from_codes(row["status"], categories=list(STATUS_KEYS)),
                "activity": pd.Categorical.from_codes(
                    np.where(activity < 0, len(INTERVENTION_KEYS), activity), categories=[*INTERVENTION_KEYS, "none"]
                ),
                "caseworker_id": _nullable_ids(row["caseworker"]),
                "employer_id": _nullable_ids(row["employer"]),
                "caseworker_belief": row["belief"],
                "meetings_with_caseworker": row["meetings_with_caseworker"],
            }
        )

    @property
    def events(self) -> pd.DataFrame:
        """The citizen's rows of the event log, in the order they happened."""
        frame = self.model.events.to_frame()
        return frame[frame["citizen_id"].to_numpy() == self.index].reset_index(drop=True)

    @property
    def caseworker_history(self) -> pd.DataFrame:
        """The spells with each caseworker, in order (see :func:`caseworker_spells`)."""
        spells = caseworker_spells(self.model, np.array([self.index]))
        return spells.drop(columns="citizen_id")

    @property
    def interventions(self) -> pd.DataFrame:
        """Every intervention the citizen started, from the event log (see :func:`intervention_spells`)."""
        return intervention_spells(self.events).drop(columns="citizen_id")

    def survey_answers(self, survey: pd.DataFrame) -> pd.DataFrame:
        """The citizen's rows of an observed survey table (without ``citizen_id``).

        ``survey`` is the long survey table of a study of this run (``bundle.survey``): the model never
        observes itself, the instruments do.
        """
        mine = survey[survey["citizen_id"].to_numpy() == self.index]
        return mine.drop(columns="citizen_id").reset_index(drop=True)

    def __repr__(self) -> str:
        return f"Citizen({self.index}, {self.status}, {self.orientation}, readiness={self.readiness:.2f})"


class Caseworker(BipAgent):
    """A caseworker ("sagsbehandler"/"jobkonsulent") at a jobcentre."""

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
        """Indices of the citizens this caseworker is responsible for now (on benefit or in rehabilitation).

        Between weeks, these are the citizens whose last row of the weekly table names this caseworker.
        """
        c = self.model.citizens
        responsible = (c.exit_status == ON_BENEFIT) | (c.exit_status == REHABILITATION)
        return np.flatnonzero((c.caseworker == self.index) & responsible)

    @property
    def history(self) -> pd.DataFrame:
        """The spells of every citizen this caseworker has served, by citizen (see :func:`caseworker_spells`).

        ``started_by`` and ``ended_by`` tell how citizens came to this caseworker and left: caseworker
        changes both ways, returns to benefit, and what the citizen went on to.
        """
        served = (self.model.record["caseworker"][: self.model.week] == self.index).any(axis=0)
        spells = caseworker_spells(self.model, np.flatnonzero(served))
        mine = spells["caseworker_id"].to_numpy() == self.index
        return spells[mine].drop(columns="caseworker_id").reset_index(drop=True)

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

    @property
    def employees(self) -> np.ndarray:
        """Indices of the citizens in an ordinary job or a flexi-job here now."""
        c = self.model.citizens
        return np.flatnonzero((c.employer == self.index) & np.isin(c.exit_status, IN_WORK))

    @property
    def hires(self) -> pd.DataFrame:
        """The hire events into an ordinary job here: ``week``, ``citizen_id``, ``caseworker_id``."""
        frame = self.model.events.to_frame()
        here = _events_at_employer(frame, "hire", self.index)
        return frame.loc[here, ["week", "citizen_id", "caseworker_id"]].reset_index(drop=True)

    @property
    def placements(self) -> pd.DataFrame:
        """Work placements and wage-subsidised jobs held here (see :func:`intervention_spells`)."""
        frame = self.model.events.to_frame()
        citizens = np.unique(
            frame["citizen_id"].to_numpy()[_events_at_employer(frame, "intervention_start", self.index)]
        )
        spells = intervention_spells(frame[np.isin(frame["citizen_id"].to_numpy(), citizens)])
        here = spells["employer_id"].to_numpy(dtype=np.int64, na_value=-1) == self.index
        return spells[here].reset_index(drop=True)

    def __repr__(self) -> str:
        return f"Employer({self.index}, {self.sector}, vacancies={self.vacancies})"


class Jobcentre(BipAgent):
    """A jobcentre (municipality): its citizens, its caseworkers and its places in each intervention."""

    @property
    def places(self) -> np.ndarray:
        return self.model.places[self.index]

    @property
    def citizens(self) -> np.ndarray:
        """Indices of the jobcentre's citizens."""
        return np.flatnonzero(self.model.citizens.jobcentre == self.index)

    @property
    def caseworkers(self) -> list[Caseworker]:
        cw = self.model.caseworkers
        return [self.model.caseworker(i) for i in np.flatnonzero(cw.active() & (cw.jobcentre == self.index))]

    def __repr__(self) -> str:
        return f"Jobcentre({self.index}, caseworkers={len(self.caseworkers)})"


# How many agents of each kind a model has: the rows of its arrays.
AGENT_KINDS: dict[type[BipAgent], Callable[[Host], int]] = {
    Citizen: lambda model: model.citizens.size,
    Caseworker: lambda model: model.caseworkers.size,
    Employer: lambda model: model.employers.size,
    Jobcentre: lambda model: model.params.population.jobcentres,
}


def caseworker_spells(model: Host, citizens: np.ndarray) -> pd.DataFrame:
    """The spells of ``citizens`` (increasing indices) with one caseworker, from the record and the event log.

    A spell is a run of weeks in which the weekly record names the same responsible caseworker. It starts
    at week 0 (``started_by`` "start"), at a caseworker change ("caseworker_change"; the relationship
    starts again even when a jobcentre's only caseworker stays) or when the citizen is back on benefit
    ("return"). It ends at a caseworker change, when the citizen leaves benefit (``ended_by`` is the status
    of the week after, e.g. "job") or with the weeks run so far ("ongoing"). Columns: ``citizen_id``,
    ``caseworker_id``, ``first_week``, ``last_week``, ``weeks``, ``started_by``, ``ended_by``.
    """
    record, weeks = model.record, model.week
    caseworker = record["caseworker"][:weeks, citizens].T  # (citizens, weeks)
    status = record["status"][:weeks, citizens].T
    restarted = np.zeros(caseworker.shape, dtype=bool)
    events = model.events.columns()
    change = (events["kind"] == CASEWORKER_CHANGE) & (events["week"] < weeks)
    changed, week = events["citizen"][change], events["week"][change]
    row = np.minimum(np.searchsorted(citizens, changed), max(citizens.size - 1, 0))
    ours = citizens[row] == changed if citizens.size else np.zeros(changed.size, dtype=bool)
    restarted[row[ours], week[ours]] = True

    has = caseworker >= 0
    previous = np.full_like(caseworker, -1)
    previous[:, 1:] = caseworker[:, :-1]
    starts = has & ((previous != caseworker) | restarted)
    starts[:, 0] = has[:, 0]
    next_starts, next_has = np.zeros_like(starts), np.zeros_like(has)
    next_starts[:, :-1], next_has[:, :-1] = starts[:, 1:], has[:, 1:]
    ends = has & (next_starts | ~next_has)
    start_row, first = np.nonzero(starts)  # row-major: the k-th start and the k-th end are one spell
    _, last = np.nonzero(ends)
    started_by = np.where(
        restarted[start_row, first] | (previous[start_row, first] >= 0),
        "caseworker_change",
        np.where(first == 0, "start", "return"),
    )
    after = np.minimum(last + 1, max(weeks - 1, 0))
    ended_by = np.where(
        last == weeks - 1,
        "ongoing",
        np.where(next_starts[start_row, last], "caseworker_change", np.asarray(STATUS_KEYS)[status[start_row, after]]),
    )
    return pd.DataFrame(
        {
            "citizen_id": citizens[start_row].astype(np.int32),
            "caseworker_id": caseworker[start_row, first].astype(np.int32),
            "first_week": first.astype(np.int32),
            "last_week": last.astype(np.int32),
            "weeks": (last - first + 1).astype(np.int32),
            "started_by": started_by.astype(object),
            "ended_by": ended_by.astype(object),
        }
    )


def intervention_spells(events: pd.DataFrame) -> pd.DataFrame:
    """One row per intervention started in ``events`` (rows of the event log, in the order logged).

    Columns: ``citizen_id``, ``intervention``, ``kind`` (job_focused or support), ``start_week``,
    ``waited_weeks`` (in the queue before the start), ``end_week`` and ``completed`` (missing while it
    runs; not completed when a job or an exit cut it short) and ``employer_id`` (placements and wage
    subsidies).
    """
    kinds = {i.key: i.kind for i in INTERVENTIONS}
    wanted = events[events["event"].isin(("waiting_end", "intervention_start", "intervention_end"))]
    rows: list[dict] = []
    running: dict[tuple[int, str], dict] = {}
    waited: dict[tuple[int, str], tuple[int, float]] = {}
    columns = ("week", "event", "citizen_id", "employer_id", "detail", "value")
    for week, event, citizen, employer, detail, value in zip(*(wanted[c].tolist() for c in columns), strict=True):
        key = (citizen, detail)
        if event == "waiting_end":
            waited[key] = (week, value)
        elif event == "intervention_start":
            queued = waited.pop(key, None)
            running[key] = spell = {
                "citizen_id": citizen,
                "intervention": detail,
                "kind": kinds[detail],
                "start_week": week,
                "waited_weeks": int(queued[1]) if queued is not None and queued[0] == week else 0,
                "end_week": None,
                "completed": None,
                "employer_id": employer,
            }
            rows.append(spell)
        elif key in running:
            spell = running.pop(key)
            spell["end_week"], spell["completed"] = week, value == 1.0
    table = pd.DataFrame(rows, columns=list(INTERVENTION_COLUMNS))
    return table.astype(INTERVENTION_COLUMNS)


def _events_at_employer(events: pd.DataFrame, kind: str, employer: int) -> np.ndarray:
    """Mask of the rows of the event log of ``kind`` at ``employer``."""
    at = events["employer_id"].to_numpy(dtype=np.int64, na_value=-1) == employer
    return (events["event"] == kind).to_numpy() & at


def _nullable_ids(ids: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(ids.astype(np.int32), ids < 0)
