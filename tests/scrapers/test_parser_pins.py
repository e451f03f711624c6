"""Pinned outputs of the fast parsers ("Parsers at the floor").

The database compares bill content hashes across runs, so the digests below were
computed with the original implementation (``_plain`` + ``json.dumps(sort_keys)``)
before the parsers were optimised; they must never change.  The ``repr`` digests
pin every field of the records the parsers return.

``test_content_hash_matches_the_reference`` also checks the hash against that
original implementation, kept here verbatim, on many generated records (odd
characters, missing values, empty tuples), not only on the fixtures.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import random
from pathlib import Path

import pytest

from scrapers.house_votes import parse_vote_details
from scrapers.records import ActionRecord, AuthorRecord, BillRecord, TextVersionRecord
from scrapers.revisor import content_hash, parse_bill_status_xml

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mn" / "reconstructed"

# (fixture, session, content_hash, sha256 of repr(BillRecord)), computed before any change.
BILL_PINS = [
    (
        "bill_status_hf1500_2025_vetoed.xml",
        "2025-2026",
        "684384df4f0f1c3ae8dcc00e0f702d762b91627ff49871073cb8fca39f282006",
        "674cbe4a99aadaed15ab0b4c1d9290b40ca16375b8fb329caef07cc77636610f",
    ),
    (
        "bill_status_hf2136_2025_upper.xml",
        "2025-2026",
        "0ac84171b8fd7c89164ad763b099eea0f04301bc6f2ae72701302365280dc3ea",
        "7d262ff0959960633523bb7e3e90e00b38ef9c106bd181b15380e934b63a8e9e",
    ),
    (
        "bill_status_hf5_2025.xml",
        "2025-2026",
        "cd25413dac69a9d5afc79c17203aea97256f01f3f974b0d7a65c5bf29488e82e",
        "608336c1bf9951d6dd33dba93960fc347491b7d68c697782d8bc8be3496c3abf",
    ),
    (
        "bill_status_hf5_2025s1.xml",
        "2025s1",
        "967d0ea00c86c6023b9d9080895c332a67f78f0c910cef631780495fa8ed9959",
        "2b3cf8c0f051ba1f5b94a65b523dd0ee2e6609acc23e80409bdb359dd64056df",
    ),
    (
        "bill_status_sc3_2025_namespaced.xml",
        "2025-2026",
        "4c189d5738baccd9d4a43d0fa791be7248e7006f5720c742732afac7f495e6d1",
        "9d1f09d9f2f3e3f813c057922d502083abfb5f6d48970ceabca11d1383cc0b5f",
    ),
    (
        "bill_status_sf1832_2025.xml",
        "2025-2026",
        "ddb18208b859debbb65de3a7579e12d742a3b2142c52fd9a93e04c635a745963",
        "9e78d1dd458421cdb79dac81ca134cbcf7800b72f3de2799b5b0738f597f7243",
    ),
]

# (fixture, sha256 of repr(list of ParsedRollCall)) for bill HF 25, source_url "u".
DETAILS_PINS = [
    (
        "house_details_hf25_amendments.html",
        "8a9bcc80e5d68fafda64e14aa0143fbb6e6afad7cc8a23f18adfa94133e80214",
    ),
    (
        "house_details_no_votes.html",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ),
]


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


@pytest.mark.parametrize(("name", "session", "pinned_hash", "pinned_repr"), BILL_PINS)
def test_bill_status_fixture_pins(
    name: str, session: str, pinned_hash: str, pinned_repr: str
) -> None:
    url = f"https://api.revisor.mn.gov/fixture/{name}"
    bill = parse_bill_status_xml((FIXTURES / name).read_bytes(), source_url=url, session=session)
    assert bill.content_hash == pinned_hash
    assert content_hash(bill) == pinned_hash
    assert _reference_hash(bill) == pinned_hash
    assert _digest(bill) == pinned_repr


@pytest.mark.parametrize(("name", "pinned_repr"), DETAILS_PINS)
def test_vote_details_fixture_pins(name: str, pinned_repr: str) -> None:
    content = (FIXTURES / "votes" / name).read_bytes()
    calls = parse_vote_details(content, source_url="u", bill_type="HF", number=25)
    assert _digest(calls) == pinned_repr


# --- the original content hash, verbatim ------------------------------------------------


def _reference_plain(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _reference_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_reference_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _reference_hash(bill: BillRecord) -> str:
    data = _reference_plain(bill)
    assert isinstance(data, dict)
    data.pop("content_hash", None)
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


_ODD_TEXT = [
    "",
    "plain",
    'quote " and backslash \\ and slash /',
    "Ibáñez-Ortega",
    "Pérez-Vega, J.",
    "tab\there\nnewline\r\x00\x01\x1f\x7f",
    "\u2028\u2029 line separators",
    "emoji \U0001f5f3 and CJK 議員",
    "\ufeffbom",
    "ü" * 3,
]


def _text(rng: random.Random) -> str:
    return rng.choice(_ODD_TEXT) + rng.choice(_ODD_TEXT)


def _maybe_text(rng: random.Random) -> str | None:
    return None if rng.random() < 0.3 else _text(rng)


def _maybe_int(rng: random.Random) -> int | None:
    return None if rng.random() < 0.3 else rng.choice([0, 1, 7, 120, 10**12, -3])


def _maybe_date(rng: random.Random) -> dt.date | None:
    if rng.random() < 0.3:
        return None
    return dt.date(rng.randint(1, 9999), rng.randint(1, 12), rng.randint(1, 28))


def _random_bill(rng: random.Random) -> BillRecord:
    authors = tuple(
        AuthorRecord(
            chamber=rng.choice(["house", "senate"]),
            printed_name=_text(rng),
            member_id=_maybe_text(rng),
            chief=rng.random() < 0.5,
            position=rng.randint(1, 40),
        )
        for _ in range(rng.randint(0, 5))
    )
    actions = tuple(
        ActionRecord(
            chamber=rng.choice(["house", "senate"]),
            number=rng.randint(1, 400),
            date=_maybe_date(rng),
            text=_text(rng),
            description=_maybe_text(rng),
            journal_page=_maybe_text(rng),
            committee=_maybe_text(rng),
            roll_call=_maybe_text(rng),
            yeas=_maybe_int(rng),
            nays=_maybe_int(rng),
            classification=tuple(_text(rng) for _ in range(rng.randint(0, 3))),
        )
        for _ in range(rng.randint(0, 6))
    )
    versions = tuple(
        TextVersionRecord(
            name=_text(rng),
            html_url=_maybe_text(rng),
            pdf_url=_maybe_text(rng),
            date=_maybe_date(rng),
            engrossment=_maybe_int(rng),
        )
        for _ in range(rng.randint(0, 3))
    )
    return BillRecord(
        session=_text(rng),
        bill_type=_text(rng),
        number=rng.randint(1, 10**6),
        title=_text(rng),
        status=_text(rng),
        source_url=_text(rng),
        revisor_number=_maybe_text(rng),
        companion_type=_maybe_text(rng),
        companion_number=_maybe_int(rng),
        authors=authors,
        actions=actions,
        versions=versions,
        content_hash=_text(rng),
    )


def test_content_hash_matches_the_reference() -> None:
    rng = random.Random(1832)
    for _ in range(2000):
        bill = _random_bill(rng)
        assert content_hash(bill) == _reference_hash(bill), bill
