"""The qualitative study's codebook: descriptive and interpretive codes of the interviews, as data.

A **descriptive** code names what happened in the citizen's case since the last interview (a meeting, a wait,
a new caseworker, a placement, a job...). Its ``events`` (restricted to ``details`` and ``value`` where given)
or its ``derived`` condition say which events of the truth make it *happen*; whether the citizen *tells* it is
the interview's business (recall, silence: :mod:`bipsim.instruments.narratives`). An **interpretive** code
names what the citizen makes of it: being heard or controlled, help that helped or was pointless, time lost,
belief in work or giving up, and where the citizen locates what holds them back (in themself or in the
system). No event raises an interpretive code; the citizen's answer does.

Codes have no barrier group. Whether a citizen's barriers are individual or institutional is an analysis
result (:mod:`bipsim.analysis.relational`), read from what the citizen says; :data:`THEME_GROUPS` names the
answers that analysis can give.
"""

from __future__ import annotations

from dataclasses import dataclass

from bipsim.contract.vocabulary import INTERVENTIONS, JOB_FOCUSED, ORIENTATIONS, SUPPORT, Term

CODE_KINDS: tuple[Term, ...] = (
    Term("descriptive", "Beskrivende koder", "Descriptive codes", "What happened in the case since last time."),
    Term("interpretive", "Fortolkende koder", "Interpretive codes", "What the citizen makes of what happened."),
)

THEME_GROUPS: tuple[Term, ...] = (
    Term("individual", "Individuelle barrierer", "Individual barriers", "The citizen mostly locates them in themself."),
    Term(
        "institutional",
        "Institutionelle barrierer",
        "Institutional barriers",
        "The citizen mostly locates barriers in the system: rules, waiting, caseworkers, offers.",
    ),
    Term("balanced", "Begge dele", "Both", "The citizen locates barriers in themself and in the system alike."),
    Term(
        "labour_market",
        "Arbejdsmarkedserfaringer",
        "Labour-market experiences",
        "Placements, contacts with employers, jobs and job loss told (counted beside the barriers).",
    ),
    Term("none", "Ingen barrierer nævnt", "No barrier named", "The citizen locates no barrier in the interviews."),
)
"""Where a citizen locates their barriers: the categories of the barrier analysis, not of the codebook."""


@dataclass(frozen=True)
class Theme(Term):
    """A code of the codebook.

    ``kind`` is descriptive or interpretive, ``description_da`` the Danish definition, and ``events``,
    ``details``, ``value`` and ``derived`` the evidence that makes a descriptive code happen.
    """

    kind: str = "descriptive"
    description_da: str = ""
    events: tuple[str, ...] = ()
    details: tuple[str, ...] = ()
    value: float | None = None
    derived: str = ""


JOB_FOCUSED_KEYS = tuple(INTERVENTIONS[k].key for k in JOB_FOCUSED)
SUPPORT_KEYS = tuple(INTERVENTIONS[k].key for k in SUPPORT)
NEW_TRACKS = ("rehabilitation", "flexi_job", "disability_pension", "education")


def _d(key: str, da: str, en: str, definition: str, definition_da: str, **evidence: object) -> Theme:
    return Theme(key, da, en, definition, "descriptive", definition_da, **evidence)  # type: ignore[arg-type]


def _i(key: str, da: str, en: str, definition: str, definition_da: str) -> Theme:
    return Theme(key, da, en, definition, "interpretive", definition_da)


