"""Applications for social housing, their workflow and eligibility by dated rules; confirmations for banks."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.application.eligibility import FAIL, PASS, Facts, evaluate, verdict
from registry_api.application.errors import (
    ILLEGAL_FROM,
    ApplicantNotFound,
    ApplicationNotFound,
    ApplicationOpenExists,
    ApplicationPersonInvalid,
    ApplicationProjectNotFound,
    BeneficiaryGroupNotApplicable,
    EligibilityUnknown,
    NoEligibilityRules,
    ProjectSaleNotPublished,
    ProjectSaleWindowClosed,
    StepDateInvalid,
    TenureNotOffered,
)
from registry_api.application.repository import (
    ApplicationRepository,
    ConfirmationRepository,
    EvidenceRepository,
    GroupRepository,
    ReferenceRepository,
    SupportReadRepository,
)
from registry_api.application.schemas import ApplicationCreate, ConfirmationCreate, EvidenceCreate
from registry_api.household.errors import AreaNotCovered
from registry_api.housing_project.repository import HousingProjectRepository
from registry_api.models import (
    Application,
    ApplicationEvidence,
    ApplicationStatus,
    AuditRecord,
    BeneficiaryGroup,
    EligibilityConfirmation,
    EligibilityRule,
    HousingProject,
    OutboxEvent,
    RuleKind,
)
from registry_api.person.pii import CITIZEN_ID_PURPOSE
from registry_api.person.repository import PersonRepository
from registry_api.person.service import local_today
from servicekit.audit import record_access
from servicekit.concurrency import check_version
from servicekit.db.base import new_id
from servicekit.errors import FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.pii import PiiCipher
from servicekit.principal import Principal

S = ApplicationStatus
# The support history kinds that count as having bought or lease-purchased social housing.
OWNERSHIP_HISTORY_KINDS = ["sale", "lease_purchase", "resale_purchase"]
PURPOSE_TENURES = {
    "buy": ["buy"],
    "lease_purchase": ["lease_purchase"],
    "rent": ["rent"],
    "loan": ["buy", "lease_purchase"],
}


# The tenure each project kind offers to persons (worker accommodation is rented by employers).
PROJECT_TENURES = {"sale": "buy", "lease_purchase": "lease_purchase", "rent": "rent"}


def _field(pointer: str, code: str, message: str) -> list[FieldError]:
    return [FieldError(pointer=pointer, code=code, message=message)]


def check_sale_window(project: HousingProject, on: date, pointer: str) -> None:
    """D100 Art. 38: applications only once the sale is published, within its application window."""
    if project.sale_published_on is None or project.sale_published_on > on:
        raise ProjectSaleNotPublished(
            f"Project {project.id} has no sale publication on {on.isoformat()}.",
            errors=_field("/body/project_id", "sale_not_published", "sale information not published"),
        )
    opens, closes = project.sale_opens_on, project.sale_closes_on
    if opens is None or closes is None or not opens <= on <= closes:
        raise ProjectSaleWindowClosed(
            f"Applications are taken from {opens} to {closes}.",
            errors=_field(pointer, "outside_sale_window", "outside the application window"),
        )


async def _emit(session: AsyncSession, type_: str, app: Application, **data: object) -> None:
    # Ids, status and tenure only: income and housing facts are personal.
    await emit(
        session,
        OutboxEvent,
        type=type_,
        subject=urn("registry", "application", app.id),
        area_codes=[app.province_code, app.commune_code],
        data={
            "application_id": app.id,
            "project_id": app.project_id,
            "status": app.status,
            "tenure": app.tenure,
            **data,
        },
    )


class ApplicationService:
    async def create(self, session: AsyncSession, caller: Principal, data: ApplicationCreate) -> Application:
        persons = PersonRepository(session)
        applicant = await persons.get(data.applicant_person_id)
        if applicant is None:
            raise ApplicantNotFound(
                "No such applicant.",
                errors=_field("/body/applicant_person_id", "not_found", "no such person"),
            )
        if not caller.covers(applicant.province_code, applicant.commune_code):
            raise AreaNotCovered("The applicant lives outside your area.")
        named = [("/body/spouse_person_id", data.spouse_person_id)] + [
            (f"/body/member_person_ids/{i}", pid) for i, pid in enumerate(data.member_person_ids)
        ]
        errors: list[FieldError] = []
        for pointer, pid in named:
            if pid is None:
                continue
            other = await persons.get(pid)
            if other is None or other.household_id != applicant.household_id or pid == applicant.id:
                errors.append(
                    FieldError(pointer=pointer, code="person_not_in_household", message="not a member")
                )
        if errors:
            raise ApplicationPersonInvalid(
                "Spouse and members must be other members of the applicant's household.", errors=errors
            )
        group = await ReferenceRepository(session).group_on(data.beneficiary_group, local_today())
        if group is None:
            raise BeneficiaryGroupNotApplicable(
                f"No beneficiary group {data.beneficiary_group} is in force.",
                errors=_field("/body/beneficiary_group", "not_applicable", "no such group in force"),
            )
        project = await HousingProjectRepository(session).get(data.project_id)
        if project is None:
            raise ApplicationProjectNotFound(
                "No such social housing project.",
                errors=_field("/body/project_id", "not_found", "no such project"),
            )
        if PROJECT_TENURES.get(project.kind) != data.tenure.value:
            raise TenureNotOffered(
                f"A {project.kind} project takes no {data.tenure.value} applications.",
                errors=_field("/body/tenure", "tenure_not_offered", f"the project is {project.kind}"),
            )
        check_sale_window(project, local_today(), "/body/project_id")
        repo = ApplicationRepository(session)
        existing = await repo.open_for_applicant(applicant.id)
        if existing is not None:
            raise ApplicationOpenExists(
                f"The applicant already has an open application {existing.id} ({existing.status})."
            )
        app = Application(
            id=new_id(),
            project_id=data.project_id,
            tenure=data.tenure.value,
            status=S.DRAFT.value,
            applicant_person_id=applicant.id,
            spouse_person_id=data.spouse_person_id,
            member_person_ids=list(data.member_person_ids),
            beneficiary_group_id=group.id,
            marital_status=data.marital_status.value,
            monthly_income_vnd=data.monthly_income_vnd,
            owns_house_in_province=data.owns_house_in_province,
            house_floor_area_m2=data.house_floor_area_m2,
            house_occupants=data.house_occupants,
            applicant_disabled=data.applicant_disabled,
            resettled=data.resettled,
            lives_in_official_housing=data.lives_in_official_housing,
            house_far_from_work=data.house_far_from_work,
            note=data.note,
            province_code=applicant.province_code,
            commune_code=applicant.commune_code,
            legacy_area_code=applicant.legacy_area_code,
        )
        await repo.save(app)
        await _emit(session, "application.created", app)
        return app

    async def get(self, session: AsyncSession, caller: Principal, application_id: uuid.UUID) -> Application:
        app = await ApplicationRepository(session).get_in_area(application_id, caller.area)
        if app is None:
            raise ApplicationNotFound(f"No application {application_id} in your area.")
        return app

    async def list_applications(
        self, session: AsyncSession, caller: Principal, params: PageParams, status: ApplicationStatus | None
    ) -> tuple[list[Application], str | None]:
        return await ApplicationRepository(session).list_in_area(
            caller.area, params, status=status.value if status else None
        )

    async def evidence(self, session: AsyncSession, app: Application) -> list[ApplicationEvidence]:
        return await EvidenceRepository(session).for_application(app.id)

    async def add_evidence(
        self, session: AsyncSession, caller: Principal, application_id: uuid.UUID, data: EvidenceCreate
    ) -> ApplicationEvidence:
        app = await self.get(session, caller, application_id)
        if app.status not in (S.DRAFT.value, S.SUBMITTED.value):
            raise ILLEGAL_FROM[S(app.status)](
                f"Evidence is added to draft or submitted applications, not {app.status}."
            )
        covered = {app.applicant_person_id, app.spouse_person_id, *app.member_person_ids}
        if data.person_id not in covered:
            raise ApplicationPersonInvalid(
                "The document must cover the applicant, the spouse or a member.",
                errors=_field("/body/person_id", "person_not_in_application", "not in the application"),
            )
        if data.issued_on > local_today():
            raise StepDateInvalid(
                "issued_on is in the future.", errors=_field("/body/issued_on", "in_future", "in the future")
            )
        row = ApplicationEvidence(
            id=new_id(),
            application_id=app.id,
            person_id=data.person_id,
            form=data.form.value,
            form_version=data.form_version,
            issuer=data.issuer,
            issued_on=data.issued_on,
            document_number=data.document_number,
            province_code=app.province_code,
            commune_code=app.commune_code,
            legacy_area_code=app.legacy_area_code,
        )
        await EvidenceRepository(session).add(row)
        await emit(
            session,
            OutboxEvent,
            type="application.evidence_added",
            subject=urn("registry", "application", app.id),
            area_codes=[app.province_code, app.commune_code],
            data={"application_id": app.id, "evidence_id": row.id, "form": row.form},
        )
        return row

    async def _step(
        self,
        session: AsyncSession,
        caller: Principal,
        application_id: uuid.UUID,
        expected_version: int,
        allowed: tuple[ApplicationStatus, ...],
        on: date | None,
    ) -> tuple[Application, date]:
        app = await self.get(session, caller, application_id)
        check_version(app.version, expected_version)
        if S(app.status) not in allowed:
            raise ILLEGAL_FROM[S(app.status)](
                f"The application is {app.status}; this step needs {', '.join(s.value for s in allowed)}."
            )
        today = local_today()
        on = on or today
        previous = max((d for d in (app.submitted_on, app.assessed_on) if d is not None), default=None)
        if on > today or (previous is not None and on < previous):
            raise StepDateInvalid(
                "The date is in the future or before the previous step.",
                errors=_field("/body/on", "step_date_invalid", "in the future or before the previous step"),
            )
        return app, on

    async def submit(
        self,
        session: AsyncSession,
        caller: Principal,
        application_id: uuid.UUID,
        version: int,
        on: date | None,
    ) -> Application:
        app, on = await self._step(session, caller, application_id, version, (S.DRAFT,), on)
        project = await HousingProjectRepository(session).get(app.project_id)
        assert project is not None
        check_sale_window(project, on, "/body/on")
        app.status, app.submitted_on = S.SUBMITTED.value, on
        await ApplicationRepository(session).save(app)
        await _emit(session, "application.submitted", app, submitted_on=on)
        return app

    async def assess(
        self,
        session: AsyncSession,
        caller: Principal,
        application_id: uuid.UUID,
        version: int,
        on: date | None,
    ) -> Application:
        """Apply the rules in force on the submission date: eligible, ineligible, or 409 if undecidable."""
        app, on = await self._step(session, caller, application_id, version, (S.SUBMITTED,), on)
        assert app.submitted_on is not None
        trace = await self.trace(session, app, app.submitted_on)
        result = verdict(trace)
        if result not in (PASS, FAIL):
            undecided = [e["rule_code"] + ":" + e["reason"] for e in trace if e["outcome"] == "unknown"]
            raise EligibilityUnknown("Undecided rules: " + ", ".join(undecided) + ".")
        app.status = S.ELIGIBLE.value if result == PASS else S.INELIGIBLE.value
        app.assessed_on, app.eligibility_trace = on, trace
        await ApplicationRepository(session).save(app)
        await _emit(session, f"application.{app.status}", app, assessed_on=on)
        return app

    async def allocate(
        self,
        session: AsyncSession,
        caller: Principal,
        application_id: uuid.UUID,
        version: int,
        on: date | None,
    ) -> Application:
        app, on = await self._step(session, caller, application_id, version, (S.ELIGIBLE,), on)
        app.status, app.allocated_on = S.ALLOCATED.value, on
        await ApplicationRepository(session).save(app)
        await _emit(session, "application.allocated", app, allocated_on=on)
        return app

    async def withdraw(
        self,
        session: AsyncSession,
        caller: Principal,
        application_id: uuid.UUID,
        version: int,
        on: date | None,
        reason: str,
    ) -> Application:
        app, on = await self._step(
            session, caller, application_id, version, (S.DRAFT, S.SUBMITTED, S.ELIGIBLE), on
        )
        app.status, app.withdrawn_on, app.withdrawal_reason = S.WITHDRAWN.value, on, reason
        await ApplicationRepository(session).save(app)
        await _emit(session, "application.withdrawn", app, withdrawn_on=on)
        return app

    async def rules_on(self, session: AsyncSession, on: date) -> list[EligibilityRule]:
        rules = await ReferenceRepository(session).rules_on(on)
        if not rules:
            raise NoEligibilityRules(f"No eligibility rules are stored for {on.isoformat()}.")
        return rules

    async def trace(self, session: AsyncSession, app: Application, as_of: date) -> list[dict[str, Any]]:
        rules = await self.rules_on(session, as_of)
        group = await session.get(BeneficiaryGroup, app.beneficiary_group_id)
        assert group is not None
        people = [p for p in (app.applicant_person_id, app.spouse_person_id) if p is not None]
        facts = Facts(
            application=app,
            group_clause=group.clause,
            evidence=await EvidenceRepository(session).for_application(app.id),
        )
        repo = ApplicationRepository(session)
        for rule in rules:
            if rule.kind == RuleKind.NEVER_SUPPORTED.value:
                rows = await SupportReadRepository(session).for_persons(
                    people,
                    sources=list(rule.params.get("sources", ["support_case"])),
                    outcomes=list(rule.params["outcomes"]),
                )
                kinds = rule.params.get("support_kinds")
                facts.support_refs = [
                    r.support_case_id or r.contract_id or r.resale_event_id
                    for r in rows
                    if (kinds is None or r.kind in kinds) and r.proposed_on <= as_of
                ]
            elif rule.kind == RuleKind.NEVER_BOUGHT.value:
                rows = await SupportReadRepository(session).for_persons(
                    people,
                    sources=["contract", "resale"],
                    kinds=list(rule.params.get("history_kinds", OWNERSHIP_HISTORY_KINDS)),
                )
                facts.bought_refs = [
                    r.contract_id or r.resale_event_id for r in rows if r.proposed_on <= as_of
                ]
                facts.allocated_application_ids = [
                    a.id for a in await repo.allocated_ownership(people, app.id)
                ]
            elif rule.kind == RuleKind.POVERTY_CERTIFICATE.value:
                facts.poverty_category_ids = await repo.poverty_categories(
                    app.applicant_person_id,
                    list(rule.params.get("category_kinds", ["poor", "near_poor"])),
                    as_of,
                )
            elif rule.kind == RuleKind.ONE_PROJECT.value:
                facts.open_elsewhere_ids = [
                    a.id for a in await repo.open_elsewhere(people, app.project_id, app.id)
                ]
        return evaluate(rules, facts)

    async def eligibility(
        self, session: AsyncSession, caller: Principal, application_id: uuid.UUID, as_of: date | None
    ) -> tuple[date, list[dict[str, Any]]]:
        app = await self.get(session, caller, application_id)
        on = as_of or app.submitted_on or local_today()
        return on, await self.trace(session, app, on)

    async def list_groups(
        self, session: AsyncSession, params: PageParams, on: date | None
    ) -> tuple[list[BeneficiaryGroup], str | None]:
        return await GroupRepository(session).list_groups(params, on)

    async def list_rules(
        self, session: AsyncSession, params: PageParams
    ) -> tuple[list[EligibilityRule], str | None]:
        return await ReferenceRepository(session).list_rules(params)

    async def confirm(
        self, session: AsyncSession, caller: Principal, cipher: PiiCipher, data: ConfirmationCreate
    ) -> EligibilityConfirmation:
        """Answer a bank: the person's latest application for the purpose, judged by today's rules."""
        as_of = data.as_of or local_today()
        bidx = cipher.blind_index(data.citizen_id, purpose=CITIZEN_ID_PURPOSE)
        found = await PersonRepository(session).find_by_citizen_bidx(bidx, caller.area)
        person = found[0] if found else None
        app: Application | None = None
        reasons: list[dict[str, Any]]
        if person is None:
            reasons = [{"reason": "person_unknown", "outcome": FAIL}]
        else:
            app = await ApplicationRepository(session).latest_for_applicant(
                person.id, PURPOSE_TENURES[data.purpose.value]
            )
            if app is None or app.status in (S.DRAFT.value, S.WITHDRAWN.value):
                reasons = [{"reason": "no_submitted_application", "outcome": FAIL}]
                app = None
            else:
                reasons = [
                    {k: e[k] for k in ("rule_code", "kind", "legal_basis", "outcome", "reason")}
                    for e in await self.trace(session, app, as_of)
                ]
                if app.status == S.INELIGIBLE.value:
                    reasons.append({"reason": "application_ineligible", "outcome": FAIL})
        eligible = bool(app) and all(r["outcome"] not in (FAIL, "unknown") for r in reasons)
        inputs = {
            "citizen_bidx": bidx,
            "purpose": data.purpose.value,
            "as_of": as_of.isoformat(),
            "application": [str(app.id), app.version] if app else None,
            "rules": sorted(r.get("rule_code", "") for r in reasons),
        }
        row = EligibilityConfirmation(
            id=new_id(),
            purpose=data.purpose.value,
            person_id=person.id if person else None,
            application_id=app.id if app else None,
            as_of=as_of,
            eligible=eligible,
            reasons=reasons,
            inputs_fingerprint=hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest(),
            requested_by=caller.subject,
            province_code=person.province_code if person else None,
            commune_code=person.commune_code if person else None,
        )
        await ConfirmationRepository(session).add(row)
        await record_access(
            session,
            AuditRecord,
            action="eligibility_confirmation",
            resource_type="person",
            resource_id=str(person.id) if person else "unknown",
            province_code=row.province_code,
            commune_code=row.commune_code,
            detail={"confirmation_id": str(row.id), "purpose": row.purpose, "eligible": eligible},
        )
        return row


application_service = ApplicationService()
