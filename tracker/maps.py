"""District maps of a scorecard: one shape per district, coloured by the score of
the legislator who holds it on the scorecard, as SVG (with a link per district)
and PNG.

Shapes are the boundaries ``tracker import-districts`` stored (WGS 84),
simplified for the web and projected once per import; the demo has invented
shapes (:func:`invented_shapes`), never Minnesota's.  When real boundaries are
loaded, the Twin Cities districts (too small to read at state scale) are drawn
again in an inset.  Colours: five bands from a light tint to the
organization's primary colour, grey for "not enough votes", white for a
district with no legislator on the scorecard; a legend says so.  The words (title,
legend, inset, district labels) are in the request's language (``?lang=es``:
``tracker.i18n``), English outside a request.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from flask_babel import gettext
from sqlalchemy import func, select

from tracker import dataversion
from tracker.extensions import db
from tracker.models import DistrictShape
from tracker.models.districts import INVENTED_SOURCE
from tracker.snapshots import Row, Snapshot

Ring = list[tuple[float, float]]

BANDS = ((0, 20), (20, 40), (40, 60), (60, 80), (80, 101))
NOT_ENOUGH = "#b8b8b8"
NOBODY = "#ffffff"
OUTLINE = "#5f5f5f"
METRO = (-93.55, 44.75, -92.85, 45.25)  # lon/lat box of the Twin Cities inset
WIDTH = 640.0
SIMPLIFY_DEGREES = 0.002  # about 200 m: invisible at state scale


class MapError(ValueError):
    """No map can be drawn (no shapes for that chamber)."""


@dataclass(frozen=True)
class Shape:
    district: str
    polygons: tuple[tuple[Ring, ...], ...]  # lon/lat: polygons, each outer ring then holes


# ---------------------------------------------------------------- shapes


_shapes_memo: dict[tuple[Any, ...], dict[str, tuple[Shape, ...]]] = {}


def shapes(chamber: str) -> tuple[Shape, ...]:
    """The imported districts of ``chamber``, simplified."""
    return all_shapes().get(chamber, ())


# what the imported boundaries are (count and last import by chamber), read once per
# data version (an import bumps it)
_stamp: dataversion.Kept[tuple[Any, ...]] = dataversion.Kept()


def _read_stamp() -> tuple[Any, ...]:
    return tuple(
        tuple(row)
        for row in db.session.execute(
            select(DistrictShape.chamber, func.count(), func.max(DistrictShape.imported_at))
            .group_by(DistrictShape.chamber)
            .order_by(DistrictShape.chamber)
        )
    )


def all_shapes() -> dict[str, tuple[Shape, ...]]:
    """Every chamber's imported districts, simplified: read and simplified once per
    import (one small query, once per data version, tells whether they changed)."""
    stamp = _stamp.get(_read_stamp)
    if stamp not in _shapes_memo:
        from shapely.geometry import mapping, shape

        found: dict[str, list[Shape]] = {}
        for row in db.session.scalars(
            select(DistrictShape).order_by(DistrictShape.chamber, DistrictShape.district)
        ):
            geometry = shape(json.loads(row.geometry)).simplify(
                SIMPLIFY_DEGREES, preserve_topology=True
            )
            data = mapping(geometry)
            parts = data["coordinates"] if data["type"] == "MultiPolygon" else [data["coordinates"]]
            found.setdefault(row.chamber, []).append(
                Shape(
                    row.district,
                    tuple(
                        tuple([(float(x), float(y)) for x, y in ring] for ring in polygon)
                        for polygon in parts
                    ),
                )
            )
        _shapes_memo.clear()  # one import at a time is current
        _shapes_memo[stamp] = {c: tuple(items) for c, items in found.items()}
    return _shapes_memo[stamp]


def store_invented_shapes(districts: Iterable[tuple[str, str]]) -> int:
    """Store :func:`invented_shapes` for the demo's (chamber, district) seats, marked
    ``INVENTED_SOURCE`` (``tracker demo --remove`` takes them out); returns how many."""
    wanted: dict[str, list[str]] = {}
    for chamber, district in districts:
        wanted.setdefault(chamber, []).append(district)
    count = 0
    for chamber, names in wanted.items():
        for feature in invented_shapes(names, chamber):
            ring = feature["geometry"]["coordinates"][0]
            lons, lats = [p[0] for p in ring], [p[1] for p in ring]
            db.session.add(
                DistrictShape(
                    chamber=chamber,
                    district=feature["district"],
                    geometry=json.dumps(feature["geometry"]),
                    min_lon=min(lons),
                    min_lat=min(lats),
                    max_lon=max(lons),
                    max_lat=max(lats),
                    source_file=INVENTED_SOURCE,
                )
            )
            count += 1
    db.session.flush()
    return count


def invented_shapes(districts: Sequence[str], chamber: str) -> list[dict[str, Any]]:
    """Invented GeoJSON polygons for demo districts: hexagons in a honeycomb
    (House districts ``NA``/``NB`` split their Senate district's hexagon in two
    halves).  Clearly not Minnesota: for the demo only."""
    senate = sorted({d.rstrip("AB") for d in districts}, key=lambda d: int(d))
    columns = max(1, math.ceil(math.sqrt(len(senate))))
    size = 0.25
    stretch = 1 / math.cos(math.radians(47.5))  # a degree of longitude is shorter up north
    out = []
    for index, number in enumerate(senate):
        row, col = divmod(index, columns)
        cx = -96.5 + (col * size * 1.8 + (size * 0.9 if row % 2 else 0)) * stretch
        cy = 49.0 - row * size * 1.55
        hexagon = [
            (
                cx + size * stretch * math.cos(math.radians(60 * k + 30)),
                cy + size * math.sin(math.radians(60 * k + 30)),
            )
            for k in range(6)
        ]
        halves = {
            "": hexagon,
            "A": [hexagon[1], hexagon[2], hexagon[3], hexagon[4], (cx, cy - size), (cx, cy + size)],
            "B": [hexagon[4], hexagon[5], hexagon[0], hexagon[1], (cx, cy + size), (cx, cy - size)],
        }
        for part, ring in halves.items():
            name = number + part
            if (chamber == "senate") != (part == "") or name not in districts:
                continue
            closed = [*ring, ring[0]]
            out.append(
                {
                    "district": name,
                    "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in closed]]},
                }
            )
    return out


# ---------------------------------------------------------------- colours


def _hex(color: str) -> tuple[int, int, int]:
    body = color.lstrip("#")
    if len(body) == 3:
        body = "".join(c * 2 for c in body)
    return int(body[0:2], 16), int(body[2:4], 16), int(body[4:6], 16)


def band_colors(primary: str) -> list[str]:
    """Five colours from a light tint of ``primary`` to ``primary`` itself."""
    r, g, b = _hex(primary)
    out = []
    for step in range(5):
        t = 0.15 + 0.85 * step / 4
        out.append("#{:02x}{:02x}{:02x}".format(*(round(255 + (c - 255) * t) for c in (r, g, b))))
    return out


def color_for(row: Row | None, colors: Sequence[str]) -> str:
    if row is None:
        return NOBODY
    if row.display is None:
        return NOT_ENOUGH
    for (low, high), color in zip(BANDS, colors, strict=True):
        if low <= row.display < high:
            return color
    return colors[-1]


# ---------------------------------------------------------------- drawing


@dataclass(frozen=True)
class _Frame:
    """A lon/lat box drawn into a pixel box (equirectangular, scaled by latitude)."""

    lon0: float
    lat0: float
    lon1: float
    lat1: float
    x: float
    y: float
    width: float

    @property
    def scale(self) -> float:
        return self.width / ((self.lon1 - self.lon0) * self.aspect)

    @property
    def aspect(self) -> float:
        return math.cos(math.radians((self.lat0 + self.lat1) / 2))

    @property
    def height(self) -> float:
        return (self.lat1 - self.lat0) * self.scale

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            self.x + (lon - self.lon0) * self.aspect * self.scale,
            self.y + (self.lat1 - lat) * self.scale,
        )


def _bounds(items: Iterable[Shape]) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for item in items:
        for polygon in item.polygons:
            for x, y in polygon[0]:
                xs.append(x)
                ys.append(y)
    if not xs:
        raise MapError("there are no district shapes")
    return min(xs), min(ys), max(xs), max(ys)


def _inside(item: Shape, box: tuple[float, float, float, float]) -> bool:
    lon0, lat0, lon1, lat1 = box
    xs = [x for polygon in item.polygons for x, _ in polygon[0]]
    ys = [y for polygon in item.polygons for _, y in polygon[0]]
    cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
    return lon0 <= cx <= lon1 and lat0 <= cy <= lat1


def _label_at(
    item: Shape, frame: _Frame, least: tuple[float, float] = (26, 14)
) -> tuple[float, float] | None:
    """Where to print the district's name: the middle of its largest part, when
    that part is wide enough on the page to hold it (else None)."""
    ring = max((polygon[0] for polygon in item.polygons), key=len)
    points = [frame.point(x, y) for x, y in ring]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    if max(xs) - min(xs) < least[0] or max(ys) - min(ys) < least[1]:
        return None
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def _path(item: Shape, frame: _Frame) -> str:
    parts = []
    for polygon in item.polygons:
        for ring in polygon:
            points = [frame.point(x, y) for x, y in ring]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


@dataclass(frozen=True)
class MapData:
    """What a map shows: the shapes, each district's row on the scorecard, the
    title and the colours."""

    chamber: str
    title: str
    shapes: tuple[Shape, ...]
    rows: dict[str, Row]
    colors: tuple[str, ...]
    with_inset: bool

    @classmethod
    def of(
        cls, snap: Snapshot, chamber: str, primary: str, items: Sequence[Shape] | None = None
    ) -> MapData:
        """The map of ``chamber``'s districts on ``snap`` (``items``: the shapes, read
        with :func:`shapes` when not given)."""
        found = tuple(items) if items is not None else shapes(chamber)
        if not found:
            raise MapError(f"no {chamber} district boundaries are loaded")
        rows = {r.district or "": r for r in snap.rows if r.chamber == chamber}
        inset = sum(_inside(s, METRO) for s in found) >= 5  # real boundaries only
        title = (
            gettext("%(title)s: House districts by score", title=snap.version.title)
            if chamber == "house"
            else gettext("%(title)s: Senate districts by score", title=snap.version.title)
        )
        return cls(chamber, title, found, rows, tuple(band_colors(primary)), inset)


def svg(data: MapData, *, link: Any = None) -> str:
    """The map as SVG: a shape per district (a link to its legislator when ``link``
    gives one), a legend, and the Twin Cities inset when there is one."""
    main = _Frame(
        *_bounds(data.shapes), x=10, y=40, width=WIDTH * (0.62 if data.with_inset else 0.96)
    )
    frames = [(main, data.shapes)]
    if data.with_inset:
        metro = [s for s in data.shapes if _inside(s, METRO)]
        inset = _Frame(*METRO, x=WIDTH * 0.66, y=40, width=WIDTH * 0.32)
        frames.append((inset, tuple(metro)))
    height = max(f.y + f.height for f, _ in frames) + 120
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {height:.0f}" '
        # With links inside, the map is a group of links, not one image: an image
        # role would hide (nest) the links from assistive technology.
        f'width="{WIDTH:.0f}" height="{height:.0f}" '
        f'role="{"group" if link is not None else "img"}" '
        f'aria-labelledby="map-title-{data.chamber}">',
        f'<title id="map-title-{data.chamber}">{escape(data.title)}</title>',
        f'<text x="10" y="24" font-family="sans-serif" font-size="16" font-weight="bold">'
        f"{escape(data.title)}</text>",
    ]
    for frame, items in frames:
        if frame is not main:
            out.append(
                f'<rect x="{frame.x - 4:.1f}" y="{frame.y - 4:.1f}" '
                f'width="{frame.width + 8:.1f}" height="{frame.height + 8:.1f}" '
                f'fill="none" stroke="{OUTLINE}" stroke-dasharray="4 3"/>'
            )
            enlarged = escape(gettext("Twin Cities (enlarged)"))
            out.append(
                f'<text x="{frame.x:.1f}" y="{frame.y + frame.height + 20:.1f}" '
                f'font-family="sans-serif" font-size="12">{enlarged}</text>'
            )
        for item in items:
            row = data.rows.get(item.district)
            fill = color_for(row, data.colors)
            label = district_label(item.district, row)
            shape = (
                f'<path d="{_path(item, frame)}" fill="{fill}" stroke="{OUTLINE}" '
                f'stroke-width="0.6" data-district="{escape(item.district)}"'
                + (
                    f' data-score="{row.display}"'
                    if row is not None and row.display is not None
                    else ""
                )
                + f"><title>{escape(label)}</title></path>"
            )
            at = _label_at(item, frame)
            if at is not None:
                ink = "#ffffff" if fill in data.colors[3:] else "#1a1a1a"
                shape += (
                    f'<text x="{at[0]:.1f}" y="{at[1] + 4:.1f}" text-anchor="middle" '
                    f'font-family="sans-serif" font-size="11" fill="{ink}" '
                    f'pointer-events="none">{escape(item.district)}</text>'
                )
            href = link(row) if link is not None and row is not None else None
            out.append(f'<a href="{escape(href)}">{shape}</a>' if href else shape)
    y = height - 70
    out.append(f'<g font-family="sans-serif" font-size="12" transform="translate(10,{y:.0f})">')
    x = 0.0
    for (low, high), color in zip(BANDS, data.colors, strict=True):
        out.append(
            f'<rect x="{x:.0f}" y="0" width="18" height="14" fill="{color}" '
            f'stroke="{OUTLINE}"/><text x="{x + 22:.0f}" y="12">{low}-{min(high, 100)}'
            "</text>"
        )
        x += 78
    grey = gettext("not enough votes for a score")
    white = gettext("no legislator on this scorecard")
    # The second key beside the first, or below it when the first is too long (another
    # language's words): about 6.6 px a character at 12 px.
    x2, y2 = (0, 48) if 22 + len(grey) * 6.6 + 16 > 230 else (230, 24)
    out.append(
        f'<rect x="0" y="24" width="18" height="14" fill="{NOT_ENOUGH}" '
        f'stroke="{OUTLINE}"/><text x="22" y="36">{escape(grey)}</text>'
        f'<rect x="{x2}" y="{y2}" width="18" height="14" fill="{NOBODY}" '
        f'stroke="{OUTLINE}"/><text x="{x2 + 22}" y="{y2 + 12}">{escape(white)}</text>'
        "</g></svg>"
    )
    return "".join(out)


def district_label(district: str, row: Row | None) -> str:
    """A district's tooltip: ``District 10A: Ana Ortiz (DFL), 62`` (in the request's
    language)."""
    if row is None:
        return gettext("District %(district)s: no legislator on this scorecard", district=district)
    who = f"{row.person.name}" + (f" ({row.party})" if row.party else "")
    if row.display is None:
        return gettext(
            "District %(district)s: %(who)s, not enough votes", district=district, who=who
        )
    return gettext(
        "District %(district)s: %(who)s, %(score)s", district=district, who=who, score=row.display
    )


def png(data: MapData, *, width_px: int = 1200) -> bytes:
    """The same map as a PNG (matplotlib's Figure API), for share images and print."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, Polygon

    frames = [(_Frame(*_bounds(data.shapes), x=0, y=0, width=1.0), data.shapes)]
    if data.with_inset:
        frames.append(
            (
                _Frame(*METRO, x=0, y=0, width=1.0),
                tuple(s for s in data.shapes if _inside(s, METRO)),
            )
        )
    figure = Figure(figsize=(width_px / 100, width_px / 100 * 0.525), dpi=100)  # 1200x630
    FigureCanvasAgg(figure)
    axes_list = [figure.add_axes((0.02, 0.14, 0.62 if data.with_inset else 0.96, 0.76))]
    if data.with_inset:
        axes_list.append(figure.add_axes((0.67, 0.3, 0.31, 0.6)))
    for axes, (frame, items) in zip(axes_list, frames, strict=True):
        for item in items:
            fill = color_for(data.rows.get(item.district), data.colors)
            for polygon in item.polygons:
                points = [frame.point(x, y) for x, y in polygon[0]]
                axes.add_patch(
                    Polygon(points, closed=True, facecolor=fill, edgecolor=OUTLINE, linewidth=0.4)
                )
            at = _label_at(item, frame, (frame.width / 30, frame.width / 60))
            if at is not None:
                axes.text(
                    at[0],
                    at[1],
                    item.district,
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="#ffffff" if fill in data.colors[3:] else "#1a1a1a",
                )
        axes.set_xlim(0, frame.width)
        axes.set_ylim(frame.height, 0)
        axes.set_aspect("equal")
        axes.axis("off")
    if data.with_inset:
        axes_list[1].set_title(gettext("Twin Cities (enlarged)"), fontsize=10)
    figure.suptitle(data.title, fontsize=14, x=0.02, ha="left")
    handles = [
        Patch(facecolor=c, edgecolor=OUTLINE, label=f"{low}-{min(high, 100)}")
        for (low, high), c in zip(BANDS, data.colors, strict=True)
    ]
    handles += [
        Patch(facecolor=NOT_ENOUGH, edgecolor=OUTLINE, label=gettext("not enough votes")),
        Patch(facecolor=NOBODY, edgecolor=OUTLINE, label=gettext("no legislator on it")),
    ]
    figure.legend(handles=handles, loc="lower left", ncol=7, fontsize=9, frameon=False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


__all__ = [
    "INVENTED_SOURCE",
    "MapData",
    "MapError",
    "Shape",
    "all_shapes",
    "band_colors",
    "color_for",
    "district_label",
    "invented_shapes",
    "png",
    "shapes",
    "store_invented_shapes",
    "svg",
]
