"""Minnesota time: every time shown to a person is in America/Chicago.

Times are stored in UTC; this is the one place that turns them into what a
Minnesotan reads (``9:00 a.m. CST``), and that says what day it is
(:func:`today`): the record's dates (terms, hearings, sessions, roll calls) are
Minnesota's, and so is every "today" they are compared with, whatever the
server's clock says.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("America/Chicago")


def local(moment: dt.datetime) -> dt.datetime:
    """``moment`` (UTC, or naive meaning UTC) in Minnesota time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(LOCAL)


def today(now: dt.datetime | None = None) -> dt.date:
    """The date in Minnesota now (or at ``now``): who is seated, which hearings are
    upcoming, which session is in progress, the date an export is made."""
    return local(now if now is not None else dt.datetime.now(dt.UTC)).date()


def clock(moment: dt.datetime) -> str:
    """``9:05 a.m. CDT``."""
    when = local(moment)
    hour = when.hour % 12 or 12
    half = "a.m." if when.hour < 12 else "p.m."
    return f"{hour}:{when.minute:02d} {half} {when.tzname()}"


def day_and_clock(moment: dt.datetime) -> str:
    """``March 3, 2026, 9:05 a.m. CST``."""
    return f"{day(moment)}, {clock(moment)}"


def day(moment: dt.datetime | dt.date) -> str:
    """``March 3, 2026`` (a time's Minnesota date; a date as it is)."""
    when = local(moment) if isinstance(moment, dt.datetime) else moment
    return f"{when:%B} {when.day}, {when.year}"


def iso_day(moment: dt.datetime | dt.date) -> str:
    """``2026-03-03`` (a time's Minnesota date; a date as it is)."""
    when = local(moment) if isinstance(moment, dt.datetime) else moment
    return when.strftime("%Y-%m-%d")


def stamp(moment: dt.datetime) -> str:
    """``2026-03-03 9:05 a.m. CST``: compact, for tables."""
    return f"{iso_day(moment)} {clock(moment)}"


def register(app: object) -> None:
    """Template filters: ``|local_day``, ``|local_iso``, ``|local_time``, ``|local_stamp``."""
    filters = app.jinja_env.filters  # type: ignore[attr-defined]
    filters["local_day"] = day
    filters["local_iso"] = iso_day
    filters["local_time"] = day_and_clock
    filters["local_stamp"] = stamp


__all__ = ["LOCAL", "clock", "day", "day_and_clock", "iso_day", "local", "register", "stamp"]
