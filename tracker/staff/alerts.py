"""Staff pages for action alerts: draft, review, publish (admins), close,
link the roll call, watch the outbox and the pressure report, record bounces.

Every change goes through ``tracker.alerts``, which validates, audits and
refuses stale edits; refusals are flashed in its words and nothing changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from tracker import alerts as alerting
from tracker import i18n, localtime
from tracker.auth.decorators import admin_required, staff_required
from tracker.extensions import db
from tracker.models import (
    Alert,
    AuditEvent,
    Bill,
    Committee,
    Hearing,
    LegislativeSession,
    OutboxMessage,
    RollCall,
    Subscriber,
)
from tracker.reads import published_position_map
from tracker.staff import bp
from tracker.staff.forms import parse_bill_key, parse_version

LOCAL = ZoneInfo("America/Chicago")


def _alert_or_404(public_id: str) -> Alert:
    alert: Alert | None = db.session.scalar(select(Alert).where(Alert.public_id == public_id[:36]))
    if alert is None:
        abort(404, description="There is no such alert.")
    return alert


def _refuse(message: str) -> None:
    db.session.rollback()
    flash(message, "error")


def _deadline(raw: str) -> dt.datetime | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        local = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise alerting.PressureError(
            "The deadline must be a date and time such as 2026-03-02T17:00."
        ) from None
    if local.tzinfo is None:
        local = local.replace(tzinfo=LOCAL)
    return local.astimezone(dt.UTC)


def _row_id(model: Any, raw: str, what: str) -> int | None:
    """The row id of a public id posted by the form (empty: none)."""
    raw = raw.strip()
    if not raw:
        return None
    found = db.session.scalar(select(model.id).where(model.public_id == raw[:36]))
    if found is None:
        raise alerting.PressureError(f"That {what} is not in the tracker; reload the page.")
    return int(found)


def _input() -> alerting.AlertInput:
    target = request.form.get("target", "")
    committee = (
        _row_id(Committee, request.form.get("committee", ""), "committee")
        if target == "committee"
        else None
    )
    hearing = (
        _row_id(Hearing, request.form.get("hearing", ""), "hearing")
        if target == "committee"
        else None
    )
    return alerting.AlertInput(
        title=request.form.get("title", ""),
        target=target,
        chamber=request.form.get("chamber", ""),
        ask=request.form.get("ask", ""),
        summary=request.form.get("summary", ""),
        call_script=request.form.get("call_script", ""),
        email_subject=request.form.get("email_subject", ""),
        email_template=request.form.get("email_template", ""),
        deadline=_deadline(request.form.get("deadline", "")),
        committee_id=committee,
        hearing_id=hearing,
        translations=i18n.translations_from_form(request.form, alerting.TRANSLATED_FIELDS),
    )


def _find_bill(session_identifier: str, bill_key: str) -> Bill:
    parsed = parse_bill_key(bill_key)
    if parsed is None:
        raise alerting.PressureError(f"{bill_key!r} is not a bill number like HF 12.")
    bill: Bill | None = db.session.scalar(
        select(Bill)
        .join(LegislativeSession)
        .where(
            LegislativeSession.identifier == session_identifier,
            Bill.bill_type == parsed[0],
            Bill.number == parsed[1],
        )
    )
    if bill is None:
        raise alerting.PressureError(
            f"There is no {parsed[0]} {parsed[1]} in session {session_identifier!r}."
        )
    return bill


HEARING_DAYS = 60  # the hearings the form offers: those of the next two months


def _choices(values: dict[str, Any]) -> dict[str, Any]:
    """What the form's committee and hearing lists offer: the committees of the newest
    session that has any (with the alert's own committee), and the hearings of the next
    two months that are not cancelled (with the alert's own hearing, whatever its
    date)."""
    today = localtime.today()
    newest = db.session.scalars(
        select(Committee.session_id)
        .join(LegislativeSession, LegislativeSession.id == Committee.session_id)
        .order_by(LegislativeSession.year.desc(), LegislativeSession.special_number)
        .limit(1)
    ).first()
    listed = (
        list(
            db.session.scalars(
                select(Committee)
                .options(selectinload(Committee.session))
                .where(Committee.session_id == newest)
                .order_by(Committee.chamber, Committee.name)
            )
        )
        if newest is not None
        else []
    )
    chosen = values.get("committee") or ""
    if chosen and chosen not in {c.public_id for c in listed}:
        listed += list(
            db.session.scalars(select(Committee).where(Committee.public_id == chosen[:36]))
        )
    upcoming = list(
        db.session.scalars(
            select(Hearing)
            .options(selectinload(Hearing.bills))
            .where(
                Hearing.date >= today,
                Hearing.date <= today + dt.timedelta(days=HEARING_DAYS),
                Hearing.cancelled.is_(False),
                Hearing.committee_id.is_not(None),
            )
            .order_by(Hearing.date, Hearing.starts_at, Hearing.id)
        )
    )
    wanted = values.get("hearing") or ""
    if wanted and wanted not in {h.public_id for h in upcoming}:
        upcoming = (
            list(
                db.session.scalars(
                    select(Hearing)
                    .options(selectinload(Hearing.bills))
                    .where(Hearing.public_id == wanted[:36])
                )
            )
            + upcoming
        )
    return {"committees": listed, "hearings": upcoming}


def _form_values(alert: Alert | None) -> dict[str, Any]:
    if alert is None:
        return {
            "target": "floor",
            "chamber": "senate",
            "ask": "yes",
            "call_script": alerting.DEMO_SCRIPT.replace(" (demo)", ""),
            "email_template": alerting.DEMO_EMAIL,
            "email_subject": "Please {position} on {bill}",
        }
    local = alert.deadline.astimezone(LOCAL).strftime("%Y-%m-%dT%H:%M") if alert.deadline else ""
    return {
        "title": alert.title,
        "target": alert.target,
        "chamber": alert.chamber,
        "ask": alert.ask,
        "summary": alert.summary,
        "committee": alert.target_committee.public_id if alert.target_committee else "",
        "hearing": alert.hearing.public_id if alert.hearing else "",
        "call_script": alert.call_script,
        "email_subject": alert.email_subject,
        "email_template": alert.email_template,
        "deadline": local,
        "translations": alert.translations or {},
    }


def _posted_values() -> dict[str, Any]:
    values: dict[str, Any] = {
        k: request.form.get(k, "")
        for k in (
            "title",
            "target",
            "chamber",
            "ask",
            "committee",
            "hearing",
            "summary",
            "call_script",
            "email_subject",
            "email_template",
            "deadline",
            "session",
            "bill",
        )
    }
    values["translations"] = (
        i18n.translations_from_form(request.form, alerting.TRANSLATED_FIELDS) or {}
    )
    return values


def hearing_values(hearing: Hearing, bill: Bill, position: str | None) -> dict[str, Any]:
    """A new hearing alert's form, filled in from the hearing (the "this week" board's
    one click): the committee, the bill in the committee's chamber, the ask from our
    position, the hearing's time as the deadline, and a call script that names it."""
    from tracker.asks import file_in_chamber

    mine = file_in_chamber(bill, hearing.chamber)
    ask = "no" if position == "oppose" else "yes"
    when = (
        localtime.day_and_clock(hearing.starts_at)
        if hearing.starts_at
        else f"{localtime.day(hearing.date)} (time not posted yet)"
    )
    where = f" in {hearing.room}" if hearing.room else ""
    name = hearing.committee.name if hearing.committee else hearing.committee_name
    script = (
        "Hello, my name is ____ and I live in district {district}. The "
        + name
        + " committee hears {bill} on "
        + when
        + ". I'm calling to ask {legislator} "
        "to {position} on {bill}. Thank you."
    )
    local = (
        hearing.starts_at.astimezone(LOCAL).strftime("%Y-%m-%dT%H:%M") if hearing.starts_at else ""
    )
    return {
        "session": bill.session.identifier,
        "bill": mine.key,
        "target": "committee",
        "chamber": hearing.chamber,
        "ask": ask,
        "committee": hearing.committee.public_id if hearing.committee else "",
        "hearing": hearing.public_id,
        "title": f"{name} hears {mine.label}: ask the committee to {alerting.ASK_LABELS[ask]}"[
            :200
        ],
        "summary": f"The {name} committee hears {mine.label} on {when}{where}. Come, testify "
        "or call the committee's members.",
        "call_script": script,
        "email_template": alerting.DEMO_EMAIL,
        "email_subject": "Please {position} on {bill}",
        "deadline": local,
    }


