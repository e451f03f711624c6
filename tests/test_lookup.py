"""The lookup layer: districts, names, the Census geocoder (through a local
stand-in serving hand-built responses) and point-in-polygon on imported
boundaries (small hand-made polygons).  Every person here is invented."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
import requests
import shapefile  # pyshp
from flask import Flask
from pyproj import CRS, Transformer
from pytest_httpserver import HTTPServer
from sqlalchemy import func, select
from werkzeug import Request, Response

from tests.conftest import FIXTURES
from tests.factories import derive
from tracker import lookup
from tracker.extensions import db
from tracker.lookup import (
    METHOD_BOTH,
    METHOD_BOUNDARIES,
    METHOD_GEOCODER,
    DistrictImportError,
    GeocoderUnavailable,
    LookupProblem,
)
from tracker.lookup_cli import import_districts_command
from tracker.models import DistrictShape, Person, PersonName, Term
from tracker.settings import override

GEOCODER = FIXTURES / "geocoder" / "reconstructed"
GEOCODER_PATH = "/geocoder/geographies/onelineaddress"
ADDRESS = "1234 Invented Ln, Exampleville, MN 55999"
UTM15N = "urn:ogc:def:crs:EPSG::26915"

# ---------------------------------------------------------------- districts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("62A", ("62A", "62")),
        ("62 a", ("62A", "62")),
        ("62-b", ("62B", "62")),
        ("HD 62A", ("62A", "62")),
        ("hd62a", ("62A", "62")),
        ("House District 62A", ("62A", "62")),
        ("State House District 1B", ("1B", "1")),
        ("062A", ("62A", "62")),
        ("01a", ("1A", "1")),
        ("  67B  ", ("67B", "67")),
        ("50", (None, "50")),
        ("SD 50", (None, "50")),
        ("Senate District 50", (None, "50")),
        ("senate 7", (None, "7")),
        ("050", (None, "50")),
        ("1", (None, "1")),
        ("67", (None, "67")),
    ],
)
def test_normalize_district(text: str, expected: tuple[str | None, str | None]) -> None:
    assert lookup.normalize_district(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter a district"),
        ("   ", "Enter a district"),
        (None, "Enter a district"),
        ("0", "1 to 67"),
        ("00A", "1 to 67"),
        ("68", "1 to 67"),
        ("68A", "1 to 67"),
        ("999", "1 to 67"),
        ("62C", "A or B"),
        ("62z", "A or B"),
        ("HD 62", "have a letter"),
        ("SD 62A", "House district"),
        ("62AB", "not a district"),
        ("6 2", "not a district"),
        ("-1", "not a district"),
        ("1e3", "not a district"),
        ("abc", "not a district"),
        ("٦٢", "not a district"),  # Arabic-Indic digits
        ("'; DROP TABLE term; --", "not a district"),
        ("1234", "not a district"),
        ("x" * 500, "too long"),
    ],
)
def test_normalize_district_refuses(text: str | None, message: str) -> None:
    with pytest.raises(LookupProblem) as info:
        lookup.normalize_district(text)
    assert message in info.value.message


# ---------------------------------------------------------------- people


def person(name: str, family: str, *printed: str) -> Person:
    p = Person(name=name, family_name=family)
    p.names = [PersonName(name=form) for form in printed]
    db.session.add(p)
    return p


def term(
    p: Person,
    chamber: str,
    district: str,
    start: dt.date | None,
    end: dt.date | None = None,
) -> None:
    p.terms.append(
        Term(chamber=chamber, district=district, party="DFL", start_date=start, end_date=end)
    )
    derive()


def test_legislators_for_terms_and_vacancies(app: Flask) -> None:
    former = person("Odile Brackwater", "Brackwater")
    term(former, "house", "62A", dt.date(2023, 1, 3), dt.date(2024, 6, 30))
    successor = person("Tamsin Quarrendale", "Quarrendale")
    term(successor, "house", "62A", dt.date(2024, 9, 3))
    undated = person("Lorcan Fettiplace", "Fettiplace")
    term(undated, "senate", "62", None)
    senator = person("Ysolde Marchbanks", "Marchbanks")
    term(senator, "senate", "61", dt.date(2023, 1, 3), dt.date(2027, 1, 4))
    db.session.commit()

    assert lookup.legislators_for("62A", "62", dt.date(2023, 5, 1)) == {
        "house": former,
        "senate": None,  # a term with an unknown start is never known to cover a day
    }
    assert lookup.legislators_for("62A", "62", dt.date(2024, 6, 30))["house"] == former
    assert lookup.legislators_for("62A", None, dt.date(2024, 7, 15))["house"] is None  # vacant
    assert lookup.legislators_for("HD 62A", None, dt.date(2025, 2, 1))["house"] == successor
    assert lookup.legislators_for(None, "SD 61", dt.date(2025, 2, 1)) == {
        "house": None,
        "senate": senator,
    }
    assert lookup.legislators_for(None, "61", dt.date(2027, 1, 5))["senate"] is None
    assert lookup.legislators_for("62B", "", dt.date(2025, 2, 1)) == {
        "house": None,
        "senate": None,
    }


@pytest.mark.parametrize(("house", "senate"), [("62", None), (None, "62A"), ("70A", None)])
def test_legislators_for_refuses_wrong_districts(
    app: Flask, house: str | None, senate: str | None
) -> None:
    with pytest.raises(LookupProblem):
        lookup.legislators_for(house, senate, dt.date(2025, 1, 1))


@pytest.fixture
def named(app: Flask) -> dict[str, Person]:
    people = {
        "renee": person("Renée Dubé-Marchetti", "Dubé-Marchetti", "Dubé-Marchetti, R."),
        "tobias": person("Tobias Wrenfield", "Wrenfield", "Wrenfield"),
        "ingrid": person("Ingrid Halvorsrud", "Halvorsrud", "Halvorsrud, I."),
        "signe": person("Signe Øvergaard", "Øvergaard", "Overgaard, S."),
    }
    db.session.commit()
    return people


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("dube", ["renee"]),
        ("DUBÉ", ["renee"]),
        ("marchetti, r", ["renee"]),  # only the printed form has the comma
        ("  renee  ", ["renee"]),
        ("wren", ["tobias"]),
        ("halvorsrud, i.", ["ingrid"]),
        ("øvergaard", ["signe"]),
        ("overgaard, s", ["signe"]),  # the printed form without the letter
        ("zzzz", []),
    ],
)
def test_search_by_name(named: dict[str, Person], query: str, who: list[str]) -> None:
    assert lookup.search_by_name(query) == [named[k] for k in who]


def test_search_by_name_orders_word_starts_first_and_limits(named: dict[str, Person]) -> None:
    found = lookup.search_by_name("re")
    assert found[0] == named["renee"]  # "Renée" starts with it; "Wrenfield" only contains it
    assert named["tobias"] in found
    assert len(lookup.search_by_name("re", limit=1)) == 1


@pytest.mark.parametrize(
    "query", ["'; DROP TABLE person; --", "%%", "%", "_e", "a%b", "__", "' OR '1'='1", "\\%"]
)
def test_search_by_name_injection_and_wildcards_are_literal(
    named: dict[str, Person], query: str
) -> None:
    if len(query.strip()) < 2:
        with pytest.raises(LookupProblem):
            lookup.search_by_name(query)
    else:
        assert lookup.search_by_name(query) == []
    assert db.session.scalar(select(func.count()).select_from(Person)) == 4


def test_search_by_name_wildcard_characters_match_literally(named: dict[str, Person]) -> None:
    odd = person("Percival Underhay", "Underhay", "Under_hay 100%")
    db.session.commit()
    assert lookup.search_by_name("r_h") == [odd]
    assert lookup.search_by_name("100%") == [odd]
    assert lookup.search_by_name("0%") == [odd]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "at least two"),
        ("a", "at least two"),
        ("  é ", "at least two"),
        ("x" * 101, "too long"),
    ],
)
def test_search_by_name_refuses(named: dict[str, Person], query: str, message: str) -> None:
    with pytest.raises(LookupProblem) as info:
        lookup.search_by_name(query)
    assert message in info.value.message


# ---------------------------------------------------------------- geocoder


def fixture_body(name: str) -> str:
    return (GEOCODER / name).read_text(encoding="utf-8")


@pytest.fixture
def geocoder(app: Flask, httpserver: HTTPServer) -> HTTPServer:
    override(app, TRACKER_GEOCODER_URL=httpserver.url_for(GEOCODER_PATH))
    override(app, TRACKER_GEOCODER_TIMEOUT=0.3)
    return httpserver


def serve(server: HTTPServer, name: str, status: int = 200) -> list[Request]:
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        seen.append(request)
        return Response(fixture_body(name), status=status, content_type="application/json")

    server.expect_request(GEOCODER_PATH).respond_with_handler(handler)
    return seen


def test_geocode_match_in_minnesota(geocoder: HTTPServer) -> None:
    seen = serve(geocoder, "match_minnesota.json")
    result = lookup.geocode_address(ADDRESS)
    assert result.matched and result.in_minnesota
    assert (result.house, result.senate) == ("62A", "62")
    assert result.matched_address == "1234 INVENTED LN, EXAMPLEVILLE, MN, 55999"
    assert (result.lon, result.lat) == (-93.27, 44.92)
    (request,) = seen
    assert request.args["address"] == ADDRESS
    assert request.args["benchmark"] == "Public_AR_Current"
    assert request.args["vintage"] == "Current_Current"
    assert request.args["format"] == "json"
    assert request.args["layers"]
    assert request.headers["User-Agent"].startswith("mn-tracker/")


def test_geocode_no_match(geocoder: HTTPServer) -> None:
    serve(geocoder, "no_match.json")
    result = lookup.geocode_address("99999 Nowhere Rd, Notatown, MN 55998")
    assert not result.matched and not result.in_minnesota
    assert result.house is None and result.lon is None
    assert not lookup.lookup_address("99999 Nowhere Rd, Notatown, MN 55998").matched


def test_geocode_out_of_state(geocoder: HTTPServer) -> None:
    serve(geocoder, "match_out_of_state.json")
    result = lookup.geocode_address("1234 Invented Ln, Sampletown, WI 53999")
    assert result.matched and not result.in_minnesota
    assert result.state == "55" and result.house is None and result.senate is None
    with pytest.raises(LookupProblem, match="outside Minnesota"):
        lookup.lookup_address("1234 Invented Ln, Sampletown, WI 53999")


@pytest.mark.parametrize("name", ["malformed.json", "wrong_shape.json"])
def test_geocode_garbage_is_unavailable(geocoder: HTTPServer, name: str) -> None:
    serve(geocoder, name)
    with pytest.raises(GeocoderUnavailable, match="not understood|unreadable"):
        lookup.geocode_address(ADDRESS)


def test_geocode_server_error_is_unavailable_without_retry(geocoder: HTTPServer) -> None:
    seen = serve(geocoder, "no_match.json", status=500)
    with pytest.raises(GeocoderUnavailable, match="500"):
        lookup.geocode_address(ADDRESS)
    assert len(seen) == 1


def test_geocode_gateway_error_is_retried_once(geocoder: HTTPServer) -> None:
    seen = serve(geocoder, "no_match.json", status=503)
    with pytest.raises(GeocoderUnavailable):
        lookup.geocode_address(ADDRESS)
    assert len(seen) == 2


def test_geocode_timeout_is_unavailable(geocoder: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.8)
        return Response(fixture_body("no_match.json"), content_type="application/json")

    geocoder.expect_request(GEOCODER_PATH).respond_with_handler(slow)
    started = time.monotonic()
    with pytest.raises(GeocoderUnavailable, match="too long"):
        lookup.geocode_address(ADDRESS)
    assert time.monotonic() - started < 0.75  # no second attempt after a timeout


def test_geocode_connection_refused_is_unavailable(app: Flask) -> None:
    override(app, TRACKER_GEOCODER_URL="http://127.0.0.1:9/geocoder")  # discard port
    with pytest.raises(GeocoderUnavailable, match="could not be reached") as info:
        lookup.geocode_address(ADDRESS)
    assert "Invented" not in str(info.value)
    assert info.value.__suppress_context__


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("", "Enter a street address"),
        ("12", "Enter a street address"),
        ("x" * 300, "too long"),
    ],
)
def test_geocode_refuses_absurd_addresses(app: Flask, address: str, message: str) -> None:
    with pytest.raises(LookupProblem, match=message):
        lookup.geocode_address(address)


def test_geocode_layer_names_and_codes_vary() -> None:
    body = json.loads(fixture_body("match_minnesota.json"))
    geographies = body["result"]["addressMatches"][0]["geographies"]
    upper = geographies.pop("2024 State Legislative Districts - Upper")
    lower = geographies.pop("2024 State Legislative Districts - Lower")
    upper[0].pop("BASENAME")
    lower[0].pop("BASENAME")
    lower[0]["SLDL"] = "062A"
    geographies["2026 State Legislative Districts - Upper"] = upper
    geographies["2026 State Legislative Districts - Lower"] = lower
    result = lookup.parse_geocoder_response(body)
    assert (result.house, result.senate) == ("62A", "62")


def test_addresses_are_never_logged(
    geocoder: HTTPServer, caplog: pytest.LogCaptureFixture, app: Flask
) -> None:
    secret = "4321 Confidential Ct, Exampleville, MN 55999"
    forms = [secret, secret.replace(" ", "+"), secret.replace(" ", "%20"), "Confidential"]
    caplog.set_level(logging.DEBUG)

    # Sanity: urllib3 does log request lines (query string included) at DEBUG.
    requests.get(geocoder.url_for("/probe"), params={"q": "Confidential"}, timeout=2)
    assert any("Confidential" in r.getMessage() for r in caplog.records)
    caplog.clear()

    serve(geocoder, "match_minnesota.json")
    lookup.lookup_address(secret)
    geocoder.clear()
    serve(geocoder, "no_match.json", status=500)
    with pytest.raises(GeocoderUnavailable) as info:
        lookup.lookup_address(secret)
    assert "Confidential" not in str(info.value)
    override(app, TRACKER_GEOCODER_URL="http://127.0.0.1:9/geocoder")
    with pytest.raises(GeocoderUnavailable):
        lookup.lookup_address(secret)

    # The stand-in server's own access log (werkzeug) is the test server's,
    # not the app's; everything else must be clean.
    ours = [r for r in caplog.records if not r.name.startswith("werkzeug")]
    for record in ours:
        text = record.getMessage() + repr(record.args)
        assert not any(form in text for form in forms), record.name
    assert geocoder.log  # the requests did reach the stand-in


# ---------------------------------------------------------------- boundaries


def rectangle(west: float, south: float, east: float, north: float) -> list[list[list[float]]]:
    return [[[west, south], [east, south], [east, north], [west, north], [west, south]]]


def feature(props: dict[str, Any], rings: Any, kind: str = "Polygon") -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": kind, "coordinates": rings},
    }


def write_geojson(path: Path, features: list[dict[str, Any]], crs: str | None = None) -> Path:
    data: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:26915", always_xy=True)


def utm_rings(rings: list[list[list[float]]]) -> list[list[list[float]]]:
    """A lon/lat polygon's rings in UTM 15N metres, densified along the edges."""
    out = []
    for ring in rings:
        points = []
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            for step in range(10):
                t = step / 10
                points.append(list(TO_UTM.transform(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)))
        points.append(points[0])
        out.append(points)
    return out


