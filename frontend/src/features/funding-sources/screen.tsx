import { BankOutlined } from "@ant-design/icons";
import type { Screen } from "@/app/screen";

/** funding-api's FundingSourcesRead / FundingSourcesWrite. */
export const fundingSourcesScreen: Screen = {
  id: "funding-sources",
  path: "/funding-sources",
  labelKey: "nav.fundingSources",
  icon: <BankOutlined />,
  read: ["finance_officer", "province_officer", "auditor"],
  write: ["finance_officer", "province_officer"],
};
