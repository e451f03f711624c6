"""Each parser side by side with the bare parse of the same bytes ("Parsers at the floor").

* Revisor bill status XML: ``scrapers.revisor.parse_bill_status_xml`` against
  ``lxml.etree.fromstring`` with the same hardened parser options, over the
  fixtures in tests/fixtures/mn/reconstructed/ (and, as a second row, the
  synthetic 24-action documents of benchmarks/bench_parse.py), and beside them
  the floor of any reader through lxml's Python API: the parse, then each
  element's tag and text read once (no records, no checks);
* House vote Details: ``scrapers.house_votes.parse_vote_details`` against
  ``lxml.html.fromstring``, over the fixture page and a generated page of 500
  names (four panels of 125 voters);
* Senate journal PDF text: ``scrapers.senate_journal.extract_pages_text`` (text
  laid out so that the columns of a name list stay two or more spaces apart while
  ``Van Loon`` stays whole) against what each library gives that such a layout can
  be made from: the text runs of each line with their boxes and their exact text,
  spacing inside a run included (a row printed as one string keeps its column
  gaps only there).  For PyMuPDF that is ``page.get_text("dict",
  flags=TEXT_PRESERVE_SPANS)`` (the same MuPDF structured text ours reads, as
  dicts); for pypdfium2 the text rectangles with the text bounded by each.  Ours
  lays the page out as well and is compared to the faster of the two without a
  layout (target: ratio <= 1).  Neither library lays text out: their plain text
  (PyMuPDF ``get_text()``, one text run per line, the rows lost; pypdfium2
  ``get_text_range()``, a row joined by single spaces, ``Van Loon, B. Castellanos``)
  and PyMuPDF ``get_text("words")`` (the spacing inside a run lost) are printed
  beside it for reference, not as the target.  Over a generated 40-page journal
  (tests/scrapers/pdfgen.py: the day's roll, roll calls in five columns, multi-word
  surnames, page furniture), all 40 pages and the three-page window a roll call is
  read from.

    .venv/bin/python benchmarks/bench_parsers.py [--seconds 0.3] [--rounds 7] [--check]

Times are this thread's CPU time (``time.thread_time``: a busy machine that
preempts the benchmark does not count), the best of ``--rounds`` rounds, parser
and bare parse interleaved round by round; a round runs each for about
``--seconds``.  Prints documents/s of the parser and of the bare
parse and their ratio (parser time / bare time).  ``--check`` exits 1 when a
target is missed: XML and Details within 3x, PDF text no slower than the faster
library's positioned runs (ratio <= 1).
"""

from __future__ import annotations

import argparse
import functools
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import lxml.html  # noqa: E402
from lxml import etree  # noqa: E402

from scrapers.house_votes import parse_vote_details  # noqa: E402
from scrapers.revisor import parse_bill_status_xml  # noqa: E402
from scrapers.senate_journal import extract_pages_text, find_roll_call, parse_day_roll  # noqa: E402
from tests.scrapers.pdfgen import even_head, journal_pdf, name_rows, odd_head  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "mn" / "reconstructed"

STEMS = [
    "Lindqvist", "Okonkwo", "Castellanos", "Halvorsen", "Ibáñez-Ortega", "Nakamura",
    "Whitfield", "Ferreira", "Gundersen", "Achterberg", "Brekke-Núñez", "Van Loon",
    "Haugland", "Sundqvist", "Quintero", "Oyelaran", "Delacroix", "Ueland", "Eklund",
    "Johnson Stewart", "Pellegrino", "Villalobos", "Ten Haaf",
]  # fmt: skip


def members(n: int) -> list[str]:
    """``n`` distinct invented printed names (``Lindqvist``, ..., ``Lindqvist, B.``)."""
    names = []
    for i in range(n):
        stem = STEMS[i % len(STEMS)]
        names.append(stem if i < len(STEMS) else f"{stem}, {chr(65 + i // len(STEMS))}.")
    return names


# --- inputs -------------------------------------------------------------------------------


def bill_fixtures() -> list[tuple[bytes, str, str]]:
    """(content, source_url, session) of every well-formed bill status fixture."""
    docs = []
    for path in sorted(FIXTURES.glob("bill_status_*.xml")):
        if "truncated" in path.name:
            continue
        session = "2025s1" if "2025s1" in path.name else "2025-2026"
        docs.append((path.read_bytes(), f"https://api.revisor.mn.gov/fixture/{path.name}", session))
    return docs


def bill_synthetic(n: int = 60) -> list[tuple[bytes, str, str]]:
    from bench_parse import make_document

    rng = random.Random(94)
    return [(make_document(rng, i + 1, 24), f"bench://{i}", "2025-2026") for i in range(n)]


