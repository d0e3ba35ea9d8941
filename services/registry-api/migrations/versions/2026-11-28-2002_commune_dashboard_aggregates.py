"""commune dashboard aggregates

Revision ID: d0a1b2c3d503
Revises: d0a1b2c3d502
Create Date: 2026-11-28 20:00:00+00:00

Stored per-commune dashboard counts (`commune_dashboard_counts`), kept exact by statement-level
triggers with transition tables on household, dwelling, dwelling_assessment, beneficiary_category and
support_case, and rebuilt from scratch by `dashboard_rebuild()` (called here as the backfill, and by
`python -m registry_api.manage rebuild-dashboards`). docs/performance.md §4 explains the design.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d0a1b2c3d503"
down_revision: str | None = "d0a1b2c3d502"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What each household counts under, on which days: derived from the base tables only, so the triggers
# and the rebuild cannot disagree. The rules are the dashboards' (registry_api.dashboard):
# - household_condition: open on the day (closed_on NULL or later), keyed by the class of the latest
#   assessment on or before the day of a dwelling the household lived in that day, else not_assessed;
# - temporary_house_remaining: as above, the dwelling qualifying (temporary or dilapidated, qualifies),
#   the household having some qualifying assessment, and no accepted case accepted on or before the day;
# - household_category: open now (closed_on NULL), holding a category of the kind valid on the day
#   (overlapping or adjacent validities of one kind merged: a household counts once per kind).
# A household's state can only change on one of its "points" (a dwelling's first day or the day after
# its last, an assessment's day, the closing day, an acceptance day), so it is evaluated there and
# consecutive equal states are merged into spans [starts, ends).
HOUSEHOLD_SPANS = """
CREATE FUNCTION dashboard_household_spans(ids uuid[])
RETURNS TABLE (household_id uuid, metric varchar, key varchar, starts date, ends date,
               province_code varchar, commune_code varchar, legacy_area_code varchar)
