"""``bipsim app``: serve the sandbox (``apps/sandbox.py``) with Panel's server, on 127.0.0.1 by default."""

from __future__ import annotations

import argparse
import errno
import ipaddress
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from bipsim.cli.common import UsageError, whole_number

DEFAULT_PORT = 5006
APP_FILE = Path(__file__).resolve().parents[2] / "apps" / "sandbox.py"  # in a source checkout


def app_target() -> Path | object:
    """What to serve: ``apps/sandbox.py`` in a source checkout, else the same page built by a function."""
    if APP_FILE.is_file():
        return APP_FILE
    from bipsim.app import create_app

    return create_app


def check_listening_place(address: str, port: int) -> None:
    """Refuse a ``--port`` or ``--address`` the server could not listen on, before anything is started.

    The port must be from 0 (any free port) to 65535; the address must resolve to an address of this
    computer, and the port must be free there: both are tried by binding a socket and closing it again.
    """
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port}: expected a port from 1 to 65535 (or 0 for any free port)")
    try:
        places = socket.getaddrinfo(address, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError) as exc:
        raise UsageError(
            f"--address {address}: cannot be resolved ({exc}); give an address of this computer, e.g. 127.0.0.1"
        ) from None
    failures: list[OSError] = []
    for family, kind, protocol, _, place in places:
        with socket.socket(family, kind, protocol) as trial:
            if os.name == "posix":  # as the server does: a port left in TIME_WAIT by an earlier server is free
                trial.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                trial.bind(place)
            except OSError as exc:
                failures.append(exc)
    if any(exc.errno == errno.EADDRINUSE for exc in failures):
        raise UsageError(f"--port {port}: already in use on {address}; choose another port, or 0 for any free one")
    if any(exc.errno == errno.EACCES for exc in failures):
        raise UsageError(
            f"--port {port}: not allowed to listen on it here (ports below 1024 need administrator rights); "
            "choose one from 1024 to 65535, or 0 for any free one"
        )
    if len(failures) == len(places):
        raise UsageError(
            f"--address {address}: not an address of this computer ({failures[0].strerror}); "
            "give one of its own, e.g. 127.0.0.1"
        )


ALL_INTERFACES = ("0.0.0.0", "::", "")


def _addresses(address: str) -> set[str]:
    """The IP addresses ``address`` stands for (itself when it is one)."""
    try:
        return {info[4][0] for info in socket.getaddrinfo(address, None, type=socket.SOCK_STREAM)}
    except OSError:
        return {address}


def is_loopback(address: str) -> bool:
    """Whether ``address`` reaches this computer only (127.0.0.1, ::1, localhost)."""
    if address in ALL_INTERFACES:
        return False
    return all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in _addresses(address))


@dataclass(frozen=True)
class Serving:
    """Where the sandbox listens, which page origins may open a session, and a warning when others can reach it."""

    address: str
    port: int
    origins: tuple[str, ...]
    warning: str | None


def serving(address: str, port: int) -> Serving:
    """The port actually served (a free one for ``port`` 0), the websocket origins allowed, and the warning.

    Only pages served from this address and port may open a session (never ``*``): a page on another site
    cannot drive the sandbox in the user's browser. A non-loopback address is allowed but warned about.
    """
    if port == 0:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((address if address not in ("", "0.0.0.0") else "0.0.0.0", 0))
            port = probe.getsockname()[1]
    hosts = {address, "localhost", "127.0.0.1"} - {""}
    warning = None
    if not is_loopback(address):
        if address in ALL_INTERFACES:
            name = socket.gethostname()
            hosts |= {name, socket.getfqdn(), *_addresses(name)}
        reach = "every network interface" if address in ALL_INTERFACES else address
        warning = (
            f"listening on {reach}: anyone who can reach this computer on port {port} can use the sandbox and "
            "run simulations on it; use --address 127.0.0.1 to keep it to this computer"
        )
    origins = tuple(sorted(f"[{h}]:{port}" if ":" in h else f"{h}:{port}" for h in hosts))
    return Serving(address, port, origins, warning)


DEFAULT_MAX_SIZE = 10_000 * 208  # as bipsim.app.limits.DEFAULT_MAX_SIZE, without importing Panel to say it


def cmd_app(args: argparse.Namespace) -> int:
    """Serve the sandbox until interrupted."""
    if args.max_size < 1:
        raise UsageError(f"--max-size {args.max_size}: expected at least 1 citizen-week (citizens × weeks)")
    check_listening_place(args.address, args.port)
    import panel as pn

    plan = serving(args.address, args.port)
    target = app_target()
    from bipsim.app.limits import set_max_size
    from bipsim.app.runs import warm_up
    from bipsim.app.sandbox import default_scenario

    if plan.warning:
        print(f"bipsim app: warning: {plan.warning}", file=sys.stderr)
    set_max_size(args.max_size)
    print(f"bipsim app: runs of at most {args.max_size:,} citizen-weeks (citizens × weeks); change it with --max-size")
    warm_up(default_scenario())  # the first page's run starts while the server starts
    shown = f"[{plan.address}]" if ":" in plan.address else plan.address or "0.0.0.0"
    print(f"bipsim app: serving the sandbox at http://{shown}:{plan.port}/ (Ctrl+C stops it)")
    pn.serve(
        str(target) if isinstance(target, Path) else target,
        port=plan.port,
        address=plan.address,
        websocket_origin=list(plan.origins),
        show=args.show,
        title="bipsim sandbox",
        num_procs=1,
    )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``bipsim app`` to the command line."""
    parser = subparsers.add_parser("app", help="serve the sandbox app (Panel) in the browser")
    parser.add_argument(
        "--port", type=whole_number, default=DEFAULT_PORT, help=f"port to listen on (default: {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--address", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)"
    )
    parser.add_argument(
        "--show", action=argparse.BooleanOptionalAction, default=True, help="open a browser tab (default: --show)"
    )
    parser.add_argument(
        "--max-size",
        type=whole_number,
        default=DEFAULT_MAX_SIZE,
        metavar="CITIZEN_WEEKS",
        help="largest run a page may start, in citizens × weeks, so one student cannot slow a shared server "
        f"for the class (default: {DEFAULT_MAX_SIZE:,}, i.e. 10,000 citizens over 208 weeks)",
    )
    parser.set_defaults(func=cmd_app)
