"""How much of each session's record the tracker holds, and how much reconciles.

Per session and chamber: roll calls found, how many carry member-level votes,
how many are verified (and the share), printed names that match nobody,
journal roll entries that resolve to nobody (seats the record names but the
roster cannot attribute), and the days with a roll call but no journal roll
read.  Shown at ``/staff/quality/sessions``, printed by ``tracker quality
report``, and quoted on every scorecard's public methodology page.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import distinct, func, select

from scrapers import vocab
from tracker.extensions import db
from tracker.models import (
    Bill,
    DataQualityItem,
    JournalRoll,
    JournalRollEntry,
    LegislativeSession,
    MemberVote,
    RollCall,
)
from tracker.models.votes import COMMITTEE


@dataclass(frozen=True)
class ChamberFidelity:
    chamber: str
    roll_calls: int
    member_level: int
    verified: int
    unmatched_names: int
    unresolved_roll_entries: int
    roll_entries: int
    journal_days: int
    days_without_roll: int
    open_items: int
    missing_days: tuple[Any, ...] = ()  # the vote days without a journal roll read

    @property
    def verified_share(self) -> Fraction | None:
        return Fraction(self.verified, self.roll_calls) if self.roll_calls else None

    @property
    def resolved_share(self) -> Fraction | None:
        """Share of journal roll names resolved to one person."""
        if not self.roll_entries:
            return None
        return Fraction(self.roll_entries - self.unresolved_roll_entries, self.roll_entries)


@dataclass(frozen=True)
class SessionFidelity:
    session: LegislativeSession
    chambers: tuple[ChamberFidelity, ...]

    def chamber(self, chamber: str) -> ChamberFidelity:
        return next(c for c in self.chambers if c.chamber == chamber)


def _count(query: object) -> int:
    return int(db.session.scalar(query) or 0)  # type: ignore[call-overload]


def chamber_fidelity(session: LegislativeSession, chamber: str) -> ChamberFidelity:
    # Floor roll calls (a committee's are counted with the committees, not here).
    in_session = (
        (RollCall.chamber == chamber)
        & (RollCall.kind != COMMITTEE)
        & RollCall.bill.has(Bill.session_id == session.id)
    )
    roll_calls = _count(select(func.count()).select_from(RollCall).where(in_session))
    member_level = _count(
        select(func.count(distinct(MemberVote.roll_call_id)))
        .join(RollCall, MemberVote.roll_call_id == RollCall.id)
        .where(in_session, MemberVote.option.in_([vocab.YES, vocab.NO]))
    )
    verified = _count(
        select(func.count()).select_from(RollCall).where(in_session, RollCall.verified.is_(True))
    )
    unmatched = _count(
        select(func.count(distinct(MemberVote.printed_name)))
        .join(RollCall, MemberVote.roll_call_id == RollCall.id)
        .where(in_session, MemberVote.person_id.is_(None))
    )
    rolls = (JournalRoll.chamber == chamber) & (JournalRoll.session_id == session.id)
    roll_entries = _count(
        select(func.count()).select_from(JournalRollEntry).join(JournalRoll).where(rolls)
    )
    unresolved = _count(
        select(func.count())
        .select_from(JournalRollEntry)
        .join(JournalRoll)
        .where(rolls, JournalRollEntry.person_id.is_(None))
    )
    journal_days = _count(select(func.count()).select_from(JournalRoll).where(rolls))
    vote_days = set(db.session.scalars(select(RollCall.date).where(in_session).distinct()))
    read_days = set(
        db.session.scalars(
            select(JournalRoll.day).where(
                JournalRoll.chamber == chamber, JournalRoll.day.in_(sorted(vote_days))
            )
        )
    )
    open_items = _count(
        select(func.count())
        .select_from(DataQualityItem)
        .join(RollCall, DataQualityItem.roll_call_id == RollCall.id)
        .where(DataQualityItem.status == "open", in_session)
    )
    return ChamberFidelity(
        chamber=chamber,
        roll_calls=roll_calls,
        member_level=member_level,
        verified=verified,
        unmatched_names=unmatched,
        unresolved_roll_entries=unresolved,
        roll_entries=roll_entries,
        journal_days=journal_days,
        days_without_roll=len(vote_days - read_days),
        open_items=open_items,
        missing_days=tuple(sorted(vote_days - read_days)),
    )


def session_fidelity(session: LegislativeSession) -> SessionFidelity:
    return SessionFidelity(session, tuple(chamber_fidelity(session, c) for c in vocab.CHAMBERS))


def report(identifier: str | None = None) -> list[SessionFidelity]:
    """Every session (newest first), or the one with ``identifier`` (ValueError if unknown)."""
    query = select(LegislativeSession).order_by(
        LegislativeSession.year.desc(), LegislativeSession.special_number
    )
    if identifier is not None:
        query = query.where(LegislativeSession.identifier == identifier)
    sessions = list(db.session.scalars(query))
    if identifier is not None and not sessions:
        raise ValueError(f"unknown session {identifier!r}")
    return [session_fidelity(s) for s in sessions]


def frozen(sessions: list[LegislativeSession], chambers: list[str]) -> dict[str, Any]:
    """The figures a published scorecard version keeps: per session and chamber, roll
    calls found and verified (``methodology["fidelity"]``)."""
    out: dict[str, Any] = {}
    for session in sessions:
        out[session.identifier] = {}
        for chamber in chambers:
            c = chamber_fidelity(session, chamber)
            out[session.identifier][chamber] = {
                "roll_calls": c.roll_calls,
                "member_level": c.member_level,
                "verified": c.verified,
            }
    return out


def in_session(
    item: DataQualityItem, session: LegislativeSession, chamber: str | None = None
) -> bool:
    """Whether a data-quality item concerns ``session`` (and ``chamber``): through its
    roll call or bill, the session it names, or the day it names."""
    details = item.details or {}
    roll_call, bill = item.roll_call, item.bill
    item_chamber = details.get("chamber") or (roll_call.chamber if roll_call else None)
    if chamber is not None and item_chamber not in (None, chamber):
        return False
    if roll_call is not None:
        return bool(roll_call.bill.session_id == session.id)
    if bill is not None:
        return bool(bill.session_id == session.id)
    if details.get("session_id") is not None:
        return bool(details["session_id"] == session.id)
    day = details.get("date")
    if day and session.start_date and session.end_date:
        return session.start_date.isoformat() <= str(day) <= session.end_date.isoformat()
    return False


def percent(share: Fraction | None) -> str:
    return "n/a" if share is None else f"{float(share) * 100:.1f}%"


def lines(reports: list[SessionFidelity]) -> list[str]:
    """The report as text (``tracker quality report``)."""
    out = [
        f"{'session':12} {'chamber':7} {'roll calls':>10} {'member':>7} {'verified':>14} "
        f"{'unmatched':>9} {'roll names':>10} {'resolved':>9} {'days w/o roll':>13}"
    ]
    for item in reports:
        for c in item.chambers:
            out.append(
                f"{item.session.identifier:12} {c.chamber:7} {c.roll_calls:>10} "
                f"{c.member_level:>7} {c.verified:>6} ({percent(c.verified_share):>6}) "
                f"{c.unmatched_names:>9} {c.roll_entries:>10} {percent(c.resolved_share):>9} "
                f"{c.days_without_roll:>13}"
            )
    return out


__all__ = [
    "ChamberFidelity",
    "SessionFidelity",
    "chamber_fidelity",
    "frozen",
    "in_session",
    "lines",
    "percent",
    "report",
    "session_fidelity",
]
