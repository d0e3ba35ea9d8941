import { createRoute } from "@tanstack/react-router";
import { rootRoute } from "@/app/rootRoute";
import { RequireScreen } from "@/components/RequireScreen";
import { LandUsePlanCreatePage } from "./LandUsePlanCreatePage";
import { LandUsePlanEditPage } from "./LandUsePlanEditPage";
import { LandUsePlansPage } from "./LandUsePlansPage";
import { landUsePlansScreen } from "./screen";
import { landUsePlansSearchSchema } from "./search";

const base = createRoute({ getParentRoute: () => rootRoute, path: "/land-use-plans" });

const list = createRoute({
  getParentRoute: () => base,
  path: "/",
  validateSearch: landUsePlansSearchSchema,
  component: () => (
    <RequireScreen screen={landUsePlansScreen}>
      <LandUsePlansPage />
    </RequireScreen>
  ),
});

const create = createRoute({
  getParentRoute: () => base,
  path: "/new",
  component: () => (
    <RequireScreen screen={landUsePlansScreen} write>
      <LandUsePlanCreatePage />
    </RequireScreen>
  ),
});

const edit = createRoute({
  getParentRoute: () => base,
  path: "/$planId",
  component: () => (
    <RequireScreen screen={landUsePlansScreen} write>
      <LandUsePlanEditPage />
    </RequireScreen>
  ),
});

export const landUsePlansRoutes = [base.addChildren([list, create, edit])];
