import { createRoute } from "@tanstack/react-router";
import { rootRoute } from "@/app/rootRoute";
import { RequireScreen } from "@/components/RequireScreen";
import { FundingSourceCreatePage } from "./FundingSourceCreatePage";
import { FundingSourceEditPage } from "./FundingSourceEditPage";
import { FundingSourcesPage } from "./FundingSourcesPage";
import { fundingSourcesScreen } from "./screen";
import { fundingSourcesSearchSchema } from "./search";

const base = createRoute({ getParentRoute: () => rootRoute, path: "/funding-sources" });

const list = createRoute({
  getParentRoute: () => base,
  path: "/",
  validateSearch: fundingSourcesSearchSchema,
  component: () => (
    <RequireScreen screen={fundingSourcesScreen}>
      <FundingSourcesPage />
    </RequireScreen>
  ),
});

const create = createRoute({
  getParentRoute: () => base,
  path: "/new",
  component: () => (
    <RequireScreen screen={fundingSourcesScreen} write>
      <FundingSourceCreatePage />
    </RequireScreen>
  ),
});

const edit = createRoute({
  getParentRoute: () => base,
  path: "/$sourceId",
  component: () => (
    <RequireScreen screen={fundingSourcesScreen} write>
      <FundingSourceEditPage />
    </RequireScreen>
  ),
});

export const fundingSourcesRoutes = [base.addChildren([list, create, edit])];
