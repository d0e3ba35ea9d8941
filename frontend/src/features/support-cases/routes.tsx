import { createRoute } from "@tanstack/react-router";
import { rootRoute } from "@/app/rootRoute";
import { RequireScreen } from "@/components/RequireScreen";
import { SupportCaseDetailPage } from "./SupportCaseDetailPage";
import { SupportCasesPage } from "./SupportCasesPage";
import { supportCasesScreen } from "./screen";
import { supportCasesSearchSchema } from "./search";

const base = createRoute({ getParentRoute: () => rootRoute, path: "/support-cases" });

const list = createRoute({
  getParentRoute: () => base,
  path: "/",
  validateSearch: supportCasesSearchSchema,
  component: () => (
    <RequireScreen screen={supportCasesScreen}>
      <SupportCasesPage />
    </RequireScreen>
  ),
});

const detail = createRoute({
  getParentRoute: () => base,
  path: "/$caseId",
  component: () => (
    <RequireScreen screen={supportCasesScreen}>
      <SupportCaseDetailPage />
    </RequireScreen>
  ),
});

export const supportCasesRoutes = [base.addChildren([list, detail])];
