import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { Status } from "./queries";

const COLORS: Record<Status, string> = {
  proposed: "blue",
  approved: "cyan",
  started: "gold",
  completed: "purple",
  accepted: "green",
  withdrawn: "default",
};

export function StatusTag({ status }: { status: Status }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[status]} data-testid="case-status">
      {t(`supportCases.statuses.${status}`)}
    </Tag>
  );
}
