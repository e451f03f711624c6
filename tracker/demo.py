"""An invented legislature for trying the product offline.

Every person, district assignment, bill and vote here is invented.  Names are
built from invented surnames that belong to no Minnesota legislator in the
Open States data (a test checks this).  Demo rows are marked ``is_demo``;
``remove_demo`` takes them all out again, with everything staff attached to
them while trying the demo (``removal_plan`` lists it first, or says why it
cannot go).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from scrapers.vocab import HOUSE, NO, NOT_SEATED, NOT_VOTING, SENATE, YES
from tracker import lookup, maps
from tracker.extensions import db
from tracker.models import (
    Authorship,
    Bill,
    BillAction,
    DistrictShape,
    LegislativeSession,
    MemberVote,
    Person,
    PersonName,
    RollCall,
    Term,
)
from tracker.roster import derive
from tracker.seats import held


class DemoError(RuntimeError):
    pass


GIVEN_NAMES = (
    "Alba",
    "Bram",
    "Cleo",
    "Dorian",
    "Esme",
    "Fennick",
    "Greta",
    "Hollis",
    "Ines",
    "Jory",
    "Kestrel",
    "Linnea",
    "Marit",
    "Niall",
    "Orla",
    "Pim",
    "Quill",
    "Rosalind",
    "Soren",
    "Tamsin",
    "Ulla",
    "Vesper",
    "Wren",
    "Xavi",
    "Yara",
    "Zeno",
    "Anouk",
    "Birk",
    "Calla",
    "Dag",
    "Elowen",
    "Frey",
    "Gisli",
    "Hedda",
    "Ilse",
    "Jens",
)
# Invented surnames; accents and a shared surname exercise name matching.
FAMILY_NAMES = (
    "Amberwick",
    "Brightwater",
    "Coldbrook",
    "Dunmere",
    "Elmstrand",
    "Fallowby",
    "Greystell",
    "Hollowmere",
    "Ironvale",
    "Juniperfeld",
    "Kettleby",
    "Larkspurn",
    "Mossgaard",
    "Northwick",
    "Oakhallow",
    "Pinecrest",
    "Quarrystone",
    "Rushmoor",
    "Silverdahl",
    "Thistlewood",
    "Underhalm",
    "Vinterbrook",
    "Willowmere",
    "Yarrowby",
    "Zephyrdal",
    "Åkerlund-Vale",
    "Østergaardt",
    "Brightwater",
    "Maplewaite",
    "Nettlefield",
)

SESSIONS = (
    (
        "2023-2024",
        "0932023",
        "2023-2024 Regular Session (demo)",
        93,
        2023,
        dt.date(2023, 1, 3),
        dt.date(2024, 5, 20),
    ),
    (
        "2025-2026",
        "0942025",
        "2025-2026 Regular Session (demo)",
        94,
        2025,
        dt.date(2025, 1, 14),
        dt.date(2026, 5, 18),
    ),
)

BILL_TOPICS = (
    "paid family and medical leave; benefit amounts modified",
    "clean energy standard; utility carbon-free targets accelerated",
    "public school meals; universal free breakfast and lunch",
    "rental housing; tenant notice and repair rights expanded",
    "voting; automatic voter registration at state agencies",
    "firearms; criminal background checks on private transfers",
    "minimum wage; statewide rate indexed to inflation",
    "child care; sliding-fee assistance expanded",
    "tax; corporate minimum tax on large retailers",
    "public safety; mandatory minimum sentences for theft",
    "elections; photo identification required to vote",
    "preemption; local paid-leave ordinances prohibited",
)

HOUSE_DISTRICTS = tuple(f"{n}{side}" for n in range(1, 11) for side in "AB")
SENATE_DISTRICTS = tuple(str(n) for n in range(1, 11))


@dataclass
class _Seat:
    person: Person
    chamber: str
    district: str
    party: str
    start: dt.date
    end: dt.date | None


def database_is_empty() -> bool:
    for model in (LegislativeSession, Person, Bill):
        if db.session.scalar(select(func.count()).select_from(model)):
            return False
    return True


def demo_loaded() -> bool:
    return bool(
        db.session.scalar(
            select(func.count())
            .select_from(LegislativeSession)
            .where(LegislativeSession.is_demo.is_(True))
        )
    )


def real_data_present() -> bool:
    return bool(
        db.session.scalar(select(func.count()).select_from(Person).where(Person.is_demo.is_(False)))
        or db.session.scalar(
            select(func.count())
            .select_from(LegislativeSession)
            .where(LegislativeSession.is_demo.is_(False))
        )
    )


def refuse_if_demo(what: str) -> None:
    """Scrapes and imports of real data call this first."""
    if demo_loaded():
        raise DemoError(f"the database holds demo data; run `tracker demo --remove` before {what}")


def load_demo(
    seed: int = 20250114, *, with_scorecards: bool = True, with_alerts: bool = True
) -> str:
    """Load the demo legislature (with tagged bills and published scorecards
    unless ``with_scorecards`` is false, and a closed action alert with its
    report unless ``with_alerts`` is false); a second call changes nothing."""
    if demo_loaded():
        return "demo data already loaded; nothing changed"
    if real_data_present():
        raise DemoError("the database holds real legislative data; demo data is not mixed in")
    rng = random.Random(seed)  # noqa: S311 - invented data, not security
    seats = _people(rng)
    total_bills = total_votes = 0
    for identifier, code, name, legislature, year, start, end in SESSIONS:
        session = LegislativeSession(
            identifier=identifier,
            revisor_code=code,
            name=name,
            legislature=legislature,
            year=year,
            special_number=0,
            start_date=start,
            end_date=end,
            house_vote_key=None,
            is_demo=True,
        )
        db.session.add(session)
        db.session.flush()
        bills, votes = _bills(rng, session, seats)
        total_bills += bills
        total_votes += votes
    db.session.flush()
    if not lookup.shapes_available():  # the map needs shapes: invented ones, never Minnesota's
        maps.store_invented_shapes({(s.chamber, s.district) for s in seats})
    cards = _positions_and_scorecards() if with_scorecards else 0
    from tracker.demo_hearings import load_demo_hearings

    load_demo_hearings()  # after the scorecards: those score floor votes only
    if with_scorecards and with_alerts:
        from tracker.alerts import load_demo_alerts

        load_demo_alerts()
    people = len({id(seat.person) for seat in seats})
    return (
        f"loaded demo data: {people} invented legislators, {len(SESSIONS)} sessions, "
        f"{total_bills} bills, {total_votes} roll calls, {cards} published scorecards"
    )


RATIONALES = {
    "support": "Invented demo rationale: this bill advances economic security and "
    "democratic participation for Minnesota families.",
    "oppose": "Invented demo rationale: this bill would roll back rights and shift costs "
    "onto working families.",
}


def _positions_and_scorecards() -> int:
    """Tag the demo bills and publish one scorecard per demo session."""
    from tracker import scorecards

    sessions = db.session.scalars(
        select(LegislativeSession)
        .where(LegislativeSession.is_demo.is_(True))
        .order_by(LegislativeSession.year)
    ).all()
    published = 0
    for session in sessions:
        bills = db.session.scalars(
            select(Bill).where(Bill.session_id == session.id).order_by(Bill.id)
        ).all()
        for bill in bills:
            topic = bill.title.lower()
            position = (
                "oppose"
                if topic.startswith(("public safety", "elections; photo", "preemption"))
                else "support"
            )
            area = topic.split(";")[0]
            scorecards.set_position(
                bill, position, RATIONALES[position], [area], expected_version=None, actor="demo"
            )
            scorecards.publish_position(bill, expected_version=None, actor="demo")
        card = scorecards.create_scorecard(
            scorecards.ScorecardSettings(
                title=f"{session.year}-{session.year + 1} Legislative Scorecard (demo)",
                description="Invented demo scorecard: every legislator and vote is fictional.",
                session_ids=[session.id],
                chambers=["house", "senate"],
                absence_policy="exclude",
                min_participation_pct=50,
                grade_bands=[(90, "A"), (80, "B"), (70, "C"), (60, "D"), (0, "F")],
                show_sponsorship=True,
            ),
            actor="demo",
        )
        roll_calls = db.session.scalars(
            select(RollCall)
            .join(Bill)
            .where(Bill.session_id == session.id)
            .order_by(RollCall.date, RollCall.id)
        ).all()
        for index, roll_call in enumerate(roll_calls):
            stance = scorecards.position_for(roll_call.bill)
            support = stance is not None and stance.position == "support"
            if roll_call.kind == "amendment":
                # The demo's amendments come from the other side: voting them down is aligned.
                aligned = "no" if support else "yes"
                text = (
                    f"A {aligned} vote protected {roll_call.bill.label} from a weakening amendment."
                )
            else:
                aligned = "yes" if support else "no"
                verb = "passing" if aligned == "yes" else "stopping"
                text = f"A {aligned} vote supported {verb} {roll_call.bill.label}."
            scorecards.score_roll_call(
                card,
                roll_call,
                aligned=aligned,
                weight=2 if index == 0 else 1,
                description=text,
                actor="demo",
            )
        scorecards.publish(card, expected_version=None, note="First edition (demo).", actor="demo")
        scorecards.recompute_draft(card)
        published += 1
        newest = card
    if published:  # the current session's scorecard gives the demo's headline scores
        from tracker import headline

        headline.feature("all", newest, expected_version=None, actor="demo")
    return published


def _people(rng: random.Random) -> list[_Seat]:
    seats: list[_Seat] = []
    used: set[str] = set()
    surnames = list(FAMILY_NAMES)

    def invent(
        chamber: str, district: str, party: str, start: dt.date, end: dt.date | None
    ) -> _Seat:
        while True:
            given = rng.choice(GIVEN_NAMES)
            family = surnames[len(used) % len(surnames)]
            full = f"{given} {family}"
            if full not in used:
                used.add(full)
                break
        person = Person(
            name=full,
            given_name=given,
            family_name=family,
            is_demo=True,
            email=f"rep.{given.lower()}.{len(used)}@example.org",
            phone=f"651-555-{1000 + len(used):04d}",
            office_address=f"{100 + len(used)} Invented Office Building, St. Paul, MN 55155",
        )
        db.session.add(person)
        return _Seat(person, chamber, district, party, start, end)

    first = dt.date(2023, 1, 3)
    for index, district in enumerate(HOUSE_DISTRICTS):
        party = "DFL" if index % 2 == 0 else "R"
        seats.append(invent(HOUSE, district, party, first, None))
    for index, district in enumerate(SENATE_DISTRICTS):
        party = "DFL" if index % 3 != 2 else "R"
        seats.append(invent(SENATE, district, party, first, None))
    # Turnover: one House member leaves mid-2025; a successor is seated after a
    # special election, so votes in between count as "not seated" for both.
    leaving = seats[3]
    leaving.end = dt.date(2025, 3, 31)
    seats.append(invent(HOUSE, leaving.district, leaving.party, dt.date(2025, 5, 1), None))
    # A former senator (2023-2024 only) who now sits in the House: career across chambers.
    mover = next(s for s in seats if s.chamber == SENATE and s.district == "5")
    mover.end = dt.date(2025, 1, 5)
    retiring = next(s for s in seats if s.chamber == HOUSE and s.district == "10A")
    retiring.end = dt.date(2025, 1, 5)  # 10A's earlier member retired at the end of 2024
    seats.append(_Seat(mover.person, HOUSE, "10A", mover.party, dt.date(2025, 1, 14), None))
    seats.append(invent(SENATE, "5", mover.party, dt.date(2025, 1, 14), None))
    db.session.flush()

    for seat in seats:
        seat.person.terms.append(
            Term(
                chamber=seat.chamber,
                district=seat.district,
                party=seat.party,
                start_date=seat.start,
                end_date=seat.end,
            )
        )
    db.session.flush()
    derive([s.person.id for s in seats])  # held_from/held_until from the invented dates
    for person in {id(s.person): s.person for s in seats}.values():
        forms = {person.family_name or person.name}
        if person.given_name and person.family_name:
            forms.add(f"{person.family_name}, {person.given_name[0]}.")
        for form in sorted(forms):
            person.names.append(PersonName(name=form, source="demo"))
    return seats


def _seated(seats: list[_Seat], chamber: str, day: dt.date) -> list[_Seat]:
    """The invented seats held on ``day``, by the one seat rule."""
    return [s for s in seats if s.chamber == chamber and held(s.start, s.end, day)]


def _printed(seat: _Seat, seated: list[_Seat]) -> str:
    family = seat.person.family_name or seat.person.name
    clash = sum(1 for s in seated if s.person.family_name == family) > 1
    return f"{family}, {seat.person.given_name[0]}." if clash and seat.person.given_name else family


def _bills(rng: random.Random, session: LegislativeSession, seats: list[_Seat]) -> tuple[int, int]:
    roll_calls = 0
    base = session.start_date or dt.date(session.year, 1, 15)
    topics = BILL_TOPICS if session.year == 2025 else BILL_TOPICS[::2]
    for index, topic in enumerate(topics):
        house_number, senate_number = 11 + index * 7, 13 + index * 5
        intro = base + dt.timedelta(days=14 + index * 3)
        progressive = index < 9
        house = Bill(
            session=session,
            bill_type="HF",
            number=house_number,
            title=topic.capitalize(),
            status="introduced",
            companion_type="SF",
            companion_number=senate_number,
        )
        senate = Bill(
            session=session,
            bill_type="SF",
            number=senate_number,
            title=topic.capitalize(),
            status="introduced",
            companion_type="HF",
            companion_number=house_number,
        )
        db.session.add_all([house, senate])
        db.session.flush()
        house.companion_id, senate.companion_id = senate.id, house.id
        for bill, chamber in ((house, HOUSE), (senate, SENATE)):
            seated = _seated(seats, chamber, intro)
            wanted = "DFL" if progressive else "R"
            authors = [s for s in seated if s.party == wanted][:3]
            for position, seat in enumerate(authors, start=1):
                db.session.add(
                    Authorship(
                        bill=bill,
                        person=seat.person,
                        printed_name=_printed(seat, seated),
                        chamber=chamber,
                        chief=position == 1,
                        position=position,
                    )
                )
            db.session.add(
                BillAction(
                    bill=bill,
                    chamber=chamber,
                    number=1,
                    date=intro,
                    text="Introduction and first reading, referred to",
                    committee="Invented Policy Committee",
                    journal_page=str(100 + index * 4),
                    classification="introduction,referral",
                )
            )
        # Most bills get floor votes; the last few stay in committee.
        if index >= len(topics) - 2:
            house.status = senate.status = "in_committee"
            continue
        vote_day = intro + dt.timedelta(days=40 + index)
        passed_house = _floor_vote(rng, house, HOUSE, vote_day, seats, progressive, index)
        passed_senate = _floor_vote(
            rng, senate, SENATE, vote_day + dt.timedelta(days=9), seats, progressive, index
        )
        roll_calls += 2 + (1 if index % 4 == 0 else 0)
        if index % 4 == 0:
            _amendment_vote(rng, house, vote_day, seats, progressive)
        status = (
            "passed_both"
            if passed_house and passed_senate
            else "passed_house"
            if passed_house
            else "passed_senate"
            if passed_senate
            else "in_committee"
        )
        if status == "passed_both" and index % 3 == 0:
            status = "signed"
            db.session.add(
                BillAction(
                    bill=house,
                    chamber=HOUSE,
                    number=9,
                    date=vote_day + dt.timedelta(days=20),
                    text="Governor's action Approval",
                    classification="executive-signature",
                )
            )
        house.status = senate.status = status
    return len(topics) * 2, roll_calls


def _cast(rng: random.Random, party: str, progressive: bool, lean: float) -> str:
    aligned_party = "DFL" if progressive else "R"
    roll = rng.random()
    if roll < 0.05:
        return NOT_VOTING
    agree = 0.92 if party == aligned_party else 0.15 + lean
    return YES if rng.random() < agree else NO


def _record_votes(
    rng: random.Random,
    roll_call: RollCall,
    chamber: str,
    day: dt.date,
    seats: list[_Seat],
    progressive: bool,
    lean: float,
) -> tuple[int, int]:
    seated = _seated(seats, chamber, day)
    yeas = nays = 0
    seated_people = {id(s.person) for s in seated}
    for seat in seated:
        option = _cast(rng, seat.party, progressive, lean)
        yeas += option == YES
        nays += option == NO
        roll_call.member_votes.append(
            MemberVote(
                person=seat.person,
                printed_name=_printed(seat, seated),
                option=option,
            )
        )
    # Members of this chamber in the session who were not seated that day.
    for seat in seats:
        if seat.chamber == chamber and id(seat.person) not in seated_people:
            if not any(v.person is seat.person for v in roll_call.member_votes):
                roll_call.member_votes.append(
                    MemberVote(
                        person=seat.person,
                        printed_name=None,
                        option=NOT_SEATED,
                    )
                )
                seated_people.add(id(seat.person))
    return yeas, nays


def _floor_vote(
    rng: random.Random,
    bill: Bill,
    chamber: str,
    day: dt.date,
    seats: list[_Seat],
    progressive: bool,
    index: int,
) -> bool:
    page = str(1000 + index * 37 + (0 if chamber == HOUSE else 5))
    roll_call = RollCall(
        bill=bill,
        chamber=chamber,
        date=day,
        motion="Passage, as amended" if index % 2 else "Passage",
        kind="passage",
        journal_page=page,
        yeas=0,
        nays=0,
        source_url=None,
        verified=True,
        verification_note="Invented demo vote: lists equal tallies by construction.",
    )
    db.session.add(roll_call)
    yeas, nays = _record_votes(rng, roll_call, chamber, day, seats, progressive, 0.1 * (index % 3))
    roll_call.yeas, roll_call.nays = yeas, nays
    roll_call.outcome = "passed" if yeas > nays else "failed"
    db.session.add(
        BillAction(
            bill=bill,
            chamber=chamber,
            number=5,
            date=day,
            text="Third reading Passed" if chamber == SENATE else "Bill was passed",
            journal_page=page,
            roll_call_text=f"{yeas}-{nays}",
            yeas=yeas,
            nays=nays,
            classification="passage",
        )
    )
    db.session.flush()
    roll_call.action = db.session.scalar(
        select(BillAction).where(
            BillAction.bill_id == bill.id, BillAction.chamber == chamber, BillAction.number == 5
        )
    )
    return yeas > nays


def _amendment_vote(
    rng: random.Random, bill: Bill, day: dt.date, seats: list[_Seat], progressive: bool
) -> None:
    roll_call = RollCall(
        bill=bill,
        chamber=HOUSE,
        date=day,
        motion="Amendment",
        kind="amendment",
        amendment_id=f"H{bill.number:04d}A1",
        journal_page=str(990 + bill.number),
        yeas=0,
        nays=0,
        verified=True,
        verification_note="Invented demo vote: lists equal tallies by construction.",
    )
    db.session.add(roll_call)
    yeas, nays = _record_votes(rng, roll_call, HOUSE, day, seats, not progressive, 0.05)
    roll_call.yeas, roll_call.nays = yeas, nays
    roll_call.outcome = "adopted" if yeas > nays else "not adopted"


# ---------------------------------------------------------------- removal


@dataclass(frozen=True)
class Step:
    """One kind of row ``remove_demo`` deletes (or, with ``clear``, keeps but
    unlinks from demo rows, as its foreign key's ``SET NULL`` says)."""

    key: str
    label: str | None  # None: bookkeeping inside another step, not listed
    model: Any
    where: Any
    clear: tuple[str, ...] = ()


@dataclass
class RemovalPlan:
    """What ``tracker demo --remove`` takes out, counted before anything is
    changed; ``refusal`` is the one-line reason when it cannot go safely."""

    steps: list[tuple[Step, int]]
    refusal: str | None
    detached_cards: list[int]  # staff scorecards that keep their other sessions

    def counts(self) -> dict[str, int]:
        return {step.key: count for step, count in self.steps if step.label and count}

    def lines(self) -> list[str]:
        """One line per kind, count first: the demo's own rows, then what hangs off
        them (the reverse of the order they are deleted in)."""
        width = max((len(f"{c:,}") for s, c in self.steps if s.label and c), default=1)
        return [
            f"  {count:>{width},}  {step.label}"
            for step, count in reversed(self.steps)
            if step.label and count
        ]


def _ids(query: Any) -> list[int]:
    return list(db.session.scalars(query))


def _refusals(
    cards: list[Any],
    session_ids: list[int],
    person_ids: list[int],
    alert_ids: list[int],
    roll_call_ids: Any,
    mixed: list[int],
) -> list[str]:
    """Why the demo cannot go safely, one clause each (empty: it can)."""
    from tracker.models import (
        Alert,
        FrozenMemberVote,
        FrozenVote,
        LegislatorScoreRow,
        OutboxMessage,
        ScorecardVersion,
    )
    from tracker.models.common import utcnow
    from tracker.settings import current

    reasons: list[str] = []
    frozen = set(
        db.session.scalars(
            select(ScorecardVersion.scorecard_id)
            .where(ScorecardVersion.scorecard_id.in_(mixed))
            .where(
                ScorecardVersion.id.in_(
                    select(FrozenVote.version_id).where(FrozenVote.roll_call_id.in_(roll_call_ids))
                )
                | ScorecardVersion.id.in_(
                    select(FrozenMemberVote.version_id).where(
                        FrozenMemberVote.person_id.in_(person_ids)
                    )
                )
            )
        )
    )
    frozen |= set(
        db.session.scalars(
            select(LegislatorScoreRow.scorecard_id).where(
                LegislatorScoreRow.scorecard_id.in_(mixed),
                LegislatorScoreRow.version_number > 0,
                LegislatorScoreRow.person_id.in_(person_ids),
            )
        )
    )
    demo_sessions = set(session_ids)
    for card in cards:
        if card.id not in mixed or not card.versions:
            continue
        if card.id in frozen or {s.id for s in card.sessions} <= demo_sessions:
            reasons.append(
                f"the scorecard {card.title!r} (id {card.public_id}) is not demo data but "
                "its published versions are made of demo votes, and removing them would "
                "delete published history; keep the demo data, or restore a backup taken "
                "before that scorecard was published (tracker restore FILE --replace)"
            )
    stale = dt.timedelta(seconds=current().mail_stale_seconds)
    sending = db.session.execute(
        select(Alert.title, func.count())
        .join(OutboxMessage, OutboxMessage.alert_id == Alert.id)
        .where(
            Alert.id.in_(alert_ids),
            OutboxMessage.status == "sending",
            OutboxMessage.claimed_at > utcnow() - stale,
        )
        .group_by(Alert.id, Alert.title)
        .order_by(Alert.title)
    ).all()
    for title, count in sending:
        reasons.append(
            f"{count} email(s) of the alert {title!r} are being sent right now; "
            "run the command again in a few minutes"
        )
    return reasons


def removal_plan() -> RemovalPlan:
    """Every demo row and everything staff attached to demo rows, counted; nothing
    is changed.  Staff's own scorecards that cover only demo sessions go with the
    demo unless published; a staff scorecard that also covers real sessions keeps
    them and loses only its demo sessions, votes and scores; one whose published
    versions are made of demo votes makes the removal refuse (``refusal``)."""
    from tracker.models import (
        ActionTally,
        Alert,
        AlertTarget,
        BillPosition,
        ChamberSessionData,
        Committee,
        CommitteeMembership,
        DataQualityItem,
        FeaturedScorecard,
        FrozenMemberVote,
        FrozenVote,
        Hearing,
        HearingBill,
        HearingChange,
        HearingDocument,
        JournalRoll,
        JournalRollEntry,
        LegislatorScoreRow,
        NameMapping,
        OutboxMessage,
        RosterConfirmation,
        Scorecard,
        ScorecardSession,
        ScorecardVersion,
        ScorecardVote,
        TallyReceipt,
        TermEvidence,
    )

    sessions = _ids(select(LegislativeSession.id).where(LegislativeSession.is_demo.is_(True)))
    people = _ids(select(Person.id).where(Person.is_demo.is_(True)))
    bills = select(Bill.id).where(Bill.session_id.in_(sessions))
    roll_calls = select(RollCall.id).where(RollCall.bill_id.in_(bills))
    terms = select(Term.id).where(Term.person_id.in_(people))
    committees = select(Committee.id).where(Committee.session_id.in_(sessions))
    hearings = select(Hearing.id).where(
        Hearing.session_id.in_(sessions) | Hearing.committee_id.in_(committees)
    )
    alerts = _ids(select(Alert.id).where(Alert.bill_id.in_(bills) | Alert.is_demo.is_(True)))
    touched = set(_ids(select(Scorecard.id).where(Scorecard.is_demo.is_(True))))
    touched |= set(
        _ids(select(ScorecardSession.scorecard_id).where(ScorecardSession.session_id.in_(sessions)))
    )
    touched |= set(
        _ids(select(ScorecardVote.scorecard_id).where(ScorecardVote.roll_call_id.in_(roll_calls)))
    )
    touched |= set(
        _ids(
            select(LegislatorScoreRow.scorecard_id).where(LegislatorScoreRow.person_id.in_(people))
        )
    )
    cards = list(
        db.session.scalars(
            select(Scorecard).where(Scorecard.id.in_(touched)).order_by(Scorecard.id)
        )
    )
    demo_sessions = set(sessions)
    # A scorecard goes with the demo when every session it covers is a demo one,
    # and it is the demo's own (or staff's, never published); the rest keep theirs.
    gone = [
        c.id
        for c in cards
        if {s.id for s in c.sessions} <= demo_sessions and (c.is_demo or not c.versions)
    ]
    mixed = [c.id for c in cards if c.id not in gone]
    versions = select(ScorecardVersion.id).where(ScorecardVersion.scorecard_id.in_(gone))
    reasons = _refusals(cards, sessions, people, alerts, roll_calls, mixed)
    steps = [
        Step(
            "outbox_messages",
            "emails to members about alerts on demo bills (queued or sent)",
            OutboxMessage,
            OutboxMessage.alert_id.in_(alerts),
        ),
        Step(
            "tally_receipts",
            "tally receipts of members' calls and emails",
            TallyReceipt,
            TallyReceipt.alert_id.in_(alerts) | TallyReceipt.person_id.in_(people),
        ),
        Step(
            "action_tallies",
            "call and email tallies",
            ActionTally,
            ActionTally.alert_id.in_(alerts) | ActionTally.person_id.in_(people),
        ),
        Step(
            "alert_targets",
            "legislators targeted by alerts",
            AlertTarget,
            AlertTarget.alert_id.in_(alerts) | AlertTarget.person_id.in_(people),
        ),
        Step("alerts", "action alerts on demo bills", Alert, Alert.id.in_(alerts)),
        Step(
            "alerts_unlinked",
            "other alerts unlinked from a demo roll call (kept)",
            Alert,
            Alert.roll_call_id.in_(roll_calls) & Alert.id.not_in(alerts),
            ("roll_call_id",),
        ),
        Step(
            "featured_choices",
            "featured-scorecard choices",
            FeaturedScorecard,
            FeaturedScorecard.scorecard_id.in_(gone),
        ),
        Step(
            "scores",
            "materialised scores",
            LegislatorScoreRow,
            LegislatorScoreRow.scorecard_id.in_(gone) | LegislatorScoreRow.person_id.in_(people),
        ),
        Step(
            "frozen_member_votes",
            "member votes frozen in published scorecard versions",
            FrozenMemberVote,
            FrozenMemberVote.version_id.in_(versions),
        ),
        Step(
            "frozen_votes",
            "scored votes frozen in published scorecard versions",
            FrozenVote,
            FrozenVote.version_id.in_(versions),
        ),
        Step(
            "scorecard_versions",
            "published scorecard versions",
            ScorecardVersion,
            ScorecardVersion.scorecard_id.in_(gone),
        ),
        Step(
            "scored_votes",
            "scored votes on scorecards",
            ScorecardVote,
            ScorecardVote.scorecard_id.in_(gone) | ScorecardVote.roll_call_id.in_(roll_calls),
        ),
        Step(
            "scorecard_sessions",
            "links from scorecards to demo sessions",
            ScorecardSession,
            ScorecardSession.scorecard_id.in_(gone) | ScorecardSession.session_id.in_(sessions),
        ),
        Step("scorecards", "scorecards on demo sessions", Scorecard, Scorecard.id.in_(gone)),
        Step("positions", "positions on demo bills", BillPosition, BillPosition.bill_id.in_(bills)),
        Step(
            "data_quality_items",
            "data-quality items about demo rows",
            DataQualityItem,
            DataQualityItem.bill_id.in_(bills)
            | DataQualityItem.roll_call_id.in_(roll_calls)
            | DataQualityItem.person_id.in_(people),
        ),
        Step("member_votes", "member votes", MemberVote, MemberVote.roll_call_id.in_(roll_calls)),
        Step("roll_calls", "roll calls", RollCall, RollCall.id.in_(roll_calls)),
        Step("authorships", "authorships of demo bills", Authorship, Authorship.bill_id.in_(bills)),
        Step(
            "authorships_unlinked",
            "authorships of other bills unlinked from demo people (kept)",
            Authorship,
            Authorship.person_id.in_(people) & Authorship.bill_id.not_in(bills),
            ("person_id",),
        ),
        Step("bill_actions", "bill actions", BillAction, BillAction.bill_id.in_(bills)),
        Step(
            "companions_unlinked",
            "other bills unlinked from a demo companion (kept)",
            Bill,
            Bill.companion_id.in_(bills) & Bill.id.not_in(bills),
            ("companion_id",),
        ),
        Step("companions", None, Bill, Bill.id.in_(bills), ("companion_id",)),
        Step(
            "hearing_changes",
            "changes seen to hearings of demo sessions",
            HearingChange,
            HearingChange.hearing_id.in_(hearings),
        ),
        Step("hearing_documents", None, HearingDocument, HearingDocument.hearing_id.in_(hearings)),
        Step("hearing_bills", None, HearingBill, HearingBill.hearing_id.in_(hearings)),
        Step("hearings", "committee hearings of demo sessions", Hearing, Hearing.id.in_(hearings)),
        Step(
            "committee_memberships",
            "committee memberships",
            CommitteeMembership,
            CommitteeMembership.committee_id.in_(committees)
            | CommitteeMembership.person_id.in_(people),
        ),
        Step("committees", "committees of demo sessions", Committee, Committee.id.in_(committees)),
        Step("bills", "bills", Bill, Bill.id.in_(bills)),
        Step(
            "name_mappings",
            "printed-name mappings to demo legislators or sessions",
            NameMapping,
            NameMapping.person_id.in_(people) | NameMapping.session_id.in_(sessions),
        ),
        Step(
            "chamber_session_data",
            "chamber records of demo sessions",
            ChamberSessionData,
            ChamberSessionData.session_id.in_(sessions),
        ),
        Step(
            "journal_rolls_unlinked",
            "journal rolls unlinked from a demo session (kept)",
            JournalRoll,
            JournalRoll.session_id.in_(sessions),
            ("session_id",),
        ),
        Step("sessions", "sessions", LegislativeSession, LegislativeSession.id.in_(sessions)),
        Step(
            "journal_entries_unlinked",
            "journal roll entries unlinked from demo legislators (kept)",
            JournalRollEntry,
            JournalRollEntry.person_id.in_(people) | JournalRollEntry.term_id.in_(terms),
            ("person_id", "term_id"),
        ),
        Step(
            "roster_confirmations",
            "roster confirmations about demo legislators",
            RosterConfirmation,
            RosterConfirmation.person_id.in_(people) | RosterConfirmation.term_id.in_(terms),
        ),
        Step("term_evidence", "term evidence", TermEvidence, TermEvidence.term_id.in_(terms)),
        Step("terms", "terms (seats held)", Term, Term.person_id.in_(people)),
        Step("person_names", "name forms", PersonName, PersonName.person_id.in_(people)),
        Step("people", "legislators", Person, Person.id.in_(people)),
        Step(
            "district_shapes",
            "invented district shapes of the demo map",
            DistrictShape,
            DistrictShape.source_file == maps.INVENTED_SOURCE,
        ),
    ]
    counted = [
        (
            step,
            int(
                db.session.scalar(select(func.count()).select_from(step.model).where(step.where))
                or 0
            ),
        )
        for step in steps
    ]
    return RemovalPlan(counted, "; ".join(reasons) or None, mixed)


def remove_demo(plan: RemovalPlan | None = None) -> dict[str, int]:
    """Delete every demo row and everything staff attached to demo rows, in the
    caller's transaction (it commits); real rows are never touched, except that
    rows whose foreign key says ``SET NULL`` are unlinked.  Raises ``DemoError``
    (nothing changed) when ``removal_plan`` refuses, or when a row it does not
    know still refers to demo rows.  Returns the counts removed by kind."""
    from tracker import scorecards
    from tracker.models import Scorecard

    plan = plan or removal_plan()
    if plan.refusal:
        raise DemoError(f"cannot remove the demo data: {plan.refusal}; nothing was removed")
    done: dict[str, int] = {}
    try:
        with db.session.begin_nested():
            for step, _ in plan.steps:
                statement: Any = (
                    update(step.model).where(step.where).values(dict.fromkeys(step.clear))
                    if step.clear
                    else delete(step.model).where(step.where)
                )
                result: Any = db.session.execute(
                    statement.execution_options(synchronize_session=False)
                )
                if step.label and result.rowcount:
                    done[step.key] = int(result.rowcount)
            db.session.flush()
    except IntegrityError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "a foreign key"
        raise DemoError(
            f"cannot remove the demo data: a row that is not demo data still "
            f"refers to demo rows ({reason}); nothing was removed"
        ) from None
    db.session.expire_all()
    for card_id in plan.detached_cards:
        card = db.session.get(Scorecard, card_id)
        if card is not None:
            scorecards.recompute_draft(card)
    return done
