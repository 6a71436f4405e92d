"""A student's decisions for one round, and the checks that say clearly what is not allowed.

For each citizen on the caseload a student decides whether to meet them this quarter, which job-focused help
and which support to offer at the meeting (both at once is help in *parallel*; support now and job-focused help
in a later round is a *staircase*), whether to exempt them from contact for the quarter, and their belief in a
job within a year (0 to 1). Checks are pure: they read the caseload and what each citizen already has, never
the model, so the pages and the tests use the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

from bipsim.contract.vocabulary import INTERVENTIONS

NONE = "none"
JOB_FOCUSED_KEYS: tuple[str, ...] = tuple(i.key for i in INTERVENTIONS if i.kind == "job_focused")
SUPPORT_KEYS: tuple[str, ...] = tuple(i.key for i in INTERVENTIONS if i.kind == "support")
SLOTS: tuple[str, ...] = ("job_focused", "support")
"""The two kinds of help, in the order of the model's programme and queue columns."""


@dataclass
class Decision:
    """What a student decided for one citizen this round."""

    citizen: int
    meet: bool = False
    job_focused: str = NONE
    support: str = NONE
    exempt: bool = False
    belief: float = 0.5

    def offers(self) -> dict[str, str]:
        """The help offered, by kind (``job_focused``, ``support``); kinds with no offer left out."""
        return {slot: getattr(self, slot) for slot in SLOTS if getattr(self, slot) != NONE}

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: Mapping[str, object]) -> Decision:
        return cls(
            citizen=int(values["citizen"]),  # type: ignore[arg-type]
            meet=bool(values.get("meet", False)),
            job_focused=str(values.get("job_focused", NONE)),
            support=str(values.get("support", NONE)),
            exempt=bool(values.get("exempt", False)),
            belief=float(values.get("belief", 0.5)),  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a set of decisions: a word key of :mod:`~bipsim.classroom.words` and its values."""

    key: str
    values: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class CaseState:
    """What the checks need to know of a citizen: the help running or queued in each kind, if any."""

    busy: dict[str, str] = field(default_factory=dict)  # kind -> intervention key


def check(decisions: Iterable[Decision], caseload: Mapping[int, CaseState], meetings: int) -> list[Problem]:
    """Every problem of ``decisions`` for a ``caseload`` (citizen -> state) with ``meetings`` per round.

    An empty list means the decisions can be used as they are.
    """
    problems: list[Problem] = []
    met, seen = 0, set()
    for d in decisions:
        if d.citizen not in caseload:
            problems.append(Problem("not_your_citizen", {"citizen": d.citizen}))
            continue
        if d.citizen in seen:
            problems.append(Problem("decided_twice", {"citizen": d.citizen}))
        seen.add(d.citizen)
        if not 0.0 <= d.belief <= 1.0 or d.belief != d.belief:
            problems.append(Problem("belief_range", {"citizen": d.citizen, "value": d.belief}))
        for slot, allowed in (("job_focused", JOB_FOCUSED_KEYS), ("support", SUPPORT_KEYS)):
            chosen = getattr(d, slot)
            if chosen != NONE and chosen not in allowed:
                problems.append(Problem("unknown_help", {"citizen": d.citizen, "value": chosen}))
            elif chosen != NONE and slot in caseload[d.citizen].busy:
                running = caseload[d.citizen].busy[slot]
                problems.append(Problem("slot_busy", {"citizen": d.citizen, "running": running}))
        if d.exempt and (d.meet or d.offers()):
            problems.append(Problem("exempt_and_meet", {"citizen": d.citizen}))
        elif d.offers() and not d.meet:
            problems.append(Problem("offer_needs_meeting", {"citizen": d.citizen}))
        met += d.meet
    if met > meetings:
        problems.append(Problem("over_capacity", {"count": met, "capacity": meetings}))
    return problems
