"""Print the plans and timings of typical name searches, built by the repository itself.

uv run --frozen python bench/person_search/explain.py postgresql+asyncpg://postgres@127.0.0.1:55433/DB
"""

from __future__ import annotations

import asyncio
import sys

from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from registry_api.person.identifiers import search_words
from registry_api.person.repository import NameQuery, PersonRepository
from servicekit.areas import AreaScope
from servicekit.db.engine import make_engine, make_sessionmaker

PROVINCE = AreaScope.from_codes(["31"])
COMMUNE = AreaScope.from_codes(["11560"])

# (title, query, caller's area, commune_code, birth_year)
CASES: list[tuple[str, str, AreaScope, str | None, int | None]] = [
    ("province officer: Nguyễn Văn Đức", "Nguyễn Văn Đức", PROVINCE, None, None),
    ("province officer: nguyen (broad)", "nguyen", PROVINCE, None, None),
    ("province officer: tran thi ng (prefix)", "tran thi ng", PROVINCE, None, None),
    ("province officer: khuc thi diep (rare)", "khuc thi diep", PROVINCE, None, None),
    ("commune officer: le van h (one-letter prefix)", "le van h", COMMUNE, None, None),
    ("province officer: nguyen van duk, commune 11560 (typos)", "nguyen van duk", PROVINCE, "11560", None),
    ("province officer: pham thu tranh, born 1978 (typos)", "pham thu tranh", PROVINCE, None, 1978),
    ("commune officer: pham thu tranh, commune and 1978 (typos)", "pham thu tranh", COMMUNE, "11560", 1978),
]


def name_query(q: str) -> NameQuery:
    words = search_words(q)
    return NameQuery(words=tuple(words))


async def main(url: str) -> None:
    engine = make_engine(url, pool_size=1, statement_timeout_ms=60_000)
    try:
        async with make_sessionmaker(engine)() as session:
            repo = PersonRepository(session)
            for title, q, area, commune, year in CASES:
                stmt = repo.search_statement(
                    name_query(q),
                    area=area,
                    commune_code=commune,
                    birth_year=year,
                    typo_tolerant=commune is not None or year is not None,
                    after=None,
                    limit=20,
                )
                sql = str(stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
                sql = sql.replace("%%", "%")
                for _ in range(2):  # warm the caches first
                    await session.execute(text(sql))
                plan = (await session.execute(text("EXPLAIN (ANALYZE, COSTS OFF) " + sql))).scalars().all()
                print(f"===== {title}")  # noqa: T201
                print("\n".join(plan))  # noqa: T201
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
