"""household imports of review results

Revision ID: 16b654973161
Revises: fd699f4e8605
Create Date: 2026-11-28 15:00:52.702777+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "16b654973161"
down_revision: str | None = "fd699f4e8605"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


COUNTERS = (
    "review_records_created",
    "review_records_updated",
    "review_records_matched",
    "assessments_created",
    "assessments_matched",
)


def upgrade() -> None:
    # Existing imports are household imports with nothing reviewed: server defaults fill them.
    op.add_column(
        "household_import",
        sa.Column("kind", sa.String(length=16), server_default="households", nullable=False),
    )
    op.add_column("household_import", sa.Column("campaign_id", sa.Uuid(), nullable=True))
    op.add_column("household_import", sa.Column("meeting_held_on", sa.Date(), nullable=True))
    op.add_column(
        "household_import",
        sa.Column("meeting_agreement_pct", sa.Numeric(precision=5, scale=2), nullable=True),
    )
    for name in COUNTERS:
        op.add_column("household_import", sa.Column(name, sa.Integer(), server_default="0", nullable=False))
    # The defaults were for the existing rows only: the application sets every value.
    for name in ("kind", *COUNTERS):
        op.alter_column("household_import", name, server_default=None)
    op.drop_constraint(
        op.f("uq_household_import_commune_code_sha256_mode"), "household_import", type_="unique"
    )
    op.create_unique_constraint(
        op.f("uq_household_import_commune_code_sha256_mode_kind_campaign_id"),
        "household_import",
        ["commune_code", "sha256", "mode", "kind", "campaign_id"],
        postgresql_nulls_not_distinct=True,
    )
    op.create_foreign_key(
        op.f("fk_household_import_campaign_id_review_campaign"),
        "household_import",
        "review_campaign",
        ["campaign_id"],
        ["id"],
    )
    op.create_check_constraint(
        op.f("ck_household_import_kind_known"), "household_import", "kind IN ('households', 'review_results')"
    )
    op.create_check_constraint(
        op.f("ck_household_import_review_results_have_campaign"),
        "household_import",
        "(kind = 'review_results') = (campaign_id IS NOT NULL AND meeting_held_on IS NOT NULL"
        " AND meeting_agreement_pct IS NOT NULL)",
    )


def downgrade() -> None:
    # The earlier schema knows only household imports: review-results imports go (with their errors).
    op.execute("DELETE FROM household_import WHERE kind <> 'households'")
    op.drop_constraint(
        op.f("ck_household_import_review_results_have_campaign"), "household_import", type_="check"
    )
    op.drop_constraint(op.f("ck_household_import_kind_known"), "household_import", type_="check")
    op.drop_constraint(
        op.f("fk_household_import_campaign_id_review_campaign"), "household_import", type_="foreignkey"
    )
    op.drop_constraint(
        op.f("uq_household_import_commune_code_sha256_mode_kind_campaign_id"),
        "household_import",
        type_="unique",
    )
    op.create_unique_constraint(
        op.f("uq_household_import_commune_code_sha256_mode"),
        "household_import",
        ["commune_code", "sha256", "mode"],
    )
    for name in reversed(COUNTERS):
        op.drop_column("household_import", name)
    op.drop_column("household_import", "meeting_agreement_pct")
    op.drop_column("household_import", "meeting_held_on")
    op.drop_column("household_import", "campaign_id")
    op.drop_column("household_import", "kind")
