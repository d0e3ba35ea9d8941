import { describe, expect, it } from "vitest";
import { CursorTrail } from "./paging";
import { subListPaging } from "./subListPaging";

describe("paging a list inside a detail page", () => {
  it("keeps each list's cursor and page under its prefix, and the other list's as they are", () => {
    const trail = new CursorTrail();
    const start = { reports_cursor: "r2", reports_page: 2 };
    const transfers = subListPaging<Record<string, unknown>>(start, "transfers", "contract-1", trail);
    expect(transfers.page).toBe(1);
    expect(transfers.previous()).toBeNull();
    const second = transfers.next("t2");
    expect(second).toEqual({
      reports_cursor: "r2",
      reports_page: 2,
      transfers_cursor: "t2",
      transfers_page: 2,
    });
    const third = subListPaging(second, "transfers", "contract-1", trail).next("t3");
    expect(third).toMatchObject({ transfers_cursor: "t3", transfers_page: 3 });
    // Back from page 3 to page 2 by the remembered cursor, then to the first page.
    const back = subListPaging(third, "transfers", "contract-1", trail).previous();
    expect(back).toMatchObject({ transfers_cursor: "t2", transfers_page: 2, reports_cursor: "r2" });
    expect(subListPaging(third, "transfers", "contract-1", trail).first()).toMatchObject({
      transfers_cursor: undefined,
      transfers_page: undefined,
      reports_page: 2,
    });
    // Another contract's list has its own trail.
    expect(
      subListPaging(
        { transfers_page: 3, transfers_cursor: "x" },
        "transfers",
        "contract-2",
        trail,
      ).previous(),
    ).toBeNull();
  });
});
