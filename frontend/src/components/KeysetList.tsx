/** A keyset-paged table bound to the URL: rows, a problem in words, and the pager. */
import type { UseQueryResult } from "@tanstack/react-query";
import { Table } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { cursorTrail, type KeysetPage, type PageSearch } from "@/api/paging";
import { KeysetPager } from "./KeysetPager";
import { ProblemAlert } from "./ProblemAlert";

export function KeysetList<T extends object, S extends PageSearch & Record<string, unknown>>({
  query,
  search,
  go,
  columns,
  rowKey,
  scrollX,
  testId,
}: {
  query: UseQueryResult<KeysetPage<T>>;
  search: S;
  go: (next: S) => void;
  columns: ColumnsType<T>;
  rowKey: keyof T & string;
  scrollX?: number;
  testId?: string;
}) {
  const { t } = useTranslation();
  const page = search.page ?? 1;
  const previous = cursorTrail.previous(search);
  return (
    <>
      {query.isError ? (
        <ProblemAlert
          error={query.error}
          onReload={() => (search.cursor ? go(cursorTrail.first(search)) : void query.refetch())}
        />
      ) : null}
      <Table<T>
        rowKey={rowKey}
        columns={columns}
        dataSource={query.data?.items ?? []}
        loading={query.isFetching}
        pagination={false}
        locale={{ emptyText: t("paging.empty") }}
        scroll={scrollX ? { x: scrollX } : undefined}
        data-testid={testId}
      />
      <KeysetPager
        page={page}
        hasNext={Boolean(query.data?.next_cursor)}
        loading={query.isFetching}
        onFirst={() => go(cursorTrail.first(search))}
        onPrevious={previous ? () => go(previous) : null}
        onNext={() => {
          const next = query.data?.next_cursor;
          if (next) go(cursorTrail.next(search, next));
        }}
      />
    </>
  );
}

/** A confirm dialog's reason: 3 to 1000 characters, like the services ask. */
export const REASON_MIN = 3;
export const REASON_MAX = 1000;
export const reasonValid = (reason: string) =>
  reason.trim().length >= REASON_MIN && reason.trim().length <= REASON_MAX;
