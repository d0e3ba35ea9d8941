import { Alert, Button, Typography } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { type ApiProblem, toProblem } from "@/api/problem";
import { hasOwnMessage, problemMessage } from "@/lib/problemText";

export interface ProblemAlertProps {
  error: unknown;
  /** Offered on a 412 (someone else changed the record) and on errors worth retrying. */
  onReload?: () => void;
  action?: ReactNode;
}

/** A failed call in plain words, with the request id for support. */
export function ProblemAlert({ error, onReload, action }: ProblemAlertProps) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const problem: ApiProblem = toProblem(error);
  const stale = problem.code === "precondition_failed" || problem.code === "precondition_required";
  const details: ReactNode[] = [];
  if (!hasOwnMessage(problem, i18n) && problem.detail && problem.title) {
    details.push(<div key="title">{problem.title}</div>);
  }
  if (problem.requestId) {
    details.push(
      <Typography.Text key="rid" type="secondary" style={{ fontSize: 12 }}>
        {t("common.requestId", { id: problem.requestId })}
      </Typography.Text>,
    );
  }
  return (
    <Alert
      type={stale ? "warning" : "error"}
      showIcon
      role="alert"
      data-testid="problem"
      data-code={problem.code}
      title={problemMessage(problem, t, i18n)}
      description={details.length ? details : undefined}
      action={
        action ??
        (onReload ? (
          <Button size="small" type={stale ? "primary" : "default"} onClick={onReload}>
            {stale ? t("common.reload") : t("common.retry")}
          </Button>
        ) : undefined)
      }
      style={{ marginBottom: 16 }}
    />
  );
}
