"""scheduler: single-instance lease and run-now requests

Revision ID: ccd0b936ef74
Revises: 62e16cca9b9a
Create Date: 2026-11-23 18:09:32.364859

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "ccd0b936ef74"
down_revision = "62e16cca9b9a"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scheduler_lease",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_lease")),
    )
    op.create_table(
        "job_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=50), nullable=False),
        sa.Column("options", sa.JSON(), nullable=True),
        sa.Column("requested_by", sa.String(length=254), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("picked_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'running', 'done', 'failed')",
            name=op.f("ck_job_request_status"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["scrape_run.id"],
            name=op.f("fk_job_request_run_id_scrape_run"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_request")),
    )
    op.create_index(
        op.f("ix_job_request_requested_at"), "job_request", ["requested_at"], unique=False
    )
    op.create_index(op.f("ix_job_request_run_id"), "job_request", ["run_id"], unique=False)
    op.create_index(op.f("ix_job_request_status"), "job_request", ["status"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_job_request_status"), table_name="job_request")
    op.drop_index(op.f("ix_job_request_run_id"), table_name="job_request")
    op.drop_index(op.f("ix_job_request_requested_at"), table_name="job_request")
    op.drop_table("job_request")
    op.drop_table("scheduler_lease")
