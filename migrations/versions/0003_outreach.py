"""outreach: sends guard, broadcasts, outbound segments and broadcast id

Revision ID: 0003_outreach
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_outreach"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbound_messages") as batch_op:
        batch_op.add_column(sa.Column("segments", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("broadcast_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_outbound_messages_broadcast_id", ["broadcast_id"])
    op.create_table(
        "outreach_sends",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("rule", sa.String(length=30), nullable=False),
        sa.Column("reporter_id", sa.Integer(), sa.ForeignKey("reporters.id"), nullable=False),
        sa.Column("subject", sa.String(length=60), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column(
            "outbound_id", sa.Integer(), sa.ForeignKey("outbound_messages.id"), nullable=True
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("rule", "reporter_id", "subject", "step", name="uq_outreach_reason"),
        sa.UniqueConstraint("rule", "reporter_id", "day", name="uq_outreach_person_day"),
    )
    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("group", sa.String(length=400), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("segments", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("broadcasts")
    op.drop_table("outreach_sends")
    with op.batch_alter_table("outbound_messages") as batch_op:
        batch_op.drop_index("ix_outbound_messages_broadcast_id")
        batch_op.drop_column("broadcast_id")
        batch_op.drop_column("segments")
