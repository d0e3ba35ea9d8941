import { Button, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";

export interface KeysetPagerProps {
  page: number;
  hasNext: boolean;
  loading?: boolean;
  onNext: () => void;
  /** Null when the way back is not known (or on page 1). */
  onPrevious: (() => void) | null;
  onFirst: () => void;
}

/** Keyset lists go forward with a cursor; back by the remembered trail, or to the first page. */
export function KeysetPager({ page, hasNext, loading, onNext, onPrevious, onFirst }: KeysetPagerProps) {
  const { t } = useTranslation();
  return (
    <Space style={{ marginTop: 16 }} wrap>
      <Button onClick={onFirst} disabled={page <= 1 || loading}>
        {t("paging.first")}
      </Button>
      <Button onClick={onPrevious ?? undefined} disabled={!onPrevious || loading}>
        {t("paging.previous")}
      </Button>
      <Typography.Text type="secondary" data-testid="page-number">
        {t("paging.page", { page })}
      </Typography.Text>
      <Button type="primary" ghost onClick={onNext} disabled={!hasNext || loading}>
        {t("paging.next")}
      </Button>
    </Space>
  );
}
