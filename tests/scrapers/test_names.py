"""Tests for scrapers.names: printed names -> the one candidate they mean.

The resolver never compares dates: the caller passes tiers of candidates
chosen by the seat rule (``tracker.seats``).  Here the candidates are chosen
from invented terms with that same rule (``tracker.seats.held``).  Every
legislator here is invented.
"""

from __future__ import annotations

import datetime as dt

import pytest

from scrapers.names import (
    Excluded,
    Seat,
    Tier,
    family_matches,
    name_key,
    resolve_names,
    strip_title,
)
from scrapers.vocab import HOUSE, SENATE
from tracker.seats import held

D = dt.date
ON = D(2025, 4, 29)

# (seat, start, end): invented terms.
TERMS = [
    # Surname collision within the House, told apart by initials.
    (Seat("paula", HOUSE, "12A", ("Johanssen, P.",), "Johanssen", "Paula"), D(2023, 1, 3), None),
    (Seat("rolf", HOUSE, "30B", ("Johanssen, R.",), "Johanssen", "Rolf"), D(2025, 1, 14), None),
    # The same surname in the Senate.
    (Seat("signe", SENATE, "7", ("Johanssen",), "Johanssen", "Signe"), D(2023, 1, 3), None),
    # The same surname across time: Ada left, Emeka won the special election.
    (Seat("ada", HOUSE, "44A", ("Okonkwo",), "Okonkwo", "Ada"), D(2019, 1, 7), D(2025, 2, 10)),
    (Seat("emeka", HOUSE, "44A", ("Okonkwo",), "Okonkwo", "Emeka"), D(2025, 3, 4), None),
    # Accents.
    (
        Seat("lucia", HOUSE, "61B", ("Ibáñez-Ortega",), "Ibáñez-Ortega", "Lucía"),
        D(2025, 1, 14),
        None,
    ),
    (Seat("marta", HOUSE, "3A", ("Pérez",), "Pérez", "Marta"), D(2025, 1, 14), None),
    # No printed forms at all: initials derived from the given names.
    (Seat("karin", HOUSE, "19A", (), "Haugland", "Karin Marie"), D(2025, 1, 14), None),
    # Term start unknown: never seated by the rule.
    (Seat("teo", HOUSE, "52B", ("Castellanos",), "Castellanos", "Teo"), None, None),
    # Senate only.
    (Seat("henrik", SENATE, "40", ("Halvorsen",), "Halvorsen", "Henrik"), D(2023, 1, 3), None),
    # A district change mid-term: one person, two seats.
    (Seat("nils", HOUSE, "8A", ("Lindqvist",), "Lindqvist", "Nils"), D(2023, 1, 3), D(2025, 1, 13)),
    (Seat("nils", HOUSE, "8B", ("Lindqvist",), "Lindqvist", "Nils"), D(2025, 1, 14), None),
]


def candidates(chamber: str, on: dt.date) -> tuple[list[Tier], list[Excluded]]:
    """The seated tier and the excluded, as tracker.roster does for a roll call."""
    seated: dict[str, Seat] = {}
    excluded: list[Excluded] = []
    for seat, start, end in TERMS:
        if seat.chamber == chamber and held(start, end, on):
            seated[seat.person_key] = seat
        elif seat.chamber == chamber:
            why = "term start unknown" if start is None else "not seated that day"
            excluded.append(Excluded(seat, why))
        elif held(start, end, on):
            excluded.append(Excluded(seat, "in the other chamber that day"))
    return [Tier("seated", tuple(seated.values()))], excluded


def resolve(printed: str, *, on: dt.date = ON, chamber: str = HOUSE, **kw):
    tiers, excluded = candidates(chamber, on)
    return resolve_names(
        [printed], tiers=tiers, excluded=excluded, where=f"in the {chamber} on {on}", **kw
    )


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
        ("Johanssen", HOUSE, ON, "ambiguous family name: 2 seated members in the house"),
        ("Johanssen, Q.", HOUSE, ON, "no member in the house on 2025-04-29 matches"),
        ("Halvorsen", HOUSE, ON, "Henrik Halvorsen (district 40): in the other chamber"),
        (
            "Johanssen, R.",
            HOUSE,
            D(2024, 5, 1),
            "Rolf Johanssen (district 30B): not seated that day",
        ),
        ("Okonkwo", HOUSE, D(2025, 2, 20), "not seated that day"),  # the vacancy
        ("Castellanos", HOUSE, ON, "Teo Castellanos (district 52B): term start unknown"),
        ("Nobody", HOUSE, ON, "no member in the house on 2025-04-29 matches"),
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


def seats_of(*keys: str) -> tuple[Seat, ...]:
    found = {s.person_key: s for s, _, _ in TERMS}
    return tuple(found[k] for k in keys)


