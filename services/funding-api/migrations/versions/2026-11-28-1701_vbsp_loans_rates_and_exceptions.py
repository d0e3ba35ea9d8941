"""vbsp loans rates and exceptions

Revision ID: f0a1b2c3d402
Revises: f0a1b2c3d401
Create Date: 2026-11-28 17:01:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "f0a1b2c3d402"
down_revision: str | None = "f0a1b2c3d401"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "loan",
        sa.Column("bank_loan_ref", sa.String(length=64), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=True),
        sa.Column("borrower_citizen_id_ct", sa.LargeBinary(), nullable=False),
        sa.Column("borrower_citizen_bidx", sa.String(length=64), nullable=False),
        sa.Column("borrower_citizen_id_masked", sa.String(length=16), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("contract_value_vnd", sa.BigInteger(), nullable=True),
        sa.Column("estimate_vnd", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("approved_amount_vnd", sa.BigInteger(), nullable=True),
        sa.Column("disbursed_vnd", sa.BigInteger(), nullable=False),
        sa.Column("repaid_vnd", sa.BigInteger(), nullable=False),
        sa.Column("outstanding_vnd", sa.BigInteger(), nullable=False),
        sa.Column("overdue_vnd", sa.BigInteger(), nullable=False),
        sa.Column("rate_bp", sa.Integer(), nullable=True),
        sa.Column("first_disbursed_on", sa.Date(), nullable=True),
        sa.Column("events_applied", sa.Integer(), nullable=False),
        sa.Column("last_sequence", sa.BigInteger(), nullable=False),
        sa.Column("eligibility_status", sa.String(length=20), nullable=False),
        sa.Column("eligibility_confirmation_id", sa.Uuid(), nullable=True),
        sa.Column("eligibility_checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "eligibility_status IN ('pending', 'confirmed', 'ineligible', 'unknown_borrower')",
            name=op.f("ck_loan_eligibility_known"),
        ),
        sa.CheckConstraint(
            "purpose IN ('buy', 'lease_purchase', 'build_or_repair')", name=op.f("ck_loan_purpose_known")
        ),
        sa.CheckConstraint(
            "status IN ('applied', 'approved', 'rejected', 'active', 'overdue', 'settled')",
            name=op.f("ck_loan_status_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan")),
        sa.UniqueConstraint("bank_loan_ref", name=op.f("uq_loan_bank_loan_ref")),
    )
    op.create_index(op.f("ix_loan_borrower_citizen_bidx"), "loan", ["borrower_citizen_bidx"], unique=False)
    op.create_index(
        "ix_loan_province_code_commune_code", "loan", ["province_code", "commune_code"], unique=False
    )
    op.create_table(
        "loan_cap",
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("basis", sa.String(length=20), nullable=False),
        sa.Column("percent_of_basis", sa.Integer(), nullable=False),
        sa.Column("max_amount_vnd", sa.BigInteger(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("legal_basis", sa.String(length=300), nullable=False),
        sa.Column("uncertain", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("basis IN ('contract_value', 'estimate')", name=op.f("ck_loan_cap_basis_known")),
        sa.CheckConstraint(
            "purpose IN ('buy', 'lease_purchase', 'build_or_repair')", name=op.f("ck_loan_cap_purpose_known")
        ),
        sa.CheckConstraint(
            "max_amount_vnd IS NULL OR max_amount_vnd > 0", name=op.f("ck_loan_cap_max_positive")
        ),
        sa.CheckConstraint(
            "percent_of_basis > 0 AND percent_of_basis <= 100", name=op.f("ck_loan_cap_percent_range")
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from", name=op.f("ck_loan_cap_valid_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan_cap")),
        sa.UniqueConstraint("purpose", "valid_from", name=op.f("uq_loan_cap_purpose_valid_from")),
    )
    op.create_table(
        "loan_lending_plan",
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("planned_disbursement_vnd", sa.BigInteger(), nullable=False),
        sa.Column("planned_borrowers", sa.Integer(), nullable=True),
        sa.Column("legal_basis", sa.String(length=300), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "planned_disbursement_vnd >= 0", name=op.f("ck_loan_lending_plan_plan_non_negative")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan_lending_plan")),
        sa.UniqueConstraint("province_code", "year", name=op.f("uq_loan_lending_plan_province_code_year")),
    )
    op.create_table(
        "loan_rate",
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        sa.Column("overdue_rate_pct", sa.Integer(), nullable=False),
        sa.Column("legal_basis", sa.String(length=300), nullable=False),
        sa.Column("uncertain", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("rate_bp > 0 AND rate_bp < 10000", name=op.f("ck_loan_rate_rate_positive")),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from", name=op.f("ck_loan_rate_valid_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan_rate")),
        sa.UniqueConstraint("valid_from", name=op.f("uq_loan_rate_valid_from")),
    )
    op.create_table(
        "loan_reconciliation",
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("loan_count", sa.Integer(), nullable=False),
        sa.Column("outstanding_vnd", sa.BigInteger(), nullable=False),
        sa.Column("disbursed_vnd", sa.BigInteger(), nullable=False),
        sa.Column("bank_loans", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("posted_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "loan_count >= 0 AND outstanding_vnd >= 0 AND disbursed_vnd >= 0",
            name=op.f("ck_loan_reconciliation_totals_non_negative"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan_reconciliation")),
    )
    op.create_index(
        "ix_loan_reconciliation_province_code_as_of",
        "loan_reconciliation",
        ["province_code", "as_of"],
        unique=False,
    )
    op.create_table(
        "loan_event",
        sa.Column("loan_id", sa.Uuid(), nullable=False),
        sa.Column("bank_event_id", sa.String(length=64), nullable=False),
        sa.Column("bank_sequence", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_type", sa.String(length=30), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=True),
        sa.Column("rate_bp", sa.Integer(), nullable=True),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("contract_value_vnd", sa.BigInteger(), nullable=True),
        sa.Column("estimate_vnd", sa.BigInteger(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("received_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "event_type IN ('application_received', 'approved', 'rejected', 'disbursed', "
            "'repayment', 'overdue', 'settled')",
            name=op.f("ck_loan_event_type_known"),
        ),
        sa.CheckConstraint(
            "amount_vnd IS NULL OR amount_vnd >= 0", name=op.f("ck_loan_event_amount_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["loan_id"], ["loan.id"], name=op.f("fk_loan_event_loan_id_loan"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan_event")),
        sa.UniqueConstraint("loan_id", "bank_event_id", name=op.f("uq_loan_event_loan_id_bank_event_id")),
    )
    op.create_index(
        "ix_loan_event_loan_id_bank_sequence", "loan_event", ["loan_id", "bank_sequence"], unique=False
    )
    op.create_table(
        "loan_exception",
        sa.Column("loan_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=True),
        sa.Column("evidence", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.Column("closed_by", sa.String(length=200), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "reason IN ('unknown_borrower', 'ineligible_borrower', 'cap_exceeded', 'rate_mismatch')",
            name=op.f("ck_loan_exception_reason_known"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'resolved', 'dismissed')", name=op.f("ck_loan_exception_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["loan_id"], ["loan.id"], name=op.f("fk_loan_exception_loan_id_loan"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan_exception")),
        sa.UniqueConstraint("loan_id", "key", name=op.f("uq_loan_exception_loan_id_key")),
    )
    op.create_index(op.f("ix_loan_exception_loan_id"), "loan_exception", ["loan_id"], unique=False)
    op.create_index("ix_loan_exception_status_reason", "loan_exception", ["status", "reason"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_loan_exception_status_reason", table_name="loan_exception")
    op.drop_index(op.f("ix_loan_exception_loan_id"), table_name="loan_exception")
    op.drop_table("loan_exception")
    op.drop_index("ix_loan_event_loan_id_bank_sequence", table_name="loan_event")
    op.drop_table("loan_event")
    op.drop_index("ix_loan_reconciliation_province_code_as_of", table_name="loan_reconciliation")
    op.drop_table("loan_reconciliation")
    op.drop_table("loan_rate")
    op.drop_table("loan_lending_plan")
    op.drop_table("loan_cap")
    op.drop_index("ix_loan_province_code_commune_code", table_name="loan")
    op.drop_index(op.f("ix_loan_borrower_citizen_bidx"), table_name="loan")
    op.drop_table("loan")
