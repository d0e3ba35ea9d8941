"""resale history priority facts and reports

Revision ID: d0a1b2c3d401
Revises: a7f48b66e3f7
Create Date: 2026-11-28 17:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d0a1b2c3d401"
down_revision: str | None = "a7f48b66e3f7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


OLD_FORMS = "'01', '01a', '02', '03', '04', '05', 'merit_certificate', 'poverty_certificate'"
NEW_FORMS = OLD_FORMS + ", 'disability_certificate', 'resettlement_decision'"
OLD_RULES = (
    "'group_tenure', 'housing_condition', 'income_cap', 'never_supported', 'never_bought', 'one_project'"
)
NEW_RULES = (
    OLD_RULES
    + ", 'poverty_certificate', 'armed_forces_conditions', 'official_housing', 'far_from_work_pilot'"
)
OLD_STREAMS = "'merit', 'target_programme', 'campaign', 'socialization'"
OLD_KINDS = "'new_build', 'repair'"
OLD_OUTCOMES = "'in_progress', 'accepted', 'withdrawn'"


BACKFILL_CONTRACTS = """
INSERT INTO support_history (id, household_id, source, contract_id, person_ids, stream, kind, amount_vnd,
                             proposed_on, ended_on, outcome, province_code, commune_code, legacy_area_code)
SELECT gen_random_uuid(), p.household_id, 'contract', c.id,
       array_remove(ARRAY[a.applicant_person_id, a.spouse_person_id], NULL)
         || COALESCE((SELECT array_agg(m) FROM unnest(a.member_person_ids) AS m
                      WHERE m <> a.applicant_person_id AND m IS DISTINCT FROM a.spouse_person_id), '{}'),
       'social_housing', c.kind, c.price_vnd, c.signed_on, r.sold_on,
       CASE WHEN c.status = 'resold' THEN 'resold' ELSE 'contracted' END,
       p.province_code, p.commune_code, p.legacy_area_code
FROM housing_contract c
JOIN application a ON a.id = c.application_id
JOIN person p ON p.id = a.applicant_person_id
LEFT JOIN resale_event r ON r.contract_id = c.id
"""
BACKFILL_RESALES = """
INSERT INTO support_history (id, household_id, source, resale_event_id, person_ids, stream, kind, amount_vnd,
                             proposed_on, outcome, province_code, commune_code, legacy_area_code)
SELECT gen_random_uuid(), b.household_id, 'resale', r.id, ARRAY[b.id], 'social_housing', 'resale_purchase',
       r.price_vnd, r.sold_on, 'contracted', b.province_code, b.commune_code, b.legacy_area_code
