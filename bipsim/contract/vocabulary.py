"""The domain's tables: indicators, statuses, orientations, interventions and event kinds.

Each table is data that the rest of bipsim iterates over, so adding an entry never needs a special case
elsewhere. Every entry carries its Danish label, English label and a one-line description; the integer
code of an entry is its position in its table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    """One progression indicator on the 1-5 scale (BIP's "progressionsindikatorer")."""

    key: str
    da: str
    en: str
    answered_by: tuple[str, ...]
    confirmed: bool
    readiness_weight: float
    description: str


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "job_search",
        "Jobsøgningsadfærd",
        "Job-search behaviour",
        ("citizen", "caseworker"),
        True,
        1.0,
        "How actively and well the citizen looks for work.",
    ),
    Indicator(
        "labour_market_knowledge",
        "Kendskab til arbejdsmarkedet",
        "Knowledge of the labour market",
        ("citizen", "caseworker"),
        True,
        1.0,
        "Knowing what jobs exist, what they require and how to approach employers.",
    ),
    Indicator(
        "health",
        "Helbred",
        "Health",
        ("citizen", "caseworker"),
        True,
        1.0,
        "Physical and mental health as it bears on working.",
    ),
    Indicator(
        "health_coping",
        "Håndtering af helbred",
        "Coping with health",
        ("citizen", "caseworker"),
        True,
        1.0,
        "Managing one's health problems so they do not stop everyday life.",
    ),
    Indicator(
        "everyday_coping",
        "Hverdagsmestring",
        "Everyday coping",
        ("citizen", "caseworker"),
        True,
        1.0,
        "Handling the tasks of everyday life: routines, housing, finances.",
    ),
    Indicator(
        "cooperation",
        "Samarbejdsevne",
        "Ability to cooperate",
        ("citizen", "caseworker"),
        True,
        1.0,
        "Working with others, keeping agreements, taking instructions.",
    ),
    Indicator(
        "goal_directedness",
        "Målrettethed",
        "Goal-directedness",
        ("citizen", "caseworker"),
        True,
        1.0,
        "Having and pursuing a goal for one's working life.",
    ),
    Indicator(
        "work_belief",
        "Tro på at kunne klare et arbejde",
        "Belief in being able to hold a job",
        ("citizen", "caseworker"),
        True,
        1.5,
        "The citizen's own belief in managing a job.",
    ),
    Indicator(
        "caseworker_job_belief",
        "Sagsbehandlerens tro på job inden for et år",
        "Caseworker's belief in a job within a year",
        ("caseworker",),
        True,
        0.0,
        "The caseworker's judgement that the citizen will be in a job within a year.",
    ),
    Indicator(
        "social_network",
        "Netværk og støtte",
        "Network and support",
        ("citizen", "caseworker"),
        False,
        0.5,
        "Modelling assumption: support from family, friends and others.",
    ),
    Indicator(
        "coherence_progress",
        "Sammenhæng og fremdrift i indsatsen",
        "Coherence and progress of the effort",
        ("citizen",),
        False,
        0.0,
        "Modelling assumption: whether the citizen experiences the effort as coherent and moving.",
    ),
)
INDICATOR_KEYS: tuple[str, ...] = tuple(i.key for i in INDICATORS)


def indicator_index(key: str) -> int:
    """Column of indicator ``key`` in the model's latent-indicator matrix."""
    return INDICATOR_KEYS.index(key)


@dataclass(frozen=True)
class Term:
    """A coded value with its Danish and English labels."""

    key: str
    da: str
    en: str
    description: str


@dataclass(frozen=True)
class Status(Term):
    """A weekly status; ``on_benefit`` marks public support, ``searching`` those looking for work."""

    on_benefit: bool = True
    searching: bool = False


