"""What the House and Senate parts of one votes run share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from scrapers.http import HttpClient
from scrapers.sources import Sources
from tracker.extensions import db
from tracker.journals import JournalReader
from tracker.models import Bill, LegislativeSession
from tracker.runs import Production, Progress, Run
from tracker.votes.storage import Stored
from tracker.votes.verification import Context


@dataclass
class VotesJob:
    run: Run
    http: HttpClient
    src: Sources
    session: LegislativeSession
    wanted: tuple[str, int] | None
    full: bool
    progress: Progress | None
    ctx: Context = field(default_factory=Context.load)
    affected: set[int] = field(default_factory=set)
    journals: JournalReader = field(init=False)

    def __post_init__(self) -> None:
        self.session_id = self.session.id
        self.legislature = self.session.legislature
        self.house_key = self.session.house_vote_key or ""
        self.prod = Sources()
        self.production = Production(self.src)
        self.journals = JournalReader(
            self.run, self.http, self.src, session_id=self.session_id, house_key=self.house_key
        )

    def bill(self, bill_type: str, number: int) -> Bill | None:
        return db.session.scalar(
            select(Bill).where(
                Bill.session_id == self.session_id,
                Bill.bill_type == bill_type,
                Bill.number == number,
            )
        )

    def count(self, results: Iterable[Stored]) -> None:
        for result in results:
            self.run.bump(result.outcome)
            if result.affects_scores or result.outcome == "changed":
                self.affected.add(result.roll_call.id)

    def roster_may_have_changed(self) -> None:
        """After reading journal rolls: resolve names against the new roster."""
        if self.journals.changed:
            self.ctx.reload()
            self.journals.changed = False
