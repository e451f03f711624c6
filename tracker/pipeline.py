"""Fetch -> parse -> ingest, one ``ScrapeRun`` row per run.

The scheduler and the CLI call these functions by name:

* :func:`scrape_sessions` - the Revisor session list;
* :func:`scrape_legislators` - the Senate members JSON and the House member list,
  merged with what is stored, photos downloaded into ``instance/photos``;
* :func:`import_people` - an Open States people directory (YAML);
* :func:`scrape_bills` - the Revisor XML search per chamber and bill type (the
  cheap listing), then the status XML of the bills that need it.

Runs are opened and closed by :mod:`tracker.runs` (status, counts, errors,
abandoned runs).  A run fails as a whole when a listing cannot be fetched or
parsed, or is empty where rows are expected.  Work is committed per item, so a
crash mid-run keeps what was done.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from scrapers import revisor, vocab
from scrapers.http import FetchError, HttpClient
from scrapers.parsing import ParseError
from scrapers.people import (
    PeopleParseError,
    load_openstates_dir,
    merge_people,
    parse_house_member_list,
    parse_senate_members_json,
)
from scrapers.records import BillSearchResult, PersonRecord
from scrapers.sessions import parse_session_list
from scrapers.sources import Sources
from tracker import ingest, localtime, runs
from tracker.authors import AuthorResolver
from tracker.demo import refuse_if_demo
from tracker.extensions import db
from tracker.models import Bill, LegislativeSession, ScrapeRun
from tracker.models.common import utcnow
from tracker.roster import derive, reresolve_rolls
from tracker.runs import Production, Progress, Run, RunFailed, running, sources
from tracker.sessions import SESSION_ID, default_session, ensure_session, parse_bill_arg
from tracker.settings import current
from tracker.votes import scrape_votes  # a pipeline job: tracker.jobs finds it here

log = logging.getLogger(__name__)

SENATE_MEMBERS_PATH = "/api/members"
# The House member list in the ``div#Alpha div.media.my-3`` layout (mn-sources §6,
# legacy ``hmem.asp``; the host is rebased onto TRACKER_HOUSE_URL).  Unverified live.
HOUSE_MEMBERS_PATH = "/members/hmem.asp"

PHOTO_TYPES = {
    "image/jpeg": "jpg",
    "image/jpg": "jpg",
    "image/pjpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
}
PHOTO_MAX_BYTES = 2 * 1024 * 1024
_PHOTO_MAGIC = {
    "jpg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
}

# Search listings: (chamber, Revisor body, search bill_type).  ``bill`` listings of
# a session that has started are expected to have rows.
LISTINGS = tuple(
    (chamber, body, kind)
    for chamber, body in ((vocab.HOUSE, "House"), (vocab.SENATE, "Senate"))
    for kind in revisor.SEARCH_BILL_TYPES
)

_ITEM_ERRORS = (FetchError, ParseError, PeopleParseError, ValueError)


# ---------------------------------------------------------------- sessions


def scrape_sessions(
    *, record: str | None = None, replay: str | None = None, triggered_by: str = "cli"
) -> ScrapeRun:
    """Discover sessions from the Revisor session list and upsert them."""
    refuse_if_demo("scraping sessions")
    src = sources()
    with runs.client(record, replay) as client:
        with running("sessions", {"record": record, "replay": replay}, triggered_by, client) as run:
            url = revisor.session_list_url(src.revisor)
            response = client.get(url)
            run.bump("fetched")
            records = parse_session_list(response.content, source_url=url)
            run.add(ingest.upsert_sessions(records))
            run.commit()
    return run.row


# ---------------------------------------------------------------- people


def _merge_openstates_duplicates(
    records: list[PersonRecord],
) -> tuple[list[PersonRecord], list[str]]:
    """Fold Open States duplicates (two files with different ids sharing a chamber
    member id) into the first one.

    The real data has two such cases: one member with a file in ``legislature/`` and
    another in ``retired/`` sharing a House member id, and one with two files in
    ``retired/``.  ``load_openstates_dir`` yields ``legislature/`` first and files in
    name order, so the ``legislature/`` file (or the first retired one) is the
    authoritative record; the other's terms and names are merged into it.  Its Open
    States id cannot be kept (no alias column), so it is reported as a data-quality
    note in the run's errors.
    """
    owner: dict[tuple[str, str], str] = {}  # (id field, value) -> authoritative os id
    alias: dict[str, str] = {}  # duplicate os id -> authoritative os id
    for record in records:
        if not record.openstates_id:
            continue
        for attr in ("house_member_id", "senate_member_id"):
            value = getattr(record, attr)
            if not value:
                continue
            first = owner.setdefault((attr, value), record.openstates_id)
            if first != record.openstates_id and record.openstates_id not in alias:
                alias[record.openstates_id] = alias.get(first, first)
    notes = [
        f"duplicate Open States record merged: {dup} into {main}" for dup, main in alias.items()
    ]
    merged = [
        replace(r, openstates_id=alias[r.openstates_id]) if r.openstates_id in alias else r
        for r in records
    ]
    return merged, notes


def import_people(path: str | Path, *, triggered_by: str = "cli") -> ScrapeRun:
    """Import an Open States people directory (``legislature/`` and ``retired/``)."""
    refuse_if_demo("importing people")
    with running("import_people", {"path": str(path)}, triggered_by) as run:
        records = list(load_openstates_dir(path))
        if not records:
            raise RunFailed(f"no people found in {path}")
        run.bump("fetched", len(records))
        records, notes = _merge_openstates_duplicates(records)
        for note in notes:
            run.note("openstates", note)
        try:
            people = merge_people(records)
        except ValueError as exc:
            raise RunFailed(str(exc)) from exc
        _upsert_people_per_item(run, people, roster=False)
        reresolve_rolls()  # the recorded spans changed: resolve the stored rolls again
        ingest.relink_authors()
        run.commit()
    return run.row


def _upsert_people_per_item(
    run: Run, people: list[PersonRecord], *, roster: bool, seen_on: dt.date | None = None
) -> None:
    """Upsert each person (committed one by one) and derive their terms' bounds; a
    chamber roster fetched on ``seen_on`` is evidence that its members sat that day."""
    now = utcnow()
    for record in people:
        try:
            person, outcome = ingest.upsert_person(
                record, now=now, roster=roster, name_source="roster" if roster else "openstates"
            )
            if seen_on is not None and ingest.record_seen(
                person, record.terms, day=seen_on, source_url=record.source_url
            ):
                derive([person.id])
            run.bump(outcome)
            run.commit()
        except SQLAlchemyError as exc:
            db.session.rollback()
            run.item_failed(record.name, record.source_url, f"database: {exc}")


def scrape_legislators(
    *,
    record: str | None = None,
    replay: str | None = None,
    triggered_by: str = "cli",
    progress: Progress | None = None,
) -> ScrapeRun:
    """Senate members JSON and House member list, merged with what is stored, with
    photos.  Either roster failing fails the run (nothing is stored)."""
    refuse_if_demo("scraping legislators")
    src = sources()
    today = localtime.today()
    options = {"record": record, "replay": replay}
    with runs.client(record, replay) as client:
        with running("legislators", options, triggered_by, client) as run:
            senate_url = src.senate + SENATE_MEMBERS_PATH
            senate = parse_senate_members_json(
                client.get(senate_url).content, source_url=senate_url, as_of=today
            )
            run.bump("fetched")
            house_url = src.house + HOUSE_MEMBERS_PATH
            house = parse_house_member_list(client.get(house_url).content, source_url=house_url)
            run.bump("fetched")
            # Links in the rosters point at production hosts (so stored URLs are real).
            house = [_production_links(r, src) for r in house]
            senate = [_production_links(r, src) for r in senate]
            try:
                people = merge_people(senate + house)
            except ValueError as exc:
                raise RunFailed(str(exc)) from exc
            _upsert_people_per_item(run, people, roster=True, seen_on=today)
            for done, person_record in enumerate(people, start=1):
                _fetch_photo(run, client, src, person_record)
                if progress:
                    progress(done, len(people))
    return run.row


def _production_links(record: PersonRecord, src: Sources) -> PersonRecord:

    production = Production(src)

    def back(url: str | None) -> str | None:
        return production.url(url) if url else url

    return replace(
        record,
        profile_url=back(record.profile_url),
        photo_url=back(record.photo_url),
        source_url=back(record.source_url),
    )


def photo_dir() -> Path:
    return Path(current_app.instance_path) / "photos"


def _fetch_photo(run: Run, client: HttpClient, src: Sources, record: PersonRecord) -> None:
    if not record.photo_url:
        return
    person = ingest.find_person(record)
    if person is None:
        return
    url = src.rebase(record.photo_url)
    item = f"photo of {person.name}"
    try:
        response = client.get(url)
    except FetchError as exc:
        run.item_failed(item, url, exc.reason)
        run.commit()
        return
    run.bump("fetched")
    ctype = (response.header("Content-Type") or "").split(";")[0].strip().lower()
    ext = PHOTO_TYPES.get(ctype)
    reason = None
    if ext is None:
        reason = f"not an accepted image type: {ctype or 'no Content-Type'}"
    elif len(response.content) > PHOTO_MAX_BYTES:
        reason = f"photo too large: {len(response.content)} bytes (limit {PHOTO_MAX_BYTES})"
    elif not response.content.startswith(_PHOTO_MAGIC[ext]):
        reason = f"body is not a {ext} image"
    if reason or ext is None:
        run.item_failed(item, url, reason or "bad photo")
        run.commit()
        return
    folder = photo_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{person.public_id}.{ext}"
    target = folder / name
    if not target.exists() or target.read_bytes() != response.content:
        tmp = target.with_suffix(target.suffix + ".tmp")
        tmp.write_bytes(response.content)
        tmp.replace(target)
        if person.photo_path and person.photo_path != name:
            (folder / person.photo_path).unlink(missing_ok=True)
    if person.photo_path != name:
        person.photo_path = name
    run.commit()


# ---------------------------------------------------------------- bills


def _listing(
    client: HttpClient, src: Sources, session: LegislativeSession, run: Run
) -> list[BillSearchResult]:
    """Every row of the session's search listing, or RunFailed."""
    rows: list[BillSearchResult] = []
    stored_types = {
        t
        for (t,) in db.session.execute(
            select(Bill.bill_type).where(Bill.session_id == session.id).distinct()
        )
    }
    started = session.start_date is None or session.start_date <= localtime.today()
    for chamber, body, kind in LISTINGS:

        def fetch(start: int, end: int, body: str = body, kind: str = kind) -> list[Any]:
            url = revisor.search_url(
                src.revisor,
                chamber_body=body,
                session_code=session.revisor_code,
                start=start,
                end=end,
                bill_type=kind,
            )
            response = client.get(url)
            run.bump("fetched")
            return revisor.parse_search_xml(response.content, source_url=url)

        try:
            found = list(revisor.walk_search(fetch))
        except RuntimeError as exc:
            raise RunFailed(f"{body} {kind} listing: {exc}") from exc
        prefix = "HF" if chamber == vocab.HOUSE else "SF"
        if kind == "bill" and not found and (prefix in stored_types or started):
            raise RunFailed(
                f"the {body} {kind} listing of {session.identifier} has no rows where rows "
                "are expected; nothing was ingested"
            )
        rows.extend(found)
    return rows


