"""profiteering flags

Revision ID: e0a1b2c3d403
Revises: e0a1b2c3d402
Create Date: 2026-11-28 17:02:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision: str = "e0a1b2c3d403"
down_revision: str | None = "e0a1b2c3d402"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "profiteering_run",
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("trigger", sa.String(length=10), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=True),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("signals_seen", sa.Integer(), nullable=False),
        sa.Column("flags_raised", sa.Integer(), nullable=False),
        sa.Column("delayed_reason", sa.String(length=500), nullable=True),
        sa.Column("skipped_rules", postgresql.JSONB(astext_type=Text()), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'succeeded', 'delayed')",
            name=op.f("ck_profiteering_run_status_known"),
        ),
        sa.CheckConstraint(
            "trigger IN ('periodic', 'manual')", name=op.f("ck_profiteering_run_trigger_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profiteering_run")),
    )
    op.create_index(op.f("ix_profiteering_run_job_id"), "profiteering_run", ["job_id"], unique=False)
    op.create_index(op.f("ix_profiteering_run_status"), "profiteering_run", ["status"], unique=False)
    op.create_table(
        "profiteering_flag",
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("household_id", sa.Uuid(), nullable=True),
        sa.Column("application_id", sa.Uuid(), nullable=True),
        sa.Column("contract_id", sa.Uuid(), nullable=True),
        sa.Column("project_id", sa.Uuid(), nullable=True),
        sa.Column("loan_id", sa.Uuid(), nullable=True),
        sa.Column("obligation_id", sa.Uuid(), nullable=True),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("evidence", postgresql.JSONB(astext_type=Text()), nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=True),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dismissed_reason", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=True),
        sa.Column("legacy_area_code", sa.String(length=16), nullable=True),
        sa.CheckConstraint(
            "kind IN ('supported_twice', 'ineligible_application', 'resale_within_lock', "
            "'multiple_open_applications', 'loan_unknown_borrower', 'loan_ineligible_borrower', "
            "'land_reserve_overdue')",
            name=op.f("ck_profiteering_flag_kind_known"),
        ),
        sa.CheckConstraint(
            "source IN ('registry', 'funding', 'inspection')", name=op.f("ck_profiteering_flag_source_known")
        ),
        sa.CheckConstraint(
            "status <> 'confirmed' OR case_id IS NOT NULL",
            name=op.f("ck_profiteering_flag_confirmed_with_case"),
        ),
        sa.CheckConstraint(
            "status <> 'dismissed' OR dismissed_reason IS NOT NULL",
            name=op.f("ck_profiteering_flag_dismissed_with_reason"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'confirmed', 'dismissed')", name=op.f("ck_profiteering_flag_status_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profiteering_flag")),
        sa.UniqueConstraint("source", "key", name=op.f("uq_profiteering_flag_source_key")),
    )
    op.create_index(
        op.f("ix_profiteering_flag_commune_code"), "profiteering_flag", ["commune_code"], unique=False
    )
    op.create_index(op.f("ix_profiteering_flag_kind"), "profiteering_flag", ["kind"], unique=False)
    op.create_index(
        op.f("ix_profiteering_flag_province_code"), "profiteering_flag", ["province_code"], unique=False
    )
    op.create_index(op.f("ix_profiteering_flag_status"), "profiteering_flag", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_profiteering_flag_commune_code"), table_name="profiteering_flag")
    op.drop_index(op.f("ix_profiteering_flag_kind"), table_name="profiteering_flag")
    op.drop_index(op.f("ix_profiteering_flag_province_code"), table_name="profiteering_flag")
    op.drop_index(op.f("ix_profiteering_flag_status"), table_name="profiteering_flag")
    op.drop_table("profiteering_flag")
    op.drop_index(op.f("ix_profiteering_run_job_id"), table_name="profiteering_run")
    op.drop_index(op.f("ix_profiteering_run_status"), table_name="profiteering_run")
    op.drop_table("profiteering_run")
