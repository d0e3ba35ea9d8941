from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Text,
    cast,
    func,
    literal,
    select,
    text,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.exc import IntegrityError

from registry_api.models import HouseholdMembership, Person
from registry_api.person.errors import CitizenIdTaken
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams

CITIZEN_ID_UNIQUE = "uq_person_citizen_id_bidx"
LOOKUP_LIMIT = 10

# Search phases, in the order results are returned.
EXACT, WORDS, SIMILAR = 0, 1, 2
PHASE_NAMES = {EXACT: "exact", WORDS: "words", SIMILAR: "similar"}
# A phase's statement: (id, phase, score).
PhaseSelect = Select[*tuple[Any, ...]]
# pg_trgm's default for `%`, fixed here so a server setting cannot change the results.
SIMILARITY_THRESHOLD = 0.3


def in_area(area: AreaScope) -> ColumnElement[bool]:
    """Persons carry their household's area codes, so the caller's area filters them directly."""
    return area.sql_filter(Person.province_code, Person.commune_code)


@dataclass(frozen=True)
class NameQuery:
    """A folded search: its words (letters and digits only; the last one may be cut short)."""

    words: tuple[str, ...]

    @property
    def folded(self) -> str:
        """The whole query, for exact full-name matches."""
        return " ".join(self.words)

    @property
    def terms(self) -> str:
        """The tsquery of the word phase: every word whole, the last as a prefix term (`'nguyen' &
        'van' & 'du~'`), each one entry of `ix_person_name_terms` (models.person)."""
        return " & ".join([*(f"'{w}'" for w in self.words[:-1]), f"'{self.words[-1]}~'"])


@dataclass(frozen=True)
class SearchAfter:
    """Where the previous page ended: its phase, its (negated, integer) score and its person id."""

    phase: int
    score: int
    person_id: uuid.UUID


def _words_match(query: NameQuery) -> ColumnElement[bool]:
    # The query text is bound, and holds folded words (letters and digits) only: no tsquery syntax
    # a caller could inject. Cast, not `to_tsquery`: the terms are taken as they are (a parser would
    # cut `du~` to `du`).
    return Person.name_terms.bool_op("@@")(cast(literal(query.terms, Text), TSQUERY))


