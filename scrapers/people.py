"""Legislator rosters: Open States people YAML, the Senate members API, the House member list.

Three sources, one record type (:class:`scrapers.records.PersonRecord`):

* **Open States people** (``openstates/people`` ``data/mn``; mn-sources.md section 10) is the
  backbone: a stable ``ocd-person`` id, every seat with its dates, party memberships,
  ``other_names`` and the official profile links that carry the chambers' member ids.
* **Senate members API** (``https://www.senate.mn/api/members``) and **House member list**
  (``div#Alpha div.media.my-3``; mn-sources.md section 6) say who sits *now*.  They carry
  the chamber member id, contact details and photo, but no dates.

:func:`merge_people` joins them on the ids they share.  Everything here is pure parsing: no
network, no database, no Flask.

Dates are never invented: a role without ``start_date``/``end_date`` gives a term with
``None`` there, and roster terms are always ``start_date=None, end_date=None``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlparse

import lxml.etree
import lxml.html
import yaml

from scrapers import vocab
from scrapers.lrl import lrl_id_from_url
from scrapers.records import PersonRecord, TermRecord

__all__ = [
    "PeopleParseError",
    "load_openstates_dir",
    "merge_people",
    "parse_house_member_list",
    "parse_openstates_person",
    "parse_senate_members_json",
    "party_code",
    "printed_name_forms",
]


class PeopleParseError(ValueError):
    """A roster source does not have the shape this module expects."""

    def __init__(self, source_url: str | None, reason: str) -> None:
        self.source_url = source_url
        self.reason = reason
        super().__init__(f"{source_url}: {reason}")


# --------------------------------------------------------------------------- helpers

_ROLE_CHAMBERS = {"lower": vocab.HOUSE, "upper": vocab.SENATE}

# Full party names (and the codes themselves) -> Minnesota codes.  Anything else is kept
# as given ("Democratic", "Progressive/Democratic" occur in old Open States files).
_PARTY_CODES: dict[str, str] = {}
for _code, _full in vocab.PARTY_NAMES.items():
    _PARTY_CODES[_full.casefold()] = _code
    _PARTY_CODES[_code.casefold()] = _code
_PARTY_CODES["democratic-farmer-labor party"] = "DFL"
_PARTY_CODES["republican party"] = "R"


def party_code(name: str | None) -> str | None:
    """Map a party name or code to the Minnesota code (``DFL``, ``R``, ``I``, ...).

    Unknown names are returned stripped but otherwise as given; empty -> ``None``.
    """
    if name is None:
        return None
    text = " ".join(str(name).split())
    if not text:
        return None
    return _PARTY_CODES.get(text.casefold(), text)


def normalise_district(value: Any) -> str:
    """``'05'`` -> ``'5'``, ``'062a'`` -> ``'62A'``, ``50`` -> ``'50'``.

    Raises :class:`ValueError` for anything that is not digits plus an optional letter.
    """
    text = str(value).strip().upper()
    match = re.fullmatch(r"0*(\d+)([A-Z]?)", text)
    if not match or match.group(1) == "":
        raise ValueError(f"unrecognised district {value!r}")
    number = str(int(match.group(1)))
    if number == "0":
        raise ValueError(f"unrecognised district {value!r}")
    return number + match.group(2)


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _as_date(value: Any, *, source_url: str, what: str) -> dt.date | None:
    """YAML gives either a ``date`` (unquoted) or a string (quoted); both become a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise PeopleParseError(source_url, f"{what} is not a YYYY-MM-DD date: {value!r}") from None


