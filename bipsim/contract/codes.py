"""Code lists of the observed data: register benefit codes and the survey's respondents and scale.

These are part of the data contract: the register, the analyses and the bundle's code tables read them
from here, and real data of the documented shape uses the same codes. Each entry has a Danish and an
English label.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from bipsim.contract.vocabulary import Term


@dataclass(frozen=True)
class BenefitCode(Term):
    """A register code: ``statuses`` it records, whether it is self-supporting and in the population."""

    self_supporting: bool = False
    in_population: bool = True
    statuses: tuple[str, ...] = ()


BENEFIT_CODES: tuple[BenefitCode, ...] = (
    BenefitCode(
        "kh_activity_ready",
        "Kontanthjælp, aktivitetsparat",
        "Social assistance, activity-ready",
        "Social assistance for a citizen judged not ready for a job.",
        statuses=("activity_ready",),
    ),
    BenefitCode(
        "kh_job_ready",
        "Kontanthjælp, jobparat",
        "Social assistance, job-ready",
        "Social assistance for a citizen judged ready for a job.",
        statuses=("job_ready",),
    ),
    BenefitCode(
        "rehabilitation",
        "Ressourceforløbsydelse",
        "Rehabilitation programme benefit",
        "Benefit during a rehabilitation programme (ressourceforløb).",
        statuses=("rehabilitation",),
    ),
    BenefitCode(
        "sickness_benefit",
        "Sygedagpenge",
        "Sickness benefit",
        "Benefit while temporarily unable to work or take part because of illness.",
        statuses=("sick",),
    ),
    BenefitCode(
        "flexi_job",
        "Fleksjob",
        "Flexi-job",
        "A subsidised job for people with reduced capacity.",
        statuses=("flexi_job",),
    ),
    BenefitCode(
        "disability_pension",
        "Førtidspension",
        "Disability pension",
        "Permanent disability pension.",
        statuses=("disability_pension",),
    ),
    BenefitCode(
        "education",
        "Uddannelse",
        "Education",
        "In ordinary education, no public benefit.",
        True,
        statuses=("education",),
    ),
    BenefitCode(
        "ordinary_job", "Ordinært job", "Ordinary job", "Self-supporting in an ordinary job.", True, statuses=("job",)
    ),
    BenefitCode(
        "other_self_supporting",
        "Anden selvforsørgelse",
        "Other self-supporting",
        "No public benefit and no register-known job or education.",
        True,
    ),
    BenefitCode(
        "out",
        "Ude af populationen",
        "Out of the population",
        "Emigrated, died or otherwise not in the register's population.",
        in_population=False,
        statuses=("out",),
    ),
)
BENEFIT_KEYS: tuple[str, ...] = tuple(b.key for b in BENEFIT_CODES)
CATEGORY_STATUSES: tuple[str, ...] = ("in_activity", "waiting")  # coded as social assistance of the category
BACKGROUND_COLUMNS: tuple[str, ...] = (
    "citizen_id",
    "jobcentre",
    "age",
    "sex",
    "origin",
    "vocational_qualification",
    "psychiatric_diagnosis",
    "musculoskeletal_disorder",
    "children",
)

SELF_SUPPORTING = np.array([b.self_supporting for b in BENEFIT_CODES])
IN_POPULATION = np.array([b.in_population for b in BENEFIT_CODES])
PUBLIC_SUPPORT = tuple(int(k) for k in np.flatnonzero(~SELF_SUPPORTING & IN_POPULATION))  # codes of benefit weeks
KH_ACTIVITY_READY, KH_JOB_READY = BENEFIT_KEYS.index("kh_activity_ready"), BENEFIT_KEYS.index("kh_job_ready")
BY_CATEGORY = -1


def benefit_code(key: str) -> int:
    """Integer code of benefit code ``key``."""
    return BENEFIT_KEYS.index(key)


RESPONDENT_TERMS: tuple[Term, ...] = (
    Term("citizen", "Borger", "Citizen", "The citizen answers about themself."),
    Term("caseworker", "Sagsbehandler", "Caseworker", "The citizen's caseworker answers about the citizen."),
)
RESPONDENTS: tuple[str, ...] = tuple(t.key for t in RESPONDENT_TERMS)
SCALE = (1, 5)  # every survey item is answered on 1-5


def benefit_code_table() -> pd.DataFrame:
    """Return the benefit codes as a table, for the bundle's code tables."""
    by_category = ", ".join(CATEGORY_STATUSES)
    return pd.DataFrame(
        [
            {
                "code": i,
                "key": b.key,
                "da": b.da,
                "en": b.en,
                "description": b.description,
                "self_supporting": b.self_supporting,
                "in_population": b.in_population,
                "statuses": ", ".join(b.statuses),
                "statuses_by_category": by_category if i in (KH_ACTIVITY_READY, KH_JOB_READY) else "",
            }
            for i, b in enumerate(BENEFIT_CODES)
        ]
    )
