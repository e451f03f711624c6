"""Journal roll resolution benchmark: how many printed names of a journal day's
roll the roster resolves to one person, per session and chamber, 2011-2026.

Builds a scratch SQLite database (the real migrations), imports the Open
States people data at hand (``TRACKER_OPENSTATES_DIR``, by default
``../shared/data/openstates-people-mn``) with the import ``tracker
import-people`` runs, and stores the regular sessions 2011-2012 ... 2025-2026
from the known sessions table.  Then, in one of two modes:

**Mode A (default): simulated rolls, not real journal pages.**  For four days
of each regular session (its first day, a Thursday in mid-April of the first
year, one in mid-March and one in mid-May of the second year) it builds each
chamber's roll from the Open States roles themselves and stores it through
``tracker.roster.store_roll`` (the pipeline's rules), in day order.  The rule
for who is on a simulated roll, conservative because the roles lack many
start dates and earlier chamber roles (the very gap being measured):

* a role is *on* for a day when its recorded span may include it
  (``tracker.seats.span_relation``: "inside", or "possible" for an unknown
  start); a role with neither date is left out ("no dates");
* one role per person (the one with the latest known start, else the one that
  ends first: a member's roles follow each other), then one per seat (the
  same order); the roles that lose are left out ("seat taken"), and seats no
  role covers are vacant on the simulated roll ("no role");
* each name is printed as the chamber prints it (mn-sources.md section 11.1):
  the family name; ``Family, I.`` when two members of the chamber that day
  share the family name; ``Family, I. M.`` when they also share the first
  initial and the data gives a second one (when it does not, as for John
  and JoAnn Ward in 2011-2016, both print alike and the roll cannot tell
  them apart: the real journal's further initials are not in the data
  either, so staff would map them).  The House's first day prints the
  members-elect by district (district and full name), as the journal does;
  its other days end with the Speaker as ``Spk. Surname``, taken from the
  public record (the data at hand does not name Speakers) and printed only
  when exactly one simulated member that day has that family name.

Every simulated name therefore has a known answer: a name resolved to another
person is counted as **wrong**.  What mode A cannot see: names the chamber
prints differently from the Open States family name, and members the data
leaves out altogether (earlier chamber roles, missing people).

**Mode B** (``--days DIR``): every saved House Journal day (``*.htm``,
``*.html``: the House chamber) and Senate Journal day (``*.pdf``: the Senate)
in DIR and below, as ``tracker sources check --record DIR`` or a browser saves
them, read by the parsers exactly as ``tracker roster explain`` reads them
(``tracker.roster_cli.read_day``) and resolved by ``tracker.roster.explain``
(the pipeline's rules, storing nothing).  In a record directory, its
``index.jsonl`` picks the journal pages out of the other pages saved.  A page
whose roll cannot be read is listed with the parser's reason and not counted.

Prints per session and chamber: names, resolved (and %), unresolved, the main
reasons, names resolved to the wrong person (mode A) and people resolved twice
in one day (both must be 0); then totals for 2019 on (target >= 99%) and for
2011-2017 (the sessions 2011-2012 to 2017-2018; target >= 90%), the targets of
issue 11.  ``--check`` exits 1 when a target is missed, a name resolves to the
wrong person or anyone resolves twice in one day.

    .venv/bin/python benchmarks/bench_resolution.py [--check] [--unresolved]
    .venv/bin/python benchmarks/bench_resolution.py --days ~/journals [--check]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.orm import selectinload  # noqa: E402

from scrapers import vocab  # noqa: E402
from scrapers.names import name_key  # noqa: E402
from scrapers.parsing import ParseError  # noqa: E402
from scrapers.sessions import KNOWN_SESSIONS, known_session  # noqa: E402
from tracker import create_app, pipeline, roster, seats  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.models import DataQualityItem, PersonName, Term  # noqa: E402
from tracker.roster import PrintedEntry  # noqa: E402
from tracker.roster_cli import read_day  # noqa: E402
from tracker.sessions import ensure_session  # noqa: E402
from tracker.settings import current  # noqa: E402

FIRST_YEAR, LAST_YEAR = 2011, 2025  # regular sessions 2011-2012 ... 2025-2026
RECENT_FROM = 2019  # issue 11: >= 99% for 2019 on, >= 90% for 2011-2017
TARGETS = {"2019 on": 0.99, "2011-2017": 0.90}
# The Speakers of the Minnesota House by biennium: public record, not in the Open
# States data.  Used only to print the roll's last line ("Spk. Hortman") after a
# session's first day; Demuth was elected in February 2025, before the 2025 days
# after the first that this benchmark simulates.
SPEAKERS = {
    2011: "Zellers",
    2013: "Thissen",
    2015: "Daudt",
    2017: "Daudt",
    2019: "Hortman",
    2021: "Hortman",
    2023: "Hortman",
    2025: "Demuth",
}
THURSDAY = 3
SUFFIX = re.compile(r"(?:jr|sr|ii|iii|iv)\.?,?", re.I)  # not initials: Considine Jr.


# ---------------------------------------------------------------- setup


def make_app(folder: Path) -> Flask:
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "INSTANCE_PATH": str(folder),
            "TRACKER_HTTP_CACHE_DIR": str(folder / "cache"),
            "SECRET_KEY": "bench-resolution",
        }
    )


def prepare() -> dict[str, int]:
    """Migrate, import the Open States people, store the regular sessions; the
    session ids by identifier."""
    upgrade()
    folder = current().openstates_dir
    started = time.perf_counter()
    run = pipeline.import_people(folder)
    print(
        f"imported the Open States people of {folder} ({run.status}) in "
        f"{time.perf_counter() - started:.1f} s"
    )
    ids: dict[str, int] = {}
    for record in KNOWN_SESSIONS:
        if record.special_number == 0 and FIRST_YEAR <= record.year <= LAST_YEAR:
            ids[record.identifier] = ensure_session(record.identifier).id
    return ids


# ---------------------------------------------------------------- results


@dataclass
class Tally:
    rolls: int = 0
    names: int = 0
    resolved: int = 0
    wrong: int = 0
    twice: int = 0
    unknown_start: int = 0  # mode A: names simulated from a role with no start date
    reasons: Counter[str] = field(default_factory=Counter)
    unresolved: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.rolls += other.rolls
        self.names += other.names
        self.resolved += other.resolved
        self.wrong += other.wrong
        self.twice += other.twice
        self.unknown_start += other.unknown_start
        self.reasons.update(other.reasons)
        self.unresolved += other.unresolved

    @property
    def share(self) -> float:
        return self.resolved / self.names if self.names else 1.0


_KINDS = (  # (pattern, short kind): the reasons tracker.roster and scrapers.names give
    (r"resolve to the same person", "two printed names, one person"),
    (r"^ambiguous (name form|initials|family name)", r"ambiguous \1"),
    (r"held by another member that day", "matches only someone whose seat another holds"),
    (r"staff confirmed someone else", "staff confirmed someone else in the seat"),
    (r"it matches .*recorded term", "matches only a term recorded for other days"),
    (r"among the people not already matched", "its person was taken by another name"),
    (r"^mapped to", "mapped to someone not a candidate"),
    (r"^nobody recorded in district", "district: nobody with that family name"),
    (r"members of district .* have that family name", "district: two with that family name"),
    (r"^no member .* matches$", "no member's name forms match"),
)


def reason_kind(reason: str) -> str:
    for pattern, kind in _KINDS:
        match = re.search(pattern, reason)
        if match:
            return match.expand(kind)
    return reason[:60]


def period_of(day: dt.date) -> str:
    first = day.year if day.year % 2 else day.year - 1
    return f"{first}-{first + 1}"


def count_roll(
    tally: Tally,
    chamber: str,
    day: dt.date,
    printed: Sequence[str],
    people: Sequence[int | None],
    reasons: Sequence[str],
    expected: Sequence[int] | None = None,
    labels: dict[int, str] | None = None,
) -> set[int]:
    """Add one roll's figures; the people it resolved."""
    tally.rolls += 1
    tally.names += len(printed)
    found = [p for p in people if p is not None]
    tally.resolved += len(found)
    tally.twice += sum(n - 1 for n in Counter(found).values() if n > 1)
    for index, (name, person, reason) in enumerate(zip(printed, people, reasons, strict=True)):
        if person is None:
            tally.reasons[reason_kind(reason)] += 1
            tally.unresolved.append(f"{day} {chamber} {name!r}: {reason}")
        elif expected is not None and person != expected[index]:
            tally.wrong += 1
            meant = (labels or {}).get(expected[index], str(expected[index]))
            tally.unresolved.append(
                f"{day} {chamber} {name!r}: WRONG PERSON, simulated from "
                f"{meant} but resolved by {reason}"
            )
    return set(found)


