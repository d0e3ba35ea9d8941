import { AuditOutlined } from "@ant-design/icons";
import type { Screen } from "@/app/screen";

/** registry-api's review permissions: commune officers record and submit their commune's results,
 * province officers approve or return a commune's set, auditors read. */
export const reviewsScreen: Screen = {
  id: "review-campaigns",
  path: "/review-campaigns",
  labelKey: "nav.reviews",
  icon: <AuditOutlined />,
  read: ["commune_officer", "province_officer", "auditor"],
  write: ["commune_officer", "province_officer"],
};

export const RECORDERS = ["commune_officer"] as const;
export const DECIDERS = ["province_officer"] as const;
