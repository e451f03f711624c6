"""The placeholders of call scripts and email templates (``{legislator}``,
``{district}``, ``{bill}`` and ``{position}``): checking them, filling them in,
and a member's ``mailto:`` link to a legislator."""

from __future__ import annotations

import re
from urllib.parse import quote

from flask_babel import gettext

from tracker import asks, i18n
from tracker.alerts.common import PressureError
from tracker.asks import file_in_chamber
from tracker.models import Alert, Person

PLACEHOLDERS = ("legislator", "district", "bill", "position")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
ASK_LABELS = {"yes": i18n.N_("vote YES"), "no": i18n.N_("vote NO")}
IN_COMMITTEE = {"yes": i18n.N_("vote YES in committee"), "no": i18n.N_("vote NO in committee")}


def check_template(text: str, what: str) -> None:
    for name in PLACEHOLDER.findall(text):
        if name not in PLACEHOLDERS:
            allowed = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            raise PressureError(
                f"The {what} uses {{{name}}}, which is not a placeholder; use {allowed}."
            )


def position_text(alert: Alert) -> str:
    """``{position}``: "vote YES", or for a committee alert "vote YES in committee" (in
    the language being rendered)."""
    return gettext((IN_COMMITTEE if alert.target == "committee" else ASK_LABELS)[alert.ask])


def alert_ask(alert: Alert, person_id: int, chamber: str) -> asks.Ask:
    """What the alert asks one targeted legislator (``tracker.asks``): on the floor, or
    for a committee alert in that committee (until the committee has voted)."""
    committee = alert.target_committee if alert.target == "committee" else None
    return asks.ask_for(alert.bill, alert.ask, person_id, chamber, committee=committee)


def fill(
    text: str, alert: Alert, person: Person | None, district: str | None, chamber: str | None = None
) -> str:
    """``text`` with its placeholders filled in for a legislator of ``chamber``:
    ``{bill}`` is the file in their chamber (``tracker.asks``).  The words filled in
    are in the language being rendered: render a text staff wrote in English in
    English (``localized_fill``)."""
    values = {
        "legislator": person.name if person else gettext("your legislator"),
        "district": district or gettext("your district"),
        "bill": (file_in_chamber(alert.bill, chamber) if chamber else alert.bill).label,
        "position": position_text(alert),
    }
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def localized_fill(
    field: str,
    alert: Alert,
    person: Person | None,
    district: str | None,
    chamber: str | None = None,
) -> str:
    """The alert's ``field`` (``call_script``, ``email_template``, ``email_subject``) in
    the page's language where staff wrote one (``tracker.i18n.localized``), else the
    English text, its placeholders filled in the same language as the text."""
    text = i18n.localized(alert, field)
    if field == "email_subject" and not text.strip():
        with i18n.speaking(i18n.language_of(alert, "email_template")):
            return fill(gettext("{bill}: please {position}"), alert, person, district, chamber)
    with i18n.speaking(i18n.language_of(alert, field)):
        return fill(text, alert, person, district, chamber)


def mailto(
    alert: Alert, person: Person, district: str | None, chamber: str | None = None
) -> str | None:
    if not person.email:
        return None
    subject = localized_fill("email_subject", alert, person, district, chamber)
    body = localized_fill("email_template", alert, person, district, chamber)
    return (
        f"mailto:{quote(person.email, safe='@')}?subject={quote(subject, safe='')}"
        f"&body={quote(body, safe='')}"
    )
