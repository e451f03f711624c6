"""The data model, split by domain.  Import models from here."""

from tracker.models.accounts import ROLES, AuditEvent, User
from tracker.models.bills import Authorship, Bill, BillAction
from tracker.models.committees import (
    Committee,
    CommitteeMembership,
    Hearing,
    HearingBill,
    HearingChange,
    HearingDocument,
)
from tracker.models.districts import DistrictShape
from tracker.models.follows import (
    Follow,
    FollowBillStatus,
    FollowDigest,
    FollowEvent,
    FollowState,
)
from tracker.models.legislature import LegislativeSession, Person, PersonName, Term, TermEvidence
from tracker.models.pressure import (
    ActionTally,
    Alert,
    AlertTarget,
    OutboxMessage,
    Subscriber,
    TallyReceipt,
)
from tracker.models.roster import (
    BackfillStep,
    JournalRoll,
    JournalRollEntry,
    RosterConfirmation,
)
from tracker.models.runs import RUN_STATUSES, DataVersion, ScrapeError, ScrapeRun
from tracker.models.scheduling import JOB_REQUEST_STATUSES, JobRequest, SchedulerLease
from tracker.models.scorecards import (
    ABSENCE_POLICIES,
    POSITIONS,
    BillPosition,
    DataQualityItem,
    FeaturedScorecard,
    FrozenMemberVote,
    FrozenVote,
    LegislatorScoreRow,
    Scorecard,
    ScorecardSession,
    ScorecardVersion,
    ScorecardVote,
)
from tracker.models.votes import ChamberSessionData, MemberVote, NameMapping, RollCall

__all__ = [
    "ActionTally",
    "Alert",
    "AlertTarget",
    "OutboxMessage",
    "Subscriber",
    "TallyReceipt",
    "ABSENCE_POLICIES",
    "POSITIONS",
    "BillPosition",
    "DataQualityItem",
    "DistrictShape",
    "Follow",
    "FollowBillStatus",
    "FollowDigest",
    "FollowEvent",
    "FollowState",
    "FeaturedScorecard",
    "FrozenMemberVote",
    "FrozenVote",
    "LegislatorScoreRow",
    "Scorecard",
    "ScorecardSession",
    "ScorecardVersion",
    "ScorecardVote",
    "JOB_REQUEST_STATUSES",
    "ROLES",
    "RUN_STATUSES",
    "AuditEvent",
    "Authorship",
    "Bill",
    "BillAction",
    "Committee",
    "CommitteeMembership",
    "Hearing",
    "HearingBill",
    "HearingChange",
    "HearingDocument",
    "JobRequest",
    "LegislativeSession",
    "ChamberSessionData",
    "MemberVote",
    "NameMapping",
    "Person",
    "PersonName",
    "RollCall",
    "ScrapeError",
    "DataVersion",
    "ScrapeRun",
    "SchedulerLease",
    "Term",
    "TermEvidence",
    "BackfillStep",
    "JournalRoll",
    "JournalRollEntry",
    "RosterConfirmation",
    "User",
]
