import { createRoute } from "@tanstack/react-router";
import { rootRoute } from "@/app/rootRoute";
import { RequireScreen } from "@/components/RequireScreen";
import { CaseDetailPage } from "./CaseDetailPage";
import { CasesPage } from "./CasesPage";
import { FlagsPage } from "./FlagsPage";
import { ObligationDetailPage } from "./ObligationDetailPage";
import { ObligationsPage } from "./ObligationsPage";
import { ProjectsPage } from "./ProjectsPage";
import { casesScreen, commercialProjectsScreen, flagsScreen, obligationsScreen } from "./screen";
import {
  casesSearchSchema,
  flagsSearchSchema,
  obligationsSearchSchema,
  projectsSearchSchema,
} from "./search";

const flags = createRoute({
  getParentRoute: () => rootRoute,
  path: "/profiteering-flags",
  validateSearch: flagsSearchSchema,
  component: () => (
    <RequireScreen screen={flagsScreen}>
      <FlagsPage />
    </RequireScreen>
  ),
});

const cases = createRoute({ getParentRoute: () => rootRoute, path: "/inspection-cases" });
const casesList = createRoute({
  getParentRoute: () => cases,
  path: "/",
  validateSearch: casesSearchSchema,
  component: () => (
    <RequireScreen screen={casesScreen}>
      <CasesPage />
    </RequireScreen>
  ),
});
const caseDetail = createRoute({
  getParentRoute: () => cases,
  path: "/$caseId",
  component: () => (
    <RequireScreen screen={casesScreen}>
      <CaseDetailPage />
    </RequireScreen>
  ),
});

const obligations = createRoute({ getParentRoute: () => rootRoute, path: "/land-reserve-obligations" });
const obligationsList = createRoute({
  getParentRoute: () => obligations,
  path: "/",
  validateSearch: obligationsSearchSchema,
  component: () => (
    <RequireScreen screen={obligationsScreen}>
      <ObligationsPage />
    </RequireScreen>
  ),
});
const obligationDetail = createRoute({
  getParentRoute: () => obligations,
  path: "/$obligationId",
  component: () => (
    <RequireScreen screen={obligationsScreen}>
      <ObligationDetailPage />
    </RequireScreen>
  ),
});

const projects = createRoute({
  getParentRoute: () => rootRoute,
  path: "/commercial-projects",
  validateSearch: projectsSearchSchema,
  component: () => (
    <RequireScreen screen={commercialProjectsScreen}>
      <ProjectsPage />
    </RequireScreen>
  ),
});

export const inspectionRoutes = [
  projects,
  flags,
  cases.addChildren([casesList, caseDetail]),
  obligations.addChildren([obligationsList, obligationDetail]),
];
