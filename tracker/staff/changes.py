"""The audit trail in words: who changed what, when, and each field before -> after.

Audit events store their ``before`` and ``after`` values as JSON with internal
ids in places (a bill's row id, a roll call's or a person's public id).  This
module turns a page of events into readable entries in a fixed number of
queries: the record each event is about named (a bill's label, a scorecard's
title, a person's name, an alert's title), and each changed field as
"field: before -> after" with the ids inside the values named too.  It is the
one formatter of audit values and of scorecard settings in words, used by
``/admin/audit``, the audit tables on the staff pages (the ``audit_entries``
template global) and the publish confirmation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from scrapers.vocab import CHAMBER_NAMES
from tracker import localtime
from tracker.extensions import db
from tracker.models import (
    Alert,
    AuditEvent,
    Bill,
    DataQualityItem,
    JobRequest,
    LegislativeSession,
    NameMapping,
    Person,
    RollCall,
    RosterConfirmation,
    Scorecard,
    User,
)
from tracker.staff import bp
from tracker.staff.forms import ABSENCE_POLICY_LABELS

ACTIONS = {
    "alert.close": "Closed the alert",
    "alert.create": "Created the alert",
    "alert.publish": "Published the alert",
    "alert.review": "Reviewed the alert",
    "alert.roll_call": "Linked the alert to its roll call",
    "alert.update": "Edited the alert",
    "author.settle": "Settled an author of the bill",
    "data_quality.resolve": "Resolved a data-quality item",
    "job.run_now": "Asked the scheduler to run a job now",
    "name_mapping.save": "Mapped a printed name to a legislator",
    "position.edit": "Edited the draft position",
    "position.publish": "Published the position",
    "roll_call.verify_by_hand": "Verified a roll call by hand",
    "roster.confirm_bound": "Confirmed when a term began or ended",
    "roster.confirm_seat_holder": "Confirmed who held a seat",
    "scorecard.create": "Created the scorecard",
    "scorecard.edit": "Edited the scorecard's draft settings",
    "scorecard.feature": "Changed the featured scorecard",
    "scorecard.publish": "Published a version of the scorecard",
    "scored_vote.add": "Scored a vote on the draft",
    "scored_vote.edit": "Edited a scored vote",
    "scored_vote.remove": "Removed a scored vote from the draft",
    "session.set_house_key": "Set the House vote-system SessionKey",
    "user.activate": "Reactivated the account",
    "user.create": "Added the account",
    "user.deactivate": "Deactivated the account",
    "user.reset_link": "Issued a password-reset link",
    "user.set_password": "Set a new password",
    "user.set_role": "Changed the role",
}

FIELDS = {
    "absence_policy": "absence policy",
    "active": "in the draft",
    "aligned": "aligned vote",
    "bound": "term bound",
    "call_script": "call script",
    "email_subject": "email subject",
    "email_template": "email template",
    "grade_bands": "grade bands",
    "house_vote_key": "House SessionKey",
    "issue_areas": "issue areas",
    "min_participation_pct": "minimum participation",
    "person": "legislator",
    "person_name": "legislator's name",
    "printed_name": "printed name",
    "roll_call": "roll call",
    "session_id": "session",
    "show_sponsorship": "sponsorship shown",
    "targets": "committee members asked",
    "verification_note": "verification note",
    "verified_by_hand": "verified by hand",
}

# Fields that say which thing an event is about: shown when unchanged, as context.
CONTEXT = ("roll_call", "chamber", "term", "printed_name", "kind")
PERSON_FIELDS = ("person", "person_id")
LONG = 160  # longer values (or any with a line break) are shown as blocks


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None: the event recorded no value before (a creation)
    after: str | None
    long: bool = False


@dataclass
class Entry:
    event: AuditEvent
    who: str
    what: str  # the action in words
    target_kind: str
    target: str  # the record, named
    target_url: str | None
    context: list[tuple[str, str]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # a publish's corrections log


@dataclass
class Names:
    """Names of the records a page of events refers to, looked up once."""

    roll_calls: dict[str, RollCall] = field(default_factory=dict)
    people_by_public_id: dict[str, str] = field(default_factory=dict)
    people_by_id: dict[int, str] = field(default_factory=dict)
    sessions: dict[int, str] = field(default_factory=dict)


# ---------------------------------------------------------------- values in words


def chamber_words(value: Any) -> str:
    return CHAMBER_NAMES.get(str(value), str(value))


def grade_bands_words(bands: Iterable[Sequence[Any]]) -> str:
    """``[[90, "A"], [80, "B"]]`` -> ``A from 90, B from 80`` (``none``)."""
    listed = [f"{letter} from {floor}" for floor, letter in bands]
    return ", ".join(listed) if listed else "none"


def roll_call_words(rc: RollCall) -> str:
    """``HF 18, House, 2025-03-12: Third reading (passage)``."""
    motion = f": {rc.motion}" if rc.motion else ""
    return f"{rc.bill.label}, {chamber_words(rc.chamber)}, {rc.date.isoformat()}{motion}"


def _moment(value: str) -> str:
    try:
        return localtime.stamp(dt.datetime.fromisoformat(value))
    except ValueError:
        return value


def words(key: str, value: Any, names: Names | None = None) -> str:
    """An audit or settings value as a person reads it: real characters, no JSON,
    ids named where ``names`` knows them."""
    names = names or Names()
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key == "grade_bands":
        return grade_bands_words(value)
    if key == "absence_policy":
        return ABSENCE_POLICY_LABELS.get(value, str(value))
    if key == "min_participation_pct":
        return f"{value}%"
    if key in ("chamber", "chambers"):
        values = value if isinstance(value, list) else [value]
        return ", ".join(chamber_words(v) for v in values) or "none"
    if key == "roll_call" and str(value) in names.roll_calls:
        return roll_call_words(names.roll_calls[str(value)])
    if key in PERSON_FIELDS or key == "targets":
        values = value if isinstance(value, list) else [value]
        return ", ".join(_person(v, names) for v in values) or "none"
    if key == "session_id" and isinstance(value, int):
        return names.sessions.get(value, str(value))
    if key in ("deadline", "day") and isinstance(value, str) and "T" in value:
        return _moment(value)
    if isinstance(value, list):
        return ", ".join(words("", v, names) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(
            f"{FIELDS.get(k, k.replace('_', ' '))}: {words(k, v, names)}" for k, v in value.items()
        )
    return str(value)


def _person(value: Any, names: Names) -> str:
    if isinstance(value, int):
        return names.people_by_id.get(value, f"person #{value}")
    return names.people_by_public_id.get(str(value), str(value))


def label(key: str) -> str:
    return FIELDS.get(key, key.replace("_", " "))


# ---------------------------------------------------------------- naming the records


def _names_in(events: Sequence[AuditEvent]) -> Names:
    roll_calls: set[str] = set()
    people_public: set[str] = set()
    people_ids: set[int] = set()
    sessions: set[int] = set()
    for event in events:
        for values in (event.before or {}, event.after or {}):
            for key, value in values.items():
                if key == "roll_call" and isinstance(value, str):
                    roll_calls.add(value)
                elif key in PERSON_FIELDS or key == "targets":
                    for one in value if isinstance(value, list) else [value]:
                        if isinstance(one, int):
                            people_ids.add(one)
                        elif isinstance(one, str):
                            people_public.add(one)
                elif key == "session_id" and isinstance(value, int):
                    sessions.add(value)
        if event.entity_type == "roll_call":
            roll_calls.add(event.entity_id)
        elif event.entity_type == "person":
            people_public.add(event.entity_id)
    names = Names()
    if roll_calls:
        names.roll_calls = {
            rc.public_id: rc
            for rc in db.session.scalars(
                select(RollCall)
                .options(joinedload(RollCall.bill).joinedload(Bill.session))
                .where(RollCall.public_id.in_(roll_calls))
            )
        }
    if people_public or people_ids:
        for pid, public_id, name in db.session.execute(
            select(Person.id, Person.public_id, Person.name).where(
                Person.public_id.in_(people_public) | Person.id.in_(people_ids)
            )
        ):
            names.people_by_public_id[public_id] = name
            names.people_by_id[pid] = name
    if sessions:
        names.sessions = dict(
            db.session.execute(
                select(LegislativeSession.id, LegislativeSession.name).where(
                    LegislativeSession.id.in_(sessions)
                )
            ).all()
        )
    return names


def _bills(ids: Iterable[int]) -> dict[int, Bill]:
    wanted = {int(i) for i in ids}
    if not wanted:
        return {}
    return {
        b.id: b
        for b in db.session.scalars(
            select(Bill).options(joinedload(Bill.session)).where(Bill.id.in_(wanted))
        )
    }


def _targets(
    events: Sequence[AuditEvent], names: Names
) -> dict[tuple[str, str], tuple[str, str, str | None]]:
    """(entity type, id) -> (kind in words, name, staff link) for every event's record."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in events:
        wanted[event.entity_type].add(event.entity_id)
    found: dict[tuple[str, str], tuple[str, str, str | None]] = {}

    def ints(kind: str) -> list[int]:
        return [int(i) for i in wanted.get(kind, ()) if i.isdigit()]

    for bill in _bills(ints("bill")).values():
        found[("bill", str(bill.id))] = (
            "Bill",
            f"{bill.label} ({bill.session.identifier})",
            url_for(
                "staff.bill_page", session_identifier=bill.session.identifier, bill_key=bill.key
            ),
        )
    if wanted.get("scorecard"):
        for public_id, title in db.session.execute(
            select(Scorecard.public_id, Scorecard.title).where(
                Scorecard.public_id.in_(wanted["scorecard"])
            )
        ):
            found[("scorecard", public_id)] = (
                "Scorecard",
                title,
                url_for("staff.scorecard", public_id=public_id),
            )
    if wanted.get("alert"):
        for public_id, title in db.session.execute(
            select(Alert.public_id, Alert.title).where(Alert.public_id.in_(wanted["alert"]))
        ):
            found[("alert", public_id)] = (
                "Alert",
                title,
                url_for("staff.alert_detail", public_id=public_id),
            )
    if ints("user_account"):
        for uid, email in db.session.execute(
            select(User.id, User.email).where(User.id.in_(ints("user_account")))
        ):
            found[("user_account", str(uid))] = ("Account", email, None)
    for public_id in wanted.get("person", ()):
        if public_id in names.people_by_public_id:
            found[("person", public_id)] = (
                "Legislator",
                names.people_by_public_id[public_id],
                url_for("public.legislator", public_id=public_id),
            )
    for public_id in wanted.get("roll_call", ()):
        rc = names.roll_calls.get(public_id)
        if rc is not None:
            found[("roll_call", public_id)] = (
                "Roll call",
                roll_call_words(rc),
                url_for(
                    "staff.bill_page",
                    session_identifier=rc.bill.session.identifier,
                    bill_key=rc.bill.key,
                    _anchor=f"rc-{rc.public_id}",
                ),
            )
    if ints("legislative_session"):
        for sid, name in db.session.execute(
            select(LegislativeSession.id, LegislativeSession.name).where(
                LegislativeSession.id.in_(ints("legislative_session"))
            )
        ):
            found[("legislative_session", str(sid))] = ("Session", name, None)
    if ints("data_quality_item"):
        for iid, kind in db.session.execute(
            select(DataQualityItem.id, DataQualityItem.kind).where(
                DataQualityItem.id.in_(ints("data_quality_item"))
            )
        ):
            found[("data_quality_item", str(iid))] = (
                "Data-quality item",
                f"{kind.replace('_', ' ')} (item {iid})",
                None,
            )
    if ints("name_mapping"):
        for mid, chamber, printed in db.session.execute(
            select(NameMapping.id, NameMapping.chamber, NameMapping.printed_name).where(
                NameMapping.id.in_(ints("name_mapping"))
            )
        ):
            found[("name_mapping", str(mid))] = (
                "Name mapping",
                f"“{printed}” ({chamber_words(chamber)})",
                None,
            )
    if ints("roster_confirmation"):
        for cid, kind, seat_chamber, district, day in db.session.execute(
            select(
                RosterConfirmation.id,
                RosterConfirmation.kind,
                RosterConfirmation.chamber,
                RosterConfirmation.district,
                RosterConfirmation.day,
            ).where(RosterConfirmation.id.in_(ints("roster_confirmation")))
        ):
            seat = " ".join(
                str(p)
                for p in (chamber_words(seat_chamber) if seat_chamber else None, district, day)
                if p
            )
            found[("roster_confirmation", str(cid))] = (
                "Roster confirmation",
                f"{kind.replace('_', ' ')} {seat}".strip(),
                None,
            )
    if ints("job_request"):
        for jid, job in db.session.execute(
            select(JobRequest.id, JobRequest.job).where(JobRequest.id.in_(ints("job_request")))
        ):
            found[("job_request", str(jid))] = ("Job request", job, None)
    return found


