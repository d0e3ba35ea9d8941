import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { type Handler, json, problem, renderApp, USERS } from "@/test/harness";

const ID = "0190e1c2-0000-7000-8000-000000000001";
const PATH = `/api/funding/v1/funding-sources/${ID}`;

function source(version: number, changes: Record<string, unknown> = {}) {
  return {
    id: ID,
    province_code: "31",
    kind: "provincial_budget",
    name: "Ngân sách thành phố 2026",
    decision_number: "1234/QĐ-UBND",
    decision_date: "2026-01-15",
    note: null,
    active: true,
    version,
    created_at: "2026-01-15T02:00:00Z",
    updated_at: "2026-01-15T02:00:00Z",
    ...changes,
  };
}

const withEtag = (body: ReturnType<typeof source>) =>
  json(body, { headers: { ETag: `W/"${body.version}"` } });

function render(patch: Handler, get: Handler = () => withEtag(source(1))) {
  return renderApp({
    path: `/funding-sources/${ID}`,
    user: USERS.finance,
    routes: { [`GET ${PATH}`]: get, [`PATCH ${PATH}`]: patch },
  });
}

describe("editing a funding source", () => {
  it("sends only what changed, with the ETag read as If-Match", async () => {
    const user = userEvent.setup();
    const sent: { ifMatch: string | null; body: unknown }[] = [];
    render(async (request) => {
      sent.push({ ifMatch: request.headers.get("If-Match"), body: await request.json() });
      return withEtag(source(2, { name: "Ngân sách thành phố 2026 (bổ sung)", note: "Thêm" }));
    });
    const name = await screen.findByLabelText("Tên nguồn vốn");
    expect(name).toHaveValue("Ngân sách thành phố 2026");
    expect(screen.getByLabelText("Ngày quyết định")).toHaveValue("15/01/2026");
    await user.type(name, " (bổ sung)");
    await user.type(screen.getByLabelText("Ghi chú"), "Thêm");
    await user.click(screen.getByRole("button", { name: "Lưu" }));
    expect(await screen.findByText("Đã lưu.")).toBeInTheDocument();
    expect(sent).toEqual([
      { ifMatch: 'W/"1"', body: { name: "Ngân sách thành phố 2026 (bổ sung)", note: "Thêm" } },
    ]);
  });

  it("explains a 412 in plain words and reloads the latest version on request", async () => {
    const user = userEvent.setup();
    let reads = 0;
    render(
      () =>
        problem(412, "precondition_failed", {
          title: "The resource changed since you read it",
          detail: "The resource is at version 2; you sent version 1. Reload it.",
        }),
      () => {
        reads += 1;
        return withEtag(reads === 1 ? source(1) : source(2, { name: "Tên do người khác sửa" }));
      },
    );
    const name = await screen.findByLabelText("Tên nguồn vốn");
    await user.type(name, " X");
    await user.click(screen.getByRole("button", { name: "Lưu" }));
    const alert = await screen.findByTestId("problem");
    expect(alert).toHaveTextContent("Có người khác vừa sửa bản ghi này sau khi bạn mở nó");
    expect(alert).toHaveTextContent("Mã yêu cầu: req-123");
    expect(alert).not.toHaveTextContent("version 2"); // the service's English detail is not needed
    await user.click(within(alert).getByRole("button", { name: "Tải lại" }));
    await waitFor(() => expect(screen.getByLabelText("Tên nguồn vốn")).toHaveValue("Tên do người khác sửa"));
    expect(screen.queryByTestId("problem")).toBeNull();
  });

  it("puts the service's field errors next to their fields", async () => {
    const user = userEvent.setup();
    render(() =>
      problem(422, "validation_failed", {
        errors: [
          {
            pointer: "/body/decision_number",
            code: "string_too_long",
            message: "String should have at most 50 characters",
          },
        ],
      }),
    );
    const number = await screen.findByLabelText("Số quyết định");
    await user.type(number, "-bis");
    await user.click(screen.getByRole("button", { name: "Lưu" }));
    expect(await screen.findByText("Nội dung quá dài.")).toBeInTheDocument();
    expect(screen.getByTestId("problem")).toHaveTextContent("Một số thông tin chưa hợp lệ");
  });

  it("restores a draft kept when the session ended, with the ETag it was editing", async () => {
    const user = userEvent.setup();
    sessionStorage.setItem(
      `noxh.draft.funding-source:${ID}`,
      JSON.stringify({ values: { name: "Tên đang sửa dở" }, etag: 'W/"1"', savedAt: 1 }),
    );
    const sent: (string | null)[] = [];
    render(
      async (request) => {
        sent.push(request.headers.get("If-Match"));
        return problem(412, "precondition_failed");
      },
      () => withEtag(source(3)), // someone saved twice meanwhile
    );
    await waitFor(() => expect(screen.getByLabelText("Tên nguồn vốn")).toHaveValue("Tên đang sửa dở"));
    expect(screen.getByText(/Đã khôi phục những gì bạn đang nhập/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Lưu" }));
    expect(await screen.findByTestId("problem")).toHaveAttribute("data-code", "precondition_failed");
    expect(sent).toEqual(['W/"1"']);
  });
});
