import { ApiOutlined, AuditOutlined, TeamOutlined } from "@ant-design/icons";
import type { Screen } from "@/app/screen";

/** The identity provider's `/identity/v1` answers administrators only (it checks the account as
 * administered now, not only the token's roles). */
const ADMINISTRATORS = ["administrator"] as const;

export const adminAccountsScreen: Screen = {
  id: "admin-accounts",
  path: "/admin/accounts",
  labelKey: "admin.nav.accounts",
  icon: <TeamOutlined />,
  read: ADMINISTRATORS,
  write: ADMINISTRATORS,
};

export const adminPartnersScreen: Screen = {
  id: "admin-partner-clients",
  path: "/admin/partner-clients",
  labelKey: "admin.nav.partners",
  icon: <ApiOutlined />,
  read: ADMINISTRATORS,
  write: ADMINISTRATORS,
};

export const adminAuditScreen: Screen = {
  id: "admin-audit",
  path: "/admin/audit",
  labelKey: "admin.nav.audit",
  icon: <AuditOutlined />,
  read: ADMINISTRATORS,
  write: [],
};
