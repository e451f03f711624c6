"""The one order and the session filter of bill lists (``tracker.search.bills``): newest
session first (its year, then the special session's number), then type and number;
the sessions' order is read once per data version."""

from __future__ import annotations

from typing import Any

from tests.factories import make_bill, make_session
from tracker import search
from tracker.extensions import db
from tracker.search import BillFilter


def _listed(spec: BillFilter) -> list[tuple[str, str, int]]:
    return [
        (b.session.identifier, b.bill_type, b.number)
        for b in db.session.scalars(search.bills(spec))
    ]


def test_bill_lists_come_newest_session_first(app: Any) -> None:
    sessions = [
        make_session("2023-2024", "0932023"),
        make_session("2021s2", "2922021", special_number=2),
        make_session("2025-2026", "0942025"),
        make_session("2025s1", "1942025", special_number=1),
        make_session("2021s1", "1922021", special_number=1),
    ]
    for session in sessions:
        for bill_type, number in (("SF", 2), ("HF", 10), ("HF", 2), ("SR", 1)):
            make_bill(session, bill_type, number)
    db.session.commit()  # settled: the sessions' order is kept for this data version
    order = {s.identifier: (-s.year, -s.special_number) for s in sessions}
    listed = _listed(BillFilter())
    assert len(listed) == 20
    assert listed == sorted(listed, key=lambda b: (order[b[0]], b[1], b[2]))
    assert listed[0] == ("2025s1", "HF", 2) and listed[-1] == ("2021s1", "SR", 1)
    assert listed == _listed(BillFilter())  # the same, from the kept order

    assert _listed(BillFilter(session="2021s2")) == [
        ("2021s2", "HF", 2), ("2021s2", "HF", 10), ("2021s2", "SF", 2), ("2021s2", "SR", 1),
    ]  # fmt: skip
    assert _listed(BillFilter(session="1999-2000")) == []
    assert _listed(BillFilter(session="2025-2026", q="hf 10")) == [("2025-2026", "HF", 10)]

    newer = make_session("2027-2028", "0952027")
    make_bill(newer, "SF", 5)
    assert _listed(BillFilter())[0] == ("2027-2028", "SF", 5)  # this transaction's own
    db.session.commit()
    assert _listed(BillFilter())[0] == ("2027-2028", "SF", 5)
    assert _listed(BillFilter(session="2027-2028")) == [("2027-2028", "SF", 5)]