# ---------------------------------------------------------------- entries


def _changes(
    event: AuditEvent, names: Names
) -> tuple[list[tuple[str, str]], list[Change], list[str]]:
    before: Mapping[str, Any] = event.before or {}
    after: Mapping[str, Any] = event.after or {}
    context: list[tuple[str, str]] = []
    changes: list[Change] = []
    lines: list[str] = []
    keys = list(dict.fromkeys([*before, *after]))
    for key in keys:
        if key == "changes" and isinstance(after.get(key), list):
            lines = [str(line) for line in after[key]]
            continue
        was, now = before.get(key), after.get(key)
        if key in CONTEXT and (key not in before or key not in after or was == now):
            context.append((label(key), words(key, now if key in after else was, names)))
            continue
        if key in before and key in after and was == now:
            continue
        shown_before = words(key, was, names) if event.before is not None else None
        shown_after = words(key, now, names) if event.after is not None else None
        long = any(
            v is not None and (len(v) > LONG or "\n" in v) for v in (shown_before, shown_after)
        )
        changes.append(Change(label(key), shown_before, shown_after, long))
    return context, changes, lines


def describe(events: Sequence[AuditEvent]) -> list[Entry]:
    """Readable entries for ``events`` (any mix of records), in their order."""
    events = list(events)
    if not events:
        return []
    names = _names_in(events)
    targets = _targets(events, names)
    entries = []
    for event in events:
        kind, name, url = targets.get(
            (event.entity_type, event.entity_id),
            (event.entity_type.replace("_", " ").capitalize(), "(no longer in the tracker)", None),
        )
        context, changes, lines = _changes(event, names)
        entries.append(
            Entry(
                event=event,
                who=event.actor,
                what=ACTIONS.get(event.action, event.action),
                target_kind=kind,
                target=name,
                target_url=url,
                context=context,
                changes=changes,
                lines=lines,
            )
        )
    return entries


@bp.app_template_global("audit_entries")
def audit_entries(events: Sequence[AuditEvent]) -> list[Entry]:
    return describe(events)


@bp.app_template_global("audit_action_words")
def action_words(action: str) -> str:
    return ACTIONS.get(action, action)


__all__ = [
    "ACTIONS",
    "Change",
    "Entry",
    "describe",
    "grade_bands_words",
    "label",
    "roll_call_words",
    "words",
]
