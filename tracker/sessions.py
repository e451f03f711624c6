"""Sessions: finding the one a command means, creating it from the known table,
and the changes people make (the rest comes from the scrapers)."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from scrapers import vocab
from scrapers.parsing import normalize_bill_id
from scrapers.sessions import KNOWN_SESSIONS, known_session
from tracker import ingest, localtime
from tracker.audit import record
from tracker.extensions import db
from tracker.models import LegislativeSession, User

SESSION_ID = re.compile(r"^\d{4}(?:-\d{4}|s\d+)$")


class SessionError(ValueError):
    pass


def set_house_key(row: LegislativeSession, key: str, *, actor: User | str) -> bool:
    """Set the House vote-system SessionKey (audited).  Returns whether it changed."""
    key = key.strip()
    if not re.fullmatch(r"\d{1,10}", key):
        raise SessionError("the House SessionKey is a number, e.g. 302")
    before = row.house_vote_key
    if before == key:
        return False
    row.house_vote_key = key
    record(
        actor,
        "session.set_house_key",
        row,
        before={"house_vote_key": before},
        after={"house_vote_key": key},
    )
    return True


def ensure_session(identifier: str) -> LegislativeSession:
    """The stored session, created from the known table when missing.  ValueError when
    the identifier is neither stored nor known."""
    row = ingest.find_session(identifier)
    if row is not None:
        return row
    try:
        record = known_session(identifier)
    except KeyError:
        raise ValueError(
            f"unknown session {identifier!r}: run `tracker scrape sessions` first"
        ) from None
    ingest.upsert_sessions([record])
    db.session.commit()
    row = ingest.find_session(identifier)
    assert row is not None
    return row


def default_session(today: dt.date | None = None) -> LegislativeSession:
    """The latest regular session that has started (the known table fills an empty
    database)."""
    today = today or localtime.today()
    if db.session.scalar(select(LegislativeSession.id).limit(1)) is None:
        ingest.upsert_sessions(KNOWN_SESSIONS)
        db.session.commit()
    rows = db.session.scalars(
        select(LegislativeSession)
        .where(LegislativeSession.special_number == 0)
        .order_by(LegislativeSession.year.desc())
    ).all()
    for row in rows:
        if row.start_date is not None and row.start_date <= today:
            return row
    for row in rows:
        if row.year <= today.year:
            return row
    raise ValueError("no regular session has started; pass --session")


def parse_bill_arg(text: str) -> tuple[str, int]:
    """``HF2136``, ``hf 2136``, ``H.F. No. 2136`` -> ("HF", 2136); ValueError otherwise."""
    bill_type, number = normalize_bill_id(text)
    if bill_type not in vocab.BILL_TYPES:
        raise ValueError(f"not a bill type: {bill_type}")
    return bill_type, number
