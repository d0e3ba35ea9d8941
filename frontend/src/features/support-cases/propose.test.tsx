import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { button, dialog } from "@/test/fast";
import { json, renderApp, USERS } from "@/test/harness";
import { applicableRate, emptyProposal, proposeBody, type SupportRate } from "./propose";

const HH = "0190e1c2-0000-7000-8000-0000000000a1";
const CASE = "0190e1c2-0000-7000-8000-0000000000c1";
const rate = (changes: Partial<SupportRate>): SupportRate => ({
  id: "r",
  code: "CAMPAIGN_2024_REPAIR",
  stream: "campaign",
  kind: "repair",
  amount_vnd: 30_000_000,
  valid_from: "2024-11-10",
  valid_to: null,
  legal_basis: "Ban Chỉ đạo Trung ương",
  issued_on: "2024-11-10",
  note: null,
  ...changes,
});

describe("proposing support: the data", () => {
  it("picks the amount valid for the programme, kind and day", () => {
    const rates = [
      rate({ id: "old", valid_to: "2024-11-09", valid_from: "2022-01-01", amount_vnd: 25_000_000 }),
      rate({ id: "now" }),
      rate({ id: "merit", stream: "merit", valid_to: "2025-12-31" }),
    ];
    expect(applicableRate(rates, "campaign", "repair", "2026-11-28")?.id).toBe("now");
    expect(applicableRate(rates, "campaign", "repair", "2024-01-01")?.id).toBe("old");
    expect(applicableRate(rates, "merit", "repair", "2026-11-28")).toBeNull();
    expect(applicableRate(rates, "campaign", "new_build", "2026-11-28")).toBeNull();
  });

  it("leaves the day and the note out when empty (the service takes today)", () => {
    expect(proposeBody(emptyProposal(HH))).toEqual({ household_id: HH, stream: "campaign", kind: "repair" });
    expect(proposeBody({ ...emptyProposal(HH), proposed_on: "2026-11-20", note: " Nhà dột " })).toMatchObject(
      {
        proposed_on: "2026-11-20",
        note: "Nhà dột",
      },
    );
  });
});

describe("proposing support from the list", () => {
  it("finds the household by a member's name typed without diacritics", { timeout: 40_000 }, async () => {
    const searched: string[] = [];
    const bodies: unknown[] = [];
    const app = renderApp({
      path: "/support-cases",
      user: USERS.commune,
      routes: {
        "GET /api/registry/v1/support-cases": () => json({ items: [], next_cursor: null }),
        "GET /api/registry/v1/admin-units/10525": () => json({ code: "10525", name: "Phường Hải Dương" }),
        "GET /api/registry/v1/support-rates": () => json({ items: [rate({})], next_cursor: null }),
        "GET /api/registry/v1/persons/search": (_r, url) => {
          searched.push(url.searchParams.get("q") ?? "");
          return json({
            items: [
              {
                id: "p1",
                household_id: HH,
                relationship: "head",
                full_name: "Nguyễn Văn Đức",
                date_of_birth: null,
                birth_year: 1980,
                gender: "male",
                citizen_id_masked: "*********456",
                legacy_id_masked: null,
                phone_masked: null,
                province_code: "31",
                commune_code: "10525",
                legacy_area_code: null,
                version: 1,
                created_at: "2026-01-01T00:00:00Z",
                updated_at: "2026-01-01T00:00:00Z",
                match: "exact",
              },
            ],
            next_cursor: null,
          });
        },
        "POST /api/registry/v1/support-cases": async (request) => {
          bodies.push(await request.json());
          return json({ id: CASE, household_id: HH }, { status: 201 });
        },
        [`GET /api/registry/v1/support-cases/${CASE}`]: () => json({}, { status: 404 }),
      },
    });
    fireEvent.click(await waitFor(() => button(document.body, "Đề xuất hỗ trợ")));
    const modal = await dialog();
    // Nothing picked yet: the household is required.
    fireEvent.click(button(modal, "Đề xuất hỗ trợ nhà ở"));
    expect(await within(modal).findByText("Bắt buộc nhập.")).toBeInTheDocument();
    const picker = within(modal).getByLabelText("Hộ gia đình");
    fireEvent.mouseDown(picker);
    fireEvent.change(picker, { target: { value: "nguyen van duc" } });
    const option = await screen.findByTitle(/Nguyễn Văn Đức — Chủ hộ, sinh 1980 — \*{9}456/);
    fireEvent.click(option);
    fireEvent.click(button(modal, "Đề xuất hỗ trợ nhà ở"));
    await waitFor(() => expect(app.router.state.location.pathname).toBe(`/support-cases/${CASE}`));
    expect(searched).toContain("nguyen van duc");
    expect(bodies).toEqual([{ household_id: HH, stream: "campaign", kind: "repair" }]);
  });
});
