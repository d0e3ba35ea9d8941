"""Cases: opened from the yearly plan, ad hoc or from a profiteering flag; assigned to an inspector;
worked against a checklist version with findings, photo evidence and violations; concluded;
sanctioned; re-checked; closed. Every step is checked by the state machine, and a closed case is
read-only."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.checklist.repository import VersionRepository
from inspection_api.checklist.service import checklist_service
from inspection_api.clients.registry import RegistryClient
from inspection_api.inspection_case import states
from inspection_api.inspection_case.blobstore import (
    BlobNotFoundError,
    BlobStore,
    BlobStoreError,
    evidence_key,
)
from inspection_api.inspection_case.errors import (
    AreaNotCovered,
    CaptureTimeInFuture,
    CaseNotAssignedToYou,
    CaseNotFound,
    CaseNotInProgress,
    CaseViolationUnknown,
    ChecklistItemUnknown,
    ChecklistKindMismatch,
    ChecklistVersionUnknown,
    ClosureNoteRequired,
    CommuneNotInProvince,
    DateInvalid,
    EvidenceContentAltered,
    EvidenceContentMissing,
    EvidenceNotFound,
    EvidenceStoreUnavailable,
    FindingNotFound,
    FindingUnknown,
    FineOutOfRange,
    PhotoNotAnImage,
    PhotoTooLarge,
    PlanItemMismatch,
    PlanItemUnknown,
    RecheckOpen,
    SanctionNumberTaken,
    ViolationAlreadySanctioned,
    ViolationsUnsanctioned,
    ViolationTypeNotInForce,
    ViolationTypeUnknown,
)
from inspection_api.inspection_case.repository import (
    CaseRepository,
    EvidenceRepository,
    FindingRepository,
    SanctionRepository,
    ViolationRepository,
    ViolationTypeRepository,
)
from inspection_api.inspection_case.schemas import (
    CaseAssign,
    CaseClose,
    CaseConclude,
    CaseCreate,
    CaseStart,
    FindingCreate,
    FindingUpdate,
    RecheckCreate,
    SanctionCreate,
    ViolationCreate,
)
from inspection_api.inspection_plan.repository import PlanItemRepository
from inspection_api.models import (
    CaseKind,
    CaseStatus,
    CaseViolation,
    InspectionCase,
    InspectionEvidence,
    InspectionFinding,
    OutboxEvent,
    SanctionDecision,
    ViolationType,
)
from servicekit.concurrency import check_version
from servicekit.errors import FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.principal import Principal, Role

S = CaseStatus
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)
# Legal dates are local dates in Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
VN_OFFSET = timedelta(hours=7)


def today_local() -> date:
    return (datetime.now(UTC) + VN_OFFSET).date()


def sniff_image(content: bytes) -> str | None:
    """The image type the bytes really are (by their magic numbers), or None."""
    if content.startswith(b"\xff\xd8\xff") and len(content) > 4:
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n") and len(content) > 8:
        return "image/png"
    if len(content) > 12 and content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return None


def _field(pointer: str, code: str, message: str) -> list[FieldError]:
    return [FieldError(pointer=pointer, code=code, message=message)]


async def check_commune(registry: RegistryClient, province_code: str, commune_code: str | None) -> None:
    """Only registry-api holds the units: it confirms the commune lies in the province (503 when down)."""
    if commune_code is None:
        return
    unit = await registry.admin_unit(commune_code)
    if unit is None or unit.level != "commune" or unit.parent_code != province_code:
        raise CommuneNotInProvince(
            f"{commune_code} is not a current commune of province {province_code}.",
            errors=_field("/body/commune_code", "commune_not_in_province", "not a commune of the province"),
        )


def _not_future(value: date, pointer: str) -> None:
    if value > today_local():
        raise DateInvalid("The date is in the future.", errors=_field(pointer, "in_future", "in the future"))


async def _emit(session: AsyncSession, type_: str, case: InspectionCase, **data: Any) -> None:
    # Ids, kind, state and dates only: no names, no free text.
    await emit(
        session,
        OutboxEvent,
        type=type_,
        subject=urn("inspection", "inspection-case", case.id),
        area_codes=[case.province_code, case.commune_code],
        data={"case_id": case.id, "kind": case.kind, "status": case.status, **data},
    )


def _authorise(
    caller: Principal, case: InspectionCase, *, assignee_only: bool, officers_only: bool = False
) -> None:
    """Inspectors act on the cases assigned to them; province officers where the step allows them."""
    is_officer = Role.PROVINCE_OFFICER in caller.roles
    if officers_only:
        if not is_officer:
            raise CaseNotAssignedToYou("Only a province officer cancels a case not yet worked.")
        return
    if (assignee_only or not is_officer) and case.assigned_inspector != caller.subject:
        raise CaseNotAssignedToYou("This case is not assigned to you.")


@dataclass(frozen=True)
class PhotoMeta:
    latitude: float
    longitude: float
    captured_at: datetime
    gps_accuracy_m: float | None = None
    finding_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Stored:
    evidence: InspectionEvidence
    created: bool


@dataclass
class CaseLookups:
    """What many writes in one transaction (a sync batch) reuse instead of selecting it again.

    `locked_cases`: cases selected FOR UPDATE outside any savepoint, so their locks hold until the
    transaction ends; every check a write makes still runs on them, per write. A case whose state a
    rolled-back savepoint expired is selected again. `checklist_keys`: the item keys of checklist
    versions, which are frozen from a case's first use of them."""

    locked_cases: dict[uuid.UUID, InspectionCase] = field(default_factory=dict)
    checklist_keys: dict[uuid.UUID, frozenset[str]] = field(default_factory=dict)

    def case(self, case_id: uuid.UUID) -> InspectionCase | None:
        case = self.locked_cases.get(case_id)
        if case is None:
            return None
        state = sa_inspect(case)
        return case if state.persistent and not state.expired_attributes else None


