"""Parse throughput of the Revisor bill status XML parser on one core.

Generates N synthetic bill status documents (invented legislators, shaped like
tests/fixtures/mn/reconstructed/) in memory and times
``scrapers.revisor.parse_bill_status_xml`` over them.

    .venv/bin/python benchmarks/bench_parse.py [--n 1500] [--actions 24] [--check]

Prints documents/second and PASS/FAIL against the target (500 docs/s).  Exits
0 unless ``--check`` is given and the target is missed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scrapers.revisor import parse_bill_status_xml  # noqa: E402

TARGET_DOCS_PER_SECOND = 500.0

SURNAMES = [
    "Lindqvist, A.",
    "Ibáñez-Ortega",
    "Johanssen, P.",
    "Johanssen, R.",
    "Okonkwo",
    "Halvorsen",
    "Tran, M.",
    "Bergstrom",
    "Nakamura",
    "Whitfield",
    "Castellanos",
    "Dahl, E.",
    "Ferreira",
    "Gundersen",
]
ACTION_TEXTS = [
    ("Introduction and first reading, referred to Taxes", ""),
    ("Author added", ""),
    ("Comm report: To pass as amended and re-refer to Finance", ""),
    ("Second reading", ""),
    ("Amendments offered", ""),
    ("Third reading Passed as amended", "{y}-{n}"),
    ("Received from Senate", ""),
    ("Bill was passed as amended", "{y}-{n}"),
    ("Conferees appointed", ""),
    ("Conference committee report adopted", ""),
    ("Presented to Governor", ""),
    ("Governor's action Approval", ""),
    ("Secretary of State Chapter 12", ""),
]


def _author(key: int, name: str) -> str:
    return (
        f"<AUTHOR><LEGISLATOR_KEY>{key}</LEGISLATOR_KEY><MEMBER_NAME>{name}</MEMBER_NAME>"
        "<COMMITTEE_ID></COMMITTEE_ID><COMMITTEE_NAME></COMMITTEE_NAME></AUTHOR>"
    )


def _action(rng: random.Random, number: int, day: int) -> str:
    text, roll = ACTION_TEXTS[rng.randrange(len(ACTION_TEXTS))]
    roll = roll.format(y=rng.randint(34, 120), n=rng.randint(0, 33)) if roll else ""
    date = "" if rng.random() < 0.05 else f"2025-{1 + day // 28:02d}-{1 + day % 28:02d} 00:00:00"
    page = f"{rng.randint(1, 6000)}{'a' if rng.random() < 0.03 else ''}"
    return (
        f"<ACTION><ACTION_NUMBER>{number}</ACTION_NUMBER><ACTION_GROUP>Action</ACTION_GROUP>"
        f"<ACTION_TEXT>{text}</ACTION_TEXT><ACTION_DATE>{date}</ACTION_DATE>"
        "<ACTION_DESCRIPTION></ACTION_DESCRIPTION><COMMITTEE_ID></COMMITTEE_ID>"
        "<COMMITTEE_NAME></COMMITTEE_NAME>"
        f"<JOURNAL_PAGE>{page}</JOURNAL_PAGE><ROLL_CALL>{roll}</ROLL_CALL></ACTION>"
    )


def make_document(rng: random.Random, number: int, n_actions: int) -> bytes:
    house_authors = "".join(
        _author(15000 + i, rng.choice(SURNAMES)) for i in range(rng.randint(1, 6))
    )
    senate_authors = "".join(
        _author(90000 + i, rng.choice(SURNAMES)) for i in range(rng.randint(0, 4))
    )
    half = n_actions // 2
    house_actions = "".join(_action(rng, i + 1, i * 3) for i in range(half))
    senate_actions = "".join(_action(rng, i + 1, i * 3 + 1) for i in range(n_actions - half))
    versions = "".join(
        "<DOCUMENT>"
        f"<HTML_URI>www.revisor.mn.gov/bills/94/2025/0/HF/{number}/versions/{e}/</HTML_URI>"
        f"<PDF_URI>www.revisor.mn.gov/bills/94/2025/0/HF/{number}/versions/{e}/pdf/</PDF_URI>"
        f"<DATE_INSERT>2025-03-{10 + e:02d} 12:00:00</DATE_INSERT>"
        f"<DOCUMENT_NAME>2025.0-HF{number}-{e}</DOCUMENT_NAME>"
        f"<DOCUMENT_TYPE>official</DOCUMENT_TYPE><DOCUMENT_ENGROSSMENT>{e}</DOCUMENT_ENGROSSMENT>"
        "</DOCUMENT>"
        for e in range(rng.randint(1, 3))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<BILL>'
        "<SESSION_NUMBER>94</SESSION_NUMBER><SESSION_YEAR>2025</SESSION_YEAR>"
        "<SESSION_TYPE>0</SESSION_TYPE><SESSION_TEXT>2025 Regular Session</SESSION_TEXT>"
        f"<FILE_TYPE>HF</FILE_TYPE><FILE_NUMBER>{number}</FILE_NUMBER>"
        f"<REVISOR_NUMBER>25-{number:05d}</REVISOR_NUMBER>"
        f"<DESCRIPTION>Synthetic bill number {number} for benchmarking</DESCRIPTION>"
        f"<COMPANION_TYPE>SF</COMPANION_TYPE><COMPANION_NUMBER>{number + 7}</COMPANION_NUMBER>"
        f"<AUTHORS><house>{house_authors}</house><senate>{senate_authors}</senate></AUTHORS>"
        f"<ACTIONS><house>{house_actions}</house><senate>{senate_actions}</senate></ACTIONS>"
        f"<TEXT_VERSION_LIST>{versions}</TEXT_VERSION_LIST></BILL>"
    ).encode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1500, help="documents to parse")
    parser.add_argument("--actions", type=int, default=24, help="actions per document")
    parser.add_argument("--seed", type=int, default=94)
    parser.add_argument("--check", action="store_true", help="exit 1 if below target")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    docs = [make_document(rng, i + 1, args.actions) for i in range(args.n)]
    total_bytes = sum(len(d) for d in docs)

    parse_bill_status_xml(docs[0], source_url="bench://warmup", session="2025-2026")
    start = time.perf_counter()
    statuses: dict[str, int] = {}
    for i, doc in enumerate(docs):
        record = parse_bill_status_xml(doc, source_url=f"bench://{i}", session="2025-2026")
        statuses[record.status] = statuses.get(record.status, 0) + 1
    elapsed = time.perf_counter() - start

    rate = args.n / elapsed
    verdict = "PASS" if rate >= TARGET_DOCS_PER_SECOND else "FAIL"
    print(
        f"parsed {args.n} bill status documents ({args.actions} actions each, "
        f"{total_bytes / 1e6:.1f} MB) in {elapsed:.2f} s"
    )
    print(
        f"throughput: {rate:.0f} documents/second (target {TARGET_DOCS_PER_SECOND:.0f}): {verdict}"
    )
    print("statuses: " + ", ".join(f"{k}={v}" for k, v in sorted(statuses.items())))
    if args.check and verdict == "FAIL":
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
