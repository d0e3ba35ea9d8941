"""ledger sources allocations and disbursements

Contributors, pledges and appropriations; the double-entry ledger (accounts, immutable journal
entries and lines, balances derived in a view) with its invariants enforced by triggers; allocations
(funding lines).

Revision ID: f0a1b2c3d401
Revises: 3630c5975182
Create Date: 2026-11-28 17:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f0a1b2c3d401"
down_revision: str | None = "3630c5975182"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


# Journal rows are never changed nor deleted: a correction is a reversing entry.
REFUSE_CHANGE = """
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger_immutable: % on % is refused; record a reversing entry', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'check_violation';
END
$$
"""

# Deferred to commit: the lines of one entry are inserted one by one, the sum must hold at the end.
ENTRY_BALANCED = """
CREATE FUNCTION ledger_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entry uuid;
    debits bigint;
    credits bigint;
    line_count integer;
BEGIN
    IF TG_TABLE_NAME = 'journal_entry' THEN
        entry := NEW.id;
    ELSE
        entry := NEW.entry_id;
    END IF;
    SELECT coalesce(sum(amount_vnd) FILTER (WHERE side = 'debit'), 0),
           coalesce(sum(amount_vnd) FILTER (WHERE side = 'credit'), 0),
           count(*)
      INTO debits, credits, line_count
      FROM journal_line WHERE entry_id = entry;
    IF line_count < 2 OR debits <> credits THEN
        RAISE EXCEPTION 'ledger_unbalanced: entry % has debits % and credits % in % lines',
            entry, debits, credits, line_count
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$
"""

# Every account keeps a non-negative normal balance: a source never goes below zero (so allocations
# never exceed what it has), a funding line never pays out more than it was allocated, and nothing is
# reversed twice over. The account row is locked first, and each statement of a plpgsql function
# takes a fresh snapshot: a concurrent writer waits here, then sees the other's committed lines.
ACCOUNT_NON_NEGATIVE = """
CREATE FUNCTION ledger_account_non_negative() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    account_kind text;
    normal_balance bigint;
BEGIN
    SELECT kind INTO account_kind FROM ledger_account WHERE id = NEW.account_id;
    IF (account_kind = 'source_inflow') = (NEW.side = 'credit') THEN
        RETURN NULL;  -- this line raises the account's normal balance
    END IF;
    PERFORM 1 FROM ledger_account WHERE id = NEW.account_id FOR UPDATE;
    SELECT coalesce(sum(CASE WHEN side = 'debit' THEN amount_vnd ELSE -amount_vnd END), 0)
      INTO normal_balance FROM journal_line WHERE account_id = NEW.account_id;
    IF account_kind = 'source_inflow' THEN
        normal_balance := -normal_balance;
    END IF;
    IF normal_balance < 0 THEN
        RAISE EXCEPTION 'ledger_overdrawn: % account % would be %',
            account_kind, NEW.account_id, normal_balance
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$
"""

BALANCE_VIEW = """
CREATE VIEW ledger_account_balance AS
SELECT a.id AS account_id,
       a.kind,
       a.source_id,
       a.allocation_id,
       a.province_code,
       coalesce(sum(l.amount_vnd) FILTER (WHERE l.side = 'debit'), 0)::bigint AS debit_vnd,
       coalesce(sum(l.amount_vnd) FILTER (WHERE l.side = 'credit'), 0)::bigint AS credit_vnd,
       (CASE WHEN a.kind = 'source_inflow' THEN -1 ELSE 1 END
        * coalesce(sum(CASE WHEN l.side = 'debit' THEN l.amount_vnd ELSE -l.amount_vnd END), 0))::bigint
           AS balance_vnd
  FROM ledger_account a
  LEFT JOIN journal_line l ON l.account_id = a.id
 GROUP BY a.id
