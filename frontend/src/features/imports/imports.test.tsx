import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { parseCsv } from "@/lib/download";
import { button } from "@/test/fast";
import { json, renderApp, USERS } from "@/test/harness";
import { contentType, type ImportRead, progressPercent } from "./queries";

const ID = "0190e1c2-0000-7000-8000-0000000f0001";
const row = (changes: Partial<ImportRead> = {}): ImportRead => ({
  id: ID,
  province_code: "31",
  commune_code: "10525",
  filename: "ra_soat_2026.csv",
  file_format: "csv",
  size_bytes: 120,
  sha256: "00",
  mode: "accept_valid_rows",
  kind: "households",
  campaign_id: null,
  meeting_held_on: null,
  meeting_agreement_pct: null,
  status: "running",
  job_id: "j1",
  total_rows: 10,
  processed_rows: 4,
  error_rows: 0,
  households_created: 0,
  households_matched: 0,
  persons_created: 0,
  persons_matched: 0,
  review_records_created: 0,
  review_records_updated: 0,
  review_records_matched: 0,
  assessments_created: 0,
  assessments_matched: 0,
  created_at: "2026-11-28T02:00:00Z",
  finished_at: null,
  ...changes,
});

describe("imports", () => {
  it("reads the services' csv reports", () => {
    expect(
      parseCsv('\ufeffrow;column;code;reason\r\n3;"Ngày; sinh";date_invalid;"say ""31/02"""\r\n'),
    ).toEqual([
      ["row", "column", "code", "reason"],
      ["3", "Ngày; sinh", "date_invalid", 'say "31/02"'],
    ]);
    expect(parseCsv("a,b\n1,2\n")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(contentType("DS.XLSX")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(contentType("ds.ods")).toBe("application/octet-stream");
    expect(progressPercent(row())).toBe(40);
    expect(progressPercent(row({ status: "completed" }))).toBe(100);
  });

  it("uploads a file, follows the job's progress and lists the refused rows", {
    timeout: 40_000,
  }, async () => {
    const uploads: { query: string; type: string | null; body: string }[] = [];
    let polls = 0;
    const app = renderApp({
      path: "/imports",
      user: USERS.commune,
      routes: {
        "GET /api/registry/v1/imports": () => json({ items: [], next_cursor: null }),
        "POST /api/registry/v1/imports": async (request, url) => {
          uploads.push({
            query: url.search,
            type: request.headers.get("Content-Type"),
            body: await request.text(),
          });
          return json(row({ status: "queued", processed_rows: 0 }), { status: 202 });
        },
        [`GET /api/registry/v1/imports/${ID}`]: () => {
          polls += 1;
          return json(
            polls < 2
              ? row()
              : row({
                  status: "completed",
                  processed_rows: 10,
                  error_rows: 1,
                  households_created: 9,
                  finished_at: "x",
                }),
          );
        },
        [`GET /api/registry/v1/imports/${ID}/errors.csv`]: () =>
          new Response(
            "\ufeffrow;column;code;reason\r\n7;Ngày sinh;date_invalid;31/02/1970 is not a day\r\n",
            {
              headers: { "Content-Type": "text/csv" },
            },
          ),
      },
    });
    await screen.findByText("Nhập danh sách từ tệp");
    fireEvent.click(button(document.body, "Tải lên và nhập"));
    expect(await screen.findByText("Bắt buộc nhập.")).toBeInTheDocument();
    const input = document.querySelector("input[type=file]") as HTMLInputElement;
    const file = new File(["STT;Họ và tên\n1;Nguyễn Văn A\n"], "ra_soat_2026.csv", { type: "text/csv" });
    fireEvent.change(input, { target: { files: [file] } });
    await screen.findByText("ra_soat_2026.csv");
    fireEvent.click(button(document.body, "Tải lên và nhập"));
    await waitFor(() => expect(app.router.state.location.pathname).toBe(`/imports/${ID}`));
    expect(uploads).toHaveLength(1);
    const query = new URLSearchParams(uploads[0]?.query);
    expect(Object.fromEntries(query)).toEqual({
      filename: "ra_soat_2026.csv",
      commune_code: "10525",
      mode: "accept_valid_rows",
      kind: "households",
    });
    expect(uploads[0]?.type).toBe("text/csv");
    expect(uploads[0]?.body).toContain("Nguyễn Văn A");
    const errors = await screen.findByTestId("import-errors", {}, { timeout: 10_000 });
    await waitFor(() => expect(errors).toHaveTextContent("Ngày không hợp lệ"));
    expect(errors).toHaveTextContent("Ngày sinh");
    expect(screen.getByTestId("import-status")).toHaveTextContent("Hoàn tất");
    expect(button(document.body, "Tải báo cáo lỗi (.xlsx)")).toBeInTheDocument();
  });

  it("asks a province officer for the commune before uploading", async () => {
    renderApp({
      path: "/imports",
      user: USERS.province,
      routes: {
        "GET /api/registry/v1/imports": () => json({ items: [], next_cursor: null }),
        "GET /api/registry/v1/admin-units": () =>
          json({
            items: [{ ...{ scheme: "2025", level: "commune", code: "10525", name: "Phường Hải Dương" } }],
            next_cursor: null,
          }),
      },
    });
    await screen.findByText("Nhập danh sách từ tệp");
    const input = document.querySelector("input[type=file]") as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File(["x"], "big.xlsx")] } });
    await screen.findByText("big.xlsx");
    fireEvent.click(button(document.body, "Tải lên và nhập"));
    // A province officer picks the commune first.
    expect(await screen.findByText("Bắt buộc nhập.")).toBeInTheDocument();
  });

  it("offers auditors the export only", async () => {
    renderApp({ path: "/imports", user: USERS.auditor, routes: {} });
    expect(await screen.findByText("Xuất danh sách hộ")).toBeInTheDocument();
    expect(screen.queryByText("Nhập danh sách từ tệp")).toBeNull();
  });
});
