"""Models to JSON-ready dicts for the public API.

Every field is named here explicitly: nothing is dumped wholesale, so a column
added later (a staff draft, an internal note) stays private until someone adds
it on purpose.  Records are identified by their public ids only (session
identifier, bill key, person and roll-call UUIDs), never by database ids.
Values use the one vocabulary of ``scrapers.vocab``.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from flask import url_for

from scrapers.vocab import BILL_STATUS_NAMES, CHAMBER_NAMES, party_name
from tracker import seats
from tracker.models import (
    Authorship,
    Bill,
    BillAction,
    BillPosition,
    LegislativeSession,
    MemberVote,
    Person,
    RollCall,
    Term,
)
from tracker.scoring import LegislatorScore, display_score


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _timestamp(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def bill_url(session_identifier: str, key: str) -> str:
    return url_for("api.bill", session=session_identifier, bill=key, _external=True)


def person_url(person: Person) -> str:
    return url_for("api.legislator", public_id=person.public_id, _external=True)


def session_ref(session: LegislativeSession) -> dict[str, Any]:
    return {
        "identifier": session.identifier,
        "name": session.name,
        "start_date": _date(session.start_date),
        "end_date": _date(session.end_date),
        "special": session.is_special,
    }


def person_ref(person: Person | None) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"id": person.public_id, "name": person.name, "url": person_url(person)}


def companion(bill: Bill) -> dict[str, Any] | None:
    if bill.companion is not None:
        other = bill.companion
        return {
            "key": other.key,
            "label": other.label,
            "url": bill_url(other.session.identifier, other.key),
        }
    if bill.companion_type and bill.companion_number:
        return {
            "key": f"{bill.companion_type}{bill.companion_number}",
            "label": f"{bill.companion_type} {bill.companion_number}",
            "url": None,
        }
    return None


def bill_summary(bill: Bill) -> dict[str, Any]:
    return {
        "session": bill.session.identifier,
        "key": bill.key,
        "label": bill.label,
        "bill_type": bill.bill_type,
        "number": bill.number,
        "title": bill.title,
        "status": bill.status,
        "status_name": BILL_STATUS_NAMES.get(bill.status, bill.status),
        "missing_from_source": bill.missing_from_source,
        "url": bill_url(bill.session.identifier, bill.key),
    }


def author(authorship: Authorship) -> dict[str, Any]:
    return {
        "chamber": authorship.chamber,
        "position": authorship.position,
        "chief": authorship.chief,
        "printed_name": authorship.printed_name,
        "person": person_ref(authorship.person),
    }


def action(item: BillAction) -> dict[str, Any]:
    roll_call = None
    if item.roll_call_text or item.yeas is not None or item.nays is not None:
        roll_call = {"tally": item.roll_call_text, "yeas": item.yeas, "nays": item.nays}
    return {
        "chamber": item.chamber,
        "number": item.number,
        "date": _date(item.date),
        "text": item.text,
        "journal_page": item.journal_page,
        "committee": item.committee,
        "roll_call": roll_call,
        "classification": item.classification,
        "missing_from_source": item.missing_from_source,
    }


def member_vote(vote: MemberVote) -> dict[str, Any]:
    person = vote.person
    return {
        "person": person_ref(person),
        "name": person.name if person is not None else vote.printed_name,
        "printed_name": vote.printed_name,
        "option": vote.option,
    }


def roll_call(item: RollCall) -> dict[str, Any]:
    votes = sorted(
        item.member_votes,
        key=lambda v: ((v.person.name if v.person else v.printed_name) or "").casefold(),
    )
    return {
        "id": item.public_id,
        "chamber": item.chamber,
        "date": _date(item.date),
        "motion": item.motion,
        "kind": item.kind,
        "amendment_id": item.amendment_id or None,
        "yeas": item.yeas,
        "nays": item.nays,
        "journal_page": item.journal_page or None,
        "outcome": item.outcome,
        "source_url": item.source_url,
        "verified": item.verified,
        "verification_note": item.verification_note,
        "action": (
            {"chamber": item.action.chamber, "number": item.action.number}
            if item.action is not None
            else None
        ),
        "member_votes": [member_vote(v) for v in votes],
    }


def bill_detail(bill: Bill, roll_calls: list[RollCall]) -> dict[str, Any]:
    authors: dict[str, list[dict[str, Any]]] = {chamber: [] for chamber in CHAMBER_NAMES}
    for authorship in sorted(bill.authors, key=lambda a: (a.chamber, a.position)):
        authors.setdefault(authorship.chamber, []).append(author(authorship))
    document = bill_summary(bill)
    document.update(
        {
            "session": session_ref(bill.session),
            "companion": companion(bill),
            "source_url": bill.source_url,
            "last_seen_at": _timestamp(bill.last_seen_at),
            "authors": authors,
            "actions": [
                action(a) for a in sorted(bill.actions, key=lambda a: (a.chamber, a.number))
            ],
            "roll_calls": [roll_call(r) for r in roll_calls],
        }
    )
    return document


def term(item: Term) -> dict[str, Any]:
    return {
        "chamber": item.chamber,
        "district": item.district,
        "party": item.party,
        "party_name": party_name(item.party) if item.party else None,
        "start_date": _date(item.held_from),
        "start_source": item.held_from_source,
        "start_basis": item.held_from_basis,
        "end_date": _date(item.held_until),
        "end_source": item.held_until_source,
        "end_basis": item.held_until_basis,
    }


def person_summary(person: Person, today: dt.date | None = None) -> dict[str, Any]:
    latest = seats.last_term(person)
    return {
        "id": person.public_id,
        "name": person.name,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "current": seats.serving(person, today),
        "latest_term": term(latest) if latest is not None else None,
        "url": person_url(person),
    }


def person_detail(person: Person, today: dt.date | None = None) -> dict[str, Any]:
    document = person_summary(person, today)
    document.update(
        {
            "email": person.email,
            "phone": person.phone,
            "office_address": person.office_address,
            "profile_url": person.profile_url,
            "photo": url_for("public.photo", public_id=person.public_id, _external=True),
            "photo_source_url": person.photo_url,
            "source_url": person.source_url,
            "identifiers": {
                "openstates": person.openstates_id,
                "house_member_id": person.house_member_id,
                "senate_member_id": person.senate_member_id,
            },
            "name_forms": sorted({n.name for n in person.names}),
            "terms": [term(t) for t in reversed(seats.terms_in_order(person))],
        }
    )
    return document


# ---------------------------------------------------------------- scores


def exact_score(score: Fraction | None) -> float | None:
    """A score as a JSON number: the exact fraction as the nearest float."""
    return float(score) if score is not None else None


def score_pair(score: Fraction | None) -> dict[str, Any]:
    return {"score": exact_score(score), "score_display": display_score(score)}


def attendance(result: LegislatorScore) -> dict[str, Any]:
    return {
        "cast": result.votes_cast,
        "possible": result.votes_possible,
        "excused": result.excused,
        "not_voting": result.not_voting,
        "rate": float(result.attendance) if result.attendance is not None else None,
    }


def published_position(row: BillPosition | None) -> dict[str, Any] | None:
    """The organization's published position on a bill; never the draft fields."""
    if row is None or row.published_position is None:
        return None
    return {
        "position": row.published_position,
        "rationale": row.published_rationale or "",
        "issue_areas": list(row.published_issue_areas or []),
        "published_at": _timestamp(row.published_at),
    }