@pytest.fixture
def house_geojson(tmp_path: Path) -> Path:
    return write_geojson(
        tmp_path / "house.geojson",
        [
            feature({"DISTRICT": "62A"}, rectangle(-93.30, 44.90, -93.25, 44.95)),
            feature({"DISTRICT": "62B"}, rectangle(-93.25, 44.90, -93.20, 44.95)),
        ],
    )


@pytest.fixture
def senate_utm_geojson(tmp_path: Path) -> Path:
    return write_geojson(
        tmp_path / "senate.geojson",
        [
            feature({"district": "62"}, utm_rings(rectangle(-93.30, 44.90, -93.20, 44.95))),
            feature({"district": "063"}, utm_rings(rectangle(-93.20, 44.90, -93.10, 44.95))),
        ],
        crs=UTM15N,
    )


def write_shapefile(folder: Path, stem: str, records: list[tuple[str, Any]]) -> Path:
    """A polygon shapefile in UTM 15N with its .prj, written with pyshp."""
    folder.mkdir(parents=True, exist_ok=True)
    with shapefile.Writer(str(folder / stem), shapeType=shapefile.POLYGON) as writer:
        writer.field("SLDLST", "C", size=5)
        writer.field("POP", "N", decimal=0)
        for district, rings in records:
            # shapefile outer rings run clockwise
            writer.poly([list(reversed(ring)) for ring in utm_rings(rings)])
            writer.record(district, 40000)
    (folder / f"{stem}.prj").write_text(CRS.from_epsg(26915).to_wkt(version="WKT1_ESRI"))
    return folder / f"{stem}.shp"


