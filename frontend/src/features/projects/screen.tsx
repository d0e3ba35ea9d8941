import { ApartmentOutlined, FileDoneOutlined, TrophyOutlined } from "@ant-design/icons";
import type { Screen } from "@/app/screen";

/** registry-api's housing-project permissions: the province records projects and milestones and
 * draws allocation rounds; communes, auditors, inspectors and finance read (rounds: not inspectors
 * nor finance). */
export const projectsScreen: Screen = {
  id: "housing-projects",
  path: "/housing-projects",
  labelKey: "nav.projects",
  icon: <ApartmentOutlined />,
  read: ["province_officer", "commune_officer", "auditor", "inspector", "finance_officer"],
  write: ["province_officer"],
};

export const ROUND_READERS = ["province_officer", "commune_officer", "auditor"] as const;

/** registry-api's allocation permissions: the province draws; communes and auditors read. */
export const roundsScreen: Screen = {
  id: "allocation-rounds",
  path: "/allocation-rounds",
  labelKey: "nav.rounds",
  icon: <TrophyOutlined />,
  read: ROUND_READERS,
  write: ["province_officer"],
};

/** Applications follow the household permissions. */
export const applicationsScreen: Screen = {
  id: "applications",
  path: "/applications",
  labelKey: "nav.applications",
  icon: <FileDoneOutlined />,
  read: ["commune_officer", "province_officer", "auditor", "inspector"],
  write: ["commune_officer", "province_officer"],
};