@bp.get("/alerts")
@staff_required
def alerts() -> str:
    rows = db.session.scalars(
        select(Alert).order_by(Alert.created_at.desc(), Alert.id.desc())
    ).all()
    subscribers = dict(
        db.session.execute(
            select(
                func.count(Subscriber.id)
                .filter(
                    Subscriber.confirmed_at.is_not(None),
                    Subscriber.unsubscribed_at.is_(None),
                    Subscriber.bounced_at.is_(None),
                )
                .label("active"),
                func.count(Subscriber.id)
                .filter(  # asked to confirm alert sign-up, not yet
                    Subscriber.confirmed_at.is_(None), Subscriber.confirm_sent_at.is_not(None)
                )
                .label("pending"),
                func.count(Subscriber.id)
                .filter(Subscriber.bounced_at.is_not(None))
                .label("bounced"),
                func.count(Subscriber.id)
                .filter(Subscriber.unsubscribed_at.is_not(None))
                .label("unsubscribed"),
            )
        )
        .one()
        ._mapping
    )
    return render_template(
        "staff/alerts.html",
        alerts=rows,
        subscribers=subscribers,
        outbox=alerting.outbox_counts(),
        state=alerting.alert_state,
    )


@bp.route("/alerts/new", methods=["GET", "POST"])
@staff_required
def new_alert() -> tuple[str, int] | Response:
    sessions = db.session.scalars(
        select(LegislativeSession).order_by(
            LegislativeSession.year.desc(), LegislativeSession.special_number
        )
    ).all()
    if request.method == "POST":
        try:
            bill = _find_bill(request.form.get("session", ""), request.form.get("bill", ""))
            alert = alerting.create_alert(bill, _input(), actor=current_user)
        except alerting.PressureError as exc:
            _refuse(str(exc))
            values = _posted_values()
            return render_template(
                "staff/alerts_form.html",
                alert=None,
                values=values,
                sessions=sessions,
                choices=_choices(values),
            ), 400
        db.session.commit()
        flash(
            "Created the alert as a draft. Mark it reviewed when it is ready; an admin "
            "publishes it.",
            "success",
        )
        return redirect(url_for("staff.alert_detail", public_id=alert.public_id))
    values = _form_values(None)
    values.update(session=request.args.get("session", ""), bill=request.args.get("bill", ""))
    wanted = (request.args.get("hearing") or "")[:36]
    if wanted:
        hearing = db.session.scalar(select(Hearing).where(Hearing.public_id == wanted))
        if hearing is None:
            abort(404, description="There is no such hearing.")
        agenda_bill = _hearing_bill(hearing, request.args.get("bill", ""))
        if agenda_bill is not None:
            position = published_position_map([agenda_bill.id]).get(agenda_bill.id)
            values = hearing_values(
                hearing, agenda_bill, position.published_position if position is not None else None
            )
    return render_template(
        "staff/alerts_form.html",
        alert=None,
        values=values,
        sessions=sessions,
        choices=_choices(values),
    ), 200


