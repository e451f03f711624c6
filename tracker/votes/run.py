"""``tracker scrape votes``: the House and Senate roll calls of a session."""

from __future__ import annotations

from collections.abc import Sequence

from scrapers import vocab
from tracker import runs
from tracker.demo import refuse_if_demo
from tracker.extensions import db
from tracker.models import LegislativeSession, ScrapeRun
from tracker.sessions import SESSION_ID, default_session, ensure_session, parse_bill_arg
from tracker.votes.house import run_house
from tracker.votes.job import VotesJob
from tracker.votes.senate import run_senate
from tracker.votes.storage import after_votes_changed, record_chamber_data
from tracker.votes.verification import resolve_settled_name_items


def scrape_votes(
    *,
    session: str | None = None,
    bill: str | None = None,
    full: bool = False,
    record: str | None = None,
    replay: str | None = None,
    triggered_by: str = "cli",
    progress: runs.Progress | None = None,
    chambers: Sequence[str] = vocab.CHAMBERS,
) -> ScrapeRun:
    """House vote pages and Senate journal roll calls of a session, with the
    journal rolls of their days (``tracker.votes`` docstring)."""
    refuse_if_demo("scraping votes")
    wanted = parse_bill_arg(bill) if bill else None
    if session is not None and not SESSION_ID.match(session):
        raise ValueError(f"session must look like 2025-2026 or 2025s1, not {session!r}")
    if not chambers or set(chambers) - set(vocab.CHAMBERS):
        raise ValueError("chambers must be house, senate or both")
    stored_session = ensure_session(session) if session else default_session()
    session_id = stored_session.id
    options = {
        "session": stored_session.identifier,
        "bill": f"{wanted[0]}{wanted[1]}" if wanted else None,
        "full": full,
        "record": record,
        "replay": replay,
        "chambers": None if tuple(chambers) == vocab.CHAMBERS else list(chambers),
    }
    src = runs.sources()
    with runs.client(record, replay) as http:
        with runs.running("votes", options, triggered_by, http) as run:
            sess = db.session.get(LegislativeSession, session_id)
            assert sess is not None
            if vocab.HOUSE in chambers and not sess.house_vote_key:
                raise runs.RunFailed(
                    f"session {sess.identifier} has no House vote key; set it with "
                    f"`tracker session set-house-key {sess.identifier} KEY` (e.g. 302)"
                )
            record_chamber_data(session_id)
            run.commit()
            job = VotesJob(run, http, src, sess, wanted, full, progress)
            if vocab.HOUSE in chambers:
                run_house(job)
            if vocab.SENATE in chambers:
                run_senate(job)
            record_chamber_data(session_id)
            resolve_settled_name_items()
            after_votes_changed(job.affected)
            run.commit()
    return run.row