# ---------------------------------------------------------------- mode A


@dataclass(frozen=True)
class Member:
    person_id: int
    name: str
    given: str
    family: str
    district: str
    forms: tuple[str, ...]
    start_known: bool


def _on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def simulated_days(start: dt.date | None, year: int) -> list[tuple[dt.date, bool]]:
    """(day, is the session's first day) for one regular session."""
    first = start or _on_or_after(dt.date(year, 1, 3), 1)
    return [
        (first, True),
        (_on_or_after(dt.date(year, 4, 10), THURSDAY), False),
        (_on_or_after(dt.date(year + 1, 3, 10), THURSDAY), False),
        (_on_or_after(dt.date(year + 1, 5, 8), THURSDAY), False),
    ]


def _role_order(term: Term) -> tuple[bool, int, dt.date, int]:
    """Which of several roles that may include a day holds it: the latest known
    start first, then (unknown starts) the one that ends first."""
    start = term.start_date
    end = term.end_date or dt.date.max
    return (start is None, -(start.toordinal() if start else 0), end, term.id)


def simulate(
    terms: Sequence[Term], forms: dict[int, tuple[str, ...]], chamber: str, day: dt.date
) -> tuple[list[Member], Counter[str]]:
    """The members the Open States roles put in ``chamber`` on ``day`` (module
    docstring), and what was left out."""
    left_out: Counter[str] = Counter()
    by_person: dict[int, list[Term]] = defaultdict(list)
    for term in terms:
        if term.start_date is None and term.end_date is None:
            if term.chamber == chamber:
                left_out["no dates"] += 1
            continue
        if seats.span_relation(term.start_date, term.end_date, day) in ("inside", "possible"):
            by_person[term.person_id].append(term)
    by_seat: dict[str, list[Term]] = defaultdict(list)
    for person_terms in by_person.values():
        ordered = sorted(person_terms, key=_role_order)
        left_out["seat taken"] += sum(t.chamber == chamber for t in ordered[1:])
        if ordered[0].chamber == chamber:
            by_seat[ordered[0].district].append(ordered[0])
    members = []
    for holders in by_seat.values():
        ordered = sorted(holders, key=_role_order)
        left_out["seat taken"] += len(ordered) - 1
        term = ordered[0]
        person = term.person
        family = person.family_name or person.name.split()[-1]
        members.append(
            Member(
                person.id,
                person.name,
                person.given_name or person.name.split()[0],
                family,
                term.district,
                forms.get(person.id, ()),
                term.start_date is not None,
            )
        )

    left_out["no role"] = vocab.SEATS[chamber] - len(members)
    return members, left_out


