"""Tests for scrapers.committee_votes.

Fixtures: tests/fixtures/mn/reconstructed/committees (HAND-BUILT, invented names; see its
README).  Small inline pages below are hand-built too, with invented names.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scrapers import vocab
from scrapers.committee_votes import (
    CommitteeRollCall,
    MinutesMember,
    parse_minutes,
    parse_minutes_header,
    parse_minutes_page,
)
from scrapers.parsing import ParseError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mn" / "reconstructed" / "committees"
HOUSE_URL = "https://www.house.mn.gov/Committees/minutes/94003/101"
SENATE_URL = (
    "https://www.senate.mn/schedule/hearing_minutes.html?ls=94&hearing_id=21907"
    "&type=minutes&always_show_minutes=Y"
)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def house(name: str) -> list[CommitteeRollCall]:
    return parse_minutes(fixture(name), source_url=HOUSE_URL, chamber=vocab.HOUSE)


def senate(name: str) -> list[CommitteeRollCall]:
    return parse_minutes(fixture(name), source_url=SENATE_URL, chamber=vocab.SENATE)


HEADER = """<h1>Rural Broadband Division</h1>
<p>2025-2026 Regular Session - Tuesday, March 17, 2026</p>
<p>Members present:</p>
<p>PELLHAM, Jorunn, Chair<br>EASTERBROOK, Osric<br>GROOTHUIS, Maelis<br>TREVELYAN, Ingvild</p>
"""


def page(*paragraphs: str, header: str = HEADER) -> str:
    body = "\n".join(p if p.lstrip().startswith("<") else f"<p>{p}</p>" for p in paragraphs)
    return f"<html><body>{header}{body}</body></html>"


def calls(
    *paragraphs: str, header: str = HEADER, chamber: str = vocab.HOUSE
) -> list[CommitteeRollCall]:
    return parse_minutes(page(*paragraphs, header=header), source_url=HOUSE_URL, chamber=chamber)


def fails(*paragraphs: str, match: str, header: str = HEADER) -> ParseError:
    with pytest.raises(ParseError, match=match) as info:
        calls(*paragraphs, header=header)
    assert info.value.source_url == HOUSE_URL
    return info.value


MOTION = "Representative Groothuis moved the H3310A1 amendment and requested a roll call vote."


# --- the printed forms ------------------------------------------------------------


def test_upper_case_comma_lists_with_initials_and_counts_in_words() -> None:
    first, second = house("house_minutes_comma_list.html")
    assert (
        first.motion == "Representative Ashgrove moved the CP-RESA2 amendment"
    )  # joined over <br>
    assert first.amendment == "CP-RESA2"
    assert (first.yeas, first.nays) == (5, 8)
    assert (first.heading_yeas, first.heading_nays) == (5, 8)  # "five" / "eight"
    assert first.no_names == (
        "QUILLFEATHER",
        "BRIGHTWATER",
        "OSTERGAARD, T.",
        "OSTERGAARD, S.",
        "FENWICK",
        "McFARLOW",
        "RUSTAD",
        "VANDERMOLEN",
    )
    assert first.yes_names == ("ASHGROVE", "HALLORAN", "KVALE", "MARROWBY", "PEMBERTON")
    assert first.absent_names == ("THISTLEWOOD", "WENNBERG")
    assert first.outcome == "did not prevail"
    assert first.result_text.startswith(
        "On a vote of 5 Yeas and 8 Nays, THE MOTION DID NOT PREVAIL."
    )
    assert (first.bill_type, first.bill_number) == ("HF", 2210)  # from the bill heading above
    assert first.form == "comma_list"
    assert first.position == 0 and first.source_url == HOUSE_URL
    assert first.committee == "Capital Projects Review"
    assert first.date == dt.date(2026, 3, 11)
    assert first.chamber == vocab.HOUSE and first.names_printed
    # names inline after the colon, digits in the heading, a list wrapped over a source line
    assert second.amendment == "CP-RESA3"
    assert (second.yeas, second.nays, second.heading_yeas, second.heading_nays) == (6, 7, 6, 7)
    assert second.yes_names[-1] == "WENNBERG"
    assert second.no_names[-1] == "VANDERMOLEN"
    assert second.absent_names == ("OSTERGAARD, S.", "THISTLEWOOD")
    assert second.position == 1


def test_two_column_ayes_nays_table() -> None:
    amendment, final = house("house_minutes_ayes_nays_table.html")
    assert amendment.motion == "Representative Kvale moved the CP-RES01A17 amendment"
    assert amendment.amendment == "CP-RES01A17"
    assert amendment.form == "table"
    assert amendment.yes_names == (
        "ASHGROVE, Tamsin",
        "HALLORAN, Vesna",
        "KVALE, Per",
        "MARROWBY, Dagny",
        "PEMBERTON, Lise",
    )
    assert amendment.no_names[-2:] == ("RUSTAD, Arne", "VANDERMOLEN, Hedda")  # comma restored
    assert len(amendment.no_names) == 7
    assert (amendment.yeas, amendment.nays) == (5, 7)
    assert amendment.outcome == "did not prevail"
    # the deferred "moved for a roll call on the final vote" opened nothing; the final
    # vote's table is a roll call by itself, all names of a column in one <br>-split cell
    assert (
        final.motion
        == "Representative Quillfeather moved that the CP-RES01 resolution, as amended, be adopted"
    )
    assert final.amendment == ""
    assert len(final.yes_names) == 8 and final.yes_names[0] == "QUILLFEATHER, Wendeline"
    assert final.no_names == (
        "ASHGROVE, Tamsin",
        "HALLORAN, Vesna",
        "KVALE, Per",
        "PEMBERTON, Lise",
    )
    assert (final.yeas, final.nays, final.outcome) == (8, 4, "prevailed")


def test_representative_lines_with_curly_apostrophes() -> None:
    (call,) = house("house_minutes_representative_lines.html")
    assert (
        call.motion == "Representative Pellham moved the H3301A2 amendment"
    )  # the request came after
    assert call.amendment == "H3301A2"
    assert call.yes_names == ("Pellham", "Easterbrook", "O’Halloran", "Groothuis")
    assert call.no_names == ("D’Amberly", "Corbin-Ashby", "Trevelyan")
    assert (call.yeas, call.nays) == (4, 3)
    assert (call.heading_yeas, call.heading_nays) == (None, None)
    assert call.outcome == "prevailed"
    assert call.form == "per_line"
    assert (call.bill_type, call.bill_number) == ("HF", 3301)


def test_members_voting_headings_with_office_prefixes() -> None:
    (call,) = house("house_minutes_voting_headings.html")
    assert call.motion.startswith(
        "Chair Quillfeather Pursuant to Joint Rule 2.03 moved to refer HF4102"
    )
    assert (call.bill_type, call.bill_number) == ("HF", 4102)
    assert call.yes_names == (
        "Quillfeather, Wendeline",
        "Brightwater, Orrin",
        "Fenwick, Idris",
        "Halloran, Vesna",
        "Kvale, Per",
    )
    assert call.no_names == ("Ashgrove, Tamsin", "Marrowby, Dagny", "Rustad, Arne")
    assert call.absent_names == ("Pemberton, Lise", "Wennberg, Tova")
    assert (call.yeas, call.nays) == (5, 3)
    assert call.outcome == "prevailed"  # "THE MOTIONED PREVAILED" as printed
    assert call.result_text == "There were 5 AYES and 3 NAYS. THE MOTIONED PREVAILED."


def test_senator_dash_lines_en_dash_and_hyphen() -> None:
    first, second = senate("senate_minutes_dash_lines.html")
    assert first.chamber == vocab.SENATE
    assert first.motion == "Senator Corbin moved the A25 Amendment"
    assert first.amendment == "A25"
    assert first.yes_names == ("Corbin", "Stone Ashby", "Farrow", "Underhill")  # "Underhill - Yea"
    assert first.no_names == ("Vikstrom", "Paley", "Ridley", "Wexley", "Whitlock")
    assert (first.yeas, first.nays, first.outcome) == (4, 5, "failed")
    assert first.form == "dash_lines"
    assert (first.bill_type, first.bill_number) == ("SF", 2636)
    assert first.committee == "Civic Process Committee" and first.date == dt.date(2026, 4, 6)
    assert second.amendment == "SCS2636A-2"
    assert second.absent_names == ("Stone Ashby",)
    assert (second.yeas, second.nays) == (4, 4)
    assert len(second.yes_names) == 4 and len(second.no_names) == 4


def test_compact_form_and_tally_only_roll_call() -> None:
    compact, tally_only = senate("senate_minutes_compact.html")
    assert compact.motion == "Senator Farrow moved the A1 amendment"
    assert compact.amendment == "A1"
    assert compact.yes_names == ("Farrow", "Ridley", "Stone Ashby", "Underhill")
    assert compact.no_names == ("Whitlock", "Wexley", "Corbin", "Ravens Quill", "Vikstrom")
    assert (compact.yeas, compact.nays) == (4, 5)  # "4/5"
    assert compact.outcome == "failed" and compact.result_text == "MOTION FAILED"
    assert compact.form == "compact"
    assert (compact.bill_type, compact.bill_number) == ("SF", 1418)
    assert tally_only.motion == "Senator Underhill moved the A17 amendment"
    assert (tally_only.yeas, tally_only.nays) == (4, 5)
    assert tally_only.yes_names == () and tally_only.no_names == ()
    assert not tally_only.names_printed
    assert tally_only.form == "tally_only"
    assert tally_only.outcome == "did not prevail"
    assert (tally_only.bill_type, tally_only.bill_number) == ("SF", 1730)


def test_stated_tally_disagreeing_with_names_is_returned_as_printed() -> None:
    (call,) = house("minutes_tally_disagrees.html")
    assert (call.yeas, call.nays) == (6, 3)  # the result sentence
    assert (call.heading_yeas, call.heading_nays) == (5, 4)  # the headings
    assert len(call.yes_names) == 5 and len(call.no_names) == 3  # what is printed
    assert call.outcome == "prevailed"


def test_member_not_on_the_committee_is_returned_as_printed() -> None:
    minutes = parse_minutes_page(
        fixture("minutes_unknown_member.html"), source_url=HOUSE_URL, chamber=vocab.HOUSE
    )
    (call,) = minutes.roll_calls
    assert call.yes_names == ("EASTERBROOK", "O’HALLORAN", "GRAFSTROM")
    listed = {m.name.split(",")[0] for m in (*minutes.header.present, *minutes.header.excused)}
    assert "GRAFSTROM" not in listed
    assert call.outcome == "did not prevail" and (call.yeas, call.nays) == (3, 3)


# --- headers ------------------------------------------------------------------------


def test_house_header_upper_case_lines_roles_and_excused() -> None:
    header = parse_minutes_header(
        fixture("house_minutes_comma_list.html"), source_url=HOUSE_URL, chamber=vocab.HOUSE
    )
    assert header.committee == "Capital Projects Review"
    assert header.date == dt.date(2026, 3, 11)
    assert header.chamber == vocab.HOUSE and header.source_url == HOUSE_URL
    assert header.present[0] == MinutesMember("QUILLFEATHER, Wendeline", "chair", "Chair")
    assert header.present[1] == MinutesMember("BRIGHTWATER, Orrin", "vice_chair", "Vice Chair")
    assert header.present[2] == MinutesMember("ASHGROVE, Tamsin", "member", "")
    assert len(header.present) == 15
    assert header.excused == (MinutesMember("SANDVOSS, Elin", "member", ""),)
    assert header.absent == ()


def test_house_header_office_prefixes_and_none() -> None:
    header = parse_minutes_header(
        fixture("house_minutes_voting_headings.html"), source_url=HOUSE_URL, chamber=vocab.HOUSE
    )
    assert header.present[:3] == (
        MinutesMember("Quillfeather, Wendeline", "chair", "Chair"),
        MinutesMember("Brightwater, Orrin", "vice_chair", "VC"),
        MinutesMember("Ashgrove, Tamsin", "ranking_minority_member", "Republican Lead"),
    )
    assert [m.name for m in header.excused] == ["Pemberton, Lise", "Wennberg, Tova"]
    none = parse_minutes_header(
        fixture("house_minutes_representative_lines.html"),
        source_url=HOUSE_URL,
        chamber=vocab.HOUSE,
    )
    assert none.excused == ()  # "Members excused: NONE"
    assert none.present[0].name == "D’AMBERLY, Greta"


def test_senate_header_inline_lists() -> None:
    header = parse_minutes_header(
        fixture("senate_minutes_dash_lines.html"), source_url=SENATE_URL, chamber=vocab.SENATE
    )
    assert header.committee == "Civic Process Committee"
    assert header.date == dt.date(2026, 4, 6)
    assert header.present[0] == MinutesMember("Tamsin Vikstrom", "chair", "Chair")
    assert header.present[1] == MinutesMember("Orrin Paley", "vice_chair", "Vice Chair")
    assert header.present[2].name == "Hedda Stone Ashby"
    assert len(header.present) == 9
    assert header.absent == ()  # "No Members Absent"
    other = parse_minutes_header(
        fixture("senate_minutes_compact.html"), source_url=SENATE_URL, chamber=vocab.SENATE
    )
    assert [m.name for m in other.absent] == ["Orrin Paley"]


def test_header_two_names_per_line_and_lead_suffix() -> None:
    header = """<h1>Rural Broadband Division</h1><p>Tuesday, March 17, 2026</p>
    <p>Members present:<br>PELLHAM, Jorunn, Chair<br>TREVELYAN, Ingvild, Lead<br>
    GROOTHUIS, Maelis</p>
    <p>Members excused:<br>EASTERBROOK, Osric LARKSPUR, Sabine<br>
    McFARLOW, Kasimir PENHALLOW, Brunhild</p>
    <p>A quorum was present.</p>"""
    parsed = parse_minutes_header(page(header=header), source_url=HOUSE_URL, chamber=vocab.HOUSE)
    assert parsed.present[1] == MinutesMember(
        "TREVELYAN, Ingvild", "ranking_minority_member", "Lead"
    )
    assert [m.name for m in parsed.excused] == [
        "EASTERBROOK, Osric",
        "LARKSPUR, Sabine",
        "McFARLOW, Kasimir",
        "PENHALLOW, Brunhild",
    ]


def test_parse_minutes_page_returns_header_and_roll_calls() -> None:
    minutes = parse_minutes_page(
        fixture("senate_minutes_compact.html"), source_url=SENATE_URL, chamber=vocab.SENATE
    )
    assert minutes.header.committee == "Licensing and Boards Committee"
    assert [c.position for c in minutes.roll_calls] == [0, 1]
    assert all(c.committee == minutes.header.committee for c in minutes.roll_calls)


def test_parse_minutes_without_a_readable_header_still_returns_roll_calls() -> None:
    (call,) = calls(
        MOTION,
        "The following members voted aye:",
        "Representative Groothuis<br>Representative Pellham",
        "The following member voted nay:",
        "Representative Trevelyan",
        "On a vote of 2 yeas and 1 nay, THE MOTION PREVAILED.",
        header="<p>no heading, no date</p>",
    )
    assert call.committee == "" and call.date is None
    assert call.no_names == ("Trevelyan",)
    with pytest.raises(ParseError, match="no committee name"):
        parse_minutes_page(page(header="<p>x</p>"), source_url=HOUSE_URL, chamber=vocab.HOUSE)


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (
            "<p>Tuesday, March 17, 2026</p><p>Members present:</p><p>PELLHAM, Jorunn</p>",
            "no committee name",
        ),
        (
            "<h1>Rural Broadband Division</h1><p>Members present:</p><p>PELLHAM, Jorunn</p>",
            "no meeting date",
        ),
        (
            "<h1>Rural Broadband Division</h1><p>March 17, 2026</p><p>PELLHAM, Jorunn</p>",
            'no "Members present',
        ),
        (
            "<h1>Rural Broadband Division</h1><p>February 30, 2026</p><p>Present: Senator A B</p>",
            "invalid date",
        ),
    ],
)
def test_header_parse_errors(header: str, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse_minutes_header(page(header=header), source_url=HOUSE_URL, chamber=vocab.HOUSE)


# --- more printed variants ------------------------------------------------------------


def test_counts_in_words_in_the_result_sentence_and_outcome_variants() -> None:
    (call,) = calls(
        MOTION,
        "The following members voted Yea: GROOTHUIS, PELLHAM",
        "The following member voted Nay: TREVELYAN",
        "On a vote of two Yeas and one Nay, the motion carried.",
    )
    assert (call.yeas, call.nays, call.outcome) == (2, 1, "carried")
    assert (call.heading_yeas, call.heading_nays) == (None, None)


def test_tally_from_headings_when_the_result_has_no_numbers() -> None:
    (call,) = calls(
        MOTION,
        "The following twenty-one members voted Yea: GROOTHUIS, PELLHAM",
        "The following 1 member voted Nay: TREVELYAN",
        "THE AMENDMENT WAS ADOPTED.",
    )
    assert (call.yeas, call.nays) == (21, 1)  # as stated, never counted
    assert call.outcome == "adopted"


def test_text_table_rows_split_at_the_upper_case_surname() -> None:
    (call,) = calls(
        MOTION,
        "AYES NAYS",
        "GROOTHUIS, Maelis TREVELYAN, Ingvild",
        "PELLHAM Jorunn EASTERBROOK, Osric",
        "On a vote of 2 AYES and 2 NAYS THE MOTION DID NOT PREVAIL.",
    )
    assert call.yes_names == ("GROOTHUIS, Maelis", "PELLHAM, Jorunn")
    assert call.no_names == ("TREVELYAN, Ingvild", "EASTERBROOK, Osric")


def test_table_with_absent_column_and_none_cell() -> None:
    (call,) = calls(
        MOTION,
        "<table><tr><td>YEAS</td><td>NAYS</td><td>ABSENT</td></tr>"
        "<tr><td>GROOTHUIS, Maelis</td><td>NONE</td><td>PELLHAM, Jorunn</td></tr></table>",
        "On a vote of 1 Yea and 0 Nays, THE MOTION PREVAILED.",
    )
    assert (call.yes_names, call.no_names, call.absent_names) == (
        ("GROOTHUIS, Maelis",),
        (),
        ("PELLHAM, Jorunn",),
    )
    assert (call.yeas, call.nays) == (1, 0)


def test_compact_request_on_the_same_line_with_an_absent_part() -> None:
    (call,) = calls(
        "Senator Ridley moved the A-7 amendment.",
        "Senator Farrow requested a roll call: 2/1 (Ayes: Ridley, Okafor-Quist; Nays: Farrow;"
        " Absent: Paley)",
        "Motion prevailed",
        chamber=vocab.SENATE,
    )
    assert call.amendment == "A-7"
    assert call.yes_names == ("Ridley", "Okafor-Quist")
    assert call.absent_names == ("Paley",)
    assert (call.yeas, call.nays, call.outcome) == (2, 1, "prevailed")


def test_single_voter_sides_in_a_per_line_block() -> None:
    (call,) = calls(
        "Chair Pellham moved to refer HF4110 to the Committee on Ways and Means.",
        "Representative Trevelyan requested a roll call.",
        "MEMBERS VOTING AYE",
        "Chair – Pellham, Jorunn<br>Groothuis, Maelis",
        "MEMBERS VOTING NAY",
        "Trevelyan, Ingvild",
        "MEMBERS EXCUSED",
        "None",
        "There were 2 AYES and 1 NAY. THE MOTION PREVAILED.",
    )
    assert call.no_names == ("Trevelyan, Ingvild",)  # one name, not "Trevelyan" + "Ingvild"
    assert call.absent_names == ()


def test_division_vote_without_request_or_names_is_not_a_roll_call() -> None:
    assert (
        calls(
            "Representative Pellham moved the H3310A2 amendment.",
            "On a vote of 3 Yeas and 1 Nay, THE MOTION PREVAILED.",
            "Representative Pellham moved the H3310A3 amendment. THE MOTION PREVAILED.",
        )
        == []
    )


def test_withdrawn_request_needs_no_result() -> None:
    assert (
        calls(
            MOTION,
            "Representative Groothuis withdrew the request for a roll call.",
            "THE MOTION PREVAILED.",
        )
        == []
    )


def test_request_with_tally_and_outcome_in_one_sentence() -> None:
    (call,) = calls(
        "Representative Pellham moved the H3310A4 amendment.",
        "Representative Trevelyan requested a roll call."
        " On a vote of 3 Yeas and 1 Nay, THE MOTION PREVAILED.",
    )
    assert (call.yeas, call.nays, call.names_printed, call.form) == (3, 1, False, "tally_only")


@pytest.mark.parametrize(
    ("motion", "amendment"),
    [
        ("Senator Ridley moved the A3 amendment.", "A3"),
        ("Representative Pellham moved the H0025A5 amendment.", "H0025A5"),
        ("Senator Ridley moved the SCS1234A-2 amendment.", "SCS1234A-2"),
        ("Chair Pellham moved A07-0645, the HF 297 delete all amendment.", "A07-0645"),
        ("Senator Ridley moved the A24 Amendment and asked to incorporate A27 Amendment.", "A24"),
        ("Representative Pellham moved the DE3 amendment to HF 12.", "DE3"),
        ("Representative Pellham moved the oral amendment.", ""),
        ("Representative Pellham moved that HF 12 be laid over.", ""),
    ],
)
def test_amendment_ids(motion: str, amendment: str) -> None:
    (call,) = calls(
        motion,
        "Representative Trevelyan requested a roll call.",
        "The following members voted aye:",
        "Representative Pellham<br>Representative Groothuis",
        "On a vote of 2 yeas and 0 nays, THE MOTION PREVAILED.",
    )
    assert call.amendment == amendment
    assert call.motion == motion.rstrip(".")


def test_amendment_named_only_in_the_request() -> None:
    (call,) = calls(
        "Senator Farrow moved the amendment.",
        "Senator Ridley requested a roll call vote on the adoption of A9 amendment.",
        "2/0 (Ayes: Farrow, Ridley; Nays: none)",
        "MOTION PREVAILED",
        chamber=vocab.SENATE,
    )
    assert call.amendment == "A9" and call.no_names == ()


def test_timestamped_motion_lines() -> None:
    (call,) = calls(
        "4:12:44 PM Representative Pellham moved the H3310A5 amendment.",
        "4:13:02 PM Representative Trevelyan requested a roll call.",
        "The following members voted Yea: PELLHAM, GROOTHUIS",
        "The following members voted Nay: TREVELYAN, EASTERBROOK",
        "On a vote of 2 Yeas and 2 Nays, THE MOTION DID NOT PREVAIL.",
    )
    assert call.motion == "Representative Pellham moved the H3310A5 amendment"
    assert call.yes_names == ("PELLHAM", "GROOTHUIS")


# --- errors: never guess ------------------------------------------------------------


def test_request_without_result_fixture_raises() -> None:
    with pytest.raises(ParseError, match="roll call requested .* but no result"):
        house("minutes_request_without_result.html")


def test_unreadable_names_fixture_raises() -> None:
    with pytest.raises(ParseError, match=r"'EASTERBROOK \(2\)' is not a printed name"):
        house("minutes_unreadable_names.html")


def test_second_request_before_a_result_raises() -> None:
    fails(
        MOTION,
        "Representative Trevelyan requested a roll call.",
        match="no result before the next request",
    )


def test_result_with_neither_names_nor_tally_raises() -> None:
    fails(MOTION, "THE MOTION PREVAILED.", match="neither names nor a tally")


def test_vote_block_interrupted_by_a_motion_raises() -> None:
    fails(
        MOTION,
        "The following members voted aye:",
        "Representative Pellham",
        "Representative Trevelyan moved to adjourn.",
        match="no result sentence before",
    )


def test_vote_block_ending_with_the_page_raises() -> None:
    fails(
        MOTION,
        "The following members voted aye:",
        "Representative Pellham",
        match="no result sentence",
    )


def test_unreadable_line_in_a_vote_block_raises() -> None:
    fails(
        MOTION,
        "Senator Pellham – Yea",
        "Discussion followed on the fiscal note (2).",
        "On a vote of 1 Yea and 0 Nays, THE MOTION PREVAILED.",
        match="cannot read",
    )


def test_ambiguous_pair_raises() -> None:
    fails(
        MOTION,
        "The following members voted aye: Groothuis, Pellham",
        "The following member voted nay: Trevelyan",
        "On a vote of 2 yeas and 1 nay, THE MOTION PREVAILED.",
        match="may be .* given name or another surname",
    )


def test_initials_without_a_surname_raise() -> None:
    fails(
        MOTION,
        "The following members voted Yea: B., PELLHAM",
        "On a vote of 2 Yeas and 0 Nays, THE MOTION PREVAILED.",
        match="initials 'B.' follow no surname",
    )


def test_table_row_wider_than_its_header_raises() -> None:
    fails(
        MOTION,
        "<table><tr><th>AYES</th><th>NAYS</th></tr>"
        "<tr><td>PELLHAM, Jorunn</td><td>TREVELYAN, Ingvild</td>"
        "<td>GROOTHUIS, Maelis</td></tr></table>",
        "On a vote of 1 AYES and 1 NAYS THE MOTION DID NOT PREVAIL.",
        match="more cells than the header",
    )


def test_table_row_after_the_table_ended_raises() -> None:
    fails(
        MOTION,
        "<table><tr><th>AYES</th><th>NAYS</th></tr>"
        "<tr><td>PELLHAM, Jorunn</td><td></td></tr></table>",
        "Not present:",
        "<table><tr><td>GROOTHUIS, Maelis</td><td>TREVELYAN, Ingvild</td></tr></table>",
        "On a vote of 1 AYES and 0 NAYS THE MOTION PREVAILED.",
        match="outside a names table",
    )


def test_text_table_row_with_one_name_raises() -> None:
    fails(
        MOTION,
        "AYES NAYS",
        "GROOTHUIS, Maelis TREVELYAN, Ingvild",
        "PELLHAM, Jorunn",
        "On a vote of 2 AYES and 1 NAYS THE MOTION PREVAILED.",
        match="cannot tell which column",
    )


def test_compact_part_without_label_raises() -> None:
    fails(
        "Senator Ridley moved the A3 amendment.",
        "Senator Farrow requested a roll call.",
        "1/1 (Ayes: Ridley; Farrow)",
        "MOTION FAILED",
        match="has no Ayes:/Nays: label",
    )


def test_roll_call_without_a_motion_raises() -> None:
    fails(
        "Representative Trevelyan requested a roll call.",
        "The following members voted aye: PELLHAM, GROOTHUIS",
        "On a vote of 2 yeas and 0 nays, THE MOTION PREVAILED.",
        match="no motion before it",
    )


def test_per_line_entry_with_too_many_parts_raises() -> None:
    fails(
        MOTION,
        "MEMBERS VOTING AYE",
        "Pellham, Jorunn, Extra<br>Groothuis, Maelis",
        "There were 2 AYES and 0 NAYS. THE MOTION PREVAILED.",
        match="given name or another surname",
    )


def test_unknown_chamber_and_empty_body_raise() -> None:
    with pytest.raises(ParseError, match="unknown chamber"):
        parse_minutes(page(), source_url=HOUSE_URL, chamber="joint")
    with pytest.raises(ParseError, match="empty body"):
        parse_minutes(b"  ", source_url=HOUSE_URL, chamber=vocab.HOUSE)


def test_pages_without_roll_calls_give_an_empty_list() -> None:
    assert calls("Representative Pellham moved to adjourn. THE MOTION PREVAILED.") == []


def test_fractions_that_are_not_compact_roll_calls_are_ignored() -> None:
    assert (
        calls(
            "Representative Pellham moved the H3310A6 amendment. THE MOTION PREVAILED.",
            "Attachments: HF3310 summary (1/16/2026); split 1/2 (see handout)",
        )
        == []
    )
