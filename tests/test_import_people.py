"""Importing Open States people (tracker.pipeline.import_people)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.conftest import FIXTURES, openstates_dir
from tracker import pipeline
from tracker.extensions import db
from tracker.models import Person, PersonName, ScrapeRun, Term
from tracker.settings import override

OPENSTATES = FIXTURES / "mn" / "reconstructed" / "people" / "openstates"


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def state() -> list[tuple]:
    db.session.expire_all()
    return [
        (
            p.public_id,
            p.name,
            p.email,
            p.last_seen_at,
            sorted(
                (t.chamber, t.district, t.party, str(t.start_date), str(t.end_date))
                for t in p.terms
            ),
            sorted(n.name for n in p.names),
        )
        for p in db.session.scalars(select(Person).order_by(Person.public_id))
    ]


def test_import_invented_people(app):
    run = pipeline.import_people(OPENSTATES)
    assert run.status == "succeeded"
    assert (run.fetched, run.new, run.changed, run.unchanged) == (4, 4, 0, 0)
    paula = db.session.scalar(select(Person).where(Person.name == "Paula Johanssen"))
    assert paula.public_id == paula.openstates_id == "5b1c2d3e-4f50-4a61-9b72-8c93d4e5f601"
    assert paula.senate_member_id == "9001" and paula.house_member_id == "19001"
    terms = {(t.chamber, t.district): (t.start_date, t.end_date) for t in paula.terms}
    assert terms[("house", "14B")] == (dt.date(2019, 1, 8), dt.date(2023, 1, 2))
    assert terms[("senate", "7")] == (dt.date(2023, 1, 3), None)
    assert {"Johanssen, P.", "Johanssen"} <= {n.name for n in paula.names}
    lars = db.session.scalar(select(Person).where(Person.name == "Lars Eklund"))
    assert [(t.start_date, t.end_date) for t in lars.terms] == [(None, None)]  # not invented
    ana = db.session.scalar(select(Person).where(Person.family_name == "Ibáñez-Ortega"))
    assert "Ibáñez-Ortega, A." in {n.name for n in ana.names}


def test_reimport_writes_nothing(app):
    pipeline.import_people(OPENSTATES)
    before = state()
    rows = (count(Person), count(Term), count(PersonName))
    run = pipeline.import_people(OPENSTATES)
    assert (run.new, run.changed, run.unchanged, run.failed) == (0, 0, 4, 0)
    assert state() == before
    assert (count(Person), count(Term), count(PersonName)) == rows


def test_not_a_people_directory_fails_the_run(app, tmp_path):
    run = pipeline.import_people(tmp_path)
    assert run.status == "failed" and "legislature/" in run.error
    assert count(Person) == 0


def test_cli_import_people_default_dir(app, runner):
    from tracker import scrape_cli

    if "import-people" not in app.cli.commands:
        scrape_cli.register(app)
    override(app, TRACKER_OPENSTATES_DIR=str(OPENSTATES))
    result = runner.invoke(args=["import-people"])
    assert result.exit_code == 0, result.output
    assert "new 4" in result.output


@pytest.mark.openstates
def test_import_real_open_states_data(app):
    path = openstates_dir()
    files = len(list((path / "legislature").glob("*.yml"))) + len(
        list((path / "retired").glob("*.yml"))
    )
    run = pipeline.import_people(path)
    assert run.status == "succeeded", [e.reason for e in run.errors]
    assert run.fetched == files == 559
    # Two duplicate pairs (a House member id shared by two files) are merged into one person.
    notes = [e.reason for e in run.errors]
    assert len(notes) == 2
    assert all(n.startswith("duplicate Open States record merged") for n in notes)
    assert run.failed == 0
    assert count(Person) == 557
    for house_id in ("15523", "15501"):
        assert (
            db.session.scalar(
                select(func.count()).select_from(Person).where(Person.house_member_id == house_id)
            )
            == 1
        )
    current = {
        chamber: db.session.scalar(
            select(func.count())
            .select_from(Term)
            .where(Term.chamber == chamber, Term.end_date.is_(None))
        )
        for chamber in ("house", "senate")
    }
    assert current == {"house": 133, "senate": 67}, current
    before = state()
    run = pipeline.import_people(path)
    assert (run.new, run.changed, run.failed) == (0, 0, 0)
    assert run.unchanged == 557
    assert state() == before
    assert count(ScrapeRun) == 2
