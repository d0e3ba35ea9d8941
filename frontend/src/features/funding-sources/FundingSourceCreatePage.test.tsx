import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { json, problem, renderApp, USERS } from "@/test/harness";

const POST = "POST /api/funding/v1/funding-sources";

describe("creating a funding source", () => {
  it("explains missing fields before calling the service", async () => {
    const user = userEvent.setup();
    const app = renderApp({ path: "/funding-sources/new", user: USERS.finance });
    await user.click(await screen.findByRole("button", { name: /Thêm mới/ }));
    expect(await screen.findAllByText("Bắt buộc nhập.")).toHaveLength(2);
    expect(app.calls.some((r) => r.method === "POST")).toBe(false);
    // The province is the officer's own, chosen for them.
    await waitFor(() => expect(screen.getByText("Thành phố Hải Phòng (31)")).toBeInTheDocument());
  });

  it("shows a taken name next to the name field", async () => {
    const user = userEvent.setup();
    sessionStorage.setItem(
      "noxh.draft.funding-source:new",
      JSON.stringify({ values: { name: "Quỹ nhà ở", kind: "housing_fund", note: "ghi chú" }, savedAt: 1 }),
    );
    const bodies: unknown[] = [];
    renderApp({
      path: "/funding-sources/new",
      user: USERS.finance,
      routes: {
        [POST]: async (request) => {
          bodies.push(await request.json());
          return problem(409, "funding_source_name_taken", { detail: "Province 31 already has …" });
        },
      },
    });
    expect(await screen.findByText(/Đã khôi phục những gì bạn đang nhập/)).toBeInTheDocument();
    expect(screen.getByLabelText("Tên nguồn vốn")).toHaveValue("Quỹ nhà ở");
    await user.click(screen.getByRole("button", { name: /Thêm mới/ }));
    const messages = await screen.findAllByText(/đã có một nguồn vốn cùng tên/);
    expect(messages.length).toBeGreaterThanOrEqual(1);
    expect(bodies).toEqual([
      {
        province_code: "31",
        kind: "housing_fund",
        name: "Quỹ nhà ở",
        decision_number: null,
        decision_date: null,
        note: "ghi chú",
        active: true,
      },
    ]);
  });

  it("opens the new source once it is created", async () => {
    const user = userEvent.setup();
    sessionStorage.setItem(
      "noxh.draft.funding-source:new",
      JSON.stringify({ values: { name: "Quỹ mới", kind: "gratitude_fund" }, savedAt: 1 }),
    );
    const created = {
      id: "0190e1c2-0000-7000-8000-000000000009",
      province_code: "31",
      kind: "gratitude_fund",
      name: "Quỹ mới",
      decision_number: null,
      decision_date: null,
      note: null,
      active: true,
      version: 1,
      created_at: "2026-01-15T02:00:00Z",
      updated_at: "2026-01-15T02:00:00Z",
    };
    const app = renderApp({
      path: "/funding-sources/new",
      user: USERS.finance,
      routes: {
        [POST]: () => json(created, { status: 201, headers: { ETag: 'W/"1"' } }),
        [`GET /api/funding/v1/funding-sources/${created.id}`]: () =>
          json(created, { headers: { ETag: 'W/"1"' } }),
      },
    });
    await screen.findByText(/Đã khôi phục/);
    await user.click(screen.getByRole("button", { name: /Thêm mới/ }));
    await waitFor(() => expect(app.router.state.location.pathname).toBe(`/funding-sources/${created.id}`));
    expect(await screen.findByRole("heading", { name: "Sửa nguồn vốn" })).toBeInTheDocument();
    expect(sessionStorage.getItem("noxh.draft.funding-source:new")).toBeNull();
  });

  it("keeps the form under a sign-in-again dialog when the session ends", async () => {
    const user = userEvent.setup();
    const app = renderApp({ path: "/funding-sources/new", user: USERS.finance });
    await user.type(await screen.findByLabelText("Tên nguồn vốn"), "Đang nhập dở");
    act(() => app.session.set({ status: "expired", error: "invalid_grant" }));
    const dialog = await screen.findByRole("dialog");
    expect(dialog).toHaveTextContent("Phiên đăng nhập đã hết");
    expect(screen.getByLabelText("Tên nguồn vốn")).toHaveValue("Đang nhập dở");
    // What the form holds is what the session saves before it leaves for the issuer.
    expect(app.drafts.saveAll(5)).toBe(1);
    expect(app.drafts.take("funding-source:new")?.values).toMatchObject({
      name: "Đang nhập dở",
      province_code: "31",
    });
    await user.click(within(dialog).getByRole("button", { name: "Đăng nhập lại" }));
    expect(app.session.logins).toHaveLength(1);
  });
});