FROM resale_event r
JOIN person b ON b.id = r.buyer_person_id
"""


def _replace_check(table: str, name: str, sql: str) -> None:
    op.drop_constraint(op.f(f"ck_{table}_{name}"), table, type_="check")
    op.create_check_constraint(op.f(f"ck_{table}_{name}"), table, sql)


def upgrade() -> None:
    # 1. The support history holds contracts and resales too.
    op.add_column(
        "support_history",
        sa.Column("source", sa.String(length=12), server_default="support_case", nullable=False),
    )
    op.add_column("support_history", sa.Column("contract_id", sa.Uuid(), nullable=True))
    op.add_column("support_history", sa.Column("resale_event_id", sa.Uuid(), nullable=True))
    op.alter_column("support_history", "support_case_id", existing_type=sa.Uuid(), nullable=True)
    op.alter_column("support_history", "kind", existing_type=sa.String(length=12), type_=sa.String(length=16))
    op.create_foreign_key(
        op.f("fk_support_history_contract_id_housing_contract"),
        "support_history",
        "housing_contract",
        ["contract_id"],
        ["id"],
    )
    op.create_foreign_key(
        op.f("fk_support_history_resale_event_id_resale_event"),
        "support_history",
        "resale_event",
        ["resale_event_id"],
        ["id"],
    )
    op.create_unique_constraint(op.f("uq_support_history_contract_id"), "support_history", ["contract_id"])
    op.create_unique_constraint(
        op.f("uq_support_history_resale_event_id"), "support_history", ["resale_event_id"]
    )
    _replace_check("support_history", "stream_known", f"stream IN ({OLD_STREAMS}, 'social_housing')")
    _replace_check(
        "support_history",
        "kind_known",
        f"kind IN ({OLD_KINDS}, 'sale', 'lease_purchase', 'rent', 'resale_purchase')",
    )
    _replace_check("support_history", "outcome_known", f"outcome IN ({OLD_OUTCOMES}, 'contracted', 'resold')")
    op.create_check_constraint(
        op.f("ck_support_history_source_known"),
        "support_history",
        "source IN ('support_case', 'contract', 'resale')",
    )
    op.create_check_constraint(
        op.f("ck_support_history_one_reference"),
        "support_history",
        "num_nonnulls(support_case_id, contract_id, resale_event_id) = 1",
    )
    op.create_check_constraint(
        op.f("ck_support_history_source_matches_reference"),
        "support_history",
        "(source = 'support_case') = (support_case_id IS NOT NULL) "
        "AND (source = 'contract') = (contract_id IS NOT NULL) "
        "AND (source = 'resale') = (resale_event_id IS NOT NULL)",
    )
    # Contracts and resales recorded before this revision get their history rows too.
    op.execute(BACKFILL_CONTRACTS)
    op.execute(BACKFILL_RESALES)
    # 2. Priority facts and the declared facts of the newly modelled conditions.
    op.add_column(
        "application",
        sa.Column("applicant_disabled", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.add_column(
        "application", sa.Column("resettled", sa.Boolean(), server_default=sa.text("false"), nullable=False)
    )
    op.add_column("application", sa.Column("lives_in_official_housing", sa.Boolean(), nullable=True))
    op.add_column("application", sa.Column("house_far_from_work", sa.Boolean(), nullable=True))
    _replace_check("application_evidence", "form_known", f"form IN ({NEW_FORMS})")
    _replace_check("eligibility_rule", "kind_known", f"kind IN ({NEW_RULES})")
    # A draft withdrawn before submission has no submission date (was a 500 on withdraw).
    _replace_check(
        "application", "submitted_has_date", "status IN ('draft', 'withdrawn') OR submitted_on IS NOT NULL"
    )
    # 3. Applications name a real project.
    op.create_foreign_key(
        op.f("fk_application_project_id_housing_project"),
        "application",
        "housing_project",
        ["project_id"],
        ["id"],
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_application_project_id_housing_project"), "application", type_="foreignkey")
    op.execute(
        "UPDATE application SET submitted_on = withdrawn_on "
        "WHERE status = 'withdrawn' AND submitted_on IS NULL"
    )
    _replace_check("application", "submitted_has_date", "status = 'draft' OR submitted_on IS NOT NULL")
    _replace_check("eligibility_rule", "kind_known", f"kind IN ({OLD_RULES})")
    _replace_check("application_evidence", "form_known", f"form IN ({OLD_FORMS})")
    op.drop_column("application", "house_far_from_work")
    op.drop_column("application", "lives_in_official_housing")
    op.drop_column("application", "resettled")
    op.drop_column("application", "applicant_disabled")
    op.execute("DELETE FROM support_history WHERE source <> 'support_case'")
    op.drop_constraint(op.f("ck_support_history_source_matches_reference"), "support_history", type_="check")
    op.drop_constraint(op.f("ck_support_history_one_reference"), "support_history", type_="check")
    op.drop_constraint(op.f("ck_support_history_source_known"), "support_history", type_="check")
    _replace_check("support_history", "outcome_known", f"outcome IN ({OLD_OUTCOMES})")
    _replace_check("support_history", "kind_known", f"kind IN ({OLD_KINDS})")
    _replace_check("support_history", "stream_known", f"stream IN ({OLD_STREAMS})")
    op.drop_constraint(op.f("uq_support_history_resale_event_id"), "support_history", type_="unique")
    op.drop_constraint(op.f("uq_support_history_contract_id"), "support_history", type_="unique")
    op.drop_constraint(
        op.f("fk_support_history_resale_event_id_resale_event"), "support_history", type_="foreignkey"
    )
    op.drop_constraint(
        op.f("fk_support_history_contract_id_housing_contract"), "support_history", type_="foreignkey"
    )
    op.alter_column("support_history", "kind", existing_type=sa.String(length=16), type_=sa.String(length=12))
    op.alter_column("support_history", "support_case_id", existing_type=sa.Uuid(), nullable=False)
    op.drop_column("support_history", "resale_event_id")
    op.drop_column("support_history", "contract_id")
    op.drop_column("support_history", "source")