LANGUAGE sql STABLE AS $$
WITH hh AS (
    SELECT h.id, h.province_code, h.commune_code, coalesce(h.legacy_area_code, '') AS legacy, h.closed_on,
           EXISTS (SELECT 1 FROM dwelling_assessment q WHERE q.household_id = h.id AND q.qualifies)
               AS ever_qualified
    FROM (SELECT DISTINCT unnest(ids) AS id) a JOIN household h ON h.id = a.id
),
points AS (
    SELECT hh.id, '-infinity'::date AS p FROM hh
    UNION SELECT d.household_id, d.since FROM hh JOIN dwelling d ON d.household_id = hh.id
    UNION SELECT d.household_id, d.ended_on + 1
          FROM hh JOIN dwelling d ON d.household_id = hh.id WHERE d.ended_on IS NOT NULL
    UNION SELECT d.household_id, a.assessed_on
          FROM hh JOIN dwelling d ON d.household_id = hh.id JOIN dwelling_assessment a ON a.dwelling_id = d.id
    UNION SELECT hh.id, hh.closed_on FROM hh WHERE hh.closed_on IS NOT NULL
    UNION SELECT s.household_id, s.accepted_on
          FROM hh JOIN support_case s ON s.household_id = hh.id
          WHERE s.status = 'accepted' AND s.accepted_on IS NOT NULL
),
states AS (
    SELECT pt.id, pt.p,
           CASE WHEN hh.closed_on IS NULL OR hh.closed_on > pt.p
                THEN coalesce(latest.classification, 'not_assessed') END AS condition,
           (hh.closed_on IS NULL OR hh.closed_on > pt.p)
               AND hh.ever_qualified
               AND coalesce(latest.classification IN ('temporary', 'dilapidated') AND latest.qualifies, false)
               AND NOT EXISTS (
                   SELECT 1 FROM support_case s
                   WHERE s.household_id = pt.id AND s.status = 'accepted' AND s.accepted_on <= pt.p
               ) AS remaining
    FROM points pt
    JOIN hh ON hh.id = pt.id
    LEFT JOIN LATERAL (
        SELECT a.classification, a.qualifies
        FROM dwelling_assessment a JOIN dwelling d ON d.id = a.dwelling_id
        WHERE d.household_id = pt.id AND d.since <= pt.p AND (d.ended_on IS NULL OR d.ended_on >= pt.p)
          AND a.assessed_on <= pt.p
        ORDER BY a.assessed_on DESC, a.created_at DESC, a.id DESC
        LIMIT 1
    ) latest ON true
),
changes AS (
    SELECT id, p, condition, remaining,
           row_number() OVER w = 1 OR condition IS DISTINCT FROM lag(condition) OVER w AS condition_changed,
           row_number() OVER w = 1 OR remaining IS DISTINCT FROM lag(remaining) OVER w AS remaining_changed
    FROM states
    WINDOW w AS (PARTITION BY id ORDER BY p)
),
condition_spans AS (
    SELECT id, condition AS key, p AS starts,
           coalesce(lead(p) OVER (PARTITION BY id ORDER BY p), 'infinity'::date) AS ends
    FROM changes WHERE condition_changed
),
remaining_spans AS (
    SELECT id, remaining, p AS starts,
           coalesce(lead(p) OVER (PARTITION BY id ORDER BY p), 'infinity'::date) AS ends
    FROM changes WHERE remaining_changed
),
validity AS (
    SELECT c.household_id AS id, c.kind, c.valid_from AS f, coalesce(c.valid_to + 1, 'infinity'::date) AS t
    FROM hh JOIN beneficiary_category c ON c.household_id = hh.id
    WHERE hh.closed_on IS NULL
),
islands AS (
    SELECT id, kind, f, t,
           sum(CASE WHEN f <= reach THEN 0 ELSE 1 END) OVER (PARTITION BY id, kind ORDER BY f, t) AS island
    FROM (
        SELECT id, kind, f, t,
               max(t) OVER (PARTITION BY id, kind ORDER BY f, t
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
        FROM validity
    ) v
),
spans AS (
    SELECT id, 'household_condition' AS metric, key, starts, ends FROM condition_spans WHERE key IS NOT NULL
    UNION ALL
    SELECT id, 'temporary_house_remaining', 'remaining', starts, ends FROM remaining_spans WHERE remaining
    UNION ALL
    SELECT id, 'household_category', kind, min(f), max(t) FROM islands GROUP BY id, kind, island
)
SELECT s.id, s.metric::varchar, s.key::varchar, s.starts, s.ends,
       hh.province_code::varchar, hh.commune_code::varchar, hh.legacy::varchar
FROM spans s JOIN hh ON hh.id = s.id
$$
"""

# Adds dated changes to the counts: each in the unit's total, its month and its day (changes dated
# '-infinity', i.e. true since before any date, only in the total). Rows are upserted in key order, so
# concurrent writers lock counts in the same order (no deadlock among them), and `n = n + excluded.n`
# loses no concurrent increment.
UPSERT_COUNTS = """
INSERT INTO commune_dashboard_counts AS c
    (metric, grain, bucket, key, province_code, commune_code, legacy_area_code, n)
SELECT d.metric, g.grain, g.bucket, d.key, d.province_code, d.commune_code, d.legacy_area_code, sum(d.n)
FROM deltas d
CROSS JOIN LATERAL (VALUES ('total', 'infinity'::date),
                           ('month', date_trunc('month', d.day::timestamp)::date),
                           ('day', d.day)) AS g (grain, bucket)
WHERE g.grain = 'total' OR isfinite(d.day)
GROUP BY 1, 2, 3, 4, 5, 6, 7
HAVING sum(d.n) <> 0
ORDER BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (metric, grain, bucket, key, province_code, commune_code, legacy_area_code)
DO UPDATE SET n = c.n + excluded.n
"""

# Replaces the spans of some households and applies the difference to the counts, in one statement:
# its DELETE and INSERT see the same snapshot, so the new spans are not deleted again. With `lock`,
# the households are locked first (FOR NO KEY UPDATE, in id order) and the spans computed by a later
# statement, whose snapshot (READ COMMITTED) sees every change committed by a concurrent writer of the
# same household; without it (new households only), no one else can see them anyway.
REFRESH_HOUSEHOLDS = f"""
CREATE FUNCTION dashboard_refresh_households(ids uuid[], lock boolean DEFAULT true)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    IF lock THEN
        PERFORM 1 FROM household WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE;
    END IF;
    WITH gone AS (
        DELETE FROM dashboard_household_span s WHERE s.household_id = ANY(ids) RETURNING s.*
    ),
    made AS (
        INSERT INTO dashboard_household_span
        SELECT * FROM dashboard_household_spans(ids)
        RETURNING *
    ),
    deltas AS (
        SELECT metric, key, province_code, commune_code, legacy_area_code, starts AS day, -1 AS n FROM gone
        UNION ALL
        SELECT metric, key, province_code, commune_code, legacy_area_code, ends, 1
        FROM gone WHERE ends <> 'infinity'
        UNION ALL
        SELECT metric, key, province_code, commune_code, legacy_area_code, starts, 1 FROM made
        UNION ALL
        SELECT metric, key, province_code, commune_code, legacy_area_code, ends, -1
        FROM made WHERE ends <> 'infinity'
    )
    {UPSERT_COUNTS};
END
$$
"""  # noqa: S608 (SQL from this file's constants only)

# Support cases are counted case by case (by the day proposed, under their own unit), from the
# transition tables: minus the old rows, plus the new ones.
CASE_DELTAS = """
SELECT m.metric, m.key, r.province_code, r.commune_code, coalesce(r.legacy_area_code, '') AS legacy_area_code,
       r.proposed_on AS day, r.sign AS n
FROM {rows} r
CROSS JOIN LATERAL (VALUES ('support_case_stream', r.stream), ('support_case_kind', r.kind),
                           ('support_case_status', r.status)) AS m (metric, key)
"""

TRIGGER_FUNCTIONS = {
    # Households: every row inserted or deleted; on update, those whose closing day or codes changed.
    "household": """
    IF TG_OP = 'INSERT' THEN
        PERFORM dashboard_refresh_households(ARRAY(SELECT id FROM new_rows), false);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM dashboard_refresh_households(ARRAY(SELECT id FROM old_rows));
    ELSE
        PERFORM dashboard_refresh_households(ARRAY(
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.closed_on, n.province_code, n.commune_code, n.legacy_area_code)
                  IS DISTINCT FROM (o.closed_on, o.province_code, o.commune_code, o.legacy_area_code)));
    END IF;
