import { createRoute } from "@tanstack/react-router";
import { rootRoute } from "@/app/rootRoute";
import { RequireScreen } from "@/components/RequireScreen";
import { ImportPage } from "./ImportPage";
import { ImportsPage } from "./ImportsPage";
import { importsScreen } from "./screen";
import { importsSearchSchema } from "./search";

const base = createRoute({ getParentRoute: () => rootRoute, path: "/imports" });
const list = createRoute({
  getParentRoute: () => base,
  path: "/",
  validateSearch: importsSearchSchema,
  component: () => (
    <RequireScreen screen={importsScreen}>
      <ImportsPage />
    </RequireScreen>
  ),
});
const detail = createRoute({
  getParentRoute: () => base,
  path: "/$importId",
  component: () => (
    <RequireScreen screen={importsScreen} write>
      <ImportPage />
    </RequireScreen>
  ),
});

export const importsRoutes = [base.addChildren([list, detail])];
