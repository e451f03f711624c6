"""Build small Senate-Journal-like PDFs from text, for tests and benchmarks.

Uses fpdf2 with an embedded DejaVu Sans (so accented names such as
``Ibáñez-Ortega`` render and extract).  A page is a sequence of lines; a line
is either a string (placed at the left margin) or a tuple of column strings
(placed in fixed-width columns, like the journal's name lists).  No conftest:
import it directly (``from tests.scrapers.pdfgen import journal_pdf``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from fpdf import FPDF

Line = str | tuple[str, ...]

_FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
)


@cache
def font_path() -> Path:
    """DejaVuSans.ttf from the system, else the copy matplotlib ships."""
    for path in _FONT_CANDIDATES:
        if path.is_file():
            return path
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def even_head(page_number: int, day: int) -> str:
    """``4172 JOURNAL OF THE SENATE [41ST DAY`` (left-hand pages)."""
    return f"{page_number}    JOURNAL OF THE SENATE    [{ordinal(day)} DAY"


def odd_head(page_number: int, day: int, weekday_date: str) -> str:
    """``41ST DAY] TUESDAY, APRIL 29, 2025 4173`` (right-hand pages)."""
    return f"{ordinal(day)} DAY]    {weekday_date}    {page_number}"


def ordinal(n: int) -> str:
    suffix = "TH" if 10 <= n % 100 <= 20 else {1: "ST", 2: "ND", 3: "RD"}.get(n % 10, "TH")
    return f"{n}{suffix}"


def name_rows(names: Sequence[str], columns: int = 4) -> list[tuple[str, ...]]:
    """Names laid out row by row in ``columns`` columns (the journal's list layout)."""
    return [tuple(names[i : i + columns]) for i in range(0, len(names), columns)]


def journal_pdf(
    pages: Sequence[Sequence[Line]],
    *,
    font_size: float = 10,
    column_width: float = 120,
    user_password: str | None = None,
) -> bytes:
    """A letter-size PDF, one PDF page per entry of ``pages``."""
    pdf = FPDF(format="letter", unit="pt")
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(dt.datetime(2025, 4, 29, tzinfo=dt.UTC))  # reproducible bytes
    pdf.add_font("DejaVu", "", str(font_path()))
    pdf.set_font("DejaVu", size=font_size)
    leading = font_size * 1.4
    for lines in pages:
        pdf.add_page()
        y = 60.0
        for line in lines:
            columns = (line,) if isinstance(line, str) else line
            for i, text in enumerate(columns):
                if text:
                    pdf.text(54 + i * column_width, y, text)
            y += leading
    if user_password is not None:
        pdf.set_encryption(owner_password="owner-secret", user_password=user_password)
    return bytes(pdf.output())
