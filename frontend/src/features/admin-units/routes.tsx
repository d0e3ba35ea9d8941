import { createRoute } from "@tanstack/react-router";
import { rootRoute } from "@/app/rootRoute";
import { RequireScreen } from "@/components/RequireScreen";
import { AdminUnitsPage } from "./AdminUnitsPage";
import { adminUnitsScreen } from "./screen";
import { adminUnitsSearchSchema } from "./search";

export const adminUnitsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/admin-units",
  validateSearch: adminUnitsSearchSchema,
  component: () => (
    <RequireScreen screen={adminUnitsScreen}>
      <AdminUnitsPage />
    </RequireScreen>
  ),
});

export const adminUnitsRoutes = [adminUnitsRoute];
