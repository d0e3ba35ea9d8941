import { ContainerOutlined } from "@ant-design/icons";
import type { Screen } from "@/app/screen";

/** funding-api's vbsp_entrustment permissions: finance officers record contracts, transfers and
 * utilisation reports; province officers and auditors read. */
export const entrustmentsScreen: Screen = {
  id: "vbsp-entrustments",
  path: "/vbsp-entrustments",
  labelKey: "creates.entrustments.nav",
  icon: <ContainerOutlined />,
  read: ["finance_officer", "province_officer", "auditor"],
  write: ["finance_officer"],
};
