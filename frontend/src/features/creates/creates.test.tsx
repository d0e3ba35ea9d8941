import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { createApi } from "@/api/client";
import { loadConfig } from "@/config";
import { button, dialog } from "@/test/fast";
import { FakeSession, fakeFetch, json, problem, renderApp, USERS } from "@/test/harness";
import { openAndAssignCase } from "./dialogs";
import {
  campaignBody,
  campaignSchema,
  emptyInspectionCase,
  emptyProject,
  emptyRound,
  inspectionCaseBody,
  projectBody,
  projectField,
  projectSchema,
  roundSchema,
  saleBody,
  saleSchema,
  saleValues,
} from "./schemas";

const CAMPAIGN_ID = "0190e1c2-0000-7000-8000-00000000c001";

describe("create forms' data", () => {
  it("leaves the review window to the rule when its days are empty, and checks their order", () => {
    const values = { province_code: "31", year: 2026, window_opens_on: "", window_closes_on: "" };
    expect(campaignBody(values)).toEqual({ province_code: "31", year: 2026 });
    expect(
      campaignBody({ ...values, window_opens_on: "2026-09-01", window_closes_on: "2026-12-14" }),
    ).toEqual({
      province_code: "31",
      year: 2026,
      window_opens_on: "2026-09-01",
      window_closes_on: "2026-12-14",
    });
    const wrong = campaignSchema.safeParse({
      ...values,
      window_opens_on: "2026-12-14",
      window_closes_on: "2026-09-01",
    });
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues[0]?.path).toEqual(["window_closes_on"]);
    expect(campaignSchema.safeParse({ ...values, province_code: "031" }).success).toBe(false);
  });

  it("builds a project with one planned-units line and maps that line's errors to its fields", () => {
    const values = {
      ...emptyProject("31"),
      name: " NOXH Thạch Khôi ",
      investor: "Công ty A",
      address: "Thạch Khôi",
      commune_code: "10525",
      land_area_m2: 12000,
      units: 300,
    };
    expect(projectSchema.safeParse(values).success).toBe(true);
    expect(projectBody(values)).toMatchObject({
      name: "NOXH Thạch Khôi",
      commercial_project_ref: null,
      planned_units: [{ unit_kind: "apartment", floor_area_band: "45_to_60", units: 300 }],
    });
    expect(projectSchema.safeParse({ ...values, units: 0 }).success).toBe(false);
    expect(projectSchema.safeParse({ ...values, commune_code: "105" }).success).toBe(false);
    expect(projectField("planned_units.0.units")).toBe("units");
    expect(projectField("name")).toBe("name");
  });

  it("needs a real project id and a published seed for a round", () => {
    expect(
      roundSchema.safeParse({ ...emptyRound("x"), units: 10, published_seed: "XSMB 48213" }).success,
    ).toBe(false);
    expect(
      roundSchema.safeParse({ ...emptyRound(CAMPAIGN_ID), units: 10, published_seed: "XSMB 48213" }).success,
    ).toBe(true);
    expect(
      roundSchema.safeParse({ ...emptyRound(CAMPAIGN_ID), units: 10, published_seed: " " }).success,
    ).toBe(false);
  });

  it("starts a sale publication from the project's and checks its window", () => {
    const v = saleValues({ sale_published_on: "2026-03-01", sale_published_where: " Báo Hải Phòng " });
    expect(v).toEqual({
      published_on: "2026-03-01",
      published_where: " Báo Hải Phòng ",
      opens_on: "",
      closes_on: "",
    });
    expect(saleSchema.safeParse(v).success).toBe(false);
    const full = { ...v, opens_on: "2026-03-15", closes_on: "2026-04-15" };
    expect(saleSchema.safeParse(full).success).toBe(true);
    expect(saleBody(full).published_where).toBe("Báo Hải Phòng");
    const wrong = saleSchema.safeParse({ ...full, closes_on: "2026-03-01" });
    expect(wrong.error?.issues[0]?.path).toEqual(["closes_on"]);
  });

  it("sends empty optional case fields as null", () => {
    const values = {
      ...emptyInspectionCase("31"),
      kind: "construction_check",
      title: "KT",
      subject: "Dự án B",
    };
    expect(inspectionCaseBody(values)).toEqual({
      kind: "construction_check",
      title: "KT",
      subject: "Dự án B",
      province_code: "31",
      commune_code: null,
      due_on: null,
    });
  });

  it("assigns a new case with the ETag the create answered as If-Match", async () => {
    const sent: { path: string; ifMatch: string | null; body: unknown }[] = [];
    const fake = fakeFetch({
      "POST /api/inspection/v1/inspection-cases": async (request) => {
        sent.push({ path: "create", ifMatch: null, body: await request.json() });
        return json({ id: "case-1", version: 1 }, { status: 201, headers: { ETag: 'W/"1"' } });
      },
      "POST /api/inspection/v1/inspection-cases/case-1/assign": async (request) => {
        sent.push({ path: "assign", ifMatch: request.headers.get("If-Match"), body: await request.json() });
        return json({ id: "case-1", version: 2 });
      },
    });
    const api = createApi(loadConfig("http://localhost"), new FakeSession(USERS.province), fake.fetch);
    const values = {
      ...emptyInspectionCase("31"),
      kind: "construction_check",
      title: "KT",
      subject: "Dự án B",
      assignee: "sub-thanhtra",
      due_on: "2026-12-31",
    };
    await expect(openAndAssignCase(api, values)).resolves.toMatchObject({ id: "case-1" });
    expect(sent[1]).toEqual({
      path: "assign",
      ifMatch: 'W/"1"',
      body: { inspector_subject: "sub-thanhtra", due_on: "2026-12-31" },
    });
  });
});

