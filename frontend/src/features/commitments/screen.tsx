import { SolutionOutlined } from "@ant-design/icons";
import type { Screen } from "@/app/screen";

/** funding-api's FundingSourcesRead / FundingSourcesWrite cover contributors and commitments too. */
export const commitmentsScreen: Screen = {
  id: "funding-commitments",
  path: "/funding-commitments",
  labelKey: "creates.commitments.nav",
  icon: <SolutionOutlined />,
  read: ["finance_officer", "province_officer", "auditor"],
  write: ["finance_officer", "province_officer"],
};
