import { describe, expect, it } from "vitest";
import { createI18n } from "@/i18n";

describe("the eligibility trace's words", () => {
  it("names known rules and reasons in each language and falls back to the code", () => {
    const vi = createI18n("vi");
    expect(vi.t("trace.rules.INCOME_D261_2025" as "trace.rules.INCOME_D261_2025")).toMatch(/Thu nhập/);
    expect(vi.t("trace.reasons.income_above_cap")).toBe("Thu nhập vượt mức trần");
    expect(
      vi.t("trace.reasons.some_new_reason" as "trace.reasons.not_applicable", {
        defaultValue: "some_new_reason",
      }),
    ).toBe("some_new_reason");
    const en = createI18n("en");
    expect(en.t("trace.reasons.income_above_cap")).toBe("Income above the cap");
  });
});
