"""Admin page for the scheduler: schedule, liveness, recent runs, "run now".

The page reads the schedule from the configuration (next run times come from
the triggers, no running scheduler needed) and the scheduler's lease row or
advisory lock.  "Run now" only records a ``JobRequest``; the scheduler process
picks it up within a few seconds.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from config import ConfigError
from tracker import audit, jobs, scheduler
from tracker.admin import bp
from tracker.admin.forms import ActionForm
from tracker.auth.decorators import admin_required
from tracker.extensions import db
from tracker.models import JobRequest, ScrapeRun

RECENT_RUNS = 25
ERRORS_SHOWN = 20


@bp.get("/scheduler")
@admin_required
def scheduler_page() -> str:
    try:
        schedule = scheduler.describe(current_app)
        config_error = None
    except ConfigError as exc:
        schedule, config_error = [], str(exc)
    runs = db.session.scalars(
        select(ScrapeRun)
        .options(selectinload(ScrapeRun.errors))
        .order_by(ScrapeRun.started_at.desc(), ScrapeRun.id.desc())
        .limit(RECENT_RUNS)
    ).all()
    requests = db.session.scalars(
        select(JobRequest).order_by(JobRequest.requested_at.desc(), JobRequest.id.desc()).limit(10)
    ).all()
    return render_template(
        "admin/scheduler.html",
        schedule=schedule,
        config_error=config_error,
        status=scheduler.scheduler_status(),
        jobs=[
            {
                "name": name,
                "description": jobs.JOB_DESCRIPTIONS.get(name, ""),
                "available": jobs.available(name),
            }
            for name in jobs.JOBS
        ],
        runs=runs,
        requests=requests,
        errors_shown=ERRORS_SHOWN,
        form=ActionForm(),
    )


@bp.post("/scheduler/run/<job>")
@admin_required
def scheduler_run_now(job: str) -> Response:
    if job not in jobs.JOBS:
        abort(404, description=f"There is no job called {job!r}.")
    if not ActionForm().validate_on_submit():
        abort(400, description="The form was not valid.")
    if not jobs.available(job):
        abort(400, description=f"The {job} job is not available yet.")
    request = JobRequest(job=job, options=None, requested_by=current_user.email)
    db.session.add(request)
    db.session.flush()
    audit.record(current_user, "job.run_now", request, after={"job": job})
    db.session.commit()
    status = scheduler.scheduler_status()
    if status["running"]:
        flash(f"Requested a {job} run; the scheduler will start it within seconds.", "success")
    else:
        flash(
            f"Requested a {job} run, but no scheduler is running: it starts when "
            "`tracker scheduler` is started.",
            "error",
        )
    return redirect(url_for("admin.scheduler_page"))
