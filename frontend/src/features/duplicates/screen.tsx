import { UsergroupDeleteOutlined } from "@ant-design/icons";
import type { Screen } from "@/app/screen";

/** registry-api's duplicate permissions: officers decide, auditors read. */
export const duplicatesScreen: Screen = {
  id: "duplicates",
  path: "/duplicates",
  labelKey: "nav.duplicates",
  icon: <UsergroupDeleteOutlined />,
  read: ["commune_officer", "province_officer", "auditor"],
  write: ["commune_officer", "province_officer"],
};
