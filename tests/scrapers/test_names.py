"""Tests for scrapers.names: printed vote names -> the one person seated that day.

Every legislator here is invented.
"""

from __future__ import annotations

import datetime as dt

import pytest

from scrapers.names import Seat, name_key, resolve_names, seated_on
from scrapers.vocab import HOUSE, SENATE

D = dt.date
ON = D(2025, 4, 29)

SEATS = [
    # Surname collision within the House, told apart by initials.
    Seat("paula", HOUSE, "12A", D(2023, 1, 3), None, ("Johanssen, P.",), "Johanssen", "Paula"),
    Seat("rolf", HOUSE, "30B", D(2025, 1, 14), None, ("Johanssen, R.",), "Johanssen", "Rolf"),
    # The same surname in the Senate.
    Seat("signe", SENATE, "7", D(2023, 1, 3), None, ("Johanssen",), "Johanssen", "Signe"),
    # The same surname across time: Ada left, Emeka won the special election.
    Seat("ada", HOUSE, "44A", D(2019, 1, 7), D(2025, 2, 10), ("Okonkwo",), "Okonkwo", "Ada"),
    Seat("emeka", HOUSE, "44A", D(2025, 3, 4), None, ("Okonkwo",), "Okonkwo", "Emeka"),
    # Accents.
    Seat("lucia", HOUSE, "61B", D(2025, 1, 14), None, ("Ibáñez-Ortega",), "Ibáñez-Ortega", "Lucía"),
    Seat("marta", HOUSE, "3A", D(2025, 1, 14), None, ("Pérez",), "Pérez", "Marta"),
    # No printed forms at all: initials derived from the given names.
    Seat("karin", HOUSE, "19A", D(2025, 1, 14), None, (), "Haugland", "Karin Marie"),
    # Term start unknown.
    Seat("teo", HOUSE, "52B", None, None, ("Castellanos",), "Castellanos", "Teo"),
    # Senate only.
    Seat("henrik", SENATE, "40", D(2023, 1, 3), None, ("Halvorsen",), "Halvorsen", "Henrik"),
    # A district change mid-term: one person, two seats.
    Seat("nils", HOUSE, "8A", D(2023, 1, 3), D(2025, 1, 13), ("Lindqvist",), "Lindqvist", "Nils"),
    Seat("nils", HOUSE, "8B", D(2025, 1, 14), None, ("Lindqvist",), "Lindqvist", "Nils"),
]


def resolve(printed: str, *, on: dt.date = ON, chamber: str = HOUSE, **kw):
    return resolve_names([printed], chamber=chamber, on=on, seats=SEATS, **kw)


@pytest.mark.parametrize(
    ("printed", "chamber", "on", "person"),
    [
        ("Johanssen, P.", HOUSE, ON, "paula"),
        ("Johanssen, R.", HOUSE, ON, "rolf"),
        ("johanssen,p", HOUSE, ON, "paula"),
        ("  Johanssen ,  R. ", HOUSE, ON, "rolf"),
        ("Johanssen", SENATE, ON, "signe"),  # unique among senators
        ("Johanssen, S.", SENATE, ON, "signe"),  # derived from the given name
        ("Okonkwo", HOUSE, D(2025, 2, 10), "ada"),  # her last day
        ("Okonkwo", HOUSE, ON, "emeka"),
        ("Okonkwo", HOUSE, D(2025, 3, 4), "emeka"),  # his first day
        ("Ibáñez-Ortega", HOUSE, ON, "lucia"),
        ("Ibanez-Ortega", HOUSE, ON, "lucia"),
        ("IBÁÑEZ–ORTEGA", HOUSE, ON, "lucia"),  # en dash, capitals
        ("Pérez", HOUSE, ON, "marta"),
        ("Perez", HOUSE, ON, "marta"),
        ("Haugland, K. M.", HOUSE, ON, "karin"),
        ("Haugland, K.M.", HOUSE, ON, "karin"),
        ("Haugland, KM", HOUSE, ON, "karin"),
        ("Haugland, K.", HOUSE, ON, "karin"),
        ("Haugland", HOUSE, ON, "karin"),  # bare family name, unique
        ("Lindqvist", HOUSE, D(2024, 6, 1), "nils"),
        ("Lindqvist", HOUSE, ON, "nils"),
    ],
)
def test_resolves_to_the_one_seated_person(
    printed: str, chamber: str, on: dt.date, person: str
) -> None:
    result = resolve(printed, chamber=chamber, on=on)
    assert result.matched == {" ".join(printed.split()): person}
    assert result.unmatched == {} and result.complete


