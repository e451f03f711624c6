"""Matching printed vote names (``Johnson, P.``, ``Pérez-Vega``) to people.

Pure and deterministic: the caller supplies the seats (who held which seat in
which chamber and when, with the name forms each person is printed under) and
this module decides, per printed name, which **one** person seated in that
chamber on that date it means, or says why it cannot tell.  It never guesses:
two candidates, no candidate, or a candidate whose term start is unknown all
leave the name unmatched with a reason a staff member can act on (usually by
adding a mapping, which then wins).

Matching order, always among the members seated in ``chamber`` on ``on``:

1. ``mappings`` (printed name -> person key, remembered from staff decisions);
2. exact ``name_forms``, accent-sensitive, then accent-insensitive
   (``Perez`` matches a person printed as ``Pérez``; if two seated people differ
   only by accents, the accent-exact one wins);
3. ``Family, I.`` / ``Family, I. J.`` derived from the given name's initials;
4. the bare family name, only when exactly one seated member has it.

Comparison ignores case, runs of whitespace, dash and apostrophe variants, and
the punctuation of initials (``Anderson, P. E.`` = ``Anderson, P.E.`` =
``Anderson,PE``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "TERM_START_UNKNOWN",
    "NameResolution",
    "Seat",
    "name_key",
    "resolve_names",
    "seated_on",
]

TERM_START_UNKNOWN = "term start unknown"

_WS = re.compile(r"\s+")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc`´]")


@dataclass(frozen=True)
class Seat:
    """One person holding one seat for a span of time (both ends inclusive)."""

    person_key: str
    chamber: str  # vocab.HOUSE | vocab.SENATE
    district: str
    start: dt.date | None  # None: unknown (see ``unknown_start_ok``)
    end: dt.date | None  # None: still serving
    name_forms: tuple[str, ...] = ()  # printed forms: "Johanssen, P.", "Ibáñez-Ortega"
    family_name: str | None = None
    given_name: str | None = None

    @property
    def label(self) -> str:
        """A short human-readable label for reasons: ``Paula Johanssen (district 12A)``."""
        name = " ".join(p for p in (self.given_name, self.family_name) if p)
        name = name or (self.name_forms[0] if self.name_forms else self.person_key)
        return f"{name} (district {self.district})"


@dataclass(frozen=True)
class NameResolution:
    """The outcome of :func:`resolve_names`.

    ``matched`` maps each resolved printed name to its person key; ``unmatched``
    maps the others to a reason.  ``duplicates`` lists the people that several
    printed entries resolved to (person key -> the printed entries, repeated
    when the same printed name occurs twice); those entries stay in ``matched``
    but the resolution is not :attr:`complete`.
    """

    matched: dict[str, str] = field(default_factory=dict)
    unmatched: dict[str, str] = field(default_factory=dict)
    duplicates: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Every printed name resolved, and no person twice."""
        return not self.unmatched and not self.duplicates


def _fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=4096)
def name_key(printed: str, *, accents: bool = False) -> str:
    """The comparison key of a printed name.

    ``"Anderson, P. E."``, ``"anderson,P.E."`` -> ``"anderson,pe"``;
    ``"Pérez–Vega"`` -> ``"perez-vega"`` (``accents=True`` keeps ``é``).
    """
    text = unicodedata.normalize("NFKC", printed)
    text = _DASHES.sub("-", _APOSTROPHES.sub("'", text))
    if not accents:
        text = _fold_accents(text)
    text = unicodedata.normalize("NFC", text).casefold()
    family, comma, rest = text.partition(",")
    family = _WS.sub(" ", family.replace(".", ". ")).strip()
    family = family.replace(" -", "-").replace("- ", "-")
    if not comma:
        return family
    rest = re.sub(r"[\s.]+", "", rest)
    return f"{family},{rest}" if rest else family


def _derived_forms(seat: Seat) -> set[str]:
    """``Family, G.`` and ``Family, G. M.`` from the given name(s)."""
    if not seat.family_name or not seat.given_name:
        return set()
    parts = [p for p in re.split(r"[\s\-]+", seat.given_name.strip()) if p]
    initials = [p[0] for p in parts if p[0].isalpha()]
    if not initials:
        return set()
    family = seat.family_name
    return {
        name_key(f"{family}, {initials[0]}."),
        name_key(f"{family}, {' '.join(i + '.' for i in initials)}"),
    }


def _covers_end(seat: Seat, on: dt.date) -> bool:
    return seat.end is None or seat.end >= on


def _is_seated(seat: Seat, chamber: str, on: dt.date, unknown_start_ok: bool) -> bool:
    if seat.chamber != chamber or not _covers_end(seat, on):
        return False
    if seat.start is None:
        return unknown_start_ok
    return seat.start <= on


def seated_on(
    seats: Iterable[Seat], chamber: str, on: dt.date, *, unknown_start_ok: bool = False
) -> list[Seat]:
    """The seats of ``chamber`` held on ``on``, one per person, in input order.

    A term counts from its start to its end date inclusive; a missing end means
    still serving.  A seat whose start is unknown counts only with
    ``unknown_start_ok`` (and still only if its end covers the day), so nobody is
    ever counted before taking office or after leaving.
    """
    found: list[Seat] = []
    keys: set[str] = set()
    for seat in seats:
        if seat.person_key not in keys and _is_seated(seat, chamber, on, unknown_start_ok):
            keys.add(seat.person_key)
            found.append(seat)
    return found


