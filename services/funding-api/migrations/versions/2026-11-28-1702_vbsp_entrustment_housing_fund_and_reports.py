"""vbsp entrustment housing fund and reports

Revision ID: f0a1b2c3d403
Revises: f0a1b2c3d402
Create Date: 2026-11-28 17:02:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "f0a1b2c3d403"
down_revision: str | None = "f0a1b2c3d402"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INFLOW_KINDS = "'budget_allocation', 'in_lieu_land_fund', 'proceeds', 'donation', 'other_inflow'"
OUTFLOW_PURPOSES = (
    "'build_rental_housing', 'take_over_public_housing', 'buy_social_housing_units', "
    "'buy_commercial_housing_for_rent', 'management_and_operation', 'other_outflow'"
)
# Only the reference-verification columns of a movement may change; nothing may be deleted.
VERIFICATION_COLUMNS = (
    "ARRAY['reference_status', 'reference_checked_at', 'reference_attempts', 'reference_detail', "
    "'updated_at']"
)

IMMUTABLE_FUNCTION = f"""
CREATE FUNCTION housing_fund_movement_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'housing_fund_movement_immutable: a movement is never deleted; reverse it'
            USING ERRCODE = 'check_violation';
    END IF;
    IF (to_jsonb(NEW) - {VERIFICATION_COLUMNS}) IS DISTINCT FROM (to_jsonb(OLD) - {VERIFICATION_COLUMNS}) THEN
        RAISE EXCEPTION 'housing_fund_movement_immutable: a movement is never changed; reverse it'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$
