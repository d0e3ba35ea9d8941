import { ApartmentOutlined } from "@ant-design/icons";
import type { Screen } from "@/app/screen";

/** Reference data: every signed-in person may read it (registry-api's `AdminUnitsRead`). */
export const adminUnitsScreen: Screen = {
  id: "admin-units",
  path: "/admin-units",
  labelKey: "nav.adminUnits",
  icon: <ApartmentOutlined />,
  read: "any",
  write: [],
};
