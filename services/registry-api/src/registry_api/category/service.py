"""Beneficiary categories: merit, martyr relatives, poor and near-poor households, each with its
certificate and validity; poverty statuses are per year under the standard for that year."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.category.errors import (
    CategoryNotFound,
    CategoryPersonNotMember,
    PovertyStandardNotApplicable,
    PovertyStatusExists,
    ValidityInvalid,
)
from registry_api.category.repository import CategoryRepository, PovertyStandardRepository
from registry_api.category.schemas import CategoryCreate, CategoryUpdate
from registry_api.household.errors import HouseholdClosed
from registry_api.household.service import household_service
from registry_api.models import BeneficiaryCategory, CategoryKind, OutboxEvent, PovertyStandard
from registry_api.person.repository import PersonRepository
from servicekit.concurrency import check_version
from servicekit.db.base import new_id
from servicekit.errors import FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.principal import Principal

POVERTY_KINDS = (CategoryKind.POOR, CategoryKind.NEAR_POOR)


def _check_validity(valid_from: date, valid_to: date | None) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise ValidityInvalid(
            "valid_to is the last day of validity and cannot be before valid_from.",
            errors=[
                FieldError(pointer="/body/valid_to", code="before_valid_from", message="before valid_from")
            ],
        )


async def _emit(session: AsyncSession, type_: str, category: BeneficiaryCategory, **data: object) -> None:
    # Ids and dates only: a category (poverty, merit) is sensitive, consumers ask the API with their rights.
    await emit(
        session,
        OutboxEvent,
        type=type_,
        subject=urn("registry", "beneficiary-category", category.id),
        area_codes=[category.province_code, category.commune_code],
        data={
            "category_id": category.id,
            "household_id": category.household_id,
            "person_id": category.person_id,
            **data,
        },
    )


class CategoryService:
    async def create(
        self, session: AsyncSession, caller: Principal, household_id: uuid.UUID, data: CategoryCreate
    ) -> BeneficiaryCategory:
        household = await household_service.get(session, caller, household_id)
        if household.closed_on is not None:
            raise HouseholdClosed("The household is closed.")
        if data.person_id is not None:
            person = await PersonRepository(session).get(data.person_id)
            if person is None or person.household_id != household.id:
                raise CategoryPersonNotMember(
                    "The person is not a current member of this household.",
                    errors=[
                        FieldError(
                            pointer="/body/person_id", code="person_not_in_household", message="not a member"
                        )
                    ],
                )
        standard: PovertyStandard | None = None
        valid_to = data.valid_to
        repo = CategoryRepository(session)
        if data.kind in POVERTY_KINDS:
            assert data.year is not None  # the schema requires it for these kinds
            standard = await PovertyStandardRepository(session).for_year(
                data.year, data.poverty_standard_code
            )
            if standard is None:
                pointer = "/body/poverty_standard_code" if data.poverty_standard_code else "/body/year"
                raise PovertyStandardNotApplicable(
                    f"No stored poverty standard applies to {data.year}"
                    + (
                        f" under the code {data.poverty_standard_code}."
                        if data.poverty_standard_code
                        else "."
                    ),
                    errors=[
                        FieldError(
                            pointer=pointer, code="poverty_standard_not_applicable", message="no standard"
                        )
                    ],
                )
            if await repo.poverty_status_for_year(household.id, data.year) is not None:
                raise PovertyStatusExists(f"The household already has a poverty status for {data.year}.")
            if valid_to is None:
                valid_to = date(data.year, 12, 31)
        _check_validity(data.valid_from, valid_to)
        category = BeneficiaryCategory(
            id=new_id(),
            household_id=household.id,
            person_id=data.person_id,
            kind=data.kind.value,
            merit_type=data.merit_type.value if data.merit_type else None,
            year=data.year,
            poverty_standard_id=standard.id if standard else None,
            certificate_number=data.certificate_number,
            certificate_date=data.certificate_date,
            issuer=data.issuer,
            valid_from=data.valid_from,
            valid_to=valid_to,
            note=data.note,
            province_code=household.province_code,
            commune_code=household.commune_code,
            legacy_area_code=household.legacy_area_code,
        )
        await repo.save(category)
        await _emit(
            session,
            "beneficiary_category.created",
            category,
            valid_from=category.valid_from,
            valid_to=valid_to,
        )
        return category

    async def get(
        self, session: AsyncSession, caller: Principal, category_id: uuid.UUID
    ) -> BeneficiaryCategory:
        category = await CategoryRepository(session).get_in_area(category_id, caller.area)
        if category is None:
            raise CategoryNotFound(f"No beneficiary category {category_id} in your area.")
        return category

    async def list_for_household(
        self,
        session: AsyncSession,
        caller: Principal,
        household_id: uuid.UUID,
        params: PageParams,
        *,
        on: date | None,
        kind: CategoryKind | None,
    ) -> tuple[list[BeneficiaryCategory], str | None]:
        household = await household_service.get(session, caller, household_id)
        return await CategoryRepository(session).list_for_household(
            household.id, params, on=on, kind=kind.value if kind else None
        )

    async def update(
        self,
        session: AsyncSession,
        caller: Principal,
        category_id: uuid.UUID,
        expected_version: int,
        data: CategoryUpdate,
    ) -> BeneficiaryCategory:
        category = await self.get(session, caller, category_id)
        check_version(category.version, expected_version)
        changes = data.model_dump(exclude_unset=True)
        if not changes:
            return category
        _check_validity(
            changes.get("valid_from", category.valid_from), changes.get("valid_to", category.valid_to)
        )
        for field, value in changes.items():
            setattr(category, field, value)
        await CategoryRepository(session).save(category)
        await _emit(
            session,
            "beneficiary_category.updated",
            category,
            changed=sorted(changes),
            valid_from=category.valid_from,
            valid_to=category.valid_to,
        )
        return category

    async def list_standards(
        self, session: AsyncSession, params: PageParams
    ) -> tuple[list[PovertyStandard], str | None]:
        return await PovertyStandardRepository(session).list_standards(params)


category_service = CategoryService()
