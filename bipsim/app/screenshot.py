"""The README's picture of the app, made from the app itself: ``python -m bipsim.app.screenshot [PATH]``.

Serves the sandbox in this process, opens it in headless Debian Chromium (:mod:`bipsim.app.browser`), waits for
the default run and photographs the Readiness tab at a laptop's window size, so the picture shows the app as it
is now. Run it again whenever the app's look changes; the default path is ``docs/images/app.png``.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bipsim.app.browser import WAIT_MS, chromium, open_app, served

WINDOW = {"width": 1280, "height": 800}
"""The window the picture is taken in: a laptop's screen, so the README shows what most users first see."""
TAB = "Readiness"
"""The tab shown: one indicator's latent truth against both raters' answers, and the raters' gap on all."""


def take(path: str | Path) -> Path:
    """Photograph the app's Readiness tab after the default run into ``path`` (PNG); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with served() as address, tempfile.TemporaryDirectory(prefix="bipsim-chromium-") as profile:
        with chromium(profile) as context:
            page = context.new_page()
            page.set_viewport_size(WINDOW)
            open_app(page, f"{address}/sandbox")
            page.locator(".bk-tab", has_text=TAB).first.click()
            page.locator(".fig-readiness canvas").first.wait_for(state="visible", timeout=WAIT_MS)
            page.wait_for_timeout(800)  # let the figures finish drawing
            page.screenshot(path=str(path))
    return path


def main(argv: list[str] | None = None) -> int:
    """Take the README's picture of the app."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="docs/images/app.png", help="where to write the PNG")
    args = parser.parse_args(argv)
    print(f"wrote {take(args.path)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
