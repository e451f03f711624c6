from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from scrapers.vocab import NO, NOT_SEATED, NOT_VOTING, YES
from tracker import demo, localtime
from tracker.extensions import db
from tracker.models import Bill, LegislativeSession, MemberVote, Person, RollCall


def counts() -> dict[str, int]:
    return {
        m.__name__: db.session.scalar(select(func.count()).select_from(m)) or 0
        for m in (LegislativeSession, Person, Bill, RollCall, MemberVote)
    }


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
            assert any(
                t.chamber == roll_call.chamber and t.held_on(roll_call.date)
                for t in vote.person.terms
            )
    assert db.session.scalar(
        select(func.count()).select_from(MemberVote).where(MemberVote.option == NOT_SEATED)
    )
    assert db.session.scalar(
        select(func.count()).select_from(MemberVote).where(MemberVote.option == NOT_VOTING)
    )


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
    published = db.session.scalars(
        select(LegislatorScoreRow).where(LegislatorScoreRow.version_number == 1)
    ).all()
    assert sum(r.has_score for r in published) > 20
    removed = demo.remove_demo()
    db.session.commit()
    assert removed["scorecards"] == 2
    assert db.session.scalars(select(BillPosition)).all() == []


# ---------------------------------------------------------- removal after staff tried it


def _settings(title: str, session_ids: list[int]):  # type: ignore[no-untyped-def]
    from tracker import scorecards

    return scorecards.ScorecardSettings(
        title=title,
        description="",
        session_ids=session_ids,
        chambers=["house", "senate"],
        absence_policy="exclude",
        min_participation_pct=50,
        grade_bands=[(90, "A"), (0, "F")],
        show_sponsorship=True,
    )


def _demo_roll_call(chamber: str = "senate") -> RollCall:
    found = db.session.scalars(
        select(RollCall)
        .join(Bill)
        .where(
            RollCall.chamber == chamber,
            RollCall.kind == "passage",
            Bill.session.has(identifier="2025-2026"),
        )
        .order_by(RollCall.id)
    ).first()
    assert found is not None
    return found


def staff_try_the_demo() -> dict[str, object]:
    """What staff do while trying the demo: an alert on a demo bill (published, with
    tallies, a receipt, subscribers and outbox messages), a position edit, their own
    scorecard on a demo session (scored, published, featured for the House), a name
    mapping, data-quality items, a roster confirmation."""

    from tracker import alerts, headline, scorecards
    from tracker.models import (
        DataQualityItem,
        NameMapping,
        OutboxMessage,
        RosterConfirmation,
        Subscriber,
        Term,
    )
    from tracker.models.common import utcnow

    rc = _demo_roll_call()
    alert = alerts.create_alert(
        rc.bill,
        alerts.AlertInput(
            title="Call your senator (staff test)",
            target="floor",
            chamber="senate",
            ask="yes",
            call_script="Ask {legislator} to {position} on {bill}.",
            email_template="Dear {legislator}, please {position} on {bill}.",
        ),
        actor="test",
    )
    alerts.mark_reviewed(alert, expected_version=None, actor="test")
    alerts.publish_alert(alert, expected_version=None, actor="test")
    db.session.commit()
    target = alert.targets[0]
    browser = "browser-of-a-member"
    assert (
        alerts.record_action(
            alert,
            target.person,
            "called",
            browser,
            token=alerts.action_token(alert, target.person, browser),
            address="192.0.2.1",
        )
        == alerts.COUNTED
    )
    for index, term in enumerate(alerts.seated("senate", localtime.today())[:3]):
        alerts.subscribe(f"member-{index}@example.org", None, term.district)
        member = db.session.scalars(
            select(Subscriber).where(Subscriber.email == f"member-{index}@example.org")
        ).one()
        alerts.confirm(member, None, term.district)
    assert alerts.queue_alert_messages(alert) == 3
    sent = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "alert")).first()
    assert sent is not None
    sent.status, sent.sent_at = "sent", utcnow()

    scorecards.set_position(
        rc.bill,
        "oppose",
        "Staff changed their mind.",
        ["test"],
        expected_version=None,
        actor="test",
    )
    session = rc.bill.session
    card = scorecards.create_scorecard(_settings("Staff test card", [session.id]), actor="test")
    scorecards.score_roll_call(card, rc, aligned="yes", weight=1, description="", actor="test")
    scorecards.publish(card, expected_version=None, note="", actor="test")
    headline.feature("house", card, expected_version=None, actor="test")

    person = rc.member_votes[0].person
    assert person is not None
    db.session.add(
        NameMapping(
            chamber="senate",
            printed_name="Somebody Misprinted",
            person_id=person.id,
            session_id=session.id,
        )
    )
    db.session.add(
        NameMapping(
            chamber="senate", printed_name="Another Misprint", person_id=person.id, session_id=None
        )
    )
    db.session.add(
        DataQualityItem(
            kind="test",
            message="about a demo person",
            person_id=person.id,
            fingerprint="demo-person",
        )
    )
    db.session.add(
        DataQualityItem(
            kind="test",
            message="about a demo roll call",
            roll_call_id=rc.id,
            fingerprint="demo-roll-call",
        )
    )
    term = db.session.scalars(select(Term).where(Term.person_id == person.id)).first()
    assert term is not None
    db.session.add(
        RosterConfirmation(
            kind="bound",
            term_id=term.id,
            bound="start",
            day=term.start_date,
            person_id=person.id,
            source="journal",
        )
    )
    db.session.commit()
    return {"alert": alert, "card": card, "person": person}


