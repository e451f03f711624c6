"""Scoring benchmark on invented data (issue 5).

    .venv/bin/python benchmarks/bench_scoring.py [--scale mn|large] [--check]

Builds its own SQLite database in a temporary folder with ``tracker bench-data``,
publishes each scorecard once, then reports:

* reading the scored member votes from the database (the floor);
* a full recompute of every draft's scores (target: <= 1 s, and <= 3x the read);
* one legislator's score-page data: their row, their votes on scored roll
  calls, and their lifetime score (target: <= 20 ms);
* one staff edit: change a scored vote's weight and recompute that draft
  (target: <= 200 ms).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _timing import timed  # noqa: E402  (beside this script)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["mn", "large", "tiny"], default="large")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    options = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import select

    from tracker import benchdata, create_app, scorecards, snapshots
    from tracker.extensions import db
    from tracker.models import (
        FrozenMemberVote,
        LegislatorScoreRow,
        MemberVote,
        Scorecard,
        ScorecardVote,
    )

    folder = Path(tempfile.mkdtemp(prefix="bench-scoring-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "INSTANCE_PATH": str(folder),
            "SECRET_KEY": "bench",
        }
    )
    with app.app_context():
        upgrade()
        start = time.perf_counter()
        counts = benchdata.generate(options.scale)
        db.session.commit()
        print(f"bench data ({options.scale}): {counts} in {time.perf_counter() - start:.1f} s")
        cards = list(db.session.scalars(select(Scorecard)))
        for card in cards:
            scorecards.publish(card, expected_version=None, note="bench", actor="bench")
        db.session.commit()

        def read_votes() -> int:
            scored = select(ScorecardVote.roll_call_id).where(ScorecardVote.active.is_(True))
            rows = db.session.execute(
                select(MemberVote.person_id, MemberVote.roll_call_id, MemberVote.option).where(
                    MemberVote.roll_call_id.in_(scored)
                )
            ).all()
            return len(rows)

        def recompute() -> None:
            for card in cards:
                scorecards.recompute_draft(card)
            db.session.commit()

        person_id = db.session.scalar(select(LegislatorScoreRow.person_id).limit(1))
        latest = cards[-1].versions[-1]

        def page_data() -> None:
            db.session.scalar(
                select(LegislatorScoreRow).where(
                    LegislatorScoreRow.person_id == person_id,
                    LegislatorScoreRow.scorecard_id == cards[-1].id,
                    LegislatorScoreRow.version_number == latest.number,
                )
            )
            db.session.execute(
                select(FrozenMemberVote).where(
                    FrozenMemberVote.version_id == latest.id,
                    FrozenMemberVote.person_id == person_id,
                )
            ).all()
            snapshots.lifetime([person_id], snapshots.build([latest]))
            db.session.rollback()

        vote = db.session.scalars(
            select(ScorecardVote).where(ScorecardVote.scorecard_id == cards[-1].id)
        ).first()

        def staff_edit() -> None:
            scorecards.edit_scored_vote(
                vote,
                aligned=vote.aligned,
                weight=2 if vote.weight == 1 else 1,
                description=vote.description,
                expected_version=vote.version,
                actor="bench",
            )
            scorecards.recompute_draft(vote.scorecard)
            db.session.commit()

        rows = read_votes()
        t_read = timed(read_votes)
        t_full = timed(recompute, repeat=3)
        t_page = timed(page_data, repeat=20)
        t_edit = timed(staff_edit, repeat=5)

    results = [
        ("read scored member votes", t_read, None, f"{rows} rows"),
        ("full recompute of all scores", t_full, 1.0, f"{t_full / t_read:.1f}x the read"),
        ("one legislator's score page data", t_page, 0.020, ""),
        ("one staff edit, recomputed", t_edit, 0.200, ""),
    ]
    missed = False
    for name, seconds, target, extra in results:
        verdict = ""
        if target is not None:
            ok = seconds <= target
            verdict = f"target <= {target * 1000:.0f} ms: {'PASS' if ok else 'MISS'}"
            missed = missed or not ok
        print(f"{name:36} {seconds * 1000:9.1f} ms  {verdict} {extra}")
    ratio_ok = t_full <= 3 * t_read
    print(f"{'recompute within 3x of the read':36} {'PASS' if ratio_ok else 'MISS'}")
    missed = missed or not ratio_ok
    return 1 if (missed and options.check) else 0


if __name__ == "__main__":
    sys.exit(main())
