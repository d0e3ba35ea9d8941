"""person name terms: every word of a name and every prefix of it, one GIN entry each

Revision ID: d0a1b2c3d504
Revises: d0a1b2c3d503
Create Date: 2026-11-29 03:00:00+00:00

The name search's word phase asked `to_tsvector('simple', name_folded) @@ 'truong & huu & cong:*'`.
GIN answers a prefix (`cong:*`) by collecting the posting lists of every word that starts with it into
a bitmap, which turns off the fast AND of the other words: 70 ms where the same words without the
prefix take 1.5 ms, seconds for a one- or two-letter prefix (docs/performance.md §3). `name_terms`
holds each word and each of its prefixes marked with `~` (`nguyen van duc` -> nguyen, n~, ng~, ...,
nguyen~, van, v~, va~, van~, duc, d~, du~, duc~), so the query `'truong' & 'huu' & 'cong~'` is three
exact entries and GIN intersects them. It replaces `name_words`, which stays (computed and indexed)
for the previous release's pods during the rollout and is dropped by a later release's migration
(docs/operations.md §7: drop only in a later release).

On a province's 3,000,000 persons the new stored column rewrites the table and its index is built,
under an exclusive lock on `person`: searches and person writes wait for it (time measured in
docs/performance.md §3); release in a quiet hour.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "d0a1b2c3d504"
down_revision: str | None = "d0a1b2c3d503"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A SQL-standard body: parsed once, bound to pg_catalog's functions whatever the search_path (a
# generated column must not depend on it). `name_folded` holds lower-case ASCII letters and digits in
# words separated by one space (registry_api.person.identifiers.fold_name).
NAME_TERMS_FUNCTION = """
CREATE FUNCTION person_name_terms(name_folded text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (
    SELECT COALESCE(
        pg_catalog.array_to_tsvector(pg_catalog.array_agg(t.term)), CAST('' AS pg_catalog.tsvector)
    )
    FROM pg_catalog.unnest(pg_catalog.string_to_array(name_folded, ' ')) AS w(word),
        LATERAL (
            SELECT w.word
            UNION ALL
            SELECT pg_catalog.left(w.word, g.n) OPERATOR(pg_catalog.||) '~'
            FROM pg_catalog.generate_series(1, pg_catalog.length(w.word)) AS g(n)
        ) AS t(term)
    WHERE w.word OPERATOR(pg_catalog.<>) ''
)
"""


def upgrade() -> None:
    op.execute(NAME_TERMS_FUNCTION)
    op.add_column(
        "person",
        sa.Column(
            "name_terms",
            postgresql.TSVECTOR(),
            sa.Computed("person_name_terms((name_folded)::text)", persisted=True),
            nullable=False,
        ),
    )
    op.create_index("ix_person_name_terms", "person", ["name_terms"], unique=False, postgresql_using="gin")


def downgrade() -> None:
    op.drop_index("ix_person_name_terms", table_name="person", postgresql_using="gin")
    op.drop_column("person", "name_terms")
    op.execute("DROP FUNCTION person_name_terms(text)")