""",
    "dwelling": """
    IF TG_OP = 'INSERT' THEN
        PERFORM dashboard_refresh_households(ARRAY(SELECT DISTINCT household_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM dashboard_refresh_households(ARRAY(SELECT DISTINCT household_id FROM old_rows));
    ELSE
        PERFORM dashboard_refresh_households(ARRAY(
            SELECT x.household_id
            FROM new_rows n JOIN old_rows o ON o.id = n.id,
                 LATERAL (VALUES (n.household_id), (o.household_id)) x (household_id)
            WHERE (n.household_id, n.since, n.ended_on)
                  IS DISTINCT FROM (o.household_id, o.since, o.ended_on)));
    END IF;
""",
    # An assessment counts for the household of its dwelling; `household_id` says who ever qualified.
    "dwelling_assessment": """
    IF TG_OP = 'INSERT' THEN
        PERFORM dashboard_refresh_households(ARRAY(
            SELECT household_id FROM new_rows
            UNION SELECT d.household_id FROM new_rows n JOIN dwelling d ON d.id = n.dwelling_id));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM dashboard_refresh_households(ARRAY(
            SELECT household_id FROM old_rows
            UNION SELECT d.household_id FROM old_rows o JOIN dwelling d ON d.id = o.dwelling_id));
    ELSE
        PERFORM dashboard_refresh_households(ARRAY(
            WITH changed AS (
                SELECT n.household_id AS new_household, o.household_id AS old_household,
                       n.dwelling_id AS new_dwelling, o.dwelling_id AS old_dwelling
                FROM new_rows n JOIN old_rows o ON o.id = n.id
                WHERE (n.dwelling_id, n.household_id, n.assessed_on, n.classification, n.qualifies,
                       n.created_at)
                      IS DISTINCT FROM (o.dwelling_id, o.household_id, o.assessed_on, o.classification,
                                        o.qualifies, o.created_at)
            )
            SELECT new_household FROM changed
            UNION SELECT old_household FROM changed
            UNION SELECT d.household_id
                  FROM changed c JOIN dwelling d ON d.id IN (c.new_dwelling, c.old_dwelling)));
    END IF;
""",
    "beneficiary_category": """
    IF TG_OP = 'INSERT' THEN
        PERFORM dashboard_refresh_households(ARRAY(SELECT DISTINCT household_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM dashboard_refresh_households(ARRAY(SELECT DISTINCT household_id FROM old_rows));
    ELSE
        PERFORM dashboard_refresh_households(ARRAY(
            SELECT x.household_id
            FROM new_rows n JOIN old_rows o ON o.id = n.id,
                 LATERAL (VALUES (n.household_id), (o.household_id)) x (household_id)
            WHERE (n.household_id, n.kind, n.valid_from, n.valid_to)
                  IS DISTINCT FROM (o.household_id, o.kind, o.valid_from, o.valid_to)));
    END IF;
""",
    # Cases: their own counts (stream, kind, status by day proposed), and their household's remaining
    # houses (an accepted case resolves it from the day accepted).
    "support_case": f"""
    IF TG_OP = 'INSERT' THEN
        WITH case_rows AS (SELECT *, 1 AS sign FROM new_rows),
             deltas AS ({CASE_DELTAS.format(rows="case_rows")})
        {UPSERT_COUNTS};
        PERFORM dashboard_refresh_households(ARRAY(
            SELECT DISTINCT household_id FROM new_rows WHERE status = 'accepted'));
    ELSIF TG_OP = 'DELETE' THEN
        WITH case_rows AS (SELECT *, -1 AS sign FROM old_rows),
             deltas AS ({CASE_DELTAS.format(rows="case_rows")})
        {UPSERT_COUNTS};
        PERFORM dashboard_refresh_households(ARRAY(
            SELECT DISTINCT household_id FROM old_rows WHERE status = 'accepted'));
    ELSE
        WITH changed AS (
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.stream, n.kind, n.status, n.proposed_on, n.province_code, n.commune_code,
                   n.legacy_area_code)
                  IS DISTINCT FROM (o.stream, o.kind, o.status, o.proposed_on, o.province_code,
                                    o.commune_code, o.legacy_area_code)
        ),
        case_rows AS (
            SELECT o.*, -1 AS sign FROM old_rows o WHERE o.id IN (SELECT id FROM changed)
            UNION ALL
            SELECT n.*, 1 FROM new_rows n WHERE n.id IN (SELECT id FROM changed)
        ),
        deltas AS ({CASE_DELTAS.format(rows="case_rows")})
        {UPSERT_COUNTS};
        PERFORM dashboard_refresh_households(ARRAY(
            SELECT x.household_id
            FROM new_rows n JOIN old_rows o ON o.id = n.id,
                 LATERAL (VALUES (n.household_id), (o.household_id)) x (household_id)
            WHERE (n.household_id, n.status = 'accepted', n.accepted_on)
                  IS DISTINCT FROM (o.household_id, o.status = 'accepted', o.accepted_on)
              AND (n.status = 'accepted' OR o.status = 'accepted')));
    END IF;
""",  # noqa: S608 (SQL from this file's constants only)
}

# Rebuild from scratch (repair, and after a bulk load with the triggers disabled): every span from the
# base tables, a chunk of households at a time, then every count from the spans and the cases. TRUNCATE
# locks both tables first, so concurrent writers wait, then refresh their households on top.
REBUILD = f"""
CREATE FUNCTION dashboard_rebuild(chunk integer DEFAULT 50000) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    ids uuid[];
    last_id uuid := NULL;
    spans bigint := 0;
BEGIN
    TRUNCATE dashboard_household_span, commune_dashboard_counts;
    LOOP
        ids := ARRAY(SELECT id FROM household WHERE last_id IS NULL OR id > last_id ORDER BY id LIMIT chunk);
        EXIT WHEN cardinality(ids) = 0;
        INSERT INTO dashboard_household_span SELECT * FROM dashboard_household_spans(ids);
        last_id := ids[cardinality(ids)];
    END LOOP;
    WITH deltas AS (
        SELECT metric, key, province_code, commune_code, legacy_area_code, starts AS day, 1 AS n
        FROM dashboard_household_span
        UNION ALL
        SELECT metric, key, province_code, commune_code, legacy_area_code, ends, -1
        FROM dashboard_household_span WHERE ends <> 'infinity'
        UNION ALL
        SELECT * FROM ({CASE_DELTAS.format(rows="(SELECT *, 1 AS sign FROM support_case)")}) cases
    )
    {UPSERT_COUNTS};
    SELECT count(*) INTO spans FROM dashboard_household_span;
    RETURN spans;
END
$$
"""  # noqa: S608 (SQL from this file's constants only)


def _trigger_function(table: str, body: str) -> str:
    return f"""
CREATE FUNCTION dashboard_on_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{body}
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "commune_dashboard_counts",
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("grain", sa.String(length=5), nullable=False),
        sa.Column("bucket", sa.Date(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=False),
        sa.Column("legacy_area_code", sa.String(length=16), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "metric",
            "grain",
            "bucket",
            "key",
            "province_code",
            "commune_code",
            "legacy_area_code",
            name=op.f("pk_commune_dashboard_counts"),
        ),
    )
    op.create_table(
        "dashboard_household_span",
        sa.Column("household_id", sa.Uuid(), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("ends", sa.Date(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("commune_code", sa.String(length=5), nullable=False),
        sa.Column("legacy_area_code", sa.String(length=16), nullable=False),
    )
    op.create_index(
        "ix_dashboard_household_span_household_id", "dashboard_household_span", ["household_id"], unique=False
    )
    op.execute(HOUSEHOLD_SPANS)
    op.execute(REFRESH_HOUSEHOLDS)
    op.execute(REBUILD)
    for table, body in TRIGGER_FUNCTIONS.items():
        op.execute(_trigger_function(table, body))
        # Statement-level with transition tables: one refresh per statement, also for COPY and
        # multi-row inserts (a row trigger would refresh once per row).
        op.execute(
            f"CREATE TRIGGER dashboard_{table}_insert AFTER INSERT ON {table} "
            f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_on_{table}()"
        )
        op.execute(
            f"CREATE TRIGGER dashboard_{table}_update AFTER UPDATE ON {table} "
            f"REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION dashboard_on_{table}()"
        )
        op.execute(
            f"CREATE TRIGGER dashboard_{table}_delete AFTER DELETE ON {table} "
            f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_on_{table}()"
        )
    # The backfill.
    op.execute("SELECT dashboard_rebuild()")


def downgrade() -> None:
    for table in reversed(list(TRIGGER_FUNCTIONS)):
        for event in ("delete", "update", "insert"):
            op.execute(f"DROP TRIGGER dashboard_{table}_{event} ON {table}")
        op.execute(f"DROP FUNCTION dashboard_on_{table}()")
    op.execute("DROP FUNCTION dashboard_rebuild(integer)")
    op.execute("DROP FUNCTION dashboard_refresh_households(uuid[], boolean)")
    op.execute("DROP FUNCTION dashboard_household_spans(uuid[])")
    op.drop_index("ix_dashboard_household_span_household_id", table_name="dashboard_household_span")
    op.drop_table("dashboard_household_span")
    op.drop_table("commune_dashboard_counts")