# Member ids in profile URLs, current and legacy hosts (all forms found in the Open States
# data: house.mn.gov/members/profile/<id>, house.leg.state.mn.us/members/profile/<id>,
# .../members/members.asp?id=<id>, and the older member_bio.asp?leg_id=<id>).
_HOUSE_ID_RE = re.compile(
    r"house(?:\.leg\.state\.mn\.us|\.mn\.gov)/members/"
    r"(?:profile/(?P<a>\d+)|members\.asp\?(?:.*&)?id=(?P<b>\d+)"
    r"|member_bio\.asp\?(?:.*&)?leg_id=(?P<c>\d+))",
    re.IGNORECASE,
)
# senate.mn/members/member_bio.html?mem_id=<id> (also member_id=, and the legacy
# senate.leg.state.mn.us//members/member_bio.php?mem_id=<id>&ls= form).
_SENATE_ID_RE = re.compile(
    r"senate(?:\.leg\.state\.mn\.us|\.mn)/+members/member_bio\.(?:html|php)\?"
    r"(?:.*&)?(?:mem_id|member_id|leg_id)=(?P<a>\d+)",
    re.IGNORECASE,
)


def _house_id(url: str) -> str | None:
    match = _HOUSE_ID_RE.search(url)
    if not match:
        return None
    return match.group("a") or match.group("b") or match.group("c")


def _senate_id(url: str) -> str | None:
    match = _SENATE_ID_RE.search(url)
    return match.group("a") if match else None


def _urls(entries: Any) -> list[str]:
    out: list[str] = []
    for entry in entries or ():
        url = entry.get("url") if isinstance(entry, dict) else entry
        if isinstance(url, str) and url.strip():
            out.append(url.strip())
    return out


# --------------------------------------------------------------------------- Open States


def _party_spans(
    parties: list[dict[str, Any]], *, source_url: str
) -> list[tuple[str | None, dt.date | None, dt.date | None]]:
    """``(code, start, end)`` per party entry, with an implied start for undated entries.

    Open States lists memberships in order; an entry without ``start_date`` that follows one
    with an ``end_date`` is read as starting then (e.g. DFL until 2021-12-14, then an undated
    ``Independent``).  The implied start is only used to pick a term's party, never stored.
    """
    spans = []
    previous_end: dt.date | None = None
    for entry in parties:
        code = party_code(entry.get("name"))
        start = _as_date(entry.get("start_date"), source_url=source_url, what="party start_date")
        end = _as_date(entry.get("end_date"), source_url=source_url, what="party end_date")
        if start is None:
            start = previous_end
        spans.append((code, start, end))
        previous_end = end if end is not None else previous_end
    return spans


def _party_for(
    spans: list[tuple[str | None, dt.date | None, dt.date | None]],
    start: dt.date | None,
    end: dt.date | None,
) -> str | None:
    """The party in effect at ``start`` (or, when the start is unknown, at ``end``)."""
    codes = {code for code, _, _ in spans if code}
    if not codes:
        return None
    if len(codes) == 1:
        return next(iter(codes))
    day = start or end
    if day is None:
        # Several parties and no date at all: the latest listed membership.
        return next((code for code, _, _ in reversed(spans) if code), None)
    # Spans are half-open [start, end): on a switch day the new party applies.
    in_effect = [
        code for code, s, e in spans if code and (s is None or s <= day) and (e is None or day < e)
    ]
    return in_effect[-1] if in_effect else None


