"""Find a member's districts and legislators: by name, district, address or location.

The public pages call these functions; everything here is independent of the
request cycle (it needs an app context for the database and configuration).

Errors a member can fix (a bad district, an over-long query, a point outside
Minnesota) raise :class:`LookupProblem`, whose message is written for the page.
A geocoder that cannot answer raises :class:`GeocoderUnavailable`; the page
says so and offers the other ways.

Privacy: addresses are never stored and never logged.  Nothing here logs the
address or the geocoder URL (which carries it); urllib3's debug log of request
lines is silenced for the geocoder call, and exceptions raised from it do not
carry the underlying ``requests`` error (whose text holds the URL).

API::

    normalize_district("HD 62A")          -> ("62A", "62")
    normalize_district("SD 50")           -> (None, "50")
    legislators_for("62A", "62", on=day)  -> {"house": Person | None, "senate": ...}
    search_by_name("hernandez")           -> [Person, ...]
    geocode_address("...")                -> GeocodeResult
    districts_at(lon, lat)                -> (house | None, senate | None)
    lookup_address("...")                 -> AddressLookup
    import_districts(path, chamber=None)  -> ImportCounts
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import io
import json
import logging
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import delete, select

from scrapers.names import fold
from tracker import dataversion, seats
from tracker.extensions import db
from tracker.models import DistrictShape, Person
from tracker.models.common import utcnow
from tracker.models.districts import INVENTED_SOURCE
from tracker.settings import current

# Only imported boundaries place an address or a location: never the demo's invented map.
REAL_SHAPES = DistrictShape.source_file != INVENTED_SOURCE

SENATE_DISTRICTS = 67
HOUSE = "house"
SENATE = "senate"
MN_STATE_FIPS = "27"
# Minnesota's extent (lon/lat), padded by about 0.2 degrees: "roughly in Minnesota".
MN_BBOX = (-97.45, 43.30, -89.30, 49.60)

USER_AGENT = "mn-tracker/0.1 (Minnesota legislator lookup)"

NAME_QUERY_MIN = 2
NAME_QUERY_MAX = 100
ADDRESS_MIN = 5
ADDRESS_MAX = 200

METHOD_GEOCODER = "geocoder"
METHOD_BOUNDARIES = "boundaries"
METHOD_BOTH = "geocoder+boundaries"


class LookupProblem(LookupError):
    """Input a member can correct; ``message`` is fit to show on the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class GeocoderUnavailable(RuntimeError):
    """The geocoder timed out, could not be reached, failed, or answered nonsense.
    The message never contains the address."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DistrictImportError(ValueError):
    """A boundary file that cannot be imported; nothing was changed."""


# ---------------------------------------------------------------- districts

_DISTRICT_RE = re.compile(
    r"""^\s*
    (?:(?:state\s+|mn\s+|minnesota\s+)?
       (?P<kind>house|senate|hd|sd|h|s|l|u)(?:\s*(?:district|dist\.?))?\s*(?:no\.?|\#)?
       \s*[-:]?)?
    \s*
    (?P<number>[0-9]{1,3})\s*-?\s*(?P<letter>[a-z])?\s*$""",
    re.IGNORECASE | re.VERBOSE | re.ASCII,
)
_HOUSE_KINDS = {"house", "hd", "h", "l"}


def normalize_district(text: str | None) -> tuple[str | None, str]:
    """Read a district as a member types it; returns ``(house, senate)``.

    ``62A``, ``62 a``, ``HD 62A``, ``House District 62A``, ``062A`` give
    ``("62A", "62")`` (a House district and the Senate district containing it);
    ``50``, ``SD 50``, ``Senate District 50``, ``050`` give ``(None, "50")``.
    Raises :class:`LookupProblem` for anything else (district 0 or 68+, a
    letter other than A or B, a House district without its letter, nonsense).
    """
    if text is None or not text.strip():
        raise LookupProblem("Enter a district number, such as 62A (House) or 50 (Senate).")
    if len(text) > 40:
        raise LookupProblem("That is too long for a district; try something like 62A or 50.")
    match = _DISTRICT_RE.match(text)
    if not match:
        raise LookupProblem(
            f"“{text.strip()}” is not a district; try something like 62A (House) or 50 (Senate)."
        )
    number = int(match["number"])
    letter = (match["letter"] or "").upper()
    kind = (match["kind"] or "").lower()
    if not 1 <= number <= SENATE_DISTRICTS:
        raise LookupProblem(
            f"Minnesota's districts are numbered 1 to {SENATE_DISTRICTS}; there is no district "
            f"{number}."
        )
    if letter and letter not in "AB":
        raise LookupProblem(
            f"House districts end in A or B (such as {number}A); “{letter}” is not one."
        )
    if letter:
        if kind and kind not in _HOUSE_KINDS:
            raise LookupProblem(
                f"Senate districts are numbers only; {number}{letter} is a House district."
            )
        return f"{number}{letter}", str(number)
    if kind in _HOUSE_KINDS:
        raise LookupProblem(f"House districts have a letter: {number}A or {number}B.")
    return None, str(number)


def senate_district_of(house_district: str) -> str:
    """The Senate district containing a House district (``62A`` -> ``62``)."""
    house, senate = normalize_district(house_district)
    if house is None:
        raise LookupProblem(f"{house_district} is not a House district.")
    return senate


def _check_district(chamber: str, district: str | None) -> str | None:
    if district is None or district == "":
        return None
    house, senate = normalize_district(district)
    if chamber == HOUSE:
        if house is None:
            raise LookupProblem(f"{district} is not a House district (such as 62A).")
        return house
    if house is not None:
        raise LookupProblem(f"{district} is not a Senate district (such as 62).")
    return senate


# ---------------------------------------------------------------- legislators


def legislators_for(
    house_district: str | None, senate_district: str | None, on: dt.date
) -> dict[str, Person | None]:
    """Who holds each seat on ``on``: ``{"house": Person | None, "senate": ...}``.

    A seat is held by the person the seat rule (``tracker.seats``) counts as
    holding it that day.  ``None`` means vacant on that date, or no district
    given.  Districts may be given in any form :func:`normalize_district` reads.
    """
    wanted: dict[str, str] = {}
    for chamber, raw in ((HOUSE, house_district), (SENATE, senate_district)):
        district = _check_district(chamber, raw)
        if district is not None:
            wanted[chamber] = district
    held = seats.holders_of(wanted.items(), on)
    result: dict[str, Person | None] = {HOUSE: None, SENATE: None}
    for chamber, district in wanted.items():
        term = held.get((chamber, district))
        result[chamber] = term.person if term is not None else None
    return result


# ---------------------------------------------------------------- names


def search_by_name(query: str, limit: int = 20) -> list[Person]:
    """People whose name, or a printed form of it (``Johnson, P.``), contains
    ``query`` — case- and accent-insensitive, literally (``%`` and ``_`` are
    ordinary characters).  Names starting with the query come first, then by
    family name.  Queries under 2 or over 100 characters raise :class:`LookupProblem`.

    The comparison is :func:`tracker.search.name_ranks`, the one name search.
    """
    from tracker.search import name_ranks

    needle = fold(query or "")
    if len(needle) < NAME_QUERY_MIN:
        raise LookupProblem("Type at least two letters of the name.")
    if len((query or "").strip()) > NAME_QUERY_MAX:
        raise LookupProblem(f"That is too long for a name (at most {NAME_QUERY_MAX} characters).")
    limit = max(1, min(int(limit), 200))
    best = name_ranks(needle)
    if not best:
        return []
    people = db.session.scalars(select(Person).where(Person.id.in_(list(best)))).all()
    people = sorted(
        people,
        key=lambda p: (best[p.id], fold(p.family_name or p.name), fold(p.name), p.id),
    )
    return list(people[:limit])


# ---------------------------------------------------------------- geocoder


@dataclass(frozen=True)
class GeocodeResult:
    """The Census geocoder's answer.  ``matched`` is False when it found no
    address.  ``in_minnesota`` is False for a match in another state (the
    districts are then None).  ``lon``/``lat`` are the geocoder's x/y."""

    matched: bool
    matched_address: str | None = None
    lon: float | None = None
    lat: float | None = None
    state: str | None = None
    house: str | None = None
    senate: str | None = None

    @property
    def in_minnesota(self) -> bool:
        return self.matched and self.state == MN_STATE_FIPS


_quiet_http = contextvars.ContextVar("tracker_lookup_quiet_http", default=False)


class _QuietHttpFilter(logging.Filter):
    """Drops urllib3/requests log records while a geocoder call is running:
    urllib3 logs request lines, query string (the address) included, at DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not _quiet_http.get()


_QUIET_LOGGERS = ("urllib3", "urllib3.connectionpool", "urllib3.util.retry", "requests")
_quiet_filter = _QuietHttpFilter()


def _install_quiet_filter() -> None:
    for name in _QUIET_LOGGERS:
        logger = logging.getLogger(name)
        if _quiet_filter not in logger.filters:
            logger.addFilter(_quiet_filter)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    _install_quiet_filter()
    token = _quiet_http.set(True)
    try:
        yield
    finally:
        _quiet_http.reset(token)


def _check_address(address: str | None) -> str:
    cleaned = " ".join((address or "").split())
    if any(unicodedata.category(c) == "Cc" for c in cleaned):
        raise LookupProblem("The address contains characters that cannot be in an address.")
    if len(cleaned) < ADDRESS_MIN:
        raise LookupProblem("Enter a street address, city and ZIP code.")
    if len(cleaned) > ADDRESS_MAX:
        raise LookupProblem(f"That address is too long (at most {ADDRESS_MAX} characters).")
    return cleaned


def geocode_address(address: str) -> GeocodeResult:
    """Ask the Census Bureau geocoder (``TRACKER_GEOCODER_URL``, geographies
    endpoint) for an address's coordinates and state legislative districts.

    Returns ``GeocodeResult(matched=False)`` when no address matched.  Raises
    :class:`LookupProblem` for an empty or absurd address and
    :class:`GeocoderUnavailable` on a timeout, a connection error, a server
    error or a body that is not the documented format.  One retry at most,
    only when the connection could not be made or a gateway said 502-504.
    The address is neither logged nor kept.
    """
    cleaned = _check_address(address)
    settings = current()
    url, timeout, layers = (
        settings.geocoder_url,
        settings.geocoder_timeout,
        settings.geocoder_layers,
    )
    params = {
        "address": cleaned,
        "benchmark": "Public_AR_Current",
        "vintage": "Current_Current",
        "layers": layers,
        "format": "json",
    }
    contact = settings.contact_email
    agent = f"{USER_AGENT[:-1]}; {contact})" if contact else USER_AGENT
    headers = {"User-Agent": agent, "Accept": "application/json"}
    response = None
    failure = "the address service did not answer"
    with _quiet():
        for attempt in range(2):
            try:
                response = requests.get(
                    url, params=params, headers=headers, timeout=(min(timeout, 3.05), timeout)
                )
            except requests.exceptions.ConnectTimeout:
                failure = "the address service could not be reached in time"
            except requests.exceptions.Timeout:
                failure = "the address service took too long to answer"
                response = None
                break  # a slow service gets no second chance: the member is waiting
            except requests.exceptions.RequestException:
                failure = "the address service could not be reached"
            else:
                if response.status_code in (502, 503, 504) and attempt == 0:
                    response.close()
                    response = None
                    failure = "the address service is unavailable"
                    continue
                break
    if response is None:
        raise GeocoderUnavailable(f"Address lookup is unavailable: {failure}.") from None
    with contextlib.closing(response):
        status = response.status_code
        if status == 400:
            # The geocoder rejects input it cannot parse as an address.
            return GeocodeResult(matched=False)
        if status != 200:
            raise GeocoderUnavailable(
                f"Address lookup is unavailable: the address service answered {status}."
            )
        try:
            body = response.json()
        except ValueError:
            raise GeocoderUnavailable(
                "Address lookup is unavailable: the address service sent an unreadable answer."
            ) from None
    return parse_geocoder_response(body)


def _garbage(what: str) -> GeocoderUnavailable:
    return GeocoderUnavailable(
        f"Address lookup is unavailable: the address service's answer was not understood ({what})."
    )


def _layer(geographies: Mapping[str, Any], suffix: str) -> list[Mapping[str, Any]]:
    """The entries of the layer whose name contains ``Legislative Districts - <suffix>``
    (the name carries a vintage year: ``2024 State Legislative Districts - Upper``)."""
    wanted = f"legislative districts - {suffix}".lower()
    for name, entries in geographies.items():
        if isinstance(name, str) and wanted in name.lower():
            if not isinstance(entries, list):
                raise _garbage(f"layer {name!r} is not a list")
            return [e for e in entries if isinstance(e, Mapping)]
    return []


def _district_from_entry(entry: Mapping[str, Any], chamber: str) -> str | None:
    """Our district form from a geocoder entry: BASENAME (``62A``), else the code
    (SLDL ``62A``/``062A``, SLDU ``062``), else NAME (``State House District 62A``)."""
    code_key = "SLDL" if chamber == HOUSE else "SLDU"
    for key in ("BASENAME", code_key, "NAME"):
        value = entry.get(key)
        if not isinstance(value, str | int) or str(value).strip() == "":
            continue
        try:
            house, senate = normalize_district(str(value))
        except LookupProblem:
            continue
        if chamber == HOUSE and house is not None:
            return house
        if chamber == SENATE and house is None:
            return senate
    return None


def _float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def parse_geocoder_response(body: Any) -> GeocodeResult:
    """Read the documented ``geographies/onelineaddress`` JSON::

        {"result": {"input": {...}, "addressMatches": [
            {"matchedAddress": "...", "coordinates": {"x": lon, "y": lat},
             "addressComponents": {...},
             "geographies": {"2024 State Legislative Districts - Upper": [
                 {"STATE": "27", "SLDU": "062", "BASENAME": "62",
                  "NAME": "State Senate District 62", ...}],
               "2024 State Legislative Districts - Lower": [
                 {"STATE": "27", "SLDL": "62A", "BASENAME": "62A", ...}], ...}}]}}

    The first Minnesota match wins; with no Minnesota match, the first match is
    reported with its state and no districts.
    """
    if not isinstance(body, Mapping):
        raise _garbage("not an object")
    result = body.get("result")
    if not isinstance(result, Mapping):
        raise _garbage("no result")
    matches = result.get("addressMatches")
    if not isinstance(matches, list):
        raise _garbage("no addressMatches")
    if not matches:
        return GeocodeResult(matched=False)

    parsed: list[GeocodeResult] = []
    for match in matches:
        if not isinstance(match, Mapping):
            raise _garbage("an address match is not an object")
        coordinates = match.get("coordinates")
        lon = lat = None
        if isinstance(coordinates, Mapping):
            lon, lat = _float(coordinates.get("x")), _float(coordinates.get("y"))
        if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
            lon = lat = None
        geographies = match.get("geographies")
        if not isinstance(geographies, Mapping):
            raise _garbage("an address match has no geographies")
        upper = _layer(geographies, "upper")
        lower = _layer(geographies, "lower")
        state = _state_of(upper + lower, geographies, match)
        house = senate = None
        if state == MN_STATE_FIPS:
            senate = next(
                (d for e in upper if (d := _district_from_entry(e, SENATE)) is not None), None
            )
            house = next(
                (d for e in lower if (d := _district_from_entry(e, HOUSE)) is not None), None
            )
            if house is not None:
                implied = senate_district_of(house)
                if senate is None:
                    senate = implied
                elif senate != implied:  # inconsistent layers: trust neither
                    raise _garbage("House and Senate districts disagree")
        matched_address = match.get("matchedAddress")
        parsed.append(
            GeocodeResult(
                matched=True,
                matched_address=matched_address if isinstance(matched_address, str) else None,
                lon=lon,
                lat=lat,
                state=state,
                house=house,
                senate=senate,
            )
        )
    for candidate in parsed:
        if candidate.in_minnesota:
            return candidate
    return parsed[0]


def _state_of(
    entries: Sequence[Mapping[str, Any]], geographies: Mapping[str, Any], match: Mapping[str, Any]
) -> str | None:
    """The state FIPS code: from the legislative entries, else the States layer,
    else the address components' postal abbreviation."""
    for entry in entries:
        value = entry.get("STATE")
        if isinstance(value, str | int) and str(value).strip():
            return str(value).strip().zfill(2)
    states = geographies.get("States")
    if isinstance(states, list):
        for entry in states:
            if isinstance(entry, Mapping) and isinstance(entry.get("STATE"), str):
                return str(entry["STATE"]).zfill(2)
    components = match.get("addressComponents")
    if isinstance(components, Mapping) and isinstance(components.get("state"), str):
        return MN_STATE_FIPS if components["state"].strip().upper() == "MN" else "other"
    return None


# ---------------------------------------------------------------- point in polygon


def check_point(lon: Any, lat: Any) -> tuple[float, float]:
    """Validate a longitude/latitude pair (numbers or strings, as posted by a
    browser); raises :class:`LookupProblem` unless it lies roughly in Minnesota."""
    x, y = _float(lon), _float(lat)
    if x is None or y is None:
        raise LookupProblem("The location was not understood.")
    if not (-180 <= x <= 180 and -90 <= y <= 90):
        raise LookupProblem("The location is not a valid latitude and longitude.")
    west, south, east, north = MN_BBOX
    if not (west <= x <= east and south <= y <= north):
        raise LookupProblem(
            "That location is outside Minnesota; look up by district or name instead."
        )
    return x, y


# whether boundaries are imported, read once per data version (an import bumps it)
_shapes: dataversion.Kept[bool] = dataversion.Kept()


def shapes_available() -> bool:
    """Whether any district boundaries have been imported."""
    return _shapes.get(_read_shapes_available)


def _read_shapes_available() -> bool:
    return db.session.scalar(select(DistrictShape.id).where(REAL_SHAPES).limit(1)) is not None


_GEOMETRY_CACHE: dict[tuple[int, str, dt.datetime], Any] = {}


def _prepared(shape: DistrictShape) -> Any:
    import shapely
    from shapely.geometry import shape as to_shape

    key = (shape.id, shape.district, shape.imported_at)
    geometry = _GEOMETRY_CACHE.get(key)
    if geometry is None:
        if len(_GEOMETRY_CACHE) > 1000:
            _GEOMETRY_CACHE.clear()
        geometry = to_shape(json.loads(shape.geometry))
        shapely.prepare(geometry)
        _GEOMETRY_CACHE[key] = geometry
    return geometry


def districts_at(lon: Any, lat: Any) -> tuple[str | None, str | None]:
    """``(house, senate)`` whose imported boundaries contain the point
    (on the boundary counts).  ``None`` for a chamber with no containing shape.
    Raises :class:`LookupProblem` for an invalid point, one outside Minnesota,
    or when no boundaries have been imported."""
    from shapely.geometry import Point

    x, y = check_point(lon, lat)
    if not shapes_available():
        raise LookupProblem("District boundaries have not been imported; search by district.")
    candidates = db.session.scalars(
        select(DistrictShape)
        .where(REAL_SHAPES)
        .where(
            DistrictShape.min_lon <= x,
            DistrictShape.max_lon >= x,
            DistrictShape.min_lat <= y,
            DistrictShape.max_lat >= y,
        )
        .order_by(DistrictShape.chamber, DistrictShape.district)
    ).all()
    point = Point(x, y)
    found: dict[str, str | None] = {HOUSE: None, SENATE: None}
    for shape in candidates:
        if found[shape.chamber] is None and _prepared(shape).covers(point):
            found[shape.chamber] = shape.district
    house, senate = found[HOUSE], found[SENATE]
    if house is not None and senate is None:
        senate = senate_district_of(house)
    return house, senate


# ---------------------------------------------------------------- address lookup


@dataclass(frozen=True)
class AddressLookup:
    """The districts for an address, and how they were found.

    ``method`` is ``geocoder`` (the Census geocoder alone), ``boundaries``
    (imported boundaries alone, the geocoder gave coordinates but no districts),
    or ``geocoder+boundaries`` (the geocoder's districts, confirmed or completed
    by the boundaries).  ``notes`` explains disagreements; the geocoder's
    answer is kept and the boundaries' answer is in ``boundary_house`` /
    ``boundary_senate`` so the page can show both and let the member choose.
    """

    matched: bool
    house: str | None = None
    senate: str | None = None
    method: str | None = None
    matched_address: str | None = None
    lon: float | None = None
    lat: float | None = None
    boundary_house: str | None = None
    boundary_senate: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def confirmed(self) -> bool:
        """Both sources agree on both districts."""
        return (
            self.method == METHOD_BOTH
            and self.house is not None
            and self.house == self.boundary_house
            and self.senate == self.boundary_senate
        )


def lookup_address(address: str) -> AddressLookup:
    """Districts for a street address: the geocoder first; then, when it gave
    coordinates and boundaries are imported, point-in-polygon to confirm or
    fill in.  ``matched=False`` when the geocoder found no such address.
    Raises :class:`LookupProblem` (bad address, outside Minnesota) or
    :class:`GeocoderUnavailable`."""
    geo = geocode_address(address)
    if not geo.matched:
        return AddressLookup(matched=False)
    if not geo.in_minnesota:
        raise LookupProblem(
            "That address is outside Minnesota; this site covers the Minnesota Legislature."
        )
    house, senate = geo.house, geo.senate
    method = METHOD_GEOCODER if (house or senate) else None
    notes: list[str] = []
    b_house = b_senate = None
    if geo.lon is not None and geo.lat is not None and shapes_available():
        try:
            b_house, b_senate = districts_at(geo.lon, geo.lat)
        except LookupProblem:
            b_house = b_senate = None
        if b_house or b_senate:
            if method is None:
                house, senate, method = b_house, b_senate, METHOD_BOUNDARIES
            else:
                method = METHOD_BOTH
                if house is None and b_house is not None and b_senate == senate:
                    house = b_house
                if senate is None and b_senate is not None:
                    senate = b_senate
                if b_house and house and b_house != house:
                    notes.append(
                        f"The district boundaries place this address in House district "
                        f"{b_house}, the Census geocoder in {house}."
                    )
                if b_senate and senate and b_senate != senate:
                    notes.append(
                        f"The district boundaries place this address in Senate district "
                        f"{b_senate}, the Census geocoder in {senate}."
                    )
    if method is None:
        notes.append("The address was found, but not its legislative districts.")
    return AddressLookup(
        matched=True,
        house=house,
        senate=senate,
        method=method,
        matched_address=geo.matched_address,
        lon=geo.lon,
        lat=geo.lat,
        boundary_house=b_house,
        boundary_senate=b_senate,
        notes=tuple(notes),
    )


# ---------------------------------------------------------------- boundary import

_DISTRICT_PROPERTIES = (
    "DISTRICT",
    "SLDLST",
    "SLDUST",
    "SLDL",
    "SLDU",
    "DIST",
    "DISTRICTID",
    "DIST_NUM",
    "BASENAME",
    "NAME",
)
WGS84_NAMES = {"EPSG:4326", "OGC:CRS84", "CRS84", "WGS84"}


@dataclass(frozen=True)
class ImportCounts:
    """What an import did: shapes by chamber, and how many replaced earlier ones."""

    chamber: str
    added: int
    replaced: int
    crs: str

    @property
    def total(self) -> int:
        return self.added + self.replaced

    def __str__(self) -> str:
        return (
            f"{self.total} {self.chamber} districts ({self.added} new, {self.replaced} replaced; "
            f"source CRS {self.crs})"
        )


@dataclass
class _Feature:
    properties: dict[str, Any]
    geometry: Mapping[str, Any] | None


def import_districts(
    path: str | Path, chamber: str | None = None, *, source_name: str | None = None
) -> ImportCounts:
    """Import district boundaries from GeoJSON (a FeatureCollection), a
    shapefile (``.shp`` with ``.dbf``, ``.shx`` and ``.prj`` beside it) or a
    zip holding one shapefile.  Coordinates are reprojected to WGS 84 from the
    file's CRS (the GeoJSON ``crs`` member or the ``.prj``; GeoJSON without one
    is WGS 84).  The district property is found among ``DISTRICT``,
    ``SLDLST``/``SLDUST``, ``NAME`` and similar; the chamber is ``chamber`` or
    inferred (``62A`` house, ``62`` senate).  Features of one district are
    merged.  Shapes of the districts in the file replace earlier ones.

    The whole file is read and checked before the database is touched; a
    problem raises :class:`DistrictImportError` with nothing changed.  The
    caller commits (the CLI does).
    """
    if chamber is not None and chamber not in (HOUSE, SENATE):
        raise DistrictImportError("chamber must be house or senate")
    file = Path(path)
    if not file.is_file():
        raise DistrictImportError(f"{file} is not a file")
    features, crs_text = _read_features(file)
    if not features:
        raise DistrictImportError(f"{file.name} holds no features")
    key = _district_property(features)
    districts = _district_values(features, key, chamber)
    found_chamber = _chamber_of(districts, chamber, key)
    transformer, crs_label = _transformer(crs_text, features)
    shapes = _build_shapes(features, districts, transformer, found_chamber)

    now = utcnow()
    source = (source_name or file.name)[:300]
    existing = set(
        db.session.scalars(
            select(DistrictShape.district).where(
                DistrictShape.chamber == found_chamber,
                DistrictShape.district.in_(list(shapes)),
            )
        )
    )
    db.session.execute(
        delete(DistrictShape).where(
            DistrictShape.chamber == found_chamber, DistrictShape.district.in_(list(shapes))
        )
    )
    for district, geometry in sorted(shapes.items()):
        west, south, east, north = geometry.bounds
        db.session.add(
            DistrictShape(
                chamber=found_chamber,
                district=district,
                geometry=json.dumps(_mapping(geometry), separators=(",", ":")),
                min_lon=west,
                min_lat=south,
                max_lon=east,
                max_lat=north,
                source_file=source,
                imported_at=now,
            )
        )
    db.session.flush()
    _GEOMETRY_CACHE.clear()
    return ImportCounts(
        chamber=found_chamber,
        added=len(shapes) - len(existing),
        replaced=len(existing),
        crs=crs_label,
    )


def _mapping(geometry: Any) -> dict[str, Any]:
    from shapely.geometry import mapping

    return dict(mapping(geometry))


def _read_features(file: Path) -> tuple[list[_Feature], str | None]:
    suffix = file.suffix.lower()
    if suffix in (".geojson", ".json"):
        return _read_geojson(file.read_bytes(), file.name)
    if suffix == ".shp":
        prj = _sibling(file, ".prj")
        with open(file, "rb") as shp:
            shx_path, dbf_path = _sibling(file, ".shx"), _sibling(file, ".dbf")
            if dbf_path is None:
                raise DistrictImportError(f"{file.name} has no .dbf beside it")
            with contextlib.ExitStack() as stack:
                dbf = stack.enter_context(open(dbf_path, "rb"))
                shx = stack.enter_context(open(shx_path, "rb")) if shx_path else None
                features = _read_shapefile(shp, dbf, shx, file.name)
        return features, prj.read_text(errors="replace") if prj else None
    if suffix == ".zip":
        return _read_zip(file)
    raise DistrictImportError(
        f"{file.name}: use a GeoJSON file (.geojson/.json), a shapefile (.shp) or a zip"
    )


def _sibling(file: Path, suffix: str) -> Path | None:
    for candidate in (file.with_suffix(suffix), file.with_suffix(suffix.upper())):
        if candidate.is_file():
            return candidate
    return None


def _read_geojson(raw: bytes, name: str) -> tuple[list[_Feature], str | None]:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise DistrictImportError(f"{name} is not valid JSON") from None
    if not isinstance(data, Mapping) or data.get("type") != "FeatureCollection":
        raise DistrictImportError(f"{name} is not a GeoJSON FeatureCollection")
    raw_features = data.get("features")
    if not isinstance(raw_features, list):
        raise DistrictImportError(f"{name} has no features list")
    crs_text = None
    crs = data.get("crs")
    if crs is not None:
        props = crs.get("properties") if isinstance(crs, Mapping) else None
        crs_name = props.get("name") if isinstance(props, Mapping) else None
        if not isinstance(crs_name, str):
            raise DistrictImportError(f"{name}: the crs member has no name")
        crs_text = crs_name
    features = []
    for index, feature in enumerate(raw_features):
        if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
            raise DistrictImportError(f"{name}: feature {index + 1} is not a GeoJSON Feature")
        props = feature.get("properties") or {}
        geometry = feature.get("geometry")
        if not isinstance(props, Mapping) or not (
            geometry is None or isinstance(geometry, Mapping)
        ):
            raise DistrictImportError(f"{name}: feature {index + 1} is malformed")
        features.append(_Feature(dict(props), geometry))
    return features, crs_text


def _read_shapefile(shp: Any, dbf: Any, shx: Any, name: str) -> list[_Feature]:
    import shapefile  # pyshp

    try:
        reader = shapefile.Reader(shp=shp, dbf=dbf, shx=shx)
        field_names = [f[0] for f in reader.fields[1:]]
        features = []
        for record in reader.iterShapeRecords():
            props = dict(zip(field_names, list(record.record), strict=False))
            shape = record.shape
            geometry = None if shape.shapeType == shapefile.NULL else shape.__geo_interface__
            features.append(_Feature(props, geometry))
    except DistrictImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - pyshp raises many types for bad files
        raise DistrictImportError(f"{name} is not a readable shapefile ({exc})") from None
    return features


def _read_zip(file: Path) -> tuple[list[_Feature], str | None]:
    try:
        archive = zipfile.ZipFile(file)
    except zipfile.BadZipFile:
        raise DistrictImportError(f"{file.name} is not a valid zip file") from None
    with archive:
        names = [n for n in archive.namelist() if not n.endswith("/")]
        shps = [n for n in names if n.lower().endswith(".shp")]
        geojsons = [n for n in names if n.lower().endswith((".geojson", ".json"))]
        if len(shps) + len(geojsons) != 1:
            raise DistrictImportError(
                f"{file.name} must hold exactly one shapefile or GeoJSON file "
                f"(found {len(shps) + len(geojsons)})"
            )

        def member(name: str, limit: int = 500 * 1024 * 1024) -> bytes:
            info = archive.getinfo(name)
            if info.file_size > limit:
                raise DistrictImportError(f"{name} in {file.name} is too large")
            return archive.read(name)

        if geojsons:
            return _read_geojson(member(geojsons[0]), geojsons[0])
        stem = shps[0][:-4]
        by_suffix = {n[len(stem) :].lower(): n for n in names if n.startswith(stem)}
        if ".dbf" not in by_suffix:
            raise DistrictImportError(f"{shps[0]} in {file.name} has no .dbf beside it")
        shx = io.BytesIO(member(by_suffix[".shx"])) if ".shx" in by_suffix else None
        features = _read_shapefile(
            io.BytesIO(member(shps[0])), io.BytesIO(member(by_suffix[".dbf"])), shx, shps[0]
        )
        prj = member(by_suffix[".prj"]).decode(errors="replace") if ".prj" in by_suffix else None
        return features, prj


def _district_property(features: list[_Feature]) -> str:
    keys = {k for f in features for k in f.properties}
    lowered = {k.lower(): k for k in keys}
    for wanted in _DISTRICT_PROPERTIES:
        key = lowered.get(wanted.lower())
        if key is None:
            continue
        if all(_readable_district(f.properties.get(key)) for f in features):
            return key
    raise DistrictImportError(
        "no property holds a district for every feature (looked for "
        + ", ".join(_DISTRICT_PROPERTIES)
        + f"; the file has {', '.join(sorted(keys)) or 'none'})"
    )


def _readable_district(value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, float):
        if not value.is_integer():
            return False
        value = int(value)
    try:
        normalize_district(str(value))
    except LookupProblem:
        return False
    return True


def _district_values(
    features: list[_Feature], key: str, chamber: str | None
) -> list[tuple[str | None, str]]:
    values = []
    for feature in features:
        value = feature.properties[key]
        if isinstance(value, float):
            value = int(value)
        values.append(normalize_district(str(value)))
    return values


def _chamber_of(values: list[tuple[str | None, str]], chamber: str | None, key: str) -> str:
    houses = sum(1 for house, _ in values if house is not None)
    if houses and houses != len(values):
        raise DistrictImportError(
            f"property {key} mixes House districts (such as 62A) and Senate districts (62); "
            "import each chamber from its own file"
        )
    found = HOUSE if houses else SENATE
    if chamber is not None and chamber != found:
        raise DistrictImportError(
            f"--chamber {chamber} was given but property {key} holds {found} districts"
        )
    return found


def _transformer(crs_text: str | None, features: list[_Feature]) -> tuple[Any, str]:
    """A lon/lat transformer from the file's CRS to WGS 84 (None when already
    WGS 84), and a label for the report."""
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    if crs_text is None:
        if not _looks_geographic(features):
            raise DistrictImportError(
                "the coordinates are not longitude/latitude and the file names no CRS "
                "(a shapefile needs its .prj; GeoJSON a crs member)"
            )
        return None, "WGS 84 (assumed)"
    try:
        source = CRS.from_user_input(crs_text.strip())
    except CRSError:
        raise DistrictImportError("the file's CRS (.prj or crs member) is not understood") from None
    target = CRS.from_epsg(4326)
    label = f"EPSG:{source.to_epsg()}" if source.to_epsg() else source.name
    if source.is_geographic and source.equals(target, ignore_axis_order=True):
        return None, label
    return Transformer.from_crs(source, target, always_xy=True), label


def _looks_geographic(features: list[_Feature]) -> bool:
    def coords(node: Any) -> Iterator[Any]:
        if isinstance(node, list | tuple) and node and isinstance(node[0], int | float):
            yield node
        elif isinstance(node, list | tuple):
            for child in node:
                yield from coords(child)

    for feature in features:
        geometry = feature.geometry or {}
        for point in coords(geometry.get("coordinates", [])):
            if len(point) < 2 or not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90):
                return False
    return True