def _bill_url(src: Sources, session: LegislativeSession, bill_type: str, number: int) -> str:
    return revisor.status_xml_url(
        revisor.API_BASE,
        session.legislature,
        session.year,
        session.special_number,
        bill_type,
        number,
    )


def scrape_bills(
    *,
    session: str | None = None,
    bill: str | None = None,
    full: bool = False,
    record: str | None = None,
    replay: str | None = None,
    triggered_by: str = "cli",
    progress: Progress | None = None,
) -> ScrapeRun:
    """Walk the listing, then fetch the status XML of the bills that need it (all of
    them with ``full``); ``bill`` (``HF2136``) fetches just that one."""
    refuse_if_demo("scraping bills")
    wanted = parse_bill_arg(bill) if bill else None
    if session is not None and not SESSION_ID.match(session):
        raise ValueError(f"session must look like 2025-2026 or 2025s1, not {session!r}")
    stored_session = ensure_session(session) if session else default_session()
    identifier = stored_session.identifier
    session_id = stored_session.id
    src = sources()
    refresh_days = current().refresh_days
    options = {
        "session": identifier,
        "bill": f"{wanted[0]}{wanted[1]}" if wanted else None,
        "full": full,
        "record": record,
        "replay": replay,
    }
    with runs.client(record, replay) as client:
        with running("bills", options, triggered_by, client) as run:
            sess = db.session.get(LegislativeSession, session_id)
            assert sess is not None
            if wanted:
                url = _bill_url(src, sess, *wanted)
                todo = [BillSearchResult(wanted[0], wanted[1], "", url)]
                descriptions: dict[tuple[str, int], str | None] = {wanted: None}
            else:
                listing = _listing(client, src, sess, run)
                descriptions = {(r.bill_type, r.number): r.description for r in listing}
                needing = ingest.upsert_bill_listing(
                    sess, listing, complete=True, refresh_days=refresh_days
                )
                todo = listing if full else needing
                run.bump("unchanged", len(listing) - len(todo))
                run.commit()
            authors = AuthorResolver()  # the roster, loaded once for the run
            for done, row in enumerate(todo, start=1):
                _scrape_one_bill(
                    run, client, src, identifier, session_id, row, descriptions, authors
                )
                if progress:
                    progress(done, len(todo))
    return run.row


