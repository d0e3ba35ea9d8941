"""client quota windows

Revision ID: d0a1b2c3d502
Revises: d0a1b2c3d501
Create Date: 2026-11-28 20:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d0a1b2c3d502"
down_revision: str | None = "d0a1b2c3d501"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Requests per client and minute, for clients whose token carries a quota (servicekit.quota).
    op.create_table(
        "client_quota_window",
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("client_id", "window_start", name=op.f("pk_client_quota_window")),
    )
    op.create_index(
        op.f("ix_client_quota_window_window_start"), "client_quota_window", ["window_start"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_client_quota_window_window_start"), table_name="client_quota_window")
    op.drop_table("client_quota_window")
