"""Committee minutes parse time against a bare lxml parse of the same bytes.

Generates minutes pages of invented members (a header and R roll calls cycling
through the printed forms of ``scrapers.committee_votes``: comma lists, AYES/NAYS
tables, one name per line, "Senator X – Yea" lines, the compact "5/6 (...)" form),
then times, on one core, N runs of

* ``lxml.html.fromstring(content)`` (the floor: one parse, nothing read), and
* ``scrapers.committee_votes.parse_minutes(content, ...)``,

and prints both, per page and as a ratio.  The parser is one lxml parse plus
linear scans, so the ratio should stay small and flat as pages grow.

    .venv/bin/python benchmarks/bench_committee_parse.py [--pages 200] [--roll-calls 12] \
        [--members 19] [--repeats 3]

A measurement, not a gate: always exits 0.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scrapers import vocab  # noqa: E402
from scrapers.committee_votes import parse_minutes  # noqa: E402

STEMS = [
    "Quill", "Bright", "Ash", "Fen", "Hal", "Kva", "Marrow", "Pember", "Rust", "Thistle",
    "Vander", "Wenn", "Sand", "Trevel", "Pen", "Groot", "Easter", "Lark", "Stone", "Raven",
]  # fmt: skip
ENDINGS = ["feather", "water", "grove", "wick", "loran", "berg", "by", "ton", "ad", "wood"]
GIVEN = ["Wendeline", "Orrin", "Tamsin", "Idris", "Vesna", "Per", "Dagny", "Kasimir", "Lise"]


def members(n: int, offset: int) -> list[tuple[str, str]]:
    """``n`` invented members; each page (``offset``) gets its own committee, so the
    parser's name caches only help within a page, as on a real committee's page."""
    pool = [f"{stem}{ending}" for ending in ENDINGS for stem in STEMS]  # 200 surnames
    roster = []
    for i in range(n):
        surname = pool[(offset * n + i) % len(pool)]
        if i % 7 == 3:
            surname = f"O’{surname}"
        if i % 9 == 5:
            surname = f"{surname} {pool[(offset + i * 13) % len(pool)]}"
        roster.append((surname, GIVEN[(offset + i) % len(GIVEN)]))
    return roster


def roll_call(form: int, index: int, roster: list[tuple[str, str]]) -> str:
    yes, no = roster[: len(roster) // 2 + 1], roster[len(roster) // 2 + 1 :]
    motion = (
        f"<p>Representative {yes[0][0]} moved the H{3300 + index}A{form} amendment"
        " and requested a roll call vote.</p>"
    )
    result = f"<p>On a vote of {len(yes)} Yeas and {len(no)} Nays, THE MOTION PREVAILED.</p>"
    if form == 0:
        body = (
            f"<p>The following {len(yes)} members voted Yea:</p>"
            f"<p>{', '.join(s.upper() for s, _ in yes)}</p>"
            f"<p>The following {len(no)} members voted Nay:</p>"
            f"<p>{', '.join(s.upper() for s, _ in no)}</p>"
        )
    elif form == 1:
        cells = [(f"{y[0].upper()}, {y[1]}", "") for y in yes]
        for row, n in enumerate(no):
            cells[row] = (cells[row][0], f"{n[0].upper()}, {n[1]}")
        rows = "".join(f"<tr><td>{a}</td><td>{b}</td></tr>" for a, b in cells)
        body = f"<table><tr><th>AYES</th><th>NAYS</th></tr>{rows}</table>"
    elif form == 2:
        body = (
            "<p>The following members voted aye:</p><p>"
            + "<br>".join(f"Representative {s}" for s, _ in yes)
            + "</p><p>The following members voted nay:</p><p>"
            + "<br>".join(f"Representative {s}" for s, _ in no)
            + "</p>"
        )
    elif form == 3:
        body = "".join(f"<p>Senator {s} – Yea</p>" for s, _ in yes) + "".join(
            f"<p>Senator {s} - Nay</p>" for s, _ in no
        )
    else:
        body = (
            f"<p>{len(yes)}/{len(no)} (Ayes: {', '.join(s for s, _ in yes)}; "
            f"Nays: {', '.join(s for s, _ in no)})</p>"
        )
        result = "<p>MOTION PREVAILED</p>"
    return motion + body + result


def page(roll_calls: int, n_members: int, offset: int = 0) -> bytes:
    roster = members(n_members, offset)
    present = "<br>".join(f"{s.upper()}, {g}" for s, g in roster)
    parts = [
        "<html><body><h1>Capital Projects Review</h1>",
        "<p>2025-2026 Regular Session - Tuesday, March 24, 2026</p>",
        f"<p>Members present:</p><p>{present}</p><p>A quorum was present.</p>",
    ]
    for index in range(roll_calls):
        parts.append(f"<p>Testimony was taken on H.F. {2200 + index}.</p>" * 3)
        parts.append(roll_call(index % 5, index, roster))
    parts.append("</body></html>")
    return "".join(parts).encode("utf-8")


def best_of(repeats: int, run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--roll-calls", type=int, default=12)
    parser.add_argument("--members", type=int, default=19)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    content = [page(args.roll_calls, args.members, i) for i in range(args.pages)]
    url = "https://www.house.mn.gov/Committees/minutes/94003/1"
    found = parse_minutes(content[0], source_url=url, chamber=vocab.HOUSE)
    assert len(found) == args.roll_calls, len(found)

    def bare() -> None:
        for body in content:
            lxml.html.fromstring(body)

    def full() -> None:
        for body in content:
            parse_minutes(body, source_url=url, chamber=vocab.HOUSE)

    floor = best_of(args.repeats, bare)
    parsed = best_of(args.repeats, full)
    size = sum(len(c) for c in content) / len(content)
    print(
        f"{args.pages} pages, {size / 1024:.1f} KiB each, {args.roll_calls} roll calls "
        f"of {args.members} members per page"
    )
    print(f"lxml.html.fromstring: {floor * 1000 / args.pages:8.3f} ms/page")
    print(
        f"parse_minutes:        {parsed * 1000 / args.pages:8.3f} ms/page "
        f"({args.pages * args.roll_calls / parsed:,.0f} roll calls/s)"
    )
    print(f"ratio:                {parsed / floor:8.1f}x the bare parse")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
