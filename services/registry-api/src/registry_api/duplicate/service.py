"""Likely duplicate persons: detection runs (jobs) queue candidate pairs, an officer merges a pair or
keeps it separate. See docs/rules/housing-projects-and-targets.md, "Duplicate persons"."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.duplicate.errors import (
    DuplicateAlreadyDecided,
    DuplicateCandidateNotFound,
    DuplicateIsHead,
    KeptPersonInvalid,
    NoMatchRule,
)
from registry_api.duplicate.repository import DuplicateRepository
from registry_api.duplicate.schemas import Decision, DuplicateCandidateRead, DuplicateDecision, PersonSide
from registry_api.models import DuplicateCandidate, DuplicateStatus, Job, OutboxEvent, Person, Relationship
from registry_api.person.service import local_today
from servicekit.areas import AreaScope
from servicekit.concurrency import check_version
from servicekit.errors import FieldError
from servicekit.jobs import enqueue
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.principal import Principal

DETECTION_JOB = "duplicate_persons.detect"
COMPARED = ("full_name", "date_of_birth", "gender", "citizen_id_masked", "legacy_id_masked", "household_id")


def _side(person: Person) -> PersonSide:
    return PersonSide.model_validate(person, from_attributes=True)


def read(candidate: DuplicateCandidate, persons: dict[uuid.UUID, Person]) -> DuplicateCandidateRead:
    a, b = persons[candidate.person_a_id], persons[candidate.person_b_id]
    return DuplicateCandidateRead(
        id=candidate.id,
        person_a=_side(a),
        person_b=_side(b),
        name_similarity_pct=candidate.name_similarity_pct,
        differing=[f for f in COMPARED if getattr(a, f) != getattr(b, f)],
        status=DuplicateStatus(candidate.status),
        kept_person_id=candidate.kept_person_id,
        reason=candidate.reason,
        decided_by=candidate.decided_by,
        decided_at=candidate.decided_at,
        province_code=candidate.province_code,
        commune_code=candidate.commune_code or "",
        version=candidate.version,
        created_at=candidate.created_at,
    )


class DuplicateService:
    async def queue_detection(self, session: AsyncSession, caller: Principal) -> tuple[Job, list[str]]:
        """A detection run over the caller's area, as a job (a repeat while one is queued returns it)."""
        codes = sorted(caller.area.provinces | caller.area.communes)
        job = await enqueue(
            session,
            Job,
            DETECTION_JOB,
            {"area_codes": codes},
            dedupe_key=f"{DETECTION_JOB}:{','.join(codes)}",
            created_by=caller.subject,
        )
        return job, codes

    async def detect(self, session: AsyncSession, area_codes: list[str]) -> dict[str, int]:
        """The run itself (the job's body): add the new candidate pairs of the area."""
        repo = DuplicateRepository(session)
        rule = await repo.rule_on(local_today())
        if rule is None:
            raise NoMatchRule("No duplicate match rule applies today.")
        added = await repo.detect(AreaScope.from_codes(area_codes), rule)
        return {"candidates_added": added}

    async def get(
        self, session: AsyncSession, caller: Principal, candidate_id: uuid.UUID
    ) -> DuplicateCandidateRead:
        candidate = await self._get(session, caller, candidate_id)
        persons = await DuplicateRepository(session).persons({candidate.person_a_id, candidate.person_b_id})
        return read(candidate, persons)

    async def _get(
        self, session: AsyncSession, caller: Principal, candidate_id: uuid.UUID
    ) -> DuplicateCandidate:
        candidate = await DuplicateRepository(session).get_in_area(candidate_id, caller.area)
        if candidate is None:
            raise DuplicateCandidateNotFound(f"No duplicate candidate {candidate_id} in your area.")
        return candidate

    async def list_candidates(
        self, session: AsyncSession, caller: Principal, params: PageParams, *, status: DuplicateStatus | None
    ) -> tuple[list[DuplicateCandidateRead], str | None]:
        repo = DuplicateRepository(session)
        rows, next_cursor = await repo.list_in_area(caller.area, params, status=status)
        persons = await repo.persons({p for r in rows for p in (r.person_a_id, r.person_b_id)})
        return [read(r, persons) for r in rows], next_cursor

    async def decide(
        self,
        session: AsyncSession,
        caller: Principal,
        candidate_id: uuid.UUID,
        expected_version: int,
        data: DuplicateDecision,
    ) -> DuplicateCandidateRead:
        repo = DuplicateRepository(session)
        candidate = await self._get(session, caller, candidate_id)
        check_version(candidate.version, expected_version)
        if candidate.status != DuplicateStatus.PENDING.value:
            raise DuplicateAlreadyDecided(f"The pair was already decided ({candidate.status}).")
        persons = await repo.persons({candidate.person_a_id, candidate.person_b_id})
        moved = {"categories": 0, "memberships": 0}
        if data.decision is Decision.MERGE:
            kept_id = data.kept_person_id
            pair = (candidate.person_a_id, candidate.person_b_id)
            invalid = kept_id not in pair
            if not invalid:
                kept = persons[kept_id]  # type: ignore[index]
                gone = persons[pair[1] if kept_id == pair[0] else pair[0]]
                # Keep the identified record: the other one has no citizen ID to carry over.
                invalid = kept.citizen_id_bidx is None and gone.citizen_id_bidx is not None
            if invalid:
                raise KeptPersonInvalid(
                    "Keep one of the pair, and the one with the citizen ID when only one has it.",
                    errors=[
                        FieldError(
                            pointer="/body/kept_person_id", code="not_keepable", message="not keepable"
                        )
                    ],
                )
            if gone.relationship == Relationship.HEAD.value:
                raise DuplicateIsHead("The person merged away heads a household: change the head first.")
            if await repo.already_merged_away(kept.id) or await repo.already_merged_away(gone.id):
                raise DuplicateAlreadyDecided("One of the pair was already merged into another person.")
            for category in await repo.categories_of(gone.id):
                category.person_id = kept.id
                moved["categories"] += 1
            for membership in await repo.closed_memberships_of(gone.id):
                membership.person_id = kept.id
                moved["memberships"] += 1
            candidate.kept_person_id = kept.id
            candidate.status = DuplicateStatus.MERGED.value
        else:
            candidate.status = DuplicateStatus.KEPT_SEPARATE.value
        candidate.reason = data.reason
        candidate.decided_by = caller.acting_subject or caller.subject
        candidate.decided_at = datetime.now(UTC)
        await repo.save(candidate)
        await emit(
            session,
            OutboxEvent,
            type=f"duplicate_candidate.{candidate.status}",
            subject=urn("registry", "duplicate-candidate", candidate.id),
            area_codes=[candidate.province_code, candidate.commune_code],
            data={
                "duplicate_candidate_id": candidate.id,
                "person_a_id": candidate.person_a_id,
                "person_b_id": candidate.person_b_id,
                "kept_person_id": candidate.kept_person_id,
                **moved,
            },
        )
        return read(candidate, persons)


duplicate_service = DuplicateService()
