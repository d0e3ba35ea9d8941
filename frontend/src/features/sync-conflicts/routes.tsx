import { createRoute } from "@tanstack/react-router";
import { rootRoute } from "@/app/rootRoute";
import { RequireScreen } from "@/components/RequireScreen";
import { ConflictsPage } from "./ConflictsPage";
import { conflictsScreen } from "./screen";
import { conflictsSearchSchema } from "./search";

const list = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sync-conflicts",
  validateSearch: conflictsSearchSchema,
  component: () => (
    <RequireScreen screen={conflictsScreen}>
      <ConflictsPage />
    </RequireScreen>
  ),
});

export const conflictsRoutes = [list];
