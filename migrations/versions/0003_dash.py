"""dashboard administration: user active flag and reset link, reporter CSV imports

Revision ID: 0003_dash
Revises: 0003_websec
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_dash"
down_revision = "0003_websec"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False)
        )
        batch_op.add_column(sa.Column("reset_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("reset_expires_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_unique_constraint("uq_users_reset_hash", ["reset_hash"])
    op.create_table(
        "reporter_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("csv_text", sa.Text(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("reporter_imports")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_constraint("uq_users_reset_hash", type_="unique")
        batch_op.drop_column("reset_expires_at")
        batch_op.drop_column("reset_hash")
        batch_op.drop_column("active")
