"""The Legislative Reference Library's legislator records (mn-sources.md section 11.1).

"Minnesota Legislators Past & Present" (``https://www.lrl.mn.gov/legdb/``) keeps a
record per legislator since 1849 with chamber, district, party and dates of
service, special elections, resignations and deaths included.  A record's URL
is ``/legdb/fulldetail?ID={id}``; Open States links some members to theirs.

**The page structure was not seen in any stored copy.**  This parser reads the
service table the record is expected to hold: a ``<table>`` whose header row
names a chamber column ("Body", "Chamber", "House/Senate"), a "District"
column and start and end columns ("Start"/"From"/"Term Start"/"Sworn In" and
"End"/"To"/"Term End"/"Left"), a "Party" column optionally.  Dates may be
``MM/DD/YYYY``, ``YYYY-MM-DD`` or ``January 4, 2011``; an end of "present",
"current" or empty is an open end.  Anything else - no such table, a row whose
chamber or date cannot be read - raises :class:`ParseError`: a record in an
unknown layout is reported, never half-read.  Record a live page with
``tracker sources check --record DIR`` and check it before relying on this.

Pure: bytes in, records out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlparse

from scrapers import vocab
from scrapers.parsing import ParseError, parse_html

__all__ = ["LrlRecord", "LrlTerm", "legislator_url", "lrl_id_from_url", "parse_legislator"]

_WS = re.compile(r"\s+")
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_HEADERS = {
    "chamber": re.compile(r"^(?:body|chamber|house/senate|legislative body)$"),
    "district": re.compile(r"^(?:district|dist\.?)$"),
    "party": re.compile(r"^(?:party|party affiliation)$"),
    "start": re.compile(r"^(?:start|from|began|term start|start date|sworn in|served from)$"),
    "end": re.compile(r"^(?:end|to|until|term end|end date|left|left office|served to)$"),
}
_OPEN_END = {"", "present", "current", "-", "—"}
_CHAMBERS = {
    "house": vocab.HOUSE,
    "house of representatives": vocab.HOUSE,
    "representative": vocab.HOUSE,
    "senate": vocab.SENATE,
    "senator": vocab.SENATE,
}
_DISTRICT = re.compile(r"^(?:district\s+)?0*(\d{1,2})([ab])?$", re.I)


@dataclass(frozen=True)
class LrlTerm:
    chamber: str
    district: str
    party: str | None
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class LrlRecord:
    lrl_id: str
    name: str
    terms: tuple[LrlTerm, ...]
    source_url: str


def legislator_url(lrl_base: str, lrl_id: str | int) -> str:
    digits = str(lrl_id).strip()
    if not digits.isdigit():
        raise ValueError(f"not a Legislative Reference Library id: {lrl_id!r}")
    return f"{lrl_base.rstrip('/')}/legdb/fulldetail?{urlencode({'ID': int(digits)})}"


def lrl_id_from_url(url: str) -> str | None:
    """``https://www.lrl.mn.gov/legdb/fulldetail?ID=15648`` -> ``"15648"``."""
    parts = urlparse(url)
    if not parts.netloc.lower().endswith("lrl.mn.gov") or "/legdb/" not in parts.path.lower():
        return None
    values = {k.lower(): v for k, v in parse_qs(parts.query).items()}.get("id") or []
    return values[0] if values and values[0].isdigit() else None


def _text(el: object) -> str:
    return _WS.sub(" ", el.text_content().replace("\xa0", " ")).strip()  # type: ignore[attr-defined]


def _date(text: str, *, what: str, source_url: str) -> dt.date:
    value = text.strip().rstrip(".")
    for fmt in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            pass
    match = re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{1,2}),\s*(\d{4})", value)
    if match and match.group(1).lower() in _MONTHS:
        try:
            return dt.date(
                int(match.group(3)), _MONTHS.index(match.group(1).lower()) + 1, int(match.group(2))
            )
        except ValueError:
            pass
    raise ParseError(f"cannot read the {what} date {text!r}", source_url=source_url)


def _district(text: str, chamber: str, source_url: str) -> str:
    match = _DISTRICT.match(text.strip())
    if not match or (chamber == vocab.HOUSE) != bool(match.group(2)):
        raise ParseError(f"cannot read the {chamber} district {text!r}", source_url=source_url)
    return f"{int(match.group(1))}{(match.group(2) or '').upper()}"


def parse_legislator(content: bytes | str, *, source_url: str) -> LrlRecord:
    """The legislator and their terms of service (module docstring)."""
    root = parse_html(content, source_url=source_url)
    lrl_id = lrl_id_from_url(source_url) or ""
    heading = root.xpath("//h1 | //h2")
    name = _text(heading[0]) if heading else ""
    for table in root.iter("table"):
        rows = table.xpath(".//tr")
        if not rows:
            continue
        header = [_text(c).lower().rstrip(":") for c in rows[0].xpath("./th|./td")]
        columns: dict[str, int] = {}
        for index, label in enumerate(header):
            for field, pattern in _HEADERS.items():
                if pattern.match(label) and field not in columns:
                    columns[field] = index
        if not {"chamber", "district", "start", "end"} <= set(columns):
            continue
        terms = []
        for row in rows[1:]:
            cells = [_text(c) for c in row.xpath("./th|./td")]
            if not any(cells):
                continue
            if len(cells) != len(header):
                raise ParseError(
                    f"a service row has {len(cells)} cells, the header {len(header)}",
                    source_url=source_url,
                )
            chamber = _CHAMBERS.get(cells[columns["chamber"]].lower())
            if chamber is None:
                raise ParseError(
                    f"unknown chamber {cells[columns['chamber']]!r}", source_url=source_url
                )
            end_text = cells[columns["end"]]
            terms.append(
                LrlTerm(
                    chamber=chamber,
                    district=_district(cells[columns["district"]], chamber, source_url),
                    party=(cells[columns["party"]] or None) if "party" in columns else None,
                    start=_date(cells[columns["start"]], what="start", source_url=source_url),
                    end=None
                    if end_text.lower() in _OPEN_END
                    else _date(end_text, what="end", source_url=source_url),
                )
            )
        if not terms:
            raise ParseError("the service table has no rows", source_url=source_url)
        return LrlRecord(lrl_id=lrl_id, name=name, terms=tuple(terms), source_url=source_url)
    raise ParseError(
        "legislator record in an unknown layout: no service table with "
        "chamber, district, start and end columns",
        source_url=source_url,
    )
