"""district shapes: imported legislative district boundaries

Revision ID: a7c3e91d4b52
Revises: 6011dd8dc4ad
Create Date: 2026-11-30 10:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a7c3e91d4b52"
down_revision = "6011dd8dc4ad"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "district_shape",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chamber", sa.String(length=10), nullable=False),
        sa.Column("district", sa.String(length=5), nullable=False),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.Column("min_lon", sa.Float(), nullable=False),
        sa.Column("min_lat", sa.Float(), nullable=False),
        sa.Column("max_lon", sa.Float(), nullable=False),
        sa.Column("max_lat", sa.Float(), nullable=False),
        sa.Column("source_file", sa.String(length=300), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "chamber IN ('house', 'senate')", name=op.f("ck_district_shape_chamber")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_district_shape")),
        sa.UniqueConstraint(
            "chamber", "district", name=op.f("uq_district_shape_chamber_district")
        ),
    )


def downgrade():
    op.drop_table("district_shape")
