import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { User } from "@/auth/claims";
import { json, problem, renderApp, USERS } from "@/test/harness";

const EMPTY_PAGE = () => json({ items: [], next_cursor: null });

const ADMIN: User = {
  subject: "sub-quantri",
  name: "Đỗ Văn Hùng — Quản trị hệ thống",
  username: "quantri",
  roles: ["administrator"],
  areaCodes: ["31"],
  expiresAt: 4_102_444_800,
};

/** A section's title in the sidebar (a menu item that opens and closes its entries). */
const section = (nav: HTMLElement, name: string) => within(nav).getByRole("menuitem", { name });

// Plain DOM lookups where a page is big (getByRole computes every element's name: slow in jsdom).
const titles = (nav: HTMLElement) =>
  [...nav.querySelectorAll(".ant-menu-submenu-title")].map((el) => el.textContent ?? "");
function title(nav: HTMLElement, name: string): HTMLElement {
  const found = [...nav.querySelectorAll<HTMLElement>(".ant-menu-submenu-title")].find(
    (el) => el.textContent === name,
  );
  if (!found) throw new Error(`no section ${name}`);
  return found;
}
const linkNames = (nav: HTMLElement) => [...nav.querySelectorAll("a")].map((a) => a.textContent ?? "");
/** The entries of an open section (the list its title controls). */
const entries = (sectionTitle: HTMLElement) =>
  [
    ...(document.getElementById(sectionTitle.getAttribute("aria-controls") ?? "")?.querySelectorAll("a") ??
      []),
  ].map((a) => a.textContent ?? "");

describe("menus follow the role and area", () => {
  it("shows a commune officer their commune and no funding screen", { timeout: 30_000 }, async () => {
    renderApp({
      path: "/",
      user: USERS.commune,
      routes: {
        "GET /api/registry/v1/admin-units/10525": () => json({ code: "10525", name: "Phường Hải Dương" }),
      },
    });
    const nav = await screen.findByRole("navigation");
    // Fourteen screens: the sections start folded, and open one at a time.
    expect(titles(nav)).toEqual([
      "Hộ gia đình, hỗ trợ",
      "Nhà ở xã hội",
      "Tài chính, nguồn vốn",
      "Thanh tra, kiểm tra",
    ]);
    expect(linkNames(nav)).toEqual(["Trang chủ"]);
    fireEvent.click(title(nav, "Hộ gia đình, hỗ trợ"));
    await waitFor(() => expect(entries(title(nav, "Hộ gia đình, hỗ trợ"))).toContain("Đơn vị hành chính"));
    fireEvent.click(title(nav, "Thanh tra, kiểm tra"));
    await waitFor(() =>
      expect(entries(title(nav, "Thanh tra, kiểm tra"))).toContain("Quy hoạch sử dụng đất"),
    );
    expect(title(nav, "Hộ gia đình, hỗ trợ")).toHaveAttribute("aria-expanded", "false");
    fireEvent.click(title(nav, "Tài chính, nguồn vốn"));
    await waitFor(() =>
      expect(entries(title(nav, "Tài chính, nguồn vốn"))).toEqual(["Phân bổ, giải ngân vốn"]),
    );
    await waitFor(() =>
      expect(screen.getByTestId("area-codes")).toHaveTextContent("10525 · Phường Hải Dương"),
    );
    expect(screen.getByTestId("home-roles")).toHaveTextContent("Cán bộ cấp xã");
  });

  it("opens the current screen's section, and another with the keyboard", { timeout: 30_000 }, async () => {
    const user = userEvent.setup();
    const app = renderApp({
      path: "/funding-sources",
      user: USERS.province,
      routes: {
        "GET /api/funding/v1/funding-sources": EMPTY_PAGE,
        "GET /api/registry/v1/households": EMPTY_PAGE,
      },
    });
    const nav = await screen.findByRole("navigation");
    const funding = title(nav, "Tài chính, nguồn vốn");
    expect(funding).toHaveAttribute("aria-expanded", "true");
    expect(entries(funding)).toContain("Nguồn vốn");
    const households = title(nav, "Hộ gia đình, hỗ trợ");
    expect(households).toHaveAttribute("aria-expanded", "false");
    // antd's menu reads the key code, which user-event leaves out: the key is sent as a browser does.
    households.focus();
    fireEvent.keyDown(households, { key: "Enter", code: "Enter", keyCode: 13, which: 13 });
    await waitFor(() => expect(households).toHaveAttribute("aria-expanded", "true"));
    expect(funding).toHaveAttribute("aria-expanded", "false");
    // (The arrow keys need a layout, which jsdom has not: e2e/admin.spec.ts walks them in Chromium.)
    await waitFor(() => expect(entries(households)).toContain("Hộ gia đình"));
    const link = [...nav.querySelectorAll("a")].find((a) => a.textContent === "Hộ gia đình");
    link?.focus();
    await user.keyboard("{Enter}");
    await waitFor(() => expect(app.router.state.location.pathname).toBe("/households"));
  });

  it("offers an administrator the administration section, all open", async () => {
    renderApp({ path: "/", user: ADMIN });
    const nav = await screen.findByRole("navigation");
    expect(section(nav, "Quản trị hệ thống")).toHaveAttribute("aria-expanded", "true");
    for (const name of ["Tài khoản cán bộ", "Ứng dụng đối tác", "Nhật ký quản trị", "Đơn vị hành chính"]) {
      expect(within(nav).getByRole("link", { name })).toBeInTheDocument();
    }
    expect(within(nav).queryByRole("menuitem", { name: "Tài chính, nguồn vốn" })).toBeNull();
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
