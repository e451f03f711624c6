"""The one vocabulary shared by scrapers, database, API and exports.

Every value here is written down in the README's glossary.  ``tracker`` imports
these names; ``scrapers`` uses them in the records it yields.
"""

from __future__ import annotations

from typing import Final

HOUSE: Final = "house"
SENATE: Final = "senate"
CHAMBERS: Final = (HOUSE, SENATE)
CHAMBER_NAMES: Final = {HOUSE: "House", SENATE: "Senate"}
SEATS: Final = {HOUSE: 134, SENATE: 67}  # since the 1973 session

# Parties by their Minnesota codes, with full names for display.  Codes not
# listed here are stored as they appear and displayed as the code itself.
PARTY_NAMES: Final = {
    "DFL": "Democratic-Farmer-Labor",
    "R": "Republican",
    "I": "Independent",
    "LMN": "Legal Marijuana Now",
    "GLC": "Grassroots-Legalize Cannabis",
}

# Member vote options.
YES: Final = "yes"
NO: Final = "no"
NOT_VOTING: Final = "not_voting"
EXCUSED: Final = "excused"
NOT_SEATED: Final = "not_seated"
VOTE_OPTIONS: Final = (YES, NO, NOT_VOTING, EXCUSED, NOT_SEATED)

# Bill types: HF/SF bills, HR/SR resolutions, HC/SC concurrent resolutions.
BILL_TYPES: Final = ("HF", "SF", "HR", "SR", "HC", "SC")

# Bill statuses, in the order a bill normally moves through them
# (mn-sources.md section 2.5).  ``status_rank`` orders them.
INTRODUCED: Final = "introduced"
IN_COMMITTEE: Final = "in_committee"
PASSED_HOUSE: Final = "passed_house"
PASSED_SENATE: Final = "passed_senate"
PASSED_BOTH: Final = "passed_both"
IN_CONFERENCE: Final = "in_conference"
PRESENTED_TO_GOVERNOR: Final = "presented_to_governor"
SIGNED: Final = "signed"
VETOED: Final = "vetoed"
BILL_STATUSES: Final = (
    INTRODUCED,
    IN_COMMITTEE,
    PASSED_HOUSE,
    PASSED_SENATE,
    PASSED_BOTH,
    IN_CONFERENCE,
    PRESENTED_TO_GOVERNOR,
    SIGNED,
    VETOED,
)
BILL_STATUS_NAMES: Final = {
    INTRODUCED: "Introduced",
    IN_COMMITTEE: "In committee",
    PASSED_HOUSE: "Passed the House",
    PASSED_SENATE: "Passed the Senate",
    PASSED_BOTH: "Passed both chambers",
    IN_CONFERENCE: "In conference committee",
    PRESENTED_TO_GOVERNOR: "Presented to the governor",
    SIGNED: "Signed into law (chaptered)",
    VETOED: "Vetoed",
}


NO_PARTY: Final = "none"  # the group of legislators whose party is not recorded


def party_group(code: str | None) -> str:
    """The party a legislator is grouped under for medians and totals."""
    return code or NO_PARTY


def party_name(code: str | None) -> str:
    """Full display name of a party code; unknown codes display as themselves."""
    if not code or code == NO_PARTY:
        return "No party recorded"
    return PARTY_NAMES.get(code, code)