DESCRIPTIVE: tuple[Theme, ...] = (
    _d(
        "health",
        "Helbred",
        "Health",
        "The citizen tells of a setback in their health since the last interview.",
        "Borgeren fortæller om et tilbageslag i helbredet siden sidste interview.",
        events=("health_shock",),
    ),
    _d(
        "coping",
        "Mestring",
        "Coping",
        "The citizen tells that everyday life or living with their illness has become harder.",
        "Borgeren fortæller, at hverdagen eller livet med sygdommen er blevet sværere.",
        derived="coping",
    ),
    _d(
        "meeting",
        "Samtaler",
        "Meetings",
        "The citizen tells of meetings with the caseworker.",
        "Borgeren fortæller om samtaler med sagsbehandleren.",
        events=("meeting",),
    ),
    _d(
        "caseworker_change",
        "Sagsbehandlerskift",
        "Caseworker change",
        "The citizen tells that they got a new caseworker.",
        "Borgeren fortæller, at de har fået ny sagsbehandler.",
        events=("caseworker_change",),
    ),
    _d(
        "waiting",
        "Ventetid",
        "Waiting",
        "The citizen tells of waiting for an offer or an activity to start.",
        "Borgeren fortæller om at vente på et tilbud eller på at en aktivitet starter.",
        events=("waiting_start",),
    ),
    _d(
        "exemption",
        "Fritagelse",
        "Exemption",
        "The citizen tells of a decision to exempt them from contact or activity.",
        "Borgeren fortæller om en afgørelse om fritagelse for kontakt eller aktivitet.",
        events=("exemption",),
    ),
    _d(
        "standstill",
        "Stilstand",
        "Standstill",
        "The citizen tells that nothing happened in their case: no meeting, no offer.",
        "Borgeren fortæller, at der intet skete i sagen: ingen samtale, intet tilbud.",
        derived="standstill",
    ),
    _d(
        "activity",
        "Støttende tilbud",
        "Support offer",
        "The citizen tells of a skills, mentor or health offer.",
        "Borgeren fortæller om et opkvalificerings-, mentor- eller sundhedstilbud.",
        events=("intervention_start",),
        details=SUPPORT_KEYS,
    ),
    _d(
        "placement",
        "Praktik og løntilskud",
        "Placement",
        "The citizen tells of a work placement or a wage-subsidised job.",
        "Borgeren fortæller om virksomhedspraktik eller løntilskud.",
        events=("intervention_start",),
        details=JOB_FOCUSED_KEYS,
    ),
    _d(
        "employer_contact",
        "Arbejdsgiverkontakt",
        "Employer contact",
        "The citizen tells of contacts with employers that did not lead to a job.",
        "Borgeren fortæller om kontakt til arbejdsgivere, der ikke førte til job.",
        events=("employer_contact",),
        value=0.0,
    ),
    _d(
        "job",
        "Job",
        "Job",
        "The citizen tells that they got an ordinary job.",
        "Borgeren fortæller, at de har fået et ordinært job.",
        events=("hire",),
    ),
    _d(
        "job_loss",
        "Jobophør",
        "Job loss",
        "The citizen tells that their job ended.",
        "Borgeren fortæller, at deres job er ophørt.",
        events=("separation",),
    ),
    _d(
        "new_track",
        "Nyt forløb",
        "New track",
        "The citizen tells that their case moved to rehabilitation, flexi-job, disability pension or education.",
        "Borgeren fortæller, at sagen er overgået til ressourceforløb, fleksjob, førtidspension eller uddannelse.",
        events=("status_change",),
        details=NEW_TRACKS,
    ),
    _d(
        "no_change",
        "Intet nyt",
        "Nothing new",
        "The citizen tells that nothing in particular has happened since the last interview.",
        "Borgeren fortæller, at der ikke er sket noget særligt siden sidste interview.",
        derived="fallback",
    ),
)

INTERPRETIVE: tuple[Theme, ...] = (
    _i(
        "recognition",
        "Anerkendelse",
        "Being heard",
        "The citizen describes being listened to, understood or taken seriously.",
        "Borgeren beskriver at blive lyttet til, forstået eller taget alvorligt.",
    ),
    _i(
        "control",
        "Kontrol",
        "Being controlled",
        "The citizen describes contact with the system as checking, demands or threat rather than help.",
        "Borgeren beskriver kontakten med systemet som kontrol, krav eller trussel snarere end hjælp.",
    ),
    _i(
        "helped",
        "Det hjalp",
        "It helped",
        "The citizen says an offer or placement moved them forward or made sense for them.",
        "Borgeren siger, at et tilbud eller en praktik bragte dem videre eller gav mening for dem.",
    ),
    _i(
        "pointless",
        "Meningsløst",
        "Pointless",
        "The citizen says an offer, placement or meeting made no sense for them or led nowhere.",
        "Borgeren siger, at et tilbud, en praktik eller en samtale ikke gav mening eller ikke førte nogen steder hen.",
    ),
    _i(
        "lost_time",
        "Spildt tid",
        "Lost time",
        "The citizen tells waiting, starting over or standing still as time lost.",
        "Borgeren fortæller om ventetid, at starte forfra eller stilstand som tabt tid.",
    ),
    _i(
        "hope",
        "Tro på arbejde",
        "Belief in work",
        "The citizen says they believe they can get or keep a job.",
        "Borgeren siger, at de tror på at kunne få eller beholde et arbejde.",
    ),
    _i(
        "resignation",
        "Opgivelse",
        "Giving up",
        "The citizen says they do not expect to work or that nothing will change.",
        "Borgeren siger, at de ikke forventer at komme i arbejde, eller at intet vil ændre sig.",
    ),
    _i(
        "self_attribution",
        "Barrieren hos mig selv",
        "Barrier in myself",
        "The citizen locates what holds them back in themself: health, strength, skills.",
        "Borgeren placerer det, der holder dem tilbage, hos sig selv: helbred, kræfter, kompetencer.",
    ),
    _i(
        "system_attribution",
        "Barrieren i systemet",
        "Barrier in the system",
        "The citizen locates what holds them back in the system: rules, waiting, caseworkers, offers.",
        "Borgeren placerer det, der holder dem tilbage, i systemet: regler, ventetid, sagsbehandlere, tilbud.",
    ),
)

