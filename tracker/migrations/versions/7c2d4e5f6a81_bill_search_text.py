"""bill search text: title and authors' names folded, for the one accent-insensitive search

Revision ID: 7c2d4e5f6a81
Revises: 5b1e0c3d7a21
Create Date: 2026-12-01 23:10:00.000000

"""
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7c2d4e5f6a81'
down_revision = '5b1e0c3d7a21'
branch_labels = None
depends_on = None


def _fold(text):
    # scrapers.names.fold as of this revision (a migration does not import app code)
    text = text.replace("ø", "o").replace("Ø", "O")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def upgrade():
    with op.batch_alter_table('bill') as batch:
        batch.add_column(sa.Column('search_text', sa.Text(), server_default='', nullable=False))
    bind = op.get_bind()
    names = {}
    for bill_id, printed, person in bind.execute(sa.text(
            "SELECT a.bill_id, a.printed_name, p.name FROM authorship a "
            "LEFT JOIN person p ON p.id = a.person_id ORDER BY a.bill_id, a.chamber, a.position")):
        names.setdefault(bill_id, []).append(printed)
        if person and person != printed:
            names[bill_id].append(person)
    rows = [{"i": bill_id, "t": _fold(" ".join([title or "", *names.get(bill_id, [])]))}
            for bill_id, title in bind.execute(sa.text("SELECT id, title FROM bill"))]
    if rows:
        bind.execute(sa.text("UPDATE bill SET search_text = :t WHERE id = :i"), rows)


def downgrade():
    with op.batch_alter_table('bill') as batch:
        batch.drop_column('search_text')
