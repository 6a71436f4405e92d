"""Columnar state of the model's agents: one numpy array per variable, indexed by agent.

Weekly updates touch many agents at once, so their numbers live here rather than on agent objects; the
mesa agents in :mod:`bipsim.model.agents` are views onto these columns. Week numbers are stored as
integers; ``NEVER`` marks "not scheduled".
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from bipsim.contract.vocabulary import INDICATORS, status_code

NEVER = 1_000_000
ON_BENEFIT = -1  # value of ``exit_status`` while the citizen is on social assistance
JOB_SLOT, SUPPORT_SLOT = 0, 1  # columns of the programme and queue arrays

READINESS_WEIGHTS = (
    np.array([i.readiness_weight for i in INDICATORS]) / sum(i.readiness_weight for i in INDICATORS)
).astype(np.float32)
SICK, IN_ACTIVITY, WAITING = status_code("sick"), status_code("in_activity"), status_code("waiting")
JOB_READY, ACTIVITY_READY = status_code("job_ready"), status_code("activity_ready")


@dataclass
class CitizenState:
    """Background, latent readiness, case and labour-market state of every citizen."""

    # background (fixed)
    age: np.ndarray
    female: np.ndarray
    non_western: np.ndarray
    vocational_qualification: np.ndarray
    psychiatric_diagnosis: np.ndarray
    musculoskeletal_disorder: np.ndarray
    children: np.ndarray
    jobcentre: np.ndarray
    orientation: np.ndarray
    history_job_education_share: np.ndarray
    history_support_share: np.ndarray
    # readiness
    baseline: np.ndarray  # (citizens, indicators)
    latent: np.ndarray  # (citizens, indicators)
    # case
    exit_status: np.ndarray  # status code when off social assistance, else ON_BENEFIT
    job_ready: np.ndarray  # visitation category: True job-ready, False activity-ready
    sick_until: np.ndarray
    caseworker: np.ndarray
    meetings_with_caseworker: np.ndarray
    perceived_readiness: np.ndarray
    belief: np.ndarray
    next_meeting: np.ndarray
    last_help: np.ndarray
    caseworker_changes: np.ndarray
    benefit_weeks: np.ndarray
    off_benefit_weeks: np.ndarray
    offers: np.ndarray
    last_offer: np.ndarray
    exempt_until: np.ndarray
    programme: np.ndarray  # (citizens, 2): intervention code per slot, -1 none
    programme_end: np.ndarray  # (citizens, 2)
    queue: np.ndarray  # (citizens, 2): intervention code queued for, -1 none
    queue_since: np.ndarray  # (citizens, 2)
    job_help_until: np.ndarray  # week until which job-focused help counts as "alongside" support
    after_multiplier: np.ndarray
    after_until: np.ndarray
    # labour market
    employer: np.ndarray
    job_start: np.ndarray
    rehabilitation_end: np.ndarray
    status: np.ndarray = field(default=None)  # type: ignore[assignment]
    readiness: np.ndarray = field(default=None)  # type: ignore[assignment]
    # trust and search (set by their mechanisms; see bipsim.mechanisms.trust and bipsim.mechanisms.search)
    start_orientation: np.ndarray = field(default=None)  # type: ignore[assignment]  # orientation at week 0
    trust: np.ndarray = field(default=None)  # type: ignore[assignment]  # trust in the jobcentre, 0 to 1
    changes_seen: np.ndarray = field(default=None)  # type: ignore[assignment]  # caseworker changes trust has felt
    job_ready_seen: np.ndarray = field(default=None)  # type: ignore[assignment]  # category trust last saw
    rejections: np.ndarray = field(default=None)  # type: ignore[assignment]  # recent rejections, fading
    # who decides: True where a human caseworker (a student in class mode) makes the caseworker's decisions, so the
    # meetings, rules and interventions mechanisms leave the belief, exemption and offers to them; all False in a run
    decided_by_hand: np.ndarray = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        n = self.age.size
        if self.status is None:
            self.status = np.full(n, status_code("activity_ready"), dtype=np.int8)
        if self.start_orientation is None:
            self.start_orientation = self.orientation.copy()
        if self.trust is None:
            self.trust = np.ones(n)
        if self.changes_seen is None:
            self.changes_seen = self.caseworker_changes.copy()
        if self.job_ready_seen is None:
            self.job_ready_seen = self.job_ready.copy()
        if self.rejections is None:
            self.rejections = np.zeros(n)
        if self.decided_by_hand is None:
            self.decided_by_hand = np.zeros(n, dtype=bool)
        self.update_readiness()

    @property
    def size(self) -> int:
        return self.age.size

    def update_readiness(self) -> None:
        """Recompute the readiness composite: the weighted mean of the latent indicators."""
        self.readiness = self.latent @ READINESS_WEIGHTS

    def on_benefit(self) -> np.ndarray:
        """Mask of citizens on social assistance (any of the benefit statuses, sickness included)."""
        return self.exit_status == ON_BENEFIT


@dataclass
class CaseworkerState:
    """Caseworkers ever employed; rows are appended when replacements are hired."""

    jobcentre: np.ndarray
    style: np.ndarray
    quality: np.ndarray
    capacity: np.ndarray
    start_week: np.ndarray
    end_week: np.ndarray

    @property
    def size(self) -> int:
        return self.jobcentre.size

    def active(self) -> np.ndarray:
        return self.end_week == NEVER

    def append(self, **values: object) -> int:
        """Add one caseworker and return its index."""
        for f in fields(self):
            column = getattr(self, f.name)
            setattr(self, f.name, np.append(column, np.asarray(values[f.name], dtype=column.dtype)))
        return self.size - 1


@dataclass
class EmployerState:
    """Employers: sector, size, hiring threshold, openness to placements and wage subsidy."""

    sector: np.ndarray
    size_weight: np.ndarray
    threshold: np.ndarray
    placement_openness: np.ndarray
    subsidy_openness: np.ndarray
    home_jobcentre: np.ndarray
    learned_shift: np.ndarray = field(default=None)  # type: ignore[assignment]  # what the employer learned

    def __post_init__(self) -> None:
        if self.learned_shift is None:
            self.learned_shift = np.zeros(self.sector.size)

    @property
    def size(self) -> int:
        return self.sector.size