def test_demo_remove_after_staff_tried_it(app: Flask, demo_full: None) -> None:
    from tracker.models import (
        ActionTally,
        Alert,
        AlertTarget,
        DataQualityItem,
        FeaturedScorecard,
        NameMapping,
        OutboxMessage,
        RosterConfirmation,
        Scorecard,
        ScorecardVersion,
        Subscriber,
        TallyReceipt,
    )

    staff_try_the_demo()
    real = Person(name="Real Record Placeholder", is_demo=False)
    db.session.add(real)
    db.session.commit()
    plan = demo.removal_plan()
    assert plan.refusal is None
    planned = plan.counts()
    assert planned["alerts"] == 2 and planned["scorecards"] == 3  # the demo's and staff's
    assert planned["outbox_messages"] == 3 and planned["tally_receipts"] == 1
    assert planned["name_mappings"] == 2 and planned["data_quality_items"] == 2
    assert planned["featured_choices"] == 2 and planned["roster_confirmations"] == 1
    listing = "\n".join(plan.lines())
    assert "action alerts on demo bills" in listing and "emails to members" in listing

    removed = demo.remove_demo()
    db.session.commit()
    assert removed == planned
    for model in (
        Alert,
        AlertTarget,
        ActionTally,
        TallyReceipt,
        NameMapping,
        DataQualityItem,
        FeaturedScorecard,
        RosterConfirmation,
        Scorecard,
        ScorecardVersion,
        LegislativeSession,
        Bill,
        RollCall,
        MemberVote,
    ):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model
    assert [p.name for p in db.session.scalars(select(Person))] == ["Real Record Placeholder"]
    # Subscribers are members, not demo data: they and their confirmation emails stay.
    assert db.session.scalar(select(func.count()).select_from(Subscriber)) == 3
    assert [m.kind for m in db.session.scalars(select(OutboxMessage))] == ["confirm"] * 3
    assert not demo.demo_loaded()


def demo_counts() -> dict[str, int]:
    from tracker.models import Alert, OutboxMessage, Scorecard

    return {
        m.__name__: db.session.scalar(select(func.count()).select_from(m)) or 0
        for m in (
            LegislativeSession,
            Person,
            Bill,
            RollCall,
            MemberVote,
            Scorecard,
            Alert,
            OutboxMessage,
        )
    }


