"""What to ask one legislator about one bill: the one rule for alert pages and
emails, call scripts and the legislator page.

* **The file in their chamber.**  Minnesota bills travel in pairs: a senator is
  asked about the Senate file, a representative about the House file.  A bill
  of the other chamber is asked about through its companion; without one, the
  bill itself (it reaches the other chamber under its own number).
* **Where it stands there.**  Once their chamber has a verified passage vote on
  the bill (or its companion), they are not asked to vote again: the ask
  becomes a thank-you when they voted the way we asked, and otherwise a word
  that we saw their vote.  Until then the ask is the alert's ("vote YES on SF
  18").
* **In committee.**  A committee alert asks the committee's members about the
  committee's vote ("vote YES on SF 18 in the Taxes committee"); once that
  committee has a verified roll call on the bill's own motion (not an
  amendment's, from its minutes), the same thank-you or word that we saw it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import select

from tracker.extensions import db
from tracker.i18n import N_, local_day, word
from tracker.methodology import VOTE_LABELS
from tracker.models import Bill, Committee, MemberVote, RollCall
from tracker.models.votes import COMMITTEE

ASK_WORDS = {
    "yes": N_("vote YES"),
    "no": N_("vote NO"),
    "support": N_("support"),
    "oppose": N_("oppose"),
}
CHAMBER_OF_TYPE = {"H": "house", "S": "senate"}


@dataclass(frozen=True)
class Ask:
    """What to ask one legislator (module docstring)."""

    bill: Bill  # the file in their chamber
    label: str  # "SF 18"
    wanted: str  # "yes" / "no" (an alert) or "support" / "oppose" (a position)
    vote: RollCall | None = None  # their chamber's verified passage vote, once held
    their_vote: str | None = None  # yes, no, not_voting, excused (None: not recorded)
    committee: str | None = None  # the committee's name: asked about its vote

    @property
    def where(self) -> str:
        """Where the vote is: "" on the floor, " in the Taxes committee"."""
        return (
            gettext(" in the %(committee)s committee", committee=self.committee)
            if self.committee
            else ""
        )

    @property
    def voted(self) -> bool:
        return self.vote is not None

    @property
    def as_asked(self) -> bool | None:
        """Whether they voted the way we ask (None: they cast no yes or no)."""
        if self.their_vote not in ("yes", "no"):
            return None
        wanted = {"support": "yes", "oppose": "no"}.get(self.wanted, self.wanted)
        return self.their_vote == wanted

    @property
    def text(self) -> str:
        """The ask as words that follow "ask them to": "vote YES on SF 18", or after
        their chamber's vote "thank them for voting YES on SF 18 on May 9, 2026"."""
        # Whole sentences, one per case, so that each language words them its own way.
        values = {"bill": self.label, "committee": self.committee}
        if self.vote is None:
            return gettext(ASKS[(self.wanted, bool(self.committee))], **values)
        values["day"] = local_day(self.vote.date)
        if self.as_asked and self.their_vote is not None:  # as_asked: they voted yes or no
            return gettext(THANKS[(self.their_vote, bool(self.committee))], **values)
        values["vote"] = word(
            VOTE_LABELS.get(self.their_vote or "", N_("no recorded vote"))
        ).lower()
        return gettext(SAW[(self.wanted, bool(self.committee))], **values)