ORIENTATION_CODES: tuple[Theme, ...] = tuple(
    _i(
        o.key,
        o.da,
        o.en,
        f"How the citizen describes what they want from help: {o.description[:1].lower()}{o.description[1:]}",
        f"Hvordan borgeren beskriver, hvad de vil med hjælpen: {o.da.lower()}.",
    )
    for o in ORIENTATIONS
)
"""Interpretive codes of the citizen's orientation as they tell it (the researcher's typology of citizens)."""
INTERPRETIVE = (*INTERPRETIVE, *ORIENTATION_CODES)

THEMES: tuple[Theme, ...] = (*DESCRIPTIVE, *INTERPRETIVE)
"""The citizen interviews' codebook: every descriptive code, then every interpretive one."""
THEME_KEYS: tuple[str, ...] = tuple(t.key for t in THEMES)
DESCRIPTIVE_KEYS: tuple[str, ...] = tuple(t.key for t in DESCRIPTIVE)
INTERPRETIVE_KEYS: tuple[str, ...] = tuple(t.key for t in INTERPRETIVE)

EMPLOYER_THEMES: tuple[Theme, ...] = (
    Theme(
        "placement_host",
        "Praktikvært",
        "Placement host",
        "Took citizens in placements or wage subsidy.",
        events=("intervention_start",),
        details=JOB_FOCUSED_KEYS,
    ),
    Theme("hired", "Ansættelse", "Hired", "Hired citizens in ordinary jobs.", events=("hire",)),
    Theme("separation", "Ansættelse ophørt", "Hire ended", "A hired citizen's job ended.", events=("separation",)),
)
EMPLOYER_THEME_KEYS: tuple[str, ...] = tuple(t.key for t in EMPLOYER_THEMES)
EMPLOYER_STANCES: tuple[Term, ...] = (
    Term("open", "Åben", "Open", "Placement openness above the median of employers, and no hire that failed early."),
    Term(
        "cautious",
        "Forsigtig",
        "Cautious",
        "Placement openness at or below the median of employers, or a hire from the jobcentre that ended within "
        "13 weeks (more hesitant next time).",
    ),
)
LANGUAGES: tuple[str, ...] = ("da", "en")

SPOKEN_INTERVENTIONS: dict[str, dict[str, str]] = {
    "private_placement": {"da": "en praktik i en privat virksomhed", "en": "a placement at a private firm"},
    "public_placement": {"da": "en praktik i kommunen", "en": "a placement at the municipality"},
    "wage_subsidy": {"da": "et job med løntilskud", "en": "a wage-subsidised job"},
    "skills": {"da": "et kursus", "en": "a course"},
    "mentor": {"da": "en mentor", "en": "a mentor"},
    "health": {"da": "et sundhedsforløb", "en": "a health programme"},
}
"""How citizens name the interventions in interviews (not the register's labels)."""


def theme_table() -> list[dict[str, object]]:
    """Rows describing every citizen and employer code, for the bundle's code tables."""
    rows: list[dict[str, object]] = []
    for study, table in (("citizen", THEMES), ("employer", EMPLOYER_THEMES)):
        for code, t in enumerate(table):
            rows.append(
                {
                    "study": study,
                    "code": code,
                    "key": t.key,
                    "kind": t.kind,
                    "da": t.da,
                    "en": t.en,
                    "description": t.description,
                    "description_da": t.description_da,
                    "evidence": ", ".join(t.events) or t.derived,
                }
            )
    return rows