def parse_openstates_person(data: object, *, source_url: str) -> PersonRecord:
    """One Open States person file (already ``yaml.safe_load``-ed) -> :class:`PersonRecord`.

    * ``openstates_id`` is the uuid of ``id: ocd-person/<uuid>``.
    * Roles of type ``lower``/``upper`` become House/Senate terms; other role types
      (``mayor`` occurs in ``retired/``) are skipped.  Districts lose zero padding and are
      upper-cased.  Missing start/end dates stay ``None``.
    * Each term's party is the membership in effect at the term's start (at its end if the
      start is unknown), or simply the only party; full names map to ``DFL``/``R``/``I``.
    * Member ids come from ``links`` then ``sources`` (first match wins; a few retired files
      list two House profile ids and only the first is kept).
    * ``phone``/``office_address`` come from the ``capitol`` office, else ``primary``.
    * ``profile_url`` is the official profile link for the chamber of the most recent term.
    * ``other_names`` are the ``other_names[].name`` values as given (deduplicated).
    """
    if not isinstance(data, dict):
        raise PeopleParseError(source_url, "person file is not a mapping")
    raw_id = _clean(data.get("id"))
    if not raw_id:
        raise PeopleParseError(source_url, "person file has no id")
    match = re.fullmatch(r"ocd-person/([0-9a-fA-F-]{36})", raw_id)
    if not match:
        raise PeopleParseError(source_url, f"id is not ocd-person/<uuid>: {raw_id!r}")
    name = _clean(data.get("name"))
    if not name:
        raise PeopleParseError(source_url, "person file has no name")

    parties = data.get("party") or []
    if not isinstance(parties, list):
        raise PeopleParseError(source_url, "party is not a list")
    spans = _party_spans([p for p in parties if isinstance(p, dict)], source_url=source_url)

    terms: list[TermRecord] = []
    for index, role in enumerate(data.get("roles") or []):
        if not isinstance(role, dict):
            raise PeopleParseError(source_url, f"role {index} is not a mapping")
        chamber = _ROLE_CHAMBERS.get(str(role.get("type", "")).strip())
        if chamber is None:
            continue
        if role.get("district") in (None, ""):
            raise PeopleParseError(source_url, f"role {index} ({role.get('type')}) has no district")
        try:
            district = normalise_district(role["district"])
        except ValueError as exc:
            raise PeopleParseError(source_url, f"role {index}: {exc}") from None
        start = _as_date(role.get("start_date"), source_url=source_url, what="role start_date")
        end = _as_date(role.get("end_date"), source_url=source_url, what="role end_date")
        terms.append(TermRecord(chamber, district, _party_for(spans, start, end), start, end))

    link_urls = _urls(data.get("links"))
    all_urls = link_urls + _urls(data.get("sources"))
    house_id = next((i for u in all_urls if (i := _house_id(u))), None)
    senate_id = next((i for u in all_urls if (i := _senate_id(u))), None)
    lrl_id = next((i for u in all_urls if (i := lrl_id_from_url(u))), None)

    offices = [o for o in data.get("offices") or [] if isinstance(o, dict)]
    office = next(
        (o for kind in ("capitol", "primary") for o in offices if o.get("classification") == kind),
        None,
    )

    other_names: list[str] = []
    for entry in data.get("other_names") or []:
        other = _clean(entry.get("name") if isinstance(entry, dict) else entry)
        if other and other not in other_names and other != name:
            other_names.append(other)

    return PersonRecord(
        name=name,
        given_name=_clean(data.get("given_name")),
        family_name=_clean(data.get("family_name")),
        openstates_id=match.group(1).lower(),
        house_member_id=house_id,
        senate_member_id=senate_id,
        email=_clean(data.get("email")),
        phone=_clean(office.get("voice")) if office else None,
        office_address=_clean(office.get("address")) if office else None,
        profile_url=_profile_url(terms, link_urls + all_urls),
        photo_url=_clean(data.get("image")),
        other_names=tuple(other_names),
        terms=tuple(terms),
        source_url=source_url,
        lrl_id=lrl_id,
    )


def _profile_url(terms: list[TermRecord], urls: list[str]) -> str | None:
    house = next((u for u in urls if _house_id(u)), None)
    senate = next((u for u in urls if _senate_id(u)), None)
    latest = _latest_term(terms)
    if latest is not None and latest.chamber == vocab.SENATE:
        return senate or house
    return house or senate


def _latest_term(terms: Iterable[TermRecord]) -> TermRecord | None:
    """The open term if there is one, else the one that ended (or started) last."""
    best: TermRecord | None = None
    best_key: tuple[int, dt.date] | None = None
    for term in terms:
        if term.end_date is None:
            key = (1, term.start_date or dt.date.min)
        else:
            key = (0, term.end_date)
        if best_key is None or key > best_key:
            best, best_key = term, key
    return best


