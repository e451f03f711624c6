"""Parse throughput of the roll-call parsers on one core.

* House: N generated ``Votes/Details`` pages (~10 panels of 134 invented
  members each, unclosed cells) through ``scrapers.house_votes.parse_vote_details``;
* Senate: M generated journal PDFs (3 pages, two roll calls of 67 invented
  senators, page furniture and a Rule 40 note) through
  ``scrapers.senate_journal.extract_pages_text`` + ``find_roll_call``.

    .venv/bin/python benchmarks/bench_votes.py [--house 100] [--senate 30] [--panels 10]

Prints pages/second for each; always exits 0 (it is a measurement, not a gate).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scrapers.house_votes import parse_vote_details  # noqa: E402
from scrapers.senate_journal import extract_pages_text, find_roll_call  # noqa: E402
from tests.scrapers.pdfgen import even_head, journal_pdf, name_rows, odd_head  # noqa: E402

STEMS = [
    "Lindqvist", "Okonkwo", "Castellanos", "Halvorsen", "Ibáñez-Ortega", "Nakamura",
    "Whitfield", "Ferreira", "Gundersen", "Achterberg", "Brekke-Núñez", "Van Loon",
    "Haugland", "Sundqvist", "Quintero", "Oyelaran", "Delacroix", "Ueland", "Eklund",
    "Rasmussen", "Lindahl", "Pellegrino", "Villalobos",
]  # fmt: skip


def members(n: int) -> list[str]:
    names = []
    for i in range(n):
        stem = STEMS[i % len(STEMS)]
        names.append(stem if i < len(STEMS) else f"{stem}, {chr(65 + i // len(STEMS))}.")
    return names


def house_page(rng: random.Random, panels: int) -> bytes:
    roster = members(134)
    out = ['<html><body><div id="DisplayResults">']
    for p in range(panels):
        rng.shuffle(roster)
        yeas = rng.randint(60, 130)
        yes, no = roster[:yeas], roster[yeas:]
        cells = "".join(f"<td>{n}<td>" for n in yes)
        neg = "".join(f"<td>{n}<td>" for n in no)
        out.append(
            f"""<div class="collapsible-panel"><div class="panel-header"><table><tbody><tr>
<td>HF0025</td><td>H.F. NO. 25<br>CALENDAR FOR THE DAY<br>Amendment</td>
<td>Amendment<br>H0025A{p}</td><td>{len(yes)}</td><td>{len(no)}</td>
<td><a href="#">J pg. {700 + p}</a></td><td>03/13/2025</td></tr></tbody></table></div>
<div class="panel-content"><H3>{len(yes)} YEA and {len(no)} Nay</H3>
Those who voted in the affirmative were:<table><tr>{cells}</table>
Those who voted in the negative were:<table><tr>{neg}</table></div></div>"""
        )
    out.append("</div></body></html>")
    return "\n".join(out).encode()


def senate_pdf(rng: random.Random) -> tuple[bytes, int, int]:
    roster = members(67)
    rng.shuffle(roster)
    yeas = rng.randint(34, 60)
    yes, no = roster[:yeas], roster[yeas:]
    rows = name_rows(yes, 5)
    page1 = [
        even_head(4172, 41),
        "S.F. No. 1832 was read the third time, as amended, and placed on its final passage.",
        "The question was taken on the passage of the bill, as amended.",
        f"The roll was called, and there were yeas {len(yes)} and nays {len(no)}, as follows:",
        "Those who voted in the affirmative were:",
        *rows[:6],
    ]
    page2 = [
        odd_head(4173, 41, "TUESDAY, APRIL 29, 2025"),
        *rows[6:],
        "Pursuant to Rule 40, Senator Lindqvist cast the affirmative vote on behalf of the",
        "following Senators: Halvorsen and Okonkwo.",
        "Those who voted in the negative were:",
        *name_rows(no, 5),
        "So the bill, as amended, passed and its title was agreed to.",
    ]
    page0 = [odd_head(4171, 41, "TUESDAY, APRIL 29, 2025"), "Reports of committees."]
    return journal_pdf([page0, page1, page2]), len(yes), len(no)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--house", type=int, default=100, help="House Details pages")
    parser.add_argument("--senate", type=int, default=30, help="Senate journal PDFs")
    parser.add_argument("--panels", type=int, default=10, help="panels per House page")
    args = parser.parse_args()
    rng = random.Random(94)

    pages = [house_page(rng, args.panels) for _ in range(args.house)]
    start = time.perf_counter()
    calls = sum(
        len(parse_vote_details(p, source_url="bench", bill_type="HF", number=25)) for p in pages
    )
    elapsed = time.perf_counter() - start
    print(
        f"House Details: {len(pages)} pages, {calls} roll calls in {elapsed:.2f}s = "
        f"{len(pages) / elapsed:.1f} pages/s ({calls / elapsed:.0f} roll calls/s)"
    )

    pdfs = [senate_pdf(rng) for _ in range(args.senate)]
    start = time.perf_counter()
    extracted = 0
    for data, yeas, nays in pdfs:
        texts = extract_pages_text(data, 1, 3, source_url="bench.pdf")
        extracted += len(texts)
        rc = find_roll_call(
            texts, bill_type="SF", number=1832, yeas=yeas, nays=nays, source_url="bench.pdf"
        )
        assert len(rc.yes_names) == yeas and len(rc.no_names) == nays, rc
    elapsed = time.perf_counter() - start
    print(
        f"Senate journal: {len(pdfs)} PDFs, {extracted} pages extracted+parsed in "
        f"{elapsed:.2f}s = {extracted / elapsed:.1f} pages/s ({len(pdfs) / elapsed:.1f} "
        "roll calls/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
