import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { button, dialog } from "@/test/fast";
import { json, renderApp, USERS } from "@/test/harness";
import {
  commitmentBody,
  commitmentSchema,
  contributorBody,
  contributorSchema,
  emptyCommitment,
  emptyContributor,
} from "./schema";

const SOURCE = { id: "0190e1c2-0000-7000-8000-000000050001", name: "Ngân sách tỉnh 2026" };
const CONTRIBUTOR = {
  id: "0190e1c2-0000-7000-8000-000000060001",
  province_code: "31",
  kind: "enterprise_domestic",
  name: "Công ty CP Xây dựng Hải Phòng",
  tax_code: "0200123456",
  country_code: null,
  note: null,
  version: 1,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
};

describe("commitment forms' data", () => {
  it("asks a foreign enterprise for its country and sends it upper-case", () => {
    const v = { ...emptyContributor("31"), kind: "enterprise_foreign" as const, name: "Samsung" };
    expect(contributorSchema.safeParse(v).error?.issues[0]?.path).toEqual(["country_code"]);
    expect(contributorBody({ ...v, country_code: "kr" })).toMatchObject({
      country_code: "KR",
      tax_code: null,
    });
    expect(contributorSchema.safeParse({ ...v, country_code: "KR", tax_code: "12" }).success).toBe(false);
  });

  it("names the contributor only for a pledge", () => {
    const v = {
      ...emptyCommitment(2026),
      source_id: SOURCE.id,
      amount_vnd: 73_500_000_000,
      decision_number: "1234/QĐ-UBND",
      decision_date: "2026-01-15",
      decision_issuer: "UBND thành phố Hải Phòng",
      contributor_id: CONTRIBUTOR.id,
    };
    expect(commitmentBody(v).contributor_id).toBeNull();
    expect(commitmentBody({ ...v, kind: "pledge" }).contributor_id).toBe(CONTRIBUTOR.id);
    expect(commitmentSchema.safeParse({ ...v, kind: "pledge", contributor_id: "" }).success).toBe(false);
  });
});

describe("commitments screen", () => {
  it("lists commitments with their source and checks a new one before sending", async () => {
    const sent: unknown[] = [];
    renderApp({
      path: "/funding-commitments",
      user: USERS.finance,
      routes: {
        "GET /api/funding/v1/funding-sources": () => json({ items: [SOURCE], next_cursor: null }),
        "GET /api/funding/v1/funding-contributors": () => json({ items: [CONTRIBUTOR], next_cursor: null }),
        "GET /api/funding/v1/funding-commitments": () =>
          json({
            items: [
              {
                id: "c1",
                source_id: SOURCE.id,
                contributor_id: null,
                province_code: "31",
                kind: "appropriation",
                fiscal_year: 2026,
                amount_vnd: 73_500_000_000,
                decision_number: "1234/QĐ-UBND",
                decision_date: "2026-01-15",
                decision_issuer: "UBND thành phố",
                note: null,
                created_at: "2026-01-15T00:00:00Z",
              },
            ],
            next_cursor: null,
          }),
        "POST /api/funding/v1/funding-commitments": async (request) => {
          sent.push(await request.json());
          return json({ id: "c2" }, { status: 201 });
        },
      },
    });
    const table = await screen.findByTestId("commitments");
    expect(await within(table).findByText("Ngân sách tỉnh 2026")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Thêm cam kết" }));
    const modal = await dialog();
    fireEvent.click(button(modal, "Thêm cam kết"));
    expect((await within(modal).findAllByText("Bắt buộc nhập.")).length).toBeGreaterThan(0);
    expect(sent).toHaveLength(0);
  });

  it("hides the writes from an auditor", async () => {
    renderApp({
      path: "/funding-commitments?tab=contributors",
      user: USERS.auditor,
      routes: {
        "GET /api/funding/v1/funding-sources": () => json({ items: [SOURCE], next_cursor: null }),
        "GET /api/funding/v1/funding-contributors": () => json({ items: [CONTRIBUTOR], next_cursor: null }),
      },
    });
    const table = await screen.findByTestId("contributors");
    await within(table).findByText("Công ty CP Xây dựng Hải Phòng");
    expect(screen.queryByRole("button", { name: "Thêm cam kết" })).toBeNull();
    await waitFor(() => expect(screen.queryByRole("button", { name: "Thêm nhà tài trợ" })).toBeNull());
  });
});
