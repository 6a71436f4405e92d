"""``bipsim app``: serve the sandbox (``apps/sandbox.py``) with Panel's server, on 127.0.0.1 by default."""

from __future__ import annotations

import argparse
import errno
import os
import socket
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


def cmd_app(args: argparse.Namespace) -> int:
    """Serve the sandbox until interrupted."""
    check_listening_place(args.address, args.port)
    import panel as pn

    address = args.address
    origins = [f"{host}:{args.port}" for host in {address, "localhost", "127.0.0.1"}] if args.port else None
    target = app_target()
    from bipsim.app.runs import warm_up
    from bipsim.app.sandbox import default_scenario

    warm_up(default_scenario())  # the first page's run starts while the server starts
    print(f"bipsim app: serving the sandbox at http://{address}:{args.port or '<free port>'}/ (Ctrl+C stops it)")
    pn.serve(
        str(target) if isinstance(target, Path) else target,
        port=args.port,
        address=address,
        websocket_origin=origins or "*",
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
    parser.set_defaults(func=cmd_app)