@pytest.mark.parametrize(
    ("printed", "chamber", "on", "reason"),
    [
        ("Johanssen", HOUSE, ON, "ambiguous family name: 2 members seated in the house"),
        ("Johanssen, Q.", HOUSE, ON, "no member seated in the house on 2025-04-29 matches"),
        ("Halvorsen", HOUSE, ON, "Henrik Halvorsen (district 40) in the other chamber"),
        ("Johanssen, R.", HOUSE, D(2024, 5, 1), "Rolf Johanssen (district 30B), not seated"),
        ("Okonkwo", HOUSE, D(2025, 2, 20), "not seated that day"),  # the vacancy
        ("Castellanos", HOUSE, ON, "term start unknown"),
        ("Nobody", HOUSE, ON, "no member seated in the house on 2025-04-29 matches"),
    ],
)
def test_unmatched_with_a_reason(printed: str, chamber: str, on: dt.date, reason: str) -> None:
    result = resolve(printed, chamber=chamber, on=on)
    assert result.matched == {}
    assert reason in result.unmatched[printed]
    assert not result.complete


def test_ambiguous_reason_names_the_candidates() -> None:
    reason = resolve("Johanssen").unmatched["Johanssen"]
    assert "Paula Johanssen (district 12A)" in reason
    assert "Rolf Johanssen (district 30B)" in reason
    assert "map it" in reason


def test_unknown_start_ok_seats_a_member_whose_end_covers_the_day() -> None:
    assert resolve("Castellanos", unknown_start_ok=True).matched == {"Castellanos": "teo"}
    ended = [Seat("ula", HOUSE, "1A", None, D(2024, 12, 31), ("Ueland",), "Ueland", "Ula")]
    result = resolve_names(["Ueland"], chamber=HOUSE, on=ON, seats=ended, unknown_start_ok=True)
    assert "no member seated" in result.unmatched["Ueland"]


def test_mappings_win_first_and_must_be_seated() -> None:
    mappings = {"Johanssen": "rolf", "Okonkwo-Reyes": "emeka", "Eklund": "ada"}
    result = resolve_names(
        ["Johanssen", "okonkwo-reyes", "Eklund"],
        chamber=HOUSE,
        on=ON,
        seats=SEATS,
        mappings=mappings,
    )
    assert result.matched == {"Johanssen": "rolf", "okonkwo-reyes": "emeka"}
    assert result.unmatched == {
        "Eklund": "mapped to ada, who was not seated in the house on 2025-04-29"
    }


def test_accent_exact_form_wins_over_a_folded_collision() -> None:
    seats = [
        Seat("marta", HOUSE, "3A", D(2025, 1, 1), None, ("Pérez",), "Pérez", "Marta"),
        Seat("tomas", HOUSE, "4A", D(2025, 1, 1), None, ("Perez",), "Perez", "Tomas"),
    ]
    result = resolve_names(
        ["Pérez", "Perez", "PEREZ", "Pérez, M."], chamber=HOUSE, on=ON, seats=seats
    )
    assert result.matched == {
        "Pérez": "marta",
        "Perez": "tomas",
        "PEREZ": "tomas",
        "Pérez, M.": "marta",
    }
    folded_only = resolve_names(["Pêrez"], chamber=HOUSE, on=ON, seats=seats)
    assert "ambiguous name form: 2 members" in folded_only.unmatched["Pêrez"]


def test_duplicates_flag_both_printed_names() -> None:
    result = resolve_names(
        ["Johanssen, P.", "Johanssen, P.", "Okonkwo", "Lindqvist"],
        chamber=HOUSE,
        on=ON,
        seats=SEATS,
    )
    assert result.duplicates == {"paula": ("Johanssen, P.", "Johanssen, P.")}
    assert not result.complete
    result = resolve_names(["Haugland, K.", "Haugland, K. M."], chamber=HOUSE, on=ON, seats=SEATS)
    assert result.duplicates == {"karin": ("Haugland, K.", "Haugland, K. M.")}


def test_blank_names_are_ignored() -> None:
    assert resolve_names(["", "  "], chamber=HOUSE, on=ON, seats=SEATS).matched == {}


def test_seated_on_never_includes_members_before_or_after_their_terms() -> None:
    keys = lambda on, **kw: [s.person_key for s in seated_on(SEATS, HOUSE, on, **kw)]  # noqa: E731
    assert keys(ON) == ["paula", "rolf", "emeka", "lucia", "marta", "karin", "nils"]
    assert keys(ON, unknown_start_ok=True) == [
        "paula",
        "rolf",
        "emeka",
        "lucia",
        "marta",
        "karin",
        "teo",
        "nils",
    ]
    assert "ada" in keys(D(2025, 2, 10)) and "emeka" not in keys(D(2025, 2, 10))
    assert "ada" not in keys(D(2025, 2, 11))
    assert keys(D(2025, 1, 13)) == ["paula", "ada", "nils"]  # Rolf not yet sworn in
    assert [s.district for s in seated_on(SEATS, HOUSE, ON) if s.person_key == "nils"] == ["8B"]
    assert [s.person_key for s in seated_on(SEATS, SENATE, ON)] == ["signe", "henrik"]


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("Anderson, P. E.", "anderson,pe"),
        ("Anderson, P.E.", "anderson,pe"),
        ("Pérez–Vega", "perez-vega"),
        ("O’Brien", "o'brien"),
        ("Van  Loon", "van loon"),
    ],
)
def test_name_key(printed: str, key: str) -> None:
    assert name_key(printed) == key
    assert name_key("Pérez", accents=True) == "pérez"