"""


def upgrade() -> None:
    op.create_table(
        "funding_contributor",
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("tax_code", sa.String(length=20), nullable=True),
        sa.Column("country_code", sa.String(length=2), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        *timestamps(),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('enterprise_domestic', 'enterprise_foreign', 'organisation', 'community')",
            name=op.f("ck_funding_contributor_kind_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_contributor")),
        sa.UniqueConstraint("province_code", "name", name=op.f("uq_funding_contributor_province_code_name")),
    )
    op.create_table(
        "funding_commitment",
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("contributor_id", sa.Uuid(), nullable=True),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("fiscal_year", sa.SmallInteger(), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.Column("decision_number", sa.String(length=50), nullable=False),
        sa.Column("decision_date", sa.Date(), nullable=False),
        sa.Column("decision_issuer", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        *timestamps(),
        sa.CheckConstraint("amount_vnd > 0", name=op.f("ck_funding_commitment_amount_positive")),
        sa.CheckConstraint(
            "fiscal_year BETWEEN 2000 AND 2100", name=op.f("ck_funding_commitment_fiscal_year_plausible")
        ),
        sa.CheckConstraint(
            "kind = 'pledge' OR contributor_id IS NULL",
            name=op.f("ck_funding_commitment_appropriation_has_no_contributor"),
        ),
        sa.CheckConstraint(
            "kind IN ('pledge', 'appropriation')", name=op.f("ck_funding_commitment_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["contributor_id"],
            ["funding_contributor.id"],
            name=op.f("fk_funding_commitment_contributor_id_funding_contributor"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["funding_source.id"], name=op.f("fk_funding_commitment_source_id_funding_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_commitment")),
    )
    op.create_index(
        op.f("ix_funding_commitment_contributor_id"), "funding_commitment", ["contributor_id"], unique=False
    )
    op.create_index(
        op.f("ix_funding_commitment_province_code"), "funding_commitment", ["province_code"], unique=False
    )
    op.create_index(
        op.f("ix_funding_commitment_source_id"), "funding_commitment", ["source_id"], unique=False
    )

    op.create_table(
        "funding_allocation",
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("target_kind", sa.String(length=20), nullable=False),
        sa.Column("support_case_id", sa.Uuid(), nullable=True),
        sa.Column("project_id", sa.Uuid(), nullable=True),
        sa.Column("programme", sa.String(length=100), nullable=True),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=True),
        sa.Column("decision_number", sa.String(length=50), nullable=False),
        sa.Column("decision_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        *timestamps(),
        sa.CheckConstraint(
            "(target_kind = 'support_case') = (support_case_id IS NOT NULL)"
            " AND (target_kind = 'housing_project') = (project_id IS NOT NULL)"
            " AND (target_kind = 'programme') = (programme IS NOT NULL)",
            name=op.f("ck_funding_allocation_one_target"),
        ),
        sa.CheckConstraint(
            "target_kind IN ('support_case', 'housing_project', 'programme')",
            name=op.f("ck_funding_allocation_target_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["funding_source.id"], name=op.f("fk_funding_allocation_source_id_funding_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_allocation")),
    )
    op.create_index("ix_funding_allocation_area", "funding_allocation", ["province_code", "commune_code"])
    op.create_index(
        op.f("ix_funding_allocation_project_id"), "funding_allocation", ["project_id"], unique=False
    )
    op.create_index(
        op.f("ix_funding_allocation_source_id"), "funding_allocation", ["source_id"], unique=False
    )
    op.create_index(
        op.f("ix_funding_allocation_support_case_id"), "funding_allocation", ["support_case_id"], unique=False
    )

    op.create_table(
        "ledger_account",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("allocation_id", sa.Uuid(), nullable=True),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "(kind IN ('allocation', 'disbursed')) = (allocation_id IS NOT NULL)",
            name=op.f("ck_ledger_account_allocation_iff_line"),
        ),
        sa.CheckConstraint(
            "kind IN ('source_inflow', 'source_cash', 'allocation', 'disbursed')",
            name=op.f("ck_ledger_account_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["allocation_id"],
            ["funding_allocation.id"],
            name=op.f("fk_ledger_account_allocation_id_funding_allocation"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["funding_source.id"], name=op.f("fk_ledger_account_source_id_funding_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_account")),
    )
    op.create_index(
        op.f("ix_ledger_account_province_code"), "ledger_account", ["province_code"], unique=False
    )
    op.create_index(
        "uq_ledger_account_allocation_kind",
        "ledger_account",
        ["allocation_id", "kind"],
        unique=True,
        postgresql_where="allocation_id IS NOT NULL",
    )
    op.create_index(
        "uq_ledger_account_source_kind",
        "ledger_account",
        ["source_id", "kind"],
        unique=True,
        postgresql_where="allocation_id IS NULL",
    )

    op.create_table(
        "journal_entry",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("booked_on", sa.Date(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("allocation_id", sa.Uuid(), nullable=True),
        sa.Column("commitment_id", sa.Uuid(), nullable=True),
        sa.Column("reverses_id", sa.Uuid(), nullable=True),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "(kind = 'reversal') = (reverses_id IS NOT NULL)",
            name=op.f("ck_journal_entry_reversal_names_entry"),
        ),
        sa.CheckConstraint(
            "kind IN ('receipt', 'allocation', 'disbursement', 'reversal')",
            name=op.f("ck_journal_entry_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["allocation_id"],
            ["funding_allocation.id"],
            name=op.f("fk_journal_entry_allocation_id_funding_allocation"),
        ),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["funding_commitment.id"],
            name=op.f("fk_journal_entry_commitment_id_funding_commitment"),
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"], ["journal_entry.id"], name=op.f("fk_journal_entry_reverses_id_journal_entry")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["funding_source.id"], name=op.f("fk_journal_entry_source_id_funding_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_entry")),
        sa.UniqueConstraint("reverses_id", name=op.f("uq_journal_entry_reverses_id")),
    )
    op.create_index(op.f("ix_journal_entry_allocation_id"), "journal_entry", ["allocation_id"], unique=False)
    op.create_index(op.f("ix_journal_entry_province_code"), "journal_entry", ["province_code"], unique=False)
    op.create_index(
        "ix_journal_entry_source_booked", "journal_entry", ["source_id", "booked_on"], unique=False
    )

    op.create_table(
        "journal_line",
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("side", sa.String(length=6), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("amount_vnd > 0", name=op.f("ck_journal_line_amount_positive")),
        sa.CheckConstraint("side IN ('debit', 'credit')", name=op.f("ck_journal_line_side_known")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["ledger_account.id"], name=op.f("fk_journal_line_account_id_ledger_account")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["journal_entry.id"], name=op.f("fk_journal_line_entry_id_journal_entry")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_line")),
    )
    op.create_index(op.f("ix_journal_line_account_id"), "journal_line", ["account_id"], unique=False)
    op.create_index(op.f("ix_journal_line_entry_id"), "journal_line", ["entry_id"], unique=False)

    op.execute(REFUSE_CHANGE)
    op.execute(ENTRY_BALANCED)
    op.execute(ACCOUNT_NON_NEGATIVE)
    for table in ("journal_entry", "journal_line"):
        op.execute(
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"
        )
    for table in ("journal_entry", "journal_line"):  # an entry without lines is caught too
        op.execute(
            f"CREATE CONSTRAINT TRIGGER {table}_balanced AFTER INSERT ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_balanced()"
        )
    op.execute(
        "CREATE TRIGGER journal_line_account_non_negative AFTER INSERT ON journal_line "
        "FOR EACH ROW EXECUTE FUNCTION ledger_account_non_negative()"
    )
    op.execute(BALANCE_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW ledger_account_balance")
    op.drop_table("journal_line")
    op.drop_table("journal_entry")
    op.drop_table("ledger_account")
    op.drop_table("funding_allocation")
    op.drop_table("funding_commitment")
    op.drop_table("funding_contributor")
    op.execute("DROP FUNCTION ledger_account_non_negative()")
    op.execute("DROP FUNCTION ledger_entry_balanced()")
    op.execute("DROP FUNCTION ledger_refuse_change()")
