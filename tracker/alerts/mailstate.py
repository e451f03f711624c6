"""Can email go out right now?  The site never says "we sent you an email" when
it cannot: emails need an SMTP server (``TRACKER_SMTP_URL``) and a running
scheduler (``tracker scheduler``, whose ``mail`` job sends the outbox).  Pages
that promise an email ask here and say what will happen instead; staff pages
show a banner naming the missing piece."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import select

from tracker.alerts.smtp import MailConfigError, parse_smtp_url
from tracker.extensions import db
from tracker.models import SchedulerLease
from tracker.models.common import utcnow
from tracker.settings import current

# A scheduler renews its lease every half minute; one not seen for this long is down.
SCHEDULER_SEEN_MINUTES = 10


@dataclass(frozen=True)
class MailState:
    smtp: bool
    scheduler: bool

    @property
    def ok(self) -> bool:
        return self.smtp and self.scheduler

    @property
    def missing(self) -> list[str]:
        """What stops email, in words staff can act on."""
        out = []
        if not self.smtp:
            out.append("no mail server is set (TRACKER_SMTP_URL)")
        if not self.scheduler:
            out.append(
                f"the scheduler has not run in the last {SCHEDULER_SEEN_MINUTES} minutes "
                "(start `tracker scheduler`; its mail job sends the emails)"
            )
        return out

    @property
    def member_note(self) -> str:
        """What a member is told instead of "we sent you an email"."""
        return gettext(
            "Email from this site is paused for now, so the message will arrive "
            "once the organizers turn it back on; nothing you did went wrong."
        )


def mail_state(now: dt.datetime | None = None) -> MailState:
    """Whether the mail job can send now (one small query)."""
    now = now or utcnow()
    url = current().smtp_url
    try:
        smtp = bool(url) and parse_smtp_url(url) is not None
    except MailConfigError:
        smtp = False
    seen = db.session.scalar(
        select(SchedulerLease.heartbeat_at).order_by(SchedulerLease.heartbeat_at.desc()).limit(1)
    )
    scheduler = seen is not None and now - seen <= dt.timedelta(minutes=SCHEDULER_SEEN_MINUTES)
    return MailState(smtp=smtp, scheduler=scheduler)


__all__ = ["SCHEDULER_SEEN_MINUTES", "MailState", "mail_state"]
