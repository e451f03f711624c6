"""The OpenAPI 3.1 document of the public API, built in code.

Every object schema lists every field the API sends (``additionalProperties``
is false), so a field added to ``tracker.api.serialize`` without being
documented here fails ``tests/test_openapi.py``, which validates the
document and checks real responses against it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import jsonify

from scrapers.vocab import BILL_STATUSES, BILL_TYPES, CHAMBERS, VOTE_OPTIONS
from tracker.api.views import (
    CACHE_SECONDS,
    DEFAULT_PER_PAGE,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY,
    bp,
)
from tracker.models.scorecards import ABSENCE_POLICIES, POSITIONS

JSON = "application/json"


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return {"oneOf": [schema, {"type": "null"}]}
    kind = schema["type"]
    types = kind if isinstance(kind, list) else [kind]
    out = {**schema, "type": [*types, "null"]}
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    return out


def _s(kind: str, description: str | None = None, null: bool = False, **kw: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": kind, **kw}
    if description:
        schema["description"] = description
    return _nullable(schema) if null else schema


def _obj(properties: dict[str, Any], description: str | None = None, null: bool = False,
         optional: tuple[str, ...] = ()) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": [k for k in properties if k not in optional],
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return _nullable(schema) if null else schema


def _map(values: dict[str, Any], description: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "additionalProperties": values}
    if description:
        schema["description"] = description
    return schema


def _array(items: dict[str, Any], description: str | None = None) -> dict[str, Any]:
    return _s("array", description, items=items)


STR = {"type": "string"}
NSTR = {"type": ["string", "null"]}
INT = {"type": "integer"}
NINT = {"type": ["integer", "null"]}
BOOL = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
NDATE = {"type": ["string", "null"], "format": "date"}
NTIME = {"type": ["string", "null"], "format": "date-time"}
TIME = {"type": "string", "format": "date-time"}
URL = {"type": "string", "format": "uri"}
NURL = {"type": ["string", "null"], "format": "uri"}
UUID = {"type": "string", "format": "uuid"}
CHAMBER = {"type": "string", "enum": list(CHAMBERS)}
SCORE = _s("number", "The exact score, 100 x aligned weight / eligible weight, as a JSON "
           "number; null when participation is below the minimum or nothing was eligible.",
           null=True, minimum=0, maximum=100)
SCORE_DISPLAY = _s("integer", "The score rounded half up to a whole number (the one rounding "
                   "used by pages, API and exports); null with the score.", null=True,
                   minimum=0, maximum=100)


def _schemas() -> dict[str, Any]:
    vote_option = _s("string", "How the member voted.", enum=list(VOTE_OPTIONS))
    scored_vote = {
        "roll_call_id": {**UUID, "description": "The roll call's public id."},
        "bill": _s("string", "Bill key as in URLs, e.g. SF1832."),
        "bill_label": _s("string", "Bill as written, e.g. SF 1832."),
        "bill_title": NSTR,
        "bill_url": URL,
        "session": _s("string", "Session identifier, e.g. 2025-2026."),
        "date": DATE,
        "chamber": CHAMBER,
        "motion": STR,
        "amendment_id": NSTR,
        "journal_page": NSTR,
        "aligned_vote": _s("string", "The vote that agrees with the organization's position.",
                           enum=["yes", "no"]),
        "weight": _s("integer", "Weight of the vote in the score.", minimum=1, maximum=10),
        "key_vote": _s("boolean", "Whether the vote is a key vote (weight 2 or more)."),
        "description": _s("string", "One-line description of the vote."),
        "yeas": NINT,
        "nays": NINT,
        "outcome": NSTR,
        "source_url": NURL,
        "verification_note": NSTR,
    }
    attendance = _obj({
        "cast": _s("integer", "Votes cast yes or no (unweighted)."),
        "possible": _s("integer", "Scored votes held while seated."),
        "excused": _s("integer", "Excused absences (recorded by the House only)."),
        "not_voting": _s("integer", "Absences not recorded as excused."),
        "rate": _s("number", "cast / possible; null when nothing was possible.", null=True),
    })
    score_pair = _obj({"score": SCORE, "score_display": SCORE_DISPLAY})
    scorecard_ref = {
        "id": {**UUID, "description": "The scorecard's public id."},
        "title": STR,
        "version": _s("integer", "Published version number.", minimum=1),
        "published_at": TIME,
        "url": URL,
    }
    page = {
        "page": _s("integer", minimum=1),
        "per_page": _s("integer", minimum=1, maximum=MAX_PER_PAGE),
        "total": _s("integer", minimum=0),
        "next": _s("string", "Absolute link to the next page.", null=True, format="uri"),
        "previous": _s("string", "Absolute link to the previous page.", null=True,
                       format="uri"),
    }
    bill_summary = {
        "session": _s("string", "Session identifier."),
        "key": STR,
        "label": STR,
        "bill_type": _s("string", enum=list(BILL_TYPES)),
        "number": _s("integer", minimum=1),
        "title": STR,
        "status": _s("string", enum=list(BILL_STATUSES)),
        "status_name": STR,
        "missing_from_source": BOOL,
        "url": URL,
    }
    term = _obj({
        "chamber": CHAMBER,
        "district": STR,
        "party": NSTR,
        "party_name": NSTR,
        "start_date": NDATE,
        "start_source": NSTR,
        "start_basis": NSTR,
        "end_date": NDATE,
        "end_source": NSTR,
        "end_basis": NSTR,
    })
    person_summary = {
        "id": UUID,
        "name": STR,
        "given_name": NSTR,
        "family_name": NSTR,
        "current": _s("boolean", "Whether a known term covers today."),
        "latest_term": _nullable(_ref("Term")),
        "url": URL,
    }
    alert_summary = {
        "id": UUID,
        "title": STR,
        "status": _s("string", enum=["published", "closed"]),
        "state": _s("string", "open (members can act), expired (deadline passed) or closed.",
                    enum=["open", "expired", "closed"]),
        "bill": _obj({"session": STR, "key": STR, "label": STR, "title": STR, "url": URL}),
        "target": _s("string", "A chamber's floor vote or a committee's members.",
                     enum=["floor", "committee"]),
        "chamber": CHAMBER,
        "committee": NSTR,
        "ask": _s("string", "The vote we ask for.", enum=["yes", "no"]),
        "deadline": NTIME,
        "published_at": NTIME,
        "closed_at": NTIME,
        "url": URL,
        "page": _s("string", "The take-action page.", format="uri"),
    }
    alert_totals = _obj({
        "legislators": INT, "called": INT, "emailed": INT, "actions": INT,
        "voted_as_asked": INT, "voted_against": INT, "did_not_vote": INT,
    }, "Member actions and, once the roll call is verified, votes against the ask.")
    return {
        "AlertSummary": _obj(alert_summary),
        "AlertPage": _obj({"items": _array(_ref("AlertSummary")), **page}),
        "AlertTotals": alert_totals,
        "AlertDetail": _obj({
            **alert_summary,
            "summary": STR,
            "call_script": STR,
            "closed_note": NSTR,
            "roll_call": _obj({
                "id": UUID, "chamber": CHAMBER, "date": DATE, "motion": STR, "yeas": INT,
                "nays": INT, "outcome": NSTR, "verified": BOOL,
            }, "The targeted roll call, once known.", null=True),
            "report": _obj({
                "vote_status": _s(
                    "string", "no_roll_call (not held yet), unverified, verified, or no_vote "
                    "(closed without a recorded vote).",
                    enum=["no_roll_call", "unverified", "verified", "no_vote"]),
                "totals": _ref("AlertTotals"),
                "by_party": _map(_ref("AlertTotals"), "Party code (none: no party) -> totals."),
                "by_chamber": _map(_ref("AlertTotals")),
                "legislators": _array(_obj({
                    "id": UUID, "name": STR, "url": URL, "chamber": CHAMBER, "district": STR,
                    "party": NSTR, "called": INT, "emailed": INT,
                    "asked": _s("string", enum=["yes", "no"]),
                    "vote": _s("string", "How they voted; null until the roll call is "
                               "verified.", null=True, enum=list(VOTE_OPTIONS)),
                    "voted_as_asked": _s("boolean", "null when they did not vote yes or no.",
                                         null=True),
                })),
                "csv": URL,
                "chart": URL,
            }, "The pressure report: per targeted legislator and totals."),
        }),
        "Error": _obj(
            {"error": STR, "message": STR, "status": INT},
            "An error: the HTTP reason, a sentence saying what was wrong, and the status.",
            optional=("message",),
        ),
        "ApiIndex": _obj({
            "version": _s("string", enum=["v1"]),
            "links": _obj({
                "health": URL, "bills": URL, "legislators": URL, "scorecards": URL,
                "openapi": URL,
            }),
        }),
        "OpenApiDocument": _s("object", "This document."),
        "SessionRef": _obj({
            "identifier": STR, "name": STR, "start_date": NDATE, "end_date": NDATE,
            "special": BOOL,
        }),
        "PersonRef": _obj({"id": UUID, "name": STR, "url": URL}),
        "Term": term,
        "Attendance": attendance,
        "ScorePair": score_pair,
        "Position": _obj({
            "position": _s("string", enum=list(POSITIONS)),
            "rationale": STR,
            "issue_areas": _array(STR),
            "published_at": NTIME,
        }, "The organization's published position (never a draft)."),
        "BillListItem": _obj({
            **bill_summary,
            "position": _s("string", "Published position, if any.", null=True,
                           enum=list(POSITIONS)),
        }),
        "BillPage": _obj({"items": _array(_ref("BillListItem")), **page}),
        "Author": _obj({
            "chamber": CHAMBER, "position": INT, "chief": BOOL, "printed_name": STR,
            "person": _nullable(_ref("PersonRef")),
        }),
        "Action": _obj({
            "chamber": CHAMBER,
            "number": INT,
            "date": NDATE,
            "text": STR,
            "journal_page": NSTR,
            "committee": NSTR,
            "roll_call": _obj({"tally": NSTR, "yeas": NINT, "nays": NINT}, null=True),
            "classification": NSTR,
            "missing_from_source": BOOL,
        }),
        "MemberVote": _obj({
            "person": _nullable(_ref("PersonRef")),
            "name": NSTR,
            "printed_name": NSTR,
            "option": vote_option,
        }),
        "RollCall": _obj({
            "id": UUID,
            "chamber": CHAMBER,
            "date": DATE,
            "motion": STR,
            "kind": STR,
            "amendment_id": NSTR,
            "yeas": INT,
            "nays": INT,
            "journal_page": NSTR,
            "outcome": NSTR,
            "source_url": NURL,
            "verified": BOOL,
            "verification_note": NSTR,
            "action": _obj({"chamber": CHAMBER, "number": INT}, null=True),
            "member_votes": _array(_ref("MemberVote")),
        }),
        "BillDetail": _obj({
            **bill_summary,
            "session": _ref("SessionRef"),
            "companion": _obj({"key": STR, "label": STR, "url": NURL}, null=True),
            "source_url": NURL,
            "last_seen_at": NTIME,
            "authors": _map(_array(_ref("Author")), "Authors per chamber, chief first."),
            "actions": _array(_ref("Action")),
            "roll_calls": _array(_ref("RollCall")),
            "position": _nullable(_ref("Position")),
        }),
        "LegislatorSummary": _obj(person_summary),
        "LegislatorPage": _obj({"items": _array(_ref("LegislatorSummary")), **page}),
        "LegislatorVote": _obj({
            **scored_vote,
            "vote": vote_option,
        }),
        "LegislatorScorecardScore": _obj({
            "scorecard": _ref("ScorecardRef"),
            "chamber": CHAMBER,
            "party": NSTR,
            "district": NSTR,
            "score": SCORE,
            "score_display": SCORE_DISPLAY,
            "grade": NSTR,
            "attendance": _ref("Attendance"),
            "votes": _array(_ref("LegislatorVote")),
        }, "A legislator's result on the latest published version of one scorecard."),
        "LegislatorDetail": _obj({
            **person_summary,
            "email": NSTR,
            "phone": NSTR,
            "office_address": NSTR,
            "profile_url": NURL,
            "photo": URL,
            "photo_source_url": NURL,
            "source_url": NURL,
            "identifiers": _obj({
                "openstates": NSTR, "house_member_id": NSTR, "senate_member_id": NSTR,
            }),
            "name_forms": _array(STR),
            "terms": _array(_ref("Term")),
            "scores": _array(_ref("LegislatorScorecardScore")),
            "lifetime_score": {**SCORE, "description": "Pooled over every scored vote of the "
                               "latest published version of every scorecard; null when none "
                               "was eligible."},
            "lifetime_score_display": SCORE_DISPLAY,
        }),
        "ScorecardRef": _obj(scorecard_ref),
        "ScorecardListItem": _obj({
            **scorecard_ref,
            "sessions": _array(STR),
            "chambers": _array(CHAMBER),
        }),
        "ScorecardList": _obj({
            "items": _array(_ref("ScorecardListItem")), "total": INT,
        }),
        "Methodology": _obj({
            "method": _s("string", enum=["weighted_alignment"]),
            "absence_policy": _s(
                "string",
                "exclude: only votes cast yes or no are eligible; count_unexcused: plus "
                "not_voting (counted as not aligned); count_all: plus not_voting and excused. "
                "not_seated is never eligible.",
                enum=list(ABSENCE_POLICIES),
            ),
            "min_participation": _s(
                "number", "Minimum participation as a fraction from 0 to 1: weight of votes "
                "cast yes or no over weight of votes held while seated.", minimum=0, maximum=1),
            "min_participation_pct": _s("integer", minimum=0, maximum=100),
            "grade_bands": _array(
                _obj({"min_score": _s("integer", minimum=0, maximum=100), "grade": STR}),
                "Highest floor first; the grade is the first band whose floor the exact "
                "score reaches."),
            "excused_recorded": _map(BOOL, "Per chamber: whether the data records excused "
                                     "absences."),
            "chambers": _array(CHAMBER),
            "sessions": _array(STR),
            "rounding": _s("string", "How score_display is rounded.", enum=["half up"]),
            "formula": STR,
        }),
        "ScoredVote": _obj(scored_vote),
        "ScorecardLegislator": _obj({
            "id": UUID,
            "name": STR,
            "url": URL,
            "party": NSTR,
            "chamber": CHAMBER,
            "district": NSTR,
            "score": SCORE,
            "score_display": SCORE_DISPLAY,
            "aligned_weight": _s("integer", "Sum of weights of eligible votes cast the "
                                 "aligned way."),
            "eligible_weight": _s("integer", "Sum of weights of eligible votes."),
            "participation": _s("number", "Weight cast over weight possible.", null=True),
            "grade": NSTR,
            "attendance": _ref("Attendance"),
            "lifetime_score": SCORE,
            "lifetime_score_display": SCORE_DISPLAY,
            "votes": {
                **_map(vote_option),
                "description": "Roll call id -> the member's vote on each scored roll call.",
                "propertyNames": {"format": "uuid"},
            },
        }),
        "Medians": _obj({
            "chamber": _map(_ref("ScorePair")),
            "party": _map(_ref("ScorePair")),
            "chamber_party": _map(_map(_ref("ScorePair"))),
        }, "Median exact scores (legislators with a score only)."),
        "Correction": _obj({
            "version": INT, "published_at": TIME, "note": STR, "changes": _array(STR),
            "url": URL,
        }),
        "ScorecardDetail": _obj({
            "id": UUID,
            "title": STR,
            "description": STR,
            "version": _s("integer", minimum=1),
            "latest_version": _s("integer", minimum=1),
            "published_at": TIME,
            "url": URL,
            "methodology": _ref("Methodology"),
            "votes": _array(_ref("ScoredVote")),
            "legislators": _array(_ref("ScorecardLegislator")),
            "medians": _ref("Medians"),
            "corrections": _array(_ref("Correction"), "Every published version's "
                                  "corrections log, oldest first."),
        }),
    }


def _param(name: str, where: str, schema: dict[str, Any], description: str,
           required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required or where == "path",
            "description": description, "schema": schema}


PARAMETERS = {
    "page": _param("page", "query", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE,
                                     "default": 1}, "Page number."),
    "per_page": _param("per_page", "query", {"type": "integer", "minimum": 1,
                                             "maximum": MAX_PER_PAGE,
                                             "default": DEFAULT_PER_PAGE}, "Items per page."),
    "session": _param("session", "query", STR, "Session identifier, e.g. 2025-2026."),
    "chamber": _param("chamber", "query", {"type": "string", "enum": list(CHAMBERS)},
                      "Chamber (case-insensitive)."),
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "headers": {"Access-Control-Allow-Origin": {"$ref": "#/components/headers/CORS"}},
            "content": {JSON: {"schema": _ref("Error")}}}


def _get(summary: str, schema: str, parameters: list[Any], errors: dict[str, str],
         description: str = "") -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {
            "description": "OK",
            "headers": {
                "ETag": {"$ref": "#/components/headers/ETag"},
                "Cache-Control": {"$ref": "#/components/headers/CacheControl"},
                "Access-Control-Allow-Origin": {"$ref": "#/components/headers/CORS"},
            },
            "content": {JSON: {"schema": _ref(schema)}},
        },
        "304": {"description": "Not modified: the If-None-Match ETag still matches; no body."},
    }
    for code, text in errors.items():
        responses[code] = _error(text)
    operation: dict[str, Any] = {
        "summary": summary,
        "parameters": [*parameters, {"$ref": "#/components/parameters/IfNoneMatch"}],
        "responses": responses,
    }
    if description:
        operation["description"] = description
    return {"get": operation}


def _paths() -> dict[str, Any]:
    ref = {k: {"$ref": f"#/components/parameters/{k}"} for k in PARAMETERS}
    bad = "Malformed parameter."
    return {
        "/": _get("API index", "ApiIndex", [], {}),
        "/openapi.json": _get("This OpenAPI document", "OpenApiDocument", [], {}),
        "/bills": _get(
            "Search and filter bills", "BillPage",
            [ref["session"], ref["chamber"],
             _param("q", "query", {"type": "string", "maxLength": MAX_QUERY},
                    "Bill number (SF1832, SF 1832, 1832) or words of the title."),
             _param("status", "query", {"type": "string", "enum": list(BILL_STATUSES)},
                    "Bill status."),
             _param("tagged", "query", {"type": "string",
                                        "enum": ["true", "false", "1", "0", "yes", "no"]},
                    "Only bills with (true) or without (false) a published support or "
                    "oppose position."),
             _param("position", "query", {"type": "string", "enum": ["support", "oppose"]},
                    "Only bills with this published position."),
             ref["page"], ref["per_page"]],
            {"400": bad, "404": "Unknown session."},
            "chamber filters by the chamber of origin (HF/HR/HC: house; SF/SR/SC: senate).",
        ),
        "/bills/{session}/{bill}": _get(
            "One bill with actions, roll calls and the published position", "BillDetail",
            [_param("session", "path", STR, "Session identifier."),
             _param("bill", "path", STR, "Bill id: SF1832, SF 1832, sf1832, S.F. 1832.")],
            {"400": "Malformed bill id.", "404": "Unknown session or bill."},
        ),
        "/legislators": _get(
            "List and filter legislators", "LegislatorPage",
            [ref["session"], ref["chamber"],
             _param("district", "query", STR, "District, e.g. 62A or 50 (case-insensitive)."),
             _param("name", "query", STR, "Part of the name or a printed name form."),
             ref["page"], ref["per_page"]],
            {"400": bad, "404": "Unknown session."},
        ),
        "/legislators/{public_id}": _get(
            "One legislator with published scores and votes", "LegislatorDetail",
            [_param("public_id", "path", STR, "The legislator's public id.")],
            {"400": bad, "404": "Unknown legislator."},
        ),
        "/scorecards": _get("Published scorecards", "ScorecardList", [], {}),
        "/scorecards/{public_id}": _get(
            "One published scorecard with every legislator's score and votes",
            "ScorecardDetail",
            [_param("public_id", "path", STR, "The scorecard's public id."),
             _param("version", "query", {"type": "integer", "minimum": 1},
                    "A published version number; the latest when omitted.")],
            {"400": "Malformed version.",
             "404": "Unknown or unpublished scorecard, or no such published version."},
            "Everything needed to recompute every score: the methodology, each scored "
            "vote's aligned vote and weight, and each legislator's vote on each scored roll "
            "call. Lifetime scores are as of the latest published versions.",
        ),
        "/alerts": _get("Published and closed action alerts, newest first", "AlertPage",
                        [ref["page"], ref["per_page"]], {"400": bad}),
        "/alerts/{public_id}": _get(
            "One action alert with its pressure report", "AlertDetail",
            [_param("public_id", "path", STR, "The alert's public id.")],
            {"404": "Unknown or unpublished alert."},
            "Tallies are anonymous counts of members who said they called or emailed each "
            "targeted legislator; votes appear once the targeted roll call is verified.",
        ),
    }


@cache
def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Minnesota Legislative Tracker public API",
            "version": "1",
            "description": (
                "Read-only JSON API: bills, legislators and published scorecards. "
                "Only published positions and scorecard versions are shown. Responses carry "
                "a strong ETag (send If-None-Match for a 304), Last-Modified where known, "
                f"Cache-Control: public, max-age={CACHE_SECONDS}, and "
                "Access-Control-Allow-Origin: * (GET, no credentials)."
            ),
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "servers": [{"url": "/api/v1"}],
        "paths": _paths(),
        "components": {
            "schemas": _schemas(),
            "parameters": {
                **PARAMETERS,
                "IfNoneMatch": _param("If-None-Match", "header", STR,
                                      "An ETag from an earlier response."),
            },
            "headers": {
                "ETag": {"description": "Strong validator: a hash of the body.",
                         "schema": STR},
                "CacheControl": {"description": "public, with a short max-age.",
                                 "schema": STR},
                "CORS": {"description": "Always *.", "schema": {"type": "string",
                                                                 "enum": ["*"]}},
            },
        },
    }


# The alert routes documented above live in their own module.
from tracker.api import alerts as _alerts  # noqa: E402, F401, I001


@bp.get("/openapi.json")
def openapi() -> Any:
    return jsonify(document())
