/** registry-api's dashboard (support-case readers) and targets (project readers) permissions. */
export const DASHBOARD_ROLES = ["commune_officer", "province_officer", "inspector", "auditor"] as const;
export const TARGET_ROLES = [
  "province_officer",
  "commune_officer",
  "auditor",
  "inspector",
  "finance_officer",
] as const;