describe("create dialogs", () => {
  const campaigns = () => json({ items: [], next_cursor: null });

  it("lets a province officer open a review campaign, with the service's field errors next to fields", async () => {
    const bodies: unknown[] = [];
    let refuse = true;
    renderApp({
      path: "/review-campaigns",
      user: USERS.province,
      routes: {
        "GET /api/registry/v1/review-campaigns": campaigns,
        "POST /api/registry/v1/review-campaigns": async (request) => {
          bodies.push(await request.json());
          if (refuse) {
            refuse = false;
            return problem(422, "validation_error", {
              errors: [{ pointer: "/body/year", code: "less_than_equal", message: "too large" }],
            });
          }
          return json({ id: CAMPAIGN_ID, province_code: "31", year: 2026, version: 1 }, { status: 201 });
        },
        [`GET /api/registry/v1/review-campaigns/${CAMPAIGN_ID}`]: () =>
          json({
            id: CAMPAIGN_ID,
            province_code: "31",
            year: 2026,
            window_opens_on: "2026-09-01",
            window_closes_on: "2026-12-14",
            version: 1,
          }),
      },
    });
    fireEvent.click(await screen.findByRole("button", { name: "Mở đợt rà soát" }));
    const modal = await dialog();
    fireEvent.click(button(modal, "Mở đợt rà soát"));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toMatchObject({ province_code: "31" });
    expect(await within(modal).findByText("Giá trị quá lớn.")).toBeInTheDocument();
    fireEvent.click(button(modal, "Mở đợt rà soát"));
    await waitFor(() => expect(bodies).toHaveLength(2));
    expect(await screen.findByText("Đã mở đợt rà soát.")).toBeInTheDocument();
  });

  it("offers no create to roles the service would refuse", async () => {
    renderApp({
      path: "/review-campaigns",
      user: USERS.commune,
      routes: { "GET /api/registry/v1/review-campaigns": campaigns },
    });
    await screen.findByText("Không có dữ liệu.");
    expect(screen.queryByRole("button", { name: "Mở đợt rà soát" })).toBeNull();
  });

  it("checks a new project's fields before sending anything", async () => {
    const { calls } = renderApp({
      path: "/housing-projects",
      user: USERS.province,
      routes: { "GET /api/registry/v1/housing-projects": campaigns },
    });
    fireEvent.click(await screen.findByRole("button", { name: "Thêm dự án" }));
    const modal = await dialog();
    fireEvent.click(button(modal, "Thêm dự án"));
    expect((await within(modal).findAllByText("Bắt buộc nhập.")).length).toBeGreaterThan(0);
    expect(calls.some((c) => c.method === "POST")).toBe(false);
  });

  it("queues a duplicate detection run", async () => {
    let queued = 0;
    renderApp({
      path: "/duplicates",
      user: USERS.commune,
      routes: {
        "GET /api/registry/v1/duplicate-candidates": campaigns,
        "POST /api/registry/v1/duplicate-detections": () => {
          queued += 1;
          return json(
            { job_id: "0190e1c2-aaaa-7000-8000-000000000001", area_codes: ["10525"] },
            { status: 202 },
          );
        },
      },
    });
    fireEvent.click(await screen.findByRole("button", { name: "Chạy dò trùng" }));
    fireEvent.click(button(await dialog(), "Chạy dò trùng"));
    expect(await screen.findByText("Đã xếp lịch dò trùng (mã việc 0190e1c2).")).toBeInTheDocument();
    expect(queued).toBe(1);
  });
});
