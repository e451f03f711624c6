"""Imported legislative district boundaries, for point-in-polygon lookup.

Shapes come from boundary files (GeoJSON or shapefile, usually the Legislative
Coordinating Commission's) through ``tracker import-districts``; they are
reprojected to WGS 84 on import.  ``geometry`` is a GeoJSON Polygon or
MultiPolygon (lon/lat); the bbox columns let a query discard most districts
before any geometry is parsed.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from scrapers.vocab import CHAMBERS
from tracker.extensions import Model
from tracker.models.common import UTCDateTime, one_of, utcnow

# ``source_file`` of the demo's invented shapes: drawn on its maps, never used to
# place a real address or location (tracker.lookup ignores them).
INVENTED_SOURCE = "invented for the demo"


class DistrictShape(Model):
    """One district's boundary: ``chamber`` ``house``/``senate``, ``district``
    in our forms (``62A``, ``62``)."""

    __tablename__ = "district_shape"
    __table_args__ = (
        UniqueConstraint("chamber", "district"),
        one_of("chamber", CHAMBERS, "chamber"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, init=False)
    chamber: Mapped[str] = mapped_column(String(10))
    district: Mapped[str] = mapped_column(String(5))
    geometry: Mapped[str] = mapped_column(Text)
    min_lon: Mapped[float] = mapped_column(Float)
    min_lat: Mapped[float] = mapped_column(Float)
    max_lon: Mapped[float] = mapped_column(Float)
    max_lat: Mapped[float] = mapped_column(Float)
    source_file: Mapped[str] = mapped_column(String(300))
    imported_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), insert_default=utcnow, default_factory=utcnow
    )

    def __repr__(self) -> str:
        return f"<DistrictShape {self.chamber} {self.district}>"
