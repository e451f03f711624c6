"""The scorecard builder and the publish confirmation.

The builder lists the roll calls a scorecard could score (its sessions and
chambers), filtered by session, chamber, the bill's published position, the
kind of motion, verification and whether they are scored already (floor votes by
default; committees' roll calls, from their minutes, when "committee votes" is
chosen: they are scored like floor votes, and a legislator not on the committee
that day is not eligible for one), each with
the aligned vote the app suggests; "Add selected" scores them in one step
through ``tracker.scorecards.score_roll_calls`` (audited, all or none, refused
when the form is older than the scorecard's last change).

Publishing goes through a confirmation page that shows what the next version
changes against the latest published one (``tracker.scorecards.draft_changes``)
and what it does to the headline scores (``tracker.headline``); its button
posts to the publish route in ``tracker.staff.views``.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker import headline
from tracker import scorecards as svc
from tracker.auth.decorators import staff_required
from tracker.extensions import db
from tracker.models import Committee, Scorecard
from tracker.staff import bp
from tracker.staff.changes import label, words
from tracker.staff.forms import (
    MOTION_KINDS,
    POSITION_FILTERS,
    SCORED_FILTERS,
    VOTE_FILTERS,
    BuilderQuery,
    parse_builder_query,
    parse_version,
)
from tracker.staff.views import _card_or_404, _refuse, bill_url

PER_PAGE = 50


def _query(card: Scorecard) -> BuilderQuery:
    return parse_builder_query(
        request.args, {s.identifier for s in card.sessions}, set(card.chambers)
    )


def _filter(card: Scorecard, query: BuilderQuery) -> svc.CandidateFilter:
    session_id = next((s.id for s in card.sessions if s.identifier == query.session), None)
    return svc.CandidateFilter(
        session_id=session_id,
        chamber=query.chamber or None,
        position=query.position or None,
        kind=query.kind or None,
        verified_only=query.verified == "yes",
        scored={"yes": True, "no": False}.get(query.scored),
        committee_votes=query.votes == "committee",
    )


@bp.get("/scorecards/<public_id>/builder")
@staff_required
def builder(public_id: str) -> tuple[str, int]:
    card = _card_or_404(public_id)
    query = _query(card)
    page = None
    if not query.errors:
        page = svc.candidate_roll_calls(
            card, _filter(card, query), page=query.page, per_page=PER_PAGE
        )
    sessions = sorted(card.sessions, key=lambda s: (-s.year, s.special_number))
    return render_template(
        "staff/builder.html",
        card=card,
        query=query,
        page=page,
        sessions=sessions,
        kinds=MOTION_KINDS,
        positions=POSITION_FILTERS,
        scored_filters=SCORED_FILTERS,
        vote_filters=VOTE_FILTERS,
        bill_url=bill_url,
        committees=_committees(page.items if page else []),
    ), 400 if query.errors else 200


def _committees(items: list[svc.Candidate]) -> dict[int, Committee]:
    """The committees of the listed committee roll calls, by id (one query)."""
    ids = {c.roll_call.committee_id for c in items if c.roll_call.committee_id}
    if not ids:
        return {}
    return {
        c.id: c for c in db.session.scalars(select(Committee).where(Committee.id.in_(sorted(ids))))
    }


@bp.post("/scorecards/<public_id>/builder")
@staff_required
def add_selected(public_id: str) -> Response:
    card = _card_or_404(public_id)
    query = _query(card)
    back = redirect(
        url_for("staff.builder", public_id=card.public_id, **({} if query.errors else query.args()))
    )
    version = parse_version(request.form.get("version"))
    if version is None:
        _refuse("The form did not say which version you edited; reload the page.")
        return back
    selected = request.form.getlist("roll_call")
    choices = [
        (public_id, request.form.get(f"aligned-{public_id}", "").strip().lower())
        for public_id in selected
    ]
    try:
        added = svc.score_roll_calls(card, choices, expected_version=version, actor=current_user)
        svc.recompute_draft(card)
    except svc.EditError as exc:
        _refuse(f"Nothing was added: {exc}")
        return back
    db.session.commit()
    listed = ", ".join(
        f"{v.roll_call.bill.label} ({v.roll_call.date.isoformat()})" for v in added[:8]
    )
    more = f" and {len(added) - 8} more" if len(added) > 8 else ""
    flash(
        f"Added {len(added)} vote{'s' if len(added) != 1 else ''} to {card.title!r}: "
        f"{listed}{more}. Its draft scores are updated; set weights and public "
        "descriptions under Scored votes on the scorecard page.",
        "success",
    )
    return back


# ---------------------------------------------------------------- publish confirmation


def _headline_effect(card: Scorecard, changes: svc.DraftChanges) -> dict[str, Any]:
    """Whose headline score (``tracker.headline``) this scorecard gives, and so
    which headlines publishing changes."""
    people = {r.person.id for r in changes.draft.rows}
    if changes.previous is not None:
        people |= {r.person.id for r in changes.previous.rows}
    heads = headline.headlines(people)
    from_this = {pid for pid, (snap, _) in heads.items() if snap.card.id == card.id}
    changing = {c.person.id for c in changes.scores} & from_this
    featured = sorted(
        chamber for chamber, row in headline.choices().items() if row.scorecard_id == card.id
    )
    first_score = {r.person.id for r in changes.draft.rows} - set(heads)
    return {
        "from_this": len(from_this),
        "changing": len(changing),
        "featured": featured,
        "first_score": len(first_score),
    }


def _shown(row: Any) -> str:
    if row is None:
        return "not on this version"
    if row.display is None:
        return "not enough votes"
    return f"{row.display}" + (f" ({row.grade})" if row.grade else "")


@bp.get("/scorecards/<public_id>/publish")
@staff_required
def confirm_publish(public_id: str) -> str:
    card = _card_or_404(public_id)
    changes = svc.draft_changes(card)
    settings = [
        (svc.METHODOLOGY_LABELS.get(key, label(key)), words(key, was), words(key, now))
        for key, was, now in changes.settings
    ]
    return render_template(
        "staff/publish.html",
        card=card,
        changes=changes,
        settings=settings,
        effect=_headline_effect(card, changes),
        shown=_shown,
        bill_url=bill_url,
        note=request.args.get("note", "")[:2000],
    )
