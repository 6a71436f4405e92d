"""The headline outcomes of a run: what ``bipsim run``, ``compare``, ``sweep``, ``sensitivity`` and the app report.

Declared once, with Danish and English labels, the unit and how each is summarised from a run's weekly
statuses; :func:`bipsim.model.truth.summarise` computes them in this order, and the command line and the app
iterate over this table instead of keeping lists of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from bipsim.contract.vocabulary import Term


@dataclass(frozen=True)
class Outcome(Term):
    """A headline outcome: its ``unit``, whether it is a ``headline`` of ``bipsim sweep`` and shown in the app."""

    unit: str = "share of citizens"
    headline: bool = False
    in_app: bool = False
    size: bool = False  # the run's size (citizens, weeks), not an outcome to compare


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("citizens", "Borgere", "Citizens", "Citizens in the cohort.", unit="citizens", size=True),
    Outcome("weeks", "Uger", "Weeks", "Weeks simulated.", unit="weeks", size=True),
    Outcome(
        "share_job_within_1_year",
        "I job inden for et år",
        "In a job within a year",
        "Share of citizens in an ordinary or flexi-job at some week of the first 52.",
        headline=True,
        in_app=True,
    ),
    Outcome(
        "share_job_or_education_within_1_year",
        "I job eller uddannelse inden for et år",
        "In a job or education within a year",
        "Share of citizens in a job or in education at some week of the first 52.",
    ),
    Outcome(
        "share_ever_in_job",
        "Nogensinde i job",
        "Ever in a job",
        "Share of citizens in a job at some week of the run.",
        in_app=True,
    ),
    Outcome(
        "share_in_job_at_end",
        "I job ved slutningen",
        "In a job at the end",
        "Share of citizens in a job in the last week.",
        in_app=True,
    ),
    Outcome(
        "job_entries_per_quarter",
        "Jobstarter pr. kvartal",
        "Job entries per quarter",
        "Citizens ever in a job, divided by the run's length in quarters (13 weeks).",
        unit="citizens per quarter",
    ),
    Outcome(
        "median_weeks_to_first_job",
        "Median uger til første job",
        "Median weeks to first job",
        "Median week of the first job among citizens who got one.",
        unit="weeks",
    ),
    Outcome(
        "share_with_caseworker_change",
        "Havde sagsbehandlerskift",
        "Had a caseworker change",
        "Share of citizens with at least one caseworker change.",
        headline=True,
        in_app=True,
    ),
    Outcome(
        "mean_caseworker_changes",
        "Sagsbehandlerskift pr. borger",
        "Caseworker changes per citizen",
        "Mean number of caseworker changes per citizen.",
        unit="changes per citizen",
    ),
    Outcome(
        "share_ever_waiting",
        "Ventede nogensinde",
        "Ever waited",
        "Share of citizens who waited for a place at some week.",
        headline=True,
        in_app=True,
    ),
    Outcome(
        "mean_weeks_waiting_per_waiter",
        "Ventetid pr. ventende (uger)",
        "Weeks waiting per waiter",
        "Mean weeks spent waiting among citizens who waited (0 when nobody did).",
        unit="weeks",
        in_app=True,
    ),
    Outcome(
        "share_in_activity_weekly",
        "Andel i aktivitet pr. uge",
        "Share in an activity, weekly",
        "Share of citizen-weeks spent in an activity.",
        unit="share of citizen-weeks",
    ),
    Outcome(
        "share_out_at_end",
        "Ude af populationen ved slutningen",
        "Out of the population at the end",
        "Share of citizens out of the population (moved, died) in the last week.",
    ),
    Outcome(
        "mean_trust_at_end",
        "Gennemsnitlig tillid ved slutningen",
        "Mean trust at the end",
        "Mean trust in the jobcentre (0-1) in the last week; a citizen's trust stops moving when they leave "
        "social assistance.",
        unit="trust (0-1)",
        in_app=True,
    ),
    Outcome(
        "share_distrustful_at_end",
        "Andel med mistillid ved slutningen",
        "Distrustful at the end",
        "Share of citizens whose orientation is distrustful of the system in the last week.",
    ),
)
OUTCOME_KEYS: tuple[str, ...] = tuple(o.key for o in OUTCOMES)
HEADLINE: tuple[str, ...] = tuple(o.key for o in OUTCOMES if o.headline)
IN_APP: tuple[str, ...] = tuple(o.key for o in OUTCOMES if o.in_app)
COMPARABLE: tuple[str, ...] = tuple(o.key for o in OUTCOMES if not o.size)


def outcome(key: str) -> Outcome:
    """The outcome called ``key``."""
    return OUTCOMES[OUTCOME_KEYS.index(key)]