def _scrape_one_bill(
    run: Run,
    client: HttpClient,
    src: Sources,
    identifier: str,
    session_id: int,
    row: BillSearchResult,
    descriptions: dict[tuple[str, int], str | None],
    authors: AuthorResolver,
) -> None:
    key = f"{row.bill_type}{row.number}"
    url = src.rebase(row.status_xml_url)
    try:
        response = client.get(url)
        run.bump("fetched")
        parsed = revisor.parse_bill_status_xml(
            response.content, source_url=row.status_xml_url, session=identifier
        )
        if (parsed.bill_type, parsed.number) != (row.bill_type, row.number):
            raise ParseError(
                f"document is for {parsed.key}, not {key}", source_url=row.status_xml_url
            )
    except _ITEM_ERRORS as exc:
        run.item_failed(key, url, getattr(exc, "reason", None) or str(exc))
        run.commit()
        return
    try:
        sess = db.session.get(LegislativeSession, session_id)
        assert sess is not None
        outcome = ingest.upsert_bill(
            sess,
            parsed,
            listing_description=descriptions.get((row.bill_type, row.number)),
            authors=authors,
        )
        run.bump(outcome)
        run.commit()
    except (SQLAlchemyError, ValueError) as exc:
        db.session.rollback()
        run.item_failed(key, url, f"could not store: {exc}")
        run.commit()


__all__ = [
    "RunFailed",
    "default_session",
    "ensure_session",
    "import_people",
    "parse_bill_arg",
    "scrape_bills",
    "scrape_legislators",
    "scrape_sessions",
    "scrape_votes",
]
