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


def _matching_term(person: Person, service: lrl.LrlTerm) -> Term | None:
    candidates = [t for t in person.terms
                  if (t.chamber, t.district.upper()) == (service.chamber, service.district)]
    for term in candidates:
        if seats.span_relation(term.start_date, term.end_date, service.start) in (
                "inside", "possible") or term.start_date == service.start:
            return term
    return candidates[0] if len(candidates) == 1 else None


def attach(person: Person, record: lrl.LrlRecord) -> int:
    """Store the record's dates as evidence on ``person``'s terms; returns how many
    evidence rows or terms changed.  The caller derives and commits."""
    changed = 0
    for service in record.terms:
        term = _matching_term(person, service)
        if term is None:
            term = Term(chamber=service.chamber, district=service.district,
                        party=service.party, start_date=None, end_date=None)
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
            term.evidence.append(TermEvidence(source="lrl", kind=kind, day=day,
                                              source_url=record.source_url[:500]))
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
        run.item_failed(f"LRL record of {person.name}", url,
                        getattr(exc, "reason", None) or str(exc))
        run.commit()
        return False
    if attach(person, record):
        derive([person.id])
        run.bump("changed")
    else:
        run.bump("unchanged")
    run.commit()
    return True


__all__ = ["attach", "refresh"]
