import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { type Handler, json, problem, renderApp, USERS } from "@/test/harness";

const ID = "0190e1c2-0000-7000-8000-0000000000c1";
const PATH = `/api/registry/v1/support-cases/${ID}`;

function supportCase(status: string, changes: Record<string, unknown> = {}) {
  return {
    id: ID,
    household_id: "0190e1c2-0000-7000-8000-0000000000a1",
    stream: "campaign",
    kind: "new_build",
    status,
    support_rate_id: "r",
    amount_vnd: 60000000,
    proposed_on: "2025-08-11",
    approved_on: null,
    started_on: null,
    completed_on: null,
    accepted_on: null,
    withdrawn_on: null,
    withdrawal_reason: null,
    note: null,
    province_code: "31",
    commune_code: "10525",
    version: 3,
    created_at: "2025-08-11T02:00:00Z",
    updated_at: "2025-08-11T02:00:00Z",
    funding_status: "unavailable",
    funding_lines: [],
    ...changes,
  };
}

const get = (body: ReturnType<typeof supportCase>) => () =>
  json(body, { headers: { ETag: `W/"${body.version}"` } });

function render(user: (typeof USERS)[keyof typeof USERS], routes: Record<string, Handler>) {
  return renderApp({ path: `/support-cases/${ID}`, user, routes });
}

describe("support cases", () => {
  it("lists with the filters in the URL", async () => {
    const user = userEvent.setup();
    const app = renderApp({
      path: "/support-cases?status=proposed",
      routes: {
        "GET /api/registry/v1/support-cases": () =>
          json({ items: [supportCase("proposed")], next_cursor: null }),
        "GET /api/registry/v1/admin-units": () => json({ items: [], next_cursor: null }),
      },
    });
    expect(await screen.findByText("11/08/2025")).toBeInTheDocument();
    const first = new URL(app.calls.find((c) => c.url.includes("/support-cases"))?.url ?? "");
    expect(first.searchParams.get("status")).toBe("proposed");
    await user.click(screen.getByLabelText("Hình thức"));
    await user.click(await screen.findByTitle("Sửa chữa"));
    await waitFor(() => expect(app.router.state.location.searchStr).toBe("?status=proposed&kind=repair"));
    expect(screen.getAllByText("Đã đề xuất").length).toBeGreaterThan(1);
  });

  it("lets a province officer approve with If-Match; funding-api's absence is said", async () => {
    const user = userEvent.setup();
    let current = supportCase("proposed");
    const sent: (string | null)[] = [];
    render(USERS.province, {
      [`GET ${PATH}`]: () => get(current)(),
      [`POST ${PATH}/approve`]: (request) => {
        sent.push(request.headers.get("If-Match"));
        current = supportCase("approved", { approved_on: "2025-09-01", version: 4 });
        return json(current);
      },
    });
    expect(await screen.findByTestId("funding-unavailable")).toHaveTextContent(
      "Không có dữ liệu từ funding-api",
    );
    await user.click(screen.getByRole("button", { name: "Phê duyệt" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Phê duyệt" }));
    await waitFor(() => expect(screen.getByTestId("case-status")).toHaveTextContent("Đã phê duyệt"));
    expect(sent).toEqual(['W/"3"']);
    expect(screen.getByRole("button", { name: "Khởi công" })).toBeInTheDocument();
  });

  it("does not offer approval to a commune officer; shows a 409 in plain words", async () => {
    const user = userEvent.setup();
    render(USERS.commune, {
      [`GET ${PATH}`]: get(supportCase("proposed", { funding_status: "available" })),
      [`POST ${PATH}/withdraw`]: () => problem(409, "support_case_is_accepted", { detail: "needs proposed" }),
    });
    expect(await screen.findByText("Chưa có khoản cấp vốn nào.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Phê duyệt" })).toBeNull();
    await user.click(screen.getByRole("button", { name: "Rút hồ sơ" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Rút hồ sơ" }));
    expect(await within(dialog).findByText("Lý do cần từ 3 đến 1000 ký tự.")).toBeInTheDocument();
    fireEvent.change(within(dialog).getByLabelText("Lý do rút"), { target: { value: "Hộ xin rút" } });
    await user.click(within(dialog).getByRole("button", { name: "Rút hồ sơ" }));
    expect(await screen.findByTestId("problem")).toHaveTextContent("Hồ sơ đã được nghiệm thu");
  });
});
