"""The qualitative study's codes: interview themes and the narrative templates that voice them.

A theme is raised in an interview when its evidence occurred to the citizen since the last interview:
events of the listed ``events`` kinds (restricted to ``details`` and ``value`` where given), or a
``derived`` condition read from the truth (a fall in coping, weeks without any help). The narrative templates
that voice the themes belong to the interviews (:mod:`bipsim.instruments.interviews`).
"""

from __future__ import annotations

from dataclasses import dataclass

from bipsim.contract.vocabulary import INTERVENTIONS, JOB_FOCUSED, SUPPORT, Term

THEME_GROUPS: tuple[Term, ...] = (
    Term("individual", "Individuelle barrierer", "Individual barriers", "Health and coping with everyday life."),
    Term(
        "institutional",
        "Institutionelle forhold",
        "Institutional conditions",
        "Meetings, waiting, caseworker changes, decisions and offers of the system.",
    ),
    Term(
        "labour_market",
        "Arbejdsmarkedserfaringer",
        "Labour-market experiences",
        "Placements, contacts with employers, jobs and job loss.",
    ),
    Term("other", "Andet", "Other", "Nothing new since the last interview."),
)


@dataclass(frozen=True)
class Theme(Term):
    """An interview theme: its ``group`` and the evidence that raises it."""

    group: str = "other"
    events: tuple[str, ...] = ()
    details: tuple[str, ...] = ()
    value: float | None = None
    derived: str = ""


JOB_FOCUSED_KEYS = tuple(INTERVENTIONS[k].key for k in JOB_FOCUSED)
SUPPORT_KEYS = tuple(INTERVENTIONS[k].key for k in SUPPORT)
NEW_TRACKS = ("rehabilitation", "flexi_job", "disability_pension", "education")

THEMES: tuple[Theme, ...] = (
    Theme(
        "health",
        "Helbred",
        "Health",
        "A health shock since the last interview.",
        "individual",
        events=("health_shock",),
    ),
    Theme(
        "coping",
        "Mestring",
        "Coping",
        "Everyday or health coping fell noticeably since the last interview.",
        "individual",
        derived="coping",
    ),
    Theme("meeting", "Samtaler", "Meetings", "Meetings with the caseworker.", "institutional", events=("meeting",)),
    Theme(
        "caseworker_change",
        "Sagsbehandlerskift",
        "Caseworker change",
        "The citizen got a new caseworker.",
        "institutional",
        events=("caseworker_change",),
    ),
    Theme(
        "waiting",
        "Ventetid",
        "Waiting",
        "The citizen was put in a queue for an intervention.",
        "institutional",
        events=("waiting_start",),
    ),
    Theme(
        "exemption",
        "Uigennemsigtig afgørelse / fritagelse",
        "Opaque decision / exemption",
        "The citizen was exempted from contact.",
        "institutional",
        events=("exemption",),
    ),
    Theme(
        "standstill",
        "Stilstand",
        "Standstill",
        "On social assistance with no meeting and no intervention since the last interview.",
        "institutional",
        derived="standstill",
    ),
    Theme(
        "activity",
        "Støttende tilbud",
        "Support offer",
        "A skills, mentor or health intervention started.",
        "institutional",
        events=("intervention_start",),
        details=SUPPORT_KEYS,
    ),
    Theme(
        "placement",
        "Praktik og løntilskud",
        "Placement",
        "A work placement or wage-subsidised job started.",
        "labour_market",
        events=("intervention_start",),
        details=JOB_FOCUSED_KEYS,
    ),
    Theme(
        "employer_contact",
        "Arbejdsgiverkontakt",
        "Employer contact",
        "Contacts with employers that did not lead to a hire.",
        "labour_market",
        events=("employer_contact",),
        value=0.0,
    ),
    Theme("job", "Job", "Job", "The citizen was hired in an ordinary job.", "labour_market", events=("hire",)),
    Theme("job_loss", "Jobophør", "Job loss", "The citizen's job ended.", "labour_market", events=("separation",)),
    Theme(
        "new_track",
        "Nyt forløb",
        "New track",
        "The case moved to rehabilitation, flexi-job, disability pension or education.",
        "institutional",
        events=("status_change",),
        details=NEW_TRACKS,
    ),
    Theme(
        "no_change",
        "Intet nyt",
        "Nothing new",
        "None of the other themes since the last interview.",
        "other",
        derived="fallback",
    ),
)
THEME_KEYS: tuple[str, ...] = tuple(t.key for t in THEMES)

EMPLOYER_THEMES: tuple[Theme, ...] = (
    Theme(
        "placement_host",
        "Praktikvært",
        "Placement host",
        "Took citizens in placements or wage subsidy.",
        "labour_market",
        events=("intervention_start",),
        details=JOB_FOCUSED_KEYS,
    ),
    Theme("hired", "Ansættelse", "Hired", "Hired citizens in ordinary jobs.", "labour_market", events=("hire",)),
    Theme(
        "separation",
        "Ansættelse ophørt",
        "Hire ended",
        "A hired citizen's job ended.",
        "labour_market",
        events=("separation",),
    ),
)
EMPLOYER_THEME_KEYS: tuple[str, ...] = tuple(t.key for t in EMPLOYER_THEMES)
EMPLOYER_STANCES: tuple[Term, ...] = (
    Term("open", "Åben", "Open", "Placement openness above the median of employers."),
    Term("cautious", "Forsigtig", "Cautious", "Placement openness at or below the median of employers."),
)
LANGUAGES: tuple[str, ...] = ("da", "en")


def theme_table() -> list[dict[str, object]]:
    """Rows describing every citizen and employer theme, for the bundle's code tables."""
    rows: list[dict[str, object]] = []
    for study, table in (("citizen", THEMES), ("employer", EMPLOYER_THEMES)):
        for code, t in enumerate(table):
            rows.append(
                {
                    "study": study,
                    "code": code,
                    "key": t.key,
                    "group": t.group,
                    "da": t.da,
                    "en": t.en,
                    "description": t.description,
                    "evidence": ", ".join(t.events) or t.derived,
                }
            )
    return rows
