import { TeamOutlined } from "@ant-design/icons";
import type { Screen } from "@/app/screen";

/** registry-api's household/person permissions: readers see masked identifiers; writers (the officers
 * of the area) may also reveal them. */
export const householdsScreen: Screen = {
  id: "households",
  path: "/households",
  labelKey: "nav.households",
  icon: <TeamOutlined />,
  read: ["commune_officer", "province_officer", "auditor", "inspector"],
  write: ["commune_officer", "province_officer"],
};
