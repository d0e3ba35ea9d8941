"""The integrity signals, computed in SQL from the registry's own tables on every read (nothing is
stored): one SELECT per kind, united, filtered by area and kind, keyset-paginated by `key`.
Definitions: docs/rules/integrity-signals.md."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import String

from servicekit.areas import AreaScope

COLUMNS = (
    "key, kind, person_id, household_id, application_id, contract_id, project_id, "
    "province_code, commune_code, observed_at, evidence"
)

# Support history rows the only-once rules count: live support cases, contracts and resales bought.
COUNTED = """
    SELECT h.id, h.household_id, h.person_ids, h.source, h.kind, h.proposed_on, h.created_at,
           COALESCE(h.support_case_id, h.contract_id, h.resale_event_id) AS ref
    FROM support_history h
    WHERE (h.source = 'support_case' AND h.outcome = ANY(:support_outcomes))
       OR (h.source IN ('contract', 'resale') AND h.kind = ANY(:bought_kinds))
"""

SUPPORT_ITEM = (
    "jsonb_build_object('source', c.source, 'ref', c.ref, 'kind', c.kind, 'on', c.proposed_on, "
    "'household_id', c.household_id)"
)

SQL: dict[str, str] = {
    # A household with two or more counted supports; a person with two or more in different households
    # (within one household the household's signal already says it).
    "supported_twice": f"""
    SELECT 'supported_twice:household:' || c.household_id, 'supported_twice', NULL::uuid, c.household_id,
           NULL::uuid, NULL::uuid, NULL::uuid, hh.province_code, hh.commune_code, max(c.created_at),
           jsonb_build_object('scope', 'household', 'rule_codes', :only_once_codes,
                              'supports', jsonb_agg({SUPPORT_ITEM} ORDER BY c.proposed_on, c.id))
    FROM ({COUNTED}) c JOIN household hh ON hh.id = c.household_id
    GROUP BY c.household_id, hh.province_code, hh.commune_code
    HAVING count(*) >= 2
    UNION ALL
    SELECT 'supported_twice:' || p.pid, 'supported_twice', p.pid, per.household_id,
           NULL::uuid, NULL::uuid, NULL::uuid, per.province_code, per.commune_code, max(c.created_at),
           jsonb_build_object('scope', 'person', 'rule_codes', :only_once_codes,
                              'supports', jsonb_agg({SUPPORT_ITEM} ORDER BY c.proposed_on, c.id))
    FROM ({COUNTED}) c CROSS JOIN LATERAL unnest(c.person_ids) AS p(pid) JOIN person per ON per.id = p.pid
    GROUP BY p.pid, per.household_id, per.province_code, per.commune_code
    HAVING count(*) >= 2 AND count(DISTINCT c.household_id) >= 2
    """,  # noqa: S608 - constant fragments of this module
    # The latest evaluation of a live application fails: a bank confirmation given on or after the
    # assessment if there is one, else the trace stored by the assessment.
    "ineligible_application": """
    SELECT 'ineligible_application:' || a.id, 'ineligible_application', a.applicant_person_id,
           per.household_id, a.id, hc.id, a.project_id, a.province_code, a.commune_code,
           COALESCE(conf.created_at, a.updated_at),
           jsonb_build_object('status', a.status,
                              'evaluation',
                              CASE WHEN conf.id IS NULL THEN 'assessment' ELSE 'confirmation' END,
                              'confirmation_id', conf.id, 'as_of', COALESCE(conf.as_of, a.submitted_on),
                              'assessed_on', a.assessed_on, 'failed_rules', f.failed)
    FROM application a
    JOIN person per ON per.id = a.applicant_person_id
    LEFT JOIN housing_contract hc ON hc.application_id = a.id
    LEFT JOIN LATERAL (
        SELECT ec.id, ec.created_at, ec.as_of, ec.reasons FROM eligibility_confirmation ec
        WHERE ec.application_id = a.id AND (a.assessed_on IS NULL OR ec.as_of >= a.assessed_on)
        ORDER BY ec.created_at DESC, ec.id DESC LIMIT 1
    ) conf ON true
    CROSS JOIN LATERAL (
        SELECT COALESCE(jsonb_agg(COALESCE(e->>'rule_code', e->>'reason')), '[]'::jsonb) AS failed
        FROM jsonb_array_elements(
            CASE WHEN conf.id IS NULL THEN COALESCE(a.eligibility_trace, '[]'::jsonb) ELSE conf.reasons END
        ) e
        WHERE e->>'outcome' = 'fail'
    ) f
    WHERE a.status IN ('submitted', 'eligible', 'allocated') AND jsonb_array_length(f.failed) > 0
    """,
    # A resale inside the lock (whatever the buyer), or less than the lock's years after signing.
    "resale_within_lock": """
    SELECT 'resale_within_lock:' || r.id, 'resale_within_lock', c.applicant_person_id, per.household_id,
           c.application_id, c.id, c.project_id, r.province_code, r.commune_code, r.created_at,
           jsonb_build_object('resale_id', r.id, 'contract_kind', c.kind, 'signed_on', c.signed_on,
                              'fully_paid_on', c.fully_paid_on, 'sold_on', r.sold_on,
                              'lock_ends_on', r.lock_ends_on, 'within_lock', r.within_lock,
                              'buyer_kind', r.buyer_kind, 'buyer_person_id', r.buyer_person_id,
                              'rule_code', ar.code, 'lock_years', ar.params->'years')
    FROM resale_event r
    JOIN housing_contract c ON c.id = r.contract_id
    JOIN allocation_rule ar ON ar.id = r.lock_rule_id
    JOIN person per ON per.id = c.applicant_person_id
    WHERE r.within_lock
       OR r.sold_on < c.signed_on + make_interval(years => (ar.params->>'years')::int)
    """,
    # A person (applicant or spouse) on open applications at two or more projects.
    "multiple_open_applications": """
    SELECT 'multiple_open_applications:' || i.pid, 'multiple_open_applications', i.pid, per.household_id,
           NULL::uuid, NULL::uuid, NULL::uuid, per.province_code, per.commune_code, max(i.updated_at),
           jsonb_build_object('rule_codes', :one_project_codes,
                              'applications', jsonb_agg(jsonb_build_object(
                                  'application_id', i.id, 'project_id', i.project_id, 'status', i.status,
                                  'submitted_on', i.submitted_on) ORDER BY i.id))
    FROM (
        SELECT a.id, a.project_id, a.status, a.submitted_on, a.updated_at, x.pid
        FROM application a
        CROSS JOIN LATERAL (VALUES (a.applicant_person_id), (a.spouse_person_id)) AS x(pid)
        WHERE a.status IN ('draft', 'submitted', 'eligible') AND x.pid IS NOT NULL
    ) i
    JOIN person per ON per.id = i.pid
    GROUP BY i.pid, per.household_id, per.province_code, per.commune_code
    HAVING count(DISTINCT i.project_id) >= 2
    """,
}


TYPES: dict[str, Any] = {
    "provinces": ARRAY(String()),
    "communes": ARRAY(String()),
    "support_outcomes": ARRAY(String()),
    "bought_kinds": ARRAY(String()),
    "only_once_codes": JSONB(),
    "one_project_codes": JSONB(),
}


class SignalRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(
        self,
        area: AreaScope,
        kinds: Sequence[str],
        *,
        after: str | None,
        limit: int,
        support_outcomes: list[str],
        bought_kinds: list[str],
        only_once_codes: list[str],
        one_project_codes: list[str],
    ) -> list[dict[str, Any]]:
        """Up to `limit` signals of these kinds in the area, after the key `after`, by key."""
        if not area.provinces and not area.communes:
            return []
        union = "\nUNION ALL\n".join(f"({SQL[k]})" for k in kinds)
        stmt = text(
            f"""
            SELECT * FROM ({union}) AS s({COLUMNS})
            WHERE (s.province_code = ANY(:provinces) OR s.commune_code = ANY(:communes))
              AND (CAST(:after AS text) IS NULL OR s.key COLLATE "C" > CAST(:after AS text) COLLATE "C")
            ORDER BY s.key COLLATE "C"
            LIMIT :limit
            """  # noqa: S608 - the fragments are constants of this module
        )
        values: dict[str, Any] = {
            "provinces": sorted(area.provinces),
            "communes": sorted(area.communes),
            "after": after,
            "limit": limit,
            "support_outcomes": support_outcomes,
            "bought_kinds": bought_kinds,
            "only_once_codes": only_once_codes,
            "one_project_codes": one_project_codes,
        }
        used = {name for name in values if f":{name}" in stmt.text}
        stmt = stmt.bindparams(
            *(bindparam(name, type_=TYPES[name]) for name in sorted(used) if name in TYPES)
        )
        rows = (await self.session.execute(stmt, {k: v for k, v in values.items() if k in used})).mappings()
        return [dict(r) for r in rows]