def _hearing_bill(hearing: Hearing, key: str) -> Bill | None:
    """The bill of the hearing's agenda a hearing alert is about: the one named (its
    key), else the first with a published position, else the first stored."""
    bills: list[Bill] = [b.bill for b in hearing.bills if b.bill is not None]
    named = [b for b in bills if b.key == key.replace(" ", "").upper()]
    if named:
        return named[0]
    positions = published_position_map([b.id for b in bills])
    taken = [
        b
        for b in bills
        if b.id in positions and positions[b.id].published_position in ("support", "oppose")
    ]
    chosen = taken or bills
    return chosen[0] if chosen else None


def _detail(
    alert: Alert, values: dict[str, Any] | None = None, status: int = 200
) -> tuple[str, int]:
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity_type == "alert", AuditEvent.entity_id == alert.public_id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    ).all()
    failures = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.alert_id == alert.id, OutboxMessage.status == "failed")
        .order_by(OutboxMessage.id.desc())
        .limit(20)
    ).all()
    values = values or _form_values(alert)
    return render_template(
        "staff/alerts_detail.html",
        alert=alert,
        values=values,
        choices=_choices(values),
        events=events,
        outbox=alerting.outbox_counts(alert),
        failures=failures,
        report=alerting.pressure_report(alert),
        state=alerting.alert_state(alert),
        candidates=alerting.roll_call_candidates(alert),
        voters=alerting.committee_voters(alert, localtime.today()) if not alert.is_public else [],
    ), status