class PersonRepository(RepositoryBase[Person]):
    model = Person

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> Person | None:
        return await self.get(id_, in_area(area))

    async def by_citizen_bidx(self, bidx: str) -> Person | None:
        """Anywhere: the number is unique across the registry, whoever recorded it."""
        stmt = select(Person).where(Person.citizen_id_bidx == bidx)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def citizen_bidxs_recorded(self, bidxs: Sequence[str]) -> set[str]:
        """Those of `bidxs` some person has, anywhere (one query for a batch)."""
        if not bidxs:
            return set()
        stmt = select(Person.citizen_id_bidx).where(Person.citizen_id_bidx.in_(sorted(set(bidxs))))
        return {str(b) for b in (await self.session.execute(stmt)).scalars()}

    async def find_by_citizen_bidx(self, bidx: str, area: AreaScope) -> list[Person]:
        stmt = select(Person).where(Person.citizen_id_bidx == bidx, in_area(area))
        return list((await self.session.execute(stmt)).scalars())

    async def find_by_legacy_bidx(self, bidx: str, area: AreaScope) -> list[Person]:
        stmt = (
            select(Person)
            .where(Person.legacy_id_bidx == bidx, in_area(area))
            .order_by(Person.id)
            .limit(LOOKUP_LIMIT)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def current_members(self, household_id: uuid.UUID) -> list[Person]:
        """The head first, then by birth year (eldest first) and id."""
        stmt = (
            select(Person)
            .where(Person.household_id == household_id)
            .order_by((Person.relationship != "head"), Person.birth_year, Person.id)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def count_other_members(self, household_id: uuid.UUID, person_id: uuid.UUID) -> int:
        stmt = select(func.count()).where(Person.household_id == household_id, Person.id != person_id)
        return int((await self.session.execute(stmt)).scalar_one())

    async def list_persons(
        self,
        params: PageParams,
        *,
        area: AreaScope,
        household_id: uuid.UUID | None,
        commune_code: str | None,
        birth_year: int | None,
    ) -> tuple[list[Person], str | None]:
        stmt = select(Person).where(in_area(area))
        if household_id is not None:
            stmt = stmt.where(Person.household_id == household_id)
        if commune_code is not None:
            stmt = stmt.where(Person.commune_code == commune_code)
        if birth_year is not None:
            stmt = stmt.where(Person.birth_year == birth_year)
        return await self.paginate(stmt, params)

    def search_phases(
        self,
        query: NameQuery,
        *,
        area: AreaScope,
        commune_code: str | None,
        birth_year: int | None,
        typo_tolerant: bool,
        after: SearchAfter | None,
        limit: int,
    ) -> list[tuple[int, PhaseSelect]]:
        """Per phase from the cursor's on: exact full-name matches, then word matches, then (only when
        narrowed) similar names. Each is an index-driven statement of (id, phase, score) ordered by
        (score, id) after the cursor and cut at `limit`."""
        narrowing: list[ColumnElement[bool]] = [in_area(area)]
        if commune_code is not None:
            narrowing.append(Person.commune_code == commune_code)
        if birth_year is not None:
            narrowing.append(Person.birth_year == birth_year)
        exact = Person.name_folded == query.folded
        words = _words_match(query)
        # (phase, conditions, score): phases without a score order by id alone.
        phases: list[tuple[int, list[ColumnElement[bool]], ColumnElement[int] | None]] = [
            (EXACT, [exact], None),
            (WORDS, [words, Person.name_folded != query.folded], None),
        ]
        if typo_tolerant:
            # Trigram similarity over the narrowed rows (found through the commune / birth-year
            # indexes); a trigram index over all names is not selective for Vietnamese names.
            similarity = func.similarity(Person.name_folded, query.folded)
            similar = similarity >= SIMILARITY_THRESHOLD
            # Higher similarity first: the score is the negated similarity in thousandths.
            score = cast(similarity * -1000, Integer)
            phases.append((SIMILAR, [similar, ~words, Person.name_folded != query.folded], score))
        statements: list[tuple[int, PhaseSelect]] = []
        for phase, conditions, score_expr in phases:
            if after is not None and phase < after.phase:
                continue
            stmt: PhaseSelect = select(
                Person.id.label("id"),
                literal(phase, Integer).label("phase"),
                (score_expr if score_expr is not None else literal(0, Integer)).label("score"),
            ).where(*narrowing, *conditions)
            if score_expr is None:
                if after is not None and phase == after.phase:
                    stmt = stmt.where(Person.id > after.person_id)
                stmt = stmt.order_by(Person.id)
            else:
                if after is not None and phase == after.phase:
                    stmt = stmt.where(tuple_(score_expr, Person.id) > tuple_(after.score, after.person_id))
                stmt = stmt.order_by(score_expr, Person.id)
            statements.append((phase, stmt.limit(limit)))
        return statements

    def search_statement(
        self,
        query: NameQuery,
        *,
        area: AreaScope,
        commune_code: str | None,
        birth_year: int | None,
        typo_tolerant: bool,
        after: SearchAfter | None,
        limit: int,
    ) -> Select[Any]:
        """Every phase in one statement (for plans: `search` runs them one after another instead),
        each cut at `limit + 1`, the union re-ordered by (phase, score, id)."""
        phases = self.search_phases(
            query,
            area=area,
            commune_code=commune_code,
            birth_year=birth_year,
            typo_tolerant=typo_tolerant,
            after=after,
            limit=limit + 1,
        )
        hits = union_all(*(stmt for _, stmt in phases)).subquery("hits")
        return (
            select(Person, hits.c.phase, hits.c.score)
            .join(hits, Person.id == hits.c.id)
            .order_by(hits.c.phase, hits.c.score, hits.c.id)
            .limit(limit + 1)
        )

    async def search(
        self,
        query: NameQuery,
        *,
        area: AreaScope,
        commune_code: str | None,
        birth_year: int | None,
        typo_tolerant: bool,
        after: SearchAfter | None,
        limit: int,
    ) -> list[tuple[Person, int, int]]:
        """Up to `limit + 1` hits as (person, phase, score); the extra one says another page exists.

        The phases run one after another and stop once the page is full: a common full name fills
        it with exact matches, and the costlier word match (a prefix expands over every word
        starting with the last one) is not run at all.
        """
        if after is not None and after.phase > (SIMILAR if typo_tolerant else WORDS):
            return []
        # Plan each statement for its own words: asyncpg prepares every statement, and after five
        # runs PostgreSQL may switch a prepared statement to a generic plan, which cannot know how
        # rare the words are and walks the primary key through all 3,000,000 persons for a rare
        # name (seconds instead of milliseconds: docs/performance.md §3). For this transaction only.
        await self.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        phases = self.search_phases(
            query,
            area=area,
            commune_code=commune_code,
            birth_year=birth_year,
            typo_tolerant=typo_tolerant,
            after=after,
            limit=limit + 1,
        )
        found: list[tuple[Person, int, int]] = []
        for _, stmt in phases:
            wanted = limit + 1 - len(found)
            if wanted <= 0:
                break
            hits = stmt.limit(wanted).subquery("hits")
            rows = await self.session.execute(
                select(Person, hits.c.phase, hits.c.score)
                .join(hits, Person.id == hits.c.id)
                .order_by(hits.c.score, hits.c.id)
            )
            found.extend((row[0], int(row[1]), int(row[2])) for row in rows.all())
        return found

    async def current_membership(self, person_id: uuid.UUID) -> HouseholdMembership | None:
        stmt = select(HouseholdMembership).where(
            HouseholdMembership.person_id == person_id, HouseholdMembership.left_on.is_(None)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def memberships(
        self, person_id: uuid.UUID, params: PageParams
    ) -> tuple[list[HouseholdMembership], str | None]:
        stmt = select(HouseholdMembership).where(HouseholdMembership.person_id == person_id)
        return await MembershipRepository(self.session).paginate(stmt, params)

    async def add_memberships(self, memberships: Sequence[HouseholdMembership]) -> None:
        """Add and flush together: the ORM writes them as one multi-row INSERT."""
        self.session.add_all(memberships)
        await self.session.flush()

    async def add_membership(self, membership: HouseholdMembership) -> None:
        self.session.add(membership)
        await self.session.flush()

    async def save(self, *persons: Person) -> None:
        """Add (if new) and flush; a citizen ID taken meanwhile is a 409 here, not a 500 at commit.

        After `CitizenIdTaken` the transaction must be rolled back (the request's session does).
        """
        self.session.add_all(persons)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            if CITIZEN_ID_UNIQUE in str(exc.orig):
                raise CitizenIdTaken("Another person already has this citizen ID.") from exc
            raise


class MembershipRepository(RepositoryBase[HouseholdMembership]):
    model = HouseholdMembership
