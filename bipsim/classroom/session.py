"""A class session: the shared jobcentre, its students, the rounds, and the saved state that survives a restart.

The session is a small state machine. ``deciding`` (round *k* of *n* open: students join, read their case files
and submit; drafts are kept) → :meth:`ClassSession.advance` runs the quarter and opens round *k + 1*, or, after
the last round, ``finished`` → :meth:`ClassSession.reveal` runs a year of follow-up and the debrief,
``revealed``. Advancing while students have not submitted is refused with their names unless the teacher
confirms; then each of them keeps their valid draft, else last round's meetings, exemptions and beliefs, else
the jobcentre's standard procedure, and the round records which.

Two models run side by side from the same scenario and seed, with the same posts: the class's, with the
students' decisions (their citizens decided by hand, see :mod:`bipsim.classroom.adapter`), and a twin under the
standard procedure, the counterfactual. All state is in this process
and written atomically (a temporary file, then ``os.replace``) after every change; :meth:`ClassSession.resume`
rebuilds a session by replaying the recorded rounds, which the seed makes exact.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bipsim.classroom import adapter
from bipsim.classroom.casefile import CaseFile, Observations, case_files, history_shares, observe_so_far
from bipsim.classroom.debrief import Debrief, make_debrief
from bipsim.classroom.decisions import Decision, Problem, check
from bipsim.classroom.settings import ROUND_WEEKS, RUN_IN_WEEKS, ClassSettings
from bipsim.contract.vocabulary import INTERVENTION_KEYS, status_code
from bipsim.model.model import BipModel
from bipsim.scenario import load_scenario

STATE_FILE = "class.json"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by a class
CODE_LENGTH = 6
MAX_NAME = 40
WAITING = status_code("waiting")


def _keyed(by_slot: dict[int, str]) -> dict[str, str]:
    return {str(slot): value for slot, value in by_slot.items()}


class ClassError(Exception):
    """A request the session refuses; ``key`` and ``values`` word it in either language."""

    def __init__(self, key: str, **values: object) -> None:
        self.key, self.values = key, values
        super().__init__(f"{key}: {values}")


def new_code() -> str:
    """A join code. It guards who may join, so it comes from the operating system, not from the model's seed."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@dataclass
class Student:
    """A student: their name, their private key (in their page's address) and their post."""

    name: str
    key: str
    slot: int


@dataclass
class RoundRecord:
    """A round as it was run: each post's decisions and where they came from, and what happened to each post."""

    number: int
    decisions: dict[int, list[Decision]]
    sources: dict[int, str]
    notices: dict[int, list[tuple[str, dict]]] = field(default_factory=dict)


@dataclass
class Snapshot:
    """The state of both models at a round boundary that the debrief needs and the model does not record."""

    week: int
    readiness: np.ndarray
    twin_readiness: np.ndarray
    trust: np.ndarray | None
    twin_trust: np.ndarray | None


