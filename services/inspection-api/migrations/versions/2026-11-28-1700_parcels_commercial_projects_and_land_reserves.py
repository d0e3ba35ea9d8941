"""parcels commercial projects and land reserves

Revision ID: e0a1b2c3d401
Revises: 0a2bffb6fb38
Create Date: 2026-11-28 17:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "e0a1b2c3d401"
down_revision: str | None = "0a2bffb6fb38"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "land_reserve_rule",
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("reserve_rate", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("infrastructure_cost_rate", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("legal_basis", sa.String(length=400), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "infrastructure_cost_rate >= 0 AND infrastructure_cost_rate <= 1",
            name=op.f("ck_land_reserve_rule_infra_rate_range"),
        ),
        sa.CheckConstraint(
            "reserve_rate > 0 AND reserve_rate <= 1", name=op.f("ck_land_reserve_rule_reserve_rate_range")
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from", name=op.f("ck_land_reserve_rule_validity_ordered")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_land_reserve_rule")),
        sa.UniqueConstraint("code", name=op.f("uq_land_reserve_rule_code")),
    )
    op.create_table(
        "parcel",
        sa.Column("cadastral_ref", sa.String(length=60), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("geometry", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("source_crs", sa.String(length=20), nullable=False),
        sa.Column("source_geometry", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("min_lon", sa.Float(), nullable=False),
        sa.Column("min_lat", sa.Float(), nullable=False),
        sa.Column("max_lon", sa.Float(), nullable=False),
        sa.Column("max_lat", sa.Float(), nullable=False),
        sa.Column("area_m2", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=True),
        sa.Column("legacy_area_code", sa.String(length=16), nullable=True),
        sa.CheckConstraint("area_m2 > 0", name=op.f("ck_parcel_area_positive")),
        sa.CheckConstraint("commune_code IS NOT NULL", name=op.f("ck_parcel_commune_required")),
        sa.CheckConstraint("min_lon <= max_lon AND min_lat <= max_lat", name=op.f("ck_parcel_bbox_ordered")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parcel")),
    )
    op.create_index("ix_parcel_bbox_max", "parcel", ["max_lon", "max_lat"], unique=False)
    op.create_index("ix_parcel_bbox_min", "parcel", ["min_lon", "min_lat"], unique=False)
    op.create_index(op.f("ix_parcel_commune_code"), "parcel", ["commune_code"], unique=False)
    op.create_index(op.f("ix_parcel_province_code"), "parcel", ["province_code"], unique=False)
    op.create_table(
        "commercial_project",
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("investor_name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("residential_land_m2", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("total_land_m2", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("technical_infrastructure_cost_vnd", sa.BigInteger(), nullable=True),
        sa.Column("approval_decision", sa.String(length=100), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("land_use_plan_id", sa.Uuid(), nullable=True),
        sa.Column("site_parcel_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=True),
        sa.Column("legacy_area_code", sa.String(length=16), nullable=True),
        sa.CheckConstraint(
            "kind IN ('commercial_housing', 'urban_area')", name=op.f("ck_commercial_project_kind_known")
        ),
        sa.CheckConstraint("commune_code IS NOT NULL", name=op.f("ck_commercial_project_commune_required")),
        sa.CheckConstraint(
            "residential_land_m2 > 0", name=op.f("ck_commercial_project_residential_land_positive")
        ),
        sa.CheckConstraint(
            "technical_infrastructure_cost_vnd IS NULL OR technical_infrastructure_cost_vnd >= 0",
            name=op.f("ck_commercial_project_infra_cost_not_negative"),
        ),
        sa.CheckConstraint(
            "total_land_m2 IS NULL OR total_land_m2 >= residential_land_m2",
            name=op.f("ck_commercial_project_total_covers_residential"),
        ),
        sa.ForeignKeyConstraint(
            ["land_use_plan_id"],
            ["land_use_plan.id"],
            name=op.f("fk_commercial_project_land_use_plan_id_land_use_plan"),
        ),
        sa.ForeignKeyConstraint(
            ["site_parcel_id"], ["parcel.id"], name=op.f("fk_commercial_project_site_parcel_id_parcel")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commercial_project")),
    )
    op.create_index(
        op.f("ix_commercial_project_commune_code"), "commercial_project", ["commune_code"], unique=False
    )
    op.create_index(
        op.f("ix_commercial_project_land_use_plan_id"),
        "commercial_project",
        ["land_use_plan_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_commercial_project_province_code"), "commercial_project", ["province_code"], unique=False
    )
    op.create_index(
        op.f("ix_commercial_project_site_parcel_id"), "commercial_project", ["site_parcel_id"], unique=False
    )
    op.create_table(
        "parcel_designation",
        sa.Column("land_use_plan_id", sa.Uuid(), nullable=False),
        sa.Column("parcel_id", sa.Uuid(), nullable=False),
        sa.Column("designation", sa.String(length=30), nullable=False),
        sa.Column("area_m2", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "designation IN ('social_housing', 'social_housing_reserve')",
            name=op.f("ck_parcel_designation_designation_known"),
        ),
        sa.CheckConstraint("area_m2 > 0", name=op.f("ck_parcel_designation_area_positive")),
        sa.ForeignKeyConstraint(
            ["land_use_plan_id"],
            ["land_use_plan.id"],
            name=op.f("fk_parcel_designation_land_use_plan_id_land_use_plan"),
        ),
        sa.ForeignKeyConstraint(
            ["parcel_id"], ["parcel.id"], name=op.f("fk_parcel_designation_parcel_id_parcel")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parcel_designation")),
        sa.UniqueConstraint(
            "land_use_plan_id", "parcel_id", name=op.f("uq_parcel_designation_land_use_plan_id_parcel_id")
        ),
    )
    op.create_index(
        op.f("ix_parcel_designation_land_use_plan_id"),
        "parcel_designation",
        ["land_use_plan_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_parcel_designation_parcel_id"), "parcel_designation", ["parcel_id"], unique=False
    )
    op.create_table(
        "land_reserve_obligation",
        sa.Column("commercial_project_id", sa.Uuid(), nullable=False),
        sa.Column("rule_id", sa.Uuid(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decision_number", sa.String(length=50), nullable=True),
        sa.Column("residential_land_m2", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("reserve_rate", sa.Numeric(precision=5, scale=4), nullable=False),
        sa.Column("required_area_m2", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("land_price_vnd_per_m2", sa.BigInteger(), nullable=True),
        sa.Column("technical_infrastructure_cost_vnd", sa.BigInteger(), nullable=True),
        sa.Column("infrastructure_cost_rate", sa.Numeric(precision=5, scale=4), nullable=True),
        sa.Column("money_land_fee_vnd", sa.BigInteger(), nullable=True),
        sa.Column("money_infrastructure_vnd", sa.BigInteger(), nullable=True),
        sa.Column("money_due_vnd", sa.BigInteger(), nullable=True),
        sa.Column("reserved_parcel_id", sa.Uuid(), nullable=True),
        sa.Column("reserved_in_plan_on", sa.Date(), nullable=True),
        sa.Column("infrastructure_built_on", sa.Date(), nullable=True),
        sa.Column("cleared_on", sa.Date(), nullable=True),
        sa.Column("investor_assigned_on", sa.Date(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("infrastructure_built_due", sa.Date(), nullable=True),
        sa.Column("cleared_due", sa.Date(), nullable=True),
        sa.Column("investor_assigned_due", sa.Date(), nullable=True),
        sa.Column("started_due", sa.Date(), nullable=True),
        sa.Column("payment_due", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=True),
        sa.Column("legacy_area_code", sa.String(length=16), nullable=True),
        sa.CheckConstraint(
            "(method = 'pay_money') = (money_due_vnd IS NOT NULL)",
            name=op.f("ck_land_reserve_obligation_money_only_for_pay_money"),
        ),
        sa.CheckConstraint(
            "(method = 'pay_money') = (status IN ('awaiting_payment', 'paid'))",
            name=op.f("ck_land_reserve_obligation_status_fits_method"),
        ),
        sa.CheckConstraint(
            "method IN ('reserve_land', 'land_elsewhere', 'pay_money')",
            name=op.f("ck_land_reserve_obligation_method_known"),
        ),
        sa.CheckConstraint(
            "status IN ('reserved_in_plan', 'infrastructure_built', 'cleared', 'investor_assigned', "
            "'started', 'awaiting_payment', 'paid')",
            name=op.f("ck_land_reserve_obligation_status_known"),
        ),
        sa.CheckConstraint(
            "commune_code IS NOT NULL", name=op.f("ck_land_reserve_obligation_commune_required")
        ),
        sa.CheckConstraint(
            "required_area_m2 > 0", name=op.f("ck_land_reserve_obligation_required_area_positive")
        ),
        sa.ForeignKeyConstraint(
            ["commercial_project_id"],
            ["commercial_project.id"],
            name=op.f("fk_land_reserve_obligation_commercial_project_id_commercial_project"),
        ),
        sa.ForeignKeyConstraint(
            ["reserved_parcel_id"],
            ["parcel.id"],
            name=op.f("fk_land_reserve_obligation_reserved_parcel_id_parcel"),
        ),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["land_reserve_rule.id"],
            name=op.f("fk_land_reserve_obligation_rule_id_land_reserve_rule"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_land_reserve_obligation")),
        sa.UniqueConstraint(
            "commercial_project_id", name=op.f("uq_land_reserve_obligation_commercial_project_id")
        ),
    )
    op.create_index(
        op.f("ix_land_reserve_obligation_commune_code"),
        "land_reserve_obligation",
        ["commune_code"],
        unique=False,
    )
    op.create_index("ix_land_reserve_obligation_due_on", "land_reserve_obligation", ["due_on"], unique=False)
    op.create_index(
        op.f("ix_land_reserve_obligation_province_code"),
        "land_reserve_obligation",
        ["province_code"],
        unique=False,
    )
    op.create_index(
        op.f("ix_land_reserve_obligation_reserved_parcel_id"),
        "land_reserve_obligation",
        ["reserved_parcel_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_land_reserve_obligation_rule_id"), "land_reserve_obligation", ["rule_id"], unique=False
    )
    op.create_index(
        op.f("ix_land_reserve_obligation_status"), "land_reserve_obligation", ["status"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_land_reserve_obligation_status"), table_name="land_reserve_obligation")
    op.drop_index(op.f("ix_land_reserve_obligation_rule_id"), table_name="land_reserve_obligation")
    op.drop_index(op.f("ix_land_reserve_obligation_reserved_parcel_id"), table_name="land_reserve_obligation")
    op.drop_index(op.f("ix_land_reserve_obligation_province_code"), table_name="land_reserve_obligation")
    op.drop_index("ix_land_reserve_obligation_due_on", table_name="land_reserve_obligation")
    op.drop_index(op.f("ix_land_reserve_obligation_commune_code"), table_name="land_reserve_obligation")
    op.drop_table("land_reserve_obligation")
    op.drop_index(op.f("ix_parcel_designation_parcel_id"), table_name="parcel_designation")
    op.drop_index(op.f("ix_parcel_designation_land_use_plan_id"), table_name="parcel_designation")
    op.drop_table("parcel_designation")
    op.drop_index(op.f("ix_commercial_project_site_parcel_id"), table_name="commercial_project")
    op.drop_index(op.f("ix_commercial_project_province_code"), table_name="commercial_project")
    op.drop_index(op.f("ix_commercial_project_land_use_plan_id"), table_name="commercial_project")
    op.drop_index(op.f("ix_commercial_project_commune_code"), table_name="commercial_project")
    op.drop_table("commercial_project")
    op.drop_index(op.f("ix_parcel_province_code"), table_name="parcel")
    op.drop_index(op.f("ix_parcel_commune_code"), table_name="parcel")
    op.drop_index("ix_parcel_bbox_min", table_name="parcel")
    op.drop_index("ix_parcel_bbox_max", table_name="parcel")
    op.drop_table("parcel")
    op.drop_table("land_reserve_rule")
