import type { QueryClient } from "@tanstack/react-query";
import { createRoute, createRouter } from "@tanstack/react-router";
import { adminRoutes } from "@/features/admin/routes";
import { adminUnitsRoutes } from "@/features/admin-units/routes";
import { commitmentsRoutes } from "@/features/commitments/routes";
import { dashboardSearchSchema } from "@/features/dashboard/search";
import { duplicatesRoutes } from "@/features/duplicates/routes";
import { entrustmentsRoutes } from "@/features/entrustments/routes";
import { financeRoutes } from "@/features/finance/routes";
import { fundingSourcesRoutes } from "@/features/funding-sources/routes";
import { HomePage } from "@/features/home/HomePage";
import { householdsRoutes } from "@/features/households/routes";
import { importsRoutes } from "@/features/imports/routes";
import { inspectionRoutes } from "@/features/inspection/routes";
import { landUsePlansRoutes } from "@/features/land-use-plans/routes";
import { projectsRoutes } from "@/features/projects/routes";
import { reviewsRoutes } from "@/features/reviews/routes";
import { supportCasesRoutes } from "@/features/support-cases/routes";
import { conflictsRoutes } from "@/features/sync-conflicts/routes";
import { rootRoute } from "./rootRoute";

const homeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/",
  validateSearch: dashboardSearchSchema,
  component: HomePage,
});
// The login comes back here; main.tsx has finished it and moved on before the first render.
const callbackRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/callback",
  component: HomePage,
});

export const routeTree = rootRoute.addChildren([
  homeRoute,
  callbackRoute,
  ...adminUnitsRoutes,
  ...fundingSourcesRoutes,
  ...landUsePlansRoutes,
  ...householdsRoutes,
  ...supportCasesRoutes,
  ...reviewsRoutes,
  ...projectsRoutes,
  ...duplicatesRoutes,
  ...importsRoutes,
  ...financeRoutes,
  ...inspectionRoutes,
  ...conflictsRoutes,
  ...commitmentsRoutes,
  ...entrustmentsRoutes,
  ...adminRoutes,
]);

/** Plain query strings (?parent_code=01&page=2): every value stays a string (codes keep their leading
 * zeros), and each route's zod schema turns what must be a number into one. */
export function parseSearch(searchStr: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(searchStr.startsWith("?") ? searchStr.slice(1) : searchStr));
}

export function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, typeof value === "object" ? JSON.stringify(value) : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function createAppRouter(
  queryClient: QueryClient,
  history?: Parameters<typeof createRouter>[0]["history"],
) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: false,
    parseSearch,
    stringifySearch,
    scrollRestoration: true,
    ...(history ? { history } : {}),
  });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
