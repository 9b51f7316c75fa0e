"""inbound message flags, training topic

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_messages") as batch_op:
        batch_op.add_column(sa.Column("flags", sa.String(length=60), nullable=True))
    with op.batch_alter_table("records") as batch_op:
        batch_op.add_column(sa.Column("topic", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("records") as batch_op:
        batch_op.drop_column("topic")
    with op.batch_alter_table("inbound_messages") as batch_op:
        batch_op.drop_column("flags")
