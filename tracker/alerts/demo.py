"""Demo alerts: a closed alert with invented tallies on the demo data, and
the demo call script and email text (also the staff form's starting text)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tracker import audit
from tracker.alerts.lifecycle import seated
from tracker.alerts.placeholders import ASK_LABELS
from tracker.extensions import db
from tracker.models import (
    ActionTally,
    Alert,
    AlertTarget,
    Bill,
    OutboxMessage,
    RollCall,
    TallyReceipt,
)
from tracker.models.pressure import ACTION_KINDS

DEMO_SCRIPT = (
    "Hello, my name is ____ and I live in district {district}. I'm calling to ask "
    "{legislator} to {position} on {bill}. Thank you."
)
DEMO_EMAIL = (
    "Dear {legislator},\n\nAs a constituent in district {district}, I ask you to "
    "{position} on {bill}.\n\nThank you."
)


def load_demo_alerts(seed: int = 8) -> str:
    """A closed demo alert with its report: on the latest demo session's first
    Senate passage vote, with invented tallies.  Safe to call twice."""
    import random

    if db.session.scalar(select(Alert.id).where(Alert.is_demo.is_(True)).limit(1)):
        return "demo alerts already loaded"
    rc = db.session.scalars(
        select(RollCall)
        .join(Bill)
        .join(Bill.session)
        .where(
            RollCall.chamber == "senate", RollCall.kind == "passage", RollCall.verified.is_(True)
        )
        .where(Bill.session.has(is_demo=True))
        .order_by(RollCall.date.desc(), RollCall.id)
        .limit(1)
    ).first()
    if rc is None:
        return "no verified demo Senate vote to hang a demo alert on"
    from tracker.reads import published_position_map

    position = published_position_map([rc.bill_id]).get(rc.bill_id)
    ask = "no" if position is not None and position.published_position == "oppose" else "yes"
    rng = random.Random(seed)  # noqa: S311 - invented data, not security
    published = dt.datetime.combine(rc.date - dt.timedelta(days=3), dt.time(14), tzinfo=dt.UTC)
    alert = Alert(
        bill_id=rc.bill_id,
        title=f"Call your senator: {ASK_LABELS[ask]} on {rc.bill.label} (demo)",
        target="floor",
        chamber="senate",
        ask=ask,
        summary="Invented demo alert: every legislator, call and vote is fictional.",
        call_script=DEMO_SCRIPT,
        email_subject="Please {position} on {bill}",
        email_template=DEMO_EMAIL,
        deadline=None,
        status="closed",
        is_demo=True,
        created_at=published,
        updated_at=published,
        published_at=published,
        reviewed_at=published,
        roll_call_id=rc.id,
        closed_at=published + dt.timedelta(days=4),
        closed_note="The vote was held; see the report (demo).",
        alert_mail_queued_at=published,
        followup_queued_at=published,
    )
    db.session.add(alert)
    db.session.flush()
    for term in seated("senate", rc.date):
        db.session.add(
            AlertTarget(
                alert_id=alert.id,
                person_id=term.person_id,
                chamber="senate",
                district=term.district,
                party=term.party,
            )
        )
        for kind in ACTION_KINDS:
            db.session.add(
                ActionTally(
                    alert_id=alert.id,
                    person_id=term.person_id,
                    kind=kind,
                    count=rng.randint(0, 40 if kind == "called" else 25),
                    updated_at=published,
                )
            )
    audit.record("demo", "alert.create", alert, after={"demo": True})
    db.session.flush()
    return f"loaded a closed demo alert on {rc.bill.label} with its report"


def remove_demo_alerts() -> int:
    """Delete demo alerts (call before the demo's bills and people go)."""
    from sqlalchemy import delete

    ids = select(Alert.id).where(Alert.is_demo.is_(True))
    for model in (TallyReceipt, ActionTally, AlertTarget, OutboxMessage):
        db.session.execute(delete(model).where(model.alert_id.in_(ids)))
    result = db.session.execute(delete(Alert).where(Alert.is_demo.is_(True)))
    # A DELETE gives a CursorResult; SQLAlchemy's Session.execute is typed as Result.
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
