"""Changes to sessions that people make (the rest comes from the scrapers)."""

from __future__ import annotations

import re

from tracker.audit import record
from tracker.models import LegislativeSession, User


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
    record(actor, "session.set_house_key", row, before={"house_vote_key": before},
           after={"house_vote_key": key})
    return True
