import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { button } from "@/test/fast";
import { json, problem, renderApp, USERS } from "@/test/harness";

const ID = "0190e1c2-0000-7000-8000-0000000d0001";
const PATH = `/api/registry/v1/duplicate-candidates/${ID}`;
const side = (id: string, name: string, dob: string | null) => ({
  id,
  household_id: `h-${id}`,
  full_name: name,
  date_of_birth: dob,
  birth_year: 1980,
  gender: "male",
  relationship: "head",
  citizen_id_masked: "0301******45",
  legacy_id_masked: null,
});
const candidate = (changes: Record<string, unknown> = {}) => ({
  id: ID,
  person_a: side("pa", "Nguyễn Văn Đức", "1980-03-02"),
  person_b: side("pb", "Nguyen Van Duc", null),
  name_similarity_pct: 92,
  differing: ["full_name", "date_of_birth"],
  status: "pending",
  kept_person_id: null,
  reason: null,
  decided_by: null,
  decided_at: null,
  province_code: "31",
  commune_code: "10525",
  version: 1,
  created_at: "2026-10-01T00:00:00Z",
  ...changes,
});

describe("duplicates review", () => {
  it("shows the pair side by side and merges keeping the chosen person, with If-Match", async () => {
    const sent: { ifMatch: string | null; body: unknown }[] = [];
    renderApp({
      path: `/duplicates/${ID}`,
      user: USERS.commune,
      routes: {
        [`GET ${PATH}`]: () => json(candidate(), { headers: { ETag: 'W/"1"' } }),
        [`POST ${PATH}/decision`]: async (request) => {
          sent.push({ ifMatch: request.headers.get("If-Match"), body: await request.json() });
          return json(candidate({ status: "merged", kept_person_id: "pa", version: 2 }));
        },
      },
    });
    const pair = await screen.findByTestId("duplicate-pair");
    expect(pair).toHaveTextContent("Nguyễn Văn Đức");
    expect(pair).toHaveTextContent("Nguyen Van Duc");
    expect(pair).toHaveTextContent("02/03/1980");
    expect(pair.querySelectorAll(".duplicate-differs")).toHaveLength(2);
    fireEvent.click(screen.getByLabelText("Gộp làm một người"));
    fireEvent.click(button(document.body, "Lưu quyết định"));
    expect(await screen.findByText("Hãy chọn hồ sơ được giữ lại.")).toBeInTheDocument();
    fireEvent.click(screen.getByLabelText("Người thứ nhất (Nguyễn Văn Đức)"));
    fireEvent.click(button(document.body, "Lưu quyết định"));
    expect(await screen.findByText("Lý do cần từ 3 đến 1000 ký tự.")).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText("Lý do"), { target: { value: "Cùng số định danh" } });
    fireEvent.click(button(document.body, "Lưu quyết định"));
    await waitFor(() =>
      expect(sent).toEqual([
        { ifMatch: 'W/"1"', body: { decision: "merge", kept_person_id: "pa", reason: "Cùng số định danh" } },
      ]),
    );
  });

  it("explains a refused merge and reads only for auditors", async () => {
    renderApp({
      path: `/duplicates/${ID}`,
      user: USERS.commune,
      routes: {
        [`GET ${PATH}`]: () => json(candidate(), { headers: { ETag: 'W/"1"' } }),
        [`POST ${PATH}/decision`]: () => problem(409, "duplicate_candidate_already_decided"),
      },
    });
    await screen.findByTestId("duplicate-pair");
    fireEvent.change(screen.getByLabelText("Lý do"), { target: { value: "Hai người khác nhau" } });
    fireEvent.click(button(document.body, "Lưu quyết định"));
    expect(await screen.findByTestId("problem")).toHaveAttribute(
      "data-code",
      "duplicate_candidate_already_decided",
    );
  });

  it("shows auditors the pair without the decision form", async () => {
    renderApp({
      path: `/duplicates/${ID}`,
      user: USERS.auditor,
      routes: { [`GET ${PATH}`]: () => json(candidate()) },
    });
    await screen.findByTestId("duplicate-pair");
    expect(button(document.body, "Lưu quyết định", false)).toBeNull();
  });
});
