import { createRoute } from "@tanstack/react-router";
import { rootRoute } from "@/app/rootRoute";
import { RequireScreen } from "@/components/RequireScreen";
import { ApplicationDetailPage } from "./ApplicationDetailPage";
import { ApplicationsPage } from "./ApplicationsPage";
import { ProjectDetailPage } from "./ProjectDetailPage";
import { ProjectsPage } from "./ProjectsPage";
import { RoundPage } from "./RoundPage";
import { RoundsPage } from "./RoundsPage";
import { applicationsScreen, projectsScreen, roundsScreen } from "./screen";
import { applicationsSearchSchema, projectsSearchSchema, roundsSearchSchema } from "./search";

const projects = createRoute({ getParentRoute: () => rootRoute, path: "/housing-projects" });
const projectList = createRoute({
  getParentRoute: () => projects,
  path: "/",
  validateSearch: projectsSearchSchema,
  component: () => (
    <RequireScreen screen={projectsScreen}>
      <ProjectsPage />
    </RequireScreen>
  ),
});
const projectDetail = createRoute({
  getParentRoute: () => projects,
  path: "/$projectId",
  component: () => (
    <RequireScreen screen={projectsScreen}>
      <ProjectDetailPage />
    </RequireScreen>
  ),
});
const rounds = createRoute({ getParentRoute: () => rootRoute, path: "/allocation-rounds" });
const roundList = createRoute({
  getParentRoute: () => rounds,
  path: "/",
  validateSearch: roundsSearchSchema,
  component: () => (
    <RequireScreen screen={roundsScreen}>
      <RoundsPage />
    </RequireScreen>
  ),
});
const round = createRoute({
  getParentRoute: () => rounds,
  path: "/$roundId",
  component: () => (
    <RequireScreen screen={roundsScreen}>
      <RoundPage />
    </RequireScreen>
  ),
});

const applications = createRoute({ getParentRoute: () => rootRoute, path: "/applications" });
const applicationList = createRoute({
  getParentRoute: () => applications,
  path: "/",
  validateSearch: applicationsSearchSchema,
  component: () => (
    <RequireScreen screen={applicationsScreen}>
      <ApplicationsPage />
    </RequireScreen>
  ),
});
const applicationDetail = createRoute({
  getParentRoute: () => applications,
  path: "/$applicationId",
  component: () => (
    <RequireScreen screen={applicationsScreen}>
      <ApplicationDetailPage />
    </RequireScreen>
  ),
});

export const projectsRoutes = [
  projects.addChildren([projectList, projectDetail]),
  rounds.addChildren([roundList, round]),
  applications.addChildren([applicationList, applicationDetail]),
];