def _initials(member: Member) -> list[str]:
    """The member's initials as far as the data gives them: the given name's,
    else the full name's words before the family name, else a printed form's."""
    given = [w for w in re.split(r"[\s\-]+", member.given) if w and w[0].isalpha()]
    if len(given) >= 2:
        return [w[0].upper() for w in given]
    words = [
        w
        for w in member.name.replace(member.family, " ").split()
        if w[0].isalpha() and not SUFFIX.fullmatch(w)
    ]
    if len(words) >= 2:
        return [w[0].upper() for w in words]
    for form in member.forms:
        family, comma, rest = form.partition(",")
        letters = re.findall(r"[A-Z]", rest)
        if comma and family.strip() == member.family and len(letters) >= 2:
            return letters
    return [w[0].upper() for w in given[:1]] or [member.name[0].upper()]


def printed_names(members: Sequence[Member]) -> dict[int, str]:
    """How the roll prints each member (module docstring)."""
    groups: dict[str, list[Member]] = defaultdict(list)
    for member in members:
        groups[name_key(member.family)].append(member)
    printed: dict[int, str] = {}
    for group in groups.values():
        if len(group) == 1:
            printed[group[0].person_id] = group[0].family
            continue
        firsts = Counter(_initials(m)[0] for m in group)
        for member in group:
            letters = _initials(member)
            letters = letters[:1] if firsts[letters[0]] == 1 else letters[:2]
            printed[member.person_id] = f"{member.family}, " + " ".join(f"{c}." for c in letters)
    return printed


def build_roll(
    members: Sequence[Member], chamber: str, day: dt.date, first_day: bool, year: int
) -> tuple[list[PrintedEntry], list[int]]:
    """The printed entries of one simulated roll and the person each one is."""
    if chamber == vocab.HOUSE and first_day:
        ordered = sorted(members, key=lambda m: seats.district_sort_key(m.district))
        return (
            [PrintedEntry(m.name, "present", m.district) for m in ordered],
            [m.person_id for m in ordered],
        )
    printed = printed_names(members)
    speaker = None
    if chamber == vocab.HOUSE and year in SPEAKERS:
        named = [m for m in members if name_key(m.family) == name_key(SPEAKERS[year])]
        speaker = named[0] if len(named) == 1 else None
    ordered = sorted(
        (m for m in members if m is not speaker), key=lambda m: name_key(printed[m.person_id])
    )
    entries = [PrintedEntry(printed[m.person_id], "present") for m in ordered]
    people = [m.person_id for m in ordered]
    if speaker is not None:
        entries.append(PrintedEntry(f"Spk. {speaker.family}", "present"))
        people.append(speaker.person_id)
    return entries, people


