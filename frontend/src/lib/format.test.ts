import { describe, expect, it } from "vitest";
import { formatBoundedCount } from "./format";

describe("bounded counts", () => {
  it("shows exact counts, and 10,000+ above the bound", () => {
    expect(formatBoundedCount(9_999, "vi")).toBe("9.999");
    expect(formatBoundedCount(10_000, "vi")).toBe("10.000+");
    expect(formatBoundedCount(12_345, "en")).toBe("10,000+");
    expect(formatBoundedCount(12_345, "en", true)).toBe("12,345");
  });
});