@pytest.fixture
def house_shapefile(tmp_path: Path) -> Path:
    return write_shapefile(
        tmp_path / "shp",
        "L2024",
        [
            ("063A", rectangle(-93.20, 44.90, -93.15, 44.95)),
            ("063B", rectangle(-93.15, 44.90, -93.10, 44.95)),
        ],
    )


def shape_rows() -> dict[tuple[str, str], DistrictShape]:
    return {(s.chamber, s.district): s for s in db.session.scalars(select(DistrictShape))}


def test_import_geojson_and_point_in_polygon(
    app: Flask, house_geojson: Path, senate_utm_geojson: Path
) -> None:
    counts = lookup.import_districts(house_geojson)
    assert (counts.chamber, counts.added, counts.replaced) == ("house", 2, 0)
    counts = lookup.import_districts(senate_utm_geojson)
    assert (counts.chamber, counts.added, counts.crs) == ("senate", 2, "EPSG:26915")
    db.session.commit()

    rows = shape_rows()
    assert set(rows) == {("house", "62A"), ("house", "62B"), ("senate", "62"), ("senate", "63")}
    utm = rows[("senate", "63")]
    # reprojected: stored in lon/lat, close to the rectangle drawn in UTM
    assert utm.min_lon == pytest.approx(-93.20, abs=1e-6)
    assert utm.max_lat == pytest.approx(44.95, abs=1e-6)
    assert json.loads(utm.geometry)["type"] == "Polygon"
    assert rows[("house", "62A")].source_file == "house.geojson"

    assert lookup.districts_at(-93.27, 44.92) == ("62A", "62")
    assert lookup.districts_at("-93.22", "44.93") == ("62B", "62")
    assert lookup.districts_at(-93.15, 44.92) == (None, "63")  # no House shapes there
    assert lookup.districts_at(-94.5, 46.0) == (None, None)  # in Minnesota, no shape imported
    house, senate = lookup.districts_at(-93.25, 44.92)  # on the 62A/62B line: covered
    assert house in {"62A", "62B"} and senate == "62"


