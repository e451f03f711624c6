"""The pressure report, after the vote: per targeted legislator the actions,
the ask, the verified vote and whether it matched; totals per party and
chamber; as CSV and as a chart."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from scrapers.vocab import party_group, party_name
from tracker.alerts.standing import matched
from tracker.alerts.tally import tallies
from tracker.extensions import db
from tracker.models import Alert, MemberVote, Person
from tracker.seats import district_sort_key


@dataclass
class ReportRow:
    person: Person
    chamber: str
    district: str
    party: str | None
    called: int
    emailed: int
    asked: str
    vote: str | None
    matched: bool | None

    @property
    def actions(self) -> int:
        return self.called + self.emailed


@dataclass
class Report:
    alert: Alert
    vote_status: str  # no_roll_call, unverified, verified, no_vote
    rows: list[ReportRow]
    by_party: dict[str, dict[str, int]]
    by_chamber: dict[str, dict[str, int]]
    totals: dict[str, int]

    @property
    def has_votes(self) -> bool:
        return self.vote_status == "verified"


def _totals(rows: list[ReportRow]) -> dict[str, int]:
    return {
        "legislators": len(rows),
        "called": sum(r.called for r in rows),
        "emailed": sum(r.emailed for r in rows),
        "actions": sum(r.actions for r in rows),
        "voted_as_asked": sum(1 for r in rows if r.matched is True),
        "voted_against": sum(1 for r in rows if r.matched is False),
        "did_not_vote": sum(1 for r in rows if r.vote is not None and r.matched is None),
    }


def pressure_report(alert: Alert) -> Report:
    rc = alert.roll_call
    if rc is None:
        status = "no_vote" if alert.status == "closed" else "no_roll_call"
    else:
        status = "verified" if rc.verified else "unverified"
    votes: dict[int, str] = {}
    if status == "verified":
        assert rc is not None
        voted = db.session.execute(
            select(MemberVote.person_id, MemberVote.option).where(
                MemberVote.roll_call_id == rc.id, MemberVote.person_id.is_not(None)
            )
        ).all()
        votes = {person_id: option for person_id, option in voted if person_id is not None}
    counts = tallies(alert)
    rows = []
    for target in sorted(alert.targets, key=lambda t: (t.chamber, district_sort_key(t.district))):
        option = votes.get(target.person_id) if status == "verified" else None
        if status == "verified" and option is None:
            option = "not_seated"
        rows.append(
            ReportRow(
                person=target.person,
                chamber=target.chamber,
                district=target.district,
                party=target.party,
                called=counts[target.person_id]["called"],
                emailed=counts[target.person_id]["emailed"],
                asked=alert.ask,
                vote=option,
                matched=matched(alert, option),
            )
        )
    groups: dict[str, list[ReportRow]] = defaultdict(list)
    chambers: dict[str, list[ReportRow]] = defaultdict(list)
    for row in rows:
        groups[party_group(row.party)].append(row)
        chambers[row.chamber].append(row)
    return Report(
        alert=alert,
        vote_status=status,
        rows=rows,
        by_party={k: _totals(v) for k, v in sorted(groups.items())},
        by_chamber={k: _totals(v) for k, v in sorted(chambers.items())},
        totals=_totals(rows),
    )


CSV_COLUMNS = (
    "legislator",
    "legislator_id",
    "chamber",
    "district",
    "party",
    "called",
    "emailed",
    "actions",
    "asked",
    "vote",
    "voted_as_asked",
)


def report_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in report.rows:
        writer.writerow(
            [
                _csv_safe(r.person.name),
                r.person.public_id,
                r.chamber,
                r.district,
                r.party or "",
                r.called,
                r.emailed,
                r.actions,
                r.asked,
                r.vote or "",
                "" if r.matched is None else ("yes" if r.matched else "no"),
            ]
        )
    return out.getvalue()


def _csv_safe(value: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def report_chart(report: Report, fmt: str = "svg") -> bytes:
    from tracker.charts import pressure_chart

    parties = {party_name(p): totals for p, totals in report.by_party.items()}
    return pressure_chart(
        parties,
        title=f"{report.alert.bill.label}: {report.alert.title}",
        with_votes=report.has_votes,
        fmt=fmt,
    )
