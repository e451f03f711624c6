"""Promise 3: fictional data is never attached to a real person.

Every name in the hand-built fixtures and the demo data is checked against
the real Open States records for Minnesota (current and former members).
"""

from __future__ import annotations

import json
import re

import pytest
import yaml

from tests.conftest import FIXTURES, openstates_dir
from tracker.demo import FAMILY_NAMES, GIVEN_NAMES

pytestmark = pytest.mark.openstates


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