STATUSES: tuple[Status, ...] = (
    Status(
        "activity_ready",
        "Aktivitetsparat",
        "Activity-ready",
        "On social assistance, judged not ready for a job, not in an activity this week.",
        True,
        True,
    ),
    Status(
        "job_ready",
        "Jobparat",
        "Job-ready",
        "On social assistance, judged ready for a job, not in an activity this week.",
        True,
        True,
    ),
    Status(
        "in_activity",
        "I aktivitet",
        "In an activity",
        "On social assistance and taking part in an intervention this week.",
        True,
        True,
    ),
    Status("waiting", "Venter", "Waiting", "On social assistance, queued for an intervention.", True, True),
    Status("job", "Ordinært job", "Ordinary job", "Self-supporting in an ordinary job.", False, False),
    Status("flexi_job", "Fleksjob", "Flexi-job", "In a subsidised job for people with reduced capacity.", True, False),
    Status(
        "rehabilitation",
        "Ressourceforløb",
        "Rehabilitation programme",
        "In a long, coordinated programme for citizens with complex problems.",
        True,
        False,
    ),
    Status(
        "disability_pension", "Førtidspension", "Disability pension", "Permanently on disability pension.", True, False
    ),
    Status("education", "Uddannelse", "Education", "In ordinary education.", False, False),
    Status("sick", "Syg", "Sick", "On benefit but temporarily unable to take part because of illness.", True, False),
    Status(
        "out",
        "Ude af populationen",
        "Out of the population",
        "Moved away, died or otherwise left the study population.",
        False,
        False,
    ),
)
STATUS_KEYS: tuple[str, ...] = tuple(s.key for s in STATUSES)


def status_code(key: str) -> int:
    """Integer code of status ``key``."""
    return STATUS_KEYS.index(key)


ORIENTATIONS: tuple[Term, ...] = (
    Term("work_first", "Arbejde først", "Work-first", "Wants a job now; sees help as a route to work."),
    Term("health_first", "Helbred først", "Health-first", "Wants health to be dealt with before work."),
    Term("education_oriented", "Uddannelsesorienteret", "Education-oriented", "Sees education as the way forward."),
    Term("resigned", "Opgivende", "Resigned", "Has given up expecting anything to change."),
    Term(
        "distrustful",
        "Mistillid til systemet",
        "Distrustful of the system",
        "Expects the jobcentre to control rather than help.",
    ),
)
ORIENTATION_KEYS: tuple[str, ...] = tuple(o.key for o in ORIENTATIONS)


@dataclass(frozen=True)
class Intervention(Term):
    """An intervention type.

    ``kind`` is job_focused or support, ``effects`` weights the weekly indicator gains, ``place_share`` is
    its share of a jobcentre's places.
    """

    kind: str = "support"
    duration_weeks: int = 13
    effects: tuple[tuple[str, float], ...] = ()
    employer_based: bool = False
    place_share: float = 1 / 6


INTERVENTIONS: tuple[Intervention, ...] = (
    Intervention(
        "private_placement",
        "Virksomhedspraktik (privat)",
        "Work placement (private)",
        "Unpaid placement at a private employer.",
        "job_focused",
        13,
        (("work_belief", 1.0), ("labour_market_knowledge", 1.0), ("job_search", 0.6), ("cooperation", 0.4)),
        True,
        place_share=0.10,
    ),
    Intervention(
        "public_placement",
        "Virksomhedspraktik (offentlig)",
        "Work placement (public)",
        "Unpaid placement at a public employer.",
        "job_focused",
        13,
        (("work_belief", 0.8), ("labour_market_knowledge", 0.8), ("cooperation", 0.5)),
        True,
        place_share=0.25,
    ),
    Intervention(
        "wage_subsidy",
        "Løntilskud",
        "Wage-subsidised job",
        "A job where the state pays part of the wage.",
        "job_focused",
        26,
        (("work_belief", 1.0), ("labour_market_knowledge", 0.8), ("cooperation", 0.5)),
        True,
        place_share=0.05,
    ),
    Intervention(
        "skills",
        "Opkvalificering",
        "Skills course",
        "Courses in basic or vocational skills.",
        "support",
        13,
        (("labour_market_knowledge", 0.8), ("goal_directedness", 0.6), ("job_search", 0.4)),
        place_share=0.10,
    ),
    Intervention(
        "mentor",
        "Mentor og social støtte",
        "Mentor and social support",
        "A mentor or social worker helps with everyday life.",
        "support",
        26,
        (("everyday_coping", 1.0), ("cooperation", 0.6), ("social_network", 0.6)),
        place_share=0.25,
    ),
    Intervention(
        "health",
        "Sundhedsindsats",
        "Health intervention",
        "Treatment, physiotherapy or psychological help.",
        "support",
        13,
        (("health", 0.8), ("health_coping", 1.0)),
        place_share=0.25,
    ),
)
INTERVENTION_KEYS: tuple[str, ...] = tuple(i.key for i in INTERVENTIONS)
JOB_FOCUSED: tuple[int, ...] = tuple(k for k, i in enumerate(INTERVENTIONS) if i.kind == "job_focused")
SUPPORT: tuple[int, ...] = tuple(k for k, i in enumerate(INTERVENTIONS) if i.kind == "support")

