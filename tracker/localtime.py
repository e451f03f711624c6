"""Minnesota time: every time shown to a person is in America/Chicago.

Times are stored in UTC; this is the one place that turns them into what a
Minnesotan reads (``9:00 a.m. CST``).
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


def clock(moment: dt.datetime) -> str:
    """``9:05 a.m. CDT``."""
    when = local(moment)
    hour = when.hour % 12 or 12
    half = "a.m." if when.hour < 12 else "p.m."
    return f"{hour}:{when.minute:02d} {half} {when.tzname()}"


def day_and_clock(moment: dt.datetime) -> str:
    """``March 3, 2026, 9:05 a.m. CST``."""
    when = local(moment)
    return f"{when:%B} {when.day}, {when.year}, {clock(moment)}"


__all__ = ["LOCAL", "clock", "day_and_clock", "local"]
