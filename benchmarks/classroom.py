"""How long a class waits for a round at BIP scale (issue 19): 30 students submit at once, then the round advances.

A class session of 4,000 citizens is built in this process as ``bipsim class`` builds it; 30 simulated students
join, read their case files and submit their decisions from 30 threads at once; the teacher advances the round
(the quarter in the class's model and its twin, then the next case files). Each round's advance is timed (held
to 3 s) and the process's peak memory is printed (held to 2 GiB).

Run: ``python benchmarks/classroom.py [--rounds 3] [--students 30]``.
"""

from __future__ import annotations

import argparse
import resource
import threading
import time

from bipsim.classroom.decisions import JOB_FOCUSED_KEYS, SUPPORT_KEYS, Decision
from bipsim.classroom.session import ClassSession
from bipsim.classroom.settings import ClassSettings

ADVANCE_SECONDS, MEMORY_GIB = 3.0, 2.0


def decide(session: ClassSession, key: str, slot: int, round_number: int) -> None:
    """One student: read the case files, meet the first citizens, offer help where free, submit."""
    files = session.files(slot)
    busy = session.problems  # checks are the server's: a student whose offer is refused submits meetings only
    decisions = [
        Decision(
            f.citizen,
            meet=k < session.settings.meetings,
            job_focused=JOB_FOCUSED_KEYS[k % len(JOB_FOCUSED_KEYS)]
            if k < 2 and "job_focused" not in f.case["help"]
            else "none",
            support=SUPPORT_KEYS[k % len(SUPPORT_KEYS)] if k < 2 and "support" not in f.case["help"] else "none",
            belief=(slot % 10) / 10,
        )
        for k, f in enumerate(files)
    ]
    if busy(slot, decisions):
        decisions = [Decision(d.citizen, meet=d.meet, belief=d.belief) for d in decisions]
    session.submit(key, round_number, decisions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--students", type=int, default=30)
    args = parser.parse_args()
    settings = ClassSettings(citizens=4000, students=args.students, caseload=8, meetings=6, rounds=args.rounds)
    started = time.perf_counter()
    session = ClassSession(settings)
    print(f"class of {args.students} at 4,000 citizens built in {time.perf_counter() - started:.2f} s")
    students = [session.join(session.code, f"student {k}") for k in range(args.students)]
    for round_number in range(1, args.rounds + 1):
        started = time.perf_counter()
        threads = [threading.Thread(target=decide, args=(session, s.key, s.slot, round_number)) for s in students]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        submitted = time.perf_counter() - started
        assert not session.pending(), session.pending()
        started = time.perf_counter()
        session.advance()
        for s in students:
            session.files(s.slot)  # the next round's case files, as the pages ask for them
        seconds = time.perf_counter() - started
        verdict = "ok" if seconds <= ADVANCE_SECONDS else "TOO SLOW"
        print(
            f"round {round_number}: {args.students} submissions in {submitted:.2f} s; advance and next case files "
            f"{seconds:.2f} s (limit {ADVANCE_SECONDS} s) {verdict}"
        )
    started = time.perf_counter()
    session.reveal()
    print(f"reveal (a year of follow-up and the debrief) {time.perf_counter() - started:.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"peak memory {peak:.2f} GiB (limit {MEMORY_GIB} GiB) {'ok' if peak < MEMORY_GIB else 'TOO MUCH'}")


if __name__ == "__main__":
    main()