"""

# The service takes the same advisory lock before its own check: racing outflows of one province run
# one after the other, and each sees the others' committed rows (READ COMMITTED, a fresh snapshot per
# statement in a volatile function).
BALANCE_FUNCTION = """
CREATE FUNCTION housing_fund_balance_not_negative() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    balance numeric;
BEGIN
    IF NEW.direction = 'outflow' THEN
        PERFORM pg_advisory_xact_lock(hashtext('housing_fund'), hashtext(NEW.province_code));
        SELECT COALESCE(SUM(CASE WHEN direction = 'inflow' THEN amount_vnd ELSE -amount_vnd END), 0)
            INTO balance
            FROM housing_fund_movement
            WHERE province_code = NEW.province_code;
        IF balance < 0 THEN
            RAISE EXCEPTION 'housing_fund_balance_negative: the fund of province % would hold % VND',
                NEW.province_code, balance
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "entrustment_contract",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("contract_number", sa.String(length=50), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("entrusting_party", sa.String(length=200), nullable=False),
        sa.Column("bank_branch", sa.String(length=200), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("legal_basis", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("amount_vnd > 0", name=op.f("ck_entrustment_contract_amount_positive")),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_entrustment_contract_period_ordered")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entrustment_contract")),
        sa.UniqueConstraint(
            "province_code",
            "contract_number",
            name=op.f("uq_entrustment_contract_province_code_contract_number"),
        ),
    )
    op.create_table(
        "entrustment_transfer",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.Column("decision_number", sa.String(length=50), nullable=False),
        sa.Column("decision_date", sa.Date(), nullable=False),
        sa.Column("transferred_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("amount_vnd > 0", name=op.f("ck_entrustment_transfer_amount_positive")),
        sa.CheckConstraint(
            "fiscal_year BETWEEN 2000 AND 2100", name=op.f("ck_entrustment_transfer_fiscal_year_plausible")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["entrustment_contract.id"],
            name=op.f("fk_entrustment_transfer_contract_id_entrustment_contract"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entrustment_transfer")),
        sa.UniqueConstraint(
            "contract_id", "decision_number", name=op.f("uq_entrustment_transfer_contract_id_decision_number")
        ),
    )
    op.create_table(
        "entrustment_utilisation_report",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("lent_vnd", sa.BigInteger(), nullable=False),
        sa.Column("borrowers", sa.Integer(), nullable=False),
        sa.Column("outstanding_vnd", sa.BigInteger(), nullable=False),
        sa.Column("repaid_vnd", sa.BigInteger(), nullable=False),
        sa.Column("returned_vnd", sa.BigInteger(), nullable=False),
        sa.Column("submitted_by", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "lent_vnd >= 0 AND outstanding_vnd >= 0 AND repaid_vnd >= 0 AND returned_vnd >= 0 "
            "AND borrowers >= 0",
            name=op.f("ck_entrustment_utilisation_report_amounts_not_negative"),
        ),
        sa.CheckConstraint(
            "period_end >= period_start", name=op.f("ck_entrustment_utilisation_report_period_ordered")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["entrustment_contract.id"],
            name=op.f("fk_entrustment_utilisation_report_contract_id_entrustment_contract"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entrustment_utilisation_report")),
        sa.UniqueConstraint(
            "contract_id",
            "period_start",
            "period_end",
            name=op.f("uq_entrustment_utilisation_report_period"),
        ),
    )
    op.create_table(
        "housing_fund_movement",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("document_number", sa.String(length=50), nullable=False),
        sa.Column("document_date", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("reverses_id", sa.Uuid(), nullable=True),
        sa.Column("obligation_id", sa.Uuid(), nullable=True),
        sa.Column("reference_status", sa.String(length=20), nullable=True),
        sa.Column("reference_checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reference_attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("reference_detail", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("amount_vnd > 0", name=op.f("ck_housing_fund_movement_amount_positive")),
        sa.CheckConstraint(
            "direction IN ('inflow', 'outflow')", name=op.f("ck_housing_fund_movement_direction_known")
        ),
        sa.CheckConstraint(
            f"reverses_id IS NOT NULL OR (direction = 'inflow' AND category IN ({INFLOW_KINDS})) "
            f"OR (direction = 'outflow' AND category IN ({OUTFLOW_PURPOSES}))",
            name=op.f("ck_housing_fund_movement_category_matches_direction"),
        ),
        sa.CheckConstraint(
            "(obligation_id IS NOT NULL) = (category = 'in_lieu_land_fund' AND reverses_id IS NULL)",
            name=op.f("ck_housing_fund_movement_in_lieu_names_obligation"),
        ),
        sa.CheckConstraint(
            "(reference_status IS NULL) = (obligation_id IS NULL) AND (reference_status IS NULL OR "
            "reference_status IN ('unverified', 'verified', 'not_found'))",
            name=op.f("ck_housing_fund_movement_reference_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["housing_fund_movement.id"],
            name=op.f("fk_housing_fund_movement_reverses_id_housing_fund_movement"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_housing_fund_movement")),
        sa.UniqueConstraint("reverses_id", name=op.f("uq_housing_fund_movement_reverses_id")),
    )
    op.create_index(
        "ix_housing_fund_movement_province_code_occurred_on",
        "housing_fund_movement",
        ["province_code", "occurred_on"],
        unique=False,
    )
    op.create_index(
        "ix_housing_fund_movement_unverified",
        "housing_fund_movement",
        ["id"],
        unique=False,
        postgresql_where=sa.text("reference_status = 'unverified'"),
    )
    op.execute(IMMUTABLE_FUNCTION)
    op.execute(
        "CREATE TRIGGER housing_fund_movement_immutable BEFORE UPDATE OR DELETE ON housing_fund_movement "
        "FOR EACH ROW EXECUTE FUNCTION housing_fund_movement_immutable()"
    )
    op.execute(BALANCE_FUNCTION)
    op.execute(
        "CREATE TRIGGER housing_fund_balance_not_negative AFTER INSERT ON housing_fund_movement "
        "FOR EACH ROW EXECUTE FUNCTION housing_fund_balance_not_negative()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER housing_fund_balance_not_negative ON housing_fund_movement")
    op.execute("DROP FUNCTION housing_fund_balance_not_negative()")
    op.execute("DROP TRIGGER housing_fund_movement_immutable ON housing_fund_movement")
    op.execute("DROP FUNCTION housing_fund_movement_immutable()")
    op.drop_index(
        "ix_housing_fund_movement_unverified",
        table_name="housing_fund_movement",
        postgresql_where=sa.text("reference_status = 'unverified'"),
    )
    op.drop_index("ix_housing_fund_movement_province_code_occurred_on", table_name="housing_fund_movement")
    op.drop_table("housing_fund_movement")
    op.drop_table("entrustment_utilisation_report")
    op.drop_table("entrustment_transfer")
    op.drop_table("entrustment_contract")
