import { createRoute } from "@tanstack/react-router";
import { rootRoute } from "@/app/rootRoute";
import { RequireScreen } from "@/components/RequireScreen";
import { EntrustmentPage } from "./EntrustmentPage";
import { EntrustmentsPage } from "./EntrustmentsPage";
import { entrustmentsScreen } from "./screen";
import { entrustmentSearchSchema, entrustmentsSearchSchema } from "./search";

const base = createRoute({ getParentRoute: () => rootRoute, path: "/vbsp-entrustments" });
const list = createRoute({
  getParentRoute: () => base,
  path: "/",
  validateSearch: entrustmentsSearchSchema,
  component: () => (
    <RequireScreen screen={entrustmentsScreen}>
      <EntrustmentsPage />
    </RequireScreen>
  ),
});
const detail = createRoute({
  getParentRoute: () => base,
  path: "/$contractId",
  validateSearch: entrustmentSearchSchema,
  component: () => (
    <RequireScreen screen={entrustmentsScreen}>
      <EntrustmentPage />
    </RequireScreen>
  ),
});

export const entrustmentsRoutes = [base.addChildren([list, detail])];