@bp.route("/alerts/<public_id>", methods=["GET", "POST"])
@staff_required
def alert_detail(public_id: str) -> tuple[str, int] | Response:
    alert = _alert_or_404(public_id)
    if request.method == "POST":
        try:
            version = parse_version(request.form.get("version"))
            if version is None:
                raise alerting.PressureError(
                    "The form did not say which version you edited; reload the page."
                )
            alerting.update_alert(alert, _input(), expected_version=version, actor=current_user)
        except alerting.PressureError as exc:
            _refuse(str(exc))
            return _detail(_alert_or_404(public_id), _posted_values(), 400)
        db.session.commit()
        flash("Saved the alert. It is a draft again until it is reviewed.", "success")
        return redirect(url_for("staff.alert_detail", public_id=alert.public_id))
    return _detail(alert)


def _transition(public_id: str, action: str) -> Response:
    alert = _alert_or_404(public_id)
    version = parse_version(request.form.get("version"))
    if version is None:
        _refuse("The form did not say which version you saw; reload the page.")
        return redirect(url_for("staff.alert_detail", public_id=alert.public_id))
    try:
        if action == "review":
            alerting.mark_reviewed(alert, expected_version=version, actor=current_user)
            message = "Marked reviewed. An admin can publish it now."
        elif action == "publish":
            alerting.publish_alert(alert, expected_version=version, actor=current_user)
            state = alerting.mail_state()
            message = f"Published to {len(alert.targets)} targeted legislators. " + (
                "Subscribers in their districts are emailed by the scheduler within a minute."
                if state.ok
                else "Email is NOT going out: "
                + "; ".join(state.missing)
                + ". Subscribers are emailed once that is fixed."
            )
        else:
            alerting.close_alert(
                alert,
                expected_version=version,
                actor=current_user,
                note=request.form.get("note", ""),
            )
            message = "Closed the alert. Actions are no longer counted."
    except alerting.PressureError as exc:
        _refuse(str(exc))
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("staff.alert_detail", public_id=alert.public_id))


@bp.post("/alerts/<public_id>/review")
@staff_required
def review_alert(public_id: str) -> Response:
    return _transition(public_id, "review")


@bp.post("/alerts/<public_id>/publish")
@admin_required
def publish_alert(public_id: str) -> Response:
    return _transition(public_id, "publish")


@bp.post("/alerts/<public_id>/close")
@staff_required
def close_alert(public_id: str) -> Response:
    return _transition(public_id, "close")


@bp.post("/alerts/<public_id>/roll-call")
@staff_required
def alert_roll_call(public_id: str) -> Response:
    alert = _alert_or_404(public_id)
    raw = request.form.get("roll_call") or ""
    roll_call = None
    if raw:
        roll_call = db.session.scalar(select(RollCall).where(RollCall.public_id == raw[:36]))
        if roll_call is None:
            _refuse("That roll call is not in the tracker; reload the page.")
            return redirect(url_for("staff.alert_detail", public_id=alert.public_id))
    try:
        alerting.link_roll_call(alert, roll_call, actor=current_user)
    except alerting.PressureError as exc:
        _refuse(str(exc))
    else:
        db.session.commit()
        flash(
            "Linked the roll call. Follow-up emails go out once it is verified."
            if roll_call
            else "Unlinked the roll call.",
            "success",
        )
    return redirect(url_for("staff.alert_detail", public_id=alert.public_id))


@bp.post("/alerts/bounce")
@staff_required
def alert_bounce() -> Response:
    email = (request.form.get("email") or "").strip()[:254]
    reason = (request.form.get("reason") or "bounce report").strip()[:500]
    if alerting.record_bounce(email, reason):
        db.session.commit()
        flash(f"Recorded the bounce; {email} gets no more alert emails.", "success")
    else:
        _refuse(f"{email or 'That address'} is not a subscriber.")
    return redirect(url_for("staff.alerts"))
