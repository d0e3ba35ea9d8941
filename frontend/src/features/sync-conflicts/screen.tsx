import { SyncOutlined } from "@ant-design/icons";
import type { Screen } from "@/app/screen";

/** inspection-api's field-sync permissions: an inspector sees their own conflicts, a province officer
 * every conflict of the area; both may keep the server's state, only the case's inspector may apply
 * the device's change (the service checks that). */
export const conflictsScreen: Screen = {
  id: "sync-conflicts",
  path: "/sync-conflicts",
  labelKey: "creates.conflicts.nav",
  icon: <SyncOutlined />,
  read: ["province_officer", "inspector"],
  write: ["province_officer", "inspector"],
};

export const CLIENT_APPLIERS = ["inspector"] as const;
