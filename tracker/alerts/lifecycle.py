"""The life of an action alert.

Staff draft an alert on a bill (target: a chamber's floor vote or a
committee's members; the ask, vote yes or no; a call script and an email
template with placeholders; an optional deadline), mark it reviewed; an admin
publishes it; staff close it.  Every change is audited and states the version
it started from (stale edits are refused).  An alert is linked to the roll
call it was about, by staff or automatically.

**Targets** are computed when the alert is published, never ticked by hand: a
floor alert targets everyone seated in the chamber that day; a committee alert
the committee's members that day who are seated (``tracker.committees.voters_on``:
the membership rule and the seat rule).  A **hearing alert** is a committee alert
linked to a hearing of that committee whose agenda lists the bill (or its
companion): its pages and emails show the hearing's time and room and ask members
to attend, testify or call; after the committee votes, the roll call linked is the
committee's roll call of that hearing (else of the hearing's day)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from scrapers.vocab import CHAMBER_NAMES
from tracker import audit, committees, edits, localtime, pagecache, seats
from tracker.alerts.common import PressureError
from tracker.alerts.placeholders import check_template
from tracker.extensions import db
from tracker.models import (
    ActionTally,
    Alert,
    AlertTarget,
    Bill,
    Committee,
    Hearing,
    RollCall,
    Term,
    User,
)
from tracker.models.common import utcnow
from tracker.models.pressure import ACTION_KINDS, ALERT_TARGETS, ASKS
from tracker.models.votes import COMMITTEE


@dataclass
class AlertInput:
    title: str
    target: str
    chamber: str
    ask: str
    summary: str = ""
    call_script: str = ""
    email_subject: str = ""
    email_template: str = ""
    deadline: dt.datetime | None = None
    committee_id: int | None = None  # a committee alert's committee
    hearing_id: int | None = None  # a hearing alert's hearing (of that committee)
    # the public text in other languages, {"es": {"call_script": ...}} (tracker.i18n);
    # None keeps an edited alert's
    translations: dict[str, dict[str, str]] | None = None


TRANSLATED_FIELDS = ("title", "summary", "call_script", "email_subject", "email_template")


@dataclass
class _Where:
    """What an alert input names, found and checked: its committee and hearing."""

    chamber: str
    committee: Committee | None = None
    hearing: Hearing | None = None


def _where(bill: Bill, data: AlertInput) -> _Where:
    """The committee and hearing an input names (refused in words when they do not
    fit: a hearing alert targets the hearing's committee, whose agenda lists the bill)."""
    hearing = db.session.get(Hearing, data.hearing_id) if data.hearing_id else None
    if data.hearing_id and hearing is None:
        raise PressureError("That hearing is not in the tracker; reload the page.")
    committee = db.session.get(Committee, data.committee_id) if data.committee_id else None
    if data.committee_id and committee is None:
        raise PressureError("That committee is not in the tracker; reload the page.")
    if data.target != "committee":
        if hearing is not None:
            raise PressureError(
                "A hearing alert targets the committee's members: choose "
                '"Committee members" as the target.'
            )
        return _Where(chamber=data.chamber)
    if hearing is not None:
        if hearing.committee_id is None:
            raise PressureError(
                f"The hearing of {hearing.committee_name} is not matched to a "
                "stored committee; run `tracker scrape committees` first."
            )
        if committee is None:
            committee = hearing.committee
        elif committee.id != hearing.committee_id:
            raise PressureError(
                f"That hearing is of the {hearing.committee_name} committee, "
                f"not {committee.name}; choose one or the other."
            )
        listed = {b.bill_id for b in hearing.bills if b.bill_id is not None}
        if not listed & {bill.id, bill.companion_id}:
            raise PressureError(
                f"The agenda of that hearing does not list {bill.label} (or "
                "its companion); choose a hearing of this bill."
            )
    if committee is None:
        raise PressureError("Choose the committee whose members to target.")
    return _Where(chamber=committee.chamber, committee=committee, hearing=hearing)


def _check_input(data: AlertInput, now: dt.datetime) -> None:
    if not data.title.strip():
        raise PressureError("Give the alert a title.")
    if len(data.title) > 200:
        raise PressureError("The title may be at most 200 characters.")
    if data.target not in ALERT_TARGETS:
        raise PressureError("Choose the target: the floor vote or a committee.")
    if data.chamber not in CHAMBER_NAMES:
        raise PressureError("Choose the chamber: House or Senate.")
    if data.ask not in ASKS:
        raise PressureError("Choose the ask: vote yes or vote no.")
    if not data.call_script.strip():
        raise PressureError("Write the call script.")
    if not data.email_template.strip():
        raise PressureError("Write the email template.")
    if len(data.email_subject) > 200:
        raise PressureError("The email subject may be at most 200 characters.")
    check_template(data.call_script, "call script")
    check_template(data.email_template, "email template")
    check_template(data.email_subject, "email subject")
    for code, fields in (data.translations or {}).items():
        for field, text in fields.items():
            if field not in TRANSLATED_FIELDS:
                raise PressureError(f"An alert has no {field!r} to translate.")
            if field in ("title", "email_subject") and len(text) > 200:
                raise PressureError(
                    f"The {field.replace('_', ' ')} in {code} may be at most 200 characters."
                )
            if field != "title":
                check_template(text, f"{field.replace('_', ' ')} in {code}")
    if data.deadline is not None and data.deadline <= now:
        raise PressureError("The deadline is in the past; choose a later one or none.")


def _snapshot(alert: Alert) -> dict[str, Any]:
    return {
        "bill": alert.bill.label if alert.bill else None,
        "title": alert.title,
        "target": alert.target,
        "chamber": alert.chamber,
        "committee": alert.committee,
        "ask": alert.ask,
        "summary": alert.summary,
        "call_script": alert.call_script,
        "email_subject": alert.email_subject,
        "email_template": alert.email_template,
        **({"translations": alert.translations} if alert.translations else {}),
        "deadline": alert.deadline.isoformat() if alert.deadline else None,
        "status": alert.status,
        "hearing": alert.hearing.public_id if alert.hearing else None,
        "roll_call": alert.roll_call.public_id if alert.roll_call else None,
    }


def _apply_where(alert: Alert, where: _Where) -> None:
    alert.chamber = where.chamber
    alert.target_committee = where.committee
    alert.committee = where.committee.name[:200] if where.committee else ""
    alert.hearing = where.hearing


def committee_voters(alert: Alert, on: dt.date) -> list[Term]:
    """Who a committee alert targets on ``on``: the committee's members that day who
    are seated (``tracker.committees.voters_on``); nobody for a floor alert."""
    if alert.target != "committee" or alert.committee_id is None:
        return []
    return [term for _, term in committees.voters_on(alert.committee_id, alert.chamber, on)]


def seat(person_id: int, chamber: str, on: dt.date) -> Term | None:
    return seats.seat_of(person_id, chamber, on)


def seated(chamber: str, on: dt.date) -> list[Term]:
    """Who holds each seat of ``chamber`` on ``on`` (one term per district)."""
    return list(seats.holders_by_district(chamber, on).values())


def _check_version(alert: Alert, expected_version: int | None) -> None:
    edits.lock(alert)  # publishing or closing twice at once: the second waits, then sees it
    if expected_version is not None and expected_version != alert.version:
        raise PressureError(
            "Someone changed this alert since you opened it; reload the page "
            "and make your change again."
        )


def _touch(alert: Alert, now: dt.datetime) -> None:
    alert.version += 1
    alert.updated_at = now


def create_alert(
    bill: Bill, data: AlertInput, *, actor: User | str, now: dt.datetime | None = None
) -> Alert:
    now = now or utcnow()
    _check_input(data, now)
    where = _where(bill, data)
    alert = Alert(
        bill=bill,
        title=data.title.strip(),
        target=data.target,
        chamber=data.chamber,
        ask=data.ask,
        summary=data.summary.strip(),
        call_script=data.call_script,
        email_subject=data.email_subject.strip(),
        email_template=data.email_template,
        deadline=data.deadline,
        status="draft",
        created_at=now,
        updated_at=now,
        translations=data.translations or None,
        created_by_id=actor.id if isinstance(actor, User) else None,
    )
    _apply_where(alert, where)
    db.session.add(alert)
    db.session.flush()
    audit.record(actor, "alert.create", alert, after=_snapshot(alert))
    return alert


def update_alert(
    alert: Alert,
    data: AlertInput,
    *,
    expected_version: int | None,
    actor: User | str,
    now: dt.datetime | None = None,
) -> Alert:
    now = now or utcnow()
    _check_version(alert, expected_version)
    if alert.status not in ("draft", "reviewed"):
        raise PressureError(
            "A published alert cannot be edited: its emails are out. Close it and create a new one."
        )
    _check_input(data, now)
    where = _where(alert.bill, data)
    before = _snapshot(alert)
    alert.title, alert.target, alert.chamber = data.title.strip(), data.target, data.chamber
    _apply_where(alert, where)
    alert.ask, alert.summary = data.ask, data.summary.strip()
    alert.call_script, alert.email_template = data.call_script, data.email_template
    alert.email_subject, alert.deadline = data.email_subject.strip(), data.deadline
    if data.translations is not None:
        alert.translations = data.translations or None
    if alert.status == "reviewed":
        alert.status, alert.reviewed_at, alert.reviewed_by_id = "draft", None, None
    _touch(alert, now)
    db.session.flush()
    audit.record(actor, "alert.update", alert, before=before, after=_snapshot(alert))
    return alert


def mark_reviewed(
    alert: Alert, *, expected_version: int | None, actor: User | str, now: dt.datetime | None = None
) -> Alert:
    now = now or utcnow()
    _check_version(alert, expected_version)
    if alert.status != "draft":
        raise PressureError(f"Only a draft can be marked reviewed; this alert is {alert.status}.")
    alert.status, alert.reviewed_at = "reviewed", now
    alert.reviewed_by_id = actor.id if isinstance(actor, User) else None
    _touch(alert, now)
    audit.record(
        actor, "alert.review", alert, before={"status": "draft"}, after={"status": "reviewed"}
    )
    return alert


def publish_alert(
    alert: Alert, *, expected_version: int | None, actor: User | str, now: dt.datetime | None = None
) -> Alert:
    """Reviewed -> published (admins only).  Floor alerts target everyone seated
    in the chamber today, committee alerts the committee's members today who are
    seated; a tally row is made for every target."""
    now = now or utcnow()
    if isinstance(actor, User) and not actor.is_admin:
        raise PressureError("Only an admin can publish an alert.")
    _check_version(alert, expected_version)
    if alert.status != "reviewed":
        raise PressureError(
            "Only a reviewed alert can be published; mark it reviewed first."
            if alert.status == "draft"
            else f"This alert is already {alert.status}."
        )
    if alert.deadline is not None and alert.deadline <= now:
        raise PressureError("The deadline has passed; edit the alert to change it first.")
    if alert.hearing is not None and alert.hearing.cancelled:
        raise PressureError(
            f"The hearing of {localtime.day(alert.hearing.date)} is cancelled; "
            "edit the alert (another hearing, or none) first."
        )
    if alert.target == "committee" and alert.committee_id is None:
        raise PressureError(
            "This committee alert's committee is no longer stored; edit the "
            "alert to choose it again."
        )
    today = localtime.today(now)
    for target in list(alert.targets):
        alert.targets.remove(target)
    db.session.flush()
    terms = (
        committee_voters(alert, today)
        if alert.target == "committee"
        else seated(alert.chamber, today)
    )
    for term in terms:
        alert.targets.append(
            AlertTarget(
                person_id=term.person_id,
                chamber=term.chamber,
                district=term.district,
                party=term.party,
            )
        )
    if not alert.targets:
        raise PressureError(
            f"No member of the {alert.committee} committee is seated today, so there is no "
            "one to call."
            if alert.target == "committee"
            else f"No one is seated in the {CHAMBER_NAMES[alert.chamber]} today, so there is no "
            "one to call."
        )
    db.session.flush()
    for target in alert.targets:
        for kind in ACTION_KINDS:
            db.session.add(
                ActionTally(
                    alert_id=alert.id,
                    person_id=target.person_id,
                    kind=kind,
                    count=0,
                    updated_at=now,
                )
            )
    alert.status, alert.published_at = "published", now
    alert.published_by_id = actor.id if isinstance(actor, User) else None
    _touch(alert, now)
    audit.record(
        actor,
        "alert.publish",
        alert,
        before={"status": "reviewed"},
        after={"status": "published", "targets": len(alert.targets)},
    )
    return alert


def close_alert(
    alert: Alert,
    *,
    expected_version: int | None,
    actor: User | str,
    note: str = "",
    now: dt.datetime | None = None,
) -> Alert:
    now = now or utcnow()
    _check_version(alert, expected_version)
    if alert.status != "published":
        raise PressureError(f"Only a published alert can be closed; this one is {alert.status}.")
    alert.status, alert.closed_at, alert.closed_note = "closed", now, note.strip()[:2000]
    _touch(alert, now)
    audit.record(
        actor,
        "alert.close",
        alert,
        before={"status": "published"},
        after={"status": "closed", "note": alert.closed_note},
    )
    return alert


# ---------------------------------------------------------------- the roll call


def roll_call_candidates(alert: Alert) -> list[RollCall]:
    """Roll calls on the bill (or its companion) in the alert's chamber: the floor's
    for a floor alert, the committee's (from its minutes) for a committee alert."""
    bill_ids = [alert.bill_id] + ([alert.bill.companion_id] if alert.bill.companion_id else [])
    query = select(RollCall).where(
        RollCall.bill_id.in_(bill_ids), RollCall.chamber == alert.chamber
    )
    if alert.target == "committee":
        query = query.where(RollCall.kind == COMMITTEE, RollCall.committee_id == alert.committee_id)
    else:
        query = query.where(RollCall.kind != COMMITTEE)
    return list(
        db.session.scalars(
            query.order_by(RollCall.date, RollCall.journal_page, RollCall.sequence, RollCall.id)
        )
    )


def committee_roll_call(alert: Alert) -> RollCall | None:
    """The committee's verified roll call a committee alert was about, when exactly one
    fits: of the alert's hearing (its ``hearing_id``), else of the committee on the
    bill on the hearing's day (on or after publishing, without a hearing); the bill's
    own motion, not an amendment's (and, of several, the one recommending it on)."""
    from tracker.scorecards import COMMITTEE_PASSAGE

    found = [rc for rc in roll_call_candidates(alert) if rc.verified and not rc.amendment_id]
    if alert.hearing is not None:
        found = [rc for rc in found if rc.hearing_id == alert.hearing_id] or [
            rc for rc in found if rc.hearing_id is None and rc.date == alert.hearing.date
        ]
    elif alert.published_at is not None:
        found = [rc for rc in found if rc.date >= localtime.local(alert.published_at).date()]
    if len(found) > 1:
        found = [rc for rc in found if COMMITTEE_PASSAGE.search(rc.motion)]
    return found[0] if len(found) == 1 else None


def link_roll_call(alert: Alert, roll_call: RollCall | None, *, actor: User | str) -> Alert:
    if roll_call is not None and roll_call.id not in {rc.id for rc in roll_call_candidates(alert)}:
        raise PressureError(
            f"That roll call is not the {alert.committee} committee's on this bill (or its "
            "companion)."
            if alert.target == "committee"
            else "That roll call is not on this bill (or its companion) in the "
            f"{CHAMBER_NAMES[alert.chamber]}."
        )
    if alert.followup_queued_at is not None:
        raise PressureError(
            "The follow-up emails for this roll call are already out; the "
            "roll call can no longer be changed."
        )
    before = {"roll_call": alert.roll_call.public_id if alert.roll_call else None}
    alert.roll_call = roll_call
    _touch(alert, utcnow())
    audit.record(
        actor,
        "alert.roll_call",
        alert,
        before=before,
        after={"roll_call": roll_call.public_id if roll_call else None},
    )
    return alert


def auto_link_roll_calls() -> int:
    """Link a published alert to its roll call: a floor alert when exactly one
    verified passage vote in the chamber happened on or after publishing; a
    committee alert to its committee's roll call (:func:`committee_roll_call`)."""
    linked = 0
    alerts = db.session.scalars(
        select(Alert).where(
            Alert.status.in_(("published", "closed")),
            Alert.roll_call_id.is_(None),
            Alert.followup_queued_at.is_(None),
        )
    ).all()
    for alert in alerts:
        assert alert.published_at is not None
        if alert.target == "committee":
            chosen = committee_roll_call(alert)
            found = [chosen] if chosen is not None else []
        else:
            found = [
                rc
                for rc in roll_call_candidates(alert)
                if rc.verified and rc.kind == "passage" and rc.date >= alert.published_at.date()
            ]
        if len(found) == 1:
            link_roll_call(alert, found[0], actor="scheduler")
            linked += 1
    return linked


# ---------------------------------------------------------------- open or not


def alert_state(alert: Alert, now: dt.datetime | None = None) -> str:
    """``open`` (members can act), ``expired`` (deadline passed), ``closed``,
    or the unpublished status.  An open alert with a deadline tells the page cache
    that a page showing this answer goes stale then (``pagecache.stale_at``)."""
    now = now or utcnow()
    if alert.status == "published":
        if alert.deadline is not None:
            if alert.deadline <= now:
                return "expired"
            pagecache.stale_at(alert.deadline)
        return "open"
    return alert.status


def refuse_unless_open(alert: Alert, now: dt.datetime | None = None) -> None:
    state = alert_state(alert, now)
    if state == "open":
        return
    if state == "expired":
        assert alert.deadline is not None
        raise PressureError(
            f"This alert's deadline passed on {alert.deadline:%B %-d, %Y}; "
            "actions are no longer counted. Thank you for checking."
        )
    if state == "closed":
        raise PressureError(
            "This alert is closed; actions are no longer counted. See the "
            "report below for how the vote went."
        )
    raise PressureError("This alert is not published.")
