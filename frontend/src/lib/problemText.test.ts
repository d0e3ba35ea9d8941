import { describe, expect, it } from "vitest";
import { ApiProblem } from "@/api/problem";
import { createI18n } from "@/i18n";
import { fieldErrorMessage, problemMessage } from "./problemText";

describe("problems in plain words", () => {
  it("maps the stable code to the person's language", async () => {
    const i18n = createI18n("vi");
    const stale = new ApiProblem({ status: 412, code: "precondition_failed", title: "The resource changed" });
    expect(problemMessage(stale, i18n.t, i18n)).toMatch(/^Có người khác vừa sửa bản ghi này/);
    await i18n.changeLanguage("en");
    expect(problemMessage(stale, i18n.t, i18n)).toMatch(/^Someone else changed this record/);
  });

  it("falls back to the service's detail, then its title, for a code it does not know", () => {
    const i18n = createI18n("vi");
    const novel = new ApiProblem({
      status: 409,
      code: "household_already_reviewed",
      title: "T",
      detail: "D",
    });
    expect(problemMessage(novel, i18n.t, i18n)).toBe("D");
    const bare = new ApiProblem({ status: 409, code: "something_new", title: "Only a title" });
    expect(problemMessage(bare, i18n.t, i18n)).toBe("Only a title");
  });

  it("names field errors by code, else keeps the service's message", () => {
    const i18n = createI18n("vi");
    expect(
      fieldErrorMessage(
        { pointer: "/body/name", field: "name", code: "missing", message: "Field required" },
        i18n,
      ),
    ).toBe("fieldErrors.missing");
    expect(
      fieldErrorMessage({ pointer: "/body/x", field: "x", code: "odd_rule", message: "Odd" }, i18n),
    ).toBe("Odd");
  });
});
