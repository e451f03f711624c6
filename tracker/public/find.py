"""Find your legislators: by address, district, name or the browser's location.

Addresses and locations are POSTed, so they never appear in URLs or access
logs, and they are never stored.  Districts and names are GETs (shareable).
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from sqlalchemy import inspect, select
from sqlalchemy.orm import selectinload

from tracker import headline, localtime, lookup, seats
from tracker.extensions import csrf, db
from tracker.models import Person
from tracker.pagecache import cached_page
from tracker.public import bp


def _render(status: int = 200, **context: Any) -> tuple[str, int]:
    context.setdefault("shapes", lookup.shapes_available())
    people = [p for p in (context.get("seated") or {}).values() if p is not None]
    people += context.get("matches") or []
    context["scores"] = headline.headlines(p.id for p in people)
    unloaded = [p.id for p in people if "terms" in inspect(p).unloaded]
    if unloaded:  # every card and name says party and seat: their terms, in one query
        db.session.scalars(
            select(Person).options(selectinload(Person.terms)).where(Person.id.in_(unloaded))
        ).all()
    context["terms"] = {p.id: seats.current_term(p) for p in people}
    context["now_serving"] = seats.serving
    return render_template("public/find.html", **context), status


@bp.get("/find")
@cached_page
def find() -> tuple[str, int]:
    district = request.args.get("district", "").strip()
    name = request.args.get("name", "").strip()
    today = localtime.today()
    if district:
        try:
            house, senate = lookup.normalize_district(district)
        except lookup.LookupProblem as problem:
            return _render(400, problem=problem.message, district=district[:40])
        seated = lookup.legislators_for(house, senate, on=today)
        return _render(
            district=district[:40], house=house, senate=senate, seated=seated, method="district"
        )
    if name:
        try:
            matches = lookup.search_by_name(name)
        except lookup.LookupProblem as problem:
            return _render(400, problem=problem.message, name=name[:100])
        return _render(name=name, matches=matches, method="name")
    return _render()


@bp.post("/find")
# A public lookup that changes nothing; embeds post here from other sites.  (Flask-WTF
# ships no type information, so its decorator is untyped.)
@csrf.exempt  # type: ignore[untyped-decorator]
def find_post() -> tuple[str, int]:
    address = request.form.get("address", "")
    lat, lon = request.form.get("lat"), request.form.get("lon")
    today = localtime.today()
    if lat is not None or lon is not None:
        try:
            point = lookup.check_point(lon, lat)
            house, senate = lookup.districts_at(*point)
        except lookup.LookupProblem as problem:
            return _render(400, problem=problem.message)
        return _render(
            house=house,
            senate=senate,
            method="location",
            seated=lookup.legislators_for(house, senate, on=today),
        )
    try:
        found = lookup.lookup_address(address)
    except lookup.GeocoderUnavailable:
        return _render(
            503,
            problem=(
                "The address service is not answering right now. Try your district number "
                "or your legislator's name below, or try the address again in a few minutes."
            ),
        )
    except lookup.LookupProblem as problem:
        return _render(400, problem=problem.message)
    if not found.matched:
        return _render(
            problem=(
                "We could not find that address. Check the spelling, add the city and ZIP code, "
                "or look up by district or name instead."
            )
        )
    return _render(
        house=found.house,
        senate=found.senate,
        method=found.method,
        matched_address=found.matched_address,
        notes=found.notes,
        seated=lookup.legislators_for(found.house, found.senate, on=today),
    )
