"""Name search: folding, every word (the last as a prefix), exact names first, typo tolerance only when
narrowed, keyset pages, the caller's area, and plans that use the indexes."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from registry_people_testing import (
    PHUONG_HAI_DUONG,
    PHUONG_LE_CHAN,
    PHUONG_THUY_NGUYEN,
    People,
    assert_problem,
    nfd,
    person_body,
    pointers,
)
from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.person.repository import NameQuery, PersonRepository, SearchAfter
from servicekit.areas import AreaScope

URL = "/v1/persons/search"
Officer = Callable[..., dict[str, str]]


@pytest.fixture
async def names(people: People) -> dict[str, str]:
    """A few households in two communes; returns person ids by name (birth year in brackets)."""
    ids: dict[str, str] = {}
    specs: list[tuple[str, list[tuple[str, int, str]], str]] = [
        (
            "Nguyễn Văn Đức",
            [("Trần Thị Hoa", 1980, "female"), ("Nguyễn Văn Đức Anh", 2006, "male")],
            PHUONG_THUY_NGUYEN,
        ),
        ("Nguyễn Đức Văn", [("Nguyễn Văn Dũng", 1975, "male")], PHUONG_THUY_NGUYEN),
        ("Trần Văn Đức", [("Nguyễn Thị Đào", 1979, "female")], PHUONG_THUY_NGUYEN),
        ("Nguyễn Văn Đức", [("Phạm Thu Trang", 1978, "female")], PHUONG_HAI_DUONG),
    ]
    for n, (head, members, commune) in enumerate(specs):
        household = await people.household(
            commune,
            head=person_body(head, 1978 - n),
            members=[person_body(name, year, gender, relationship="other") for name, year, gender in members],
        )
        for member in household["members"]:
            key = f"{member['full_name']} ({member['birth_year']})"
            ids[key] = member["id"]
    return ids


async def search(
    client: httpx.AsyncClient, headers: dict[str, str], q: str, **params: Any
) -> list[tuple[str, str]]:
    response = await client.get(URL, params={"q": q, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return [(p["full_name"], p["match"]) for p in response.json()["items"]]


class TestFolding:
    @pytest.mark.parametrize(
        "q",
        ["Nguyễn Văn Đức", "nguyen van duc", "NGUYEN  VAN DUC", nfd("Nguyễn Văn Đức"), " nguyễn   văn đức "],
    )
    async def test_finds_the_name_however_it_is_typed(
        self, client: httpx.AsyncClient, people: People, names: dict[str, str], q: str
    ) -> None:
        found = await search(client, people.headers, q)
        # Exact full names first (both, in two communes), then names holding every word.
        assert found[:2] == [("Nguyễn Văn Đức", "exact")] * 2
        assert sorted(found[2:]) == [("Nguyễn Văn Đức Anh", "words"), ("Nguyễn Đức Văn", "words")]

    async def test_the_last_word_is_a_prefix(
        self, client: httpx.AsyncClient, people: People, names: dict[str, str]
    ) -> None:
        found = {name for name, _ in await search(client, people.headers, "nguyen van d")}
        assert found == {"Nguyễn Văn Đức", "Nguyễn Văn Đức Anh", "Nguyễn Đức Văn", "Nguyễn Văn Dũng"}
        assert {name for name, _ in await search(client, people.headers, "dao")} == {"Nguyễn Thị Đào"}
        assert {name for name, _ in await search(client, people.headers, "tr")} == {
            "Trần Thị Hoa",
            "Trần Văn Đức",
            "Phạm Thu Trang",
        }

    async def test_every_word_must_match_a_word(
        self, client: httpx.AsyncClient, people: People, names: dict[str, str]
    ) -> None:
        assert await search(client, people.headers, "nguyen hoa") == []
        # Only the last word is a prefix: "ngu" does not match "Nguyễn" in the middle of a query.
        assert await search(client, people.headers, "ngu van duc") == []
        assert await search(client, people.headers, "guyen") == []

    async def test_an_empty_query_is_refused(self, client: httpx.AsyncClient, people: People) -> None:
        problem = assert_problem(
            await client.get(URL, params={"q": " -- "}, headers=people.headers), 422, "search_query_empty"
        )
        assert pointers(problem) == ["/query/q"]
        problem = assert_problem(await client.get(URL, headers=people.headers), 422, "validation_failed")
        assert pointers(problem) == ["/query/q"]


class TestTypoTolerance:
    async def test_typos_are_forgiven_only_within_a_commune_or_birth_year(
        self, client: httpx.AsyncClient, people: People, names: dict[str, str]
    ) -> None:
        assert await search(client, people.headers, "nguyen van duk") == []
        in_commune = await search(client, people.headers, "nguyen van duk", commune_code=PHUONG_THUY_NGUYEN)
        assert in_commune[0] == ("Nguyễn Văn Đức", "similar")
        assert ("Nguyễn Văn Đức", "similar") in in_commune
        assert {m for _, m in in_commune} == {"similar"}
        by_year = await search(client, people.headers, "pham thu tranh", birth_year=1978)
        assert by_year == [("Phạm Thu Trang", "similar")]
        assert await search(client, people.headers, "pham thu tranh", birth_year=1977) == []

    async def test_narrowed_searches_still_list_exact_and_word_matches_first(
        self, client: httpx.AsyncClient, people: People, names: dict[str, str]
    ) -> None:
        found = await search(client, people.headers, "nguyen van duc", commune_code=PHUONG_THUY_NGUYEN)
        matches = [m for _, m in found]
        assert matches[:3] == ["exact", "words", "words"]
        assert set(matches[3:]) <= {"similar"}
        assert ("Nguyễn Văn Dũng", "similar") in found


class TestAreaAndPages:
    async def test_searches_only_the_callers_area(
        self, client: httpx.AsyncClient, names: dict[str, str], officer: Officer
    ) -> None:
        mine = await search(client, officer(PHUONG_HAI_DUONG), "nguyen van duc")
        assert mine == [("Nguyễn Văn Đức", "exact")]
        assert await search(client, officer(PHUONG_LE_CHAN, role="inspector"), "nguyen") == []
        # Naming another commune does not widen the area.
        assert await search(client, officer(PHUONG_HAI_DUONG), "duc", commune_code=PHUONG_THUY_NGUYEN) == []

    async def test_pages_through_exact_then_word_then_similar_matches(
        self, client: httpx.AsyncClient, people: People
    ) -> None:
        members = [
            person_body("Lê Thị Hoa", 1990 + i % 5, "female", citizen_id=None, relationship="other")
            for i in range(12)
        ]
        members += [
            person_body("Lê Thị Hoa Mai", 1991, "female", citizen_id=None, relationship="other")
            for _ in range(5)
        ]
        members += [
            person_body("Lê Thị Hòa", 1992, "female", citizen_id=None, relationship="other") for _ in range(3)
        ]
        await people.household(PHUONG_LE_CHAN, head=person_body("Lê Văn Hùng", 1960), members=members)
        seen: list[tuple[str, str, str]] = []
        params: dict[str, Any] = {"q": "le thi hoa", "commune_code": PHUONG_LE_CHAN, "limit": 7}
        pages = 0
        while True:
            response = await client.get(URL, params=params, headers=people.headers)
            assert response.status_code == 200, response.text
            page = response.json()
            pages += 1
            seen += [(p["id"], p["full_name"], p["match"]) for p in page["items"]]
            if not page.get("next_cursor"):
                break
            params["cursor"] = page["next_cursor"]
        assert pages == 3
        assert len({s[0] for s in seen}) == len(seen) == 20
        # "Hòa" folds to "hoa": an exact match too.
        assert [m for _, _, m in seen] == ["exact"] * 15 + ["words"] * 5
        whole = await client.get(
            URL,
            params={"q": "le thi hoa", "commune_code": PHUONG_LE_CHAN, "limit": 100},
            headers=people.headers,
        )
        assert [p["id"] for p in whole.json()["items"]] == [s[0] for s in seen]

    async def test_rejects_a_tampered_or_foreign_cursor(
        self, client: httpx.AsyncClient, people: People
    ) -> None:
        await people.household()
        await people.household()
        response = await client.get(
            URL, params={"q": "x", "cursor": "bm90LWEtY3Vyc29y"}, headers=people.headers
        )
        assert_problem(response, 400, "invalid_cursor")
        listed = await client.get("/v1/persons", params={"limit": 1}, headers=people.headers)
        foreign = listed.json()["next_cursor"]
        response = await client.get(URL, params={"q": "nguyen", "cursor": foreign}, headers=people.headers)
        assert_problem(response, 400, "invalid_cursor")


class TestNameTerms:
    """What `ix_person_name_terms` holds: each word whole, and each prefix of it marked `~`, so the
    word phase's `'w1' & 'w2' & 'last~'` is a handful of exact GIN entries."""

    async def test_each_word_and_each_of_its_prefixes(self, db_session: AsyncSession) -> None:
        terms = await db_session.scalar(text("SELECT tsvector_to_array(person_name_terms('van duc 12'))"))
        assert sorted(terms) == sorted(
            ["van", "v~", "va~", "van~", "duc", "d~", "du~", "duc~", "12", "1~", "12~"]
        )
        assert await db_session.scalar(text("SELECT person_name_terms('') = ''::tsvector"))

    async def test_the_query_terms_match_as_the_prefix_search_did(self, db_session: AsyncSession) -> None:
        for words, name, matches in (
            (("nguyen", "van", "d"), "nguyen van duc", True),
            (("nguyen", "van", "duc"), "nguyen van duc", True),
            (("duc", "nguyen"), "nguyen van duc", True),
            (("nguyen", "van", "duca"), "nguyen van duc", False),
            (("ngu", "van"), "nguyen van duc", False),
            (("guyen",), "nguyen van duc", False),
        ):
            query = NameQuery(words=words)
            found = await db_session.scalar(
                text("SELECT person_name_terms(:name) @@ CAST(:terms AS tsquery)"),
                {"name": name, "terms": query.terms},
            )
            assert found is matches, (words, name)