Tallies = dict[tuple[str, str], Tally]


def run_simulated(session_ids: dict[str, int]) -> tuple[Tallies, Counter[str]]:
    terms = list(db.session.scalars(select(Term).options(selectinload(Term.person))))
    forms: dict[int, list[str]] = defaultdict(list)
    for person_id, name in db.session.execute(select(PersonName.person_id, PersonName.name)):
        forms[person_id].append(name)
    frozen = {k: tuple(v) for k, v in forms.items()}
    plan = []
    for identifier in session_ids:
        record = known_session(identifier)
        for day, first in simulated_days(record.start_date, record.year):
            plan.append((day, first, record.year, identifier))
    tallies: Tallies = defaultdict(Tally)
    left_out: Counter[str] = Counter()
    book = roster.Roster.load()  # rolls never change the recorded spans (tracker.journals)
    for day, first, year, identifier in sorted(plan):
        seen_today: Counter[int] = Counter()
        for chamber in vocab.CHAMBERS:
            members, missing = simulate(terms, frozen, chamber, day)
            left_out.update({f"{chamber}: {k}": v for k, v in missing.items()})
            entries, expected = build_roll(members, chamber, day, first, year)
            roll, _ = roster.store_roll(
                chamber,
                day,
                entries,
                session_id=session_ids[identifier],
                source_url=f"simulated://{chamber}/{day.isoformat()}",
                roster=book,
            )
            db.session.commit()
            stored = sorted(roll.entries, key=lambda e: e.position)
            found = count_roll(
                tallies[(identifier, chamber)],
                chamber,
                day,
                [e.printed_name for e in stored],
                [e.person_id for e in stored],
                [e.reason or "" for e in stored],
                expected,
                {m.person_id: f"{m.name} ({m.district})" for m in members},
            )
            tallies[(identifier, chamber)].unknown_start += sum(not m.start_known for m in members)
            seen_today.update(found)
        both = sum(1 for n in seen_today.values() if n > 1)  # in both chambers that day
        if both:
            tallies[(identifier, vocab.SENATE)].twice += both
    return tallies, left_out


def quality_items() -> list[tuple[str, int]]:
    return [
        (kind, n)
        for kind, n in db.session.execute(
            select(DataQualityItem.kind, func.count())
            .where(DataQualityItem.status == "open")
            .group_by(DataQualityItem.kind)
            .order_by(DataQualityItem.kind)
        )
    ]


# ---------------------------------------------------------------- mode B


def journal_files(folder: Path) -> list[tuple[Path, str]]:
    """(file, chamber) of the saved journal days under ``folder``."""
    found: list[tuple[Path, str]] = []
    indexes = sorted(folder.rglob("index.jsonl"))
    indexed: set[Path] = set()
    for index in indexes:  # a record directory: its index says what each body is
        for line in index.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line) if line.strip() else {}
            body = index.parent / str(entry.get("body_file") or "")
            indexed.add(body)
            url = str(entry.get("final_url") or entry.get("url") or "")
            if "/journals/" in url and re.search(r"\.html?$", url, re.I):
                found.append((body, vocab.HOUSE))
            elif "journal" in url.lower() and body.suffix.lower() == ".pdf":
                found.append((body, vocab.SENATE))
    for path in sorted(folder.rglob("*")):
        if path in indexed or not path.is_file():
            continue
        if re.fullmatch(r"\.html?", path.suffix, re.I):
            found.append((path, vocab.HOUSE))
        elif path.suffix.lower() == ".pdf":
            found.append((path, vocab.SENATE))
    return found


def run_saved(folder: Path) -> Tallies:
    tallies: Tallies = defaultdict(Tally)
    days: dict[tuple[str, dt.date], tuple[Path, list[PrintedEntry]]] = {}
    for path, chamber in journal_files(folder):
        try:
            printed_day, entries = read_day(path, chamber)
        except ParseError as exc:
            print(f"  not read: {path.name} ({chamber}): {exc.reason}")
            continue
        key = (chamber, dt.date.fromisoformat(printed_day))
        if key in days:
            print(
                f"  not counted: {path.name} is the {chamber} roll of {printed_day} again "
                f"({days[key][0].name})"
            )
            continue
        days[key] = (path, entries)
    by_day: dict[dt.date, Counter[int]] = defaultdict(Counter)
    for (chamber, day), (_, entries) in sorted(days.items(), key=lambda kv: kv[0][1]):
        session = roster.session_on(day)
        period = session.identifier if session is not None else period_of(day)
        results = roster.explain(chamber, day, entries)
        found = count_roll(
            tallies[(period, chamber)],
            chamber,
            day,
            [r.printed for r in results],
            [r.person_id for r in results],
            [r.reason for r in results],
        )
        by_day[day].update(found)
    for when, seen in by_day.items():
        both = sum(1 for n in seen.values() if n > 1)  # in both chambers that day
        if both:
            session = roster.session_on(when)
            tallies[
                (session.identifier if session else period_of(when), vocab.SENATE)
            ].twice += both
    return tallies


