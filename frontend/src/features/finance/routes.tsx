import { createRoute } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { rootRoute } from "@/app/rootRoute";
import type { Screen } from "@/app/screen";
import { RequireScreen } from "@/components/RequireScreen";
import { AllocationCreatePage } from "./AllocationCreatePage";
import { AllocationDetailPage } from "./AllocationDetailPage";
import { AllocationsPage } from "./AllocationsPage";
import { HousingFundPage } from "./HousingFundPage";
import { LedgerPage } from "./LedgerPage";
import { LoanDetailPage } from "./LoanDetailPage";
import { LoanExceptionsPage } from "./LoanExceptionsPage";
import { LoansPage } from "./LoansPage";
import { ReportsPage } from "./ReportsPage";
import {
  allocationsScreen,
  financeReportsScreen,
  housingFundScreen,
  ledgerScreen,
  loanExceptionsScreen,
  loansScreen,
} from "./screen";
import {
  allocationCreateSearchSchema,
  allocationsSearchSchema,
  exceptionsSearchSchema,
  fundSearchSchema,
  ledgerSearchSchema,
  loanSearchSchema,
  loansSearchSchema,
  reportsSearchSchema,
} from "./search";

const guard =
  (screen: Screen, page: ReactNode, write = false) =>
  () => (
    <RequireScreen screen={screen} write={write}>
      {page}
    </RequireScreen>
  );

const allocations = createRoute({ getParentRoute: () => rootRoute, path: "/allocations" });
const allocationsList = createRoute({
  getParentRoute: () => allocations,
  path: "/",
  validateSearch: allocationsSearchSchema,
  component: guard(allocationsScreen, <AllocationsPage />),
});
const allocationNew = createRoute({
  getParentRoute: () => allocations,
  path: "/new",
  validateSearch: allocationCreateSearchSchema,
  component: guard(allocationsScreen, <AllocationCreatePage />, true),
});
const allocationDetail = createRoute({
  getParentRoute: () => allocations,
  path: "/$allocationId",
  component: guard(allocationsScreen, <AllocationDetailPage />),
});

const ledger = createRoute({
  getParentRoute: () => rootRoute,
  path: "/ledger",
  validateSearch: ledgerSearchSchema,
  component: guard(ledgerScreen, <LedgerPage />),
});

const loans = createRoute({ getParentRoute: () => rootRoute, path: "/loans" });
const loansList = createRoute({
  getParentRoute: () => loans,
  path: "/",
  validateSearch: loansSearchSchema,
  component: guard(loansScreen, <LoansPage />),
});
const loanDetail = createRoute({
  getParentRoute: () => loans,
  path: "/$loanId",
  validateSearch: loanSearchSchema,
  component: guard(loansScreen, <LoanDetailPage />),
});

const loanExceptions = createRoute({
  getParentRoute: () => rootRoute,
  path: "/loan-exceptions",
  validateSearch: exceptionsSearchSchema,
  component: guard(loanExceptionsScreen, <LoanExceptionsPage />),
});

const housingFund = createRoute({
  getParentRoute: () => rootRoute,
  path: "/housing-fund",
  validateSearch: fundSearchSchema,
  component: guard(housingFundScreen, <HousingFundPage />),
});

const reports = createRoute({
  getParentRoute: () => rootRoute,
  path: "/finance-reports",
  validateSearch: reportsSearchSchema,
  component: guard(financeReportsScreen, <ReportsPage />),
});

export const financeRoutes = [
  allocations.addChildren([allocationsList, allocationNew, allocationDetail]),
  ledger,
  loans.addChildren([loansList, loanDetail]),
  loanExceptions,
  housingFund,
  reports,
];