# How strongly each orientation responds to each kind of intervention (1 = as planted). The scenario's
# ``interventions.orientation_heterogeneity`` scales the deviation from 1, so 0 makes everyone alike.
ORIENTATION_RESPONSE: dict[str, dict[str, float]] = {
    "work_first": {"job_focused": 1.5, "support": 0.6},
    "health_first": {"job_focused": 0.4, "support": 1.4},
    "education_oriented": {"job_focused": 0.8, "support": 1.3},
    "resigned": {"job_focused": 0.6, "support": 0.6},
    "distrustful": {"job_focused": 0.9, "support": 0.5},
}

CASEWORKER_STYLES: tuple[Term, ...] = (
    Term("job_focused", "Jobfokuseret", "Job-focused", "Talks about work and employers at every meeting."),
    Term("supportive", "Støttende", "Supportive", "Builds the relationship and deals with problems first."),
    Term("administrative", "Administrativ", "Administrative", "Keeps the case compliant; meetings are brief."),
)

SECTORS: tuple[Term, ...] = (
    Term("industry", "Industri", "Manufacturing", "Factories and production."),
    Term("construction", "Bygge og anlæg", "Construction", "Building and civil works."),
    Term("retail", "Handel", "Retail", "Shops and wholesale."),
    Term("hospitality", "Hotel og restauration", "Hospitality", "Hotels, restaurants and catering."),
    Term("care", "Pleje og omsorg", "Care", "Elderly care, childcare and cleaning, mostly public."),
    Term("transport", "Transport", "Transport", "Transport, logistics and warehousing."),
    Term("office", "Kontor og service", "Office and services", "Offices and business services."),
)

EVENT_KINDS: tuple[Term, ...] = (
    Term("meeting", "Samtale", "Meeting", "A meeting between the citizen and the caseworker."),
    Term(
        "caseworker_change", "Sagsbehandlerskift", "Caseworker change", "The citizen got a new responsible caseworker."
    ),
    Term("waiting_start", "Venteliste start", "Waiting starts", "The citizen was put in a queue."),
    Term("waiting_end", "Venteliste slut", "Waiting ends", "The citizen left the queue."),
    Term("intervention_start", "Indsats start", "Intervention starts", "An intervention began."),
    Term("intervention_end", "Indsats slut", "Intervention ends", "An intervention was completed."),
    Term(
        "exemption", "Fritagelse", "Exempted from contact", "The citizen was exempted from contact with the jobcentre."
    ),
    Term(
        "employer_contact",
        "Arbejdsgiverkontakt",
        "Employer contact",
        "The citizen was in contact with an employer about a job (value 1 when hired).",
    ),
    Term("hire", "Ansættelse", "Hired", "The citizen was hired in an ordinary job."),
    Term("separation", "Jobophør", "Job ends", "The citizen lost or left the job."),
    Term("health_shock", "Helbredsforværring", "Health shock", "A sudden deterioration of health."),
    Term("status_change", "Statusskift", "Status change", "The citizen's weekly status changed."),
    Term(
        "orientation_change",
        "Orienteringsskift",
        "Orientation changes",
        "The citizen's orientation changed: trust lost turned it distrustful or resigned, a good placement turned "
        "it back to work.",
    ),
)
EVENT_KEYS: tuple[str, ...] = tuple(e.key for e in EVENT_KINDS)


def code_table(terms: tuple[Term, ...]) -> list[dict[str, object]]:
    """Rows ``code, key, da, en, description`` of a table, for data dictionaries and code tables."""
    return [
        {"code": code, "key": t.key, "da": t.da, "en": t.en, "description": t.description}
        for code, t in enumerate(terms)
    ]