def test_import_shapefile_plain_and_zipped(
    app: Flask, house_shapefile: Path, tmp_path: Path
) -> None:
    counts = lookup.import_districts(house_shapefile)
    assert (counts.chamber, counts.added) == ("house", 2)
    assert lookup.districts_at(-93.17, 44.93) == ("63A", "63")
    assert lookup.districts_at(-93.12, 44.93) == ("63B", "63")

    archive = tmp_path / "L2024.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in house_shapefile.parent.iterdir():
            zf.write(path, f"L2024/{path.name}")
    counts = lookup.import_districts(archive, chamber="house")
    assert (counts.added, counts.replaced) == (0, 2)
    db.session.commit()
    assert lookup.districts_at(-93.17, 44.93) == ("63A", "63")
    assert shape_rows()[("house", "63A")].source_file == "L2024.zip"


def test_reimport_is_idempotent(app: Flask, house_geojson: Path) -> None:
    lookup.import_districts(house_geojson)
    db.session.commit()
    first = {k: v.geometry for k, v in shape_rows().items()}
    counts = lookup.import_districts(house_geojson)
    db.session.commit()
    assert (counts.added, counts.replaced) == (0, 2)
    assert {k: v.geometry for k, v in shape_rows().items()} == first
    assert db.session.scalar(select(func.count()).select_from(DistrictShape)) == 2


