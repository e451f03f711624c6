"""What each event says to each kind of follower: the one place an event becomes
words, for emails and feeds alike.

:func:`audiences` takes a batch of events and returns, per event, the target keys
it reaches (:mod:`tracker.follows.targets`) and the :class:`Line` each is told:

* a bill's status change, a new or moved hearing with it on the agenda, a
  verified roll call on it (floor or committee): the bill's followers and its
  companion's;
* a verified roll call on a bill the organization has a published position on
  (or whose companion has one): every member who voted, "Rep. Ada Invented voted
  no on HF 18; our position: support.";
* a newly published scorecard version: every legislator it scores, with the score;
* a newly published action alert: every legislator it targets;

and each legislator's line reaches their district's followers as well, by the seat
they held on the day of the event (the seat rule, :mod:`tracker.seats`).  Links
are absolute (call inside :func:`tracker.alerts.public_urls`).  The words are in
the language being rendered (:func:`tracker.i18n.speaking`: an email in its
subscriber's language; a feed in the page's).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import gettext, pgettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from scrapers.vocab import BILL_STATUS_NAMES, HOUSE
from tracker import i18n, seats
from tracker.alerts.common import external
from tracker.alerts.placeholders import position_text
from tracker.extensions import db
from tracker.follows.targets import bill_key, person_key, seat_keys
from tracker.i18n import N_
from tracker.models import (
    Alert,
    Bill,
    BillAction,
    BillPosition,
    Committee,
    Hearing,
    HearingChange,
    LegislatorScoreRow,
    MemberVote,
    Person,
    RollCall,
    ScorecardVersion,
)
from tracker.models.follows import FollowEvent
from tracker.scoring import display_score
from tracker.snapshots import score_of

# How a legislator voted, as a whole sentence ("Rep. Ada Invented voted no on HF 18")
OPTION_WORDS = {
    "yes": N_("%(who)s voted yes on %(bill)s"),
    "no": N_("%(who)s voted no on %(bill)s"),
    "not_voting": N_("%(who)s did not vote on %(bill)s"),
    "excused": N_("%(who)s was excused from the vote on %(bill)s"),
}
# A hearing's news by the kind of change: (the subject's words, the text's sentence)
HEARING_NEWS = {
    "cancelled": (
        N_("%(bill)s hearing was cancelled: %(where)s"),
        N_("The %(where)s hearing with %(bill)s on the agenda was cancelled: %(when)s."),
    ),
    "reinstated": (
        N_("%(bill)s hearing is on again: %(where)s"),
        N_("The %(where)s hearing with %(bill)s on the agenda is on again: %(when)s."),
    ),
    "missing": (
        N_("%(bill)s hearing is no longer on the schedule: %(where)s"),
        N_(
            "The %(where)s hearing with %(bill)s on the agenda is no longer on the "
            "schedule (it may have moved to another day): %(when)s."
        ),
    ),
    "back": (
        N_("%(bill)s hearing is back on the schedule: %(where)s"),
        N_("The %(where)s hearing with %(bill)s on the agenda is back on the schedule: %(when)s."),
    ),
    "moved": (
        N_("%(bill)s hearing moved: %(where)s"),
        N_("The %(where)s hearing with %(bill)s on the agenda moved: %(when)s."),
    ),
}


@dataclass(frozen=True)
class Line:
    """One event told to one kind of follower."""

    subject: str  # short: an email subject
    text: str  # one paragraph
    link: str  # absolute URL of the page to read more
    about: str  # what it is about (a bill, a legislator): how digests group lines


def title_of(chamber: str) -> str:
    return gettext("Rep.") if chamber == HOUSE else gettext("Sen.")


def _sentence(text: str) -> str:
    """``text`` with a capital first letter (a language may begin it with a word that
    is lower case in the middle of a sentence)."""
    return text[:1].upper() + text[1:]


def _result(rc: RollCall) -> str:
    """``passed, 70–60`` (the outcome in the language being rendered)."""
    tally = f"{rc.yeas}–{rc.nays}"
    return f"{i18n.outcome_word(rc.outcome).lower()}, {tally}" if rc.outcome else tally


def _short(text: str, limit: int = 90) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _when(hearing: Hearing) -> str:
    if hearing.starts_at is not None:
        when = i18n.local_time(hearing.starts_at)
    else:
        when = gettext("%(day)s (no time posted yet)", day=i18n.local_day(hearing.date))
    return when + (f", {hearing.room}" if hearing.room else "")


class _Batch:
    """Everything the events of one batch mention, read in a fixed number of queries."""

    def __init__(self, events: Sequence[FollowEvent], people_wanted: set[int] | None) -> None:
        self.people_wanted = people_wanted
        rc_ids = {e.roll_call_id for e in events if e.roll_call_id}
        self.roll_calls = (
            {
                rc.id: rc
                for rc in db.session.scalars(select(RollCall).where(RollCall.id.in_(rc_ids)))
            }
            if rc_ids
            else {}
        )
        bill_ids = {e.bill_id for e in events if e.bill_id} | {
            rc.bill_id for rc in self.roll_calls.values()
        }
        self.bills = (
            {
                b.id: b
                for b in db.session.scalars(
                    select(Bill)
                    .where(Bill.id.in_(bill_ids))
                    .options(selectinload(Bill.session), selectinload(Bill.companion))
                )
            }
            if bill_ids
            else {}
        )
        related = set(self.bills) | {b.companion_id for b in self.bills.values() if b.companion_id}
        self.positions = (
            dict(
                db.session.execute(
                    select(BillPosition.bill_id, BillPosition.published_position).where(
                        BillPosition.bill_id.in_(related),
                        BillPosition.published_position.in_(("support", "oppose")),
                    )
                ).all()
            )
            if related
            else {}
        )
        committee_ids = {rc.committee_id for rc in self.roll_calls.values() if rc.committee_id}
        self.committees = (
            dict(
                db.session.execute(
                    select(Committee.id, Committee.name).where(Committee.id.in_(committee_ids))
                ).all()
            )
            if committee_ids
            else {}
        )
        self.votes: dict[int, list[tuple[int, str]]] = defaultdict(list)
        voted = [rc.id for rc in self.roll_calls.values() if self._position(rc.bill_id)]
        if voted:
            query = select(MemberVote.roll_call_id, MemberVote.person_id, MemberVote.option).where(
                MemberVote.roll_call_id.in_(voted), MemberVote.person_id.is_not(None)
            )
            if people_wanted is not None:
                query = query.where(MemberVote.person_id.in_(people_wanted))
            for rc_id, person_id, option in db.session.execute(query):
                if person_id is not None:
                    self.votes[rc_id].append((person_id, option))
        hearing_ids = {e.hearing_id for e in events if e.hearing_id}
        self.hearings = (
            {
                h.id: h
                for h in db.session.scalars(
                    select(Hearing)
                    .where(Hearing.id.in_(hearing_ids))
                    .options(selectinload(Hearing.committee))
                )
            }
            if hearing_ids
            else {}
        )
        change_ids = {e.hearing_change_id for e in events if e.hearing_change_id}
        self.changes = (
            {
                c.id: c
                for c in db.session.scalars(
                    select(HearingChange).where(HearingChange.id.in_(change_ids))
                )
            }
            if change_ids
            else {}
        )
        version_ids = {e.version_id for e in events if e.version_id}
        self.versions = (
            {
                v.id: v
                for v in db.session.scalars(
                    select(ScorecardVersion)
                    .where(ScorecardVersion.id.in_(version_ids))
                    .options(selectinload(ScorecardVersion.scorecard))
                )
            }
            if version_ids
            else {}
        )
        self.scores: dict[int, list[LegislatorScoreRow]] = defaultdict(list)
        for version in self.versions.values():
            rows = select(LegislatorScoreRow).where(
                LegislatorScoreRow.scorecard_id == version.scorecard_id,
                LegislatorScoreRow.version_number == version.number,
            )
            if people_wanted is not None:
                rows = rows.where(LegislatorScoreRow.person_id.in_(people_wanted))
            self.scores[version.id] = list(db.session.scalars(rows))
        alert_ids = {e.alert_id for e in events if e.alert_id}
        self.alerts = (
            {
                a.id: a
                for a in db.session.scalars(
                    select(Alert)
                    .where(Alert.id.in_(alert_ids))
                    .options(
                        selectinload(Alert.targets),
                        selectinload(Alert.bill).selectinload(Bill.session),
                    )
                )
            }
            if alert_ids
            else {}
        )
        person_ids = {p for rows in self.votes.values() for p, _ in rows}
        person_ids |= {r.person_id for rows in self.scores.values() for r in rows}
        person_ids |= {t.person_id for a in self.alerts.values() for t in a.targets}
        self.people = (
            {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(person_ids)))}
            if person_ids
            else {}
        )
        self._seats: dict[tuple[str, dt.date], dict[int, str]] = {}
        self._actions: dict[int, BillAction | None] = {}
        status_bills = [e.bill_id for e in events if e.kind == "status" and e.bill_id]
        if status_bills:
            for action in db.session.scalars(
                select(BillAction)
                .where(
                    BillAction.bill_id.in_(status_bills),
                    BillAction.date.is_not(None),
                    BillAction.missing_from_source.is_(False),
                )
                .order_by(BillAction.date.desc(), BillAction.id.desc())
            ):
                self._actions.setdefault(action.bill_id, action)

    def _position(self, bill_id: int) -> str | None:
        """The published position on the bill, else on its companion."""
        bill = self.bills.get(bill_id)
        if bill is None:
            return None
        return self.positions.get(bill_id) or (
            self.positions.get(bill.companion_id) if bill.companion_id else None
        )

    def seat_district(self, person_id: int, chamber: str, day: dt.date) -> str | None:
        key = (chamber, day)
        if key not in self._seats:
            self._seats[key] = {
                term.person_id: district
                for district, term in seats.holders_by_district(chamber, day).items()
            }
        return self._seats[key].get(person_id)

    def latest_action(self, bill_id: int) -> BillAction | None:
        return self._actions.get(bill_id)


def _bill_link(bill: Bill) -> str:
    return external("public.bill", session=bill.session.identifier, bill=bill.key)


def _person_link(person: Person) -> str:
    return external("public.legislator", public_id=person.public_id)


def _bill_lines(
    batch: _Batch, event: FollowEvent, bill: Bill, subject: str, text: str, link: str
) -> dict[str, Line]:
    """The line for the bill's followers, and for its companion's (saying so)."""
    about = f"{bill.label} ({bill.session.identifier})"
    found = {bill_key(bill.id): Line(subject, text, link, about)}
    companion = bill.companion
    if companion is not None:
        found[bill_key(companion.id)] = Line(
            subject,
            gettext(
                "%(text)s (%(bill)s is the companion of %(companion)s.)",
                text=text,
                bill=bill.label,
                companion=companion.label,
            ),
            link,
            f"{companion.label} ({bill.session.identifier})",
        )
    return found


def _status(batch: _Batch, event: FollowEvent) -> dict[str, Line]:
    bill = batch.bills.get(event.bill_id or 0)
    if bill is None:
        return {}
    details = event.details or {}
    after = i18n.word(BILL_STATUS_NAMES.get(details.get("after", ""), details.get("after", "")))
    before = i18n.word(BILL_STATUS_NAMES.get(details.get("before", ""), details.get("before", "")))
    action = batch.latest_action(bill.id)
    text = gettext(
        "%(bill)s (%(title)s) is now: %(status)s (it was: %(before)s).",
        bill=bill.label,
        title=_short(bill.title),
        status=after,
        before=before,
    )
    if action is not None and action.date is not None:
        text += " " + gettext(
            "Latest action, %(day)s: %(action)s.",
            day=i18n.local_day(action.date),
            action=_short(action.text, 160),
        )
    return _bill_lines(batch, event, bill, f"{bill.label}: {after}", text, _bill_link(bill))


def _hearing(batch: _Batch, event: FollowEvent) -> dict[str, Line]:
    bill = batch.bills.get(event.bill_id or 0)
    hearing = batch.hearings.get(event.hearing_id or 0)
    if bill is None or hearing is None:
        return {}
    committee = hearing.committee.name if hearing.committee else hearing.committee_name
    where = _committee_of(hearing.chamber, committee)
    when = _when(hearing)
    if event.kind == "hearing":
        subject = gettext(
            "%(bill)s hearing: %(where)s, %(day)s",
            bill=bill.label,
            where=where,
            day=i18n.local_day(hearing.date),
        )
        text = gettext(
            "%(bill)s is on the agenda of the %(where)s hearing: %(when)s.",
            bill=bill.label,
            where=where,
            when=when,
        )
    else:
        change = batch.changes.get(event.hearing_change_id or 0)
        kind = change.kind if change is not None else "moved"
        said, sentence = HEARING_NEWS.get(kind, HEARING_NEWS["moved"])
        subject = gettext(said, bill=bill.label, where=where)
        text = _sentence(gettext(sentence, bill=bill.label, where=where, when=when))
    link = (
        external("public.committee_page", public_id=hearing.committee.public_id)
        if hearing.committee
        else _bill_link(bill)
    )
    return _bill_lines(batch, event, bill, subject, text, link)


def _committee_of(chamber: str, committee: str) -> str:
    """``House Taxes``: a committee of a chamber (a hearing's)."""
    if chamber == HOUSE:
        return gettext("House %(committee)s", committee=committee)
    return gettext("Senate %(committee)s", committee=committee)


def _where(batch: _Batch, rc: RollCall) -> str:
    """``House floor vote``, ``Senate Taxes committee vote``."""
    house = rc.chamber == HOUSE
    if rc.kind == "committee":
        name = batch.committees.get(rc.committee_id or 0)
        if name is None:
            return gettext("House committee vote") if house else gettext("Senate committee vote")
        return (
            gettext("House %(committee)s committee vote", committee=name)
            if house
            else gettext("Senate %(committee)s committee vote", committee=name)
        )
    return gettext("House floor vote") if house else gettext("Senate floor vote")


def _our_position(position: str) -> str:
    """The organization's published position, as "our position: support" says it."""
    if position == "oppose":
        return pgettext("our position", "oppose")
    return pgettext("our position", "support")


def _roll_call(batch: _Batch, event: FollowEvent) -> dict[str, Line]:
    rc = batch.roll_calls.get(event.roll_call_id or 0)
    if rc is None:
        return {}
    bill = batch.bills[rc.bill_id]
    where = _where(batch, rc)
    result = _result(rc)
    day = i18n.local_day(rc.date)
    link = external("public.roll_call", public_id=rc.public_id)  # its names, its source
    found = _bill_lines(
        batch,
        event,
        bill,
        gettext("%(bill)s: %(vote)s, %(result)s", bill=bill.label, vote=where, result=result),
        _sentence(
            gettext(
                "%(vote)s on %(bill)s (%(motion)s), %(day)s: %(result)s.",
                vote=where,
                bill=bill.label,
                motion=_short(rc.motion, 120),
                day=day,
                result=result,
            )
        ),
        link,
    )
    position = batch._position(bill.id)
    if position is None:
        return found
    for person_id, option in batch.votes.get(rc.id, []):
        person = batch.people.get(person_id)
        if person is None or option not in OPTION_WORDS:
            continue
        who = f"{title_of(rc.chamber)} {person.name}"
        voted = gettext(OPTION_WORDS[option], who=who, bill=bill.label)
        line = Line(
            voted,
            gettext(
                "%(voted)s; our position: %(position)s. (%(vote)s, %(motion)s, "
                "%(day)s: %(result)s.)",
                voted=voted,
                position=_our_position(position),
                vote=where,
                motion=_short(rc.motion, 120),
                day=day,
                result=result,
            ),
            link,
            person.name,
        )
        _person_lines(batch, found, person_id, rc.chamber, rc.date, line)
    return found


def _person_lines(
    batch: _Batch,
    found: dict[str, Line],
    person_id: int,
    chamber: str,
    day: dt.date,
    line: Line,
    district: str | None = None,
) -> None:
    found[person_key(person_id)] = line
    district = district or batch.seat_district(person_id, chamber, day)
    for key in seat_keys(chamber, district) if district else []:
        found[key] = line


def _score(batch: _Batch, event: FollowEvent) -> dict[str, Line]:
    version = batch.versions.get(event.version_id or 0)
    if version is None:
        return {}
    found: dict[str, Line] = {}
    link = external("public.scorecard", public_id=version.scorecard.public_id)
    for row in batch.scores.get(version.id, []):
        person = batch.people.get(row.person_id)
        if person is None:
            continue
        who = f"{title_of(row.chamber)} {person.name}"
        score = display_score(score_of(row))
        if score is None:
            value = gettext("no score (too few of the scored votes counted)")
        elif row.grade:
            value = gettext(
                "%(score)s (grade %(grade)s)", score=i18n.format_number(score), grade=row.grade
            )
        else:
            value = i18n.format_number(score)
        line = Line(
            gettext(
                "%(who)s: %(score)s on %(scorecard)s",
                who=who,
                score=value,
                scorecard=_short(version.title, 60),
            ),
            gettext(
                "%(who)s's score on “%(scorecard)s” (version %(version)s, "
                "published %(day)s): %(score)s.",
                who=who,
                scorecard=version.title,
                version=version.number,
                day=i18n.local_day(version.published_at),
                score=value,
            ),
            link,
            person.name,
        )
        _person_lines(
            batch, found, row.person_id, row.chamber, event.happened_on, line, row.district
        )
    return found


def _alert(batch: _Batch, event: FollowEvent) -> dict[str, Line]:
    alert = batch.alerts.get(event.alert_id or 0)
    if alert is None:
        return {}
    found: dict[str, Line] = {}
    for target in alert.targets:
        person = batch.people.get(target.person_id)
        if person is None:
            continue
        who = f"{title_of(target.chamber)} {person.name}"
        title = i18n.localized(alert, "title")
        deadline = (
            " " + gettext("Deadline: %(when)s.", when=i18n.local_time(alert.deadline))
            if alert.deadline
            else ""
        )
        line = Line(
            gettext("Action alert: %(title)s", title=_short(title, 80)),
            gettext(
                "Action alert “%(title)s”: we ask %(who)s to %(ask)s on %(bill)s.",
                title=title,
                who=who,
                ask=position_text(alert),
                bill=alert.bill.label,
            )
            + deadline,
            external("public.alert_page", public_id=alert.public_id)
            + f"?district={target.district}",
            person.name,
        )
        _person_lines(
            batch, found, target.person_id, target.chamber, event.happened_on, line, target.district
        )
    return found


_KINDS = {
    "status": _status,
    "hearing": _hearing,
    "hearing_change": _hearing,
    "roll_call": _roll_call,
    "score": _score,
    "alert": _alert,
}


def audiences(
    events: Sequence[FollowEvent], *, people: Iterable[int] | None = None
) -> dict[int, dict[str, Line]]:
    """Per event id: each target key it reaches and what that follower is told
    (module docstring).  ``people`` limits the legislators' lines to those people
    (a legislator's feed); all of them by default."""
    batch = _Batch(events, set(people) if people is not None else None)
    return {event.id: _KINDS[event.kind](batch, event) for event in events}


__all__ = ["OPTION_WORDS", "Line", "audiences", "title_of"]
