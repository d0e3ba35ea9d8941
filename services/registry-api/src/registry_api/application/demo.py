"""Demo applications for `make run`, built on the demo households (seed step `demo-households-hai-phong`)
and the demo housing projects: households with no merit or poverty category apply (they have no
support case, so the support-history rule passes), cycling through every state.

Deterministic (the households' order, the projects ordered by name) and idempotent: an applicant
who already has an application is skipped. Goes through the service as the province (validated,
audited as `system`, announced as events).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.application.schemas import ApplicationCreate, EvidenceCreate
from registry_api.application.service import application_service
from registry_api.household.demo import SEED_CALLER, demo_households
from registry_api.models import Application, EvidenceForm, HousingProject, MaritalStatus, Tenure
from registry_api.person.pii import CITIZEN_ID_PURPOSE
from registry_api.person.repository import PersonRepository
from registry_api.person.service import local_today
from servicekit.pii import PiiCipher

FIRST_SUBMISSION = date(2026, 3, 2)
# (tenure, monthly income VND, path): incomes around the Decree 261 caps, so both verdicts show.
PLANS: list[tuple[Tenure, int, list[str]]] = [
    (Tenure.BUY, 14_500_000, []),
    (Tenure.BUY, 18_000_000, ["submit"]),
    (Tenure.BUY, 19_800_000, ["submit", "assess"]),
    (Tenure.BUY, 26_000_000, ["submit", "assess"]),  # above the single cap: ineligible
    (Tenure.LEASE_PURCHASE, 16_000_000, ["submit", "assess", "allocate"]),
    (Tenure.RENT, 12_000_000, ["submit", "withdraw"]),
]
FORM_VERSION = "Thông tư 05/2024/TT-BXD, sửa đổi bởi Thông tư 32/2025/TT-BXD"


PROJECT_KIND = {Tenure.BUY: "sale", Tenure.LEASE_PURCHASE: "lease_purchase", Tenure.RENT: "rent"}


async def seed_demo_applications(session: AsyncSession, cipher: PiiCipher) -> int:
    today = local_today()
    stmt = (
        select(HousingProject)
        .where(HousingProject.sale_opens_on <= today, HousingProject.sale_closes_on >= today)
        .where(HousingProject.sale_opens_on <= FIRST_SUBMISSION)
        .order_by(HousingProject.name)
    )
    projects = list((await session.execute(stmt)).scalars())
    if not projects:
        return 0
    persons = PersonRepository(session)
    added = 0
    n = 0
    for demo in demo_households():
        if demo.categories:
            continue
        head = await persons.by_citizen_bidx(
            cipher.blind_index(demo.head_citizen_id, purpose=CITIZEN_ID_PURPOSE)
        )
        if head is None:
            continue  # the household step did not run
        exists = await session.execute(
            select(Application.id).where(Application.applicant_person_id == head.id)
        )
        if exists.first() is not None:
            continue
        tenure, income, path = PLANS[n % len(PLANS)]
        offered = [p for p in projects if p.kind == PROJECT_KIND[tenure]]
        if not offered:
            n += 1
            continue
        project = offered[n % len(offered)]
        n += 1
        app = await application_service.create(
            session,
            SEED_CALLER,
            ApplicationCreate(
                project_id=project.id,
                tenure=tenure,
                applicant_person_id=head.id,
                beneficiary_group=5,
                marital_status=MaritalStatus.SINGLE,
                monthly_income_vnd=income,
                owns_house_in_province=False,
            ),
        )
        submitted = FIRST_SUBMISSION + timedelta(days=n)
        for form, issuer in (
            (EvidenceForm.MAU_05, f"Công an cấp xã (mã {demo.body.commune_code})"),
            (EvidenceForm.MAU_02, "Văn phòng đăng ký đất đai Hải Phòng"),
        ):
            await application_service.add_evidence(
                session,
                SEED_CALLER,
                app.id,
                EvidenceCreate(
                    person_id=head.id,
                    form=form,
                    form_version=FORM_VERSION,
                    issuer=issuer,
                    issued_on=submitted - timedelta(days=10),
                ),
            )
        day = submitted
        for action in path:
            if action == "submit":
                app = await application_service.submit(session, SEED_CALLER, app.id, app.version, day)
            elif action == "assess":
                day += timedelta(days=14)
                app = await application_service.assess(session, SEED_CALLER, app.id, app.version, day)
            elif action == "allocate":
                day += timedelta(days=30)
                app = await application_service.allocate(session, SEED_CALLER, app.id, app.version, day)
            else:
                day += timedelta(days=7)
                app = await application_service.withdraw(
                    session, SEED_CALLER, app.id, app.version, day, "Người nộp đơn xin rút hồ sơ"
                )
        added += 1
    return added