def test_features_of_one_district_are_merged(app: Flask, tmp_path: Path) -> None:
    path = write_geojson(
        tmp_path / "parts.geojson",
        [
            feature({"NAME": "State Senate District 9"}, rectangle(-95.0, 46.0, -94.9, 46.1)),
            feature({"NAME": "State Senate District 9"}, rectangle(-94.8, 46.0, -94.7, 46.1)),
        ],
    )
    assert lookup.import_districts(path).added == 1
    assert lookup.districts_at(-94.75, 46.05) == (None, "9")
    assert lookup.districts_at(-94.85, 46.05) == (None, None)


@pytest.mark.parametrize(
    ("lon", "lat", "message"),
    [
        (-100.0, 40.0, "outside Minnesota"),
        (-87.6, 41.9, "outside Minnesota"),
        (200, 45, "not a valid"),
        (-93, 95, "not a valid"),
        ("abc", 45, "not understood"),
        (None, None, "not understood"),
        (float("nan"), 45, "not understood"),
        (True, 45, "not understood"),
    ],
)
def test_districts_at_refuses_bad_points(
    app: Flask, house_geojson: Path, lon: Any, lat: Any, message: str
) -> None:
    lookup.import_districts(house_geojson)
    with pytest.raises(LookupProblem, match=message):
        lookup.districts_at(lon, lat)


