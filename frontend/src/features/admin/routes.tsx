import { createRoute } from "@tanstack/react-router";
import { rootRoute } from "@/app/rootRoute";
import { RequireScreen } from "@/components/RequireScreen";
import { AccountsPage } from "./AccountsPage";
import { AuditPage } from "./AuditPage";
import { PartnersPage } from "./PartnersPage";
import { adminAccountsScreen, adminAuditScreen, adminPartnersScreen } from "./screen";
import { adminPageSearchSchema } from "./search";

const base = createRoute({ getParentRoute: () => rootRoute, path: "/admin" });

const accounts = createRoute({
  getParentRoute: () => base,
  path: "/accounts",
  validateSearch: adminPageSearchSchema,
  component: () => (
    <RequireScreen screen={adminAccountsScreen} write>
      <AccountsPage />
    </RequireScreen>
  ),
});

const partners = createRoute({
  getParentRoute: () => base,
  path: "/partner-clients",
  validateSearch: adminPageSearchSchema,
  component: () => (
    <RequireScreen screen={adminPartnersScreen} write>
      <PartnersPage />
    </RequireScreen>
  ),
});

const audit = createRoute({
  getParentRoute: () => base,
  path: "/audit",
  validateSearch: adminPageSearchSchema,
  component: () => (
    <RequireScreen screen={adminAuditScreen}>
      <AuditPage />
    </RequireScreen>
  ),
});

export const adminRoutes = [base.addChildren([accounts, partners, audit])];
