import { createRoute } from "@tanstack/react-router";
import { rootRoute } from "@/app/rootRoute";
import { RequireScreen } from "@/components/RequireScreen";
import { HouseholdDetailPage } from "./HouseholdDetailPage";
import { HouseholdEditPage } from "./HouseholdEditPage";
import { HouseholdRegisterPage } from "./HouseholdRegisterPage";
import { HouseholdsPage } from "./HouseholdsPage";
import { householdsScreen } from "./screen";
import { householdsSearchSchema } from "./search";

const base = createRoute({ getParentRoute: () => rootRoute, path: "/households" });

const list = createRoute({
  getParentRoute: () => base,
  path: "/",
  validateSearch: householdsSearchSchema,
  component: () => (
    <RequireScreen screen={householdsScreen}>
      <HouseholdsPage />
    </RequireScreen>
  ),
});

const register = createRoute({
  getParentRoute: () => base,
  path: "/new",
  component: () => (
    <RequireScreen screen={householdsScreen} write>
      <HouseholdRegisterPage />
    </RequireScreen>
  ),
});

const detail = createRoute({
  getParentRoute: () => base,
  path: "/$householdId",
  component: () => (
    <RequireScreen screen={householdsScreen}>
      <HouseholdDetailPage />
    </RequireScreen>
  ),
});

const edit = createRoute({
  getParentRoute: () => base,
  path: "/$householdId/edit",
  component: () => (
    <RequireScreen screen={householdsScreen} write>
      <HouseholdEditPage />
    </RequireScreen>
  ),
});

export const householdsRoutes = [base.addChildren([list, register, detail, edit])];
