"""The data model, split by domain.  Import models from here."""

from tracker.models.accounts import ROLES, AuditEvent, User
from tracker.models.bills import Authorship, Bill, BillAction
from tracker.models.legislature import LegislativeSession, Person, PersonName, Term
from tracker.models.runs import RUN_STATUSES, ScrapeError, ScrapeRun
from tracker.models.votes import MemberVote, RollCall

__all__ = [
    "ROLES",
    "RUN_STATUSES",
    "AuditEvent",
    "Authorship",
    "Bill",
    "BillAction",
    "LegislativeSession",
    "MemberVote",
    "Person",
    "PersonName",
    "RollCall",
    "ScrapeError",
    "ScrapeRun",
    "Term",
    "User",
]