class InspectionCaseService:
    # ------------------------------------------------------------------------------ lookups, guards

    async def get(
        self,
        session: AsyncSession,
        caller: Principal,
        case_id: uuid.UUID,
        *,
        for_update: bool = False,
        lookups: CaseLookups | None = None,
    ) -> InspectionCase:
        """One case in the caller's area; outside it, a case is as missing as one that does not exist."""
        if lookups is not None and (locked := lookups.case(case_id)) is not None:
            return locked
        case = await CaseRepository(session).get_in_area(case_id, caller.area, for_update=for_update)
        if case is None:
            raise CaseNotFound(f"No inspection case {case_id} in your area.")
        return case

    async def lock_cases(
        self, session: AsyncSession, caller: Principal, case_ids: set[uuid.UUID]
    ) -> CaseLookups:
        """Lock the cases of a batch of writes at once (those in the caller's area; the others stay
        missing for each write to report)."""
        lookups = CaseLookups()
        if case_ids:
            for case in await CaseRepository(session).lock_in_area(case_ids, caller.area):
                lookups.locked_cases[case.id] = case
        return lookups

    async def _writable(
        self,
        session: AsyncSession,
        caller: Principal,
        case_id: uuid.UUID,
        *,
        assignee_only: bool,
        action: str | None,
        expected_version: int | None = None,
        lookups: CaseLookups | None = None,
    ) -> InspectionCase:
        """The case, locked, after the checks every write makes, in this order: in the area (404), the
        ETag (412), not closed (409 `case_closed`), the step allowed from its state (409), the caller's
        assignment (403). The ETag comes before the state so that of two racers with one ETag the loser
        learns it acted on an old version (412), not that the step it saw offered is gone."""
        case = await self.get(session, caller, case_id, for_update=True, lookups=lookups)
        if expected_version is not None:
            check_version(case.version, expected_version)
        states.ensure_open(case.status)
        if action is None:
            if case.status != S.IN_PROGRESS:
                raise CaseNotInProgress(f"The case is {case.status}.")
        else:
            states.target_of(case.status, action)
        _authorise(caller, case, assignee_only=assignee_only)
        return case

    async def _in_progress(
        self,
        session: AsyncSession,
        caller: Principal,
        case_id: uuid.UUID,
        lookups: CaseLookups | None = None,
    ) -> InspectionCase:
        """A case the caller works on now: in progress and assigned to them."""
        return await self._writable(
            session, caller, case_id, assignee_only=True, action=None, lookups=lookups
        )

    @staticmethod
    async def _checklist_keys(
        session: AsyncSession, version_id: uuid.UUID, lookups: CaseLookups | None
    ) -> frozenset[str]:
        if lookups is not None and version_id in lookups.checklist_keys:
            return lookups.checklist_keys[version_id]
        version = await checklist_service.get_version(session, version_id)
        keys = frozenset(str(i["key"]) for i in version.items)
        if lookups is not None:
            lookups.checklist_keys[version_id] = keys
        return keys

    async def _finding_of(
        self, session: AsyncSession, case: InspectionCase, finding_id: uuid.UUID | None
    ) -> None:
        if (
            finding_id is not None
            and await FindingRepository(session).get_of_case(case.id, finding_id) is None
        ):
            raise FindingUnknown(
                "The finding is not one of this case.",
                errors=_field("/body/finding_id", "finding_unknown", "not a finding of this case"),
            )

    # ----------------------------------------------------------------------------------- opening

    async def _open(self, session: AsyncSession, case: InspectionCase, **data: Any) -> InspectionCase:
        await CaseRepository(session).save(case)
        await _emit(session, "inspection_case.opened", case, **data)
        return case

    async def create(
        self, session: AsyncSession, caller: Principal, data: CaseCreate, registry: RegistryClient
    ) -> InspectionCase:
        """Open a case in the caller's area, ad hoc or for a plan item of the same kind and area."""
        if not caller.covers(data.province_code, data.commune_code):
            where = f"commune {data.commune_code}" if data.commune_code else f"province {data.province_code}"
            raise AreaNotCovered(f"You do not cover {where}.")
        await check_commune(registry, data.province_code, data.commune_code)
        if data.plan_item_id is not None:
            found = await PlanItemRepository(session).with_plan_in_area(data.plan_item_id, caller.area)
            if found is None:
                raise PlanItemUnknown(
                    "No such plan item in your area.",
                    errors=_field("/body/plan_item_id", "plan_item_unknown", "no such plan item"),
                )
            item, plan = found
            mismatched = [
                name
                for name, ok in (
                    ("kind", plan.kind == data.kind.value),
                    ("province_code", item.province_code == data.province_code),
                    ("commune_code", item.commune_code is None or item.commune_code == data.commune_code),
                )
                if not ok
            ]
            if mismatched:
                raise PlanItemMismatch(
                    "The case differs from its plan item.",
                    errors=[
                        FieldError(
                            pointer=f"/body/{n}",
                            code="plan_item_mismatch",
                            message="differs from the plan item",
                        )
                        for n in mismatched
                    ],
                )
        case = InspectionCase(
            kind=data.kind.value,
            status=S.PLANNED.value,
            title=data.title,
            subject=data.subject,
            summary=data.summary,
            province_code=data.province_code,
            commune_code=data.commune_code,
            plan_item_id=data.plan_item_id,
            due_on=data.due_on,
            opened_by=caller.subject,
        )
        return await self._open(
            session, case, plan_item_id=data.plan_item_id, source="plan" if data.plan_item_id else "ad_hoc"
        )

    async def open_for_flag(
        self,
        session: AsyncSession,
        principal: Principal,
        *,
        kind: str,
        title: str,
        province_code: str,
        commune_code: str | None,
        flag_id: uuid.UUID,
        summary: str,
    ) -> InspectionCase:
        if not principal.is_service and not principal.covers(province_code, commune_code):
            raise AreaNotCovered(f"You do not cover the flag's area ({commune_code or province_code}).")
        case = InspectionCase(
            kind=CaseKind(kind).value,
            status=S.PLANNED.value,
            title=title[:300],
            subject=title[:300],
            summary=summary,
            province_code=province_code,
            commune_code=commune_code,
            flag_id=flag_id,
            opened_by=principal.acting_subject or principal.subject,
        )
        return await self._open(session, case, flag_id=flag_id, source="flag")

    async def list_cases(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        status: CaseStatus | None,
        kind: CaseKind | None,
        mine: bool,
        plan_item_id: uuid.UUID | None,
        parent_case_id: uuid.UUID | None,
    ) -> tuple[list[InspectionCase], str | None]:
        return await CaseRepository(session).list_cases(
            params,
            area=caller.area,
            status=status.value if status else None,
            kind=kind.value if kind else None,
            assigned_inspector=caller.subject if mine else None,
            plan_item_id=plan_item_id,
            parent_case_id=parent_case_id,
        )

    # -------------------------------------------------------------------------------- transitions

    async def assign(
        self,
        session: AsyncSession,
        caller: Principal,
        case_id: uuid.UUID,
        expected_version: int,
        data: CaseAssign,
    ) -> InspectionCase:
        case = await self.get(session, caller, case_id, for_update=True)
        check_version(case.version, expected_version)  # before the state: see `_writable`
        target = states.target_of(case.status, "assign")
        case.status = target.value
        case.assigned_inspector = data.inspector_subject
        case.assigned_at = datetime.now(UTC)
        if data.due_on is not None:
            case.due_on = data.due_on
        await CaseRepository(session).save(case)
        await _emit(session, "inspection_case.assigned", case, due_on=case.due_on)
        return case

    async def start(
        self,
        session: AsyncSession,
        caller: Principal,
        case_id: uuid.UUID,
        expected_version: int,
        data: CaseStart,
    ) -> InspectionCase:
        case = await self._writable(
            session, caller, case_id, assignee_only=True, expected_version=expected_version, action="start"
        )
        target = states.target_of(case.status, "start")
        if data.checklist_version_id is not None:
            found = await VersionRepository(session).with_template(data.checklist_version_id)
            if found is None:
                raise ChecklistVersionUnknown(
                    "No such checklist template version.",
                    errors=_field(
                        "/body/checklist_version_id", "checklist_version_unknown", "no such version"
                    ),
                )
            version, template = found
            if template.kind != case.kind:
                raise ChecklistKindMismatch(
                    f"The checklist is for a {template.kind}, the case is a {case.kind}.",
                    errors=_field(
                        "/body/checklist_version_id", "checklist_kind_mismatch", "other kind of case"
                    ),
                )
            await checklist_service.mark_used(session, version)
            case.checklist_version_id = version.id
        case.status = target.value
        case.started_at = datetime.now(UTC)
        await CaseRepository(session).save(case)
        await _emit(session, "inspection_case.started", case, checklist_version_id=case.checklist_version_id)
        return case

    async def conclude(
        self,
        session: AsyncSession,
        caller: Principal,
        case_id: uuid.UUID,
        expected_version: int,
        data: CaseConclude,
    ) -> InspectionCase:
        case = await self._writable(
            session, caller, case_id, assignee_only=True, expected_version=expected_version, action="conclude"
        )
        target = states.target_of(case.status, "conclude")
        _not_future(data.concluded_on, "/body/concluded_on")
        if case.started_at is not None and data.concluded_on < (case.started_at + VN_OFFSET).date():
            raise DateInvalid(
                "A case cannot be concluded before it started.",
                errors=_field("/body/concluded_on", "before_start", "before the case started"),
            )
        case.status = target.value
        case.conclusion = data.conclusion
        case.concluded_on = data.concluded_on
        await CaseRepository(session).save(case)
        violations = await ViolationRepository(session).count_unsanctioned(case.id)
        await _emit(
            session, "inspection_case.concluded", case, concluded_on=case.concluded_on, violations=violations
        )
        return case

    async def decide_sanction(
        self,
        session: AsyncSession,
        caller: Principal,
        case_id: uuid.UUID,
        expected_version: int,
        data: SanctionCreate,
    ) -> tuple[InspectionCase, SanctionDecision]:
        case = await self._writable(
            session,
            caller,
            case_id,
            assignee_only=False,
            expected_version=expected_version,
            action="sanction",
        )
        target = states.target_of(case.status, "sanction")
        violation = await ViolationRepository(session).get_of_case(case.id, data.case_violation_id)
        if violation is None:
            raise CaseViolationUnknown(
                "The violation is not one of this case.",
                errors=_field(
                    "/body/case_violation_id", "case_violation_unknown", "not a violation of this case"
                ),
            )
        sanctions = SanctionRepository(session)
        if await sanctions.of_violation(violation.id) is not None:
            raise ViolationAlreadySanctioned("This violation already has a sanction decision.")
        if await sanctions.by_number(data.number) is not None:
            raise SanctionNumberTaken(f"Decision {data.number} already exists.")
        _not_future(data.decided_on, "/body/decided_on")
        if case.concluded_on is not None and data.decided_on < case.concluded_on:
            raise DateInvalid(
                "A sanction is decided after the case's conclusion.",
                errors=_field("/body/decided_on", "before_conclusion", "before the conclusion"),
            )
        if data.remedy_deadline is not None and data.remedy_deadline < data.decided_on:
            raise DateInvalid(
                "The remedy deadline is before the decision.",
                errors=_field("/body/remedy_deadline", "before_decision", "before the decision date"),
            )
        vtype = await ViolationTypeRepository(session).get(violation.violation_type_id)
        assert vtype is not None  # a foreign key
        if not vtype.fine_min_vnd <= data.fine_vnd <= vtype.fine_max_vnd:
            raise FineOutOfRange(
                f"The fine for {vtype.code} is {vtype.fine_min_vnd:,}–{vtype.fine_max_vnd:,} VND"
                + (" (draft values)." if vtype.is_draft else "."),
                errors=_field("/body/fine_vnd", "fine_out_of_range", "outside the catalogue's range"),
            )
        decision = SanctionDecision(
            case_id=case.id,
            case_violation_id=violation.id,
            number=data.number,
            decided_on=data.decided_on,
            fine_vnd=data.fine_vnd,
            fine_range_draft=vtype.is_draft,
            remedy=data.remedy if data.remedy is not None else vtype.remedy,
            remedy_deadline=data.remedy_deadline,
            decided_by=caller.subject,
            province_code=case.province_code,
            commune_code=case.commune_code,
        )
        if not await sanctions.add_if_number_free(decision):
            raise SanctionNumberTaken(f"Decision {data.number} was just recorded by someone else.")
        case.status = target.value
        case.updated_at = datetime.now(UTC)  # a new ETag even when the case was already sanctioned
        await CaseRepository(session).save(case)
        await _emit(
            session,
            "sanction.decided",
            case,
            sanction_id=decision.id,
            case_violation_id=violation.id,
            violation_code=vtype.code,
            decided_on=decision.decided_on,
            fine_vnd=decision.fine_vnd,
            fine_range_draft=decision.fine_range_draft,
            remedy_deadline=decision.remedy_deadline,
        )
        return case, decision

    async def schedule_recheck(
        self,
        session: AsyncSession,
        caller: Principal,
        case_id: uuid.UUID,
        expected_version: int,
        data: RecheckCreate,
    ) -> tuple[InspectionCase, InspectionCase]:
        case = await self._writable(
            session,
            caller,
            case_id,
            assignee_only=False,
            expected_version=expected_version,
            action="schedule_recheck",
        )
        target = states.target_of(case.status, "schedule_recheck")
        if case.concluded_on is not None and data.due_on < case.concluded_on:
            raise DateInvalid(
                "A re-check is due after the conclusion.",
                errors=_field("/body/due_on", "before_conclusion", "before the conclusion"),
            )
        case.status = target.value
        await CaseRepository(session).save(case)
        child = InspectionCase(
            kind=case.kind,
            status=S.PLANNED.value,
            title=data.title or f"Tái kiểm tra: {case.title}"[:300],
            subject=case.subject,
            summary=case.conclusion,
            province_code=case.province_code,
            commune_code=case.commune_code,
            legacy_area_code=case.legacy_area_code,
            parent_case_id=case.id,
            due_on=data.due_on,
            opened_by=caller.subject,
        )
        await self._open(session, child, parent_case_id=case.id, source="recheck", due_on=data.due_on)
        await _emit(
            session, "inspection_case.recheck_scheduled", case, recheck_case_id=child.id, due_on=data.due_on
        )
        return case, child

    async def close(
        self,
        session: AsyncSession,
        caller: Principal,
        case_id: uuid.UUID,
        expected_version: int,
        data: CaseClose,
    ) -> InspectionCase:
        case = await self.get(session, caller, case_id, for_update=True)
        check_version(case.version, expected_version)  # before the state: see `_writable`
        states.ensure_open(case.status)
        states.target_of(case.status, "close")
        not_worked = case.status in (S.PLANNED, S.ASSIGNED)
        # Cancelling a case not yet worked is the planners' call; closing a worked one, the assignee's too.
        _authorise(caller, case, assignee_only=False, officers_only=not_worked)
        if not_worked and data.note is None:
            raise ClosureNoteRequired(
                "Say why a case is cancelled before it was worked.",
                errors=_field("/body/note", "missing", "required to cancel a case"),
            )
        if case.status in (S.CONCLUDED, S.SANCTIONED) and await ViolationRepository(
            session
        ).count_unsanctioned(case.id):
            raise ViolationsUnsanctioned(
                "Decide a sanction for every violation first (or schedule a re-check)."
            )
        if case.status == S.FOLLOW_UP and await CaseRepository(session).has_open_child(case.id):
            raise RecheckOpen("Close the re-check first.")
        previous = case.status
        case.status = S.CLOSED.value
        case.closed_at = datetime.now(UTC)
        case.closure_note = data.note
        await CaseRepository(session).save(case)
        await _emit(session, "inspection_case.closed", case, closed_from=previous)
        return case

    # -------------------------------------------------------------------------- findings, evidence

    async def record_finding(
        self,
        session: AsyncSession,
        caller: Principal,
        case_id: uuid.UUID,
        data: FindingCreate,
        *,
        lookups: CaseLookups | None = None,
    ) -> InspectionFinding:
        case = await self._in_progress(session, caller, case_id, lookups)
        if data.checklist_item_key is not None:
            keys: frozenset[str] = frozenset()
            if case.checklist_version_id is not None:
                keys = await self._checklist_keys(session, case.checklist_version_id, lookups)
            if data.checklist_item_key not in keys:
                raise ChecklistItemUnknown(
                    "The item is not on the checklist the case uses.",
                    errors=_field(
                        "/body/checklist_item_key", "checklist_item_unknown", "not on the checklist"
                    ),
                )
        finding = InspectionFinding(
            case_id=case.id,
            checklist_item_key=data.checklist_item_key,
            outcome=data.outcome.value,
            note=data.note,
            recorded_by=caller.subject,
            province_code=case.province_code,
            commune_code=case.commune_code,
        )
        await FindingRepository(session).add(finding)
        await _emit(
            session,
            "finding.recorded",
            case,
            finding_id=finding.id,
            checklist_item_key=finding.checklist_item_key,
            outcome=finding.outcome,
        )
        return finding

    async def update_finding(
        self,
        session: AsyncSession,
        caller: Principal,
        case_id: uuid.UUID,
        finding_id: uuid.UUID,
        expected_version: int,
        data: FindingUpdate,
        *,
        lookups: CaseLookups | None = None,
    ) -> InspectionFinding:
        case = await self._in_progress(session, caller, case_id, lookups)
        finding = await FindingRepository(session).get_of_case(case.id, finding_id)
        if finding is None:
            raise FindingNotFound(f"No finding {finding_id} in case {case_id}.")
        check_version(finding.version, expected_version)
        changes = data.model_dump(exclude_unset=True)
        if not changes:
            return finding
        if "outcome" in changes:
            finding.outcome = changes["outcome"].value
        if "note" in changes:
            finding.note = changes["note"]
        await FindingRepository(session).flush()
        await _emit(session, "finding.updated", case, finding_id=finding.id, outcome=finding.outcome)
        return finding

    async def list_findings(
        self, session: AsyncSession, caller: Principal, case_id: uuid.UUID, params: PageParams
    ) -> tuple[list[InspectionFinding], str | None]:
        case = await self.get(session, caller, case_id)
        return await FindingRepository(session).list_of_case(case.id, params)

    async def add_photo(
        self,
        session: AsyncSession,
        caller: Principal,
        case_id: uuid.UUID,
        *,
        content: bytes,
        meta: PhotoMeta,
        store: BlobStore,
        max_bytes: int,
    ) -> Stored:
        """Store a photo of the case. Its type is read from its bytes (JPEG, PNG, WebP: anything else
        is refused and nothing is stored); its SHA-256 is computed here. The same bytes sent again for
        the same case return the photo already stored."""
        case = await self._in_progress(session, caller, case_id)
        if len(content) > max_bytes:
            raise PhotoTooLarge(
                f"The photo has more than {max_bytes} bytes.",
                errors=_field("/body", "photo_too_large", f"over {max_bytes} bytes"),
            )
        content_type = sniff_image(content)
        if content_type is None:
            raise PhotoNotAnImage(
                "The bytes are not a JPEG, PNG or WebP image.",
                errors=_field("/body", "not_an_image", "not a JPEG, PNG or WebP image"),
            )
        if meta.captured_at > datetime.now(UTC) + CLOCK_SKEW:
            raise CaptureTimeInFuture(
                "The capture time is in the future.",
                errors=_field("/query/captured_at", "in_future", "in the future"),
            )
        await self._finding_of(session, case, meta.finding_id)
        digest = hashlib.sha256(content).hexdigest()
        repo = EvidenceRepository(session)
        existing = await repo.by_hash(case.id, digest)
        if existing is not None:
            return Stored(existing, created=False)
        key = evidence_key(digest)
        try:
            await store.put(key, content, content_type)
        except BlobStoreError as exc:
            raise EvidenceStoreUnavailable("The evidence store did not take the photo; try again.") from exc
        evidence = InspectionEvidence(
            case_id=case.id,
            finding_id=meta.finding_id,
            content_type=content_type,
            size_bytes=len(content),
            sha256=digest,
            storage_key=key,
            latitude=meta.latitude,
            longitude=meta.longitude,
            gps_accuracy_m=meta.gps_accuracy_m,
            captured_at=meta.captured_at,
            uploaded_by=caller.subject,
            province_code=case.province_code,
            commune_code=case.commune_code,
        )
        await repo.add(evidence)
        await _emit(
            session,
            "evidence.uploaded",
            case,
            evidence_id=evidence.id,
            finding_id=evidence.finding_id,
            sha256=digest,
            captured_at=evidence.captured_at,
        )
        return Stored(evidence, created=True)

    async def list_photos(
        self, session: AsyncSession, caller: Principal, case_id: uuid.UUID, params: PageParams
    ) -> tuple[list[InspectionEvidence], str | None]:
        case = await self.get(session, caller, case_id)
        return await EvidenceRepository(session).list_of_case(case.id, params)

    async def photo(
        self, session: AsyncSession, caller: Principal, case_id: uuid.UUID, evidence_id: uuid.UUID
    ) -> InspectionEvidence:
        case = await self.get(session, caller, case_id)
        evidence = await EvidenceRepository(session).get_of_case(case.id, evidence_id)
        if evidence is None:
            raise EvidenceNotFound(f"No photo {evidence_id} in case {case_id}.")
        return evidence

    async def photo_content(
        self,
        session: AsyncSession,
        caller: Principal,
        case_id: uuid.UUID,
        evidence_id: uuid.UUID,
        store: BlobStore,
    ) -> tuple[InspectionEvidence, bytes]:
        """The stored bytes, checked against the SHA-256 recorded on upload (tamper-evident)."""
        evidence = await self.photo(session, caller, case_id, evidence_id)
        try:
            content = await store.get(evidence.storage_key)
        except BlobNotFoundError as exc:
            raise EvidenceContentMissing("The photo's bytes are missing from the evidence store.") from exc
        except BlobStoreError as exc:
            raise EvidenceStoreUnavailable("The evidence store did not answer; try again.") from exc
        if hashlib.sha256(content).hexdigest() != evidence.sha256:
            raise EvidenceContentAltered("The stored bytes differ from the ones uploaded.")
        return evidence, content

    # ------------------------------------------------------------------------------ violations

    async def list_violation_types(
        self, session: AsyncSession, params: PageParams, *, in_force_on: date | None, code: str | None
    ) -> tuple[list[ViolationType], str | None]:
        return await ViolationTypeRepository(session).list_types(params, in_force_on=in_force_on, code=code)

    async def record_violation(
        self, session: AsyncSession, caller: Principal, case_id: uuid.UUID, data: ViolationCreate
    ) -> CaseViolation:
        case = await self._in_progress(session, caller, case_id)
        vtype = await ViolationTypeRepository(session).get(data.violation_type_id)
        if vtype is None:
            raise ViolationTypeUnknown(
                "No such violation in the catalogue.",
                errors=_field("/body/violation_type_id", "violation_type_unknown", "not in the catalogue"),
            )
        _not_future(data.observed_on, "/body/observed_on")
        if data.observed_on < vtype.valid_from or (
            vtype.valid_to is not None and data.observed_on > vtype.valid_to
        ):
            raise ViolationTypeNotInForce(
                f"{vtype.code} is catalogued from {vtype.valid_from}"
                + (f" to {vtype.valid_to}." if vtype.valid_to else "."),
                errors=_field(
                    "/body/observed_on", "violation_type_not_in_force", "outside the entry's validity"
                ),
            )
        await self._finding_of(session, case, data.finding_id)
        violation = CaseViolation(
            case_id=case.id,
            violation_type_id=vtype.id,
            finding_id=data.finding_id,
            observed_on=data.observed_on,
            description=data.description,
            recorded_by=caller.subject,
            province_code=case.province_code,
            commune_code=case.commune_code,
        )
        await ViolationRepository(session).add(violation)
        await _emit(
            session,
            "violation.recorded",
            case,
            case_violation_id=violation.id,
            violation_code=vtype.code,
            observed_on=violation.observed_on,
            fine_range_draft=vtype.is_draft,
        )
        return violation

    async def list_violations(
        self, session: AsyncSession, caller: Principal, case_id: uuid.UUID, params: PageParams
    ) -> tuple[list[CaseViolation], str | None]:
        case = await self.get(session, caller, case_id)
        return await ViolationRepository(session).list_of_case(case.id, params)

    async def list_sanctions(
        self, session: AsyncSession, caller: Principal, case_id: uuid.UUID, params: PageParams
    ) -> tuple[list[SanctionDecision], str | None]:
        case = await self.get(session, caller, case_id)
        return await SanctionRepository(session).list_of_case(case.id, params)


inspection_case_service = InspectionCaseService()


async def open_case_for_flag(
    session: AsyncSession,
    principal: Principal,
    *,
    kind: str,
    title: str,
    province_code: str,
    commune_code: str | None,
    flag_id: uuid.UUID,
    summary: str,
) -> InspectionCase:
    """Open a case (in its first state, `planned`) from a confirmed profiteering flag, recording the
    flag's id; audited, and emits `inspection_case.opened`. `kind` is "construction_check" or
    "inspectorate_inspection". A person must cover the flag's area (403 `area_not_covered`)."""
    return await inspection_case_service.open_for_flag(
        session,
        principal,
        kind=kind,
        title=title,
        province_code=province_code,
        commune_code=commune_code,
        flag_id=flag_id,
        summary=summary,
    )
