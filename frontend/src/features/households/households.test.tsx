import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { json, problem, renderApp, USERS } from "@/test/harness";

const HH = "0190e1c2-0000-7000-8000-0000000000a1";
const HEAD = "0190e1c2-0000-7000-8000-0000000000b1";
const base = {
  province_code: "31",
  commune_code: "10525",
  legacy_area_code: null,
  version: 1,
  created_at: "2025-08-01T02:00:00Z",
  updated_at: "2025-08-01T02:00:00Z",
};
const head = {
  ...base,
  id: HEAD,
  household_id: HH,
  relationship: "head",
  full_name: "Nguyễn Văn Đức",
  date_of_birth: "1970-03-02",
  birth_year: 1970,
  gender: "male",
  citizen_id_masked: "*********123",
  legacy_id_masked: null,
  phone_masked: null,
};
const household = {
  ...base,
  id: HH,
  address: "12 Trần Hưng Đạo",
  hamlet: null,
  residence_area: "urban",
  head_person_id: HEAD,
  closed_on: null,
  members: [head],
};
const empty = () => json({ items: [], next_cursor: null });
const detailRoutes = {
  [`GET /api/registry/v1/households/${HH}`]: () => json(household),
  "GET /api/registry/v1/admin-units/10525": () =>
    json({ scheme: "2025", level: "commune", code: "10525", name: "Phường Hải Dương", parent_code: "31" }),
  [`GET /api/registry/v1/households/${HH}/categories`]: () =>
    json({
      items: [
        {
          ...base,
          id: "c1",
          household_id: HH,
          person_id: null,
          kind: "poor",
          merit_type: null,
          year: 2025,
          poverty_standard_id: "p",
          certificate_number: "12/GCN",
          certificate_date: "2025-01-10",
          issuer: "UBND phường Hải Dương",
          valid_from: "2025-01-10",
          valid_to: "2025-12-31",
          note: null,
        },
      ],
      next_cursor: null,
    }),
  [`GET /api/registry/v1/households/${HH}/dwellings`]: () =>
    json({
      items: [
        {
          ...base,
          id: "d0",
          household_id: HH,
          since: "2000-01-01",
          ended_on: "2019-12-31",
          built_year: 1990,
          note: null,
        },
        {
          ...base,
          id: "d1",
          household_id: HH,
          since: "2020-01-01",
          ended_on: null,
          built_year: 1995,
          note: null,
        },
      ],
      next_cursor: null,
    }),
  "GET /api/registry/v1/dwellings/d1/assessments": () =>
    json({
      items: [
        {
          id: "a1",
          assessed_on: "2024-09-01",
          classification: "adequate",
          qualifies: true,
          rule_set_code: "QD55",
        },
        {
          id: "a2",
          assessed_on: "2025-09-15",
          classification: "dilapidated",
          qualifies: true,
          rule_set_code: "QD55",
        },
      ],
      next_cursor: null,
    }),
  [`GET /api/registry/v1/households/${HH}/support-history`]: empty,
};

describe("households", () => {
  it("searches by a name typed without diacritics, the query in the URL", async () => {
    const user = userEvent.setup();
    const app = renderApp({
      path: "/households",
      user: USERS.commune,
      routes: {
        "GET /api/registry/v1/households": empty,
        "GET /api/registry/v1/admin-units/10525": () =>
          json({
            scheme: "2025",
            level: "commune",
            code: "10525",
            name: "Phường Hải Dương",
            parent_code: "31",
          }),
        "GET /api/registry/v1/persons/search": (_r, url) =>
          url.searchParams.get("q") === "nguyen van duc"
            ? json({ items: [{ ...head, match: "exact" }], next_cursor: null })
            : empty(),
      },
    });
    fireEvent.change(await screen.findByLabelText("Họ và tên"), { target: { value: "nguyen van duc" } });
    await user.click(screen.getByRole("button", { name: /Tìm/ }));
    expect(await screen.findByRole("link", { name: "Nguyễn Văn Đức" })).toBeInTheDocument();
    expect(screen.getByText("*********123")).toBeInTheDocument();
    expect(app.router.state.location.searchStr).toBe("?q=nguyen+van+duc");
  });

  it("shows members masked, reveals a number for a purpose and hides it again", async () => {
    const user = userEvent.setup();
    const reveals: unknown[] = [];
    renderApp({
      path: `/households/${HH}`,
      user: USERS.commune,
      routes: {
        ...detailRoutes,
        [`POST /api/registry/v1/persons/${HEAD}/reveal`]: async (request) => {
          reveals.push(await request.json());
          return json(
            { person_id: HEAD, citizen_id: "030070000123" },
            { headers: { "Cache-Control": "no-store" } },
          );
        },
      },
    });
    const cell = await screen.findByTestId(`citizen-id-${HEAD}`);
    expect(cell).toHaveTextContent("*********123");
    expect(await screen.findByText("Hộ nghèo (2025)")).toBeInTheDocument();
    expect(await screen.findByText("Nhà dột nát")).toBeInTheDocument();

    await user.click(within(cell.closest("td") as HTMLElement).getByText("Hiện số"));
    const dialog = (await screen.findByText("Lý do cần xem")).closest(".ant-modal") as HTMLElement;
    const purpose = within(dialog).getByLabelText("Lý do cần xem");
    fireEvent.change(purpose, { target: { value: "abc" } });
    await user.click(within(dialog).getByText("Hiện số"));
    expect(await within(dialog).findByText("Lý do cần từ 5 đến 300 ký tự.")).toBeInTheDocument();
    expect(reveals).toEqual([]);
    fireEvent.change(purpose, { target: { value: "abc đối chiếu hồ sơ" } });
    await user.click(within(dialog).getByText("Hiện số"));
    await waitFor(() => expect(screen.getByTestId(`citizen-id-${HEAD}`)).toHaveTextContent("030070000123"));
    expect(reveals).toEqual([{ fields: ["citizen_id"], purpose: "abc đối chiếu hồ sơ" }]);

    await user.click(screen.getByText("Ẩn số"));
    expect(screen.getByTestId(`citizen-id-${HEAD}`)).toHaveTextContent("*********123");
  });

  it("offers no reveal to an auditor", async () => {
    renderApp({ path: `/households/${HH}`, user: USERS.auditor, routes: detailRoutes });
    expect(await screen.findByTestId(`citizen-id-${HEAD}`)).toHaveTextContent("*********123");
    expect(screen.queryByText("Hiện số")).toBeNull();
  });

  it("explains a household outside the area in words", async () => {
    renderApp({
      path: `/households/${HH}`,
      user: USERS.commune,
      routes: {
        ...detailRoutes,
        [`GET /api/registry/v1/households/${HH}`]: () => problem(404, "household_not_found"),
      },
    });
    expect(await screen.findByTestId("problem")).toHaveTextContent("Không tìm thấy hộ gia đình này");
  });
});
