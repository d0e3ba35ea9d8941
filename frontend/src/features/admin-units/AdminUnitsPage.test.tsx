import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { json, renderApp } from "@/test/harness";

const unit = (code: string, name: string) => ({
  scheme: "2025",
  level: "commune",
  code,
  name,
  division_type: "phường",
  codename: name,
  parent_code: "31",
  valid_from: "2025-07-01",
  valid_to: null,
  source: "test",
});

function pages(url: URL) {
  const cursor = url.searchParams.get("cursor");
  if (!cursor) return json({ items: [unit("10510", "Phường Thành Đông")], next_cursor: "c2" });
  if (cursor === "c2") return json({ items: [unit("10525", "Phường Hải Dương")], next_cursor: "c3" });
  return json({ items: [unit("10532", "Phường Lê Thanh Nghị")], next_cursor: null });
}

describe("administrative units", () => {
  it("pages forward with the cursor, back along the trail, all in the URL", async () => {
    const user = userEvent.setup();
    const app = renderApp({
      path: "/admin-units",
      routes: { "GET /api/registry/v1/admin-units": (_r, url) => pages(url) },
    });
    expect(await screen.findByText("Phường Thành Đông")).toBeInTheDocument();
    expect(screen.getByText("01/07/2025", { exact: false })).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Trang sau" }));
    expect(await screen.findByText("Phường Hải Dương")).toBeInTheDocument();
    expect(app.router.state.location.searchStr).toBe("?cursor=c2&page=2");
    expect(screen.getByTestId("page-number")).toHaveTextContent("Trang 2");

    await user.click(screen.getByRole("button", { name: "Trang sau" }));
    expect(await screen.findByText("Phường Lê Thanh Nghị")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Trang sau" })).toBeDisabled();

    await user.click(screen.getByRole("button", { name: "Trang trước" }));
    expect(await screen.findByText("Phường Hải Dương")).toBeInTheDocument();
    expect(app.router.state.location.searchStr).toBe("?cursor=c2&page=2");
  });

  it("filters by the parent's code, starting again from the first page", async () => {
    const user = userEvent.setup();
    const app = renderApp({
      path: "/admin-units?cursor=c2&page=2",
      routes: { "GET /api/registry/v1/admin-units": (_r, url) => pages(url) },
    });
    await screen.findByText("Phường Hải Dương");
    await user.type(screen.getByLabelText("Mã đơn vị cấp trên"), "31");
    await user.click(screen.getByRole("button", { name: "Lọc" }));
    await waitFor(() => expect(app.router.state.location.searchStr).toBe("?parent_code=31"));
    const last = new URL(app.calls.at(-1)?.url ?? "");
    expect(last.searchParams.get("parent_code")).toBe("31");
    expect(last.searchParams.get("cursor")).toBeNull();
  });

  it("refuses a malformed parent code before asking the service", async () => {
    const user = userEvent.setup();
    const app = renderApp({
      path: "/admin-units",
      routes: { "GET /api/registry/v1/admin-units": (_r, url) => pages(url) },
    });
    await screen.findByText("Phường Thành Đông");
    const before = app.calls.length;
    await user.type(screen.getByLabelText("Mã đơn vị cấp trên"), "3a");
    await user.click(screen.getByRole("button", { name: "Lọc" }));
    expect(await screen.findByText("Mã gồm 2 đến 5 chữ số.")).toBeInTheDocument();
    expect(app.calls.length).toBe(before);
  });
});
