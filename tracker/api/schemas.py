"""The public API's contract: pydantic models of every query and every document.

One set of models does three jobs: the query models validate a request's query
arguments (``tracker.api.openapi.documented`` hands them to spectree, and a
failure is a JSON 400 naming the argument); the document models are what the
views build and send; and both generate the OpenAPI document served at
``/api/v1/openapi.json``.  Nothing of the contract is written twice.

Every document model forbids fields it does not name (``additionalProperties``
is false in the schema), so a field can reach the API only by being added here
on purpose.  Enumerations come from the one vocabulary (``scrapers.vocab``,
the models' constants); document enumerations are documented, query
enumerations are enforced.

Query arguments are taken exactly as documented, so that the document and the
behaviour agree (``tests/test_api_conformance.py``; schemathesis checks it
against a live server): a choice is one of its values as written, a number is
written in digits, true/false is ``true`` or ``false``, and an empty value of
any of these is a 400 like any other value outside its schema.  An empty text
argument is text that filters nothing.  Every string parameter states its
length limit and the characters the app refuses (``tracker.inputs``); the
limits keep the longest valid request line within gunicorn's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from annotated_types import GroupedMetadata
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from scrapers.vocab import BILL_STATUSES, BILL_TYPES, CHAMBERS, VOTE_OPTIONS
from tracker import inputs
from tracker.models.pressure import ALERT_TARGETS, ASKS
from tracker.models.scorecards import ABSENCE_POLICIES, POSITIONS

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000
MAX_VERSION = 1_000_000
MAX_QUERY = 200  # q: a bill number or words
MAX_SESSION = 20  # a session identifier: 2025-2026, 2025s1
MAX_DISTRICT = 10  # 62A
MAX_NAME = 100  # part of a name
MAX_BILL = 40  # a bill id in a path, as written: S.F. No. 1832
TAGGED = ("support", "oppose")  # the positions that count as tagged
CUSTOM_ERRORS = ("choice",)  # our own error types (see ``_choice``)


# ------------------------------------------------------------------ query arguments


def _class_of(codes: Sequence[int]) -> str:
    """A regular-expression character class body of ``codes`` (sorted), as ranges
    of ``\\uXXXX`` escapes that ECMA-262, Python and Rust all read alike."""
    parts: list[str] = []
    start = previous = codes[0]
    for code in [*codes[1:], -1]:
        if code == previous + 1:
            previous = code
            continue
        parts.append(
            f"\\u{start:04x}" if start == previous else f"\\u{start:04x}-\\u{previous:04x}"
        )
        start = previous = code
    return "".join(parts)


# The characters ``tracker.inputs`` refuses in a URL, as the pattern every string
# parameter is documented with: the C0 controls it refuses.  (It also refuses lone
# surrogates, which a URL cannot carry: it is UTF-8, and invalid bytes arrive as
# U+FFFD.)
REFUSED = [code for code in range(0x20) if inputs.unstorable(chr(code))]
TEXT_PATTERN = f"^[^{_class_of(REFUSED)}]*$"


def text_schema(max_length: int, description: str) -> dict[str, Any]:
    """The documented schema of a text parameter (query or path)."""
    return {
        "type": "string",
        "maxLength": max_length,
        "pattern": TEXT_PATTERN,
        "description": description,
    }


WHOLE = re.compile(r"-?[0-9]+")


def _whole(value: Any) -> Any:
    """A number is written in ASCII digits (pydantic alone would take ``+5``, ``1_000``
    and `` 1``, which the documented ``integer`` does not)."""
    if isinstance(value, str) and not WHOLE.fullmatch(value):
        raise PydanticCustomError("int_parsing", "must be a whole number")
    return value


def _boolean(value: Any) -> Any:
    """``true`` or ``false``, as the documented ``boolean`` is written in a query."""
    if isinstance(value, str):
        if value not in ("true", "false"):
            raise PydanticCustomError("bool_parsing", "must be true or false")
        return value == "true"
    return value


def _choice(name: str, values: Sequence[str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in values:
            raise PydanticCustomError(
                "choice", "must be one of {choices}", {"choices": ", ".join(values)}
            )
        return value

    check.__name__ = f"{name}_choice"
    return check


@dataclass(frozen=True)
class _Text(GroupedMetadata):
    """Text of at most ``max_length`` characters, surrounding spaces then dropped (the
    limit applies to the text as sent, as the document says).  Grouped metadata, so
    that ``Annotated[str, _Text(...)]`` is a type alias a type checker reads."""

    max_length: int
    description: str

    def __iter__(self) -> Iterator[object]:
        yield from StringConstraints(max_length=self.max_length)
        yield AfterValidator(str.strip)
        yield WithJsonSchema(text_schema(self.max_length, self.description))


QueryInt = Annotated[int, BeforeValidator(_whole)]
QueryBool = Annotated[bool, BeforeValidator(_boolean)]
QueryChamber = Annotated[
    str,
    AfterValidator(_choice("chamber", CHAMBERS)),
    WithJsonSchema({"type": "string", "enum": list(CHAMBERS), "description": "Chamber."}),
]
QueryStatus = Annotated[
    str,
    AfterValidator(_choice("status", BILL_STATUSES)),
    WithJsonSchema({"type": "string", "enum": list(BILL_STATUSES), "description": "Bill status."}),
]
QueryPosition = Annotated[
    str,
    AfterValidator(_choice("position", TAGGED)),
    WithJsonSchema(
        {
            "type": "string",
            "enum": list(TAGGED),
            "description": (
                "Only bills with this published position (with tagged=false: no bill)."
            ),
        }
    ),
]
QueryText = Annotated[
    str,
    _Text(
        MAX_QUERY,
        "Bill number (SF1832, SF 1832, 1832) or words of "
        "the title or of an author's name; empty: every "
        "bill.",
    ),
]
QuerySession = Annotated[
    str, _Text(MAX_SESSION, "Session identifier, e.g. 2025-2026; empty: every session.")
]
QueryDistrict = Annotated[
    str, _Text(MAX_DISTRICT, "District, e.g. 62A or 50 (case-insensitive); empty: every district.")
]
QueryName = Annotated[
    str, _Text(MAX_NAME, "Part of a name or of a printed name form; empty: every name.")
]

# Path parameters, documented (``tracker.api.openapi.document``): a value that names
# nothing is a 404, one with a refused character a 400.
PublicIdParameter = {"type": "string", "format": "uuid", "description": "A public id."}
PATH_PARAMETERS: dict[str, dict[str, Any]] = {
    "public_id": PublicIdParameter,
    "session": text_schema(MAX_SESSION, "Session identifier, e.g. 2025-2026."),
    "bill": text_schema(
        MAX_BILL,
        "Bill id: SF1832, SF 1832, sf1832 or S.F. 1832 (anything else names no bill: 404).",
    ),
}


def _absent_not_null(schema: dict[str, Any]) -> None:
    """A query argument is given or absent, never null: document an optional one as
    its type alone (``X | None = None`` is ``anyOf: [X, null]`` in pydantic's schema)."""
    for name, prop in schema.get("properties", {}).items():
        options = prop.get("anyOf")
        if prop.get("default", ...) is None and options and {"type": "null"} in options:
            rest = [o for o in options if o != {"type": "null"}]
            if len(rest) == 1:
                merged = {
                    **rest[0],
                    **{k: v for k, v in prop.items() if k not in ("anyOf", "default")},
                }
                schema["properties"][name] = merged


class Query(BaseModel):
    """Query arguments, taken exactly as documented (see above); unknown arguments
    are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True, json_schema_extra=_absent_not_null)


class PageQuery(Query):
    page: QueryInt = Field(1, ge=1, le=MAX_PAGE, description="Page number.")
    per_page: QueryInt = Field(
        DEFAULT_PER_PAGE, ge=1, le=MAX_PER_PAGE, description="Items per page."
    )


class BillQuery(PageQuery):
    q: QueryText = ""
    session: QuerySession | None = None
    chamber: QueryChamber | None = Field(
        None, description="Chamber of origin (HF/HR/HC: house; SF/SR/SC: senate)."
    )
    status: QueryStatus | None = None
    tagged: QueryBool | None = Field(
        None,
        description="Only bills with (true) or without "
        "(false) a published support or oppose position.",
    )
    position: QueryPosition | None = None


class LegislatorQuery(PageQuery):
    session: QuerySession | None = None
    chamber: QueryChamber | None = None
    district: QueryDistrict | None = None
    name: QueryName | None = None


class ScorecardQuery(Query):
    version: Annotated[int, Field(ge=1, le=MAX_VERSION), BeforeValidator(_whole)] | None = Field(
        None, description="A published version number; the latest when omitted."
    )


# ------------------------------------------------------------------ value types

Url = Annotated[str, WithJsonSchema({"type": "string", "format": "uri"})]
PublicId = Annotated[str, WithJsonSchema({"type": "string", "format": "uuid"})]
VoteKey = Annotated[
    str,
    WithJsonSchema(
        {
            "type": "string",
            "minLength": 8,
            "description": "A scored vote's key in this document: the first eight characters of "
            "the roll call's public id (the whole id in the rare case two roll calls "
            "of one document share them).",
        }
    ),
]
Chamber = Annotated[str, WithJsonSchema({"type": "string", "enum": list(CHAMBERS)})]
VoteOption = Annotated[
    str,
    WithJsonSchema(
        {"type": "string", "enum": list(VOTE_OPTIONS), "description": "How the member voted."}
    ),
]
Aligned = Annotated[
    str,
    WithJsonSchema(
        {
            "type": "string",
            "enum": ["yes", "no"],
            "description": "The vote that agrees with the organization's position.",
        }
    ),
]
Score = Annotated[
    float | None,
    Field(
        ge=0,
        le=100,
        description=(
            "The exact score, 100 x aligned weight / eligible weight, as a JSON number; null when "
            "participation is below the minimum or nothing was eligible."
        ),
    ),
]
ScoreDisplay = Annotated[
    int | None,
    Field(
        ge=0,
        le=100,
        description=(
            "The score rounded half up to a whole number (the one rounding of pages, exports and "
            "API); null with the score."
        ),
    ),
]


class Document(BaseModel):
    """Base of every document: unknown fields are refused, and every field is
    always sent (required in the schema)."""

    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class ApiError(Document):
    """An error: the HTTP reason, a sentence saying what was wrong, and the status."""

    error: str
    message: str
    status: int


class IndexLinks(Document):
    health: Url
    bills: Url
    legislators: Url
    scorecards: Url
    alerts: Url
    openapi: Url


class ApiIndex(Document):
    version: Literal["v1"] = "v1"
    links: IndexLinks


class OpenApiDocument(RootModel[dict[str, Any]]):
    """This document."""


class PageLinks(Document):
    page: int = Field(ge=1)
    per_page: int = Field(ge=1, le=MAX_PER_PAGE)
    total: int = Field(ge=0)
    next: Url | None = Field(description="Absolute link to the next page.")
    previous: Url | None = Field(description="Absolute link to the previous page.")


# ------------------------------------------------------------------ bills


class SessionRef(Document):
    identifier: str
    name: str
    start_date: dt.date | None
    end_date: dt.date | None
    special: bool


class PersonRef(Document):
    id: PublicId
    name: str
    url: Url


class Companion(Document):
    key: str
    label: str
    url: Url | None


class BillFields(Document):
    key: str = Field(description="Bill key as in URLs, e.g. SF1832.")
    label: str = Field(description="Bill as written, e.g. SF 1832.")
    bill_type: Annotated[str, WithJsonSchema({"type": "string", "enum": list(BILL_TYPES)})]
    number: int = Field(ge=1)
    title: str
    status: Annotated[str, WithJsonSchema({"type": "string", "enum": list(BILL_STATUSES)})]
    status_name: str
    missing_from_source: bool
    url: Url


class BillListItem(BillFields):
    session: str = Field(description="Session identifier, e.g. 2025-2026.")
    position: Annotated[
        str | None,
        WithJsonSchema(
            {
                "type": ["string", "null"],
                "enum": [*POSITIONS, None],
                "description": "The published position, if any.",
            }
        ),
    ]


class BillPage(PageLinks):
    items: list[BillListItem]


class Author(Document):
    chamber: Chamber
    position: int
    chief: bool
    printed_name: str
    person: PersonRef | None


class ActionTally(Document):
    tally: str | None
    yeas: int | None
    nays: int | None


class Action(Document):
    chamber: Chamber
    number: int
    date: dt.date | None
    text: str
    journal_page: str | None
    committee: str | None
    roll_call: ActionTally | None
    classification: str | None
    missing_from_source: bool


class MemberVote(Document):
    person: PersonRef | None
    name: str | None
    printed_name: str | None
    option: VoteOption


class ActionRef(Document):
    chamber: Chamber
    number: int


class RollCall(Document):
    id: PublicId
    chamber: Chamber
    date: dt.date
    motion: str
    kind: str
    amendment_id: str | None
    yeas: int
    nays: int
    journal_page: str | None
    outcome: str | None
    source_url: Url | None
    verified: bool
    verification_note: str | None
    action: ActionRef | None
    url: Url = Field(description="This roll call's document: how each member voted.")


class RollCallBill(Document):
    """The bill a roll call was taken on."""

    session: str = Field(description="Session identifier, e.g. 2025-2026.")
    key: str = Field(description="Bill key as in URLs, e.g. SF1832.")
    label: str = Field(description="Bill as written, e.g. SF 1832.")
    title: str
    url: Url


class RollCallDetail(RollCall):
    """One roll call with every member's vote, in the record's alphabetical order."""

    bill: RollCallBill
    member_votes: list[MemberVote]


class Position(Document):
    """The organization's published position (never a draft)."""

    position: Annotated[str, WithJsonSchema({"type": "string", "enum": list(POSITIONS)})]
    rationale: str
    issue_areas: list[str]
    published_at: dt.datetime | None


class BillDetail(BillFields):
    session: SessionRef
    companion: Companion | None
    source_url: Url | None
    last_seen_at: dt.datetime | None
    authors: dict[str, list[Author]] = Field(description="Authors per chamber, chief first.")
    actions: list[Action]
    roll_calls: list[RollCall]
    position: Position | None


# ------------------------------------------------------------------ scorecards


class ScorecardRef(Document):
    id: PublicId = Field(description="The scorecard's public id.")
    title: str
    version: int = Field(ge=1, description="Published version number.")
    published_at: dt.datetime
    url: Url


class ScorecardListItem(ScorecardRef):
    sessions: list[str]
    chambers: list[Chamber]


class ScorecardList(Document):
    items: list[ScorecardListItem]
    total: int


class GradeBand(Document):
    min_score: int = Field(ge=0, le=100)
    grade: str


class Methodology(Document):
    """The rules every score of the version follows (README "Methodology")."""

    method: Literal["weighted_alignment"]
    absence_policy: Annotated[
        str,
        WithJsonSchema(
            {
                "type": "string",
                "enum": list(ABSENCE_POLICIES),
                "description": "exclude: only votes cast yes or no are eligible; count_unexcused: "
                "plus not_voting (counted as not aligned); count_all: plus not_voting "
                "and excused.  not_seated is never eligible.",
            }
        ),
    ]
    min_participation: float = Field(
        ge=0,
        le=1,
        description=(
            "Minimum participation as a fraction from 0 to 1: weight of votes cast yes or no "
            "over weight of votes held while seated."
        ),
    )
    min_participation_pct: int = Field(ge=0, le=100)
    grade_bands: list[GradeBand] = Field(
        description=(
            "Highest floor first; the grade is the first band whose floor the exact score reaches."
        )
    )
    excused_recorded: dict[str, bool] = Field(
        description=("Per chamber: whether the data records excused absences.")
    )
    chambers: list[Chamber]
    sessions: list[str]
    rounding: Literal["half up"] = Field(description="How score_display is rounded.")
    formula: str


class ScoredVote(Document):
    """A scored roll call, its facts given once; legislators' ``votes`` refer to it
    by ``key``."""

    key: VoteKey
    roll_call_id: PublicId = Field(
        description="The roll call's public id (as in bills' roll_calls)."
    )
    bill: str = Field(description="Bill key as in URLs, e.g. SF1832.")
    bill_label: str = Field(description="Bill as written, e.g. SF 1832.")
    bill_title: str | None
    bill_url: Url
    session: str
    date: dt.date
    chamber: Chamber
    motion: str
    amendment_id: str | None
    journal_page: str | None
    aligned_vote: Aligned
    weight: int = Field(ge=1, le=10, description="Weight of the vote in the score.")
    key_vote: bool = Field(description="Whether the vote is a key vote (weight 2 or more).")
    description: str
    yeas: int | None
    nays: int | None
    outcome: str | None
    source_url: Url | None
    verification_note: str | None
    kind: Literal["floor", "committee"] = Field(
        description=(
            "floor: a vote of the whole chamber; committee: a committee's roll call (from its "
            "minutes), which only the committee's members that day could vote on."
        )
    )
    committee: str | None = Field(description="The committee of a committee vote.")
    not_seated_label: str = Field(
        description=(
            "How a legislator with no vote on it (missing from their ``votes``: not eligible, "
            'never an absence) is shown: "Not in office", or for a committee vote "Not on '
            'the committee".'
        )
    )


class Attendance(Document):
    cast: int = Field(description="Votes cast yes or no (unweighted).")
    possible: int = Field(description="Scored votes held while seated.")
    excused: int = Field(description="Excused absences (recorded by the House only).")
    not_voting: int = Field(description="Absences not recorded as excused.")
    rate: float | None = Field(description="cast / possible; null when nothing was possible.")


class ScorePair(Document):
    score: Score
    score_display: ScoreDisplay


class ScorecardResult(Document):
    """One legislator's result on one published version."""

    chamber: Chamber
    party: str | None
    district: str | None
    score: Score
    score_display: ScoreDisplay
    aligned_weight: int = Field(
        description="Sum of the weights of eligible votes cast the aligned way."
    )
    eligible_weight: int = Field(description="Sum of the weights of eligible votes.")
    participation: float | None = Field(
        description="Weight of votes cast yes or no over weight of votes held while seated."
    )
    grade: str | None
    attendance: Attendance
    votes: dict[VoteKey, VoteOption] = Field(
        description=(
            "Scored vote key -> the member's vote.  A scored vote missing here was held while "
            "the member was not seated (not_seated), as the scoring engine counts it; for a "
            "committee vote, while they were not on the committee (its not_seated_label)."
        )
    )


class ScorecardLegislator(ScorecardResult):
    id: PublicId
    name: str
    url: Url
    lifetime_score: Score
    lifetime_score_display: ScoreDisplay


class Medians(Document):
    """Median exact scores (legislators with a score only); a legislator without a
    recorded party is grouped under "none"."""

    chamber: dict[str, ScorePair]
    party: dict[str, ScorePair]
    chamber_party: dict[str, dict[str, ScorePair]]


class Correction(Document):
    version: int
    published_at: dt.datetime
    note: str
    changes: list[str]
    url: Url


class ScorecardDetail(Document):
    """One published version, recomputable from itself: the methodology, each
    scored vote once, and each legislator's result with their vote on each."""

    id: PublicId
    title: str
    description: str
    version: int = Field(ge=1)
    latest_version: int = Field(ge=1)
    published_at: dt.datetime
    url: Url
    methodology: Methodology
    votes: list[ScoredVote]
    legislators: list[ScorecardLegislator]
    medians: Medians
    corrections: list[Correction] = Field(
        description="Every published version's corrections log, oldest first."
    )


# ------------------------------------------------------------------ legislators


class Term(Document):
    chamber: Chamber
    district: str
    party: str | None
    party_name: str | None
    start_date: dt.date | None
    start_source: str | None
    start_basis: str | None
    end_date: dt.date | None
    end_source: str | None
    end_basis: str | None


class LegislatorSummary(Document):
    id: PublicId
    name: str
    given_name: str | None
    family_name: str | None
    current: bool = Field(description="Whether a known term covers today.")
    latest_term: Term | None
    url: Url


class LegislatorPage(PageLinks):
    items: list[LegislatorSummary]


class Identifiers(Document):
    openstates: str | None
    house_member_id: str | None
    senate_member_id: str | None


class LegislatorScorecardScore(ScorecardResult):
    """A legislator's result on the latest published version of one scorecard, in the
    scorecard document's shape: recomputable from ``methodology``, ``scored_votes``
    (the scored votes held while they were seated) and ``votes``."""

    scorecard: ScorecardRef
    methodology: Methodology
    scored_votes: list[ScoredVote]


class LegislatorDetail(LegislatorSummary):
    email: str | None
    phone: str | None
    office_address: str | None
    profile_url: Url | None
    photo: Url
    photo_source_url: Url | None
    source_url: Url | None
    identifiers: Identifiers
    name_forms: list[str]
    terms: list[Term]
    scores: list[LegislatorScorecardScore]
    lifetime_score: Score = Field(
        description=(
            "Pooled over every scored vote of the latest published version of every scorecard; "
            "null when none was eligible."
        )
    )
    lifetime_score_display: ScoreDisplay


# ------------------------------------------------------------------ alerts


class AlertBill(Document):
    session: str
    key: str
    label: str
    title: str
    url: Url


class AlertSummary(Document):
    id: PublicId
    title: str
    status: Literal["published", "closed"]
    state: Literal["open", "expired", "closed"] = Field(
        description=("open (members can act), expired (deadline passed) or closed.")
    )
    bill: AlertBill
    target: Annotated[
        str,
        WithJsonSchema(
            {
                "type": "string",
                "enum": list(ALERT_TARGETS),
                "description": "A chamber's floor vote or a committee's members.",
            }
        ),
    ]
    chamber: Chamber
    committee: str | None
    ask: Annotated[
        str,
        WithJsonSchema(
            {"type": "string", "enum": list(ASKS), "description": "The vote we ask for."}
        ),
    ]
    deadline: dt.datetime | None
    published_at: dt.datetime | None
    closed_at: dt.datetime | None
    url: Url
    page: Url = Field(description="The take-action page.")


class AlertPage(PageLinks):
    items: list[AlertSummary]


class AlertTotals(Document):
    """Member actions and, once the roll call is verified, votes against the ask."""

    legislators: int
    called: int
    emailed: int
    actions: int
    voted_as_asked: int
    voted_against: int
    did_not_vote: int


class AlertRollCall(Document):
    """The targeted roll call, once known."""

    id: PublicId
    chamber: Chamber
    date: dt.date
    motion: str
    yeas: int
    nays: int
    outcome: str | None
    verified: bool


class AlertReportRow(Document):
    id: PublicId
    name: str
    url: Url
    chamber: Chamber
    district: str
    party: str | None
    called: int
    emailed: int
    asked: Annotated[str, WithJsonSchema({"type": "string", "enum": list(ASKS)})]
    vote: Annotated[
        str | None,
        WithJsonSchema(
            {
                "type": ["string", "null"],
                "enum": [*VOTE_OPTIONS, None],
                "description": "How they voted; null until the roll call is verified.",
            }
        ),
    ]
    voted_as_asked: bool | None = Field(description="null when they did not vote yes or no.")


class AlertReport(Document):
    """The pressure report: per targeted legislator, and totals."""

    vote_status: Annotated[
        str,
        WithJsonSchema(
            {
                "type": "string",
                "enum": ["no_roll_call", "unverified", "verified", "no_vote"],
                "description": "no_roll_call (not held yet), unverified, verified, or no_vote "
                "(closed without a recorded vote).",
            }
        ),
    ]
    totals: AlertTotals
    by_party: dict[str, AlertTotals] = Field(description="Party code (none: no party) -> totals.")
    by_chamber: dict[str, AlertTotals]
    legislators: list[AlertReportRow]
    csv: Url
    chart: Url


class AlertDetail(AlertSummary):
    summary: str
    call_script: str
    closed_note: str | None
    roll_call: AlertRollCall | None
    report: AlertReport
