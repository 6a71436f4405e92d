"""The truth of a run as tidy tables: what really happened, including what no instrument can see.

Instruments (survey, register, interviews) read these tables to produce observed data; recovery compares
analyses of the observed data with them. Analyses never read them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from bipsim.contract.vocabulary import (
    CASEWORKER_STYLES,
    INDICATOR_KEYS,
    INTERVENTION_KEYS,
    ORIENTATION_KEYS,
    SECTORS,
    STATUS_KEYS,
    status_code,
)
from bipsim.engine.columns import CaseworkerState, CitizenState, EmployerState
from bipsim.engine.events import EventLog
from bipsim.engine.kernels import kernel


class Recorded(Protocol):
    """What the truth is built from: a finished run's records.

    The model is one; it is not named here, so this module, which the model imports, does not import it back.
    """

    week: int  # weeks run
    seed: Any  # an integer or a SeedSequence
    scenario: Any  # the resolved Scenario
    citizens: CitizenState
    caseworkers: CaseworkerState
    employers: EmployerState
    events: EventLog
    latent_weeks: np.ndarray  # the weeks whose latent indicators are recorded
    latent_record: np.ndarray  # (citizens, recording weeks, indicators)
    trust_record: np.ndarray  # (citizens, recording weeks): trust in the jobcentre
    orientation_record: np.ndarray  # (citizens, recording weeks): orientation codes
    market: dict[str, np.ndarray]  # weekly labour-market series by name
    network_edges: np.ndarray  # the social network's ties, one row per tie

    @property
    def record(self) -> dict[str, np.ndarray]:
        """The weekly records by name, (weeks run, citizens)."""


def _categorical(codes: np.ndarray, labels: tuple[str, ...]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=list(labels))


def _two_valued(flag: np.ndarray, if_true: str, if_false: str, labels: list[str]) -> pd.Categorical:
    """A categorical of ``if_true`` where ``flag`` else ``if_false``, built from codes (no string hashing)."""
    return pd.Categorical.from_codes(np.where(flag, labels.index(if_true), labels.index(if_false)), categories=labels)


def _nullable_ids(ids: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(ids.astype(np.int32, copy=False), ids < 0)


@dataclass
class Truth:
    """The tables of a run.

    ``citizens`` (background and hidden traits), ``weekly`` (status, activity, caseworker, employer, belief
    per citizen-week), ``latent`` (indicators per citizen, every ``records.latent_every_weeks``), ``trust`` (trust in
    the jobcentre and orientation, at the same weeks),
    ``events``, ``caseworkers``, ``employers``, ``market`` (demand per week) and ``network`` (citizen ties).
    """

    citizens: pd.DataFrame
    weekly: pd.DataFrame
    latent: pd.DataFrame
    trust: pd.DataFrame
    events: pd.DataFrame
    caseworkers: pd.DataFrame
    employers: pd.DataFrame
    market: pd.DataFrame
    network: pd.DataFrame
    scenario: dict[str, dict[str, Any]]
    seed: int | None

    @classmethod
    def from_model(cls, model: Recorded, on_table: Callable[[str, pd.DataFrame], None] | None = None) -> Truth:
        """Build the tables of a run; ``on_table(name, table)`` is called with each as soon as it is made.

        The weekly table comes first: it is by far the largest, and a bundle writer starts on it while the
        other tables are built.
        """
        tables: dict[str, pd.DataFrame] = {}

        def made(name: str, table: pd.DataFrame) -> None:
            tables[name] = table
            if on_table is not None:
                on_table(name, table)

        c = model.citizens
        n, weeks = c.size, model.week
        # (citizens, weeks) views of the records: raveled, they are the weekly table's columns, without a copy
        # when the run is complete (a table of a finished run may share memory with the model)
        rec = {k: v[:weeks].T for k, v in model.record.items()}
        # numpy allocates (large arrays get transparent huge pages), one compiled pass fills both columns
        citizen_id, week = np.empty(n * weeks, dtype=np.int32), np.empty(n * weeks, dtype=np.int32)
        _fill_citizen_weeks(citizen_id, week=week, weeks=weeks)
        activity = rec["activity"].ravel()
        made(
            "weekly",
            pd.DataFrame(
                {
                    "citizen_id": citizen_id,
                    "week": week,
                    "status": _categorical(rec["status"].ravel(), STATUS_KEYS),
                    "activity": _categorical(
                        np.where(activity < 0, len(INTERVENTION_KEYS), activity), (*INTERVENTION_KEYS, "none")
                    ),
                    "caseworker_id": _nullable_ids(rec["caseworker"].ravel()),
                    "employer_id": _nullable_ids(rec["employer"].ravel()),
                    "caseworker_belief": rec["belief"].ravel(),
                    "meetings_with_caseworker": rec["meetings_with_caseworker"].ravel(),
                },
                copy=False,  # fresh arrays, or views of the finished run's records: nothing is copied
            ),
        )
        made(
            "citizens",
            pd.DataFrame(
                {
                    "citizen_id": np.arange(n, dtype=np.int32),
                    "jobcentre": c.jobcentre.astype(np.int16),
                    "age": c.age,
                    "sex": _two_valued(c.female, "female", "male", ["female", "male"]),
                    "origin": _two_valued(
                        c.non_western, "non_western", "danish_or_western", ["danish_or_western", "non_western"]
                    ),
                    "vocational_qualification": c.vocational_qualification,
                    "psychiatric_diagnosis": c.psychiatric_diagnosis,
                    "musculoskeletal_disorder": c.musculoskeletal_disorder,
                    "children": c.children,
                    "history_job_education_share": c.history_job_education_share,
                    "history_support_share": c.history_support_share,
                    "orientation": _categorical(c.start_orientation, ORIENTATION_KEYS),
                    **{f"baseline_{k}": c.baseline[:, i].astype(np.float32) for i, k in enumerate(INDICATOR_KEYS)},
                }
            ),
        )
        recorded = int(np.count_nonzero(model.latent_weeks < weeks))  # the recording weeks are in order
        latent_weeks = model.latent_weeks[:recorded].astype(np.int32)
        latent_values = model.latent_record[:, :recorded].reshape(-1, len(INDICATOR_KEYS))
        latent = pd.DataFrame(latent_values, columns=list(INDICATOR_KEYS), copy=False)
        latent.insert(0, "week", np.tile(latent_weeks, n))
        latent.insert(0, "citizen_id", np.repeat(np.arange(n, dtype=np.int32), latent_weeks.size))
        made("latent", latent)
        made(
            "trust",
            pd.DataFrame(
                {
                    "citizen_id": latent["citizen_id"].to_numpy(),
                    "week": latent["week"].to_numpy(),
                    "trust": model.trust_record[:, :recorded].ravel(),
                    "orientation": _categorical(model.orientation_record[:, :recorded].ravel(), ORIENTATION_KEYS),
                }
            ),
        )
        made("events", model.events.to_frame())
        cw = model.caseworkers
        made(
            "caseworkers",
            pd.DataFrame(
                {
                    "caseworker_id": np.arange(cw.size, dtype=np.int32),
                    "jobcentre": cw.jobcentre,
                    "style": _categorical(cw.style, tuple(s.key for s in CASEWORKER_STYLES)),
                    "quality": cw.quality,
                    "capacity": cw.capacity,
                    "start_week": cw.start_week,
                    "end_week": _nullable_ids(np.where(cw.end_week >= weeks, -1, cw.end_week)),
                }
            ),
        )
        e = model.employers
        made(
            "employers",
            pd.DataFrame(
                {
                    "employer_id": np.arange(e.size, dtype=np.int32),
                    "sector": _categorical(e.sector, tuple(s.key for s in SECTORS)),
                    "size_weight": e.size_weight,
                    "threshold": e.threshold,
                    "placement_openness": e.placement_openness,
                    "subsidy_openness": e.subsidy_openness,
                    "home_jobcentre": e.home_jobcentre,
                }
            ),
        )
        made(
            "market",
            pd.DataFrame({"week": np.arange(weeks, dtype=np.int32), **{k: v[:weeks] for k, v in model.market.items()}}),
        )
        edges = model.network_edges
        made("network", pd.DataFrame({"citizen_id": edges[:, 0], "tie_citizen_id": edges[:, 1]}))
        seed = model.seed if isinstance(model.seed, int) else None
        return cls(**tables, scenario=model.scenario.to_dict(), seed=seed)


@kernel
def _fill_citizen_weeks(citizen_id, week, weeks):
    """Fill the citizen and week of every row of a citizen-major (citizens, weeks) panel."""
    for i in range(citizen_id.size // weeks):
        for w in range(weeks):
            citizen_id[i * weeks + w], week[i * weeks + w] = i, w


def summarise(model: Recorded) -> dict[str, float]:
    """Headline figures of a run, computed from the model's records (fast; no tables are built)."""
    status = model.record["status"][: model.week]
    weeks, n = status.shape
    in_job = np.isin(status, (status_code("job"), status_code("flexi_job")))
    job_or_education = in_job | (status == status_code("education"))
    year = min(52, weeks)
    waited = (status == status_code("waiting")).any(axis=0)
    ever_job = in_job.any(axis=0)
    first_job_week = np.where(ever_job, in_job.argmax(axis=0), weeks)
    changes = model.citizens.caseworker_changes
    return {
        "citizens": float(n),
        "weeks": float(weeks),
        "share_job_within_1_year": float(in_job[:year].any(axis=0).mean()),
        "share_job_or_education_within_1_year": float(job_or_education[:year].any(axis=0).mean()),
        "share_ever_in_job": float(ever_job.mean()),
        "share_in_job_at_end": float(in_job[-1].mean()),
        "job_entries_per_quarter": float(ever_job.sum() / max(weeks / 13, 1)),
        "median_weeks_to_first_job": float(np.median(first_job_week[ever_job])) if ever_job.any() else np.nan,
        "share_with_caseworker_change": float((changes > 0).mean()),
        "mean_caseworker_changes": float(changes.mean()),
        "share_ever_waiting": float(waited.mean()),
        "mean_weeks_waiting_per_waiter": float((status == status_code("waiting")).sum(axis=0)[waited].mean())
        if waited.any()
        else 0.0,
        "share_in_activity_weekly": float((status == status_code("in_activity")).mean()),
        "share_out_at_end": float((status[-1] == status_code("out")).mean()),
        "mean_trust_at_end": float(model.citizens.trust.mean()),
        "share_distrustful_at_end": float((model.citizens.orientation == ORIENTATION_KEYS.index("distrustful")).mean()),
    }