# ---------------------------------------------------------------- report


def table(tallies: Tallies, simulated: bool) -> list[str]:
    extra = " of them from roles with no start |" if simulated else ""
    lines = [
        "| period | chamber | rolls | names |" + extra + " resolved | unresolved | "
        "wrong person | resolved twice | main reasons unresolved |",
        "| --- | --- | ---: | ---: |"
        + (" ---: |" if simulated else "")
        + " ---: | ---: | ---: | ---: | --- |",
    ]
    for period, chamber in sorted(tallies):
        t = tallies[(period, chamber)]
        reasons = "; ".join(f"{kind} ({n})" for kind, n in t.reasons.most_common(2)) or "-"
        wrong = str(t.wrong) if simulated else "n/a"
        unknown = f" {t.unknown_start:,} |" if simulated else ""
        lines.append(
            f"| {period} | {chamber} | {t.rolls} | {t.names:,} |{unknown} "
            f"{t.resolved:,} ({t.share:.1%}) | {t.names - t.resolved} | {wrong} | "
            f"{t.twice} | {reasons} |"
        )
    return lines


def totals(tallies: Tallies) -> dict[str, Tally]:
    sums = {"2019 on": Tally(), "2011-2017": Tally()}
    for (period, _), tally in tallies.items():
        year = int(period[:4])
        if year >= RECENT_FROM:
            sums["2019 on"].add(tally)
        elif year >= FIRST_YEAR:
            sums["2011-2017"].add(tally)
    return sums


def report(tallies: Tallies, simulated: bool, show: bool) -> bool:
    for line in table(tallies, simulated):
        print(line)
    print()
    ok = True
    for label, tally in totals(tallies).items():
        target = TARGETS[label]
        met = tally.share >= target and tally.twice == 0 and tally.wrong == 0
        ok &= met or not tally.names
        print(
            f"{label}: {tally.resolved:,} of {tally.names:,} names resolved ({tally.share:.1%}; "
            f"target >= {target:.0%}), {tally.wrong} wrong person, {tally.twice} resolved "
            f"twice in one day: {'met' if met else 'MISSED'}"
        )
    if show:
        print("\nunresolved names:")
        for tally in tallies.values():
            for line in tally.unresolved:
                print(f"  {line}")
    return ok


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--days",
        type=Path,
        metavar="DIR",
        help="saved House Journal HTML and Senate Journal PDF days (mode B)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when a target is missed or anyone resolves twice",
    )
    parser.add_argument(
        "--unresolved",
        action="store_true",
        help="list every unresolved (or wrongly resolved) name with its reason",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the scratch database (its data-quality items, for a look)",
    )
    options = parser.parse_args(list(argv) if argv is not None else None)
    if options.days is not None and not options.days.is_dir():
        parser.error(f"{options.days} is not a directory")
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="bench-resolution-"))
    app = make_app(folder)
    with app.app_context():
        sessions = prepare()
        if options.days is None:
            print(
                "MODE A: SIMULATED rolls built from the Open States roles at hand (not real "
                "journal pages), 4 days a session, stored through tracker.roster.store_roll"
            )
            tallies, left_out = run_simulated(sessions)
            print(
                "left out of the simulated rolls (all days): "
                + ", ".join(f"{k} {v}" for k, v in sorted(left_out.items()))
            )
            print(
                "data-quality items opened: "
                + (", ".join(f"{kind} {n}" for kind, n in quality_items()) or "none")
            )
        else:
            print(
                f"MODE B: saved journal days under {options.days}, read as `tracker roster "
                "explain` reads them"
            )
            tallies = run_saved(options.days)
        print()
        ok = report(tallies, options.days is None, options.unresolved)
        db.session.remove()
        db.engine.dispose()
    print(f"\n{time.perf_counter() - started:.0f} s in all")
    if options.keep:
        print(f"scratch database kept: {folder / 'bench.db'}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok or not options.check else 1


if __name__ == "__main__":
    sys.exit(main())