def test_demo_remove_cli_lists_first_and_dry_run_changes_nothing(
    runner, app: Flask, demo_full: None
) -> None:  # type: ignore[no-untyped-def]
    staff_try_the_demo()
    before = demo_counts()
    dry = runner.invoke(args=["demo", "--remove", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    lines = dry.output.splitlines()
    assert lines[0] == "would remove:" and lines[-1] == "dry run: nothing was removed"
    listed = {line.split(None, 1)[1]: line.split(None, 1)[0] for line in lines[1:-1]}
    assert listed["legislators"] == "32" and listed["sessions"] == "2"
    assert listed["action alerts on demo bills"] == "2"
    assert listed["emails to members about alerts on demo bills (queued or sent)"] == "3"
    assert listed["printed-name mappings to demo legislators or sessions"] == "2"
    assert listed["featured-scorecard choices"] == "2"
    assert demo_counts() == before
    removed = runner.invoke(args=["demo", "--remove"])
    assert removed.exit_code == 0, removed.output
    assert removed.output.splitlines()[0] == "removing:"
    assert "removed demo data: " in removed.output.splitlines()[-1]
    assert demo_counts()["Person"] == 0 and demo_counts()["Alert"] == 0
    again = runner.invoke(args=["demo", "--remove"])
    assert again.exit_code == 0 and again.output == "no demo data to remove\n"
    assert runner.invoke(args=["demo", "--dry-run"]).exit_code == 2


def _real_session() -> LegislativeSession:
    from tests.factories import make_session

    return make_session("2027-2028", "0952027", start_date=None, end_date=None)


def test_demo_remove_refuses_to_delete_published_history(
    runner, app: Flask, demo_full: None
) -> None:  # type: ignore[no-untyped-def]
    """A scorecard that is not demo data (it covers a real session) but whose published
    version froze demo votes: removing the demo would rewrite published history."""
    from tracker import scorecards

    real = _real_session()
    rc = _demo_roll_call()
    card = scorecards.create_scorecard(_settings("Mixed card", [real.id]), actor="test")
    assert not card.is_demo
    scorecards.update_scorecard(
        card,
        _settings("Mixed card", [real.id, rc.bill.session_id]),
        expected_version=None,
        actor="test",
    )
    scorecards.score_roll_call(card, rc, aligned="yes", weight=1, description="", actor="test")
    scorecards.publish(card, expected_version=None, note="", actor="test")
    db.session.commit()
    before = demo_counts()
    assert demo.removal_plan().refusal is not None
    with pytest.raises(demo.DemoError, match="Mixed card"):
        demo.remove_demo()
    result = runner.invoke(args=["demo", "--remove"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert result.output.startswith(
        f"Error: cannot remove the demo data: the scorecard 'Mixed card' (id {card.public_id})"
        " is not demo data but its published versions are made of demo votes"
    )
    assert result.output.rstrip().endswith("nothing was removed")
    assert demo_counts() == before


def test_demo_remove_keeps_a_staff_scorecards_real_sessions(app: Flask, demo_full: None) -> None:
    """A draft scorecard covering a real and a demo session keeps the real one and
    loses the demo session, its scored demo votes and its demo legislators' scores."""
    from tracker import scorecards
    from tracker.models import LegislatorScoreRow, Scorecard, ScorecardVote

    real = _real_session()
    rc = _demo_roll_call()
    card = scorecards.create_scorecard(_settings("Mixed draft", [real.id]), actor="test")
    scorecards.update_scorecard(
        card,
        _settings("Mixed draft", [real.id, rc.bill.session_id]),
        expected_version=None,
        actor="test",
    )
    scorecards.score_roll_call(card, rc, aligned="yes", weight=1, description="", actor="test")
    scorecards.recompute_draft(card)
    db.session.commit()
    assert db.session.scalar(
        select(func.count())
        .select_from(LegislatorScoreRow)
        .where(LegislatorScoreRow.scorecard_id == card.id)
    )
    demo.remove_demo()
    db.session.commit()
    kept = db.session.scalars(select(Scorecard)).one()
    assert kept.title == "Mixed draft" and [s.identifier for s in kept.sessions] == ["2027-2028"]
    assert db.session.scalar(select(func.count()).select_from(ScorecardVote)) == 0
    assert db.session.scalar(select(func.count()).select_from(LegislatorScoreRow)) == 0


def test_demo_remove_waits_for_mail_being_sent(runner, app: Flask, demo_full: None) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from tracker.models import OutboxMessage
    from tracker.models.common import utcnow

    staff_try_the_demo()
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == "queued", OutboxMessage.kind == "alert")
    ).first()
    assert message is not None
    message.status, message.claimed_at = "sending", utcnow()
    db.session.commit()
    before = demo_counts()
    result = runner.invoke(args=["demo", "--remove"])
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert (
        "1 email(s) of the alert 'Call your senator (staff test)' are being sent right "
        "now; run the command again in a few minutes"
    ) in result.output
    assert demo_counts() == before
    # A send interrupted long ago (in doubt, never sent again) does not hold it up.
    message.claimed_at = utcnow() - dt.timedelta(hours=2)
    db.session.commit()
    assert runner.invoke(args=["demo", "--remove"]).exit_code == 0
    assert demo_counts()["Alert"] == 0


def test_demo_remove_never_ends_in_a_traceback(runner, app: Flask, demo_full: None) -> None:  # type: ignore[no-untyped-def]
    """A row it does not know about (here a real roll call naming a demo legislator)
    still refers to demo rows: one line, exit 1, nothing changed."""
    from tests.factories import make_bill, make_roll_call

    real = _real_session()
    roll_call = make_roll_call(make_bill(real))
    someone = db.session.scalars(select(Person).where(Person.is_demo.is_(True))).first()
    roll_call.member_votes.append(MemberVote(person=someone, printed_name="X", option=YES))
    db.session.commit()
    before = demo_counts()
    result = runner.invoke(args=["demo", "--remove"])
    assert result.exit_code == 1, result.output
    error = result.output.splitlines()[-1]
    assert error.startswith(
        "Error: cannot remove the demo data: a row that is not demo data "
        "still refers to demo rows ("
    )
    assert error.endswith("nothing was removed") and "Traceback" not in result.output
    assert demo_counts() == before
