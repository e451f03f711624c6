"""Export benchmark on invented data (issue 7).

    .venv/bin/python benchmarks/bench_exports.py [--scale mn|large|tiny] [--check]

Builds its own SQLite database in a temporary folder with ``tracker bench-data``
and publishes each scorecard once.  ``mn``: one session (201 members, 2,000
roll calls, 60 scored); ``large``: ten sessions of that history (20,000 roll
calls, ten published scorecards, so lifetime scores pool ten; about 7 minutes
to generate on a 2-core machine).  It then times, uncached (the export cache is
bypassed), on the latest scorecard:

* the full-chamber PDF of the scorecard (House, 134 members; target <= 3 s),
  and the whole 201-member scorecard's PDF (same target), each beside its
  floor: what any PDF of ours costs (the two embedded fonts, one page of text);
* one legislator's 1200x630 share image (target <= 300 ms);
* the wide CSV of the 201-member scorecard (target <= 200 ms).

Exits 0 unless ``--check`` is given and a target is missed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _timing import timed  # noqa: E402  (beside this script)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["mn", "large", "tiny"], default="mn")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    options = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import select

    from tracker import benchdata, create_app, scorecards, snapshots
    from tracker.exports import export_data
    from tracker.exports.cards import share_image
    from tracker.exports.pdf import ScorecardPDF, scorecard_pdf
    from tracker.exports.spreadsheets import wide_csv
    from tracker.extensions import db
    from tracker.models import Scorecard

    folder = Path(tempfile.mkdtemp(prefix="bench-exports-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "INSTANCE_PATH": str(folder),
            "SECRET_KEY": "bench",
        }
    )
    with app.app_context():
        upgrade()
        counts = benchdata.generate(options.scale)
        db.session.commit()
        cards = list(db.session.scalars(select(Scorecard).order_by(Scorecard.id)))
        for card in cards:
            scorecards.publish(card, expected_version=None, note="bench", actor="bench")
        db.session.commit()
        version = snapshots.build([cards[-1].versions[-1]])[0]
        data = export_data(version)
        members = len(data.view.rows)
        house = [r for r in data.view.rows if r.chamber == "house"]
        print(
            f"bench data ({options.scale}): {counts}; {len(cards)} published scorecard(s); "
            f"the latest has {members} members, {len(data.view.votes)} scored votes"
        )

        def chamber_pdf() -> bytes:
            view = export_data(version, person_ids=[r.person.id for r in house])
            return scorecard_pdf(view)

        def floor_pdf() -> bytes:
            pdf = ScorecardPDF(data)
            pdf.add_page()
            pdf.para(" ".join(r.person.name for r in data.view.rows[:40]))
            return pdf.output_bytes()

        def one_image() -> bytes:
            one = export_data(version, person_ids=[house[0].person.id], with_lifetime=False)
            return share_image(one, one.view.rows[0])

        def csv_export() -> bytes:
            return wide_csv(export_data(version))

        chamber_pdf()  # warm fonts and imports once, as a running server is
        pdf_bytes = len(chamber_pdf())
        whole_bytes = len(scorecard_pdf(export_data(version)))
        t_floor = timed(floor_pdf, repeat=3)
        t_pdf = timed(chamber_pdf, repeat=3)
        t_whole = timed(lambda: scorecard_pdf(export_data(version)), repeat=3)
        t_image = timed(one_image, repeat=10)
        t_csv = timed(csv_export, repeat=10)
        csv_bytes = len(csv_export())
        db.session.rollback()

    floor = f"floor {t_floor * 1000:.0f} ms"
    results = [
        (
            f"full-chamber PDF ({len(house)} members)",
            t_pdf,
            3.0,
            f"{floor}; {pdf_bytes // 1024} KiB",
        ),
        (
            f"whole-scorecard PDF ({members} members)",
            t_whole,
            3.0,
            f"{floor}; {whole_bytes // 1024} KiB",
        ),
        ("one share image (1200x630 PNG)", t_image, 0.300, ""),
        (f"CSV of the {members}-member scorecard", t_csv, 0.200, f"{csv_bytes // 1024} KiB"),
    ]
    missed = False
    for name, seconds, target, extra in results:
        ok = seconds <= target
        missed = missed or not ok
        print(
            f"{name:40} {seconds * 1000:9.1f} ms  target <= {target * 1000:.0f} ms: "
            f"{'PASS' if ok else 'MISS'}  {extra}".rstrip()
        )
    return 1 if (missed and options.check) else 0


if __name__ == "__main__":
    sys.exit(main())
