import { CloudUploadOutlined } from "@ant-design/icons";
import type { Screen } from "@/app/screen";

/** registry-api's import/export permissions: officers import and export; auditors only export. */
export const importsScreen: Screen = {
  id: "imports",
  path: "/imports",
  labelKey: "nav.imports",
  icon: <CloudUploadOutlined />,
  read: ["commune_officer", "province_officer", "auditor"],
  write: ["commune_officer", "province_officer"],
};

export const IMPORTERS = ["commune_officer", "province_officer"] as const;
export const REVIEW_IMPORTERS = ["commune_officer"] as const;
