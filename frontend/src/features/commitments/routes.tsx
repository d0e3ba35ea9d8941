import { createRoute } from "@tanstack/react-router";
import { rootRoute } from "@/app/rootRoute";
import { RequireScreen } from "@/components/RequireScreen";
import { CommitmentsPage } from "./CommitmentsPage";
import { commitmentsScreen } from "./screen";
import { commitmentsSearchSchema } from "./search";

const list = createRoute({
  getParentRoute: () => rootRoute,
  path: "/funding-commitments",
  validateSearch: commitmentsSearchSchema,
  component: () => (
    <RequireScreen screen={commitmentsScreen}>
      <CommitmentsPage />
    </RequireScreen>
  ),
});

export const commitmentsRoutes = [list];
