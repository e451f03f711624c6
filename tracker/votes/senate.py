"""Senate roll calls: member-level votes exist only in the Senate Journal PDFs.
Each Senate action with a tally and a journal page and no verified roll call
linked to it is looked up through the journal API (``gotopage``); the day's
journal PDF is fetched (once per run), the day's roll is read from its first
pages (once per day, ever), and the roll call with that tally is read from the
pages around the journal page.  Every vote is its own item: one failing vote
never stops the bill or the run."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from scrapers import senate_journal, vocab
from scrapers.http import FetchError
from scrapers.parsing import ParseError
from tracker.extensions import db
from tracker.models import Bill, BillAction, RollCall
from tracker.votes.job import VotesJob
from tracker.votes.storage import store_senate_roll_call


def senate_actions(job: VotesJob) -> list[int]:
    query = (
        select(BillAction.id)
        .join(Bill, BillAction.bill_id == Bill.id)
        .where(
            Bill.session_id == job.session_id,
            BillAction.chamber == vocab.SENATE,
            BillAction.yeas.is_not(None),
            BillAction.nays.is_not(None),
            BillAction.journal_page.is_not(None),
            BillAction.journal_page != "",
        )
        .order_by(Bill.bill_type, Bill.number, BillAction.number)
    )
    if job.wanted:
        query = query.where(Bill.bill_type == job.wanted[0], Bill.number == job.wanted[1])
    elif not job.full:
        verified = (
            select(RollCall.id)
            .where(RollCall.action_id == BillAction.id, RollCall.verified.is_(True))
            .exists()
        )
        query = query.where(~verified)
    return list(db.session.scalars(query))


class _Pdfs:
    """Each journal PDF once per run (a failure is remembered)."""

    def __init__(self, job: VotesJob) -> None:
        self.job = job
        self.cache: dict[str, bytes | FetchError] = {}

    def get(self, url: str) -> bytes:
        cached = self.cache.get(url)
        if isinstance(cached, FetchError):
            raise cached
        if cached is None:
            try:
                response = self.job.http.get(self.job.src.rebase(url))
            except FetchError as exc:
                self.cache[url] = exc
                raise
            self.job.run.bump("fetched")
            self.cache[url] = cached = response.content
        return cached


def run_senate(job: VotesJob) -> None:
    ids = senate_actions(job)
    pdfs = _Pdfs(job)
    for done, action_id in enumerate(ids, start=1):
        _senate_vote(job, pdfs, action_id)
        if job.progress:
            job.progress(done, len(ids))


def _senate_vote(job: VotesJob, pdfs: _Pdfs, action_id: int) -> None:
    action = db.session.get(BillAction, action_id)
    assert action is not None
    bill = action.bill
    item = f"{bill.key} Senate {action.yeas}-{action.nays} j.p. {action.journal_page}"
    url = ""
    try:
        url = senate_journal.gotopage_url(
            job.prod.senate, action.journal_page or "", job.legislature
        )
        response = job.http.get(job.src.rebase(url))
        job.run.bump("fetched")
        page = senate_journal.parse_gotopage(
            response.content, source_url=url, senate_base=job.prod.senate
        )
        url = page.pdf_url
        pdf = pdfs.get(url)
        first, last = page.page_range
        texts = senate_journal.extract_pages_text(pdf, first, last, source_url=url)
        parsed = senate_journal.find_roll_call(
            texts,
            bill_type=bill.bill_type,
            number=bill.number,
            yeas=action.yeas or 0,
            nays=action.nays or 0,
            source_url=url,
            first_page=first,
            date=action.date,
            journal_page=action.journal_page,
        )
        if parsed.date is None:
            raise ParseError(
                "no date for the roll call (neither the action nor the "
                "journal's running head has one)",
                source_url=url,
            )
    except (FetchError, ParseError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or str(exc)
        job.run.item_failed(item, url or None, reason)
        job.run.commit()
        return
    job.journals.senate_day(url, pdf, parsed.date)
    job.roster_may_have_changed()
    try:
        result = store_senate_roll_call(action, parsed, job.ctx, job.session_id)
        if result is not None:
            job.count([result])
        else:
            job.run.bump("unchanged")
        job.run.commit()
    except (SQLAlchemyError, ValueError) as exc:
        db.session.rollback()
        job.run.item_failed(item, url, f"could not store: {exc}")
        job.run.commit()
