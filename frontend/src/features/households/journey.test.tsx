import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { button, dialog } from "@/test/fast";
import { type Handler, json, problem, renderApp, USERS } from "@/test/harness";
import { assessmentBody, dwellingBody, emptyDwelling, localToday } from "./dwelling";

const HH = "0190e1c2-0000-7000-8000-0000000000a1";
const HEAD = "0190e1c2-0000-7000-8000-0000000000b1";
const DW = "0190e1c2-0000-7000-8000-0000000000d1";
const CASE = "0190e1c2-0000-7000-8000-0000000000c1";
const CAMPAIGN = "0190e1c2-0000-7000-8000-0000000000e1";
const base = {
  province_code: "31",
  commune_code: "10525",
  legacy_area_code: null,
  version: 1,
  created_at: "2026-08-01T02:00:00Z",
  updated_at: "2026-08-01T02:00:00Z",
};
const household = {
  ...base,
  id: HH,
  address: "Số 5 ngõ 12",
  hamlet: null,
  residence_area: "rural",
  head_person_id: HEAD,
  closed_on: null,
  members: [
    {
      ...base,
      id: HEAD,
      household_id: HH,
      relationship: "head",
      full_name: "Nguyễn Văn Đức",
      date_of_birth: "1980-05-12",
      birth_year: 1980,
      gender: "male",
      citizen_id_masked: "*********456",
      legacy_id_masked: null,
      phone_masked: null,
    },
  ],
};
const empty = () => json({ items: [], next_cursor: null });
const today = localToday();
const year = Number(today.slice(0, 4));

function detail(extra: Record<string, Handler> = {}): Record<string, Handler> {
  return {
    [`GET /api/registry/v1/households/${HH}`]: () => json(household),
    "GET /api/registry/v1/admin-units/10525": () =>
      json({ scheme: "2025", level: "commune", code: "10525", name: "Phường Hải Dương", parent_code: "31" }),
    [`GET /api/registry/v1/households/${HH}/categories`]: empty,
    [`GET /api/registry/v1/households/${HH}/dwellings`]: empty,
    [`GET /api/registry/v1/households/${HH}/support-history`]: empty,
    "GET /api/registry/v1/review-campaigns": () =>
      json({
        items: [
          {
            id: CAMPAIGN,
            province_code: "31",
            year,
            window_opens_on: `${year}-01-01`,
            window_closes_on: `${year}-12-31`,
            rule_id: "r",
            opened_by: "so.xaydung",
            version: 1,
            created_at: "2026-01-01T00:00:00Z",
            updated_at: "2026-01-01T00:00:00Z",
          },
        ],
        next_cursor: null,
      }),
    ...extra,
  };
}

function assessment(classification: string) {
  return {
    ...base,
    id: "a1",
    dwelling_id: DW,
    household_id: HH,
    rule_set_id: "rs",
    rule_set_code: "QD55_2025",
    assessed_on: today,
    assessor: "Tổ khảo sát",
    floor_area_m2: "40",
    residents: 2,
    foundation: { material: "durable", state: "unsafe" },
    frame_walls: { material: "durable", state: "unsafe" },
    roof: { material: "durable", state: "damaged" },
    land_status: "residential_undisputed",
    classification,
    qualifies: true,
    criteria: ["structure_unsafe"],
    note: null,
  };
}

async function choose(container: HTMLElement, label: string, option: string) {
  fireEvent.mouseDown(within(container).getByLabelText(label));
  const item = await waitFor(() => {
    const open = [
      ...document.querySelectorAll<HTMLElement>(".ant-select-dropdown:not(.ant-select-dropdown-hidden)"),
    ];
    const found = [...(open.at(-1)?.querySelectorAll<HTMLElement>(".ant-select-item-option") ?? [])].find(
      (el) => el.getAttribute("title") === option,
    );
    if (!found) throw new Error(`no option ${option}`);
    return found;
  });
  fireEvent.click(item);
}

