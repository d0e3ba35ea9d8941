"""field sync

Revision ID: e0a1b2c3d404
Revises: e0a1b2c3d403
Create Date: 2026-11-28 17:03:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision: str = "e0a1b2c3d404"
down_revision: str | None = "e0a1b2c3d403"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_change",
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column(
            "tx_id",
            sa.BigInteger(),
            server_default=sa.text("(pg_current_xact_id()::text)::bigint"),
            nullable=False,
        ),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("op", sa.String(length=10), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "entity_type IN ('inspection_case', 'inspection_finding', 'inspection_evidence', "
            "'checklist_template', 'checklist_template_version', 'violation_type')",
            name=op.f("ck_sync_change_entity_type_known"),
        ),
        sa.CheckConstraint("op IN ('upsert', 'delete')", name=op.f("ck_sync_change_op_known")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sync_change")),
    )
    op.create_index(op.f("ix_sync_change_case_id"), "sync_change", ["case_id"], unique=False)
    op.create_index("ix_sync_change_position", "sync_change", ["tx_id", "seq"], unique=False)
    op.create_table(
        "sync_mutation",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("device_id", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=True),
        sa.Column("entity_version", sa.BigInteger(), nullable=True),
        sa.Column("conflict_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("outcome IN ('applied', 'conflict')", name=op.f("ck_sync_mutation_outcome_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_mutation")),
        sa.UniqueConstraint("client_id", name=op.f("uq_sync_mutation_client_id")),
    )
    op.create_index(op.f("ix_sync_mutation_subject"), "sync_mutation", ["subject"], unique=False)
    op.create_table(
        "sync_conflict",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("device_id", sa.String(length=100), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("base_version", sa.BigInteger(), nullable=False),
        sa.Column("server_version", sa.BigInteger(), nullable=False),
        sa.Column("client_changes", postgresql.JSONB(astext_type=Text()), nullable=False),
        sa.Column("server_state", postgresql.JSONB(astext_type=Text()), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("resolution", sa.String(length=20), nullable=True),
        sa.Column("resolved_by", sa.String(length=200), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution_note", sa.String(length=2000), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=True),
        sa.Column("legacy_area_code", sa.String(length=16), nullable=True),
        sa.CheckConstraint(
            "(status = 'resolved') = (resolution IS NOT NULL)",
            name=op.f("ck_sync_conflict_resolved_with_resolution"),
        ),
        sa.CheckConstraint(
            "resolution IS NULL OR resolution IN ('keep_server', 'apply_client')",
            name=op.f("ck_sync_conflict_resolution_known"),
        ),
        sa.CheckConstraint("status IN ('open', 'resolved')", name=op.f("ck_sync_conflict_status_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    op.create_index(op.f("ix_sync_conflict_case_id"), "sync_conflict", ["case_id"], unique=False)
    op.create_index(op.f("ix_sync_conflict_client_id"), "sync_conflict", ["client_id"], unique=False)
    op.create_index(op.f("ix_sync_conflict_commune_code"), "sync_conflict", ["commune_code"], unique=False)
    op.create_index(op.f("ix_sync_conflict_province_code"), "sync_conflict", ["province_code"], unique=False)
    op.create_index(op.f("ix_sync_conflict_status"), "sync_conflict", ["status"], unique=False)
    op.create_index(op.f("ix_sync_conflict_subject"), "sync_conflict", ["subject"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sync_conflict_case_id"), table_name="sync_conflict")
    op.drop_index(op.f("ix_sync_conflict_client_id"), table_name="sync_conflict")
    op.drop_index(op.f("ix_sync_conflict_commune_code"), table_name="sync_conflict")
    op.drop_index(op.f("ix_sync_conflict_province_code"), table_name="sync_conflict")
    op.drop_index(op.f("ix_sync_conflict_status"), table_name="sync_conflict")
    op.drop_index(op.f("ix_sync_conflict_subject"), table_name="sync_conflict")
    op.drop_table("sync_conflict")
    op.drop_index(op.f("ix_sync_mutation_subject"), table_name="sync_mutation")
    op.drop_table("sync_mutation")
    op.drop_index(op.f("ix_sync_change_case_id"), table_name="sync_change")
    op.drop_index("ix_sync_change_position", table_name="sync_change")
    op.drop_table("sync_change")