def load_openstates_dir(path: str | Path) -> Iterator[PersonRecord]:
    """Every person under ``<path>/legislature/*.yml`` then ``<path>/retired/*.yml``.

    ``committees/`` (and anything else) is ignored.  Files are read in name order;
    ``source_url`` is the file's ``file://`` URI.  A directory with neither ``legislature/``
    nor ``retired/`` raises :class:`PeopleParseError` before anything is yielded.
    """
    root = Path(path)
    subdirs = [root / name for name in ("legislature", "retired") if (root / name).is_dir()]
    if not subdirs:
        raise PeopleParseError(
            str(root),
            "not an Open States people directory: it has neither legislature/ nor retired/",
        )
    return _iter_people(subdirs)


def _iter_people(subdirs: list[Path]) -> Iterator[PersonRecord]:
    for subdir in subdirs:
        for file in sorted(subdir.glob("*.yml")):
            source_url = file.resolve().as_uri()
            try:
                data = yaml.safe_load(file.read_text(encoding="utf-8"))
            except yaml.YAMLError as exc:
                raise PeopleParseError(source_url, f"invalid YAML: {exc}") from None
            yield parse_openstates_person(data, source_url=source_url)


# --------------------------------------------------------------------------- Senate API


def parse_senate_members_json(
    content: bytes,
    *,
    source_url: str,
    as_of: dt.date,
    senate_base: str = "https://www.senate.mn",
) -> list[PersonRecord]:
    """``https://www.senate.mn/api/members`` -> one record per sitting senator.

    Each record gets one Senate term with the roster's district and party and
    ``start_date=None, end_date=None``: the roster says who sits now, not since when, so
    ``as_of`` (the day the roster was read) is deliberately *not* written into the term.
    Callers keep ``as_of`` with the fetch; merging with Open States supplies real dates.
    """
    if not isinstance(as_of, dt.date):
        raise TypeError("as_of must be a date")
    try:
        payload = json.loads(content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PeopleParseError(source_url, f"not JSON: {exc}") from None
    members = payload.get("members") if isinstance(payload, dict) else None
    if not isinstance(members, list):
        raise PeopleParseError(source_url, "no members[] list")
    if not members:
        raise PeopleParseError(source_url, "members[] is empty; expected the sitting senators")
    base = senate_base.rstrip("/")
    out = []
    for index, member in enumerate(members):
        if not isinstance(member, dict):
            raise PeopleParseError(source_url, f"member {index} is not an object")
        mem_id = _clean(member.get("mem_id"))
        name = _clean(member.get("preferred_full_name"))
        if not mem_id:
            raise PeopleParseError(source_url, f"member {index} has no mem_id")
        if not name:
            raise PeopleParseError(source_url, f"member {index} has no preferred_full_name")
        try:
            district = normalise_district(member.get("dist"))
        except ValueError as exc:
            raise PeopleParseError(source_url, f"member {index} ({name}): {exc}") from None
        pic = _clean(member.get("mem_bio_pic"))
        address = ", ".join(
            line
            for key in ("office_address_first_line", "office_address_second_line")
            if (line := _clean(member.get(key)))
        )
        out.append(
            PersonRecord(
                name=name,
                family_name=_clean(member.get("preferred_last_name")),
                senate_member_id=mem_id,
                email=_clean(member.get("email")),
                phone=_clean(member.get("full_phone_number")),
                office_address=address or None,
                profile_url=f"{base}/members/member_bio.html?mem_id={mem_id}",
                photo_url=f"{base}/img/member_thumbnails/{pic}" if pic else None,
                terms=(
                    TermRecord(vocab.SENATE, district, party_code(member.get("party")), None, None),
                ),
                source_url=source_url,
            )
        )
    return out


# --------------------------------------------------------------------------- House list

_HOUSE_NAME_RE = re.compile(
    r"^(?P<name>\S.*?)\s*\(\s*(?P<district>\d{1,2}[AB])\s*,\s*(?P<party>[^()]+?)\s*\)$"
)


def parse_house_member_list(
    content: bytes, *, source_url: str, house_base: str = "https://www.house.mn.gov"
) -> list[PersonRecord]:
    """The House member list (``div#Alpha div.media.my-3`` cards) -> one record per member.

    Name, district and party come from ``.//h5/a/b`` (``Name (62A, DFL)``); the member id is
    the last segment of ``/members/profile/{id}`` (or a ``leg_id=``/``id=`` query); the
    address is the first two text lines of the card's ``./div``, the phone the third; the
    email the ``mailto:`` link.  Relative links resolve against ``house_base``.  Each
    record has one House term with ``start_date=None, end_date=None`` (who sits now).
    """
    try:
        doc = lxml.html.fromstring(content)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise PeopleParseError(source_url, f"not HTML: {exc}") from None
    base = house_base.rstrip("/") + "/"
    cards = _elements(
        doc,
        "//div[@id='Alpha']//div[contains(concat(' ', normalize-space(@class), ' '), ' media ')"
        " and contains(concat(' ', normalize-space(@class), ' '), ' my-3 ')]",
    )
    if not cards:
        raise PeopleParseError(source_url, "no member cards (div#Alpha div.media.my-3)")
    out = []
    for index, card in enumerate(cards):
        label = f"card {index + 1}"
        name_text = _clean(" ".join(_strings(card, ".//h5/a/b//text()")))
        match = _HOUSE_NAME_RE.match(name_text or "")
        if not match:
            raise PeopleParseError(
                source_url, f"{label}: name {name_text!r} is not 'Name (NNX, PARTY)'"
            )
        name = match.group("name")
        label = f"{label} ({name})"
        hrefs = [h for h in _strings(card, "./a/@href | .//h5/a/@href") if h.strip()]
        profile = urljoin(base, hrefs[0].strip()) if hrefs else None
        member_id = _house_profile_id(profile) if profile else None
        if not member_id:
            raise PeopleParseError(source_url, f"{label}: no member id in profile link {profile!r}")
        photos = _strings(card, "./a/img/@src")
        photo = urljoin(base, photos[0].strip()) if photos and photos[0].strip() else None
        body = _elements(card, "./div")
        texts = _strings(body[0], "./text()") if body else []
        lines = [t for t in (_clean(s) for s in texts) if t]
        address = ", ".join(lines[:2]) or None
        phone = lines[2] if len(lines) > 2 else None
        mails = _strings(card, ".//a[starts-with(normalize-space(@href), 'mailto:')]/@href")
        email = _clean(mails[0].strip()[len("mailto:") :].split("?")[0]) if mails else None
        out.append(
            PersonRecord(
                name=name,
                house_member_id=member_id,
                email=email,
                phone=phone,
                office_address=address,
                profile_url=profile,
                photo_url=photo,
                terms=(
                    TermRecord(
                        vocab.HOUSE,
                        normalise_district(match.group("district")),
                        party_code(match.group("party")),
                        None,
                        None,
                    ),
                ),
                source_url=source_url,
            )
        )
    return out


def _elements(node: lxml.etree._Element, path: str) -> list[lxml.etree._Element]:
    """The elements ``path`` selects under ``node`` (``path`` must select only elements)."""
    found = node.xpath(path)
    if not isinstance(found, list):
        raise TypeError(f"XPath {path!r} does not select a node set")
    elements = [e for e in found if isinstance(e, lxml.etree._Element)]
    if len(elements) != len(found):
        raise TypeError(f"XPath {path!r} does not select only elements")
    return elements


def _strings(node: lxml.etree._Element, path: str) -> list[str]:
    """The text nodes or attribute values ``path`` selects under ``node`` (only those)."""
    found = node.xpath(path)
    if not isinstance(found, list):
        raise TypeError(f"XPath {path!r} does not select a node set")
    strings = [s for s in found if isinstance(s, str)]
    if len(strings) != len(found):
        raise TypeError(f"XPath {path!r} does not select only text or attribute values")
    return strings


def _house_profile_id(url: str) -> str | None:
    parsed = urlparse(url)
    query = parse_qs(parsed.query)
    for key in ("leg_id", "id"):
        if query.get(key) and query[key][0].isdigit():
            return query[key][0]
    match = re.search(r"/members/profile/(\d+)/?$", parsed.path, re.IGNORECASE)
    return match.group(1) if match else None


# --------------------------------------------------------------------------- merging

_ID_FIELDS = ("openstates_id", "house_member_id", "senate_member_id")


def merge_people(records: Iterable[PersonRecord]) -> list[PersonRecord]:
    """Join records that share an ``openstates_id``, ``house_member_id`` or ``senate_member_id``.

    Precedence is input order: pass Open States records first, then the chamber rosters.
    For each scalar field the first non-empty value wins, so rosters only fill gaps (and add
    the ids Open States lacks).  ``other_names`` is the union in order of appearance.
    Terms are deduplicated by ``(chamber, district, start_date)`` (the first wins, with
    empty party/end filled from later duplicates); a roster's undated term is dropped when
    an earlier record already has an open term (no end date) for the same seat.

    Two different values of one id within a joined group (e.g. two Open States ids linked
    through the same House member id) raise :class:`ValueError` rather than guessing.
    Output order follows each group's first record.
    """
    items = list(records)
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[str, str], int] = {}
    for index, record in enumerate(items):
        for name in _ID_FIELDS:
            value = getattr(record, name)
            if not value:
                continue
            key = (name, value)
            if key in owner:
                a, b = find(owner[key]), find(index)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[key] = index

    groups: dict[int, list[PersonRecord]] = {}
    for index, record in enumerate(items):
        groups.setdefault(find(index), []).append(record)
    return [_merge_group(group) for _, group in sorted(groups.items())]


