"""One colour for each status, activity, event kind and register code, the same in every figure and for every citizen.

Colours are keyed by the contract's vocabulary (:mod:`bipsim.contract.vocabulary`, :mod:`bipsim.contract.codes`),
never handed out in the order things turn up: a caseworker change is the same colour for every citizen, in the
Stories tab, in Follow a citizen and in ``bipsim follow``. The hues are Okabe-Ito and Paul Tol's, which stay apart
for colour-blind readers and on a projector. A register code takes the colour of the status it records, so the
register lane and the true-status lane of one citizen can be read against each other.
"""

from __future__ import annotations

from bipsim.contract.codes import BENEFIT_CODES

UNKNOWN = "#999999"

STATUS_COLOURS: dict[str, str] = {
    "activity_ready": "#E69F00",
    "job_ready": "#56B4E9",
    "in_activity": "#009E73",
    "waiting": "#D55E00",
    "job": "#0072B2",
    "flexi_job": "#332288",
    "rehabilitation": "#8C6D31",
    "disability_pension": "#555555",
    "education": "#44AA99",
    "sick": "#CC79A7",
    "out": "#BBBBBB",
}
ACTIVITY_COLOURS: dict[str, str] = {
    "private_placement": "#0072B2",
    "public_placement": "#56B4E9",
    "wage_subsidy": "#332288",
    "skills": "#E69F00",
    "mentor": "#CC79A7",
    "health": "#009E73",
}
EVENT_COLOURS: dict[str, str] = {
    "meeting": "#777777",
    "caseworker_change": "#D55E00",
    "waiting_start": "#E69F00",
    "waiting_end": "#F0C05A",
    "intervention_start": "#009E73",
    "intervention_end": "#7FCEB8",
    "exemption": "#555555",
    "employer_contact": "#56B4E9",
    "hire": "#0072B2",
    "separation": "#CC79A7",
    "health_shock": "#882255",
    "status_change": "#AA4499",
    "orientation_change": "#DDCC77",
}
INTERVIEW_COLOUR = "#222222"
BENEFIT_COLOURS: dict[str, str] = {
    code.key: STATUS_COLOURS[code.statuses[0]] if code.statuses else "#DDCC77" for code in BENEFIT_CODES
}


def colour(kind: str, key: str) -> str:
    """The colour of ``key`` of ``kind`` (status, activity, event or benefit), grey for a key the contract lacks."""
    table = {"status": STATUS_COLOURS, "activity": ACTIVITY_COLOURS, "event": EVENT_COLOURS, "benefit": BENEFIT_COLOURS}
    return table[kind].get(key, UNKNOWN)