def _build_shapes(
    features: list[_Feature],
    districts: list[tuple[str | None, str]],
    transformer: Any,
    chamber: str,
) -> dict[str, Any]:
    import numpy as np
    import shapely
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.geometry import shape as to_shape

    def reproject(coords: Any) -> Any:
        xs, ys = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([xs, ys])

    parts: dict[str, list[Any]] = {}
    for feature, (house, senate) in zip(features, districts, strict=True):
        district = house if chamber == HOUSE else senate
        assert district is not None
        geometry = feature.geometry
        if not geometry or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            kind = geometry.get("type") if geometry else "no geometry"
            raise DistrictImportError(f"district {district}: {kind} is not a polygon")
        try:
            shape = to_shape(geometry)
        except Exception:  # noqa: BLE001 - shapely raises several types for bad rings
            raise DistrictImportError(f"district {district}: malformed polygon") from None
        if transformer is not None:
            shape = shapely.transform(shape, reproject)
        if not shape.is_valid:
            shape = shapely.make_valid(shape)
        parts.setdefault(district, []).append(shape)

    west, south, east, north = MN_BBOX
    shapes: dict[str, Any] = {}
    for district, pieces in parts.items():
        merged = shapely.union_all(pieces) if len(pieces) > 1 else pieces[0]
        polygons = [
            g for g in getattr(merged, "geoms", [merged]) if isinstance(g, Polygon | MultiPolygon)
        ]
        merged = shapely.union_all(polygons) if polygons else None
        if merged is None or merged.is_empty or not math.isfinite(merged.area):
            raise DistrictImportError(f"district {district}: empty or invalid polygon")
        x0, y0, x1, y1 = merged.bounds
        if not (west <= x0 and x1 <= east and south <= y0 and y1 <= north):
            raise DistrictImportError(
                f"district {district} lies outside Minnesota after reprojection (is the CRS right?)"
            )
        shapes[district] = merged
    return shapes
