"""Matching printed names (``Johnson, P.``, ``Pérez-Vega``, ``Spk. Hortman``) to people.

Pure and deterministic.  The caller says who the candidates are: one or more
**tiers** of seats, most certain first (for a roll call: the members the seat
rule says were seated that day; for a journal roll: also the members the
roster sources do not exclude, then those whose recorded term misses the day
by a few days).  This module decides, per printed name, which **one** person
it means, or says why it cannot tell.  It never compares dates and never
guesses: two candidates or none leave the name unmatched with a reason a
staff member can act on (usually by adding a mapping, which then wins).

``mappings`` (printed name -> person key, remembered from staff decisions)
win over everything, but only for a person in some tier.  Then per tier, in
order, among the people no printed name has taken yet:

1. exact ``name_forms``, accent-sensitive, then accent-insensitive
   (``Perez`` matches a person printed as ``Pérez``; if two candidates differ
   only by accents, the accent-exact one wins);
2. ``Family, I.`` / ``Family, I. J.`` derived from the given name's initials;
3. after every name of the list had rules 1 and 2: the bare family name, only
   when exactly one candidate not yet taken has it.

A name that matches two people in a tier stays unmatched (a later tier cannot
make it certain).  Comparison ignores case, runs of whitespace, dash and
apostrophe variants, the punctuation of initials (``Anderson, P. E.`` =
``Anderson, P.E.`` = ``Anderson,PE``) and a leading title (``Spk.``, ``Sp.``,
``Speaker``, ``Senator``, ``Representative``, ...).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "Excluded",
    "NameResolution",
    "Seat",
    "Tier",
    "family_matches",
    "name_key",
    "resolve_names",
    "strip_title",
]

_WS = re.compile(r"\s+")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc`´]")
_TITLE = re.compile(
    r"^(?:spk|sp|speaker|pres|president|senator|sen|representative|rep)\.?(?:\s+|(?<=\.)(?=\S))",
    re.I,
)


@dataclass(frozen=True)
class Seat:
    """One person as a candidate: the seat they hold (or may hold) and the forms
    their name is printed under."""

    person_key: str
    chamber: str  # vocab.HOUSE | vocab.SENATE
    district: str
    name_forms: tuple[str, ...] = ()  # printed forms: "Johanssen, P.", "Ibáñez-Ortega"
    family_name: str | None = None
    given_name: str | None = None
    term_key: str = ""  # the caller's id of the term behind this seat

    @property
    def label(self) -> str:
        """A short human-readable label for reasons: ``Paula Johanssen (district 12A)``."""
        name = " ".join(p for p in (self.given_name, self.family_name) if p)
        name = name or (self.name_forms[0] if self.name_forms else self.person_key)
        return f"{name} (district {self.district})"


@dataclass(frozen=True)
class Tier:
    """Candidates of equal certainty: ``name`` says what they are ("seated")."""

    name: str
    seats: tuple[Seat, ...]


@dataclass(frozen=True)
class Excluded:
    """Someone who is not a candidate, and why ("term start unknown ..."); used
    only to explain a name that matched no candidate."""

    seat: Seat
    why: str


@dataclass(frozen=True)
class NameResolution:
    """The outcome of :func:`resolve_names`.

    ``matched`` maps each resolved printed name to its person key and
    ``evidence`` to how (tier name, rule: "mapping", "name form", "initials",
    "family name"); ``unmatched`` maps the others to a reason.  ``duplicates``
    lists the people that several printed entries resolved to (person key ->
    the printed entries, repeated when the same printed name occurs twice);
    those entries stay in ``matched`` but the resolution is not :attr:`complete`.
    ``seats`` maps each matched name to the candidate seat it matched.
    """

    matched: dict[str, str] = field(default_factory=dict)
    unmatched: dict[str, str] = field(default_factory=dict)
    duplicates: dict[str, tuple[str, ...]] = field(default_factory=dict)
    evidence: dict[str, tuple[str, str]] = field(default_factory=dict)
    seats: dict[str, Seat] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Every printed name resolved, and no person twice."""
        return not self.unmatched and not self.duplicates


def _fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """The search form of any text: accents removed, case folded, whitespace
    collapsed (``Ibáñez-Ortega  Child care`` -> ``ibanez-ortega child care``)."""
    return " ".join(_fold_accents(text.replace("ø", "o").replace("Ø", "O")).casefold().split())


def strip_title(printed: str) -> str:
    """``Spk. Hortman`` -> ``Hortman``; ``Sp.Anderson,I`` -> ``Anderson,I``."""
    text = _WS.sub(" ", printed).strip()
    stripped = _TITLE.sub("", text, count=1).strip()
    return stripped or text


@functools.lru_cache(maxsize=8192)
def name_key(printed: str, *, accents: bool = False) -> str:
    """The comparison key of a printed name.

    ``"Anderson, P. E."``, ``"anderson,P.E."`` -> ``"anderson,pe"``;
    ``"Pérez–Vega"`` -> ``"perez-vega"`` (``accents=True`` keeps ``é``);
    ``"Spk. Hortman"`` -> ``"hortman"``.
    """
    text = unicodedata.normalize("NFKC", printed)
    text = _DASHES.sub("-", _APOSTROPHES.sub("'", text))
    text = strip_title(text)
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


GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})


