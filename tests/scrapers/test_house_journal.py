"""scrapers.house_journal: GetPage request and excused members in House Journal attendance.

The journal pages are hand-built (tests/fixtures/mn/reconstructed/votes/); every name
is invented."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from scrapers.house_journal import (
    is_printed_name,
    journal_page_request,
    parse_excused,
    split_columns,
)
from scrapers.parsing import ParseError
from tests.conftest import FIXTURES, openstates_dir

VOTES = FIXTURES / "mn" / "reconstructed" / "votes"
URL = "https://www.house.mn.gov/cco/journals/2025-26/J0313041.htm"


def page(body: str) -> bytes:
    return f"<html><body>{body}</body></html>".encode()


ROLL = "<p>The roll was called and the following members were present:</p><p>Okonkwo</p>"


def test_journal_page_request() -> None:
    assert journal_page_request("https://www.house.mn.gov/", "302", "643") == (
        "https://www.house.mn.gov/Votes/GetPage",
        {"PageNumber": "643", "SessionKey": 302},
    )
    assert journal_page_request("http://x", 302, " 3477a ")[1]["PageNumber"] == "3477a"


def test_lists_initials_accents_and_whole_day_only() -> None:
    found = parse_excused((VOTES / "house_journal_j0313041.html").read_bytes(), source_url=URL)
    assert found.date == dt.date(2025, 3, 13)
    assert found.source_url == URL
    # "A, B, C and D were excused." (wrapped over two source lines, after "A quorum was
    # present." in the same paragraph) and "A and B were excused for the day."
    assert found.excused == (
        "Castellanos",
        "Haugland, K. M.",
        "Ibáñez-Ortega",
        "Johanssen, R.",
        "Lindqvist",
        "Quillfeather",
    )
    # excused between two times / for the remainder of the session: never "excused"
    assert found.partly_excused == ("Okonkwo", "Halvorsen")


def test_single_member_with_initial_and_partial_day() -> None:
    found = parse_excused((VOTES / "house_journal_j0509068.html").read_bytes(), source_url=URL)
    assert found.date == dt.date(2025, 5, 9)
    assert found.excused == ("Johanssen, P.",)
    assert found.partly_excused == ("Okonkwo",)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Lindqvist and Okonkwo were excused.", ("Lindqvist", "Okonkwo")),
        ("Lindqvist was excused.", ("Lindqvist",)),
        (
            "Castellanos, Johanssen, P., and Okonkwo were excused.",
            ("Castellanos", "Johanssen, P.", "Okonkwo"),
        ),
        (
            "Johanssen, P. and Johanssen, R. were excused for the day.",
            ("Johanssen, P.", "Johanssen, R."),
        ),
        ("Haugland, K. M. was excused.", ("Haugland, K. M.",)),
        ("Okonkwo was excused until 1:10 p.m.", ()),
    ],
)
def test_sentence_forms(sentence: str, expected: tuple[str, ...]) -> None:
    assert parse_excused(page(ROLL + f"<p>{sentence}</p>"), source_url=URL).excused == expected


def test_nobody_excused_is_valid() -> None:
    found = parse_excused(page(ROLL + "<p>A quorum was present.</p>"), source_url=URL)
    assert found.excused == () and found.date is None


def test_excused_before_the_roll_is_not_read() -> None:
    found = parse_excused(page("<p>Lindqvist was excused.</p>" + ROLL), source_url=URL)
    assert found.excused == ()


def test_no_attendance_section_raises() -> None:
    with pytest.raises(ParseError, match="no attendance roll") as info:
        parse_excused((VOTES / "house_journal_no_attendance.html").read_bytes(), source_url=URL)
    assert info.value.source_url == URL


def test_unreadable_names_raise_rather_than_guess() -> None:
    with pytest.raises(ParseError, match="not a printed name"):
        parse_excused(page(ROLL + "<p>The following members were excused.</p>"), source_url=URL)
    with pytest.raises(ParseError, match="follow no surname"):
        parse_excused(page(ROLL + "<p>P. and Okonkwo were excused.</p>"), source_url=URL)


def test_windows_1252_page() -> None:
    body = (ROLL + "<p>Ibáñez-Ortega was excused.</p>").encode("cp1252")
    assert parse_excused(b"<html><body>" + body + b"</body></html>", source_url=URL).excused == (
        "Ibáñez-Ortega",
    )


# --- the day's roll: every format (tests/fixtures/mn/reconstructed/journals/) ------------

JOURNALS = FIXTURES / "mn" / "reconstructed" / "journals"


def journal(name: str):
    return parse_excused((JOURNALS / name).read_bytes(), source_url=f"{URL}#{name}")


# fixture -> the seats it invents (present + excused + excused until, complete days)
COMPLETE_DAYS = {
    "house_journal_2007_one_per_line.html": 22,
    "house_journal_2011_hard_breaks.html": 30,
    "house_journal_2002_grid_semicolons.html": 27,
    "house_journal_2021_remote.html": 24,
    "house_journal_2023_semicolons.html": 25,
    "house_journal_2025_layout.html": 24,
    "house_journal_2019_full_day.html": 25,
}


@pytest.mark.parametrize(("name", "seats"), sorted(COMPLETE_DAYS.items()))
def test_complete_day_names_every_seat_once(name: str, seats: int) -> None:
    found = journal(name)
    everyone = found.present + found.excused + found.excused_until
    assert len(everyone) == seats
    assert len(set(everyone)) == seats  # nobody twice
    assert not set(found.excused_until) & set(found.present)
    assert set(found.excused_until) <= set(found.partly_excused)
    assert found.quorum_present is True and not found.all_absent_excused
    assert found.districts == () and found.vacant_districts == ()


def test_2007_one_name_per_paragraph_windows_1252() -> None:
    found = journal("house_journal_2007_one_per_line.html")
    assert found.date == dt.date(2007, 4, 23)
    assert found.present[:3] == ("Aaltonen", "Abelsvik", "Birkeland-Osei")
    assert "Ødegård" in found.present and "O'Halloran-Brisk" in found.present
    assert found.present[-1] == "Spk. Thorsgaard"  # presiding officer as printed
    assert found.excused == ("Solvang", "Ulvestad")
    # two "until" sentences in one paragraph, the second wrapped in the source
    assert found.excused_until == ("Vandermolen", "Wennerstrom")
    assert found.partly_excused == ("Vandermolen", "Wennerstrom")


def test_2011_hard_breaks_page_header_and_broken_sentences() -> None:
    found = journal("house_journal_2011_hard_breaks.html")
    assert found.date == dt.date(2011, 3, 7)  # "March 7,<br>2011"
    assert len(found.present) == 22  # a "Top of Page 251" header inside the roll is skipped
    assert ("Ullensvang, B.", "Ullensvang, J.A.", "Ullensvang, J.E.") == found.present[17:20]
    assert found.present[-1] == "Spk. Aurdal"
    # a list broken across two paragraphs, "were<br>excused.", &nbsp; double spaces
    assert found.excused == ("Bygland", "Dalsbø", "Evje", "Fitjar", "Granvin", "Hornindal")
    assert found.excused_until == ("Iveland", "Jølster")
    # remainder of the session and between the hours: present, part-day only
    assert found.partly_excused == ("Iveland", "Jølster", "Espevik", "Lomen")
    assert {"Espevik", "Lomen"} <= set(found.present)


def test_1995_preformatted_columns() -> None:
    found = journal("house_journal_1995_pre_columns.html")
    assert found.date == dt.date(1996, 3, 25)
    # reading order, row by row; "Prestvikhamn Utvik" has one space between columns,
    # "Ten Vik" and "Van Amersfoort" are one name each
    assert found.present == (
        "Abelsvik",
        "Gausdal",
        "Lillesand",
        "Reinli",
        "Van Amersfoort",
        "Bremnes, R.",
        "Hjelmeland",
        "Lomvik",
        "Sandvoll",
        "Vestby",
        "Dovre",
        "Jevnaker",
        "Moldestad",
        "Ten Vik",
        "Ødegård",
        "Eikrem",
        "Kjell, A.",
        "Nesodden",
        "Tangvald",
        "Sp.Abelsvik,T",
        "Frostad",
        "Krokstad",
        "Prestvikhamn",
        "Utvik",
    )
    assert found.quorum_present is False
    assert found.all_absent_excused  # "...all members not present were excused."
    assert found.excused == found.excused_until == found.partly_excused == ()


def test_2002_column_major_table_and_semicolon_list() -> None:
    found = journal("house_journal_2002_grid_semicolons.html")
    assert found.present[:6] == (
        "Aasgard",
        "Farsund",
        "Lyngdal",
        "Rennebu",
        "Vikna, K.",
        "Bjerkreim",
    )
    assert found.present[-1] == "Spk. Oppdalen"
    assert found.excused == (
        "Abelsvik, T.",
        "Bremnes",
        "Dovre",
        "Kjellberg, A.",
        "Lindahl-Mære",
        "Nesodden",
    )
    assert found.excused_until == ("Vikna, M.",)


def test_2021_remote_notes_are_neither_names_nor_excusals() -> None:
    found = journal("house_journal_2021_remote.html")
    assert found.date == dt.date(2021, 3, 25)
    assert "Ten Broekhuis" in found.present and found.present[-1] == "Spk. Åmli"
    assert found.excused == ("Ølen",)
    assert found.excused_until == ("Årdal", "Ulvik")
    assert found.partly_excused == ("Årdal", "Ulvik")


def test_2023_semicolon_lists_with_initials() -> None:
    found = journal("house_journal_2023_semicolons.html")
    assert found.date == dt.date(2024, 2, 14)
    assert ("Farsund, P. E.", "Farsund, P. H.") == found.present[3:5]
    assert found.excused == ("Kvinesdal, R.", "Bremnes", "Frostad", "Nesodden")
    assert found.excused_until == ("Hjelmeland, S.", "Jevnaker, T.")


def test_2025_layout_table_roll_and_remote_notes() -> None:
    found = journal("house_journal_2025_layout.html")
    assert found.date == dt.date(2025, 4, 28)
    assert found.present[:5] == ("Aurdal", "Bygland", "Dalsbø", "Evje, M.", "Evje, W.")
    assert "Van Amersfoort" in found.present and found.present[-1] == "Spk. Rødsand"
    assert found.excused == ("Ølen", "Ulvik")
    assert found.excused_until == ("Årdal",)


def test_2019_full_day_reads_the_attendance_part_only() -> None:
    found = journal("house_journal_2019_full_day.html")
    assert found.date == dt.date(2019, 5, 6)
    # the printed journal's running head inside the roll is skipped, not its end
    assert len(found.present) == 20 and found.present[-1] == "Spk. Tingvoll"
    assert ("Lærdal", "Meland") == found.present[9:11]
    assert "Fana Sula" in found.present and "Hol Bremanger" in found.present
    # a semicolon list broken after "and" across two paragraphs
    assert found.excused == ("Aukra, K.", "Bremanger", "Fedje", "Gjesdal")
    assert found.excused_until == ("Hyllestad",)
    # bill text ("a pupil whose absence was excused", "A student who was excused") and an
    # excusal later in the day are past the attendance part: not read
    assert found.partly_excused == ("Hyllestad",)


def test_cal_day_without_quorum_all_absent_excused() -> None:
    found = journal("house_journal_2025_cal_no_quorum.html")
    assert found.present == ("Porsanger", "Spk. Rødsand")
    assert found.quorum_present is False
    assert found.all_absent_excused
    assert found.excused == ()  # nobody is named: nothing is invented


def test_first_day_roll_by_district() -> None:
    found = journal("house_journal_first_day_2013.html")
    assert found.date == dt.date(2013, 1, 8)
    assert found.present == ()
    assert found.districts == (
        ("1A", "Astrid M. Aaltonen"),
        ("3A", "Kari Dovre"),
        ("1B", 'Bjørn "Bo" Abelsvik'),
        ("3B", "Tor (Teddy) Eikrem"),
        ("2A", "Sigrid Birkeland-Osei"),
        ("2B", "Olav O'Halloran-Brisk"),
        ("4B", "Ragnhild Frostad"),
        ("5A", "Ingrid Gausdal, Jr."),
    )
    assert found.vacant_districts == ("4A",)
    assert found.excused_until == ("Aaltonen",)


def test_first_day_1995_district_form() -> None:
    found = journal("house_journal_first_day_1995.html")
    assert found.date == dt.date(1995, 1, 3)
    assert found.districts == (
        ("1A", "Halvard Jevnaker"),
        ("10A", "Marit Krokstad"),
        ("1B", "Eirik T. (Rik) Lillesand"),
        ("2A", "Gunnhild Moldestad"),
        ("3A", "Sverre Nesodden"),
        ("3B", "Liv Orkdal"),
    )
    assert found.vacant_districts == ("2B",)
    assert found.quorum_present is True


def test_existing_fixtures_read_their_rolls() -> None:
    found = parse_excused((VOTES / "house_journal_j0509068.html").read_bytes(), source_url=URL)
    assert found.present == (
        "Castellanos",
        "Haugland, K. M.",
        "Ibáñez-Ortega",
        "Johanssen, R.",
        "Lindqvist",
        "Okonkwo",
    )  # table cells
    assert found.excused_until == ("Okonkwo",)
    found = parse_excused((VOTES / "house_journal_j0313041.html").read_bytes(), source_url=URL)
    assert found.present == ("Halvorsen", "Johanssen, P.", "Okonkwo")  # <br> lines
    assert found.excused_until == ()
    assert found.quorum_present is True


# --- inline forms ----------------------------------------------------------------------


def roll_page(names: str, after: str = "<p>A quorum was present.</p>") -> bytes:
    return page(
        "<p>The roll was called and the following members were present:</p>" + names + after
    )


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ("<p>Aurdal</p><p>Bygland</p>", ("Aurdal", "Bygland")),
        ("<p>Aurdal<br>Bygland<br/>Spk. Dovre</p>", ("Aurdal", "Bygland", "Spk. Dovre")),
        (
            "<table><tr><td>Aurdal</td><td>Bygland</td></tr><tr><td>Evje</td><td></td></tr></table>",
            ("Aurdal", "Bygland", "Evje"),
        ),
        (
            "<pre>Aurdal       Bygland\nEvje         Fitjar\n</pre>",
            ("Aurdal", "Bygland", "Evje", "Fitjar"),
        ),
        # one row per paragraph with &nbsp; column gaps: the columns are found across the rows
        (
            "<p>Prestvikhamn&nbsp;Aurdal</p><p>Evje&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;"
            "Fitjar</p>",
            ("Prestvikhamn", "Aurdal", "Evje", "Fitjar"),
        ),
        (
            "<p>O’Halloran-Brisk</p><p>Van Amersfoort</p><p>Sp.Abelsvik,T</p>",
            ("O’Halloran-Brisk", "Van Amersfoort", "Sp.Abelsvik,T"),
        ),
    ],
)
def test_roll_layouts(names: str, expected: tuple[str, ...]) -> None:
    assert parse_excused(roll_page(names), source_url=URL).present == expected


def test_heading_across_paragraphs_and_names_after_the_colon() -> None:
    body = (
        "<p>The roll was called and the following</p><p>members were present: Aurdal</p>"
        "<p>Bygland</p><p>A quorum was present.</p>"
    )
    assert parse_excused(page(body), source_url=URL).present == ("Aurdal", "Bygland")


def test_the_first_heading_is_the_days_roll() -> None:
    later = (
        "<p>CALL OF THE HOUSE</p><p>The roll was called and the following members were "
        "present:</p><p>Evje</p><p>A quorum was present.</p>"
    )
    found = parse_excused(
        roll_page("<p>Aurdal</p>", "<p>A quorum was present.</p>" + later), source_url=URL
    )
    assert found.present == ("Aurdal",)


@pytest.mark.parametrize(
    ("sentence", "excused", "until", "partly"),
    [
        (
            "Aurdal; Bygland, R.; Dovre and Evje were excused.",
            ("Aurdal", "Bygland, R.", "Dovre", "Evje"),
            (),
            (),
        ),
        ("Bygland, R.; Dovre; and Evje were excused.", ("Bygland, R.", "Dovre", "Evje"), (), ()),
        (
            "Aurdal was excused until 1:40 p.m. Bygland and Dovre were excused until 2:05 p.m.",
            (),
            ("Aurdal", "Bygland", "Dovre"),
            ("Aurdal", "Bygland", "Dovre"),
        ),
        ("Aurdal was excused between the hours of 2:15 p.m. and 3:05 p.m.", (), (), ("Aurdal",)),
        ("Aurdal was excused for the remainder of today's session.", (), (), ("Aurdal",)),
        ("Aurdal was excused for the day. Aurdal was excused until 2:00 p.m.", ("Aurdal",), (), ()),
        ("All members not present were excused by the Speaker.", (), (), ()),
    ],
)
def test_excusal_sentences(
    sentence: str, excused: tuple[str, ...], until: tuple[str, ...], partly: tuple[str, ...]
) -> None:
    found = parse_excused(
        roll_page("<p>Lindqvist</p>", f"<p>A quorum was present.</p><p>{sentence}</p>"),
        source_url=URL,
    )
    assert (found.excused, found.excused_until, found.partly_excused) == (excused, until, partly)
    assert found.all_absent_excused == sentence.startswith("All members")


def test_quorum_not_printed_is_none() -> None:
    found = parse_excused(roll_page("<p>Aurdal</p>", "<p>Bygland was excused.</p>"), source_url=URL)
    assert found.quorum_present is None and found.excused == ("Bygland",)


# --- strictness: nothing is guessed ---------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "reason"),
    [
        ("<p>Aurdal</p><p>Bygland (absent)</p>", "'Bygland \\(absent\\)'"),
        ("<p>Aurdal</p><p>Bygland, 3</p>", "'Bygland, 3' .* is not a printed name"),
        ("<p>Aurdal; Bygland</p>", "'Aurdal; Bygland'"),
        ("<p>aurdal</p>", "'aurdal'"),
        ("<p>Aurdal Bygland Dovre Evje</p>", "not a printed name"),  # single spaces: unreadable
        ("<p>Aurdal</p><p>Bygland, r</p>", "'Bygland, r'"),
        ("", "the attendance roll is empty"),
        ("<p>&nbsp;</p>", "the attendance roll is empty"),
    ],
)
def test_unreadable_roll_raises(names: str, reason: str) -> None:
    with pytest.raises(ParseError, match=reason) as info:
        parse_excused(roll_page(names), source_url=URL)
    assert info.value.source_url == URL


def test_no_roll_heading_raises() -> None:
    with pytest.raises(ParseError, match="no attendance roll"):
        parse_excused(page("<p>The members were present:</p><p>Aurdal</p>"), source_url=URL)


@pytest.mark.parametrize(
    ("entries", "reason"),
    [
        ("<p>1A.......... Astrid Aaltonen</p><p>1A.......... Kari Dovre</p>", "listed twice"),
        ("<p>1A.......... Astrid 9 Aaltonen</p>", "not a full name"),
        ("<p>1A.......... Aaltonen</p>", "not a full name"),
        ("<p>Members: 1A.......... Astrid Aaltonen</p>", "is not a district"),
        ("<p>The oath was administered.</p>", "lists no district"),
    ],
)
def test_unreadable_district_roll_raises(entries: str, reason: str) -> None:
    body = (
        "<p>The Clerk pro tempore called the roll by legislative district in numerical "
        "order, and the following members-elect presented proof of their eligibility to "
        "be sworn in and seated as members of the House of Representatives:</p>"
        + entries
        + "<p>The oath of office was administered.</p>"
    )
    with pytest.raises(ParseError, match=reason):
        parse_excused(page(body), source_url=URL)


def test_semicolon_list_with_unreadable_part_raises() -> None:
    with pytest.raises(ParseError, match="'Bygland, R., Dovre' is not a printed name"):
        parse_excused(
            roll_page("<p>Aurdal</p>", "<p>Evje; Bygland, R., Dovre were excused.</p>"),
            source_url=URL,
        )


# --- helpers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Acomb",
        "Pérez-Vega",
        "O'Driscoll",
        "O’Neill",
        "Van Binsbergen",
        "Neu Brindley",
        "Anderson, P. E.",
        "Ward, J.A.",
        "Hansen, R.",
        "Spk. Hortman",
        "Sp.Anderson,I",
        "DeLaForest",
        "McDonald",
        "Her",
        "Van der Berg",
    ],
)
def test_printed_names(name: str) -> None:
    assert is_printed_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "ADJOURNMENT",
        "A quorum was present.",
        "Smith (absent)",
        "smith",
        "Smith, 3",
        "Smith;",
        "Smith, r.",
        "One Two Three Four",
        "3477a",
        "",
        "P.",
        "Smith Jr.",
    ],
)
def test_not_printed_names(name: str) -> None:
    assert not is_printed_name(name)


def test_split_columns_fixed_width_and_wide_gaps() -> None:
    rows = ["Abelsvik     Van Engen", "Prestvikhamn Tomassoni", "Ek           Lund"]
    assert split_columns(rows) == [
        ["Abelsvik", "Van Engen"],
        ["Prestvikhamn", "Tomassoni"],
        ["Ek", "Lund"],
    ]
    assert split_columns(["Van Engen"]) == [["Van Engen"]]  # one space never splits alone
    assert split_columns(["Aurdal    Bygland  Dovre"]) == [["Aurdal", "Bygland", "Dovre"]]
    assert split_columns([]) == []


SYLLABLES = ["Aur", "Byg", "Dal", "Ev", "Fit", "Gran", "Horn", "Ive", "Jøl", "Kvam", "Lei", "Mod"]


def invented_names(count: int) -> list[str]:
    """``count`` invented surnames (``Aurbygvik``, ...), sorted."""
    names = sorted(f"{a}{b.lower()}vik" for a in SYLLABLES for b in SYLLABLES)
    assert len(names) >= count
    return names[:count]


def test_a_full_134_seat_day() -> None:
    names = invented_names(133)
    body = "".join(f"<p>{n}</p>" for n in names[:130]) + "<p>Spk. Ødegård</p>"
    after = (
        f"<p>A quorum was present.</p><p>{names[130]} and {names[131]} were excused.</p>"
        f"<p>{names[132]} was excused until 2:00 p.m.</p>"
        + "<p>The Chief Clerk read the Journal of the preceding day.</p>"
        * 3000
    )
    found = parse_excused(roll_page(body, after), source_url=URL)
    assert len(found.present) == 131 and found.present[-1] == "Spk. Ødegård"
    assert len(found.present) + len(found.excused) + len(found.excused_until) == 134


def real_names() -> tuple[set[str], set[str]]:
    """Full names (and other names) and family names of every real Minnesota
    legislator in the Open States data (as tests/test_fictional_names.py reads it)."""
    full: set[str] = set()
    family: set[str] = set()
    for path in openstates_dir().glob("*/*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "name" not in data:
            continue
        full.add(data["name"].casefold())
        if data.get("family_name"):
            family.add(data["family_name"].casefold())
        full |= {o["name"].casefold() for o in data.get("other_names") or []}
    return full, family


@pytest.mark.openstates
def test_journal_fixture_names_are_invented() -> None:
    """Every printed name and full name in the journal fixtures (and the invented
    surnames above) belongs to no real legislator, not even in part."""
    full, family = real_names()
    assert len(family) > 400
    printed: set[str] = set(invented_names(144))
    whole: set[str] = set()
    for path in sorted(JOURNALS.glob("*.html")):
        found = parse_excused(path.read_bytes(), source_url=URL)
        printed |= {*found.present, *found.excused, *found.excused_until, *found.partly_excused}
        whole |= {name for _, name in found.districts}
    assert len(printed) > 150 and len(whole) > 10
    surnames = {re.sub(r"^Spk?\.\s?|,.*$", "", name) for name in printed}
    surnames |= {
        name.split()[-1].rstrip(",") if not name.endswith("Jr.") else name.split()[-2].rstrip(",")
        for name in whole
    }
    parts = {p.casefold() for s in surnames for p in re.split(r"[\s\-]+", s)}
    assert sorted(p for p in parts if p in family) == []
    assert sorted(n for n in whole | printed if n.casefold() in full) == []


# --- the attendance part only; broken lists; interrupted rolls; names run together ----------


def day_page(after_roll: str, names: str = "<p>Aurdal</p><p>Spk. Dovre</p>") -> bytes:
    return roll_page(names, "<p>A quorum was present.</p>" + after_roll)


LATER_BUSINESS = (
    "<p>A pupil whose absence was excused by the school board must be counted as present.</p>"
    "<p>A student who was excused from a test may take it on another day.</p>"
    "<p>Bygland, the school board and the district were excused from the reporting rule.</p>"
)


@pytest.mark.parametrize(
    "boundary",
    [
        "<p>The Chief Clerk proceeded to read the Journal of the preceding day.</p>",
        '<p align="center">INTRODUCTION AND FIRST READING OF HOUSE BILLS</p>'
        "<p>A bill for an act relating to education; amending statutes.</p>",
        "<p>Evje moved that the House recess.</p>",
        "<p>The roll was called and there were 5 yeas and 0 nays as follows:</p>",
    ],
)
def test_excusals_are_read_in_the_attendance_part_only(boundary: str) -> None:
    """Bill text and later business mention excused absences: never read as a roll."""
    found = parse_excused(
        day_page("<p>Bygland was excused.</p>" + boundary + LATER_BUSINESS), source_url=URL
    )
    assert found.excused == ("Bygland",)
    assert found.present == ("Aurdal", "Spk. Dovre")


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        (
            "A pupil whose absence was excused by the school board may return.",
            "'A pupil whose absence' is not a printed name",
        ),
        ("The Speaker excused Bygland from the vote.", "cannot read the excusal"),
        ("Bygland was excused to attend a funeral.", "cannot read the excusal"),
    ],
)
def test_unreadable_excusal_in_the_attendance_part_raises(sentence: str, reason: str) -> None:
    with pytest.raises(ParseError, match=reason) as info:
        parse_excused(day_page(f"<p>{sentence}</p>"), source_url=URL)
    assert info.value.source_url == URL


@pytest.mark.parametrize(
    ("sentence", "excused"),
    [
        ("Bygland was excused for today.", ("Bygland",)),
        ("Bygland was excused by the Speaker.", ("Bygland",)),
        ("Bygland and Evje were excused by the Speaker for the day.", ("Bygland", "Evje")),
    ],
)
def test_whole_day_wordings(sentence: str, excused: tuple[str, ...]) -> None:
    found = parse_excused(day_page(f"<p>{sentence}</p>"), source_url=URL)
    assert found.excused == excused and found.partly_excused == ()


def test_excused_by_the_speaker_until_a_time_is_part_day() -> None:
    found = parse_excused(
        day_page("<p>Bygland was excused by the Speaker until 2:00 p.m.</p>"), source_url=URL
    )
    assert found.excused == () and found.excused_until == ("Bygland",)


@pytest.mark.parametrize(
    ("html", "excused"),
    [
        # after "and"
        (
            "<p>Kvinesdal, R.; Bremnes; Frostad and</p><p>Nesodden were excused.</p>",
            ("Kvinesdal, R.", "Bremnes", "Frostad", "Nesodden"),
        ),
        ("<p>Bygland, Evje and<br>Fitjar were excused.</p>", ("Bygland", "Evje", "Fitjar")),
        ("<p>Bygland and</p><p>Evje were excused for the day.</p>", ("Bygland", "Evje")),
        # after a name ending in an initial (its period is not the end of the sentence)
        (
            "<p>Bygland, Kvinesdal, R.<br>and Evje were excused.</p>",
            ("Bygland", "Kvinesdal, R.", "Evje"),
        ),
        ("<p>Kvinesdal, R.</p><p>was excused.</p>", ("Kvinesdal, R.",)),
        # after a semicolon and after a bare name
        (
            "<p>Kvinesdal, R.;<br>Bremnes; Frostad<br>and Nesodden were excused.</p>",
            ("Kvinesdal, R.", "Bremnes", "Frostad", "Nesodden"),
        ),
    ],
)
def test_excusal_lists_broken_across_lines(html: str, excused: tuple[str, ...]) -> None:
    assert parse_excused(day_page(html), source_url=URL).excused == excused


def test_until_lists_broken_after_and() -> None:
    found = parse_excused(
        day_page("<p>Bygland and<br>Evje were excused until 2:00 p.m.</p>"), source_url=URL
    )
    assert found.excused_until == ("Bygland", "Evje")


def test_names_outside_any_sentence_raise() -> None:
    """A list whose continuation cannot be joined (no separator before the next name) is
    not dropped silently."""
    with pytest.raises(ParseError, match="not part of a sentence"):
        parse_excused(
            day_page("<p>Kvinesdal, R.; Bremnes; Frostad</p><p>Nesodden were excused.</p>"),
            source_url=URL,
        )


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        # a remote-voting mark on a name: present, the name kept without the mark
        ("<p>Aurdal</p><p>Bygland (remote voting)</p><p>Dovre</p>", ("Aurdal", "Bygland", "Dovre")),
        (
            "<table><tr><td>Aurdal</td><td>Bygland (remote)</td></tr>"
            "<tr><td>Dovre</td><td></td></tr></table>",
            ("Aurdal", "Bygland", "Dovre"),
        ),
        # running heads and page numbers of the printed journal inside the roll
        (
            "<p>Aurdal</p><p>53RD DAY] MONDAY, MAY 6, 2019 4321</p><p>Bygland</p>",
            ("Aurdal", "Bygland"),
        ),
        (
            "<p>Aurdal</p><p>4322 JOURNAL OF THE HOUSE [53RD DAY</p><p>4322</p><p>Bygland</p>",
            ("Aurdal", "Bygland"),
        ),
    ],
)
def test_roll_marks_and_page_furniture(names: str, expected: tuple[str, ...]) -> None:
    assert parse_excused(roll_page(names), source_url=URL).present == expected


@pytest.mark.parametrize(
    "stray",
    [
        "<p>The Speaker assumed the Chair.</p>",
        "<p>CALL OF THE HOUSE</p>",
        "<p>Bygland (absent today)</p>",
        "<p>Bygland (remote voting) was late.</p>",
    ],
)
def test_stray_line_inside_the_roll_raises(stray: str) -> None:
    with pytest.raises(ParseError, match="inside the attendance roll") as info:
        parse_excused(roll_page(f"<p>Aurdal</p>{stray}<p>Dovre</p><p>Evje</p>"), source_url=URL)
    assert info.value.source_url == URL


@pytest.mark.parametrize(("name", "seats"), sorted(COMPLETE_DAYS.items()))
def test_total_counts_every_named_seat(name: str, seats: int) -> None:
    found = journal(name)
    assert found.total == seats
    assert found.total == len(found.present) + len(found.excused) + len(found.excused_until)


def test_total_of_a_partial_day_is_not_checked() -> None:
    found = parse_excused(day_page("<p>Bygland was excused until 2:00 p.m.</p>"), source_url=URL)
    assert found.total == 3  # no seat count is enforced by the parser


def test_total_of_a_first_day_counts_the_members_elect() -> None:
    found = journal("house_journal_first_day_2013.html")
    assert found.total == len(found.districts) == 8


@pytest.mark.parametrize(
    "names",
    [
        "<p>Aurdal</p><p>Bygland Dovre</p><p>Evje</p>",  # "Bygland" then "Dovre" on one line
        "<p>Aurdal</p><p>Bygland Dovre</p><p>Dovrefjell</p>",
        "<p>Aurdal</p><p>Bygland Dovre Evje</p>",  # three names: never one surname
    ],
)
def test_names_run_together_in_the_roll_raise(names: str) -> None:
    with pytest.raises(ParseError, match="run together|not a printed name"):
        parse_excused(roll_page(names), source_url=URL)


@pytest.mark.parametrize(
    "names",
    [
        # a two-word surname sorts where its first word does: other names follow it before
        # its second word would ("Aas Tveit", "Bryne")
        ("Aas Tveit", "Bryne", "Spk. Dovre"),
        ("Eid Solheim", "Fosse"),
        ("Tysnes Berg", "Ulvik"),  # second word sorting first: never two names in order
        ("Van Amersfoort", "Vik"),  # a particle
        ("Aurdal", "Ten Haaf"),  # last of the column
    ],
)
def test_two_word_surnames_stay_whole(names: tuple[str, ...]) -> None:
    body = "".join(f"<p>{n}</p>" for n in names)
    assert parse_excused(roll_page(body), source_url=URL).present == names


@pytest.mark.openstates
def test_real_multi_word_surnames_stay_whole() -> None:
    """Every real Minnesota legislator's family name, one per line in alphabetical
    order, reads back whole, multi-word ones (``Neu Brindley``, ``Maye Quade``,
    ``López Franzen``) included."""
    _, family = real_names()
    surnames: set[str] = set()
    for path in openstates_dir().glob("*/*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("family_name"):
            surnames.add(data["family_name"].strip())
    multi = sorted(n for n in surnames if " " in n)
    assert len(multi) >= 8 and "Neu Brindley" in multi
    ordered = sorted(surnames, key=lambda n: n.casefold())
    body = "".join(f"<p>{n}</p>" for n in ordered)
    found = parse_excused(roll_page(body), source_url=URL)
    assert found.present == tuple(ordered)
    for name in multi:  # and with the next real name of the list only
        at = ordered.index(name)
        pair = "".join(f"<p>{n}</p>" for n in ordered[at : at + 2])
        assert parse_excused(roll_page(pair), source_url=URL).present == tuple(ordered[at : at + 2])


def test_remote_note_list_over_several_paragraphs() -> None:
    note = (
        "<p>Pursuant to rule 10.05, relating to Remote House Operations, the Speaker "
        "permitted the following members to vote via remote means:</p>"
        "<p>Aurdal, Kvinesdal, R.</p><p>Bygland</p><p>Evje and Fitjar.</p>"
    )
    found = parse_excused(day_page(note + "<p>Dovre was excused.</p>"), source_url=URL)
    assert found.excused == ("Dovre",)
    with pytest.raises(ParseError, match="not part of a sentence"):  # the list had ended
        parse_excused(day_page(note + "<p>Gloppen</p>"), source_url=URL)
