import { describe, expect, it } from "vitest";
import { DraftStore } from "./drafts";

describe("DraftStore", () => {
  it("saves the forms that hold something and gives each back once", () => {
    const drafts = new DraftStore(sessionStorage);
    drafts.register("a", () => ({ values: { name: "x" }, etag: 'W/"3"' }));
    drafts.register("b", () => null); // nothing typed
    expect(drafts.saveAll(1000)).toBe(1);
    expect(drafts.take("a")).toEqual({ values: { name: "x" }, etag: 'W/"3"', savedAt: 1000 });
    expect(drafts.take("a")).toBeNull();
    expect(drafts.take("b")).toBeNull();
  });

  it("forgets a form once it unregisters, and clears everything on logout", () => {
    const drafts = new DraftStore(sessionStorage);
    const unregister = drafts.register("a", () => ({ values: 1 }));
    unregister();
    expect(drafts.saveAll()).toBe(0);
    drafts.register("c", () => ({ values: 2 }));
    drafts.saveAll();
    sessionStorage.setItem("other", "kept");
    drafts.clearAll();
    expect(drafts.take("c")).toBeNull();
    expect(sessionStorage.getItem("other")).toBe("kept");
  });
});