def family_matches(printed_full_name: str, seat: Seat) -> bool:
    """Whether a full printed name (``David M. Olin``, ``Debra (Deb) Kiel``) ends
    with the seat's family name (or one of its name forms' family part)."""
    words = name_key(re.sub(r"\([^)]*\)", " ", printed_full_name)).replace(",", " ").split()
    while len(words) > 1 and words[-1].rstrip(".") in GENERATIONS:
        words.pop()  # "John Considine Jr.", "Ingrid Gausdal, Jr.": the family name before it
    families = {name_key(seat.family_name)} if seat.family_name else set()
    families |= {name_key(f).split(",")[0] for f in seat.name_forms if "," in f}
    for family in filter(None, families):
        size = len(family.split())
        if words[-size:] == family.split():
            return True
    return False


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


class _Index:
    """Lookup tables of one set of seats, by rule (built once per tier)."""

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

    def match(self, printed: str, *, family: bool = True) -> tuple[list[str], str]:
        """Person keys ``printed`` matches at the first rule matching anything, and
        that rule's name ("" when none does); ``family=False`` skips the bare
        family-name rule."""
        folded = name_key(printed)
        rules = [
            ("name form", self.exact.get(name_key(printed, accents=True))),
            ("name form", self.folded.get(folded)),
            ("initials", self.initials.get(folded)),
        ]
        if family and "," not in folded:
            rules.append(("family name", self.family.get(folded)))
        for rule, people in rules:
            if people:
                return sorted(people), rule
        return [], ""


def _labels(keys: Sequence[str], seats: Sequence[Seat]) -> str:
    by_key = {s.person_key: s for s in seats}
    return ", ".join(by_key[k].label if k in by_key else k for k in keys)


def resolve_names(
    printed: Iterable[str],
    *,
    tiers: Sequence[Tier],
    mappings: Mapping[str, str] | None = None,
    excluded: Sequence[Excluded] = (),
    where: str = "",
) -> NameResolution:
    """Resolve each printed name to the one candidate it means (module docstring).

    ``where`` names the chamber and day in reasons ("the House on 2025-03-13").
    Blank printed names are ignored.
    """
    names: list[str] = []
    for raw in printed:
        name = _WS.sub(" ", raw).strip()
        if name:
            names.append(name)
    where = f" {where}" if where else ""
    tier_of: dict[str, tuple[str, Seat]] = {}
    for tier in tiers:
        for seat in tier.seats:
            tier_of.setdefault(seat.person_key, (tier.name, seat))
    mapped = {name_key(k): v for k, v in (mappings or {}).items()}

    matched: dict[str, str] = {}
    unmatched: dict[str, str] = {}
    evidence: dict[str, tuple[str, str]] = {}
    seats: dict[str, Seat] = {}
    hits: dict[str, list[str]] = {}

    def take(name: str, person: str, tier_name: str, rule: str, seat: Seat) -> None:
        matched[name] = person
        evidence[name] = (tier_name, rule)
        seats[name] = seat
        hits.setdefault(person, []).append(name)

    pending: list[str] = []
    for name in names:
        key = mapped.get(name_key(name))
        if key is None:
            pending.append(name)
        elif key in tier_of:
            tier_name, seat = tier_of[key]
            take(name, key, tier_name, "mapping", seat)
        else:
            unmatched[name] = f"mapped to {key}, who is not a candidate{where}"
    taken = set(matched.values())
    for tier in tiers:
        # Printed forms and initials first; a bare family name only then, among
        # the people no other printed name of the list took.
        for family in (False, True):
            if not pending:
                break
            candidates = [s for s in tier.seats if s.person_key not in taken]
            index = _Index(candidates)
            still: list[str] = []
            for name in pending:
                people, rule = index.match(name, family=family)
                if len(people) == 1:
                    seat = next(s for s in candidates if s.person_key == people[0])
                    take(name, people[0], tier.name, rule, seat)
                elif people:
                    unmatched[name] = (
                        f"ambiguous {rule}: {len(people)} {tier.name} members{where} match "
                        f"({_labels(people, candidates)}); map it to one of them"
                    )
                else:
                    still.append(name)
            pending = still
            taken |= set(matched.values())
    for name in pending:
        unmatched[name] = _why_not(name, where, tiers, excluded)
    duplicates = {k: tuple(v) for k, v in hits.items() if len(v) > 1}
    return NameResolution(
        matched=matched,
        unmatched=unmatched,
        duplicates=duplicates,
        evidence=evidence,
        seats=seats,
    )


def _why_not(name: str, where: str, tiers: Sequence[Tier], excluded: Sequence[Excluded]) -> str:
    """A reason for a name matching no candidate, with a hint where one helps."""
    reason = f"no member{where} matches"
    if excluded:
        people, _ = _Index(e.seat for e in excluded).match(name)
        if people:
            by_key: dict[str, list[Excluded]] = {}
            for entry in excluded:
                by_key.setdefault(entry.seat.person_key, []).append(entry)
            hints = "; ".join(f"{e.seat.label}: {e.why}" for key in people for e in by_key[key])
            return f"{reason} (it matches {hints})"
    taken = [s for t in tiers for s in t.seats]
    people, _ = _Index(taken).match(name)
    if people:
        return (
            f"{reason} among the people not already matched (it matches "
            f"{_labels(people, taken)}, matched to another printed name)"
        )
    return reason
