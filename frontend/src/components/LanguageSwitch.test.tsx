import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { json, renderApp } from "@/test/harness";

describe("language switch", () => {
  it("switches texts, antd's own texts and the page language to English", async () => {
    const user = userEvent.setup();
    renderApp({
      path: "/admin-units",
      routes: { "GET /api/registry/v1/admin-units": () => json({ items: [], next_cursor: null }) },
    });
    expect(await screen.findByRole("heading", { name: "Đơn vị hành chính" })).toBeInTheDocument();
    expect(await screen.findByText("Không có dữ liệu.")).toBeInTheDocument();
    await user.click(screen.getByText("English"));
    expect(await screen.findByRole("heading", { name: "Administrative units" })).toBeInTheDocument();
    const nav = screen.getByRole("navigation");
    // The sidebar's sections (folded but the current one) and entries follow too.
    expect(within(nav).getByRole("menuitem", { name: "Funding" })).toBeInTheDocument();
    expect(within(nav).getByRole("link", { name: "Administrative units" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Next page" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /Sign out/ })).toBeInTheDocument();
    await waitFor(() => expect(document.documentElement.lang).toBe("en"));
    expect(localStorage.getItem("noxh.language")).toBe("en");
  });
});
