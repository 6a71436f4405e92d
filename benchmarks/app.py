"""How long a user of the sandbox waits, measured in headless Chromium (issue 5).

Two figures, each the median over fresh sessions (tabs) of the app served in this process as
``bipsim app`` serves it: from opening the page to the first rendered figure, and from pressing Run after
switching a mechanism off to updated figures at BIP scale (4,000 citizens, 208 weeks). Both are held to
5 s. Needs Debian's ``chromium`` (as root: ``apt-get update && apt-get install -y chromium``).

Run: ``python benchmarks/app.py [--sessions 5]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile

from bipsim.app.browser import chromium, open_app, rerun_without_turnover, served

FIRST_FIGURE_SECONDS = 5.0
RERUN_SECONDS = 5.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5, help="fresh sessions timed (default 5)")
    args = parser.parse_args()
    first, rerun = [], []
    try:
        with served() as address, tempfile.TemporaryDirectory(prefix="bipsim-chromium-") as profile:
            with chromium(profile) as context:
                for _ in range(args.sessions + 1):  # the first session warms the browser up, untimed
                    page = context.new_page()
                    try:
                        opened = open_app(page, f"{address}/sandbox")
                        updated = rerun_without_turnover(page)
                        page.wait_for_timeout(500)  # let the server finish talking to the tab before it closes
                    finally:
                        page.close()
                    first.append(opened)
                    rerun.append(updated)
    except FileNotFoundError as missing:
        print(f"app benchmark: {missing}", file=sys.stderr)
        return 2
    for label, times, bound in (
        ("page opened -> first figure", first[1:], FIRST_FIGURE_SECONDS),
        ("Run pressed -> figures updated", rerun[1:], RERUN_SECONDS),
    ):
        seconds = statistics.median(times)
        verdict = "ok" if seconds <= bound else "TOO SLOW"
        each = ", ".join(f"{t:.2f}" for t in times)
        print(f"app        {label:<32} {seconds:5.2f} s (median; required <= {bound:g}: {verdict})  [{each}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
