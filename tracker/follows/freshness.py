"""Fresh enough to matter: on days the legislature meets, roll calls are looked
for every 15 minutes (``TRACKER_CRON_VOTES_IN_SESSION``).

**A meeting day** is a day of a session in progress (between its dates) that is a
weekday, or has a hearing posted for it, or comes right after a day with a roll
call (a weekend floor session near the end of a session keeps the pace).

A House roll call is found through its bill: the votes run fetches a bill's House
vote page when the bill's actions show a tally no stored roll call has, and a
Senate roll call through the tally and journal page on the Senate action.  The
Revisor listing does not change when a bill gets a new action, so an incremental
bills run alone would see it only on the bill's periodic refetch
(``TRACKER_REFRESH_DAYS``).  On meeting days the votes slot therefore refetches
the status document of the **watched bills** first - the bills someone follows
(or whose companion someone follows) and the bills with a published position,
of the session, not yet signed or vetoed - then runs the votes scrape: a roll call
on a watched bill is stored and verified in that slot, and announced by the next
``follows`` run.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select

from scrapers.records import BillSearchResult
from scrapers.vocab import SIGNED, VETOED
from tracker import runs
from tracker.authors import AuthorResolver
from tracker.demo import refuse_if_demo
from tracker.extensions import db
from tracker.models import (
    Bill,
    BillPosition,
    Follow,
    Hearing,
    LegislativeSession,
    RollCall,
    ScrapeRun,
)


def meeting_day(session: LegislativeSession | None, today: dt.date) -> bool:
    """Whether ``today`` is a day the legislature meets (module docstring), given the
    session in progress (``tracker.jobs.current_session``; None: no session)."""
    if session is None:
        return False
    if today.weekday() < 5:
        return True
    hearing = db.session.scalar(
        select(Hearing.id).where(Hearing.date == today, Hearing.cancelled.is_(False)).limit(1)
    )
    if hearing is not None:
        return True
    vote = db.session.scalar(
        select(RollCall.id)
        .where(RollCall.date >= today - dt.timedelta(days=1), RollCall.date <= today)
        .limit(1)
    )
    return vote is not None


def watched_bills(session_id: int) -> list[Bill]:
    """The session's bills someone follows (directly or through the companion) or we
    take a published position on, not yet signed or vetoed, in number order."""
    followed = select(Follow.bill_id).where(Follow.status == "active", Follow.bill_id.is_not(None))
    positioned = select(BillPosition.bill_id).where(
        BillPosition.published_position.in_(("support", "oppose"))
    )
    return list(
        db.session.scalars(
            select(Bill)
            .where(
                Bill.session_id == session_id,
                Bill.status.not_in((SIGNED, VETOED)),
                Bill.missing_from_source.is_(False),
                or_(
                    Bill.id.in_(followed),
                    Bill.companion_id.in_(followed),
                    Bill.id.in_(positioned),
                    Bill.companion_id.in_(positioned),
                ),
            )
            .order_by(Bill.bill_type, Bill.number)
        )
    )


def refresh_watched(
    session: LegislativeSession, *, triggered_by: str = "scheduler"
) -> ScrapeRun | None:
    """Refetch the status document of every watched bill of ``session`` in one bills
    run (None when nothing is watched).  Each bill is fetched, parsed and stored as
    ``tracker scrape bills --bill`` does it; one failing bill is recorded on the run."""
    from tracker import pipeline  # the pipeline imports much; only this job needs it

    refuse_if_demo("scraping bills")
    bills = [(b.bill_type, b.number) for b in watched_bills(session.id)]
    if not bills:
        return None
    src = runs.sources()
    identifier, session_id = session.identifier, session.id
    urls = [(t, n, pipeline._bill_url(src, session, t, n)) for t, n in bills]
    with runs.client() as client:
        with runs.running(
            "bills", {"session": identifier, "watched": len(bills)}, triggered_by, client
        ) as run:
            authors = AuthorResolver()
            for bill_type, number, url in urls:
                pipeline._scrape_one_bill(
                    run,
                    client,
                    src,
                    identifier,
                    session_id,
                    BillSearchResult(bill_type, number, "", url),
                    {},
                    authors,
                )
    return run.row


__all__ = ["meeting_day", "refresh_watched", "watched_bills"]
