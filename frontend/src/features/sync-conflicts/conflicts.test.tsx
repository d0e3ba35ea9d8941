import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { button, dialog } from "@/test/fast";
import { json, problem, renderApp, USERS } from "@/test/harness";
import { conflictRows } from "./queries";

const ID = "0190e1c2-0000-7000-8000-0000000f0001";
const PATH = `/api/inspection/v1/field-sync/conflicts/${ID}`;
const conflict = (changes: Record<string, unknown> = {}) => ({
  id: ID,
  client_id: "c-1",
  subject: "sub-thanhtra",
  device_id: "dev-1",
  entity_type: "inspection_finding",
  entity_id: "f-1",
  case_id: "case-1",
  province_code: "31",
  commune_code: "10525",
  base_version: 1,
  server_version: 2,
  client_changes: { note: "Tường nứt", compliant: false },
  server_state: { note: "Tường nứt nhẹ", compliant: false, version: 2 },
  status: "open",
  resolution: null,
  resolved_by: null,
  resolved_at: null,
  resolution_note: null,
  version: 3,
  created_at: "2026-11-20T03:00:00Z",
  ...changes,
});

describe("field sync conflicts", () => {
  it("lines up the device's fields against the server's", () => {
    expect(conflictRows(conflict())).toEqual([
      { field: "compliant", client: "false", server: "false", differs: false },
      { field: "note", client: "Tường nứt", server: "Tường nứt nhẹ", differs: true },
    ]);
  });

  it("lets a province officer keep the server's state, with the conflict's ETag as If-Match", async () => {
    const sent: { ifMatch: string | null; body: unknown }[] = [];
    renderApp({
      path: "/sync-conflicts",
      user: USERS.province,
      routes: {
        "GET /api/inspection/v1/field-sync/conflicts": () => json({ items: [conflict()], next_cursor: null }),
        [`GET ${PATH}`]: () => json(conflict(), { headers: { ETag: 'W/"3"' } }),
        [`POST ${PATH}/resolve`]: async (request) => {
          sent.push({ ifMatch: request.headers.get("If-Match"), body: await request.json() });
          return sent.length === 1
            ? problem(412, "precondition_failed")
            : json(conflict({ status: "resolved", resolution: "keep_server" }));
        },
      },
    });
    const table = await screen.findByTestId("sync-conflicts");
    expect(await within(table).findByText("Tường nứt nhẹ")).toBeInTheDocument();
    // Only the case's inspector may apply the device's change.
    expect(button(table, "Áp dụng thay đổi của thiết bị", false)).toBeNull();
    fireEvent.click(button(table, "Giữ bản trên hệ thống"));
    const modal = await dialog();
    fireEvent.click(button(modal, "Giữ bản trên hệ thống"));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ ifMatch: 'W/"3"', body: { resolution: "keep_server", note: null } });
    await within(modal).findByRole("alert");
    fireEvent.click(button(modal, "Giữ bản trên hệ thống"));
    expect(await screen.findByText("Đã xử lý xung đột.")).toBeInTheDocument();
  });

  it("is not offered to a commune officer", async () => {
    renderApp({ path: "/", user: USERS.commune, routes: {} });
    await screen.findByRole("navigation");
    expect(screen.queryByText("Xung đột đồng bộ")).toBeNull();
  });
});
