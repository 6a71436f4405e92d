"""``bipsim app``: serve the sandbox (``apps/sandbox.py``) with Panel's server, on 127.0.0.1 by default."""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_PORT = 5006
APP_FILE = Path(__file__).resolve().parents[2] / "apps" / "sandbox.py"  # in a source checkout


def app_target() -> Path | object:
    """What to serve: ``apps/sandbox.py`` in a source checkout, else the same page built by a function."""
    if APP_FILE.is_file():
        return APP_FILE
    from bipsim.app import create_app

    return create_app


def cmd_app(args: argparse.Namespace) -> int:
    """Serve the sandbox until interrupted."""
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
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default: {DEFAULT_PORT})")
    parser.add_argument(
        "--address", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)"
    )
    parser.add_argument(
        "--show", action=argparse.BooleanOptionalAction, default=True, help="open a browser tab (default: --show)"
    )
    parser.set_defaults(func=cmd_app)
