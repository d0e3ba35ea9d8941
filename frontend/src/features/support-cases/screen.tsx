import { ToolOutlined } from "@ant-design/icons";
import type { Screen } from "@/app/screen";

/** registry-api's support-case permissions; approving is for province officers only. */
export const supportCasesScreen: Screen = {
  id: "support-cases",
  path: "/support-cases",
  labelKey: "nav.supportCases",
  icon: <ToolOutlined />,
  read: ["commune_officer", "province_officer", "auditor", "inspector"],
  write: ["commune_officer", "province_officer"],
};

export const APPROVERS = ["province_officer"] as const;
