import { describe, expect, it } from "vitest";
import { CursorTrail, filterKey } from "./paging";

describe("keyset paging", () => {
  it("keys the trail by the filters only", () => {
    expect(filterKey({ parent_code: "31", cursor: "c", page: 3, level: undefined })).toBe(
      filterKey({ parent_code: "31" }),
    );
    expect(filterKey({ parent_code: "31" })).not.toBe(filterKey({ parent_code: "10" }));
  });

  it("goes forward with the next cursor and back along the remembered trail", () => {
    const trail = new CursorTrail();
    const first = { parent_code: "31" };
    const second = trail.next(first, "c2");
    expect(second).toEqual({ parent_code: "31", cursor: "c2", page: 2 });
    const third = trail.next(second, "c3");
    expect(third).toEqual({ parent_code: "31", cursor: "c3", page: 3 });
    expect(trail.previous(third)).toEqual(second);
    expect(trail.previous(second)).toEqual({ parent_code: "31", cursor: undefined, page: undefined });
    expect(trail.previous(first)).toBeNull();
    expect(trail.first(third)).toEqual({ parent_code: "31", cursor: undefined, page: undefined });
  });

  it("does not invent a way back it never saw (a page-3 link opened directly)", () => {
    const trail = new CursorTrail();
    expect(trail.previous({ cursor: "c3", page: 3 })).toBeNull();
    expect(trail.previous({ cursor: "c2", page: 2 })).toEqual({ cursor: undefined, page: undefined });
  });
});
