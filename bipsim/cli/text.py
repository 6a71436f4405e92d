"""Plain-text layout for the console: the terminal's width, wrapped paragraphs and aligned tables.

Console tables are read in a terminal, often 100 columns wide, so long cells (a figure's description, a reason)
wrap onto continuation lines in their own column instead of being cut or pushing the table off screen.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence

NARROWEST = 60
WIDEST = 160


def terminal_width() -> int:
    """Columns to lay text out in: the terminal's (``COLUMNS`` when redirected, else 100), within 60-160."""
    return max(NARROWEST, min(WIDEST, shutil.get_terminal_size((100, 24)).columns))


def wrapped(text: str, width: int, first: str = "", rest: str | None = None) -> list[str]:
    """``text`` wrapped to ``width`` columns: the first line starts with ``first``, the others with ``rest``."""
    rest = " " * len(first) if rest is None else rest
    return textwrap.wrap(
        text, width=max(len(first) + 20, width), initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    ) or [first.rstrip()]


def aligned(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Sequence[int] = (),
    wrap: int | None = None,
    width: int | None = None,
    indent: str = "  ",
) -> list[str]:
    """Rows under ``header`` in aligned columns; columns in ``right`` right-aligned.

    Column ``wrap`` (an index) is narrowed, its cells wrapped onto continuation lines, so that the table fits in
    ``width`` columns (default: the terminal's) where it can. The last column is never padded.
    """
    width = terminal_width() if width is None else width
    columns = len(header)
    widths = [max(len(header[i]), *(len(row[i]) for row in rows)) if rows else len(header[i]) for i in range(columns)]
    if wrap is not None:
        others = sum(w for i, w in enumerate(widths) if i != wrap) + 2 * (columns - 1) + len(indent)
        widths[wrap] = max(len(header[wrap]), 24, min(widths[wrap], width - others))

    def lines_of(cells: Sequence[str]) -> list[str]:
        parts = [
            textwrap.wrap(cell, widths[i], break_on_hyphens=False) or [""] if i == wrap else [cell]
            for i, cell in enumerate(cells)
        ]
        out = []
        for k in range(max(len(p) for p in parts)):
            texts = [p[k] if k < len(p) else "" for p in parts]
            padded = [
                text.rjust(widths[i]) if i in right else (text if i == columns - 1 else text.ljust(widths[i]))
                for i, text in enumerate(texts)
            ]
            out.append((indent + "  ".join(padded)).rstrip())
        return out

    result = lines_of(header)
    for row in rows:
        result += lines_of(row)
    return result
