import { createRoute } from "@tanstack/react-router";
import { rootRoute } from "@/app/rootRoute";
import { RequireScreen } from "@/components/RequireScreen";
import { DuplicatePage } from "./DuplicatePage";
import { DuplicatesPage } from "./DuplicatesPage";
import { duplicatesScreen } from "./screen";
import { duplicatesSearchSchema } from "./search";

const base = createRoute({ getParentRoute: () => rootRoute, path: "/duplicates" });
const list = createRoute({
  getParentRoute: () => base,
  path: "/",
  validateSearch: duplicatesSearchSchema,
  component: () => (
    <RequireScreen screen={duplicatesScreen}>
      <DuplicatesPage />
    </RequireScreen>
  ),
});
const detail = createRoute({
  getParentRoute: () => base,
  path: "/$candidateId",
  component: () => (
    <RequireScreen screen={duplicatesScreen}>
      <DuplicatePage />
    </RequireScreen>
  ),
});

export const duplicatesRoutes = [base.addChildren([list, detail])];
