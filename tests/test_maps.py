"""District maps of a scorecard (tracker.maps): a shape per district coloured by
score, a legend, a link per district, SVG and PNG.  Shapes here are invented
(the demo's honeycomb, and rectangles around the Twin Cities); so are the
legislators."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from lxml import etree
from PIL import Image
from sqlalchemy import delete, select

from tracker import maps, snapshots
from tracker.extensions import db
from tracker.models import DistrictShape


@pytest.fixture
def demo(app: Any, demo_full: None) -> None:
    """The demo legislature, whose scorecards cover both chambers."""


def load_invented(snap: snapshots.Snapshot) -> None:
    """The demo stores invented shapes for its seats (never Minnesota's)."""
    stored = set(
        db.session.execute(
            select(DistrictShape.chamber, DistrictShape.district).where(
                DistrictShape.source_file == maps.INVENTED_SOURCE
            )
        ).all()
    )
    assert {(r.chamber, r.district) for r in snap.rows if r.district} <= stored


def no_shapes() -> None:
    db.session.execute(delete(DistrictShape))
    db.session.commit()


def test_bands_and_colors() -> None:
    colors = maps.band_colors("#1b4f72")
    assert colors[-1] == "#1b4f72" and len(set(colors)) == 5
    row = type("R", (), {"display": 85})()
    assert maps.color_for(row, colors) == colors[4]
    assert maps.color_for(type("R", (), {"display": 0})(), colors) == colors[0]
    assert maps.color_for(type("R", (), {"display": None})(), colors) == maps.NOT_ENOUGH
    assert maps.color_for(None, colors) == maps.NOBODY


def test_invented_shapes_split_senate_hexagons_into_house_halves() -> None:
    senate = maps.invented_shapes(["1", "2", "3"], "senate")
    house = maps.invented_shapes(["1A", "1B", "2A"], "house")
    assert [f["district"] for f in senate] == ["1", "2", "3"]
    assert [f["district"] for f in house] == ["1A", "1B", "2A"]
    for feature in senate + house:
        ring = feature["geometry"]["coordinates"][0]
        assert ring[0] == ring[-1] and len(ring) >= 4


def test_the_scorecard_map_svg(client: FlaskClient, demo: None) -> None:
    snap = snapshots.latest()[0]
    chamber = snap.rows[0].chamber
    load_invented(snap)
    response = client.get(f"/scorecards/{snap.card.public_id}/map.svg?chamber={chamber}")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    tree = etree.fromstring(response.data)
    ns = {"s": "http://www.w3.org/2000/svg"}
    paths = tree.findall(".//s:path", ns)
    rows = {r.district: r for r in snap.rows if r.chamber == chamber}
    assert {p.get("data-district") for p in paths} == set(rows)
    for path in paths:
        row = rows[path.get("data-district")]
        assert path.get("data-score") == (str(row.display) if row.display is not None else None)
        title = path.find("s:title", ns).text
        assert row.person.name in title
        link = path.getparent()
        assert link.tag.endswith("a") and link.get("href") == f"/legislators/{row.person.public_id}"
    text = response.get_data(as_text=True)
    assert "not enough votes for a score" in text and "80-100" in text
    assert "Twin Cities" not in text  # invented shapes: no metro inset
    assert client.get(f"/scorecards/{snap.card.public_id}/map.svg?chamber=nope").status_code == 404
    no_shapes()
    missing = client.get(f"/scorecards/{snap.card.public_id}/map.svg?chamber={chamber}")
    assert missing.status_code == 404 and "boundaries" in missing.get_data(as_text=True)


def test_the_map_png(client: FlaskClient, demo: None) -> None:
    snap = snapshots.latest()[0]
    load_invented(snap)
    response = client.get(f"/scorecards/{snap.card.public_id}/map.png")
    assert response.status_code == 200
    image = Image.open(io.BytesIO(response.data))
    assert image.size == (1200, 630)  # the share-image size


def test_real_boundaries_get_a_twin_cities_inset(app: Any, demo: None) -> None:
    no_shapes()
    snap = snapshots.latest()[0]
    chamber = snap.rows[0].chamber
    districts = sorted({r.district for r in snap.rows if r.chamber == chamber})
    for index, district in enumerate(districts):
        lon = -93.5 + (index % 10) * 0.06 if index < 20 else -96 + index * 0.05
        lat = 44.8 + (index // 10) * 0.1 if index < 20 else 47.0
        ring = [
            [lon, lat],
            [lon + 0.05, lat],
            [lon + 0.05, lat + 0.05],
            [lon, lat + 0.05],
            [lon, lat],
        ]
        db.session.add(
            DistrictShape(
                chamber=chamber,
                district=district,
                geometry=json.dumps({"type": "Polygon", "coordinates": [ring]}),
                min_lon=lon,
                min_lat=lat,
                max_lon=lon + 0.05,
                max_lat=lat + 0.05,
                source_file="test.geojson",
            )
        )
    db.session.commit()
    data = maps.MapData.of(snap, chamber, "#1b4f72")
    assert data.with_inset
    svg = maps.svg(data)
    assert "Twin Cities (enlarged)" in svg
    metro = len(re.findall(r'data-district="', svg)) - len(districts)
    assert metro == 20  # the metro districts drawn twice: state and inset
    assert db.session.scalar(select(DistrictShape.id).limit(1)) is not None
