"""Action alerts and their pressure reports in the public API.

Only published and closed alerts are listed; tallies are bare counts, and how
each legislator voted appears once the targeted roll call is verified.
"""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, url_for
from sqlalchemy import select

from tracker import alerts as alerting
from tracker.api.views import _paginate, bp
from tracker.extensions import db
from tracker.models import Alert


def _summary(alert: Alert) -> dict[str, Any]:
    return {
        "id": alert.public_id,
        "title": alert.title,
        "status": alert.status,
        "state": alerting.alert_state(alert),
        "bill": {"session": alert.bill.session.identifier, "key": alert.bill.key,
                 "label": alert.bill.label, "title": alert.bill.title,
                 "url": url_for("api.bill", session=alert.bill.session.identifier,
                                bill=alert.bill.key, _external=True)},
        "target": alert.target,
        "chamber": alert.chamber,
        "committee": alert.committee or None,
        "ask": alert.ask,
        "deadline": alert.deadline.isoformat() if alert.deadline else None,
        "published_at": alert.published_at.isoformat() if alert.published_at else None,
        "closed_at": alert.closed_at.isoformat() if alert.closed_at else None,
        "url": url_for("api.alert", public_id=alert.public_id, _external=True),
        "page": url_for("public.alert_page", public_id=alert.public_id, _external=True),
    }


def _totals(t: dict[str, int]) -> dict[str, int]:
    return dict(t)


def _detail(alert: Alert) -> dict[str, Any]:
    report = alerting.pressure_report(alert)
    rc = alert.roll_call
    document = _summary(alert)
    document.update({
        "summary": alert.summary,
        "call_script": alert.call_script,
        "closed_note": alert.closed_note or None,
        "roll_call": None if rc is None else {
            "id": rc.public_id, "chamber": rc.chamber, "date": rc.date.isoformat(),
            "motion": rc.motion, "yeas": rc.yeas, "nays": rc.nays, "outcome": rc.outcome,
            "verified": rc.verified},
        "report": {
            "vote_status": report.vote_status,
            "totals": _totals(report.totals),
            "by_party": {k: _totals(v) for k, v in report.by_party.items()},
            "by_chamber": {k: _totals(v) for k, v in report.by_chamber.items()},
            "legislators": [{
                "id": r.person.public_id, "name": r.person.name,
                "url": url_for("api.legislator", public_id=r.person.public_id, _external=True),
                "chamber": r.chamber, "district": r.district, "party": r.party,
                "called": r.called, "emailed": r.emailed, "asked": r.asked, "vote": r.vote,
                "voted_as_asked": r.matched,
            } for r in report.rows],
            "csv": url_for("public.alert_report_csv", public_id=alert.public_id,
                           _external=True),
            "chart": url_for("public.alert_report_chart", public_id=alert.public_id, fmt="svg",
                             _external=True),
        },
    })
    return document


@bp.get("/alerts")
def alerts() -> Any:
    query = (select(Alert).where(Alert.status.in_(("published", "closed")))
             .order_by(Alert.published_at.desc(), Alert.id.desc()))
    return _paginate(query, _summary)


@bp.get("/alerts/<public_id>")
def alert(public_id: str) -> Any:
    found = db.session.scalar(select(Alert).where(Alert.public_id == public_id[:36]))
    if found is None or not found.is_public:
        abort(404, description=f"No published alert with id {public_id!r}.")
    return jsonify(_detail(found))
