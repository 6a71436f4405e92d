"""``bipsim class``: serve a class in which students are caseworkers of one shared, simulated jobcentre.

The teacher's page address holds a key and is printed here; students open ``/class/join`` and type the code
the teacher's page shows. ``--resume DIR`` continues the class saved in ``DIR`` after a restart.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bipsim.cli.app import check_listening_place, serving
from bipsim.cli.common import UsageError, whole_number

DEFAULT_PORT = 5007


def cmd_class(args: argparse.Namespace) -> int:
    """Check the settings, then serve the class until interrupted."""
    from bipsim.classroom.session import STATE_FILE
    from bipsim.classroom.settings import ClassSettings, SettingError

    try:
        defaults = ClassSettings(
            scenario=args.scenario,
            seed=args.seed,
            citizens=args.citizens,
            students=args.students,
            caseload=args.caseload,
            meetings=args.meetings,
            rounds=args.rounds,
        ).check()
    except SettingError as exc:
        raise UsageError(f"--{exc.key} {exc.value}: allowed {exc.allowed}") from None
    folder = Path(args.resume or args.folder)
    if args.resume and not (folder / STATE_FILE).is_file():
        raise UsageError(f"--resume {args.resume}: no saved class there (no {STATE_FILE})")
    check_listening_place(args.address, args.port)
    plan = serving(args.address, args.port)
    from bipsim.classroom.server import TEACHER_PATH, classroom, serve

    room = classroom(folder, defaults)
    if plan.warning:
        print(f"bipsim class: warning: {plan.warning}", file=sys.stderr)
    shown = f"[{plan.address}]" if ":" in plan.address else plan.address or "0.0.0.0"
    state = "resumed" if room.session is not None else "saved"
    print(f"bipsim class: class {state} in {folder} after every change")
    print(f"bipsim class: teacher's page http://{shown}:{plan.port}/{TEACHER_PATH}?key={room.teacher_key}")
    print(f"bipsim class: students open http://{shown}:{plan.port}/class/join (Ctrl+C stops the server)")
    serve(room, plan.address, plan.port, list(plan.origins), show=False)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``bipsim class`` to the command line."""
    from bipsim.classroom.settings import DEFAULT_SCENARIO, SETTING

    parser = subparsers.add_parser("class", help="serve a class in which students are caseworkers (class mode)")
    parser.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO, help="built-in scenario (default: baseline)")
    for key in ("seed", "citizens", "students", "caseload", "meetings", "rounds"):
        s = SETTING[key]
        parser.add_argument(
            f"--{key}", type=whole_number, default=s.default, help=f"{s.en} (default: {s.default}; {s.low}-{s.high})"
        )
    parser.add_argument("--folder", default="bipsim-class", help="where the class is saved (default: bipsim-class)")
    parser.add_argument("--resume", default=None, metavar="DIR", help="continue the class saved in DIR")
    parser.add_argument("--port", type=whole_number, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})")
    parser.add_argument(
        "--address", default="127.0.0.1", help="address to listen on (default: 127.0.0.1; a class uses the LAN's)"
    )
    parser.set_defaults(func=cmd_class)
