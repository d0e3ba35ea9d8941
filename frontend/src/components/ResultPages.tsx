import { Link } from "@tanstack/react-router";
import { Button, Result } from "antd";
import { useTranslation } from "react-i18next";

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t("common.notFoundPage")}
      extra={
        <Link to="/">
          <Button type="primary">{t("common.goHome")}</Button>
        </Link>
      }
    />
  );
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <Result
      status="403"
      title={t("common.forbiddenTitle")}
      subTitle={t("common.forbiddenPage")}
      extra={
        <Link to="/">
          <Button type="primary">{t("common.goHome")}</Button>
        </Link>
      }
    />
  );
}
