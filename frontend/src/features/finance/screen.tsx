import {
  AccountBookOutlined,
  BankOutlined,
  BarChartOutlined,
  ExceptionOutlined,
  FundOutlined,
  SwapOutlined,
} from "@ant-design/icons";
import type { Screen } from "@/app/screen";

// Role lists mirror funding-api's permissions.py of each package.
export const allocationsScreen: Screen = {
  id: "allocations",
  path: "/allocations",
  labelKey: "finance.nav.allocations",
  icon: <SwapOutlined />,
  read: ["province_officer", "commune_officer", "finance_officer", "auditor"],
  write: ["finance_officer"],
};

export const ledgerScreen: Screen = {
  id: "ledger",
  path: "/ledger",
  labelKey: "finance.nav.ledger",
  icon: <AccountBookOutlined />,
  read: ["finance_officer", "province_officer", "auditor"],
  write: ["finance_officer"],
};

export const loansScreen: Screen = {
  id: "loans",
  path: "/loans",
  labelKey: "finance.nav.loans",
  icon: <BankOutlined />,
  read: ["finance_officer", "auditor", "inspector"],
  write: [],
};

export const loanExceptionsScreen: Screen = {
  id: "loan-exceptions",
  path: "/loan-exceptions",
  labelKey: "finance.nav.loanExceptions",
  icon: <ExceptionOutlined />,
  read: ["finance_officer", "auditor", "inspector"],
  write: ["finance_officer"],
};

export const housingFundScreen: Screen = {
  id: "housing-fund",
  path: "/housing-fund",
  labelKey: "finance.nav.housingFund",
  icon: <FundOutlined />,
  read: ["finance_officer", "province_officer", "auditor"],
  write: ["finance_officer"],
};

export const financeReportsScreen: Screen = {
  id: "finance-reports",
  path: "/finance-reports",
  labelKey: "finance.nav.reports",
  icon: <BarChartOutlined />,
  read: ["finance_officer", "province_officer", "auditor"],
  write: [],
};
