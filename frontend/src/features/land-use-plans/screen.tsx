import { EnvironmentOutlined } from "@ant-design/icons";
import type { Screen } from "@/app/screen";

/** inspection-api's LandUsePlansRead / LandUsePlansWrite. */
export const landUsePlansScreen: Screen = {
  id: "land-use-plans",
  path: "/land-use-plans",
  labelKey: "nav.landUsePlans",
  icon: <EnvironmentOutlined />,
  read: ["province_officer", "inspector", "commune_officer", "auditor"],
  write: ["province_officer", "inspector"],
};
