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
from werkzeug.wrappers import Response

from tracker import alerts as alerting
from tracker.auth.decorators import admin_required, staff_required
from tracker.extensions import db
from tracker.models import (
    Alert,
    AuditEvent,
    Bill,
    LegislativeSession,
    OutboxMessage,
    RollCall,
    Subscriber,
)
from tracker.staff import bp
from tracker.staff.forms import parse_bill_key, parse_version

LOCAL = ZoneInfo("America/Chicago")


def _alert_or_404(public_id: str) -> Alert:
    alert = db.session.scalar(select(Alert).where(Alert.public_id == public_id[:36]))
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
        raise alerting.PressureError("The deadline must be a date and time such as "
                                     "2026-03-02T17:00.") from None
    if local.tzinfo is None:
        local = local.replace(tzinfo=LOCAL)
    return local.astimezone(dt.UTC)


def _input() -> alerting.AlertInput:
    members = []
    for raw in request.form.getlist("members"):
        try:
            members.append(int(raw))
        except ValueError:
            raise alerting.PressureError("The committee member list is garbled; reload the "
                                         "page.") from None
    return alerting.AlertInput(
        title=request.form.get("title", ""), target=request.form.get("target", ""),
        chamber=request.form.get("chamber", ""), ask=request.form.get("ask", ""),
        committee=request.form.get("committee", ""), summary=request.form.get("summary", ""),
        call_script=request.form.get("call_script", ""),
        email_subject=request.form.get("email_subject", ""),
        email_template=request.form.get("email_template", ""),
        deadline=_deadline(request.form.get("deadline", "")), member_ids=members)


def _find_bill(session_identifier: str, bill_key: str) -> Bill:
    parsed = parse_bill_key(bill_key)
    if parsed is None:
        raise alerting.PressureError(f"{bill_key!r} is not a bill number like HF 12.")
    bill = db.session.scalar(select(Bill).join(LegislativeSession).where(
        LegislativeSession.identifier == session_identifier,
        Bill.bill_type == parsed[0], Bill.number == parsed[1]))
    if bill is None:
        raise alerting.PressureError(f"There is no {parsed[0]} {parsed[1]} in session "
                                     f"{session_identifier!r}.")
    return bill


def _members() -> dict[str, list[Any]]:
    today = dt.date.today()
    return {chamber: sorted(alerting.seated(chamber, today), key=lambda t: t.person.name)
            for chamber in ("house", "senate")}


def _form_values(alert: Alert | None) -> dict[str, Any]:
    if alert is None:
        return {"target": "floor", "chamber": "senate", "ask": "yes",
                "call_script": alerting.DEMO_SCRIPT.replace(" (demo)", ""),
                "email_template": alerting.DEMO_EMAIL,
                "email_subject": "Please {position} on {bill}", "members": []}
    local = alert.deadline.astimezone(LOCAL).strftime("%Y-%m-%dT%H:%M") if alert.deadline else ""
    return {"title": alert.title, "target": alert.target, "chamber": alert.chamber,
            "ask": alert.ask, "committee": alert.committee, "summary": alert.summary,
            "call_script": alert.call_script, "email_subject": alert.email_subject,
            "email_template": alert.email_template, "deadline": local,
            "members": [t.person_id for t in alert.targets] if alert.target == "committee"
            else []}


def _posted_values() -> dict[str, Any]:
    values: dict[str, Any] = {k: request.form.get(k, "") for k in (
        "title", "target", "chamber", "ask", "committee", "summary", "call_script",
        "email_subject", "email_template", "deadline", "session", "bill")}
    values["members"] = [int(m) for m in request.form.getlist("members") if m.isdigit()]
    return values


@bp.get("/alerts")
@staff_required
def alerts() -> str:
    rows = db.session.scalars(select(Alert).order_by(Alert.created_at.desc(),
                                                     Alert.id.desc())).all()
    subscribers = dict(db.session.execute(select(
        func.count(Subscriber.id).filter(Subscriber.confirmed_at.is_not(None),
                                         Subscriber.unsubscribed_at.is_(None),
                                         Subscriber.bounced_at.is_(None)).label("active"),
        func.count(Subscriber.id).filter(Subscriber.confirmed_at.is_(None)).label("pending"),
        func.count(Subscriber.id).filter(Subscriber.bounced_at.is_not(None)).label("bounced"),
        func.count(Subscriber.id).filter(Subscriber.unsubscribed_at.is_not(None))
        .label("unsubscribed"),
    )).one()._mapping)
    return render_template("staff/alerts.html", alerts=rows, subscribers=subscribers,
                           outbox=alerting.outbox_counts(), state=alerting.alert_state)


@bp.route("/alerts/new", methods=["GET", "POST"])
@staff_required
def new_alert() -> tuple[str, int] | Response:
    sessions = db.session.scalars(select(LegislativeSession).order_by(
        LegislativeSession.year.desc(), LegislativeSession.special_number)).all()
    if request.method == "POST":
        try:
            bill = _find_bill(request.form.get("session", ""), request.form.get("bill", ""))
            alert = alerting.create_alert(bill, _input(), actor=current_user)
        except alerting.PressureError as exc:
            _refuse(str(exc))
            return render_template("staff/alerts_form.html", alert=None,
                                   values=_posted_values(), sessions=sessions,
                                   members=_members()), 400
        db.session.commit()
        flash("Created the alert as a draft. Mark it reviewed when it is ready; an admin "
              "publishes it.", "success")
        return redirect(url_for("staff.alert_detail", public_id=alert.public_id))
    values = _form_values(None)
    values.update(session=request.args.get("session", ""), bill=request.args.get("bill", ""))
    return render_template("staff/alerts_form.html", alert=None, values=values,
                           sessions=sessions, members=_members()), 200


def _detail(alert: Alert, values: dict[str, Any] | None = None, status: int = 200
            ) -> tuple[str, int]:
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == "alert", AuditEvent.entity_id == alert.public_id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())).all()
    failures = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.alert_id == alert.id, OutboxMessage.status == "failed")
        .order_by(OutboxMessage.id.desc()).limit(20)).all()
    return render_template(
        "staff/alerts_detail.html", alert=alert, values=values or _form_values(alert),
        members=_members(), events=events, outbox=alerting.outbox_counts(alert),
        failures=failures, report=alerting.pressure_report(alert),
        state=alerting.alert_state(alert), candidates=alerting.roll_call_candidates(alert),
    ), status


@bp.route("/alerts/<public_id>", methods=["GET", "POST"])
@staff_required
def alert_detail(public_id: str) -> tuple[str, int] | Response:
    alert = _alert_or_404(public_id)
    if request.method == "POST":
        try:
            version = parse_version(request.form.get("version"))
            if version is None:
                raise alerting.PressureError("The form did not say which version you edited; "
                                             "reload the page.")
            alerting.update_alert(alert, _input(), expected_version=version,
                                  actor=current_user)
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
            message = (f"Published to {len(alert.targets)} targeted legislators. " + (
                "Subscribers in their districts are emailed by the scheduler within a minute."
                if state.ok else "Email is NOT going out: " + "; ".join(state.missing)
                + ". Subscribers are emailed once that is fixed."))
        else:
            alerting.close_alert(alert, expected_version=version, actor=current_user,
                                 note=request.form.get("note", ""))
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
        flash("Linked the roll call. Follow-up emails go out once it is verified."
              if roll_call else "Unlinked the roll call.", "success")
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
