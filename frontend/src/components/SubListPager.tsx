/** The pager of a list inside a detail page, its cursor and page in the URL under `prefix`. */
import { subListPaging } from "@/api/subListPaging";
import { KeysetPager } from "./KeysetPager";

export function SubListPager<S extends Record<string, unknown>>({
  search,
  prefix,
  scope,
  nextCursor,
  loading,
  go,
}: {
  search: S;
  prefix: string;
  scope: string;
  nextCursor: string | null | undefined;
  loading?: boolean;
  go: (next: S) => void;
}) {
  const paging = subListPaging(search, prefix, scope);
  const previous = paging.previous();
  return (
    <KeysetPager
      page={paging.page}
      hasNext={Boolean(nextCursor)}
      loading={loading}
      onFirst={() => go(paging.first())}
      onPrevious={previous ? () => go(previous) : null}
      onNext={() => {
        if (nextCursor) go(paging.next(nextCursor));
      }}
    />
  );
}