def _merge_group(group: list[PersonRecord]) -> PersonRecord:
    for name in _ID_FIELDS:
        values = list(dict.fromkeys(v for r in group if (v := getattr(r, name))))
        if len(values) > 1:
            who = "; ".join(f"{r.name} ({r.source_url})" for r in group)
            raise ValueError(f"conflicting {name} values {values} for one person: {who}")
    if len(group) == 1:
        return group[0]
    merged: dict[str, Any] = {}
    for f in fields(PersonRecord):
        if f.name in ("other_names", "terms"):
            continue
        merged[f.name] = next((v for r in group if (v := getattr(r, f.name))), None)
    merged["name"] = group[0].name
    other_names = list(
        dict.fromkeys(n for r in group for n in r.other_names if n != merged["name"])
    )
    return PersonRecord(**merged, other_names=tuple(other_names), terms=_merge_terms(group))


def _merge_terms(group: list[PersonRecord]) -> tuple[TermRecord, ...]:
    terms: dict[tuple[str, str, dt.date | None], TermRecord] = {}
    for record in group:
        for term in record.terms:
            key = (term.chamber, term.district, term.start_date)
            if key in terms:
                old = terms[key]
                terms[key] = replace(
                    old,
                    party=old.party or term.party,
                    end_date=old.end_date or term.end_date,
                )
            elif (
                term.start_date is None
                and term.end_date is None
                and any(
                    t.chamber == term.chamber and t.district == term.district and t.end_date is None
                    for t in terms.values()
                )
            ):
                continue  # a roster's "sits now" term, already known with its dates
            else:
                terms[key] = term
    return tuple(terms.values())


# --------------------------------------------------------------------------- name forms


def printed_name_forms(person: PersonRecord) -> tuple[str, ...]:
    """Name forms that vote pages and the Revisor's ``MEMBER_NAME`` use for this person.

    Purely derived from the record: the family name alone (``Acomb``), the ``other_names``
    as given, and ``Family, I.`` from the given name's first letter.  Several members can
    share a form (``Johnson``); collisions are resolved elsewhere, by date and chamber.
    """
    forms: list[str] = []
    family = _clean(person.family_name)
    given = _clean(person.given_name)
    if family:
        forms.append(family)
    forms.extend(person.other_names)
    if family and given:
        forms.append(f"{family}, {given[0].upper()}.")
    return tuple(dict.fromkeys(f for f in forms if f))
