"""House roll calls: ``POST /Votes/GetVoteSummary`` lists the bills with votes in a
session (by ``LegislativeSession.house_vote_key``); each bill's ``/Votes/Details``
page gives every roll-call panel with its names.  A bill's page is fetched again
only when its House actions show a tally that no stored roll call has (or with
``full``/``bill``).  Before a bill's panels are stored, the House Journal roll of
each of their days is read (once per day, ever), so that the roster and the
excused absences of that day come from the record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from scrapers import house_votes, vocab
from scrapers.http import FetchError
from scrapers.parsing import ParseError
from scrapers.vote_records import ParsedRollCall, VoteSummaryItem
from tracker.extensions import db
from tracker.models import Bill, RollCall
from tracker.models.votes import COMMITTEE
from tracker.votes.job import VotesJob
from tracker.votes.storage import store_house_page


def needs_fetch(bill: Bill) -> bool:
    """A House action shows a tally no stored House roll call of the bill has."""
    tallies = {
        (a.yeas, a.nays)
        for a in bill.actions
        if a.chamber == vocab.HOUSE and a.yeas is not None and a.nays is not None
    }
    if not tallies:
        return False
    have = {
        (y, n)
        for y, n in db.session.execute(
            select(RollCall.yeas, RollCall.nays).where(
                RollCall.bill_id == bill.id,
                RollCall.chamber == vocab.HOUSE,
                RollCall.kind != COMMITTEE,
            )
        )
    }
    return bool(tallies - have)


def run_house(job: VotesJob) -> None:
    url, form = house_votes.summary_request(job.prod.house, job.house_key)
    response = job.http.post(job.src.rebase(url), data=form)
    job.run.bump("fetched")
    listed = house_votes.parse_vote_summary(response.content, source_url=url)
    if job.wanted:
        listed = [i for i in listed if (i.bill_type, i.number) == job.wanted] or [
            VoteSummaryItem(job.wanted[0], job.wanted[1], "")
        ]
    total = len(listed)
    for done, item in enumerate(listed, start=1):
        _house_bill(job, item.bill_type, item.number)
        if job.progress:
            job.progress(done, total)


def _read_rolls(job: VotesJob, panels: Sequence[ParsedRollCall]) -> None:
    days: dict[dt.date, str] = {}
    for panel in panels:
        if panel.date is not None:
            days.setdefault(panel.date, panel.journal_page)
    for day, page in sorted(days.items()):
        job.journals.house_day(day, page)
    job.roster_may_have_changed()


def _house_bill(job: VotesJob, bill_type: str, number: int) -> None:
    key = f"{bill_type}{number}"
    url = house_votes.details_url(job.prod.house, job.house_key, bill_type, number)
    bill = job.bill(bill_type, number)
    if bill is None:
        job.run.item_failed(
            key,
            url,
            "listed by the House vote summary but not stored; run `tracker scrape bills` first",
        )
        job.run.commit()
        return
    if not (job.full or job.wanted or needs_fetch(bill)):
        return
    try:
        response = job.http.get(job.src.rebase(url))
        job.run.bump("fetched")
        panels = house_votes.parse_vote_details(
            response.content, source_url=url, bill_type=bill_type, number=number
        )
    except (FetchError, ParseError) as exc:
        job.run.item_failed(key, url, getattr(exc, "reason", None) or str(exc))
        job.run.commit()
        return
    try:
        results = store_house_page(
            job.bill,
            panels,
            job.ctx,
            job.session_id,
            lambda item, reason: job.run.item_failed(item, url, reason),
            before_store=lambda group: _read_rolls(job, group),
        )
        job.count(results)
        job.run.commit()
    except (SQLAlchemyError, ValueError) as exc:
        db.session.rollback()
        job.run.item_failed(key, url, f"could not store: {exc}")
        job.run.commit()
