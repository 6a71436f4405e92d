"""The bipsim model: citizens, caseworkers and employers in which readiness is produced in context.

One tick is one week. The model owns the columnar state of its agents and calls the mechanisms in a fixed
order each week; it records the truth (weekly statuses, latent indicators, beliefs and an event log) as it
runs. Instruments and analyses read that truth later; they never change the model.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import mesa
import numpy as np

from bipsim.contract.vocabulary import INDICATOR_KEYS, STATUS_KEYS, status_code
from bipsim.engine import kernels
from bipsim.engine.columns import (
    ACTIVITY_READY,
    IN_ACTIVITY,
    JOB_READY,
    JOB_SLOT,
    NEVER,
    ON_BENEFIT,
    SICK,
    SUPPORT_SLOT,
    WAITING,
)
from bipsim.engine.events import EventLog
from bipsim.engine.streams import RandomStreams, SeedLike
from bipsim.mechanisms import (
    employer_learning,
    exits,
    interventions,
    labour_market,
    meetings,
    network,
    readiness,
    rules,
    trust,
    turnover,
    waiting,
)
from bipsim.model.agents import AGENT_KINDS, BipAgent, Caseworker, Citizen, Employer, Jobcentre
from bipsim.model.population import (
    caseworker_traits,
    employers_by_jobcentre,
    new_caseworkers,
    new_citizens,
    new_employers,
    social_network,
)
from bipsim.model.truth import Truth, summarise
from bipsim.scenario import Scenario, load_scenario

if TYPE_CHECKING:
    import pandas as pd
    from mesa.agent import AgentSet

AgentT = TypeVar("AgentT", bound=BipAgent)

JOB, FLEXI_JOB, EDUCATION = status_code("job"), status_code("flexi_job"), status_code("education")
REHABILITATION = status_code("rehabilitation")
LEAVES_CASEWORKER = np.isin(
    np.arange(len(STATUS_KEYS)), [status_code(s) for s in ("disability_pension", "education", "out")]
)
BENEFIT_CLOCK_RESET_WEEKS = 52  # weeks self-supporting after which the refusion clock starts again
RECORD_BLOCK_WEEKS = 16  # weeks recorded week by week before they are copied, citizen by citizen, in one go


class BipModel(mesa.Model):
    """The agent-based model of the BIP cohort. Build it, call :meth:`run`, then read :meth:`truth`."""

    def __init__(self, scenario: Scenario | str | None = None, seed: SeedLike = 0) -> None:
        self.scenario = load_scenario(scenario)
        self.params = self.scenario.values()
        self.streams = RandomStreams(seed)
        # Every draw comes from self.streams, per mechanism and week. No rule draws from mesa's generators
        # (model.random, model.rng), so they are left unseeded: a rule that used them would not reproduce,
        # which the determinism tests catch, rather than repeat the same numbers under every seed.
        super().__init__()
        self.seed = seed
        self.week = 0
        pop = self.params.population
        self.citizens = new_citizens(self.params, self.streams)
        self.citizens.trust[:] = trust.initial(self.citizens.orientation, self.params.trust)
        n = self.citizens.size
        per_jobcentre = np.bincount(self.citizens.jobcentre, minlength=pop.jobcentres)
        self.caseworkers = new_caseworkers(self.params, self.streams, per_jobcentre)
        self.employers, self.employer_ties = new_employers(self.params, self.streams)
        lists = employers_by_jobcentre(self.employer_ties, pop.jobcentres)
        self.employer_pool = np.concatenate(lists)  # employers tied to jobcentre j: pool[bounds[j]:bounds[j+1]]
        self.employer_pool_bounds = np.concatenate(([0], np.cumsum([len(e) for e in lists])))
        self.network_graph, self.network_edges, self.network_adjacency = social_network(self.params, self.streams, n)
        self.network_degree = np.asarray(self.network_adjacency.sum(axis=1)).ravel()
        self.places = waiting.places(per_jobcentre, self.params.waiting.places_per_1000)
        self.jobcentre_group_offset = self.citizens.jobcentre.astype(np.int64) * self.places.shape[1]

        # Agents are made when first asked for (model.citizen(i), ...): making 200,000 citizens up front
        # cost a third of building the model, and the week runs on the arrays, not on them.
        self._made_agents: dict[type[BipAgent], dict[int, BipAgent]] = {kind: {} for kind in AGENT_KINDS}
        self._assign_first_caseworkers()

        self.events = EventLog()
        self.demand, self.threshold_shift = 1.0, 0.0
        self.vacancies = np.zeros(self.employers.size, dtype=np.int64)
        self.referral_multiplier = np.ones(n)
        # Continuity of a relationship after m meetings, by m: at most 8 known at the start, then one a week
        self.continuity = meetings.relationship(
            np.arange(pop.weeks + 10, dtype=np.float64), self.params.meetings.continuity_meetings
        )
        weeks = pop.weeks
        # Records are kept citizen by citizen, the row order of the truth's weekly table (which then needs no
        # copy); weeks are staged week by week and copied over a block at a time, which is cheap (see record).
        dtypes = {
            "status": np.int8,
            "activity": np.int8,
            "caseworker": np.int32,
            "employer": np.int32,
            "belief": np.float32,
            "meetings_with_caseworker": np.int16,
        }
        self._records = {name: np.zeros((n, weeks), dtype=dtype) for name, dtype in dtypes.items()}
        self._staged = {name: np.zeros((min(RECORD_BLOCK_WEEKS, weeks), n), dtype=d) for name, d in dtypes.items()}
        self._staged_from = 0
        self.latent_weeks = np.arange(0, weeks, self.params.records.latent_every_weeks)
        # (citizens, recording weeks, indicators): the row order of the truth's latent table
        self.latent_record = np.zeros((n, self.latent_weeks.size, len(INDICATOR_KEYS)), dtype=np.float32)
        self.trust_record = np.zeros((n, self.latent_weeks.size), dtype=np.float32)
        self.orientation_record = np.zeros((n, self.latent_weeks.size), dtype=np.int8)
        self.market = {
            "demand": np.zeros(weeks),
            "threshold_shift": np.zeros(weeks),
            "vacancies": np.zeros(weeks, dtype=np.int64),
        }
        self.running = True

    def _assign_first_caseworkers(self) -> None:
        """Spread each jobcentre's citizens over its caseworkers; some relationships already exist."""
        c, cw, m = self.citizens, self.caseworkers, self.params.meetings
        rng = self.streams("caseworkers", 0)
        for jobcentre in range(self.params.population.jobcentres):
            mine = np.flatnonzero(c.jobcentre == jobcentre)
            pool = np.flatnonzero(cw.jobcentre == jobcentre)
            c.caseworker[mine] = pool[rng.integers(0, pool.size, mine.size)]
        known = rng.integers(0, 9, c.size)
        c.meetings_with_caseworker[:] = known
        anchor = meetings.category_anchor(c.job_ready, m.job_ready_threshold)
        seen = c.readiness + m.observation_sd * rng.standard_normal(c.size) / np.sqrt(np.maximum(known, 1))
        c.perceived_readiness[:] = anchor + (seen - anchor) * known / (known + 1.0)
        c.belief[:] = meetings.belief(c.perceived_readiness, m.belief_threshold, m.belief_slope)

    # --- the agents: the per-agent API, made when first asked for -------------------------------------
    def citizen(self, index: int) -> Citizen:
        """Citizen ``index`` (its ``citizen_id``): state, timeline, caseworkers, interventions, survey answers."""
        return self._agent(Citizen, index)

    def caseworker(self, index: int) -> Caseworker:
        """Caseworker ``index`` (its ``caseworker_id``): state, caseload and the citizens served."""
        return self._agent(Caseworker, index)

    def employer(self, index: int) -> Employer:
        """Employer ``index`` (its ``employer_id``): vacancies, employees, hires and placements."""
        return self._agent(Employer, index)

    def jobcentre(self, index: int) -> Jobcentre:
        """Jobcentre ``index``: its citizens, caseworkers and places."""
        return self._agent(Jobcentre, index)

    def _agent(self, kind: type[AgentT], index: int) -> AgentT:
        """The agent of ``kind`` in row ``index``, made (and registered with mesa) the first time."""
        index = operator.index(index)
        made = self._made_agents[kind]
        agent = made.get(index)
        if agent is None:
            count = AGENT_KINDS[kind](self)
            if not 0 <= index < count:
                raise IndexError(f"no {kind.__name__.lower()} {index}: the model has {count}, numbered from 0")
            agent = made[index] = kind(self, index)
        return agent  # type: ignore[return-value]

    @property
    def agents(self) -> AgentSet:
        """All agents, as mesa's agent set; asking for it makes every agent not made yet."""
        self._make_all_agents()
        return super().agents

    @property
    def agents_by_type(self) -> dict[type[mesa.Agent], AgentSet]:
        """All agents, in mesa's agent sets by kind; asking for them makes every agent not made yet."""
        self._make_all_agents()
        return super().agents_by_type

    def _make_all_agents(self) -> None:
        for kind, count in AGENT_KINDS.items():
            made = self._made_agents[kind]
            if len(made) < count(self):
                made.update((i, kind(self, i)) for i in range(count(self)) if i not in made)

    # --- the weekly schedule -------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one week, then derive statuses and record the week.

        The order: market, turnover, meetings and offers, queues, interventions, trust, readiness, networks,
        employers' learning, hiring and job loss, exits.
        """
        week, stream = self.week, self.streams
        market_rng = stream("labour_market", week)
        labour_market.open_vacancies(self, market_rng)
        turnover.step(self, stream("turnover", week))
        held = meetings.step(self, stream("meetings", week), trust.meeting_factor(self))
        held = rules.exempt(self, held, stream("rules", week))
        intervention_rng = stream("interventions", week)
        interventions.allocate(self, held, intervention_rng)
        waiting.step(self, stream("waiting", week))
        job_help_before = self.citizens.programme[:, JOB_SLOT] >= 0
        interventions.progress(self, intervention_rng, trust.intervention_factor(self))
        trust.step(self, held, job_help_before, stream("trust", week))
        readiness.step(self, stream("readiness", week))
        self.citizens.update_readiness()
        network.step(self)
        employer_learning.fade(self)
        labour_market.search_and_hire(self, market_rng)
        labour_market.separate(self, market_rng)
        exits.step(self, stream("exits", week))
        self._close_week()
        self.week += 1
        if self.week >= self.params.population.weeks:
            self.running = False

    def run(self, progress: Callable[[int, int], None] | None = None) -> BipModel:
        """Run every week of the scenario; ``progress(week, weeks)`` is called after each week."""
        weeks = self.params.population.weeks
        while self.running:
            self.step()
            if progress is not None:
                progress(self.week, weeks)
        return self

    def _close_week(self) -> None:
        c, week = self.citizens, self.week
        c.update_readiness()
        r, row = self._staged, week - self._staged_from
        before, c.status = c.status, np.empty_like(c.status)
        changed = _close_citizen_week(
            exit_status=c.exit_status,
            job_ready=c.job_ready,
            queue=c.queue,
            programme=c.programme,
            sick_until=c.sick_until,
            caseworker=c.caseworker,
            employer=c.employer,
            belief=c.belief,
            meetings_with_caseworker=c.meetings_with_caseworker,
            benefit_weeks=c.benefit_weeks,
            off_benefit_weeks=c.off_benefit_weeks,
            before=before,
            week=week,
            status=c.status,
            activity=r["activity"][row],
            recorded_caseworker=r["caseworker"][row],
            recorded_employer=r["employer"][row],
            recorded_belief=r["belief"][row],
            recorded_meetings=r["meetings_with_caseworker"][row],
        )
        r["status"][row] = c.status
        if week > 0:
            labels = self.events.detail_codes(STATUS_KEYS)
            self.events.add(
                week,
                "status_change",
                changed,
                caseworker=c.caseworker[changed],
                detail=labels[c.status[changed]],
                value=before[changed].astype(float),
            )
        if row + 1 == len(r["status"]):
            self._copy_staged(week + 1)
        if week % self.params.records.latent_every_weeks == 0:
            self.latent_record[:, week // self.params.records.latent_every_weeks] = c.latent
            self.trust_record[:, week // self.params.records.latent_every_weeks] = c.trust
            self.orientation_record[:, week // self.params.records.latent_every_weeks] = c.orientation
        self.market["demand"][week] = self.demand
        self.market["threshold_shift"][week] = self.threshold_shift
        self.market["vacancies"][week] = self.vacancies.sum()

    @property
    def record(self) -> dict[str, np.ndarray]:
        """What was recorded each week, as (weeks, citizens) arrays: ``record[name][week]`` is one week.

        ``status``, ``activity`` (-1 none), ``caseworker`` (-1 none), ``employer`` (-1 none), ``belief`` and
        ``meetings_with_caseworker``; weeks not yet run are zero.
        """
        self._copy_staged(self.week)
        return {name: values.T for name, values in self._records.items()}

    def _copy_staged(self, until: int) -> None:
        """Copy the staged weeks before ``until`` into the citizen-major records."""
        start = self._staged_from
        if until > start:
            for name, staged in self._staged.items():
                _transpose_into(staged[: until - start], records=self._records[name], start=start)
            self._staged_from = until

    # --- transitions used by several mechanisms ----------------------------------------------------------
    def hire(self, citizens: np.ndarray, employers: np.ndarray) -> None:
        """Citizens start an ordinary job at the given employers."""
        interventions.cancel(self, citizens)
        c = self.citizens
        c.exit_status[citizens] = JOB
        c.employer[citizens] = employers
        c.job_start[citizens] = self.week
        c.sick_until[citizens] = 0
        self.events.add(self.week, "hire", citizens, caseworker=c.caseworker[citizens], employer=employers)

    def return_to_benefit(self, citizens: np.ndarray) -> None:
        """Citizens whose job ended are back on social assistance with their caseworker."""
        c = self.citizens
        c.exit_status[citizens] = ON_BENEFIT
        c.employer[citizens] = -1
        c.job_start[citizens] = NEVER
        c.last_help[citizens] = self.week
        c.next_meeting[citizens] = self.week + 1

    def leave_benefit(self, citizens: np.ndarray, statuses: np.ndarray, employer_draws: np.ndarray) -> None:
        """Citizens leave social assistance for another status (exits); flexi-jobs get an employer."""
        c = self.citizens
        interventions.cancel(self, citizens)
        c.exit_status[citizens] = statuses
        c.job_start[citizens] = NEVER
        c.rehabilitation_end[citizens] = NEVER  # a programme ends with any exit; exits sets it for new ones
        c.employer[citizens] = -1
        flexi = citizens[statuses == FLEXI_JOB]
        if flexi.size:
            c.employer[flexi] = self.pick_employers(
                c.jobcentre[flexi], employer_draws[statuses == FLEXI_JOB], weights="size"
            )
        c.caseworker[citizens[LEAVES_CASEWORKER[statuses]]] = -1

    def hire_caseworker(self, jobcentre: int, rng: np.random.Generator) -> Caseworker:
        """Employ a new caseworker at ``jobcentre``."""
        traits = caseworker_traits(self.params, rng, 1)
        index = self.caseworkers.append(
            jobcentre=jobcentre, start_week=self.week, end_week=NEVER, **{k: v[0] for k, v in traits.items()}
        )
        return self.caseworker(index)

    def pick_employers(self, jobcentres: np.ndarray, draws: np.ndarray, weights: str) -> np.ndarray:
        """For each draw, an employer tied to the jobcentre, chosen in proportion to ``weights``.

        ``weights`` is ``vacancies``, ``placement`` or ``subsidy`` openness, or ``size``; the result is -1
        where no tied employer has any weight.
        """
        by = {
            "vacancies": self.vacancies,
            "placement": self.employers.placement_openness,
            "subsidy": self.employers.subsidy_openness,
            "size": self.employers.size_weight,
        }[weights]
        return kernels.pick_employers(
            self.employer_pool, bounds=self.employer_pool_bounds, weights=by, jobcentres=jobcentres, draws=draws
        )

    # --- results -------------------------------------------------------------------------------------
    def truth(self, on_table: Callable[[str, pd.DataFrame], None] | None = None) -> Truth:
        """The truth tables of the run (tidy pandas DataFrames); see :class:`bipsim.model.truth.Truth`.

        ``on_table(name, table)`` is called with each table as soon as it is made.
        """
        return Truth.from_model(self, on_table)

    def summary(self) -> dict[str, float]:
        """Headline figures of the run: flows into job, caseworker changes, waiting."""
        return summarise(self)


@kernels.kernel
def _close_citizen_week(
    exit_status,
    job_ready,
    queue,
    programme,
    sick_until,
    caseworker,
    employer,
    belief,
    meetings_with_caseworker,
    benefit_weeks,
    off_benefit_weeks,
    before,
    week,
    status,
    activity,
    recorded_caseworker,
    recorded_employer,
    recorded_belief,
    recorded_meetings,
):
    """Count benefit weeks, derive each citizen's status and fill this week's record rows.

    The refusion clock (``benefit_weeks``) counts weeks on benefit or in rehabilitation and starts again
    after a year self-supporting (job or education). Returns the citizens whose status changed.
    """
    changed = np.empty(status.size, dtype=np.int64)
    count = 0
    for i in range(status.size):
        code = exit_status[i]
        if code == ON_BENEFIT or code == REHABILITATION:
            benefit_weeks[i] += 1
        off_benefit_weeks[i] = off_benefit_weeks[i] + 1 if code == JOB or code == EDUCATION else 0
        if off_benefit_weeks[i] >= BENEFIT_CLOCK_RESET_WEEKS:
            benefit_weeks[i] = 0
        job, support = programme[i, JOB_SLOT], programme[i, SUPPORT_SLOT]
        status[i] = status_of(
            code,
            sick_until=sick_until[i],
            job_programme=job,
            support_programme=support,
            job_queue=queue[i, JOB_SLOT],
            support_queue=queue[i, SUPPORT_SLOT],
            job_ready=job_ready[i],
            week=week,
        )
        if status[i] != before[i]:
            changed[count] = i
            count += 1
        if code != ON_BENEFIT:
            activity[i] = -1
        else:  # the job-focused intervention first
            activity[i] = job if job >= 0 else support
        recorded_caseworker[i] = caseworker[i] if code == ON_BENEFIT or code == REHABILITATION else -1
        recorded_employer[i] = employer[i]
        recorded_belief[i] = belief[i]
        recorded_meetings[i] = meetings_with_caseworker[i]
    return changed[:count].copy()  # a copy: the event log keeps it, not the buffer


@kernels.kernel
def status_of(exit_status, sick_until, job_programme, support_programme, job_queue, support_queue, job_ready, week):
    """A citizen's status this week: off benefit, sick, in an activity, waiting, or their category."""
    if exit_status != ON_BENEFIT:
        return exit_status
    if sick_until > week:
        return SICK
    if job_programme >= 0 or support_programme >= 0:
        return IN_ACTIVITY
    if job_queue >= 0 or support_queue >= 0:
        return WAITING
    return JOB_READY if job_ready else ACTIVITY_READY


@kernels.kernel
def _transpose_into(staged, records, start):
    """``records[:, start:start + weeks] = staged.T`` for a block of staged weeks, citizen by citizen."""
    weeks = staged.shape[0]
    for i in range(records.shape[0]):
        for w in range(weeks):
            records[i, start + w] = staged[w, i]