def details_page(panels: int = 4, voters: int = 125) -> bytes:
    """A Details page with ``panels`` roll calls of ``voters`` names each (unclosed cells)."""
    rng = random.Random(25)
    roster = members(134)
    out = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>Votes</title></head><body>']
    out.append('<div class="container"><h1>Recorded Roll Call Votes</h1><div id="DisplayResults">')
    for p in range(panels):
        rng.shuffle(roster)
        voting = roster[:voters]
        yeas = rng.randint(voters // 2, voters - 5)
        yes, no = voting[:yeas], voting[yeas:]
        cells = "".join(f"<td>{n}<td>" for n in yes)
        neg = "".join(f"<td>{n}<td>" for n in no)
        out.append(
            f"""<div class="collapsible-panel panel"><div class="panel-header">
<table class="table"><tbody><tr>
<td>HF0025</td><td>H.F. NO. 25<br>CALENDAR FOR THE DAY<br>Amendment</td>
<td>Amendment<br>H0025A{p}</td><td>{len(yes)}</td><td>{len(no)}</td>
<td><a href="/Votes/GetPage?PageNumber={700 + p}&amp;SessionKey=302">J pg. {700 + p}</a></td>
<td>03/13/2025</td></tr></tbody></table></div>
<div class="panel-content"><H3>{len(yes)} YEA and {len(no)} Nay</H3>
<div><b>H.F. NO. 25</b></div><b>Date:</b> 03/13/2025<br>
<p>Those who voted in the affirmative were:</p><table><tr>{cells}</table>
<p>Those who voted in the negative were:</p><table><tr>{neg}</table></div></div>"""
        )
    out.append("</div></div></body></html>")
    return "\n".join(out).encode()


def journal(pages: int = 40) -> tuple[bytes, list[tuple[int, int, int]]]:
    """A ``pages``-page journal day: its roll, then one roll call per page (67 senators
    in five columns, page furniture, Rule 40 notes); and (page, yeas, nays) of each."""
    rng = random.Random(41)
    roster = members(67)
    day = [
        odd_head(4171, 41, "TUESDAY, APRIL 29, 2025"),
        "STATE OF MINNESOTA",
        "Journal of the Senate",
        "NINETY-FOURTH LEGISLATURE",
        "St. Paul, Minnesota, Tuesday, April 29, 2025",
        "The Senate met at 11:00 a.m. and was called to order by the President.",
        "The roll was called, and the following Senators answered to their names:",
        *name_rows(sorted(roster), 5),
        "The President declared a quorum present.",
        "The reading of the Journal was dispensed with and the Journal, as printed and",
        "corrected, was approved.",
    ]
    content = [day]
    calls = []
    for p in range(1, pages):
        rng.shuffle(roster)
        yeas = rng.randint(34, 60)
        yes, no = roster[:yeas], roster[yeas:]
        number = 4171 + p
        head = (
            even_head(number, 41)
            if number % 2 == 0
            else odd_head(number, 41, "TUESDAY, APRIL 29, 2025")
        )
        content.append(
            [
                head,
                f"S.F. No. {1800 + p} was read the third time, as amended, and placed on its",
                "final passage.",
                "The question was taken on the passage of the bill, as amended.",
                f"The roll was called, and there were yeas {len(yes)} and nays {len(no)}, "
                "as follows:",
                "Those who voted in the affirmative were:",
                *name_rows(yes, 5),
                "Pursuant to Rule 40, Senator Lindqvist cast the affirmative vote on behalf of the",
                "following Senators: Halvorsen and Okonkwo.",
                "Those who voted in the negative were:",
                *name_rows(no, 5),
                "So the bill, as amended, passed and its title was agreed to.",
            ]
        )
        calls.append((p + 1, len(yes), len(no)))
    return journal_pdf(content, column_width=100), calls


# --- bare parses ------------------------------------------------------------------------


def hardened_xml_parser() -> etree.XMLParser:
    """The options of ``scrapers.parsing``'s XML parser."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=False,
        remove_comments=True,
        remove_pis=True,
    )


def pymupdf_text(data: bytes, first: int, last: int) -> list[str]:
    import pymupdf

    document = pymupdf.open(stream=data, filetype="pdf")
    return [document[n - 1].get_text() for n in range(first, last + 1)]


def pymupdf_runs(data: bytes, first: int, last: int) -> list[dict[str, Any]]:
    """Each page's lines (text runs: TEXT_PRESERVE_SPANS) with their boxes and text."""
    import pymupdf

    document = pymupdf.open(stream=data, filetype="pdf")
    return [
        document[n - 1].get_text("dict", flags=pymupdf.TEXT_PRESERVE_SPANS)
        for n in range(first, last + 1)
    ]


def pymupdf_words(data: bytes, first: int, last: int) -> list[list[tuple[Any, ...]]]:
    import pymupdf

    document = pymupdf.open(stream=data, filetype="pdf")
    return [
        document[n - 1].get_text("words", flags=pymupdf.TEXT_PRESERVE_SPANS)
        for n in range(first, last + 1)
    ]


def pdfium_runs(data: bytes, first: int, last: int) -> list[list[tuple[Any, ...]]]:
    """Each page's text rectangles (one per run of text on a line) with their text."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    pages = []
    for n in range(first, last + 1):
        page = document[n - 1]
        textpage = page.get_textpage()
        runs = []
        for index in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(index)
            runs.append(
                (left, bottom, right, top, textpage.get_text_bounded(left, bottom, right, top))
            )
        pages.append(runs)
        textpage.close()
        page.close()
    document.close()
    return pages


def pdfium_text(data: bytes, first: int, last: int) -> list[str]:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    texts = []
    for n in range(first, last + 1):
        page = document[n - 1]
        textpage = page.get_textpage()
        texts.append(textpage.get_text_range())
        textpage.close()
        page.close()
    document.close()
    return texts


def pypdf_layout_text(data: bytes, first: int, last: int) -> list[str]:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    return [
        reader.pages[n - 1].extract_text(
            extraction_mode="layout", layout_mode_space_vertically=False
        )
        for n in range(first, last + 1)
    ]


# --- timing -------------------------------------------------------------------------------


def _loops(fn: Callable[[], object], seconds: float) -> int:
    start = time.thread_time()
    fn()
    once = max(time.thread_time() - start, 1e-7)
    return max(1, int(seconds / once))


def compare(
    fns: Sequence[Callable[[], object]], *, seconds: float, rounds: int
) -> tuple[list[float], list[float]]:
    """Best time per call of each function, and the median per-round ratio of each
    to the first, running them interleaved round by round.  Each function is called
    once untimed before its timed calls in a round, so that the state another one
    left behind is not timed: the cold bill status run empties the memos that the
    "texts seen before" run is meant to find filled."""
    loops = [_loops(fn, seconds) for fn in fns]
    samples: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            n = loops[i]
            fn()
            start = time.thread_time()
            for _ in range(n):
                fn()
            samples[i].append((time.thread_time() - start) / n)
    best = [min(s) for s in samples]
    ratios = [statistics.median(a / b for a, b in zip(s, samples[0], strict=True)) for s in samples]
    return best, ratios


def report(name: str, docs: int, parser: float, bare: float, bare_name: str, target: float) -> bool:
    ratio = parser / bare
    ok = ratio <= target
    print(
        f"{name:<44} {docs / parser:>9.1f} docs/s   {bare_name:<20} {docs / bare:>9.1f} docs/s"
        f"   ratio {ratio:5.2f}x (target <= {target:g}x: {'PASS' if ok else 'FAIL'})"
    )
    return ok


def _memo_clears() -> list[Callable[[], None]]:
    """The ``clear`` of every memo of repeated texts the bill status parser keeps: its
    records, action texts and dates (``revisor._MEMOS``), its classifications, and
    parse_date's dates."""
    from scrapers import parsing, revisor

    clears: list[Callable[[], None]] = [memo.clear for memo in revisor._MEMOS]
    clears += [revisor._classify.cache_clear, parsing._DATES.clear]
    for name in dir(parsing):
        cached = getattr(getattr(parsing, name), "cache_clear", None)
        if callable(cached):
            clears.append(cached)
    return clears


_MEMO_CLEARS = _memo_clears()


def forget_repeated_texts() -> None:
    """Empty the parser's memos: the records of blocks read before, and the action
    texts and dates which a session's bills share (a few hundred of each).  The
    first document of a scrape pays for all of them, and the benchmark's target is
    measured that way, cold.  (The list of memos is made once: emptying them is then
    a few calls, next to nothing in the timing.)"""
    for clear in _MEMO_CLEARS:
        clear()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.3, help="time per round and function")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    timing = {"seconds": args.seconds, "rounds": args.rounds}
    ok = True

    print("Revisor bill status XML (parse_bill_status_xml vs lxml.etree.fromstring, hardened)")
    for label, docs in (
        ("fixtures", bill_fixtures()),
        ("bench_parse, 24 actions", bill_synthetic()),
    ):
        xml_parser = hardened_xml_parser()

        def parse_all(docs: list[tuple[bytes, str, str]] = docs) -> None:
            for content, url, session in docs:
                parse_bill_status_xml(content, source_url=url, session=session)

        def bare_all(
            docs: list[tuple[bytes, str, str]] = docs, xml_parser: etree.XMLParser = xml_parser
        ) -> None:
            for content, _, _ in docs:
                etree.fromstring(content, parser=xml_parser)  # noqa: S320 (hardened parser)

        def parse_cold(docs: list[tuple[bytes, str, str]] = docs) -> None:
            for content, url, session in docs:
                forget_repeated_texts()
                parse_bill_status_xml(content, source_url=url, session=session)

        def walk_all(
            docs: list[tuple[bytes, str, str]] = docs, xml_parser: etree.XMLParser = xml_parser
        ) -> None:
            for content, _, _ in docs:
                root = etree.fromstring(content, parser=xml_parser)  # noqa: S320 (hardened)
                for element in root.iter():
                    element.tag, element.text  # noqa: B018 - read, as a reader must

        (mine, cold, bare, walk), _ = compare([parse_all, parse_cold, bare_all, walk_all], **timing)
        ok &= report(
            f"  {label} ({len(docs)} docs), every text new",
            len(docs),
            cold,
            bare,
            "etree.fromstring",
            3,
        )
        report(
            f"  {label} ({len(docs)} docs), texts seen before",
            len(docs),
            mine,
            bare,
            "etree.fromstring",
            3,
        )
        floor = f"  {label} ({len(docs)} docs), floor: every tag and text read"
        print(
            f"{floor:<44} {len(docs) / walk:>9.1f} docs/s   {'(no records, no checks)':<37}"
            f"   ratio {walk / bare:5.2f}x (not a target)"
        )

    print("House vote Details (parse_vote_details vs lxml.html.fromstring)")
    fixture = (FIXTURES / "votes" / "house_details_hf25_amendments.html").read_bytes()
    big = details_page()
    calls = parse_vote_details(big, source_url="bench", bill_type="HF", number=25)
    assert sum(len(c.yes_names) + len(c.no_names) for c in calls) == 500
    for label, page in (("fixture hf25 (5 panels)", fixture), ("generated, 500 names", big)):

        def details(page: bytes = page) -> None:
            parse_vote_details(page, source_url="bench", bill_type="HF", number=25)

        def bare_html(page: bytes = page) -> None:
            lxml.html.fromstring(page)

        (mine, bare), _ = compare([details, bare_html], **timing)
        ok &= report(f"  {label}", 1, mine, bare, "lxml.html.fromstring", 3)

    print(
        "Senate journal PDF text (extract_pages_text, laid out, vs PyMuPDF / pypdfium2 "
        "text runs with boxes)"
    )
    pdf, roll_calls = journal()
    texts = extract_pages_text(pdf, 1, 40, source_url="bench.pdf")
    assert len(parse_day_roll(texts[:2], source_url="bench.pdf").present) == 67
    for page, yeas, nays in roll_calls:
        rc = find_roll_call(
            texts[page - 2 : page + 1], bill_type="SF", number=1799 + page, yeas=yeas,
            nays=nays, source_url="bench.pdf", first_page=page - 1,
        )  # fmt: skip
        assert (len(rc.yes_names), len(rc.no_names)) == (yeas, nays), rc
    for label, first, last in (("40-page journal, all pages", 1, 40), ("pages 11-13", 11, 13)):
        functions: list[Callable[[], object]] = [
            functools.partial(extract_pages_text, pdf, first, last, source_url="bench.pdf"),
            functools.partial(pymupdf_runs, pdf, first, last),
            functools.partial(pdfium_runs, pdf, first, last),
            functools.partial(pymupdf_text, pdf, first, last),
            functools.partial(pdfium_text, pdf, first, last),
            functools.partial(pymupdf_words, pdf, first, last),
        ]
        (mine, mu, pdfi, mu_text, pdfi_text, mu_words), _ = compare(functions, **timing)
        best_name, best = min(
            (("PyMuPDF runs (dict)", mu), ("pypdfium2 runs", pdfi)), key=lambda x: x[1]
        )
        ok &= report(f"  {label}", 1, mine, best, best_name, 1)
        print(
            f"{'':<44} {'':>9}         runs: PyMuPDF {1 / mu:7.1f}, pypdfium2 {1 / pdfi:7.1f} "
            f"docs/s"
        )
        print(
            f"{'':<44} {'':>9}         not enough for the parser: PyMuPDF plain "
            f"{1 / mu_text:7.1f} ({mine / mu_text:.2f}x), words {1 / mu_words:7.1f} "
            f"({mine / mu_words:.2f}x), pypdfium2 plain {1 / pdfi_text:7.1f} "
            f"({mine / pdfi_text:.2f}x) docs/s"
        )
        if label.startswith("pages"):
            pypdf = functools.partial(pypdf_layout_text, pdf, first, last)
            (old,), _ = compare([pypdf], seconds=args.seconds, rounds=3)
            print(f"{'':<44} {'':>9}         pypdf layout mode (before) {1 / old:7.1f} docs/s")
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
