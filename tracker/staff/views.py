"""Pages for policy staff (signed in): bills, positions, scored votes and scorecards.

Every change goes through ``tracker.scorecards``, which validates it, audits
it and refuses stale edits; refusals are flashed in the service's words and
nothing is changed.  Edits that affect a scorecard recompute its draft scores
before committing, so the effect shows at once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from scrapers.vocab import BILL_STATUS_NAMES, BILL_STATUSES
from tracker import i18n, reads, search, snapshots
from tracker import scorecards as svc
from tracker.auth.decorators import admin_required, staff_required
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    Bill,
    BillPosition,
    Committee,
    LegislativeSession,
    RollCall,
    Scorecard,
    ScorecardSession,
    ScorecardVote,
    ScrapeRun,
)
from tracker.scoring import MAX_WEIGHT
from tracker.staff import board, bp
from tracker.staff.forms import (
    ABSENCE_POLICY_LABELS,
    ScorecardForm,
    parse_bill_key,
    parse_bill_query,
    parse_version,
    session_choices,
    split_issue_areas,
)

PER_PAGE = 50
COMPANION_VOTE = re.compile(r"conference|repass|re-pass|concur", re.I)


@bp.get("/")
@staff_required
def dashboard() -> str:
    runs = db.session.scalars(select(ScrapeRun).order_by(ScrapeRun.started_at.desc()).limit(10))
    counts = {
        "tagged": db.session.scalar(
            select(func.count()).select_from(BillPosition).where(BillPosition.position != "none")
        )
        or 0,
        "scorecards": db.session.scalar(select(func.count()).select_from(Scorecard)) or 0,
        "week_hearings": board.week_count(),
    }
    return render_template("staff/dashboard.html", runs=runs.all(), counts=counts)


# ---------------------------------------------------------------- helpers


def _sessions() -> list[LegislativeSession]:
    return list(
        db.session.scalars(
            select(LegislativeSession).order_by(
                LegislativeSession.year.desc(), LegislativeSession.special_number
            )
        )
    )


def _bill_or_404(session_identifier: str, bill_key: str) -> Bill:
    parsed = parse_bill_key(bill_key)
    if parsed is None:
        abort(404, description=f"{bill_key!r} is not a bill number like HF11.")
    bill = reads.bill(session_identifier, *parsed)
    if bill is None:
        abort(
            404,
            description=f"There is no {parsed[0]} {parsed[1]} in session {session_identifier!r}.",
        )
    return bill


def bill_url(bill: Bill, **kwargs: Any) -> str:
    return url_for(
        "staff.bill_page", session_identifier=bill.session.identifier, bill_key=bill.key, **kwargs
    )


def _roll_calls(bill: Bill | None) -> list[RollCall]:
    return reads.roll_calls_of(bill.id if bill is not None else None)


def _audit(entity_type: str, entity_id: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.entity_type == entity_type,
                AuditEvent.entity_id == entity_id,
            )
            .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        )
    )


def _scored_vote_events(roll_call_public_ids: set[str]) -> list[AuditEvent]:
    if not roll_call_public_ids:
        return []
    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity_type == "scorecard", AuditEvent.action.like("scored_vote.%")
        )
    )
    return [
        e
        for e in events
        if (e.after or {}).get("roll_call") in roll_call_public_ids
        or (e.before or {}).get("roll_call") in roll_call_public_ids
    ]


def _form_version() -> int | None:
    return parse_version(request.form.get("version"))


def _refuse(message: str) -> None:
    db.session.rollback()
    flash(message, "error")


# ---------------------------------------------------------------- bills


@bp.get("/bills")
@staff_required
def bills() -> tuple[str, int]:
    sessions = _sessions()
    query = parse_bill_query(request.args, {s.identifier for s in sessions})
    page = None
    positions: dict[int, BillPosition] = {}
    roll_call_counts: dict[int, int] = {}
    if not query.errors:
        yes_no = {"yes": True, "no": False}
        stmt = search.bills(
            search.BillFilter(
                q="" if query.bill_type is not None else query.q,
                session=query.session or None,
                chamber=query.chamber or None,
                status=query.status or None,
                working_tagged=yes_no.get(query.tagged),
                roll_calls=yes_no.get(query.roll_calls),
            )
        )
        if query.bill_type is not None:
            stmt = stmt.where(Bill.bill_type == query.bill_type, Bill.number == query.bill_number)
        page = db.paginate(stmt, page=query.page, per_page=PER_PAGE, error_out=False)
        ids = [b.id for b in page.items]
        if ids:
            positions = {
                p.bill_id: p
                for p in db.session.scalars(
                    select(BillPosition).where(BillPosition.bill_id.in_(ids))
                )
            }
            roll_call_counts = dict(
                db.session.execute(
                    select(RollCall.bill_id, func.count())
                    .where(RollCall.bill_id.in_(ids))
                    .group_by(RollCall.bill_id)
                ).all()
            )
    return render_template(
        "staff/bills.html",
        query=query,
        page=page,
        sessions=sessions,
        statuses=[(s, BILL_STATUS_NAMES[s]) for s in BILL_STATUSES],
        positions=positions,
        roll_call_counts=roll_call_counts,
        bill_url=bill_url,
    ), 400 if query.errors else 200


def _roll_call_rows(
    bill: Bill, roll_calls: list[RollCall], position: str | None, cards: list[Scorecard]
) -> list[dict[str, Any]]:
    """Each roll call with the scorecards scoring it and those that could."""
    ids = [rc.id for rc in roll_calls]
    scored: dict[int, list[ScorecardVote]] = defaultdict(list)
    if ids:
        for vote in db.session.scalars(
            select(ScorecardVote)
            .where(ScorecardVote.roll_call_id.in_(ids), ScorecardVote.active.is_(True))
            .order_by(ScorecardVote.id)
        ):
            scored[vote.roll_call_id].append(vote)
    committee_ids = sorted({rc.committee_id for rc in roll_calls if rc.committee_id})
    committees = (
        {
            c.id: c
            for c in db.session.scalars(select(Committee).where(Committee.id.in_(committee_ids)))
        }
        if committee_ids
        else {}
    )
    rows = []
    for rc in roll_calls:
        scoring_ids = {v.scorecard_id for v in scored[rc.id]}
        rows.append(
            {
                "rc": rc,
                "committee": committees.get(rc.committee_id) if rc.committee_id else None,
                "scored": scored[rc.id],
                "can_score": [
                    c for c in cards if rc.chamber in c.chambers and c.id not in scoring_ids
                ],
                "suggested": svc.suggest_aligned(position, rc),
                "companion_vote": bool(COMPANION_VOTE.search(f"{rc.kind} {rc.motion}")),
            }
        )
    return rows


@bp.get("/bills/<session_identifier>/<bill_key>")
@staff_required
def bill_page(session_identifier: str, bill_key: str) -> str:
    bill = _bill_or_404(session_identifier, bill_key)
    position = svc.position_for(bill)
    draft_position = position.position if position else None
    cards = list(
        db.session.scalars(
            select(Scorecard)
            .join(ScorecardSession, ScorecardSession.scorecard_id == Scorecard.id)
            .where(ScorecardSession.session_id == bill.session_id)
            .order_by(Scorecard.title)
        )
    )
    companion = bill.companion
    own = _roll_calls(bill)
    theirs = _roll_calls(companion)
    public_ids = {rc.public_id for rc in own + theirs}
    events = _audit("bill", str(bill.id)) + _scored_vote_events(public_ids)
    events.sort(key=lambda e: (e.created_at, e.id), reverse=True)
    return render_template(
        "staff/bill.html",
        bill=bill,
        position=position,
        companion=companion,
        own_rows=_roll_call_rows(bill, own, draft_position, cards),
        companion_rows=_roll_call_rows(bill, theirs, draft_position, cards),
        events=events,
        bill_url=bill_url,
        max_weight=MAX_WEIGHT,
    )


@bp.post("/bills/<session_identifier>/<bill_key>/position")
@staff_required
def set_position(session_identifier: str, bill_key: str) -> Response:
    bill = _bill_or_404(session_identifier, bill_key)
    back = redirect(bill_url(bill, _anchor="position"))
    version = _form_version()
    if version is None:
        _refuse("The form did not say which version you edited; reload the page and try again.")
        return back
    try:
        svc.set_position(
            bill,
            request.form.get("position", ""),
            request.form.get("rationale", ""),
            split_issue_areas(request.form.get("issue_areas", "")),
            expected_version=version,
            actor=current_user,
            translations=i18n.translations_from_form(request.form, ("rationale",), 5000),
        )
    except svc.EditError as exc:
        _refuse(str(exc))
        return back
    db.session.commit()
    flash(
        f"Saved the position on {bill.label}. It is a draft — not public until an admin "
        "publishes it.",
        "success",
    )
    return back


@bp.post("/bills/<session_identifier>/<bill_key>/position/publish")
@admin_required
def publish_position(session_identifier: str, bill_key: str) -> Response:
    bill = _bill_or_404(session_identifier, bill_key)
    back = redirect(bill_url(bill, _anchor="position"))
    version = _form_version()
    if version is None:
        _refuse("The form did not say which version you published; reload the page.")
        return back
    try:
        svc.publish_position(bill, expected_version=version, actor=current_user)
    except svc.EditError as exc:
        _refuse(str(exc))
        return back
    db.session.commit()
    flash(f"Published the position on {bill.label}.", "success")
    return back


@bp.post("/bills/<session_identifier>/<bill_key>/score")
@staff_required
def score_vote(session_identifier: str, bill_key: str) -> Response:
    bill = _bill_or_404(session_identifier, bill_key)
    back = redirect(bill_url(bill, _anchor="roll-calls"))
    roll_call = db.session.scalar(
        select(RollCall).where(RollCall.public_id == (request.form.get("roll_call") or ""))
    )
    if roll_call is None:
        _refuse("That roll call is not in the tracker; reload the page and choose one listed.")
        return back
    card = db.session.scalar(
        select(Scorecard).where(Scorecard.public_id == (request.form.get("scorecard") or ""))
    )
    if card is None:
        _refuse("That scorecard does not exist; reload the page.")
        return back
    try:
        svc.score_roll_call(
            card,
            roll_call,
            aligned=request.form.get("aligned", ""),
            weight=request.form.get("weight"),
            description=request.form.get("description", ""),
            actor=current_user,
            translations=i18n.translations_from_form(request.form, ("description",), 300),
        )
        svc.recompute_draft(card)
    except svc.EditError as exc:
        _refuse(str(exc))
        return redirect(bill_url(bill, _anchor=f"rc-{roll_call.public_id}"))
    db.session.commit()
    flash(
        f"Scored the {roll_call.bill.label} vote of {roll_call.date} on {card.title!r}; "
        "its draft scores are updated.",
        "success",
    )
    return redirect(bill_url(bill, _anchor=f"rc-{roll_call.public_id}"))


# ---------------------------------------------------------------- scorecards


@bp.get("/scorecards")
@staff_required
def scorecards() -> str:
    cards = list(
        db.session.scalars(
            select(Scorecard).order_by(Scorecard.created_at.desc(), Scorecard.id.desc())
        )
    )
    active = dict(
        db.session.execute(
            select(ScorecardVote.scorecard_id, func.count())
            .where(ScorecardVote.active.is_(True))
            .group_by(ScorecardVote.scorecard_id)
        ).all()
    )
    rows = [
        {"card": c, "latest": svc.latest_version(c), "votes": active.get(c.id, 0)} for c in cards
    ]
    return render_template("staff/scorecards.html", rows=rows)


def _settings_from(form: ScorecardForm) -> svc.ScorecardSettings:
    return svc.ScorecardSettings(
        title=form.title.data or "",
        description=form.description.data or "",
        session_ids=list(form.sessions.data or []),
        chambers=list(form.chambers.data or []),
        absence_policy=form.absence_policy.data or "exclude",
        min_participation_pct=int(form.min_participation_pct.data or 0),
        grade_bands=svc.parse_grade_bands(form.grade_bands.data or ""),
        show_sponsorship=bool(form.show_sponsorship.data),
    )


def _excused_table(sessions: list[LegislativeSession]) -> dict[tuple[int, str], bool]:
    return {(s.id, c): svc.excused_supported(c, [s]) for s in sessions for c in ("house", "senate")}


def _policy_choices(
    form: ScorecardForm, sessions: list[LegislativeSession]
) -> list[tuple[str, str]]:
    """``count_unexcused`` only where the chosen chambers' data records excused
    absences for the chosen sessions (or when it is the current setting)."""
    chosen = [s for s in sessions if s.id in set(form.sessions.data or [])]
    chambers = list(form.chambers.data or [])
    offer = bool(chosen and chambers) and all(svc.excused_supported(c, chosen) for c in chambers)
    return [
        (value, label)
        for value, label in ABSENCE_POLICY_LABELS.items()
        if value != "count_unexcused" or offer or form.absence_policy.data == value
    ]


def _form_errors(form: ScorecardForm) -> str:
    return "; ".join(
        f"{form[name].label.text}: {', '.join(errs)}" for name, errs in form.errors.items()
    )


def _render_settings(
    form: ScorecardForm,
    sessions: list[LegislativeSession],
    card: Scorecard | None,
    status: int = 200,
) -> tuple[str, int]:
    context: dict[str, Any] = {}
    if card is not None:
        context = _card_context(card)
    return render_template(
        "staff/scorecard.html",
        form=form,
        card=card,
        sessions=sessions,
        policy_choices=_policy_choices(form, sessions),
        excused=_excused_table(sessions),
        max_weight=MAX_WEIGHT,
        bill_url=bill_url,
        **context,
    ), status


@bp.route("/scorecards/new", methods=["GET", "POST"])
@staff_required
def new_scorecard() -> tuple[str, int] | Response:
    sessions = _sessions()
    form = ScorecardForm()
    form.sessions.choices = session_choices(sessions)
    if request.method == "POST":
        if form.validate():
            try:
                card = svc.create_scorecard(_settings_from(form), actor=current_user)
                svc.recompute_draft(card)
            except svc.EditError as exc:
                _refuse(str(exc))
            else:
                db.session.commit()
                flash(
                    f"Created the scorecard {card.title!r}. Find and add the votes to score "
                    "with its builder (below), or from the bill pages.",
                    "success",
                )
                return redirect(url_for("staff.scorecard", public_id=card.public_id))
        else:
            _refuse(_form_errors(form))
        return _render_settings(form, sessions, None, 400)
    return _render_settings(form, sessions, None)


def _card_or_404(public_id: str) -> Scorecard:
    card: Scorecard | None = db.session.scalar(
        select(Scorecard).where(Scorecard.public_id == public_id)
    )
    if card is None:
        abort(404, description="There is no such scorecard.")
    return card


def _card_context(card: Scorecard) -> dict[str, Any]:
    votes = [v for v in card.votes if v.active]
    removed = [v for v in card.votes if not v.active]
    scores = snapshots.draft(card).rows
    return {
        "votes": votes,
        "removed": removed,
        "scores": scores,
        "versions": list(reversed(card.versions)),
        "latest": svc.latest_version(card),
        "events": _audit("scorecard", card.public_id),
    }


@bp.route("/scorecards/<public_id>", methods=["GET", "POST"])
@staff_required
def scorecard(public_id: str) -> tuple[str, int] | Response:
    card = _card_or_404(public_id)
    sessions = _sessions()
    if request.method == "POST":
        form = ScorecardForm()
    else:
        form = ScorecardForm(
            data={
                "title": card.title,
                "description": card.description,
                "sessions": [s.id for s in card.sessions],
                "chambers": list(card.chambers),
                "absence_policy": card.absence_policy,
                "min_participation_pct": card.min_participation_pct,
                "grade_bands": ", ".join(f"{letter}={floor}" for floor, letter in card.grade_bands),
                "show_sponsorship": card.show_sponsorship,
                "version": str(card.version),
            }
        )
    form.sessions.choices = session_choices(sessions)
    if request.method == "POST":
        version = parse_version(form.version.data)
        if version is None:
            _refuse("The form did not say which version you edited; reload the page.")
        elif form.validate():
            try:
                svc.update_scorecard(
                    card, _settings_from(form), expected_version=version, actor=current_user
                )
                svc.recompute_draft(card)
            except svc.EditError as exc:
                _refuse(str(exc))
            else:
                db.session.commit()
                flash("Saved the scorecard's draft settings; draft scores are updated.", "success")
                return redirect(url_for("staff.scorecard", public_id=card.public_id))
        else:
            _refuse(_form_errors(form))
        card = _card_or_404(public_id)
        return _render_settings(form, sessions, card, 400)
    return _render_settings(form, sessions, card)


@bp.post("/scorecards/<public_id>/votes/<int:vote_id>")
@staff_required
def edit_vote(public_id: str, vote_id: int) -> Response:
    card = _card_or_404(public_id)
    back = redirect(url_for("staff.scorecard", public_id=card.public_id, _anchor="votes"))
    row = db.session.get(ScorecardVote, vote_id)
    if row is None or row.scorecard_id != card.id:
        _refuse("That scored vote is not on this scorecard; reload the page.")
        return back
    version = _form_version()
    if version is None:
        _refuse("The form did not say which version you edited; reload the page.")
        return back
    remove = request.form.get("action") == "remove"
    try:
        if remove:
            svc.edit_scored_vote(
                row,
                aligned=row.aligned,
                weight=row.weight,
                description=row.description,
                active=False,
                expected_version=version,
                actor=current_user,
            )
        else:
            svc.edit_scored_vote(
                row,
                aligned=request.form.get("aligned", ""),
                weight=request.form.get("weight"),
                description=request.form.get("description", ""),
                expected_version=version,
                actor=current_user,
                translations=i18n.translations_from_form(request.form, ("description",), 300),
            )
        svc.recompute_draft(card)
    except svc.EditError as exc:
        _refuse(str(exc))
        return back
    db.session.commit()
    flash(
        "Removed the vote from the draft; draft scores are updated."
        if remove
        else "Saved the scored vote; draft scores are updated.",
        "success",
    )
    return back


@bp.post("/scorecards/<public_id>/publish")
@admin_required
def publish_scorecard(public_id: str) -> Response:
    """The confirmation page's button (``tracker.staff.builder.confirm_publish``);
    a refusal goes back to the confirmation, which shows the draft as it is now."""
    card = _card_or_404(public_id)
    back = redirect(url_for("staff.confirm_publish", public_id=card.public_id))
    version = _form_version()
    if version is None:
        _refuse("The form did not say which version you published; reload the page.")
        return back
    try:
        published = svc.publish(
            card, expected_version=version, note=request.form.get("note", ""), actor=current_user
        )
    except svc.EditError as exc:
        _refuse(f"Not published: {exc}")
        return back
    db.session.commit()
    flash(f"Published version {published.number} of {card.title!r}.", "success")
    return redirect(
        url_for("staff.scorecard", public_id=card.public_id, _anchor=f"version-{published.number}")
    )
