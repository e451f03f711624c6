"""The placeholders of call scripts and email templates (``{legislator}``,
``{district}``, ``{bill}`` and ``{position}``): checking them, filling them in,
and a member's ``mailto:`` link to a legislator."""

from __future__ import annotations

import re
from urllib.parse import quote

from tracker import asks
from tracker.alerts.common import PressureError
from tracker.asks import file_in_chamber
from tracker.models import Alert, Person

PLACEHOLDERS = ("legislator", "district", "bill", "position")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
ASK_LABELS = {"yes": "vote YES", "no": "vote NO"}


def check_template(text: str, what: str) -> None:
    for name in PLACEHOLDER.findall(text):
        if name not in PLACEHOLDERS:
            allowed = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            raise PressureError(f"The {what} uses {{{name}}}, which is not a placeholder; "
                                f"use {allowed}.")


def position_text(alert: Alert) -> str:
    """``{position}``: "vote YES", or for a committee alert "vote YES in committee"."""
    return ASK_LABELS[alert.ask] + (" in committee" if alert.target == "committee" else "")


def alert_ask(alert: Alert, person_id: int, chamber: str) -> asks.Ask:
    """What the alert asks one targeted legislator (``tracker.asks``): on the floor, or
    for a committee alert in that committee (until the committee has voted)."""
    committee = alert.target_committee if alert.target == "committee" else None
    return asks.ask_for(alert.bill, alert.ask, person_id, chamber, committee=committee)


def fill(text: str, alert: Alert, person: Person | None, district: str | None,
         chamber: str | None = None) -> str:
    """``text`` with its placeholders filled in for a legislator of ``chamber``:
    ``{bill}`` is the file in their chamber (``tracker.asks``)."""
    values = {
        "legislator": person.name if person else "your legislator",
        "district": district or "your district",
        "bill": (file_in_chamber(alert.bill, chamber) if chamber else alert.bill).label,
        "position": position_text(alert),
    }
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def mailto(alert: Alert, person: Person, district: str | None,
           chamber: str | None = None) -> str | None:
    if not person.email:
        return None
    subject = fill(alert.email_subject or f"{{bill}}: please {position_text(alert)}",
                   alert, person, district, chamber)
    body = fill(alert.email_template, alert, person, district, chamber)
    return (f"mailto:{quote(person.email, safe='@')}?subject={quote(subject, safe='')}"
            f"&body={quote(body, safe='')}")
