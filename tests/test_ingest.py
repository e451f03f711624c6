"""tracker.ingest: idempotent upserts on natural keys (no HTTP)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import func, select

from scrapers import revisor
from scrapers.records import (
    ActionRecord,
    AuthorRecord,
    BillRecord,
    BillSearchResult,
    PersonRecord,
    TermRecord,
)
from scrapers.sessions import known_session
from tests.conftest import FIXTURES, csrf_token
from tracker import authors as authorship
from tracker import ingest, quality
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    Authorship,
    Bill,
    BillAction,
    LegislativeSession,
    Person,
    PersonName,
    Term,
)

MN = FIXTURES / "mn" / "reconstructed"
API = "https://api.revisor.mn.gov/bills/v1/94/2025/0"


def stored_session(identifier: str = "2025-2026") -> LegislativeSession:
    ingest.upsert_sessions([known_session(identifier)])
    db.session.commit()
    row = ingest.find_session(identifier)
    assert row is not None
    return row


def fixture_bill(name: str, session: str = "2025-2026") -> BillRecord:
    url = f"{API}/{name}/"
    return revisor.parse_bill_status_xml((MN / name).read_bytes(), source_url=url, session=session)


def make_bill(
    bill_type: str = "HF",
    number: int = 10,
    *,
    title: str = "A bill for an act",
    actions: tuple[ActionRecord, ...] | None = None,
    authors: tuple[AuthorRecord, ...] = (),
    companion: tuple[str, int] | None = None,
    session: str = "2025-2026",
) -> BillRecord:
    if actions is None:
        actions = (
            ActionRecord("house", 1, dt.date(2025, 1, 20), "Introduction and first reading"),
            ActionRecord("house", 2, None, "Referred to committee", journal_page="1798a"),
        )
    record = BillRecord(
        session=session,
        bill_type=bill_type,
        number=number,
        title=title,
        status="introduced",
        source_url=f"{API}/{bill_type}/{number}/",
        companion_type=companion[0] if companion else None,
        companion_number=companion[1] if companion else None,
        authors=authors,
        actions=actions,
    )
    return dataclasses.replace(record, content_hash=revisor.content_hash(record))


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


# ---------------------------------------------------------------- sessions


def test_sessions_idempotent_and_keep_admin_key(app):
    records = [known_session("2025-2026"), known_session("2027-2028")]
    counts = ingest.upsert_sessions(records)
    db.session.commit()
    assert (counts.new, counts.changed, counts.unchanged) == (2, 0, 0)
    future = ingest.find_session("2027-2028")
    future.house_vote_key = "306"  # set by an admin
    db.session.commit()
    counts = ingest.upsert_sessions(records)
    assert (counts.new, counts.changed, counts.unchanged) == (0, 0, 2)
    assert not db.session.dirty and not db.session.new
    assert ingest.find_session("2027-2028").house_vote_key == "306"


# ---------------------------------------------------------------- bills


def test_bill_new_then_rerun_writes_nothing(app):
    session = stored_session()
    record = fixture_bill("bill_status_sf1832_2025.xml")
    assert ingest.upsert_bill(session, record) == "new"
    db.session.commit()
    bill = ingest.find_bill(session, "SF", 1832)
    actions_before = {(a.chamber, a.number): (a.id, a.text, a.date) for a in bill.actions}
    hash_before, created = bill.content_hash, bill.created_at
    seen_before = bill.last_seen_at

    assert ingest.upsert_bill(session, record) == "unchanged"
    # only the fetch bookkeeping may change
    dirty = {type(o).__name__ for o in db.session.dirty if db.session.is_modified(o)}
    assert dirty <= {"Bill"}
    assert not db.session.new
    db.session.commit()
    bill = ingest.find_bill(session, "SF", 1832)
    assert {(a.chamber, a.number): (a.id, a.text, a.date) for a in bill.actions} == actions_before
    assert (bill.content_hash, bill.created_at, bill.last_seen_at) == (
        hash_before,
        created,
        seen_before,
    )


def test_empty_dates_letter_pages_and_utf8_survive(app):
    session = stored_session()
    ingest.upsert_bill(session, fixture_bill("bill_status_sf1832_2025.xml"))
    db.session.commit()
    bill = ingest.find_bill(session, "SF", 1832)
    assert any(a.date is None for a in bill.actions)
    assert "1798a" in {a.journal_page for a in bill.actions}
    assert "Ibáñez-Ortega" in {a.printed_name for a in bill.authors}
    tallies = {(a.chamber, a.roll_call_text, a.yeas, a.nays) for a in bill.actions if a.yeas}
    assert ("senate", "35-30", 35, 30) in tallies
    assert ("house", "115-19", 115, 19) in tallies
    assert bill.companion_number is None


def test_changed_title_and_action_update_in_place(app):
    session = stored_session()
    ingest.upsert_bill(session, make_bill())
    db.session.commit()
    bill = ingest.find_bill(session, "HF", 10)
    ids = {(a.chamber, a.number): a.id for a in bill.actions}
    changed = make_bill(
        title="A bill for an act, amended",
        actions=(
            ActionRecord("house", 1, dt.date(2025, 1, 20), "Introduction and first reading"),
            ActionRecord("house", 2, dt.date(2025, 1, 21), "Referred to Ways and Means"),
            ActionRecord("house", 3, None, "Committee report"),
        ),
    )
    assert ingest.upsert_bill(session, changed) == "changed"
    db.session.commit()
    bill = ingest.find_bill(session, "HF", 10)
    assert bill.title == "A bill for an act, amended"
    by_key = {(a.chamber, a.number): a for a in bill.actions}
    assert by_key[("house", 2)].id == ids[("house", 2)]
    assert by_key[("house", 2)].text == "Referred to Ways and Means"
    assert by_key[("house", 2)].date == dt.date(2025, 1, 21)
    assert ("house", 3) in by_key


def test_vanished_action_marked_not_deleted(app):
    session = stored_session()
    ingest.upsert_bill(session, make_bill())
    db.session.commit()
    shorter = make_bill(
        actions=(ActionRecord("house", 1, dt.date(2025, 1, 20), "Introduction and first reading"),)
    )
    assert ingest.upsert_bill(session, shorter) == "changed"
    db.session.commit()
    rows = {a.number: a for a in db.session.scalars(select(BillAction))}
    assert set(rows) == {1, 2}
    assert rows[2].missing_from_source and not rows[1].missing_from_source
    # it comes back: unmarked
    ingest.upsert_bill(session, make_bill())
    db.session.commit()
    assert not db.session.scalar(
        select(BillAction).where(BillAction.number == 2)
    ).missing_from_source


def test_listing_new_changed_stale_and_missing(app):
    session = stored_session()
    for number in (10, 11, 12):
        ingest.upsert_bill(session, make_bill(number=number), listing_description=f"d{number}")
    db.session.commit()
    rows = [
        BillSearchResult("HF", 10, "d10", f"{API}/HF/10/"),
        BillSearchResult("HF", 11, "d11 changed", f"{API}/HF/11/"),
        BillSearchResult("HF", 13, "new", f"{API}/HF/13/"),
    ]
    needing = ingest.upsert_bill_listing(session, rows, refresh_days=7)
    db.session.commit()
    assert [(r.bill_type, r.number) for r in needing] == [("HF", 11), ("HF", 13)]
    missing = ingest.find_bill(session, "HF", 12)
    assert missing is not None and missing.missing_from_source  # marked, not deleted
    assert count(Bill) == 3  # the listing alone creates nothing
    # not fetched for longer than the refresh period -> needs detail again
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=8)
    needing = ingest.upsert_bill_listing(
        session, rows[:1], complete=False, refresh_days=7, now=later
    )
    assert [r.number for r in needing] == [10]


def test_periodic_refetch_is_spread_across_the_days() -> None:
    """6,000 unchanged bills fetched together: runs every 4 hours for three weeks
    never refetch more than a steady seventh a day, and each bill at least weekly."""
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    bills = [(t, n) for t in ("HF", "SF") for n in range(1, 3001)]
    fetched = dict.fromkeys(bills, start)
    per_day: dict[dt.date, int] = {}
    longest = dt.timedelta(0)
    for step in range(1, 21 * 6):
        now = start + dt.timedelta(hours=4 * step)
        due = [b for b in bills if ingest.refresh_due(*b, fetched[b], now, 7)]
        for bill in due:
            longest = max(longest, now - fetched[bill])
            fetched[bill] = now
        per_day[now.date()] = per_day.get(now.date(), 0) + len(due)
    assert max(per_day.values()) <= 6000 // 7 * 1.15  # a seventh, give or take the hash
    after_the_first_day = [n for day, n in per_day.items() if day > start.date()]
    assert min(after_the_first_day) >= 6000 // 7 * 0.85  # and steadily, not in bursts
    assert longest <= dt.timedelta(days=7, hours=4)
    assert ingest.refresh_due("HF", 1, None, start, 7)  # never fetched: always due


def test_companions_linked_both_ways(app):
    session = stored_session()
    ingest.upsert_bill(session, make_bill("HF", 2136, companion=("SF", 2551)))
    db.session.commit()
    hf = ingest.find_bill(session, "HF", 2136)
    assert hf.companion_id is None  # the companion is not stored yet
    ingest.upsert_bill(session, make_bill("SF", 2551, companion=("HF", 2136), actions=()))
    db.session.commit()
    hf = ingest.find_bill(session, "HF", 2136)
    sf = ingest.find_bill(session, "SF", 2551)
    assert hf.companion_id == sf.id and sf.companion_id == hf.id


def test_authors_matched_by_member_id_then_printed_name(app):
    session = stored_session()
    ingest.upsert_people(
        [
            PersonRecord(
                name="Tove Marchetti",
                given_name="Tove",
                family_name="Marchetti",
                house_member_id="77001",
                terms=(TermRecord("house", "12A", "DFL", dt.date(2023, 1, 3), None),),
            ),
            PersonRecord(
                name="Birger Quillfeather",
                given_name="Birger",
                family_name="Quillfeather",
                openstates_id="0a0a0a0a-1111-4222-8333-444455556666",
                terms=(TermRecord("senate", "40", "R", dt.date(2023, 1, 3), None),),
            ),
            # same printed form, but not seated in the House during the session
            PersonRecord(
                name="Bertil Quillfeather",
                given_name="Bertil",
                family_name="Quillfeather",
                terms=(TermRecord("house", "9B", "R", dt.date(2001, 1, 2), dt.date(2005, 1, 3)),),
            ),
        ]
    )
    db.session.commit()
    authors = (
        AuthorRecord("house", "Marchetti, T.", "77001", True, 1),
        AuthorRecord("senate", "Quillfeather, B.", None, True, 1),
        AuthorRecord("house", "Unknownson", None, False, 2),
    )
    ingest.upsert_bill(session, make_bill(authors=authors))
    db.session.commit()
    rows = {(a.chamber, a.position): a for a in db.session.scalars(select(Authorship))}
    assert rows[("house", 1)].person.name == "Tove Marchetti"
    assert rows[("house", 1)].chief
    assert rows[("senate", 1)].person.name == "Birger Quillfeather"
    assert rows[("house", 2)].person_id is None and not rows[("house", 2)].chief


def _mismatched_author():
    """An invented bill whose first House author is printed Pérez-Vallejo with the
    member key of Gunnar Threlkeld."""
    session = stored_session()
    ingest.upsert_people(
        [
            PersonRecord(
                name="Inés Pérez-Vallejo",
                given_name="Inés",
                family_name="Pérez-Vallejo",
                house_member_id="77010",
                terms=(TermRecord("house", "61A", "DFL", dt.date(2025, 1, 14), None),),
            ),
            PersonRecord(
                name="Gunnar Threlkeld",
                given_name="Gunnar",
                family_name="Threlkeld",
                house_member_id="77011",
                terms=(TermRecord("house", "12B", "R", dt.date(2025, 1, 14), None),),
            ),
        ]
    )
    db.session.commit()
    authors = (
        AuthorRecord("house", "Pérez-Vallejo", "77011", True, 1),
        AuthorRecord("house", "Threlkeld, G.", "77011", False, 2),
    )
    ingest.upsert_bill(session, make_bill(authors=authors))
    db.session.commit()
    return session, authors


def test_author_key_pointing_at_someone_else_is_not_followed(app, admin_user):
    """The printed Pérez-Vallejo with the member key of another member: kept as a
    printed name, flagged, settled by staff (invented members)."""
    session, authors = _mismatched_author()
    rows = {a.position: a for a in db.session.scalars(select(Authorship))}
    assert rows[1].person_id is None  # never silently Threlkeld, nor guessed as Pérez-Vallejo
    assert rows[1].printed_name == "Pérez-Vallejo"
    assert rows[2].person.name == "Gunnar Threlkeld"  # key and name agree
    [item] = quality.open_items(["author_mismatch"])
    assert "member key 77011 points at Gunnar Threlkeld" in item.message
    assert "the name resolves to Inés Pérez-Vallejo" in item.message
    # a re-scrape keeps it unlinked and does not duplicate the item
    ingest.upsert_bill(session, make_bill(authors=authors, title="changed"))
    db.session.commit()
    assert rows[1].person_id is None and len(quality.open_items(["author_mismatch"])) == 1
    # staff settle it; the choice holds on the next scrape
    perez = db.session.scalar(select(Person).where(Person.family_name == "Pérez-Vallejo"))
    authorship.settle(item, perez, "The Revisor keyed the wrong member.", admin_user)
    db.session.commit()
    ingest.upsert_bill(session, make_bill(authors=authors, title="changed again"))
    db.session.commit()
    assert rows[1].person_id == perez.id and item.status == "resolved"
    assert (
        db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "author.settle"))
        == "author.settle"
    )


def test_staff_settle_an_author_on_the_data_quality_page(app, client, auth, staff_user):
    _mismatched_author()
    [item] = quality.open_items(["author_mismatch"])
    auth.login()
    page = client.get("/staff/quality").get_data(as_text=True)
    form = page.split("Settle author")[0].rsplit("<form", 1)[1]
    assert "Inés Pérez-Vallejo" in form and "Nobody: keep it as a printed name" in form
    perez = db.session.scalar(select(Person).where(Person.family_name == "Pérez-Vallejo"))
    path = f"/staff/quality/{item.id}/author"
    short = client.post(
        path,
        data={
            "person_id": str(perez.id),
            "note": "wrong",
            "csrf_token": csrf_token(client, "/staff/quality"),
        },
    )
    assert short.status_code == 302 and item.status == "open"
    done = client.post(
        path,
        follow_redirects=True,
        data={
            "person_id": str(perez.id),
            "note": "The Revisor keyed the wrong member.",
            "csrf_token": csrf_token(client, "/staff/quality"),
        },
    )
    assert "Settled: &#39;Pérez-Vallejo&#39; on HF" in done.get_data(as_text=True)
    db.session.expire_all()
    first = db.session.scalar(select(Authorship).where(Authorship.position == 1))
    assert first.person_id == perez.id
    assert db.session.get(type(item), item.id).status == "resolved"


def test_special_session_renumbering(app):
    regular = stored_session("2025-2026")
    special = stored_session("2025s1")
    ingest.upsert_bill(regular, fixture_bill("bill_status_hf5_2025.xml"))
    ingest.upsert_bill(special, fixture_bill("bill_status_hf5_2025s1.xml", "2025s1"))
    db.session.commit()
    hf5 = db.session.scalars(select(Bill).where(Bill.number == 5, Bill.bill_type == "HF")).all()
    assert len(hf5) == 2
    assert {b.session.identifier for b in hf5} == {"2025-2026", "2025s1"}
    assert len({b.title for b in hf5}) == 2


def test_people_terms_with_missing_dates_kept_and_idempotent(app):
    record = PersonRecord(
        name="Ingrid Vossberg",
        given_name="Ingrid",
        family_name="Vossberg",
        openstates_id="12345678-aaaa-4bbb-8ccc-1234567890ab",
        other_names=("Vossberg, I.",),
        terms=(
            TermRecord("senate", "30", "DFL", None, None),
            TermRecord("house", "30B", "DFL", None, dt.date(2021, 1, 4)),
        ),
    )
    counts = ingest.upsert_people([record])
    db.session.commit()
    assert counts.new == 1
    person = db.session.scalar(select(Person))
    assert person.public_id == "12345678-aaaa-4bbb-8ccc-1234567890ab"
    dates = sorted((t.chamber, t.start_date, t.end_date) for t in person.terms)
    assert dates == [("house", None, dt.date(2021, 1, 4)), ("senate", None, None)]
    assert {n.name for n in person.names} == {"Vossberg", "Vossberg, I."}
    counts = ingest.upsert_people([record])
    assert (counts.new, counts.changed, counts.unchanged) == (0, 0, 1)
    assert not db.session.new and not any(db.session.is_modified(o) for o in db.session.dirty)
    assert count(PersonName) == 2


def test_person_matched_by_chamber_id_gets_open_states_id(app):
    ingest.upsert_people([PersonRecord(name="Oda Fenwright", senate_member_id="9911")])
    db.session.commit()
    generated = db.session.scalar(select(Person)).public_id
    ingest.upsert_people(
        [
            PersonRecord(
                name="Oda Fenwright",
                openstates_id="aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
                senate_member_id="9911",
            )
        ]
    )
    db.session.commit()
    person = db.session.scalar(select(Person))
    assert count(Person) == 1
    assert person.openstates_id == "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
    assert person.public_id == generated  # public ids never change


def test_vanished_author_is_marked_not_deleted(app):
    session = stored_session("2025-2026")
    both = (
        AuthorRecord("house", "Marchetti, T.", None, True, 1),
        AuthorRecord("house", "Quillfeather, B.", None, False, 2),
    )
    ingest.upsert_bill(session, make_bill(authors=both))
    db.session.commit()
    ingest.upsert_bill(session, make_bill(authors=both[:1]))
    db.session.commit()
    rows = {a.printed_name: a for a in db.session.scalars(select(Authorship))}
    assert set(rows) == {"Marchetti, T.", "Quillfeather, B."}
    assert rows["Quillfeather, B."].missing_from_source
    assert not rows["Marchetti, T."].missing_from_source
    ingest.upsert_bill(session, make_bill(authors=both))  # listed again
    db.session.commit()
    assert not db.session.scalar(
        select(Authorship).where(Authorship.printed_name == "Quillfeather, B.")
    ).missing_from_source


def test_long_party_names_are_kept_whole(app):
    ingest.upsert_people(
        [
            PersonRecord(
                name="Ottilie Quarrington",
                openstates_id="9a1e0000-0000-4000-8000-000000000001",
                terms=(TermRecord("house", "3A", "Progressive/Democratic", None, None),),
            ),
        ]
    )
    db.session.commit()
    assert db.session.scalar(select(Term.party)) == "Progressive/Democratic"