def test_later_tiers_only_for_names_the_first_leaves_and_never_for_matched_people() -> None:
    """A journal roll: the seated first, then those the sources do not exclude."""
    tiers = [
        Tier("seated", seats_of("paula", "rolf")),
        Tier("possibly seated", seats_of("teo", "paula")),
    ]
    result = resolve_names(["Johanssen, P.", "Castellanos"], tiers=tiers)
    assert result.matched == {"Johanssen, P.": "paula", "Castellanos": "teo"}
    assert result.evidence["Johanssen, P."] == ("seated", "name form")
    assert result.evidence["Castellanos"] == ("possibly seated", "name form")
    assert result.seats["Castellanos"].district == "52B"
    # ambiguous in the first tier: a later tier cannot make it certain
    ambiguous = resolve_names(["Johanssen", "Castellanos"], tiers=tiers)
    assert "ambiguous family name" in ambiguous.unmatched["Johanssen"]
    # a bare family name is tried last, among the people no other name took
    deduced = resolve_names(["Johanssen", "Johanssen, P."], tiers=tiers)
    assert deduced.matched == {"Johanssen, P.": "paula", "Johanssen": "rolf"}
    assert deduced.evidence["Johanssen"] == ("seated", "family name")
    # a person matched in the first tier is no candidate in the next
    second = resolve_names(
        ["Johanssen, P.", "Johanssen"],
        tiers=[
            Tier("seated", seats_of("paula")),
            Tier("possibly seated", seats_of("paula", "rolf")),
        ],
    )
    assert second.matched == {"Johanssen, P.": "paula", "Johanssen": "rolf"}


def test_titles_of_the_presiding_officer_are_ignored() -> None:
    assert strip_title("Spk. Hortmanby") == "Hortmanby"
    assert strip_title("Sp.Anderson,I") == "Anderson,I"
    assert strip_title("Speaker Lindqvist") == "Lindqvist"
    assert strip_title("Senator") == "Senator"  # a title alone is kept as printed
    result = resolve("Spk. Lindqvist")
    assert result.matched == {"Spk. Lindqvist": "nils"}
    assert name_key("Sp.Ibáñez-Ortega") == "ibanez-ortega"


def test_mappings_win_first_and_must_be_candidates() -> None:
    mappings = {"Johanssen": "rolf", "Okonkwo-Reyes": "emeka", "Eklund": "ada"}
    tiers, excluded = candidates(HOUSE, ON)
    result = resolve_names(
        ["Johanssen", "okonkwo-reyes", "Eklund"],
        tiers=tiers,
        mappings=mappings,
        where="in the house on 2025-04-29",
    )
    assert result.matched == {"Johanssen": "rolf", "okonkwo-reyes": "emeka"}
    assert result.evidence["Johanssen"] == ("seated", "mapping")
    assert result.unmatched == {
        "Eklund": "mapped to ada, who is not a candidate in the house on 2025-04-29"
    }


def test_accent_exact_form_wins_over_a_folded_collision() -> None:
    tiers = [
        Tier(
            "seated",
            (
                Seat("marta", HOUSE, "3A", ("Pérez",), "Pérez", "Marta"),
                Seat("tomas", HOUSE, "4A", ("Perez",), "Perez", "Tomas"),
            ),
        )
    ]
    result = resolve_names(["Pérez", "Perez", "PEREZ", "Pérez, M."], tiers=tiers)
    assert result.matched == {
        "Pérez": "marta",
        "Perez": "tomas",
        "PEREZ": "tomas",
        "Pérez, M.": "marta",
    }
    folded_only = resolve_names(["Pêrez"], tiers=tiers)
    assert "ambiguous name form: 2 seated members" in folded_only.unmatched["Pêrez"]


def test_duplicates_flag_both_printed_names() -> None:
    tiers, _ = candidates(HOUSE, ON)
    result = resolve_names(["Johanssen, P.", "Johanssen, P.", "Okonkwo", "Lindqvist"], tiers=tiers)
    assert result.duplicates == {"paula": ("Johanssen, P.", "Johanssen, P.")}
    assert not result.complete
    result = resolve_names(["Haugland, K.", "Haugland, K. M."], tiers=tiers)
    assert result.duplicates == {"karin": ("Haugland, K.", "Haugland, K. M.")}


def test_blank_names_are_ignored() -> None:
    tiers, _ = candidates(HOUSE, ON)
    assert resolve_names(["", "  "], tiers=tiers).matched == {}


def test_family_matches_full_printed_names() -> None:
    seat = Seat("lucia", HOUSE, "61B", ("Ibáñez-Ortega, L.",), "Ibáñez-Ortega", "Lucía")
    assert family_matches("Lucía M. Ibáñez-Ortega", seat)
    assert family_matches("Lucia (Lucy) IBANEZ-ORTEGA", seat)
    assert not family_matches("Lucía Ibáñez", seat)
    two = Seat("van", HOUSE, "9A", (), "Van Amberly", "Otto")
    assert family_matches("Otto J. Van Amberly", two)
    assert not family_matches("Otto Amberly", two)
    # A generational suffix follows the family name on the first day's roll.
    junior = Seat("jr", HOUSE, "50A", (), "Kvaleberg", "Jonas")
    for printed in (
        "Jonas (Jo) Kvaleberg Jr.",
        "Jonas Kvaleberg, Jr.",
        "Jonas Kvaleberg Sr",
        "Jonas Kvaleberg III",
    ):
        assert family_matches(printed, junior), printed
    assert not family_matches("Jonas Jr.", junior)


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("Anderson, P. E.", "anderson,pe"),
        ("Anderson, P.E.", "anderson,pe"),
        ("Pérez–Vega", "perez-vega"),
        ("O’Brien", "o'brien"),
        ("Van  Loon", "van loon"),
        ("Spk. Hortmanby", "hortmanby"),
    ],
)
def test_name_key(printed: str, key: str) -> None:
    assert name_key(printed) == key
    assert name_key("Pérez", accents=True) == "pérez"
