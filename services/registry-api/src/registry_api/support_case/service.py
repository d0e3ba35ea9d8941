"""Support cases: proposed for a household, approved by the province, started, completed and accepted
on photo evidence, or withdrawn; each one kept in the household's and its members' support history."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.clients.funding import FundingClient, FundingLine
from registry_api.household.errors import AreaNotCovered, HouseholdClosed, HouseholdNotFound
from registry_api.household.repository import HouseholdRepository
from registry_api.household.service import household_service
from registry_api.models import (
    OutboxEvent,
    PhotoStage,
    SupportCase,
    SupportCasePhoto,
    SupportCaseStatus,
    SupportHistory,
    SupportKind,
    SupportOutcome,
    SupportRate,
    SupportStream,
)
from registry_api.person.repository import PersonRepository
from registry_api.person.service import local_today, person_service
from registry_api.support_case.errors import (
    ILLEGAL_FROM,
    AcceptanceNeedsPhotos,
    AlreadySupported,
    PhotoContentInvalid,
    PhotoExists,
    PhotoTooLarge,
    StepDateInvalid,
    SupportCaseNotFound,
    SupportPhotoNotFound,
    SupportRateNotApplicable,
)
from registry_api.support_case.repository import (
    SupportCaseRepository,
    SupportHistoryRepository,
    SupportPhotoRepository,
    SupportRateRepository,
    UniqueViolation,
)
from registry_api.support_case.schemas import PhotoCreate, SupportCaseCreate, SupportCaseUpdate
from servicekit.concurrency import check_version
from servicekit.db.base import new_id
from servicekit.errors import FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.principal import Principal

S = SupportCaseStatus


@dataclass(frozen=True, slots=True)
class Step:
    """A workflow action: the states it starts from, the state it leads to, the date it records."""

    name: str
    sources: frozenset[SupportCaseStatus]
    target: SupportCaseStatus
    date_field: str


STEPS: dict[str, Step] = {
    "approve": Step("approve", frozenset({S.PROPOSED}), S.APPROVED, "approved_on"),
    "start": Step("start", frozenset({S.APPROVED}), S.STARTED, "started_on"),
    "complete": Step("complete", frozenset({S.STARTED}), S.COMPLETED, "completed_on"),
    "accept": Step("accept", frozenset({S.COMPLETED}), S.ACCEPTED, "accepted_on"),
    "withdraw": Step("withdraw", frozenset({S.PROPOSED, S.APPROVED, S.STARTED}), S.WITHDRAWN, "withdrawn_on"),
}
DATE_FIELDS = ("proposed_on", "approved_on", "started_on", "completed_on")
# What an uploaded photo may be: the content type sent, and the bytes each type starts with.
PHOTO_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/webp": (b"RIFF",),
}


def _date_error(message: str, code: str) -> StepDateInvalid:
    return StepDateInvalid(message, errors=[FieldError(pointer="/body/on", code=code, message=message)])


async def _emit(session: AsyncSession, type_: str, case: SupportCase, **data: object) -> None:
    # Ids, the kind of works, the state and dates only: the stream would tell a merit household apart.
    await emit(
        session,
        OutboxEvent,
        type=type_,
        subject=urn("registry", "support-case", case.id),
        area_codes=[case.province_code, case.commune_code],
        data={
            "support_case_id": case.id,
            "household_id": case.household_id,
            "kind": case.kind,
            "status": case.status,
            **data,
        },
    )


def _history_outcome(status: str) -> str:
    if status == S.ACCEPTED:
        return SupportOutcome.ACCEPTED.value
    if status == S.WITHDRAWN:
        return SupportOutcome.WITHDRAWN.value
    return SupportOutcome.IN_PROGRESS.value


@dataclass
class CaseWithFunding:
    case: SupportCase
    funding_lines: list[FundingLine] | None  # None: funding-api could not answer


class SupportCaseService:
    async def propose(self, session: AsyncSession, caller: Principal, data: SupportCaseCreate) -> SupportCase:
        household = await HouseholdRepository(session).get(data.household_id)
        if household is None:
            raise HouseholdNotFound(
                f"No household {data.household_id}.",
                errors=[
                    FieldError(pointer="/body/household_id", code="household_not_found", message="unknown")
                ],
            )
        if not caller.covers(household.province_code, household.commune_code):
            raise AreaNotCovered(f"You do not cover commune {household.commune_code}.")
        if household.closed_on is not None:
            raise HouseholdClosed("The household is closed.")
        today = local_today()
        proposed_on = data.proposed_on or today
        if proposed_on > today:
            raise StepDateInvalid(
                "A case cannot be proposed in the future.",
                errors=[
                    FieldError(pointer="/body/proposed_on", code="in_the_future", message="in the future")
                ],
            )
        rate = await SupportRateRepository(session).valid_on(data.stream.value, data.kind.value, proposed_on)
        if rate is None:
            raise SupportRateNotApplicable(
                f"No stored support amount for {data.stream.value} / {data.kind.value} on {proposed_on}.",
                errors=[
                    FieldError(pointer="/body/stream", code="support_rate_not_applicable", message="no rate"),
                    FieldError(
                        pointer="/body/proposed_on", code="support_rate_not_applicable", message="no rate"
                    ),
                ],
            )
        members = await PersonRepository(session).current_members(household.id)
        person_ids = [m.id for m in members]
        await self._check_only_once(session, household.id, person_ids, data.kind)
        case = SupportCase(
            id=new_id(),
            household_id=household.id,
            stream=data.stream.value,
            kind=data.kind.value,
            status=S.PROPOSED.value,
            support_rate_id=rate.id,
            amount_vnd=rate.amount_vnd,
            proposed_on=proposed_on,
            note=data.note,
            province_code=household.province_code,
            commune_code=household.commune_code,
            legacy_area_code=household.legacy_area_code,
        )
        try:
            await SupportCaseRepository(session).save(case)
        except UniqueViolation as exc:  # a proposal for the same household and kind won a race
            raise AlreadySupported(
                f"The household already has a {data.kind.value} support in progress or received."
            ) from exc
        await SupportHistoryRepository(session).save(
            SupportHistory(
                id=new_id(),
                household_id=household.id,
                support_case_id=case.id,
                person_ids=person_ids,
                stream=case.stream,
                kind=case.kind,
                amount_vnd=case.amount_vnd,
                proposed_on=proposed_on,
                outcome=SupportOutcome.IN_PROGRESS.value,
                province_code=case.province_code,
                commune_code=case.commune_code,
                legacy_area_code=case.legacy_area_code,
            )
        )
        await _emit(
            session,
            "support_case.proposed",
            case,
            on=proposed_on,
            amount_vnd=case.amount_vnd,
            support_rate_id=rate.id,
        )
        return case

    async def _check_only_once(
        self, session: AsyncSession, household_id: uuid.UUID, person_ids: list[uuid.UUID], kind: SupportKind
    ) -> None:
        """One support of a kind per household, and per person (one received in another household counts)."""
        earlier = await SupportHistoryRepository(session).live_of_kind(household_id, person_ids, kind.value)
        if earlier is None:
            return
        whose = (
            "this household"
            if earlier.household_id == household_id
            else "a current member's former household"
        )
        state = "accepted" if earlier.outcome == SupportOutcome.ACCEPTED else "in progress"
        raise AlreadySupported(
            f"{whose.capitalize()} already has a {kind.value} support: case {earlier.support_case_id} "
            f"({earlier.stream} stream, proposed on {earlier.proposed_on}, {state}).",
            errors=[
                FieldError(
                    pointer="/body/household_id",
                    code="already_supported",
                    message=f"case {earlier.support_case_id}, {earlier.stream}, {earlier.proposed_on}",
                )
            ],
        )

    async def get(self, session: AsyncSession, caller: Principal, case_id: uuid.UUID) -> SupportCase:
        case = await SupportCaseRepository(session).get_in_area(case_id, caller.area)
        if case is None:
            raise SupportCaseNotFound(f"No support case {case_id} in your area.")
        return case

    async def detail(
        self, session: AsyncSession, caller: Principal, case_id: uuid.UUID, funding: FundingClient
    ) -> CaseWithFunding:
        """The case and its funding lines; the case is answered even when funding-api is down."""
        case = await self.get(session, caller, case_id)
        return CaseWithFunding(case, await funding.funding_lines(case.id))

    async def list_cases(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        commune_code: str | None,
        household_id: uuid.UUID | None,
        stream: SupportStream | None,
        kind: SupportKind | None,
        status: SupportCaseStatus | None,
        proposed_from: date | None,
        proposed_to: date | None,
    ) -> tuple[list[SupportCase], str | None]:
        repo = SupportCaseRepository(session)
        stmt = repo.filtered(
            caller.area,
            commune_code=commune_code,
            household_id=household_id,
            stream=stream.value if stream else None,
            kind=kind.value if kind else None,
            status=status.value if status else None,
            proposed_from=proposed_from,
            proposed_to=proposed_to,
        )
        return await repo.list_cases(stmt, params)

    async def update(
        self,
        session: AsyncSession,
        caller: Principal,
        case_id: uuid.UUID,
        expected_version: int,
        data: SupportCaseUpdate,
    ) -> SupportCase:
        case = await self.get(session, caller, case_id)
        check_version(case.version, expected_version)
        changes = data.model_dump(exclude_unset=True)
        if not changes:
            return case
        if case.status in (S.ACCEPTED, S.WITHDRAWN):
            raise ILLEGAL_FROM[S(case.status)](f"The case is {case.status}: it no longer changes.")
        for field, value in changes.items():
            setattr(case, field, value)
        await SupportCaseRepository(session).save(case)
        await _emit(session, "support_case.updated", case, changed=sorted(changes))
        return case

    async def act(
        self,
        session: AsyncSession,
        caller: Principal,
        case_id: uuid.UUID,
        expected_version: int,
        action: str,
        *,
        on: date | None,
        reason: str | None = None,
    ) -> SupportCase:
        step = STEPS[action]
        case = await self.get(session, caller, case_id)
        check_version(case.version, expected_version)
        current = S(case.status)
        if current not in step.sources:
            allowed = ", ".join(sorted(s.value for s in step.sources))
            raise ILLEGAL_FROM[current](f"The case is {current.value}; {action} needs it to be {allowed}.")
        today = local_today()
        on = on or today
        if on > today:
            raise _date_error("The step cannot be dated in the future.", "in_the_future")
        previous = max(d for d in (getattr(case, f) for f in DATE_FIELDS) if d is not None)
        if on < previous:
            raise _date_error(
                f"The step cannot be dated before the previous one ({previous}).", "before_previous_step"
            )
        photos = SupportPhotoRepository(session)
        if step.target is S.ACCEPTED:
            missing = {PhotoStage.BEFORE.value, PhotoStage.AFTER.value} - await photos.uploaded_stages(
                case.id
            )
            if missing:
                raise AcceptanceNeedsPhotos(
                    f"Upload the {' and '.join(sorted(missing))} photo(s) before accepting the works."
                )
        case.status = step.target.value
        setattr(case, step.date_field, on)
        if step.target is S.WITHDRAWN:
            case.withdrawal_reason = reason
        await SupportCaseRepository(session).save(case)
        await self._follow_in_history(session, case)
        extra: dict[str, object] = {"on": on}
        await _emit(session, f"support_case.{step.target.value}", case, **extra)
        return case

    async def _follow_in_history(self, session: AsyncSession, case: SupportCase) -> None:
        history = await SupportHistoryRepository(session).for_case(case.id)
        if history is None:  # pragma: no cover - written with the case
            return
        history.started_on = case.started_on
        history.completed_on = case.completed_on
        history.ended_on = case.accepted_on or case.withdrawn_on
        history.outcome = _history_outcome(case.status)
        await SupportHistoryRepository(session).save(history)

    # ------------------------------------------------------------------------------------ photos

    async def add_photo(
        self, session: AsyncSession, caller: Principal, case_id: uuid.UUID, data: PhotoCreate
    ) -> SupportCasePhoto:
        case = await self.get(session, caller, case_id)
        if case.status in (S.ACCEPTED, S.WITHDRAWN):
            raise ILLEGAL_FROM[S(case.status)](f"The case is {case.status}: it takes no more photos.")
        photo = SupportCasePhoto(
            id=new_id(),
            support_case_id=case.id,
            stage=data.stage.value,
            file_reference=data.file_reference,
            sha256=data.sha256.lower(),
            taken_at=data.taken_at,
            latitude=data.latitude,
            longitude=data.longitude,
            province_code=case.province_code,
            commune_code=case.commune_code,
            legacy_area_code=case.legacy_area_code,
        )
        try:
            await SupportPhotoRepository(session).save(photo)
        except UniqueViolation as exc:
            raise PhotoExists(
                "This photo is already recorded for the case.",
                errors=[
                    FieldError(
                        pointer="/body/sha256", code="support_photo_exists", message="already recorded"
                    )
                ],
            ) from exc
        return photo

    async def photos(
        self, session: AsyncSession, caller: Principal, case_id: uuid.UUID
    ) -> list[SupportCasePhoto]:
        case = await self.get(session, caller, case_id)
        return await SupportPhotoRepository(session).for_case(case.id)

    async def upload_photo(
        self,
        session: AsyncSession,
        caller: Principal,
        case_id: uuid.UUID,
        photo_id: uuid.UUID,
        *,
        content_type: str,
        content: bytes,
        max_bytes: int,
    ) -> SupportCasePhoto:
        """Store the bytes of a recorded photo: an accepted image type whose SHA-256 is the one recorded."""
        case = await self.get(session, caller, case_id)
        photo = await SupportPhotoRepository(session).get_of_case(case.id, photo_id, with_content=True)
        if photo is None:
            raise SupportPhotoNotFound(f"No photo {photo_id} of support case {case_id}.")
        if case.status in (S.ACCEPTED, S.WITHDRAWN):
            raise ILLEGAL_FROM[S(case.status)](f"The case is {case.status}: its photos no longer change.")
        if len(content) > max_bytes:
            raise PhotoTooLarge(
                f"The photo has more than {max_bytes} bytes.",
                errors=[
                    FieldError(pointer="/body", code="photo_too_large", message=f"over {max_bytes} bytes")
                ],
            )
        media_type = content_type.split(";", maxsplit=1)[0].strip().lower()
        signatures = PHOTO_SIGNATURES.get(media_type)
        if signatures is None or not content.startswith(signatures):
            raise PhotoContentInvalid(
                f"Send a JPEG, PNG or WebP image with its Content-Type ({', '.join(PHOTO_SIGNATURES)}).",
                errors=[
                    FieldError(
                        pointer="/header/content-type", code="unsupported_image", message="not an image"
                    )
                ],
            )
        if hashlib.sha256(content).hexdigest() != photo.sha256:
            raise PhotoContentInvalid(
                "The bytes do not have the SHA-256 recorded for this photo.",
                errors=[FieldError(pointer="/body", code="sha256_mismatch", message="SHA-256 differs")],
            )
        photo.content = content
        photo.content_type = media_type
        photo.size_bytes = len(content)
        photo.uploaded_at = datetime.now(UTC)
        await SupportPhotoRepository(session).save(photo)
        return photo

    async def photo_content(
        self, session: AsyncSession, caller: Principal, case_id: uuid.UUID, photo_id: uuid.UUID
    ) -> SupportCasePhoto:
        case = await self.get(session, caller, case_id)
        photo = await SupportPhotoRepository(session).get_of_case(case.id, photo_id, with_content=True)
        if photo is None or photo.content is None:
            raise SupportPhotoNotFound(f"No uploaded photo {photo_id} of support case {case_id}.")
        return photo

    # ----------------------------------------------------------------------------- history, rates

    async def household_history(
        self, session: AsyncSession, caller: Principal, household_id: uuid.UUID, params: PageParams
    ) -> tuple[list[SupportHistory], str | None]:
        household = await household_service.get(session, caller, household_id)
        return await SupportHistoryRepository(session).for_household(household.id, params)

    async def person_history(
        self, session: AsyncSession, caller: Principal, person_id: uuid.UUID, params: PageParams
    ) -> tuple[list[SupportHistory], str | None]:
        person = await person_service.get(session, caller, person_id)
        return await SupportHistoryRepository(session).for_person(person.id, caller.area, params)

    async def list_rates(
        self, session: AsyncSession, params: PageParams
    ) -> tuple[list[SupportRate], str | None]:
        return await SupportRateRepository(session).list_rates(params)


support_case_service = SupportCaseService()
