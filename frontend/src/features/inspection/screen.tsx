import { AlertOutlined, AuditOutlined, EnvironmentOutlined, ShopOutlined } from "@ant-design/icons";
import type { Screen } from "@/app/screen";

// Role lists mirror inspection-api's permissions.py (profiteering, inspection_case, land_reserve).
export const flagsScreen: Screen = {
  id: "profiteering-flags",
  path: "/profiteering-flags",
  labelKey: "inspection.nav.flags",
  icon: <AlertOutlined />,
  read: ["province_officer", "inspector", "auditor"],
  write: ["province_officer", "inspector"],
};

export const casesScreen: Screen = {
  id: "inspection-cases",
  path: "/inspection-cases",
  labelKey: "inspection.nav.cases",
  icon: <AuditOutlined />,
  read: ["province_officer", "inspector", "auditor", "commune_officer"],
  /** Field work (findings, photos, violations, start, conclude) is the inspector's. */
  write: ["inspector"],
};
/** Sanctions, re-checks and closing: province officers and inspectors. */
export const CASE_DECIDERS = ["province_officer", "inspector"] as const;

export const obligationsScreen: Screen = {
  id: "land-reserve-obligations",
  path: "/land-reserve-obligations",
  labelKey: "inspection.nav.obligations",
  icon: <EnvironmentOutlined />,
  read: ["province_officer", "inspector", "commune_officer", "auditor", "finance_officer"],
  write: ["province_officer"],
};

export const commercialProjectsScreen: Screen = {
  id: "commercial-projects",
  path: "/commercial-projects",
  labelKey: "inspection.nav.commercialProjects",
  icon: <ShopOutlined />,
  read: ["province_officer", "inspector", "commune_officer", "auditor"],
  write: ["province_officer"],
};