class TestPlans:
    async def test_every_phase_is_answerable_from_an_index(
        self, people: People, db_session: AsyncSession
    ) -> None:
        """With sequential scans and plain index scans disabled, the planner must still find bitmap
        index paths for each phase; a predicate no index supports would force a Seq Scan (the real
        plans at 3,000,000 persons are in docs/rules/households-and-persons.md)."""
        household = await people.household()
        # 20,000 persons in the test's transaction, with statistics, so selectivities are realistic.
        await db_session.execute(
            text(
                "INSERT INTO person (id, household_id, relationship, full_name, name_folded, birth_year,"
                " gender, province_code, commune_code, version)"
                " SELECT gen_random_uuid(), :household, 'other', n, n, 1930 + g % 90,"
                " CASE WHEN g % 2 = 0 THEN 'male' ELSE 'female' END, '31', :commune, 1"
                " FROM generate_series(1, 20000) g,"
                " LATERAL (SELECT (ARRAY['nguyen', 'tran', 'le', 'pham'])[1 + g % 4] || ' ' ||"
                "  (ARRAY['van', 'thi', 'duc', 'minh', 'ngoc'])[1 + g % 5] || ' ' ||"
                "  (ARRAY['an', 'binh', 'duc', 'hoa', 'lan', 'nam'])[1 + g % 6] || ' ' || g AS n) names"
            ),
            {"household": household["id"], "commune": PHUONG_THUY_NGUYEN},
        )
        await db_session.execute(text("ANALYZE person"))
        # The rows just inserted wait in the GIN index's pending list until a vacuum merges them; a
        # plan costs scanning that list on every search, so merge it, as autovacuum would.
        await db_session.execute(text("SELECT gin_clean_pending_list('ix_person_name_terms')"))
        await db_session.execute(text("SET LOCAL enable_seqscan = off"))
        await db_session.execute(text("SET LOCAL enable_indexscan = off"))
        repo = PersonRepository(db_session)
        query = NameQuery(words=("nguyen", "van", "duc"))
        for area, commune, year in (
            (AreaScope.from_codes(["31"]), None, None),
            (AreaScope.from_codes([PHUONG_THUY_NGUYEN]), PHUONG_THUY_NGUYEN, None),
            (AreaScope.from_codes(["31"]), None, 1978),
        ):
            stmt = repo.search_statement(
                query,
                area=area,
                commune_code=commune,
                birth_year=year,
                typo_tolerant=commune is not None or year is not None,
                after=SearchAfter(phase=0, score=0, person_id=uuid.UUID(int=0)),
                limit=20,
            )
            sql = str(stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
            plan = "\n".join((await db_session.execute(text("EXPLAIN " + sql.replace("%%", "%")))).scalars())
            assert "Seq Scan on person" not in plan, plan
            if commune is None and year is None:
                assert "ix_person_name_folded" in plan, plan
                assert "ix_person_name_terms" in plan, plan
            if year is not None:
                assert "ix_person_birth_year" in plan, plan
            if commune is not None:
                assert "ix_person_commune_code" in plan, plan
