"""Terms of service from the Legislative Reference Library's legislator records.

For a person whose Open States file links their LRL record (``Person.lrl_id``),
the record's dates of service become ``TermEvidence`` (source ``lrl``) on the
matching term, and a service the roster lacks (the House years of a member
who moved to the Senate, say) becomes a term of its own.  The bounds are then
derived again (``tracker.roster.derive``).  The page layout is unverified
(:mod:`scrapers.lrl`): a record that does not parse is an error on the run and
changes nothing.
"""

from __future__ import annotations

from scrapers import lrl
from scrapers.http import FetchError, HttpClient
from scrapers.parsing import ParseError
from scrapers.sources import Sources
from tracker import seats
from tracker.extensions import db
from tracker.models import Person, Term, TermEvidence
from tracker.roster import derive
from tracker.runs import Run

# Rows of one chamber and district this close together are one continuous service
# (the Library lists a member's terms one by one, the next starting days after).
CONTINUOUS_DAYS = 45


def services(record: lrl.LrlRecord) -> list[lrl.LrlTerm]:
    """The record's rows merged into continuous services: rows of one chamber and
    district where each starts within ``CONTINUOUS_DAYS`` of the last one's end
    become one service from the first start to the last end (open if any is)."""
    merged: list[lrl.LrlTerm] = []
    for row in sorted(record.terms, key=lambda r: (r.chamber, r.district, r.start)):
        last = merged[-1] if merged else None
        if (
            last is not None
            and (last.chamber, last.district) == (row.chamber, row.district)
            and (
                last.end is None or seats.days_outside(None, last.end, row.start) <= CONTINUOUS_DAYS
            )
        ):
            end = None if last.end is None or row.end is None else max(last.end, row.end)
            merged[-1] = lrl.LrlTerm(
                last.chamber, last.district, last.party or row.party, last.start, end
            )
        else:
            merged.append(row)
    return merged


def _matching_term(person: Person, service: lrl.LrlTerm) -> Term | None:
    """The person's term in that seat whose recorded span overlaps the service
    (the nearest start when several do), or None: a service no term covers."""
    candidates = [
        t
        for t in person.terms
        if (t.chamber, t.district.upper()) == (service.chamber, service.district)
        and seats.spans_overlap(t.start_date, t.end_date, service.start, service.end)
    ]
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda t: (seats.days_outside(t.start_date, t.start_date, service.start), t.id or 0),
    )


def attach(person: Person, record: lrl.LrlRecord) -> int:
    """Store the record's dates as evidence on ``person``'s terms; returns how many
    evidence rows or terms changed.  The caller derives and commits.  A service
    the roster lacks becomes a term of its own; where the Library's dates differ
    from Open States', ``tracker.roster.derive`` flags it for staff."""
    changed = 0
    for service in services(record):
        term = _matching_term(person, service)
        if term is None:
            term = Term(
                chamber=service.chamber,
                district=service.district,
                party=service.party,
                start_date=None,
                end_date=None,
            )
            person.terms.append(term)
            changed += 1
        for kind, day in (("start", service.start), ("end", service.end)):
            rows = [e for e in term.evidence if e.source == "lrl" and e.kind == kind]
            if day is None:
                for row in rows:
                    term.evidence.remove(row)
                    changed += 1
                continue
            if rows and rows[0].day == day:
                continue
            for row in rows:
                term.evidence.remove(row)
            term.evidence.append(
                TermEvidence(source="lrl", kind=kind, day=day, source_url=record.source_url[:500])
            )
            changed += 1
    db.session.flush()
    return changed


def refresh(run: Run, http: HttpClient, src: Sources, person: Person) -> bool:
    """Fetch and apply ``person``'s LRL record; False (recorded on the run) when it
    cannot be fetched or read."""
    if not person.lrl_id:
        return False
    url = lrl.legislator_url(Sources().lrl, person.lrl_id)
    try:
        response = http.get(src.rebase(url))
        run.bump("fetched")
        record = lrl.parse_legislator(response.content, source_url=url)
    except (FetchError, ParseError) as exc:
        run.item_failed(
            f"LRL record of {person.name}", url, getattr(exc, "reason", None) or str(exc)
        )
        run.commit()
        return False
    if attach(person, record):
        derive([person.id])
        run.bump("changed")
    else:
        run.bump("unchanged")
    run.commit()
    return True


__all__ = ["attach", "refresh", "services"]