def test_districts_at_without_boundaries(app: Flask) -> None:
    with pytest.raises(LookupProblem, match="not been imported"):
        lookup.districts_at(-93.27, 44.92)


def malformed_files(tmp_path: Path) -> dict[str, tuple[Path, str | None, str]]:
    def geo(name: str, features: list[dict[str, Any]], crs: str | None = None) -> Path:
        return write_geojson(tmp_path / f"{name}.geojson", features, crs)

    square = rectangle(-93.30, 44.90, -93.25, 44.95)
    not_json = tmp_path / "broken.geojson"
    not_json.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    bad_zip = tmp_path / "broken.zip"
    bad_zip.write_bytes(b"PK\x03\x04 not really a zip")
    bad_shp = tmp_path / "bad" / "bad.shp"
    bad_shp.parent.mkdir()
    bad_shp.write_bytes(b"\x00" * 50)
    bad_shp.with_suffix(".dbf").write_bytes(b"\x00" * 10)
    other = tmp_path / "notes.txt"
    other.write_text("62A", encoding="utf-8")
    return {
        "not json": (not_json, None, "not valid JSON"),
        "not a collection": (_feature_only(tmp_path), None, "FeatureCollection"),
        "empty": (geo("empty", []), None, "no features"),
        "no district": (geo("nodist", [feature({"POP": 3}, square)]), None, "no property"),
        "bad district": (geo("bad", [feature({"DISTRICT": "62C"}, square)]), None, "no property"),
        "a point": (
            geo("point", [feature({"DISTRICT": "62A"}, [-93.27, 44.92], "Point")]),
            None,
            "not a polygon",
        ),
        "mixed chambers": (
            geo(
                "mixed", [feature({"DISTRICT": "62A"}, square), feature({"DISTRICT": "62"}, square)]
            ),
            None,
            "mixes",
        ),
        "wrong chamber": (geo("wrong", [feature({"DISTRICT": "62A"}, square)]), "senate", "holds"),
        "projected without crs": (
            geo("nocrs", [feature({"DISTRICT": "62A"}, utm_rings(square))]),
            None,
            "names no CRS",
        ),
        "wrong crs": (
            geo("wrongcrs", [feature({"DISTRICT": "62A"}, utm_rings(square))], "EPSG:32617"),
            None,
            "outside Minnesota",
        ),
        "unknown crs": (
            geo("unkcrs", [feature({"DISTRICT": "62A"}, square)], "EPSG:0"),
            None,
            "not understood",
        ),
        "broken zip": (bad_zip, None, "not a valid zip"),
        "broken shapefile": (bad_shp, None, "not a readable shapefile"),
        "other format": (other, None, "use a GeoJSON"),
    }