describe("a dwelling and its assessment: the data", () => {
  it("sends the dwelling and the assessment apart, leaving out what is empty", () => {
    const v = {
      ...emptyDwelling("2026-11-20"),
      assessor: " Tổ khảo sát ",
      floor_area_m2: 40,
      residents: 2,
      built_year: 1995,
    };
    expect(dwellingBody(v)).toEqual({ since: "2026-11-20", built_year: 1995 });
    expect(assessmentBody(v)).toEqual({
      assessed_on: "2026-11-20",
      assessor: "Tổ khảo sát",
      floor_area_m2: 40,
      residents: 2,
      foundation: { material: "durable", state: "sound" },
      frame_walls: { material: "durable", state: "sound" },
      roof: { material: "durable", state: "sound" },
      land_status: "residential_undisputed",
    });
  });
});

describe("a commune officer's work on a household", () => {
  it("adds a dwelling with its assessment; a refused assessment keeps the dwelling and is sent alone", {
    timeout: 60_000,
  }, async () => {
    const posted: { path: string; body: unknown }[] = [];
    let refuse = true;
    renderApp({
      path: `/households/${HH}`,
      user: USERS.commune,
      routes: detail({
        [`POST /api/registry/v1/households/${HH}/dwellings`]: async (request) => {
          posted.push({ path: "dwelling", body: await request.json() });
          return json({
            ...base,
            id: DW,
            household_id: HH,
            since: today,
            ended_on: null,
            built_year: null,
            note: null,
          });
        },
        [`POST /api/registry/v1/dwellings/${DW}/assessments`]: async (request) => {
          posted.push({ path: "assessment", body: await request.json() });
          if (refuse) {
            refuse = false;
            return problem(422, "dwelling_date_invalid", {
              errors: [{ pointer: "/body/assessed_on", code: "before_dwelling", message: "before" }],
            });
          }
          return json(assessment("dilapidated"), { status: 201 });
        },
      }),
    });
    const card = await screen.findByTestId("dwelling");
    fireEvent.click(await waitFor(() => button(card, "Thêm nhà ở")));
    const modal = await dialog();
    fireEvent.change(within(modal).getByLabelText("Người, tổ đánh giá"), {
      target: { value: "Tổ khảo sát" },
    });
    fireEvent.change(within(modal).getByLabelText("Diện tích sử dụng (m²)"), { target: { value: "40" } });
    fireEvent.change(within(modal).getByLabelText("Số người đang ở"), { target: { value: "2" } });
    await choose(modal, "Móng: tình trạng", "Nguy hiểm, mất an toàn");
    await choose(modal, "Khung, tường: tình trạng", "Nguy hiểm, mất an toàn");
    fireEvent.click(button(modal, "Thêm nhà ở và đánh giá hiện trạng"));

    expect(await within(modal).findByText("Không được trước ngày hộ bắt đầu ở nhà này.")).toBeInTheDocument();
    expect(within(modal).getByTestId("dwelling-kept")).toBeInTheDocument();
    expect(posted.map((p) => p.path)).toEqual(["dwelling", "assessment"]);
    expect(posted[1]?.body).toMatchObject({
      floor_area_m2: 40,
      residents: 2,
      foundation: { material: "durable", state: "unsafe" },
      frame_walls: { material: "durable", state: "unsafe" },
    });

    // antd leaves its loading state a moment after the answer.
    await waitFor(() =>
      expect(button(modal, "Thêm nhà ở và đánh giá hiện trạng")).not.toHaveClass("ant-btn-loading"),
    );
    fireEvent.click(button(modal, "Thêm nhà ở và đánh giá hiện trạng"));
    expect(await screen.findByText("Đã ghi nhận đánh giá: Nhà dột nát.")).toBeInTheDocument();
    expect(posted.map((p) => p.path)).toEqual(["dwelling", "assessment", "assessment"]);
  });

  it("records the household in this year's open review, the household fixed", {
    timeout: 40_000,
  }, async () => {
    const bodies: unknown[] = [];
    renderApp({
      path: `/households/${HH}`,
      user: USERS.commune,
      routes: detail({
        [`POST /api/registry/v1/review-campaigns/${CAMPAIGN}/records`]: async (request) => {
          bodies.push(await request.json());
          return json({ id: "r1", household_id: HH, state: "draft" }, { status: 201 });
        },
      }),
    });
    fireEvent.click(await waitFor(() => button(document.body, `Ghi kết quả rà soát ${year}`)));
    const modal = await dialog();
    const id = within(modal).getByLabelText("Mã hộ") as HTMLInputElement;
    expect(id.value).toBe(HH);
    expect(id).toBeDisabled();
    fireEvent.change(within(modal).getByLabelText("Tỷ lệ đồng ý"), { target: { value: "80" } });
    const date = within(modal).getByLabelText("Ngày họp thôn");
    fireEvent.mouseDown(date);
    fireEvent.change(date, { target: { value: "10/10/2026" } });
    fireEvent.keyDown(date, { key: "Enter", code: "Enter", keyCode: 13 });
    fireEvent.click(button(modal, "Lưu"));
    expect(await screen.findByText(`Đã ghi kết quả rà soát năm ${year}.`)).toBeInTheDocument();
    expect(bodies).toEqual([
      {
        household_id: HH,
        kind: "new_case",
        status_before: "none",
        status_after: "poor",
        meeting_held_on: "2026-10-10",
        meeting_agreement_pct: 80,
        note: null,
      },
    ]);
    expect(screen.getByTestId("review-recorded").getAttribute("href")).toBe(
      `/review-campaigns/${CAMPAIGN}?commune_code=10525`,
    );
  });

  it("says so when no review is open", async () => {
    renderApp({
      path: `/households/${HH}`,
      user: USERS.commune,
      routes: detail({ "GET /api/registry/v1/review-campaigns": empty }),
    });
    expect(await screen.findByText("Chưa có đợt rà soát đang mở")).toBeInTheDocument();
  });

  it("proposes support for the household with the amount that applies, then opens the case", {
    timeout: 40_000,
  }, async () => {
    const bodies: unknown[] = [];
    const app = renderApp({
      path: `/households/${HH}`,
      user: USERS.commune,
      routes: detail({
        "GET /api/registry/v1/support-rates": () =>
          json({
            items: [
              {
                id: "rate",
                code: "CAMPAIGN_2024_REPAIR",
                stream: "campaign",
                kind: "repair",
                amount_vnd: 30_000_000,
                valid_from: "2024-11-10",
                valid_to: null,
                legal_basis: "Ban Chỉ đạo Trung ương",
                issued_on: "2024-11-10",
                note: null,
              },
            ],
            next_cursor: null,
          }),
        "POST /api/registry/v1/support-cases": async (request) => {
          bodies.push(await request.json());
          return json({ id: CASE, household_id: HH }, { status: 201 });
        },
        [`GET /api/registry/v1/support-cases/${CASE}`]: () => problem(404, "support_case_not_found"),
      }),
    });
    fireEvent.click(await waitFor(() => button(document.body, "Đề xuất hỗ trợ")));
    const modal = await dialog();
    expect(await within(modal).findByTestId("support-rate")).toHaveTextContent("30.000.000 ₫");
    await choose(modal, "Hình thức", "Xây mới");
    expect(await within(modal).findByText(/Chưa có mức hỗ trợ/)).toBeInTheDocument();
    await choose(modal, "Hình thức", "Sửa chữa");
    fireEvent.click(button(modal, "Đề xuất hỗ trợ nhà ở"));
    await waitFor(() => expect(app.router.state.location.pathname).toBe(`/support-cases/${CASE}`));
    expect(bodies).toEqual([{ household_id: HH, stream: "campaign", kind: "repair" }]);
  });
});

describe("today's legal date", () => {
  it("is Hải Phòng's, not the browser's", () => {
    // 20:30 UTC on 28/11 is already 29/11 in Asia/Ho_Chi_Minh.
    expect(localToday(new Date("2026-11-28T20:30:00Z"))).toBe("2026-11-29");
    expect(localToday(new Date("2026-11-28T10:00:00Z"))).toBe("2026-11-28");
  });
});
