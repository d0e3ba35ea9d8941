import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { button } from "@/test/fast";
import { json, problem, renderApp, USERS } from "@/test/harness";
import { householdUpdateBody } from "./edit";

const ID = "0190e1c2-0000-7000-8000-0000000000a1";
const PATH = `/api/registry/v1/households/${ID}`;
const household = {
  id: ID,
  province_code: "31",
  commune_code: "10525",
  legacy_area_code: null,
  address: "Số 12 đường Trần Hưng Đạo",
  hamlet: "Tổ dân phố số 3",
  residence_area: "urban",
  head_person_id: null,
  closed_on: null,
  version: 7,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
  members: [],
};

describe("household editing", () => {
  it("sends only what changed", () => {
    const initial = { address: "A", hamlet: "H", residence_area: "urban" as const, legacy_area_code: "" };
    expect(householdUpdateBody({ ...initial, hamlet: " ", legacy_area_code: "10507" }, initial)).toEqual({
      hamlet: null,
      legacy_area_code: "10507",
    });
    expect(householdUpdateBody(initial, initial)).toEqual({});
  });

  it("PATCHes with If-Match and puts the service's field errors next to their fields", async () => {
    const sent: { ifMatch: string | null; body: unknown }[] = [];
    renderApp({
      path: `/households/${ID}/edit`,
      user: USERS.commune,
      routes: {
        [`GET ${PATH}`]: () => json(household, { headers: { ETag: 'W/"7"' } }),
        [`PATCH ${PATH}`]: async (request) => {
          sent.push({ ifMatch: request.headers.get("If-Match"), body: await request.json() });
          return problem(422, "validation_failed", {
            errors: [{ pointer: "/body/address", code: "too_long", message: "at most 300 characters" }],
          });
        },
      },
    });
    const address = await screen.findByLabelText("Địa chỉ");
    await waitFor(() => expect(address).toHaveValue("Số 12 đường Trần Hưng Đạo"));
    fireEvent.change(address, { target: { value: "Số 14 đường Trần Hưng Đạo" } });
    fireEvent.click(button(document.body, "Lưu"));
    await waitFor(() =>
      expect(sent).toEqual([{ ifMatch: 'W/"7"', body: { address: "Số 14 đường Trần Hưng Đạo" } }]),
    );
    const explain = await screen.findByText(
      (_, el) => el?.classList.contains("ant-form-item-explain-error") ?? false,
    );
    expect(explain.closest(".ant-form-item")?.querySelector("#field-address")).not.toBeNull();
    expect(screen.getByTestId("problem")).toHaveAttribute("data-code", "validation_failed");
  });

  it("explains a stale edit and offers to reload", async () => {
    renderApp({
      path: `/households/${ID}/edit`,
      user: USERS.province,
      routes: {
        [`GET ${PATH}`]: () => json(household, { headers: { ETag: 'W/"7"' } }),
        [`PATCH ${PATH}`]: () => problem(412, "precondition_failed"),
      },
    });
    const hamlet = await screen.findByLabelText("Thôn/tổ dân phố");
    await waitFor(() => expect(hamlet).toHaveValue("Tổ dân phố số 3"));
    fireEvent.change(hamlet, { target: { value: "Tổ dân phố số 4" } });
    fireEvent.click(button(document.body, "Lưu"));
    const alert = await screen.findByTestId("problem");
    expect(alert).toHaveTextContent("Có người khác vừa sửa bản ghi này");
    expect(button(alert, "Tải lại")).toBeInTheDocument();
  });

  it("is not offered to auditors", async () => {
    renderApp({ path: `/households/${ID}/edit`, user: USERS.auditor, routes: {} });
    expect(await screen.findByText("Không có quyền truy cập")).toBeInTheDocument();
  });
});