class _Index:
    """Lookup tables of one set of seats, by tier (built once per resolution)."""

    def __init__(self, seats: Iterable[Seat]) -> None:
        self.seats = list(seats)
        self.exact: dict[str, set[str]] = {}
        self.folded: dict[str, set[str]] = {}
        self.initials: dict[str, set[str]] = {}
        self.family: dict[str, set[str]] = {}
        for seat in self.seats:
            for form in seat.name_forms:
                self.exact.setdefault(name_key(form, accents=True), set()).add(seat.person_key)
                self.folded.setdefault(name_key(form), set()).add(seat.person_key)
            for key in _derived_forms(seat):
                self.initials.setdefault(key, set()).add(seat.person_key)
            if seat.family_name:
                self.family.setdefault(name_key(seat.family_name), set()).add(seat.person_key)

    def match(self, printed: str) -> tuple[list[str], str]:
        """Person keys ``printed`` matches at the first tier matching anything, and
        that tier's name ("" when none does)."""
        folded = name_key(printed)
        tiers = [
            ("name form", self.exact.get(name_key(printed, accents=True))),
            ("name form", self.folded.get(folded)),
            ("initials", self.initials.get(folded)),
        ]
        if "," not in folded:
            tiers.append(("family name", self.family.get(folded)))
        for tier, people in tiers:
            if people:
                return sorted(people), tier
        return [], ""


def _labels(keys: Sequence[str], seats: Sequence[Seat]) -> str:
    by_key = {s.person_key: s for s in seats}
    return ", ".join(by_key[k].label if k in by_key else k for k in keys)


def resolve_names(
    printed: Iterable[str],
    *,
    chamber: str,
    on: dt.date,
    seats: Sequence[Seat],
    mappings: Mapping[str, str] | None = None,
    unknown_start_ok: bool = False,
) -> NameResolution:
    """Resolve each printed name to the one person seated in ``chamber`` on ``on``.

    ``seats`` may hold every seat of every chamber and time: only those seated
    in ``chamber`` that day are candidates.  ``mappings`` (this chamber's
    staff-remembered printed name -> person key; keys compared like names) win
    first, but a mapping to someone not seated that day is refused.  Blank
    printed names are ignored.  See the module docstring for the order.
    """
    candidates = seated_on(seats, chamber, on, unknown_start_ok=unknown_start_ok)
    candidate_keys = {s.person_key for s in candidates}
    index = _Index(candidates)
    start_unknown = [
        s for s in seats if s.chamber == chamber and s.start is None and _covers_end(s, on)
    ]
    mapped = {name_key(k): v for k, v in (mappings or {}).items()}
    day = on.isoformat()

    matched: dict[str, str] = {}
    unmatched: dict[str, str] = {}
    hits: dict[str, list[str]] = {}
    for raw in printed:
        name = _WS.sub(" ", raw).strip()
        if not name:
            continue
        person, reason = None, ""
        key = mapped.get(name_key(name))
        if key is not None:
            if key in candidate_keys:
                person = key
            else:
                reason = f"mapped to {key}, who was not seated in the {chamber} on {day}"
        else:
            people, tier = index.match(name)
            if len(people) == 1:
                person = people[0]
            elif people:
                reason = (
                    f"ambiguous {tier}: {len(people)} members seated in the {chamber} on "
                    f"{day} match ({_labels(people, candidates)}); map it to one of them"
                )
            else:
                reason = _why_not(name, chamber, day, seats, start_unknown, unknown_start_ok)
        if person is None:
            unmatched[name] = reason
        else:
            matched[name] = person
            hits.setdefault(person, []).append(name)
    duplicates = {k: tuple(v) for k, v in hits.items() if len(v) > 1}
    return NameResolution(matched=matched, unmatched=unmatched, duplicates=duplicates)


def _why_not(
    name: str,
    chamber: str,
    day: str,
    seats: Sequence[Seat],
    start_unknown: Sequence[Seat],
    unknown_start_ok: bool,
) -> str:
    """A reason for a name matching nobody seated, with a hint where one helps."""
    if not unknown_start_ok:
        people, _ = _Index(start_unknown).match(name)
        if people:
            return (
                f"{TERM_START_UNKNOWN}: matches {_labels(people, start_unknown)}, whose "
                f"{chamber} term start is unknown, so it cannot be shown they were seated "
                f"on {day}"
            )
    reason = f"no member seated in the {chamber} on {day} matches"
    same_chamber = [s for s in seats if s.chamber == chamber]
    people, _ = _Index(same_chamber).match(name)
    if people:
        return f"{reason} (it matches {_labels(people, same_chamber)}, not seated that day)"
    people, _ = _Index(seats).match(name)
    if people:
        return f"{reason} (it matches {_labels(people, seats)} in the other chamber)"
    return reason
