"""Following bills, legislators and districts by email, without an account.

Import from here (``from tracker import follows``); the modules, by job:

* ``targets``     what can be followed, the keys matching events to follows
                  (a district reaches its seats' holders by the seat rule)
* ``signup``      double opt-in, signed manage / stop / stop-all links, stopping
* ``events``      the scan that finds events since its watermarks, each stored once
* ``lines``       what each event says to each kind of follower (emails and feeds)
* ``delivery``    "as it happens" emails and daily / weekly digests, into the outbox
                  at most once
* ``job``         the scheduler's ``follows`` job: scan, queue, digests
* ``freshness``   meeting days, the watched bills refetched before each votes run
* ``reads``       the per-bill and per-legislator feeds; follow counts for staff
                  (never an address) and an alert's reach
* ``privacy``     what is kept about an address; erasing it
"""

from tracker.follows.delivery import (
    build_digest,
    due_periods,
    period_bounds,
    queue_digests,
    queue_immediate,
)
from tracker.follows.events import scan
from tracker.follows.freshness import meeting_day, refresh_watched, watched_bills
from tracker.follows.job import run
from tracker.follows.lines import Line, audiences
from tracker.follows.privacy import erase, export, find
from tracker.follows.reads import FollowCounts, alert_reach, bill_events, counts, person_events
from tracker.follows.signup import (
    FREQUENCY_WORDS,
    change_frequency,
    confirm,
    follows_of,
    label,
    read_confirm_token,
    read_manage_token,
    read_stop_all_token,
    read_stop_token,
    request_follow,
    stop,
    stop_all,
)
from tracker.follows.targets import Target, TargetProblem, parse

__all__ = [
    "FREQUENCY_WORDS",
    "FollowCounts",
    "Line",
    "Target",
    "TargetProblem",
    "alert_reach",
    "audiences",
    "bill_events",
    "build_digest",
    "change_frequency",
    "confirm",
    "counts",
    "due_periods",
    "erase",
    "export",
    "find",
    "follows_of",
    "label",
    "meeting_day",
    "parse",
    "period_bounds",
    "person_events",
    "queue_digests",
    "queue_immediate",
    "read_confirm_token",
    "read_manage_token",
    "read_stop_all_token",
    "read_stop_token",
    "refresh_watched",
    "request_follow",
    "run",
    "scan",
    "stop",
    "stop_all",
    "watched_bills",
]