# Ask.text's sentences, by (what we want, asked about a committee's vote)
ASKS = {
    ("yes", False): N_("vote YES on %(bill)s"),
    ("no", False): N_("vote NO on %(bill)s"),
    ("support", False): N_("support %(bill)s"),
    ("oppose", False): N_("oppose %(bill)s"),
    ("yes", True): N_("vote YES on %(bill)s in the %(committee)s committee"),
    ("no", True): N_("vote NO on %(bill)s in the %(committee)s committee"),
    ("support", True): N_("support %(bill)s in the %(committee)s committee"),
    ("oppose", True): N_("oppose %(bill)s in the %(committee)s committee"),
}
THANKS = {  # by (their vote, committee)
    ("yes", False): N_("thank them for voting YES on %(bill)s on %(day)s"),
    ("no", False): N_("thank them for voting NO on %(bill)s on %(day)s"),
    ("yes", True): N_(
        "thank them for voting YES on %(bill)s in the %(committee)s committee on %(day)s"
    ),
    ("no", True): N_(
        "thank them for voting NO on %(bill)s in the %(committee)s committee on %(day)s"
    ),
}
SAW = {  # by (what we want, committee)
    ("yes", False): N_(
        "tell them you saw their vote on %(bill)s on %(day)s (%(vote)s), and "
        "ask them to vote YES when it comes back to them"
    ),
    ("no", False): N_(
        "tell them you saw their vote on %(bill)s on %(day)s (%(vote)s), and "
        "ask them to vote NO when it comes back to them"
    ),
    ("support", False): N_(
        "tell them you saw their vote on %(bill)s on %(day)s (%(vote)s), "
        "and ask them to support when it comes back to them"
    ),
    ("oppose", False): N_(
        "tell them you saw their vote on %(bill)s on %(day)s (%(vote)s), "
        "and ask them to oppose when it comes back to them"
    ),
    ("yes", True): N_(
        "tell them you saw their vote on %(bill)s in the %(committee)s "
        "committee on %(day)s (%(vote)s), and ask them to vote YES when it "
        "reaches the floor"
    ),
    ("no", True): N_(
        "tell them you saw their vote on %(bill)s in the %(committee)s "
        "committee on %(day)s (%(vote)s), and ask them to vote NO when it "
        "reaches the floor"
    ),
    ("support", True): N_(
        "tell them you saw their vote on %(bill)s in the %(committee)s "
        "committee on %(day)s (%(vote)s), and ask them to support when "
        "it reaches the floor"
    ),
    ("oppose", True): N_(
        "tell them you saw their vote on %(bill)s in the %(committee)s "
        "committee on %(day)s (%(vote)s), and ask them to oppose when it "
        "reaches the floor"
    ),
}


def chamber_of(bill: Bill) -> str:
    return CHAMBER_OF_TYPE[bill.bill_type[0]]


def file_in_chamber(bill: Bill, chamber: str) -> Bill:
    """The bill a member of ``chamber`` votes on: the bill itself when it is that
    chamber's, else its companion when it has one, else the bill itself."""
    if chamber_of(bill) == chamber or bill.companion is None:
        return bill
    return bill.companion


def asks_for(
    wanted: Sequence[tuple[Bill, str]],
    person_id: int,
    chamber: str,
    on: dt.date | None = None,
    committee: Committee | None = None,
) -> list[Ask]:
    """What to ask the member ``person_id`` of ``chamber`` about each (bill, what we
    want) of ``wanted``, as of ``on`` (today by default): two queries in all.  With a
    ``committee``, about that committee's vote (module docstring)."""
    related = {
        b.id
        for bill, _ in wanted
        for b in (bill, file_in_chamber(bill, chamber), bill.companion)
        if b is not None
    }
    stage = (
        (RollCall.kind == "passage",)
        if committee is None
        else (
            RollCall.kind == COMMITTEE,
            RollCall.committee_id == committee.id,
            RollCall.amendment_id == "",
        )
    )
    votes: dict[int, list[RollCall]] = {}
    for rc in db.session.scalars(
        select(RollCall)
        .where(
            RollCall.bill_id.in_(sorted(related)),
            RollCall.chamber == chamber,
            *stage,
            RollCall.verified.is_(True),
        )
        .order_by(RollCall.date.desc(), RollCall.id.desc())
    ):
        if on is None or rc.date <= on:
            votes.setdefault(rc.bill_id, []).append(rc)
    chosen: list[RollCall | None] = []
    for bill, _ in wanted:
        ids = {b.id for b in (bill, file_in_chamber(bill, chamber), bill.companion) if b}
        found = [rc for i in ids for rc in votes.get(i, [])]
        chosen.append(max(found, key=lambda rc: (rc.date, rc.id)) if found else None)
    options = (
        dict(
            db.session.execute(
                select(MemberVote.roll_call_id, MemberVote.option).where(
                    MemberVote.roll_call_id.in_([rc.id for rc in chosen if rc is not None]),
                    MemberVote.person_id == person_id,
                )
            ).all()
        )
        if any(chosen)
        else {}
    )
    out = []
    for (bill, want), vote in zip(wanted, chosen, strict=True):
        mine = file_in_chamber(bill, chamber)
        out.append(
            Ask(
                bill=mine,
                label=mine.label,
                wanted=want,
                vote=vote,
                their_vote=options.get(vote.id) if vote is not None else None,
                committee=committee.name if committee is not None else None,
            )
        )
    return out


def ask_for(
    bill: Bill,
    wanted: str,
    person_id: int,
    chamber: str,
    on: dt.date | None = None,
    committee: Committee | None = None,
) -> Ask:
    """What to ask the member ``person_id`` of ``chamber`` about ``bill`` (and its
    companion), as of ``on`` (today by default); with a ``committee``, about its vote."""
    return asks_for([(bill, wanted)], person_id, chamber, on, committee)[0]


__all__ = ["ASK_WORDS", "Ask", "ask_for", "asks_for", "chamber_of", "file_in_chamber"]
