from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from scrapers.vocab import NO, NOT_SEATED, NOT_VOTING, YES
from tracker import demo
from tracker.extensions import db
from tracker.models import Bill, LegislativeSession, MemberVote, Person, RollCall


def counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) or 0
            for m in (LegislativeSession, Person, Bill, RollCall, MemberVote)}


def test_demo_load_is_idempotent(app: Flask) -> None:
    message = demo.load_demo()
    db.session.commit()
    first = counts()
    assert message.startswith("loaded demo data: 32 invented legislators, 2 sessions")
    assert first["Person"] == 32 and first["LegislativeSession"] == 2
    assert demo.load_demo() == "demo data already loaded; nothing changed"
    db.session.commit()
    assert counts() == first


def test_demo_rows_are_marked(app: Flask) -> None:
    demo.load_demo()
    db.session.commit()
    assert all(p.is_demo for p in db.session.scalars(select(Person)))
    assert all(s.is_demo for s in db.session.scalars(select(LegislativeSession)))
    assert all(s.name.endswith("(demo)") for s in db.session.scalars(select(LegislativeSession)))


def test_demo_roll_calls_reconcile(app: Flask) -> None:
    demo.load_demo()
    db.session.commit()
    for roll_call in db.session.scalars(select(RollCall)):
        options = [v.option for v in roll_call.member_votes]
        assert options.count(YES) == roll_call.yeas
        assert options.count(NO) == roll_call.nays
        assert roll_call.verified
        seated = [v for v in roll_call.member_votes if v.option != NOT_SEATED]
        assert all(v.person is not None for v in roll_call.member_votes)
        for vote in seated:
            assert any(t.chamber == roll_call.chamber and t.held_on(roll_call.date)
                       for t in vote.person.terms)
    assert db.session.scalar(
        select(func.count()).select_from(MemberVote).where(MemberVote.option == NOT_SEATED))
    assert db.session.scalar(
        select(func.count()).select_from(MemberVote).where(MemberVote.option == NOT_VOTING))


def test_demo_remove_takes_out_only_demo_rows(app: Flask) -> None:
    real = Person(name="Real Record Placeholder", is_demo=False)
    demo.load_demo()
    db.session.add(real)
    db.session.commit()
    removed = demo.remove_demo()
    db.session.commit()
    assert removed["people"] == 32 and removed["sessions"] == 2
    assert [p.name for p in db.session.scalars(select(Person))] == ["Real Record Placeholder"]
    assert counts()["Bill"] == 0 and counts()["RollCall"] == 0


def test_demo_refuses_to_mix_with_real_data(app: Flask) -> None:
    db.session.add(Person(name="Real Record Placeholder"))
    db.session.commit()
    with pytest.raises(demo.DemoError, match="real legislative data"):
        demo.load_demo()


def test_real_imports_refuse_while_demo_is_loaded(app: Flask) -> None:
    demo.load_demo()
    db.session.commit()
    with pytest.raises(demo.DemoError, match="tracker demo --remove"):
        demo.refuse_if_demo("importing legislators")


def test_demo_cli(runner, app: Flask) -> None:  # type: ignore[no-untyped-def]
    assert "loaded demo data" in runner.invoke(args=["demo"]).output
    assert "removed demo data" in runner.invoke(args=["demo", "--remove"]).output
    assert counts()["Person"] == 0


def test_demo_has_published_positions_and_scorecards(app: Flask) -> None:
    from tracker.models import BillPosition, LegislatorScoreRow, Scorecard

    demo.load_demo()
    db.session.commit()
    positions = db.session.scalars(select(BillPosition)).all()
    assert len(positions) == 36
    assert all(p.published_position == p.position != "none" for p in positions)
    assert {p.position for p in positions} == {"support", "oppose"}
    cards = db.session.scalars(select(Scorecard)).all()
    assert [len(c.versions) for c in cards] == [1, 1] and all(c.is_demo for c in cards)
    published = db.session.scalars(select(LegislatorScoreRow).where(
        LegislatorScoreRow.version_number == 1)).all()
    assert sum(r.has_score for r in published) > 20
    removed = demo.remove_demo()
    db.session.commit()
    assert removed["scorecards"] == 2
    assert db.session.scalars(select(BillPosition)).all() == []
