"""Promise 3: fictional data is never attached to a real person.

Every name in the hand-built fixtures and the demo data is checked against
the real Open States records for Minnesota (current and former members).
"""

from __future__ import annotations

import json
import re

import pytest
import yaml

from scrapers import committee_votes, hearings, vocab
from scrapers.parsing import ParseError
from tests.conftest import FIXTURES, openstates_dir
from tracker.demo import FAMILY_NAMES, GIVEN_NAMES

COMMITTEES = FIXTURES / "mn" / "reconstructed" / "committees"

pytestmark = [pytest.mark.openstates, pytest.mark.nodb]  # no database


def real_names() -> tuple[set[str], set[str]]:
    full: set[str] = set()
    family: set[str] = set()
    for path in openstates_dir().glob("*/*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "name" not in data or "roles" not in data:
            continue
        full.add(data["name"].casefold())
        if data.get("family_name"):
            family.add(data["family_name"].casefold())
        for other in data.get("other_names") or []:
            full.add(other["name"].casefold())
    return full, family


def fixture_names() -> set[str]:
    names: set[str] = set()
    for path in FIXTURES.rglob("*"):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".xml":
            names |= set(re.findall(r"<MEMBER_NAME>([^<]+)</MEMBER_NAME>", text))
        elif path.suffix in {".yml", ".yaml"}:
            data = yaml.safe_load(text)
            if isinstance(data, dict) and "name" in data:
                names.add(data["name"])
                names |= {o["name"] for o in data.get("other_names") or []}
        elif path.suffix == ".json" and "members" in text:
            data = json.loads(text)
            names |= {m.get("preferred_full_name", "") for m in data.get("members", [])}
    return {n.strip() for n in names if n.strip()}


def test_fixture_names_are_invented() -> None:
    full, _ = real_names()
    names = fixture_names()
    assert len(names) >= 10  # the scan really found the fixtures' names
    clashes = sorted(n for n in names if n.casefold() in full)
    assert clashes == []


def test_demo_surnames_belong_to_no_real_legislator() -> None:
    _, family = real_names()
    assert len(family) > 400
    assert sorted(n for n in FAMILY_NAMES if n.casefold() in family) == []
    full, _ = real_names()
    demo_full = {f"{g} {f}".casefold() for g in GIVEN_NAMES for f in FAMILY_NAMES}
    assert demo_full.isdisjoint(full)


def committee_fixture_names() -> set[str]:
    """Every person named in the committee fixtures, read by the parsers themselves:
    minutes headers and roll calls, committee pages and Open States committee members."""
    names: set[str] = set()
    for path in sorted(COMMITTEES.glob("*minutes*.html")):
        chamber = vocab.SENATE if path.name.startswith("senate") else vocab.HOUSE
        content = path.read_bytes()
        header = committee_votes.parse_minutes_header(
            content, source_url=path.as_uri(), chamber=chamber
        )
        names |= {m.name for m in (*header.present, *header.excused, *header.absent)}
        try:
            calls = committee_votes.parse_minutes(
                content, source_url=path.as_uri(), chamber=chamber
            )
        except ParseError:
            continue  # the error fixtures: their members are in their headers
        for call in calls:
            names |= {*call.yes_names, *call.no_names, *call.absent_names}
    pages = [
        hearings.parse_house_committee_members(
            (COMMITTEES / "house_committee_members.html").read_bytes(), source_url="file:///h"
        ),
        hearings.parse_senate_committee_page(
            (COMMITTEES / "senate_committee_bio.html").read_bytes(), source_url="file:///s"
        ),
        *hearings.load_openstates_committees(COMMITTEES / "openstates"),
    ]
    names |= {m.name for committee in pages for m in committee.members}
    return names


def test_committee_fixture_names_are_invented() -> None:
    full, family = real_names()
    names = committee_fixture_names()
    assert len(names) >= 40  # the scan really read the fixtures
    assert sorted(n for n in names if n.casefold() in full) == []
    # surname-only forms ("HALLORAN", "Stone Ashby") must not be a real family name either
    words = {w for n in names for w in re.split(r"[\s,.\-’']+", n) if len(w) > 1}
    assert sorted(w for w in words if w.casefold() in family) == []
