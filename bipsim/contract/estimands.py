"""The estimands: which mechanism's effect a study asks about, how it is seen, and what removes it.

One table, declared once, that the analyses, the counterfactual twins, recovery, triangulation and the
app iterate over. Each estimand names

- the ``mechanism`` (scenario group) whose rule produces the effect;
- the ``exposure`` as the observed data show it (register, survey, interviews), or why they cannot;
- the ``contrast``: the scenario change that removes the mechanism in the counterfactual twin (same seed,
  so every other random number is the same and the difference between the runs is the effect);
- the ``expected_sign`` of the planted effect on getting a job.

:data:`EFFECT_OUTCOMES` lists the outcomes the analyses estimate effects on, with the scale of each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bipsim.contract.vocabulary import INTERVENTIONS, Term


@dataclass(frozen=True)
class Estimand(Term):
    """A mechanism's effect as an estimand: the mechanism, its observed exposure and its twin contrast."""

    mechanism: str = ""
    exposure: str = ""
    contrast: dict[str, dict[str, Any]] = field(default_factory=dict)
    contrast_text: str = ""
    expected_sign: str = "+"


ESTIMANDS: tuple[Estimand, ...] = (
    Estimand(
        "caseworker_change",
        "Sagsbehandlerskift",
        "Caseworker change",
        "The citizen's caseworker is replaced (the caseworker leaves or the caseload is moved).",
        mechanism="turnover",
        exposure="the register's caseworker_id differs from that of the previous register week with a caseworker",
        contrast={"turnover": {"enabled": False}},
        contrast_text="caseworkers leave and citizens are moved (turnover switched off in the twin)",
        expected_sign="-",
    ),
    Estimand(
        "caseworker_belief",
        "Sagsbehandlerens tro på job",
        "Caseworker's belief in a job",
        "The caseworker believes the citizen will have a job within a year.",
        mechanism="meetings",
        exposure="the caseworker answers 4-5 to the survey item caseworker_job_belief (carried to the next wave)",
        contrast={"meetings": {"belief_effect": 1.0}},
        contrast_text="the caseworker's belief raises job chances (belief effect set to 1 in the twin)",
        expected_sign="+",
    ),
    Estimand(
        "waiting",
        "Ventetid",
        "Waiting",
        "The citizen waits for a place on an offered activity.",
        mechanism="waiting",
        exposure="not in the register (coded as social assistance without activity) nor the survey; interviews only",
        contrast={"waiting": {"enabled": False}},
        contrast_text="limited places make citizens wait (unlimited places in the twin)",
        expected_sign="-",
    ),
    Estimand(
        "business_cycle",
        "Konjunktur",
        "Business cycle",
        "Labour demand and employers' hiring thresholds move with the business cycle.",
        mechanism="labour_market",
        exposure="no observed table holds a demand series; calendar time is confounded with duration on benefit",
        contrast={"labour_market": {"enabled": False}},
        contrast_text="demand and thresholds move with the cycle (flat demand in the twin)",
        expected_sign="+",
    ),
    *(
        Estimand(
            i.key,
            i.da,
            i.en,
            f"A completed {i.en.lower()}.",
            mechanism="interventions",
            exposure="a completed spell of the activity in the register (still on assistance the week after)",
            contrast={"interventions": {"withheld": [i.key]}},
            contrast_text=f"{i.key.replace('_', ' ')} is offered (withheld from everyone in the twin)",
            expected_sign="+",
        )
        for i in INTERVENTIONS
    ),
)
ESTIMAND_KEYS: tuple[str, ...] = tuple(e.key for e in ESTIMANDS)
EXPECTED_SIGN: dict[str, str] = {e.key: e.expected_sign for e in ESTIMANDS}


def estimand(key: str) -> Estimand:
    """The estimand called ``key``."""
    return ESTIMANDS[ESTIMAND_KEYS.index(key)]


@dataclass(frozen=True)
class EffectOutcome(Term):
    """An outcome that effects are estimated on, with the ``scale`` the estimates are reported on."""

    scale: str = ""


EFFECT_OUTCOMES: tuple[EffectOutcome, ...] = (
    EffectOutcome(
        "job_entry",
        "Jobstart",
        "Job entry",
        "Weekly transition from social assistance to an ordinary job (hazard methods).",
        scale="log_hazard_ratio",
    ),
    EffectOutcome(
        "job_1y",
        "Job inden for et år",
        "Job within a year",
        "Any ordinary-job week within 52 weeks (after the landmark week for landmark methods).",
        scale="risk_difference",
    ),
    EffectOutcome(
        "self_sufficiency_2y",
        "Selvforsørgelse over to år",
        "Self-sufficiency over two years",
        "Share of in-population weeks self-supporting within 104 weeks.",
        scale="mean_difference",
    ),
    EffectOutcome(
        "citizen_readiness",
        "Borgerens parathed",
        "Citizen's readiness",
        "Quarterly change of the citizen's mean indicator score (survey methods).",
        scale="mean_difference",
    ),
    EffectOutcome(
        "theme_prevalence",
        "Temaets udbredelse",
        "Theme prevalence",
        "Share of interviewed citizens who raise the mechanism's theme (interviews).",
        scale="share",
    ),
)
EFFECT_OUTCOME_KEYS: tuple[str, ...] = tuple(o.key for o in EFFECT_OUTCOMES)
