"""The teacher's settings of a class: one declaration that drives the form, the command line and the checks.

Each setting is declared once with its default, its allowed range and its label in English and Danish, so the
teacher's page, ``bipsim class`` and :func:`ClassSettings.check` cannot disagree about what is allowed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from bipsim.scenario import builtin_scenarios

ROUND_WEEKS = 13
"""A round is a quarter, the interval of BIP's survey waves."""
RUN_IN_WEEKS = 13
"""Weeks the jobcentre runs before the class takes over, so the first case files have a survey wave and a history."""
FOLLOW_UP_WEEKS = 52
"""Weeks run after the last round, so every belief can be held against a job within a year."""


@dataclass(frozen=True)
class Setting:
    """One setting: its key, default, allowed whole-number range and labels."""

    key: str
    default: int
    low: int
    high: int
    en: str
    da: str


SETTINGS: tuple[Setting, ...] = (
    Setting("seed", 0, 0, 2**31 - 1, "Seed", "Frø (seed)"),
    Setting("citizens", 4000, 100, 20_000, "Citizens in the simulation", "Borgere i simulationen"),
    Setting("students", 30, 1, 60, "Students (most who can join)", "Studerende (højst så mange kan deltage)"),
    Setting("caseload", 8, 2, 25, "Caseload per student (citizens)", "Sagsstamme pr. studerende (borgere)"),
    Setting("meetings", 6, 1, 25, "Meetings per round (citizens a student can meet)", "Samtaler pr. runde (borgere)"),
    Setting("rounds", 3, 1, 8, "Rounds (quarters of 13 weeks)", "Runder (kvartaler á 13 uger)"),
)
SETTING = {s.key: s for s in SETTINGS}
DEFAULT_SCENARIO = "baseline"


class SettingError(ValueError):
    """A setting outside what is allowed; names the setting, the value and the allowed range."""

    def __init__(self, key: str, value: object, allowed: str) -> None:
        self.key, self.value, self.allowed = key, value, allowed
        super().__init__(f"{key} {value!r}: allowed {allowed}")


@dataclass(frozen=True)
class ClassSettings:
    """What the teacher chose: the world (scenario, seed, citizens) and the class (students, caseload, rounds)."""

    scenario: str = DEFAULT_SCENARIO
    seed: int = SETTING["seed"].default
    citizens: int = SETTING["citizens"].default
    students: int = SETTING["students"].default
    caseload: int = SETTING["caseload"].default
    meetings: int = SETTING["meetings"].default
    rounds: int = SETTING["rounds"].default

    @property
    def weeks(self) -> int:
        """Weeks the model runs: a quarter's run-in, the rounds, then a year of follow-up (standard procedure)."""
        return RUN_IN_WEEKS + self.rounds * ROUND_WEEKS + FOLLOW_UP_WEEKS

    def check(self) -> ClassSettings:
        """Return the settings if every value is allowed; else raise :class:`SettingError` for the first."""
        names = sorted(builtin_scenarios())
        if self.scenario not in names:
            raise SettingError("scenario", self.scenario, "one of " + ", ".join(names))
        for s in SETTINGS:
            value = getattr(self, s.key)
            if isinstance(value, bool) or not isinstance(value, int) or not s.low <= value <= s.high:
                raise SettingError(s.key, value, f"a whole number from {s.low:,} to {s.high:,}")
        if self.meetings > self.caseload:
            raise SettingError("meetings", self.meetings, f"a whole number from 1 to the caseload, {self.caseload}")
        return self

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, object]) -> ClassSettings:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known}).check()  # type: ignore[arg-type]
