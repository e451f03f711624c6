from __future__ import annotations

import dataclasses

import pytest

from scrapers.sources import PRODUCTION, Sources, add_scheme

LOCAL = {
    "revisor": "http://127.0.0.1:5123/revisor/",
    "revisor_api": "http://127.0.0.1:5123/api",
    "house": "http://127.0.0.1:5124",
    "senate": "http://localhost:5125/senate//",
    "leg": "http://127.0.0.1:5126/leg",
}


@pytest.fixture
def local() -> Sources:
    return Sources(**LOCAL)


def test_defaults_are_the_production_sites() -> None:
    assert Sources() == PRODUCTION
    assert dataclasses.asdict(PRODUCTION) == {
        "revisor": "https://www.revisor.mn.gov",
        "revisor_api": "https://api.revisor.mn.gov",
        "house": "https://www.house.mn.gov",
        "senate": "https://www.senate.mn",
        "leg": "https://www.leg.mn.gov",
        "lrl": "https://www.lrl.mn.gov",
    }


def test_trailing_slashes_are_stripped_and_missing_bases_are_production() -> None:
    assert dataclasses.asdict(Sources(**LOCAL)) == {
        "revisor": "http://127.0.0.1:5123/revisor",
        "revisor_api": "http://127.0.0.1:5123/api",
        "house": "http://127.0.0.1:5124",
        "senate": "http://localhost:5125/senate",
        "leg": "http://127.0.0.1:5126/leg",
        "lrl": "https://www.lrl.mn.gov",  # not in LOCAL: production
    }


def test_base_without_scheme_is_rejected() -> None:
    with pytest.raises(ValueError, match="scheme"):
        Sources(house="www.house.mn.gov")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("www.revisor.mn.gov/bills/x", "https://www.revisor.mn.gov/bills/x"),
        ("//www.revisor.mn.gov/x", "https://www.revisor.mn.gov/x"),
        ("http://www.house.mn.gov/a", "http://www.house.mn.gov/a"),
        ("https://example.com/a?b=1", "https://example.com/a?b=1"),
        ("  api.revisor.mn.gov/bills/  ", "https://api.revisor.mn.gov/bills/"),
    ],
)
def test_add_scheme(url: str, expected: str) -> None:
    assert add_scheme(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # The example from the brief: scheme-less API link onto a base with a path.
        (
            "api.revisor.mn.gov/bills/v1/94/2025/0/HF/1/",
            "http://127.0.0.1:5123/api/bills/v1/94/2025/0/HF/1/",
        ),
        ("https://api.revisor.mn.gov/bills/v1/", "http://127.0.0.1:5123/api/bills/v1/"),
        ("//www.revisor.mn.gov/x", "http://127.0.0.1:5123/revisor/x"),
        (
            "https://www.revisor.mn.gov/bills/status_result.php?body=House&search=basic",
            "http://127.0.0.1:5123/revisor/bills/status_result.php?body=House&search=basic",
        ),
        ("revisor.mn.gov/laws/2025/0/1/", "http://127.0.0.1:5123/revisor/laws/2025/0/1/"),
        ("WWW.Revisor.MN.gov/a", "http://127.0.0.1:5123/revisor/a"),
        (
            "http://www.house.mn.gov/members/profile/15593",
            "http://127.0.0.1:5124/members/profile/15593",
        ),
        ("house.mn.gov/votes/x#top", "http://127.0.0.1:5124/votes/x#top"),
        (
            "http://www.house.leg.state.mn.us/members/list.asp",
            "http://127.0.0.1:5124/members/list.asp",
        ),
        ("house.leg.state.mn.us/a?b=c", "http://127.0.0.1:5124/a?b=c"),
        (
            "https://www.senate.mn/members/member_bio.html?mem_id=1190",
            "http://localhost:5125/senate/members/member_bio.html?mem_id=1190",
        ),
        ("senate.mn/x", "http://localhost:5125/senate/x"),
        (
            "http://www.senate.leg.state.mn.us/departments/",
            "http://localhost:5125/senate/departments/",
        ),
        ("www.leg.mn.gov/leg/districtfinder", "http://127.0.0.1:5126/leg/leg/districtfinder"),
        ("https://leg.mn.gov", "http://127.0.0.1:5126/leg"),
        ("https://www.house.mn.gov:443/a", "http://127.0.0.1:5124/a"),
        # Unknown hosts: scheme added when missing, otherwise unchanged.
        ("example.com/a", "https://example.com/a"),
        ("//cdn.example.org/p.png", "https://cdn.example.org/p.png"),
        ("http://example.com/a?b=1", "http://example.com/a?b=1"),
        ("https://www.mn.gov/x", "https://www.mn.gov/x"),
        ("https://api.revisor.mn.gov.evil.test/x", "https://api.revisor.mn.gov.evil.test/x"),
        # Relative paths without a base are left alone.
        ("/bills/x.php", "/bills/x.php"),
        ("status.php?x=1", "status.php?x=1"),
        ("mailto:someone@example.com", "mailto:someone@example.com"),
    ],
)
def test_rebase_local(local: Sources, url: str, expected: str) -> None:
    assert local.rebase(url) == expected


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        # Relative links on a production page.
        (
            "/bills/bill.php?b=House&f=HF1",
            "https://www.revisor.mn.gov/bills/status_result.php",
            "http://127.0.0.1:5123/revisor/bills/bill.php?b=House&f=HF1",
        ),
        (
            "text.php?number=HF1",
            "https://www.revisor.mn.gov/bills/bill.php",
            "http://127.0.0.1:5123/revisor/bills/text.php?number=HF1",
        ),
        # Relative links on a page already fetched from the configured host keep its path.
        (
            "/bills/x.php",
            "http://127.0.0.1:5123/revisor/bills/status.php",
            "http://127.0.0.1:5123/revisor/bills/x.php",
        ),
        (
            "../a.html",
            "http://127.0.0.1:5124/members/b/c.html",
            "http://127.0.0.1:5124/members/a.html",
        ),
        # Absolute links ignore the base.
        ("api.revisor.mn.gov/b/", "https://www.house.mn.gov/", "http://127.0.0.1:5123/api/b/"),
        ("https://example.com/a", "https://www.house.mn.gov/", "https://example.com/a"),
        # Unknown base: a plain join.
        ("b/c", "https://example.com/a/", "https://example.com/a/b/c"),
        # Scheme-less production base.
        ("x", "www.senate.mn/members/", "http://localhost:5125/senate/members/x"),
    ],
)
def test_rebase_relative(local: Sources, url: str, base: str, expected: str) -> None:
    assert local.rebase(url, base=base) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("api.revisor.mn.gov/bills/v1/", "https://api.revisor.mn.gov/bills/v1/"),
        ("http://www.house.leg.state.mn.us/a", "https://www.house.mn.gov/a"),
        ("senate.mn/a", "https://www.senate.mn/a"),
        ("example.com/x", "https://example.com/x"),
    ],
)
def test_rebase_with_default_sources(url: str, expected: str) -> None:
    assert Sources().rebase(url) == expected


def test_base_for(local: Sources) -> None:
    assert local.base_for("api.revisor.mn.gov") == "http://127.0.0.1:5123/api"
    assert local.base_for("www.house.leg.state.mn.us") == "http://127.0.0.1:5124"
    assert local.base_for("example.com") is None
