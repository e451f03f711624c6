"""Action alerts and their pressure reports in the public API.

Only published and closed alerts are listed; tallies are bare counts, and how
each legislator voted appears once the targeted roll call is verified.
"""

from __future__ import annotations

from flask import abort, url_for
from sqlalchemy import select

from tracker import alerts as alerting
from tracker.api import bp, schemas
from tracker.api.openapi import documented
from tracker.api.views import page_of
from tracker.extensions import db
from tracker.models import Alert
from tracker.pagecache import cached_page


def _summary_fields(alert: Alert) -> dict[str, object]:
    bill = alert.bill
    return {
        "id": alert.public_id,
        "title": alert.title,
        "status": alert.status,
        "state": alerting.alert_state(alert),
        "bill": schemas.AlertBill(
            session=bill.session.identifier,
            key=bill.key,
            label=bill.label,
            title=bill.title,
            url=url_for("api.bill", session=bill.session.identifier, bill=bill.key, _external=True),
        ),
        "target": alert.target,
        "chamber": alert.chamber,
        "committee": alert.committee or None,
        "ask": alert.ask,
        "deadline": alert.deadline,
        "published_at": alert.published_at,
        "closed_at": alert.closed_at,
        "url": url_for("api.alert", public_id=alert.public_id, _external=True),
        "page": url_for("public.alert_page", public_id=alert.public_id, _external=True),
    }


def _summary(alert: Alert) -> schemas.AlertSummary:
    return schemas.AlertSummary.model_validate(_summary_fields(alert))


def _detail(alert: Alert) -> schemas.AlertDetail:
    report = alerting.pressure_report(alert)
    rc = alert.roll_call
    return schemas.AlertDetail.model_validate(
        {
            **_summary_fields(alert),
            "summary": alert.summary,
            "call_script": alert.call_script,
            "closed_note": alert.closed_note or None,
            "roll_call": None
            if rc is None
            else schemas.AlertRollCall(
                id=rc.public_id,
                chamber=rc.chamber,
                date=rc.date,
                motion=rc.motion,
                yeas=rc.yeas,
                nays=rc.nays,
                outcome=rc.outcome,
                verified=rc.verified,
            ),
            "report": schemas.AlertReport(
                vote_status=report.vote_status,
                totals=schemas.AlertTotals(**report.totals),
                by_party={k: schemas.AlertTotals(**v) for k, v in report.by_party.items()},
                by_chamber={k: schemas.AlertTotals(**v) for k, v in report.by_chamber.items()},
                legislators=[
                    schemas.AlertReportRow(
                        id=r.person.public_id,
                        name=r.person.name,
                        url=url_for("api.legislator", public_id=r.person.public_id, _external=True),
                        chamber=r.chamber,
                        district=r.district,
                        party=r.party,
                        called=r.called,
                        emailed=r.emailed,
                        asked=r.asked,
                        vote=r.vote,
                        voted_as_asked=r.matched,
                    )
                    for r in report.rows
                ],
                csv=url_for("public.alert_report_csv", public_id=alert.public_id, _external=True),
                chart=url_for(
                    "public.alert_report_chart",
                    public_id=alert.public_id,
                    fmt="svg",
                    _external=True,
                ),
            ),
        }
    )


@bp.get("/alerts")
@cached_page
@documented(schemas.AlertPage, query=schemas.PageQuery)
def alerts(query: schemas.PageQuery) -> schemas.AlertPage:
    """Published and closed action alerts, newest first."""
    found = (
        select(Alert)
        .where(Alert.status.in_(("published", "closed")))
        .order_by(Alert.published_at.desc(), Alert.id.desc())
    )
    items, links = page_of(found, query)
    return schemas.AlertPage(items=[_summary(a) for a in items], **dict(links))


@bp.get("/alerts/<public_id>")
@cached_page
@documented(schemas.AlertDetail, not_found=True)
def alert(public_id: str) -> schemas.AlertDetail:
    """One action alert with its pressure report.

    Tallies are anonymous counts of members who said they called or emailed each targeted
    legislator; votes appear once the targeted roll call is verified."""
    found = db.session.scalar(select(Alert).where(Alert.public_id == public_id))
    if found is None or not found.is_public:
        abort(404, description=f"No published alert with id {public_id!r}.")
    return _detail(found)
