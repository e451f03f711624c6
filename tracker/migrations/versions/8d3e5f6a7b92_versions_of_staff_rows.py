"""versions of every staff-edited row: data-quality items and name mappings

Revision ID: 8d3e5f6a7b92
Revises: 7c2d4e5f6a81
Create Date: 2026-12-01 23:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '8d3e5f6a7b92'
down_revision = '7c2d4e5f6a81'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('data_quality_item', 'name_mapping'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('version', sa.Integer(), server_default='1',
                                       nullable=False))


def downgrade():
    for table in ('data_quality_item', 'name_mapping'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('version')
