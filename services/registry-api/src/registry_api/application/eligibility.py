"""The eligibility rules as pure functions of the facts: each stored rule row gives a trace entry
(pass / fail / unknown / not_applicable) with the evidence used and its legal basis."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from registry_api.models import Application, ApplicationEvidence, EligibilityRule, RuleKind

PASS, FAIL, UNKNOWN, NOT_APPLICABLE = "pass", "fail", "unknown", "not_applicable"


@dataclass
class Facts:
    """What the rules read besides the application: its group clause, evidence and the histories."""

    application: Application
    group_clause: int
    evidence: list[ApplicationEvidence]
    # Support history references (support case, contract or resale ids) the only-once rules found.
    support_refs: list[uuid.UUID | None] = field(default_factory=list)
    bought_refs: list[uuid.UUID | None] = field(default_factory=list)
    allocated_application_ids: list[uuid.UUID] = field(default_factory=list)
    open_elsewhere_ids: list[uuid.UUID] = field(default_factory=list)
    # The household's poor / near-poor categories valid on the evaluation date (group 4).
    poverty_category_ids: list[uuid.UUID] = field(default_factory=list)


def _entry(
    rule: EligibilityRule, outcome: str, reason: str, evidence: list[str] | None = None
) -> dict[str, Any]:
    return {
        "rule_code": rule.code,
        "kind": rule.kind,
        "legal_basis": rule.legal_basis,
        "outcome": outcome,
        "reason": reason,
        "evidence_ids": evidence or [],
    }


def _applies(rule: EligibilityRule, facts: Facts) -> bool:
    params = rule.params
    tenures = params.get("tenures")
    groups = params.get("groups")
    if tenures is not None and facts.application.tenure not in tenures:
        return False
    return groups is None or facts.group_clause in groups


def _evidence(facts: Facts, forms: list[str]) -> list[str]:
    return [str(e.id) for e in facts.evidence if e.form in forms]


def evaluate_rule(rule: EligibilityRule, facts: Facts) -> dict[str, Any]:  # noqa: PLR0912  (one branch per rule kind)
    app = facts.application
    params = rule.params
    kind = RuleKind(rule.kind)
    if kind is RuleKind.GROUP_TENURE:
        allowed = params["groups_by_tenure"].get(app.tenure, [])
        if facts.group_clause in allowed:
            return _entry(rule, PASS, "group_allowed_for_tenure")
        return _entry(rule, FAIL, "group_not_allowed_for_tenure")
    if not _applies(rule, facts):
        return _entry(rule, NOT_APPLICABLE, "not_required_for_group_or_tenure")
    if kind is RuleKind.HOUSING_CONDITION:
        used = _evidence(facts, params.get("evidence_forms", []))
        if app.owns_house_in_province is None:
            return _entry(rule, UNKNOWN, "housing_not_declared", used)
        if not used:
            return _entry(rule, UNKNOWN, "housing_evidence_missing", used)
        if not app.owns_house_in_province:
            return _entry(rule, PASS, "no_house_in_province", used)
        if app.house_floor_area_m2 is None or not app.house_occupants:
            return _entry(rule, UNKNOWN, "house_area_not_declared", used)
        per_person = Decimal(app.house_floor_area_m2) / app.house_occupants
        if per_person < Decimal(params["min_area_per_person_m2"]):
            return _entry(rule, PASS, "house_below_min_area_per_person", used)
        return _entry(rule, FAIL, "house_not_below_min_area_per_person", used)
    if kind is RuleKind.INCOME_CAP:
        used = _evidence(facts, params.get("evidence_forms", []))
        if app.monthly_income_vnd is None:
            return _entry(rule, UNKNOWN, "income_not_declared", used)
        if not used:
            return _entry(rule, UNKNOWN, "income_evidence_missing", used)
        cap = params["caps_vnd"].get(app.marital_status)
        if cap is None:
            return _entry(rule, UNKNOWN, "no_cap_for_marital_status", used)
        if app.monthly_income_vnd <= int(cap):
            return _entry(rule, PASS, "income_within_cap", used)
        return _entry(rule, FAIL, "income_above_cap", used)
    if kind is RuleKind.NEVER_SUPPORTED:
        if facts.support_refs:
            return _entry(rule, FAIL, "housing_support_recorded", [str(i) for i in facts.support_refs])
        return _entry(rule, PASS, "no_housing_support_recorded")
    if kind is RuleKind.NEVER_BOUGHT:
        if facts.bought_refs:
            return _entry(rule, FAIL, "social_housing_already_bought", [str(i) for i in facts.bought_refs])
        if facts.allocated_application_ids:
            return _entry(
                rule,
                FAIL,
                "social_housing_already_allocated",
                [str(i) for i in facts.allocated_application_ids],
            )
        return _entry(rule, PASS, "no_social_housing_allocated")
    if kind is RuleKind.POVERTY_CERTIFICATE:
        used = _evidence(facts, params.get("evidence_forms", []))
        if facts.poverty_category_ids:
            return _entry(
                rule, PASS, "poor_or_near_poor_in_registry", [str(i) for i in facts.poverty_category_ids]
            )
        if used:
            return _entry(rule, PASS, "poverty_certificate_evidence", used)
        return _entry(rule, UNKNOWN, "poverty_certificate_missing")
    if kind is RuleKind.ARMED_FORCES_CONDITIONS:
        # The Ministry of Defence / Public Security rules (income, Form 04) are not stored: never decided.
        return _entry(
            rule, UNKNOWN, "mod_mps_rules_not_stored", _evidence(facts, params.get("evidence_forms", []))
        )
    if kind is RuleKind.OFFICIAL_HOUSING:
        if app.lives_in_official_housing is None:
            return _entry(rule, UNKNOWN, "official_housing_not_declared")
        if app.lives_in_official_housing:
            return _entry(rule, FAIL, "lives_in_official_housing")
        return _entry(rule, PASS, "not_in_official_housing")
    if kind is RuleKind.FAR_FROM_WORK_PILOT:
        if not (app.owns_house_in_province and app.house_far_from_work):
            return _entry(rule, NOT_APPLICABLE, "pilot_not_claimed")
        if not params.get("criteria"):
            return _entry(rule, UNKNOWN, "ppc_criteria_not_found")
        return _entry(rule, UNKNOWN, "pilot_criteria_not_evaluated")
    if kind is RuleKind.ONE_PROJECT:
        if facts.open_elsewhere_ids:
            return _entry(
                rule, FAIL, "registered_at_another_project", [str(i) for i in facts.open_elsewhere_ids]
            )
        return _entry(rule, PASS, "no_registration_elsewhere")
    raise ValueError(f"unknown rule kind {rule.kind}")  # pragma: no cover - the CHECK lists the kinds


def evaluate(rules: list[EligibilityRule], facts: Facts) -> list[dict[str, Any]]:
    """Each rule's entry. A claimed far-from-work pilot (Resolution 201/2025/QH15 Art. 9(2)) that cannot
    be decided turns a housing-condition failure for owning a house into `unknown`: the pilot may
    still admit the applicant once the province's criteria are stored."""
    trace = [evaluate_rule(rule, facts) for rule in rules]
    pilot_open = any(
        e["kind"] == RuleKind.FAR_FROM_WORK_PILOT.value and e["outcome"] == UNKNOWN for e in trace
    )
    if pilot_open:
        for entry in trace:
            if entry["kind"] == RuleKind.HOUSING_CONDITION.value and entry["outcome"] == FAIL:
                entry["outcome"], entry["reason"] = UNKNOWN, "housing_condition_may_be_met_by_pilot"
    return trace


def verdict(trace: list[dict[str, Any]]) -> str:
    """`fail` if any rule fails, else `unknown` if any is unknown, else `pass`."""
    outcomes = {entry["outcome"] for entry in trace}
    if FAIL in outcomes:
        return FAIL
    return UNKNOWN if UNKNOWN in outcomes else PASS
