"""Tests for scrapers.reconcile.verify (invented legislators only)."""

from __future__ import annotations

import datetime as dt

from scrapers.names import NameResolution, Seat, Tier, resolve_names
from scrapers.reconcile import verify
from scrapers.vocab import HOUSE
from scrapers.vote_records import ParsedRollCall
from tracker.seats import held

D = dt.date
ON = D(2025, 3, 13)
TERMS = [
    (Seat("paula", HOUSE, "12A", ("Johanssen, P.",), "Johanssen", "Paula"), D(2023, 1, 3), None),
    (Seat("rolf", HOUSE, "30B", ("Johanssen, R.",), "Johanssen", "Rolf"), D(2025, 1, 14), None),
    (Seat("emeka", HOUSE, "44A", ("Okonkwo",), "Okonkwo", "Emeka"), D(2025, 3, 4), None),
    (
        Seat("lucia", HOUSE, "61B", ("Ibáñez-Ortega",), "Ibáñez-Ortega", "Lucía"),
        D(2025, 1, 14),
        None,
    ),
    (Seat("nils", HOUSE, "8B", ("Lindqvist",), "Lindqvist", "Nils"), D(2025, 1, 14), None),
    # Left before the vote: never "not voting".
    (Seat("ada", HOUSE, "44A", ("Okonkwo",), "Okonkwo", "Ada"), D(2019, 1, 7), D(2025, 2, 10)),
]
SEATED = [seat for seat, start, end in TERMS if held(start, end, ON)]


def roll_call(yes: tuple[str, ...], no: tuple[str, ...], yeas: int, nays: int) -> ParsedRollCall:
    return ParsedRollCall(
        bill_type="HF",
        number=25,
        chamber=HOUSE,
        date=ON,
        motion="Amendment",
        description_lines=("H.F. NO. 25", "Amendment"),
        amendment_id="H0025A5",
        yeas=yeas,
        nays=nays,
        journal_page="746",
        yes_names=yes,
        no_names=no,
        position=0,
        outcome=None,
        source_url="https://www.house.mn.gov/Votes/Details?SessionKey=302&BillNumber=HF0025",
    )


def check(rc: ParsedRollCall, **kw):
    resolution = resolve_names(
        [*rc.yes_names, *rc.no_names], tiers=[Tier("seated", tuple(SEATED))], **kw
    )
    return verify(rc, resolution, SEATED)


def test_verified_with_not_voting_members() -> None:
    result = check(roll_call(("Johanssen, P.", "Okonkwo"), ("Ibáñez-Ortega",), 2, 1))
    assert result.verified
    assert result.reasons == ()
    assert result.not_voting == ("rolf", "nils")  # seat order; Ada (left) is not listed
    assert result.reconciles


def test_list_shorter_than_tally_blocks_and_does_not_reconcile() -> None:
    result = check(roll_call(("Johanssen, P.",), ("Ibáñez-Ortega",), 2, 1))
    assert not result.verified
    assert result.reasons[0] == "The page lists 1 affirmative name but the tally says 2 yeas."
    assert result.reasons[-1] == (
        "The tally does not reconcile with the 5 members seated: "
        "2 yeas + 1 nays + 3 not voting = 6."
    )
    assert not result.reconciles


def test_negative_count_mismatch() -> None:
    result = check(roll_call(("Okonkwo",), ("Lindqvist", "Johanssen, R."), 1, 1))
    assert not result.verified
    assert "The page lists 2 negative names but the tally says 1 nay." in result.reasons


def test_unmatched_name_blocks_with_the_matcher_reason() -> None:
    result = check(roll_call(("Johanssen", "Okonkwo"), (), 2, 0))
    assert not result.verified
    (reason, *rest) = result.reasons
    assert reason.startswith("The printed name 'Johanssen' is not matched: ambiguous family name")
    # The unmatched voter counts as not voting, so the tally no longer reconciles.
    assert rest == [
        "The tally does not reconcile with the 5 members seated: "
        "2 yeas + 0 nays + 4 not voting = 6."
    ]


def test_mapping_fixes_the_unmatched_name() -> None:
    result = check(roll_call(("Johanssen", "Okonkwo"), (), 2, 0), mappings={"Johanssen": "rolf"})
    assert result.verified
    assert result.not_voting == ("paula", "lucia", "nils")


def test_member_in_both_lists_is_a_duplicate() -> None:
    result = check(roll_call(("Okonkwo", "Lindqvist"), ("Okonkwo",), 2, 1))
    assert not result.verified
    assert "'Okonkwo' and 'Okonkwo' both resolve to the same member (emeka)." in result.reasons


def test_verified_roll_calls_always_reconcile() -> None:
    # Rules 1-4 imply yeas + nays + not voting == seated, whatever the split.
    for yes, no in [((), ()), (("Okonkwo",), ("Lindqvist",)), (("Okonkwo", "Lindqvist"), ())]:
        result = check(roll_call(yes, no, len(yes), len(no)))
        assert result.verified and result.reconciles and result.reasons == ()
        assert len(yes) + len(no) + len(result.not_voting) == len(SEATED) == 5


def test_voter_not_in_the_seated_list_blocks() -> None:
    rc = roll_call(("Okonkwo",), (), 1, 0)
    resolution = NameResolution(matched={"Okonkwo": "ada"})
    result = verify(rc, resolution, SEATED)
    assert not result.verified
    assert result.reasons[0] == (
        "The printed name 'Okonkwo' resolved to ada, who is not among the members seated that day."
    )


def test_name_missing_from_the_resolution() -> None:
    result = verify(roll_call(("Okonkwo",), (), 1, 0), NameResolution(), SEATED)
    assert result.reasons[0] == "The printed name 'Okonkwo' is not matched: it was not looked up."
