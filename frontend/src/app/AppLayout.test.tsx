import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, problem, renderApp, USERS } from "@/test/harness";

const EMPTY_PAGE = () => json({ items: [], next_cursor: null });

describe("menus follow the role and area", () => {
  it("shows a commune officer their commune and no funding screen", async () => {
    renderApp({
      path: "/",
      user: USERS.commune,
      routes: {
        "GET /api/registry/v1/admin-units/10525": () => json({ code: "10525", name: "Phường Hải Dương" }),
      },
    });
    const nav = await screen.findByRole("navigation");
    expect(within(nav).getByRole("link", { name: /Đơn vị hành chính/ })).toBeInTheDocument();
    expect(within(nav).getByRole("link", { name: /Quy hoạch sử dụng đất/ })).toBeInTheDocument();
    expect(within(nav).queryByRole("link", { name: /Nguồn vốn/ })).toBeNull();
    await waitFor(() =>
      expect(screen.getByTestId("area-codes")).toHaveTextContent("10525 · Phường Hải Dương"),
    );
    expect(screen.getByTestId("home-roles")).toHaveTextContent("Cán bộ cấp xã");
  });

  it("says plainly that a screen typed in by hand is not for this role", async () => {
    renderApp({ path: "/funding-sources", user: USERS.commune });
    expect(await screen.findByText("Không có quyền truy cập")).toBeInTheDocument();
  });

  it("lets an auditor read funding sources without offering to add or edit", async () => {
    renderApp({
      path: "/funding-sources",
      user: USERS.auditor,
      routes: { "GET /api/funding/v1/funding-sources": EMPTY_PAGE },
    });
    expect(await screen.findByRole("heading", { name: "Nguồn vốn" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Thêm mới/ })).toBeNull();
  });

  it("hides a screen for the session once its service refuses the role (403)", async () => {
    const app = renderApp({
      path: "/funding-sources",
      user: USERS.finance,
      routes: {
        "GET /api/funding/v1/funding-sources": () =>
          problem(403, "forbidden", {
            title: "Not allowed",
            detail: "Your role does not allow this action.",
          }),
      },
    });
    expect(await screen.findByText("Không có quyền truy cập")).toBeInTheDocument();
    expect(app.access.getSnapshot().has("funding-sources")).toBe(true);
    const nav = screen.getByRole("navigation");
    expect(within(nav).queryByRole("link", { name: /Nguồn vốn/ })).toBeNull();
  });

  it("shows the sign-in page to someone not signed in", async () => {
    const app = renderApp({ path: "/admin-units?parent_code=31", user: null });
    const button = await screen.findByRole("button", { name: /Đăng nhập/ });
    button.click();
    await waitFor(() => expect(app.session.logins).toEqual(["/"]));
  });
});
