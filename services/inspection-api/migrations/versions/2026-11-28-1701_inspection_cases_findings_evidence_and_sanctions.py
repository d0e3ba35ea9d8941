"""inspection cases findings evidence and sanctions

Revision ID: e0a1b2c3d402
Revises: e0a1b2c3d401
Create Date: 2026-11-28 17:01:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "e0a1b2c3d402"
down_revision: str | None = "e0a1b2c3d401"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "checklist_template",
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('construction_check', 'inspectorate_inspection')",
            name=op.f("ck_checklist_template_kind_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_template")),
        sa.UniqueConstraint("code", name=op.f("uq_checklist_template_code")),
    )
    op.create_table(
        "inspection_plan",
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("decision_number", sa.String(length=50), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('construction_check', 'inspectorate_inspection')",
            name=op.f("ck_inspection_plan_kind_known"),
        ),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name=op.f("ck_inspection_plan_year_plausible")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_plan")),
        sa.UniqueConstraint(
            "province_code", "year", "kind", name=op.f("uq_inspection_plan_province_code_year_kind")
        ),
    )
    op.create_index(
        op.f("ix_inspection_plan_province_code"), "inspection_plan", ["province_code"], unique=False
    )
    op.create_table(
        "violation_type",
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("legal_basis", sa.String(length=500), nullable=False),
        sa.Column("fine_min_vnd", sa.BigInteger(), nullable=False),
        sa.Column("fine_max_vnd", sa.BigInteger(), nullable=False),
        sa.Column("is_draft", sa.Boolean(), nullable=False),
        sa.Column("remedy", sa.Text(), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "fine_min_vnd >= 0 AND fine_min_vnd <= fine_max_vnd",
            name=op.f("ck_violation_type_fine_range_ordered"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from", name=op.f("ck_violation_type_validity_ordered")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_violation_type")),
        sa.UniqueConstraint("code", "valid_from", name=op.f("uq_violation_type_code_valid_from")),
    )
    op.create_index(op.f("ix_violation_type_code"), "violation_type", ["code"], unique=False)
    op.create_table(
        "checklist_template_version",
        sa.Column("template_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("items", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("first_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_checklist_template_version_number_positive")),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["checklist_template.id"],
            name=op.f("fk_checklist_template_version_template_id_checklist_template"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_template_version")),
        sa.UniqueConstraint(
            "template_id", "number", name=op.f("uq_checklist_template_version_template_id_number")
        ),
    )
    op.create_index(
        op.f("ix_checklist_template_version_template_id"),
        "checklist_template_version",
        ["template_id"],
        unique=False,
    )
    op.create_table(
        "inspection_plan_item",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("planned_month", sa.Integer(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=True),
        sa.Column("legacy_area_code", sa.String(length=16), nullable=True),
        sa.CheckConstraint(
            "planned_month BETWEEN 1 AND 12", name=op.f("ck_inspection_plan_item_month_known")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["inspection_plan.id"], name=op.f("fk_inspection_plan_item_plan_id_inspection_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_plan_item")),
    )
    op.create_index(
        op.f("ix_inspection_plan_item_commune_code"), "inspection_plan_item", ["commune_code"], unique=False
    )
    op.create_index(
        op.f("ix_inspection_plan_item_plan_id"), "inspection_plan_item", ["plan_id"], unique=False
    )
    op.create_index(
        op.f("ix_inspection_plan_item_province_code"), "inspection_plan_item", ["province_code"], unique=False
    )
    op.create_table(
        "inspection_case",
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("opened_by", sa.String(length=200), nullable=False),
        sa.Column("plan_item_id", sa.Uuid(), nullable=True),
        sa.Column("parent_case_id", sa.Uuid(), nullable=True),
        sa.Column("flag_id", sa.Uuid(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("assigned_inspector", sa.String(length=200), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checklist_version_id", sa.Uuid(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("conclusion", sa.Text(), nullable=True),
        sa.Column("concluded_on", sa.Date(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closure_note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=True),
        sa.Column("legacy_area_code", sa.String(length=16), nullable=True),
        sa.CheckConstraint(
            "kind IN ('construction_check', 'inspectorate_inspection')",
            name=op.f("ck_inspection_case_kind_known"),
        ),
        sa.CheckConstraint(
            "status IN ('planned', 'assigned', 'in_progress', 'concluded', 'sanctioned', 'follow_up', "
            "'closed')",
            name=op.f("ck_inspection_case_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["checklist_version_id"],
            ["checklist_template_version.id"],
            name=op.f("fk_inspection_case_checklist_version_id_checklist_template_version"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_case_id"],
            ["inspection_case.id"],
            name=op.f("fk_inspection_case_parent_case_id_inspection_case"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_item_id"],
            ["inspection_plan_item.id"],
            name=op.f("fk_inspection_case_plan_item_id_inspection_plan_item"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_case")),
    )
    op.create_index(
        op.f("ix_inspection_case_assigned_inspector"), "inspection_case", ["assigned_inspector"], unique=False
    )
    op.create_index(
        op.f("ix_inspection_case_commune_code"), "inspection_case", ["commune_code"], unique=False
    )
    op.create_index(op.f("ix_inspection_case_flag_id"), "inspection_case", ["flag_id"], unique=False)
    op.create_index(
        op.f("ix_inspection_case_parent_case_id"), "inspection_case", ["parent_case_id"], unique=False
    )
    op.create_index(
        op.f("ix_inspection_case_plan_item_id"), "inspection_case", ["plan_item_id"], unique=False
    )
    op.create_index(
        op.f("ix_inspection_case_province_code"), "inspection_case", ["province_code"], unique=False
    )
    op.create_index(op.f("ix_inspection_case_status"), "inspection_case", ["status"], unique=False)
    op.create_table(
        "inspection_finding",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("checklist_item_key", sa.String(length=60), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=True),
        sa.Column("legacy_area_code", sa.String(length=16), nullable=True),
        sa.CheckConstraint(
            "outcome IN ('compliant', 'non_compliant', 'not_applicable', 'observation')",
            name=op.f("ck_inspection_finding_outcome_known"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["inspection_case.id"], name=op.f("fk_inspection_finding_case_id_inspection_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_finding")),
    )
    op.create_index(op.f("ix_inspection_finding_case_id"), "inspection_finding", ["case_id"], unique=False)
    op.create_index(
        op.f("ix_inspection_finding_commune_code"), "inspection_finding", ["commune_code"], unique=False
    )
    op.create_index(
        op.f("ix_inspection_finding_province_code"), "inspection_finding", ["province_code"], unique=False
    )
    op.create_table(
        "case_violation",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("violation_type_id", sa.Uuid(), nullable=False),
        sa.Column("finding_id", sa.Uuid(), nullable=True),
        sa.Column("observed_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=True),
        sa.Column("legacy_area_code", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["inspection_case.id"], name=op.f("fk_case_violation_case_id_inspection_case")
        ),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["inspection_finding.id"],
            name=op.f("fk_case_violation_finding_id_inspection_finding"),
        ),
        sa.ForeignKeyConstraint(
            ["violation_type_id"],
            ["violation_type.id"],
            name=op.f("fk_case_violation_violation_type_id_violation_type"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_violation")),
    )
    op.create_index(op.f("ix_case_violation_case_id"), "case_violation", ["case_id"], unique=False)
    op.create_index(op.f("ix_case_violation_commune_code"), "case_violation", ["commune_code"], unique=False)
    op.create_index(
        op.f("ix_case_violation_province_code"), "case_violation", ["province_code"], unique=False
    )
    op.create_index(
        op.f("ix_case_violation_violation_type_id"), "case_violation", ["violation_type_id"], unique=False
    )
    op.create_table(
        "inspection_evidence",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("finding_id", sa.Uuid(), nullable=True),
        sa.Column("content_type", sa.String(length=30), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("gps_accuracy_m", sa.Float(), nullable=True),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=True),
        sa.Column("legacy_area_code", sa.String(length=16), nullable=True),
        sa.CheckConstraint(
            "latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180",
            name=op.f("ck_inspection_evidence_gps_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["inspection_case.id"], name=op.f("fk_inspection_evidence_case_id_inspection_case")
        ),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["inspection_finding.id"],
            name=op.f("fk_inspection_evidence_finding_id_inspection_finding"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_evidence")),
        sa.UniqueConstraint("case_id", "sha256", name=op.f("uq_inspection_evidence_case_id_sha256")),
    )
    op.create_index(op.f("ix_inspection_evidence_case_id"), "inspection_evidence", ["case_id"], unique=False)
    op.create_index(
        op.f("ix_inspection_evidence_commune_code"), "inspection_evidence", ["commune_code"], unique=False
    )
    op.create_index(
        op.f("ix_inspection_evidence_finding_id"), "inspection_evidence", ["finding_id"], unique=False
    )
    op.create_index(
        op.f("ix_inspection_evidence_province_code"), "inspection_evidence", ["province_code"], unique=False
    )
    op.create_table(
        "sanction_decision",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("case_violation_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=50), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("fine_vnd", sa.BigInteger(), nullable=False),
        sa.Column("fine_range_draft", sa.Boolean(), nullable=False),
        sa.Column("remedy", sa.Text(), nullable=True),
        sa.Column("remedy_deadline", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=True),
        sa.Column("legacy_area_code", sa.String(length=16), nullable=True),
        sa.CheckConstraint("fine_vnd >= 0", name=op.f("ck_sanction_decision_fine_not_negative")),
        sa.CheckConstraint(
            "remedy_deadline IS NULL OR remedy_deadline >= decided_on",
            name=op.f("ck_sanction_decision_deadline_after"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["inspection_case.id"], name=op.f("fk_sanction_decision_case_id_inspection_case")
        ),
        sa.ForeignKeyConstraint(
            ["case_violation_id"],
            ["case_violation.id"],
            name=op.f("fk_sanction_decision_case_violation_id_case_violation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanction_decision")),
        sa.UniqueConstraint("case_violation_id", name=op.f("uq_sanction_decision_case_violation_id")),
        sa.UniqueConstraint("number", name=op.f("uq_sanction_decision_number")),
    )
    op.create_index(op.f("ix_sanction_decision_case_id"), "sanction_decision", ["case_id"], unique=False)
    op.create_index(
        op.f("ix_sanction_decision_commune_code"), "sanction_decision", ["commune_code"], unique=False
    )
    op.create_index(
        op.f("ix_sanction_decision_province_code"), "sanction_decision", ["province_code"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_sanction_decision_province_code"), table_name="sanction_decision")
    op.drop_index(op.f("ix_sanction_decision_commune_code"), table_name="sanction_decision")
    op.drop_index(op.f("ix_sanction_decision_case_id"), table_name="sanction_decision")
    op.drop_table("sanction_decision")
    op.drop_index(op.f("ix_inspection_evidence_province_code"), table_name="inspection_evidence")
    op.drop_index(op.f("ix_inspection_evidence_finding_id"), table_name="inspection_evidence")
    op.drop_index(op.f("ix_inspection_evidence_commune_code"), table_name="inspection_evidence")
    op.drop_index(op.f("ix_inspection_evidence_case_id"), table_name="inspection_evidence")
    op.drop_table("inspection_evidence")
    op.drop_index(op.f("ix_case_violation_violation_type_id"), table_name="case_violation")
    op.drop_index(op.f("ix_case_violation_province_code"), table_name="case_violation")
    op.drop_index(op.f("ix_case_violation_commune_code"), table_name="case_violation")
    op.drop_index(op.f("ix_case_violation_case_id"), table_name="case_violation")
    op.drop_table("case_violation")
    op.drop_index(op.f("ix_inspection_finding_province_code"), table_name="inspection_finding")
    op.drop_index(op.f("ix_inspection_finding_commune_code"), table_name="inspection_finding")
    op.drop_index(op.f("ix_inspection_finding_case_id"), table_name="inspection_finding")
    op.drop_table("inspection_finding")
    op.drop_index(op.f("ix_inspection_case_status"), table_name="inspection_case")
    op.drop_index(op.f("ix_inspection_case_province_code"), table_name="inspection_case")
    op.drop_index(op.f("ix_inspection_case_plan_item_id"), table_name="inspection_case")
    op.drop_index(op.f("ix_inspection_case_parent_case_id"), table_name="inspection_case")
    op.drop_index(op.f("ix_inspection_case_flag_id"), table_name="inspection_case")
    op.drop_index(op.f("ix_inspection_case_commune_code"), table_name="inspection_case")
    op.drop_index(op.f("ix_inspection_case_assigned_inspector"), table_name="inspection_case")
    op.drop_table("inspection_case")
    op.drop_index(op.f("ix_inspection_plan_item_province_code"), table_name="inspection_plan_item")
    op.drop_index(op.f("ix_inspection_plan_item_plan_id"), table_name="inspection_plan_item")
    op.drop_index(op.f("ix_inspection_plan_item_commune_code"), table_name="inspection_plan_item")
    op.drop_table("inspection_plan_item")
    op.drop_index(op.f("ix_checklist_template_version_template_id"), table_name="checklist_template_version")
    op.drop_table("checklist_template_version")
    op.drop_index(op.f("ix_violation_type_code"), table_name="violation_type")
    op.drop_table("violation_type")
    op.drop_index(op.f("ix_inspection_plan_province_code"), table_name="inspection_plan")
    op.drop_table("inspection_plan")
    op.drop_table("checklist_template")