def _feature_only(tmp_path: Path) -> Path:
    path = tmp_path / "feature.geojson"
    square = rectangle(-93.30, 44.90, -93.25, 44.95)
    path.write_text(json.dumps(feature({"DISTRICT": "62A"}, square)), encoding="utf-8")
    return path


MALFORMED = [
    "not json",
    "not a collection",
    "empty",
    "no district",
    "bad district",
    "a point",
    "mixed chambers",
    "wrong chamber",
    "projected without crs",
    "wrong crs",
    "unknown crs",
    "broken zip",
    "broken shapefile",
    "other format",
]


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_files_change_nothing(
    app: Flask, house_geojson: Path, tmp_path: Path, case: str
) -> None:
    lookup.import_districts(house_geojson)
    db.session.commit()
    before = {k: v.geometry for k, v in shape_rows().items()}
    path, chamber, message = malformed_files(tmp_path)[case]
    with pytest.raises(DistrictImportError, match=message):
        lookup.import_districts(path, chamber)
    db.session.rollback()
    assert {k: v.geometry for k, v in shape_rows().items()} == before


def test_cli_import_districts(app: Flask, house_geojson: Path, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(import_districts_command, [str(house_geojson), "--chamber", "house"])
    assert result.exit_code == 0, result.output
    assert "imported 2 house districts (2 new, 0 replaced" in result.output
    path, _, _ = malformed_files(tmp_path)["mixed chambers"]
    result = runner.invoke(import_districts_command, [str(path)])
    assert result.exit_code == 1
    assert "nothing was imported" in result.output
    result = runner.invoke(import_districts_command, [str(house_geojson), "--chamber", "senate"])
    assert result.exit_code == 1 and "house districts" in result.output
    db.session.rollback()
    assert len(shape_rows()) == 2


# ---------------------------------------------------------------- address lookup


def test_lookup_address_geocoder_only(geocoder: HTTPServer) -> None:
    serve(geocoder, "match_minnesota.json")
    found = lookup.lookup_address(ADDRESS)
    assert (found.matched, found.house, found.senate) == (True, "62A", "62")
    assert found.method == METHOD_GEOCODER and not found.confirmed
    assert found.matched_address == "1234 INVENTED LN, EXAMPLEVILLE, MN, 55999"


def test_lookup_address_confirmed_by_boundaries(
    geocoder: HTTPServer, house_geojson: Path, senate_utm_geojson: Path
) -> None:
    lookup.import_districts(house_geojson)
    lookup.import_districts(senate_utm_geojson)
    serve(geocoder, "match_minnesota.json")
    found = lookup.lookup_address(ADDRESS)
    assert (found.house, found.senate, found.method) == ("62A", "62", METHOD_BOTH)
    assert found.confirmed and found.notes == ()


def test_lookup_address_boundaries_fill_in(
    geocoder: HTTPServer, house_geojson: Path, tmp_path: Path
) -> None:
    lookup.import_districts(house_geojson)
    body = json.loads(fixture_body("match_minnesota.json"))
    geographies = body["result"]["addressMatches"][0]["geographies"]
    del geographies["2024 State Legislative Districts - Upper"]
    del geographies["2024 State Legislative Districts - Lower"]
    geocoder.expect_request(GEOCODER_PATH).respond_with_json(body)
    found = lookup.lookup_address(ADDRESS)
    assert (found.house, found.senate, found.method) == ("62A", "62", METHOD_BOUNDARIES)


def test_lookup_address_reports_disagreement(geocoder: HTTPServer, tmp_path: Path) -> None:
    path = write_geojson(
        tmp_path / "h.geojson", [feature({"DISTRICT": "64B"}, rectangle(-93.3, 44.9, -93.2, 45.0))]
    )
    lookup.import_districts(path)
    serve(geocoder, "match_minnesota.json")
    found = lookup.lookup_address(ADDRESS)
    assert (found.house, found.senate) == ("62A", "62")  # the geocoder's answer is kept
    assert (found.boundary_house, found.boundary_senate) == ("64B", "64")
    assert found.method == METHOD_BOTH and not found.confirmed
    assert any("64B" in note for note in found.notes)