class ClassSession:
    """One class: the settings, the two models, the posts, the students and the rounds."""

    def __init__(self, settings: ClassSettings, code: str | None = None, folder: str | Path | None = None) -> None:
        self.settings = settings.check()
        self.code = code or new_code()
        self.folder = Path(folder) if folder is not None else None
        scenario = load_scenario(settings.scenario).replace(
            population={"citizens": settings.citizens, "weeks": settings.weeks}
        )
        self.model = BipModel(scenario, settings.seed)
        self.twin = BipModel(scenario, settings.seed)
        for _ in range(RUN_IN_WEEKS):
            self.model.step()
            self.twin.step()
        try:
            self.jobcentre, self.posts = adapter.open_posts(
                self.model, settings.students, settings.caseload, settings.meetings
            )
        except adapter.PostsError as exc:
            raise ClassError("too_few_citizens", needed=exc.needed, available=exc.available) from None
        _, self.twin_posts = adapter.open_posts(self.twin, settings.students, settings.caseload, settings.meetings)
        self.first_posts = list(self.posts)
        self.start_caseloads = {slot: adapter.caseload(self.model, row) for slot, row in enumerate(self.posts)}
        self.students: dict[str, Student] = {}
        self.round = 1
        self.phase = "deciding"
        self.submitted: dict[int, list[Decision]] = {}
        self.drafts: dict[int, list[Decision]] = {}
        self.history: list[RoundRecord] = []
        self.snapshots = [self._snapshot()]
        self.history_shares = history_shares(self.model)
        self.lock = threading.RLock()
        self._seen: Observations | None = None
        self._files: dict[int, list[CaseFile]] = {}
        self.debrief = None

    # --- students ---------------------------------------------------------------------------------------------
    def join(self, code: str, name: str) -> Student:
        """Let a student in with the class's code and a name not taken yet; returns their post."""
        with self.lock:
            name = " ".join(name.split())
            if code.strip().upper() != self.code:
                raise ClassError("wrong_code")
            if not name or len(name) > MAX_NAME:
                raise ClassError("name_needed", most=MAX_NAME)
            if any(s.name.casefold() == name.casefold() for s in self.students.values()):
                raise ClassError("name_taken", name=name)
            if self.phase != "deciding":
                raise ClassError("class_over")
            if len(self.students) >= self.settings.students:
                raise ClassError("class_full", students=self.settings.students)
            student = Student(name, secrets.token_urlsafe(12), len(self.students))
            self.students[student.key] = student
            self.save()
            return student

    def student(self, key: str | None) -> Student | None:
        """The student with this private key, if any."""
        return self.students.get(key or "")

    def pending(self) -> list[str]:
        """Names of the students who have not submitted this round's decisions."""
        return sorted(s.name for s in self.students.values() if s.slot not in self.submitted)

    # --- what a student sees ----------------------------------------------------------------------------------
    def caseload(self, slot: int) -> np.ndarray:
        return adapter.caseload(self.model, self.posts[slot])

    def files(self, slot: int) -> list[CaseFile]:
        """The case files of a post's citizens for the open round (made once per round and post)."""
        with self.lock:
            if slot not in self._files:
                if self._seen is None:
                    self._seen = observe_so_far(self.model)
                since = max(0, self.model.week - ROUND_WEEKS)
                self._files[slot] = case_files(
                    self.model, self._seen, self.history_shares, self.caseload(slot), since, self.round
                )
            return self._files[slot]

    def free_places(self) -> dict[str, int]:
        """Free places of the shared jobcentre now, by intervention type (a negative count: over-full)."""
        used = self._by_type(self.model.citizens.programme)
        places = self.model.places[self.jobcentre]
        return {k: int(places[code] - used[code]) for code, k in enumerate(INTERVENTION_KEYS)}

    def queued(self) -> dict[str, int]:
        """Citizens of the shared jobcentre waiting for each intervention type now."""
        return dict(zip(INTERVENTION_KEYS, self._by_type(self.model.citizens.queue).tolist(), strict=True))

    def _by_type(self, slots: np.ndarray) -> np.ndarray:
        """Citizens of the shared jobcentre per intervention type in ``slots`` (programme or queue), both slots."""
        here = slots[self.model.citizens.jobcentre == self.jobcentre]
        return np.bincount(here[here >= 0], minlength=len(INTERVENTION_KEYS)).astype(np.int64)

    def notices(self, slot: int) -> list[tuple[str, dict]]:
        """What happened to a post in the last round (a colleague left, citizens waiting, the business cycle)."""
        return self.history[-1].notices.get(slot, []) if self.history else []

    # --- decisions --------------------------------------------------------------------------------------------
    def problems(self, slot: int, decisions: list[Decision]) -> list[Problem]:
        caseload = self.caseload(slot)
        return check(decisions, adapter.case_states(self.model, caseload), self.settings.meetings)

    def submit(self, key: str, round_number: int, decisions: list[Decision]) -> list[Problem]:
        """Take a student's decisions for ``round_number``; returns the problems (none: accepted)."""
        with self.lock:
            student = self.student(key)
            if student is None:
                return [Problem("unknown_student")]
            if self.phase != "deciding" or round_number != self.round:
                return [Problem("round_moved", {"round": round_number, "now": self.round})]
            problems = self.problems(student.slot, decisions)
            if not problems:
                self.submitted[student.slot] = list(decisions)
                self.drafts[student.slot] = list(decisions)
                self.save()
            return problems

    def save_draft(self, key: str, round_number: int, decisions: list[Decision]) -> None:
        """Keep what a student has filled in so far: used if the round moves on before they submit."""
        with self.lock:
            student = self.student(key)
            if student is not None and round_number == self.round and self.phase == "deciding":
                self.drafts[student.slot] = list(decisions)
                self.save()

    def _effective(self, slot: int) -> tuple[list[Decision], str]:
        """The decisions a post's round runs with, and their source."""
        if slot in self.submitted:
            return self.submitted[slot], "submitted"
        if slot not in {s.slot for s in self.students.values()}:
            return [], "standard"
        draft = self.drafts.get(slot)
        if draft and not self.problems(slot, draft):
            return draft, "draft"
        mine = set(self.caseload(slot).tolist())
        last = [d for d in (self.history[-1].decisions.get(slot, []) if self.history else []) if d.citizen in mine]
        if last:
            carried, met = [], 0
            for d in last:
                meet = d.meet and met < self.settings.meetings
                met += meet
                carried.append(Decision(d.citizen, meet=meet, exempt=d.exempt, belief=d.belief))
            return carried, "carried"
        return [], "standard"

    # --- rounds -----------------------------------------------------------------------------------------------
    def advance(self, confirm: bool = False) -> list[str]:
        """Run the open round's quarter and open the next one.

        Returns the names of students who had not submitted; with any, nothing runs unless ``confirm``.
        """
        with self.lock:
            if self.phase != "deciding":
                raise ClassError("no_round_open")
            waiting_for = self.pending()
            if waiting_for and not confirm:
                return waiting_for
            decided = {slot: self._effective(slot) for slot in range(len(self.posts))}
            record = RoundRecord(
                self.round, {s: d for s, (d, _) in decided.items()}, {s: src for s, (_, src) in decided.items()}
            )
            self._play(record)
            self.save()
            return waiting_for

    def _play(self, record: RoundRecord) -> None:
        """Run one round with its recorded decisions (also when a saved class is replayed)."""
        model, twin = self.model, self.twin
        start_week, demand_before = model.week, float(model.demand)
        until = start_week + ROUND_WEEKS
        before = {slot: adapter.caseload(model, row) for slot, row in enumerate(self.posts)}
        rows_before = list(self.posts)
        unmet = {
            slot: adapter.apply(model, row, record.decisions.get(slot, []), ROUND_WEEKS)
            for slot, row in enumerate(self.posts)
        }
        by_hand = [slot for slot, source in record.sources.items() if source != "standard"]
        adapter.decide_by_hand(model, (self.posts[slot] for slot in by_hand))
        for _ in range(ROUND_WEEKS):
            known = {slot: np.flatnonzero(model.citizens.caseworker == row) for slot, row in enumerate(self.posts)}
            twin_known = {s: np.flatnonzero(twin.citizens.caseworker == r) for s, r in enumerate(self.twin_posts)}
            model.step()
            twin.step()
            for slot, row in enumerate(self.posts):
                self.posts[slot] = adapter.follow(model, row, known[slot])
                adapter.hold(model, self.posts[slot], unmet[slot], until)
                self.twin_posts[slot] = adapter.follow(twin, self.twin_posts[slot], twin_known[slot])
            adapter.decide_by_hand(model, (self.posts[slot] for slot in by_hand))
        adapter.decide_by_hand(model, ())
        record.notices = self._notices(start_week, demand_before, before, rows_before)
        self.history.append(record)
        self.snapshots.append(self._snapshot())
        self.submitted, self.drafts = {}, {}
        self._seen, self._files = None, {}
        self.round += 1
        if self.round > self.settings.rounds:
            self.phase = "finished"

    def _notices(
        self, start: int, demand_before: float, before: dict[int, np.ndarray], rows_before: list[int]
    ) -> dict[int, list[tuple[str, dict]]]:
        """Each post's interruptions in the round just run, as word keys and values."""
        model, cw = self.model, self.model.caseworkers
        left = np.flatnonzero((cw.jobcentre == self.jobcentre) & (cw.end_week >= start) & (cw.end_week < model.week))
        colleagues = [int(r) for r in left if int(r) not in rows_before]
        demand_now = float(model.demand)
        past = model.market["demand"]
        earlier = float(past[start - ROUND_WEEKS]) if start >= ROUND_WEEKS else None
        turned = earlier is not None and (demand_before - earlier) * (demand_now - demand_before) < 0
        status = model.citizens.status
        notices: dict[int, list[tuple[str, dict]]] = {}
        for slot, row in enumerate(self.posts):
            now = adapter.caseload(model, row)
            items: list[tuple[str, dict]] = []
            if colleagues:
                items.append(("colleague_left", {"count": len(colleagues)}))
            if row != rows_before[slot]:
                items.append(("post_moved", {}))
            arrived = np.setdiff1d(now, before[slot])
            gone = np.setdiff1d(before[slot], now)
            if arrived.size:
                items.append(("citizens_arrived", {"citizens": ", ".join(f"#{i}" for i in arrived)}))
            if gone.size:
                items.append(("citizens_left", {"citizens": ", ".join(f"#{i}" for i in gone)}))
            waiting = now[status[now] == WAITING]
            if waiting.size:
                items.append(("citizens_waiting", {"citizens": ", ".join(f"#{i}" for i in waiting)}))
            items.append(
                (
                    "cycle_turned" if turned else "demand_rose" if demand_now >= demand_before else "demand_fell",
                    {"before": round(demand_before, 2), "now": round(demand_now, 2)},
                )
            )
            notices[slot] = items
        return notices

    def _snapshot(self) -> Snapshot:
        m, t = self.model.citizens, self.twin.citizens
        trust = getattr(m, "trust", None)
        twin_trust = getattr(t, "trust", None)
        return Snapshot(
            self.model.week,
            m.readiness.copy(),
            t.readiness.copy(),
            None if trust is None else np.array(trust, dtype=float),
            None if twin_trust is None else np.array(twin_trust, dtype=float),
        )

    def reveal(self) -> Debrief:
        """Run the year of follow-up in both models under the standard procedure and make the debrief."""
        with self.lock:
            if self.phase == "deciding":
                raise ClassError("rounds_left", rounds=self.settings.rounds - self.round + 1)
            if self.debrief is None:
                self.model.run()
                self.twin.run()
                self.debrief = make_debrief(self)
            if self.phase != "revealed":
                self.phase = "revealed"
                self.save()
            return self.debrief

    # --- saved state ------------------------------------------------------------------------------------------
    def state(self) -> dict[str, object]:
        """Everything needed to rebuild the session: settings, code, students and the decisions of each round."""

        def listed(by_slot: dict[int, list[Decision]]) -> dict[str, list[dict]]:
            return {str(slot): [d.to_dict() for d in ds] for slot, ds in by_slot.items()}

        return {
            "settings": self.settings.to_dict(),
            "code": self.code,
            "students": [{"name": s.name, "key": s.key, "slot": s.slot} for s in self.students.values()],
            "rounds": [
                {"number": r.number, "decisions": listed(r.decisions), "sources": _keyed(r.sources)}
                for r in self.history
            ],
            "submitted": listed(self.submitted),
            "drafts": listed(self.drafts),
            "phase": self.phase,
        }

    def save(self) -> None:
        """Write the state to ``folder/class.json`` atomically (nothing when the session has no folder)."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / STATE_FILE
        temporary = target.with_suffix(".json.tmp")
        temporary.write_text(json.dumps(self.state(), indent=1), encoding="utf-8")
        os.replace(temporary, target)

    @classmethod
    def resume(cls, folder: str | Path) -> ClassSession:
        """Rebuild a saved class by replaying its rounds; raises ``FileNotFoundError`` if none is saved there."""
        folder = Path(folder)
        state = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))

        def decisions(by_slot: dict[str, list[dict]]) -> dict[int, list[Decision]]:
            return {int(slot): [Decision.from_dict(d) for d in ds] for slot, ds in by_slot.items()}

        session = cls(ClassSettings.from_dict(state["settings"]), code=state["code"], folder=None)
        for s in state["students"]:
            student = Student(s["name"], s["key"], int(s["slot"]))
            session.students[student.key] = student
        for r in state["rounds"]:
            session._play(
                RoundRecord(int(r["number"]), decisions(r["decisions"]), {int(k): v for k, v in r["sources"].items()})
            )
        session.submitted = decisions(state["submitted"])
        session.drafts = decisions(state["drafts"])
        session.folder = folder
        if state["phase"] == "revealed":
            session.reveal()
        return session
