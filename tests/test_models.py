"""Every unique constraint, and the vocabulary checks, hold in the database."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy.exc import IntegrityError

from tests.factories import make_bill, make_person, make_roll_call, make_session
from tracker.extensions import db
from tracker.models import (
    Authorship,
    Bill,
    BillAction,
    MemberVote,
    Person,
    PersonName,
    RollCall,
    Term,
    User,
)

DAY = dt.date(2025, 4, 29)


def _dup_session() -> None:
    make_session()
    make_session(code="1942025")


def _dup_revisor_code() -> None:
    make_session()
    make_session(identifier="2025s1")


def _dup_bill() -> None:
    session = make_session()
    make_bill(session)
    make_bill(session)


def _dup_openstates() -> None:
    make_person(openstates_id="0a1b")
    make_person("Other", openstates_id="0a1b")


def _dup_house_id() -> None:
    make_person(house_member_id="15518")
    make_person("Other", house_member_id="15518")


def _dup_senate_id() -> None:
    make_person(senate_member_id="1234")
    make_person("Other", senate_member_id="1234")


def _dup_public_id() -> None:
    make_person(public_id="00000000-0000-0000-0000-000000000001")
    make_person("Other", public_id="00000000-0000-0000-0000-000000000001")


def _dup_name() -> None:
    person = make_person()
    db.session.add_all(
        [
            PersonName(person=person, name="Invented, A."),
            PersonName(person=person, name="Invented, A."),
        ]
    )
    db.session.flush()


def _dup_term() -> None:
    person = make_person()
    start = dt.date(2023, 1, 3)
    db.session.add_all(
        [
            Term(person=person, chamber="house", district="1A", start_date=start),
            Term(person=person, chamber="house", district="1A", start_date=start),
        ]
    )
    db.session.flush()


def _dup_author_position() -> None:
    bill = make_bill(make_session())
    db.session.add_all(
        [
            Authorship(bill=bill, printed_name="A", chamber="senate", position=1, chief=True),
            Authorship(bill=bill, printed_name="B", chamber="senate", position=1),
        ]
    )
    db.session.flush()


def _dup_action() -> None:
    bill = make_bill(make_session())
    db.session.add_all(
        [
            BillAction(bill=bill, chamber="senate", number=3, text="x"),
            BillAction(bill=bill, chamber="senate", number=3, text="y"),
        ]
    )
    db.session.flush()


def _dup_roll_call() -> None:
    bill = make_bill(make_session())
    make_roll_call(bill, amendment_id="A5")
    make_roll_call(bill, amendment_id="A5")


def _dup_member_vote() -> None:
    bill = make_bill(make_session())
    roll_call = make_roll_call(bill)
    person = make_person()
    db.session.add_all(
        [
            MemberVote(roll_call=roll_call, person=person, option="yes"),
            MemberVote(roll_call=roll_call, person=person, option="no"),
        ]
    )
    db.session.flush()


def _dup_user_email() -> None:
    db.session.add_all(
        [
            User(email="a@example.org", password_hash="x", role="staff", session_token="1"),
            User(email="a@example.org", password_hash="x", role="staff", session_token="2"),
        ]
    )
    db.session.flush()


def _bad_chamber() -> None:
    person = make_person()
    db.session.add(Term(person=person, chamber="assembly", district="1"))
    db.session.flush()


def _bad_option() -> None:
    roll_call = make_roll_call(make_bill(make_session()))
    db.session.add(MemberVote(roll_call=roll_call, person=make_person(), option="maybe"))
    db.session.flush()


def _bad_status() -> None:
    bill = make_bill(make_session())
    bill.status = "lost"
    db.session.flush()


def _bad_bill_type() -> None:
    make_bill(make_session(), bill_type="XX")


def _vote_without_anyone() -> None:
    roll_call = make_roll_call(make_bill(make_session()))
    db.session.add(MemberVote(roll_call=roll_call, option="yes"))
    db.session.flush()


def _dangling_foreign_key() -> None:
    db.session.add(Term(person_id=999_999, chamber="house", district="1A"))
    db.session.flush()


@pytest.mark.parametrize(
    "violation",
    [
        _dup_session,
        _dup_revisor_code,
        _dup_bill,
        _dup_openstates,
        _dup_house_id,
        _dup_senate_id,
        _dup_public_id,
        _dup_name,
        _dup_term,
        _dup_author_position,
        _dup_action,
        _dup_roll_call,
        _dup_member_vote,
        _dup_user_email,
        _bad_chamber,
        _bad_option,
        _bad_status,
        _bad_bill_type,
        _vote_without_anyone,
        _dangling_foreign_key,
    ],
)
def test_database_refuses(app: Flask, violation: Callable[[], None]) -> None:
    with pytest.raises(IntegrityError):
        violation()
    db.session.rollback()


def test_special_sessions_renumber_bills(app: Flask) -> None:
    regular = make_session()
    special = make_session("2025s1", "1942025")
    make_bill(regular, "HF", 5)
    make_bill(special, "HF", 5)
    db.session.commit()
    assert {(b.session.identifier, b.key) for b in db.session.query(Bill)} == {
        ("2025-2026", "HF5"),
        ("2025s1", "HF5"),
    }


def test_amendment_votes_sharing_motion_and_page_stay_apart(app: Flask) -> None:
    bill = make_bill(make_session())
    for amendment in ("H0025A5", "H0025A6", "H0025A7"):
        make_roll_call(
            bill, chamber="house", motion="Amendment", amendment_id=amendment, journal_page="745"
        )
    make_roll_call(
        bill,
        chamber="house",
        motion="Amendment",
        amendment_id="H0025A7",
        journal_page="745",
        sequence=1,
    )
    db.session.commit()
    assert db.session.query(RollCall).count() == 4


def test_public_ids_are_uuids_not_numbers(app: Flask) -> None:
    person = make_person()
    roll_call = make_roll_call(make_bill(make_session()))
    assert len(person.public_id) == 36 and person.public_id.count("-") == 4
    assert len(roll_call.public_id) == 36


def test_timestamps_come_back_timezone_aware(app: Flask) -> None:
    person = make_person()
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Person, person.id).created_at.tzinfo is not None


def test_naive_timestamps_are_refused(app: Flask) -> None:
    person = make_person()
    person.last_seen_at = dt.datetime(2025, 1, 1)  # noqa: DTZ001
    with pytest.raises(Exception, match="naive datetime"):
        db.session.flush()
    db.session.rollback()


def test_constructors_are_dataclass_signatures() -> None:
    """Models are dataclass-mapped (tracker.extensions.Model): keyword-only
    arguments, no ``id``, unknown names refused; equality stays identity."""
    parameters = inspect.signature(Person).parameters
    assert "name" in parameters and "id" not in parameters
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())
    with pytest.raises(TypeError, match="bogus"):
        Person(name="Ada Invented", bogus=1)
    with pytest.raises(TypeError):
        Person("Ada Invented")
    twins = Person(name="Ada Invented"), Person(name="Ada Invented")
    assert twins[0] != twins[1] and len(set(twins)) == 2
    assert repr(twins[0]) == "<Person Ada Invented>"


def test_a_foreign_key_passed_without_its_relationship_is_kept(app: Flask) -> None:
    session = make_session()
    bill = Bill(session_id=session.id, bill_type="HF", number=7, title="An invented bill")
    db.session.add(bill)
    db.session.flush()
    db.session.expire_all()
    stored = db.session.get(Bill, bill.id)
    assert stored is not None and stored.session_id == session.id
    assert stored.created_at.tzinfo is not None and stored.status == "introduced"
