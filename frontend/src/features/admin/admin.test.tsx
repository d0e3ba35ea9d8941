import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { User } from "@/auth/claims";
import { button, dialog } from "@/test/fast";
import { type Handler, json, problem, renderApp, USERS } from "@/test/harness";

const ADMIN: User = {
  subject: "sub-quantri",
  name: "Đỗ Văn Hùng — Quản trị hệ thống",
  username: "quantri",
  roles: ["administrator"],
  areaCodes: ["31"],
  expiresAt: 4_102_444_800,
};

const unit = (code: string, name: string) => ({
  scheme: "2025",
  level: "commune",
  code,
  name,
  division_type: "phường",
  codename: code,
  parent_code: "31",
  valid_from: "2025-07-01",
  valid_to: null,
  source: "test",
});

function account(username: string, changes: Record<string, unknown> = {}) {
  return {
    username,
    subject: `sub-${username}`,
    name: `Cán bộ ${username}`,
    roles: ["commune_officer"],
    area_codes: ["10525"],
    enabled: true,
    version: 2,
    created_at: "2026-11-01T02:00:00Z",
    updated_at: "2026-11-02T02:00:00Z",
    ...changes,
  };
}

const SELF = account("quantri", { name: ADMIN.name, roles: ["administrator"], area_codes: ["31"] });
const OFFICER = account("xa.haiduong", { name: "Trần Thị Bình — UBND phường Hải Dương" });

const PARTNER = {
  client_id: "bo-xay-dung",
  name: "Bộ Xây dựng — báo cáo",
  scopes: ["registry:projects:read"],
  quota_per_minute: 120,
  status: "active",
  version: 1,
  created_at: "2026-11-01T02:00:00Z",
  updated_at: "2026-11-01T02:00:00Z",
  secret_rotated_at: "2026-11-01T02:00:00Z",
};

const page = (items: unknown[]) => () => json({ items, next_cursor: null });

const BASE: Record<string, Handler> = {
  "GET /api/registry/v1/admin-units": page([
    unit("10525", "Phường Hải Dương"),
    unit("11560", "Phường Thuỷ Nguyên"),
  ]),
  "GET /api/identity/v1/catalogue": () =>
    json({
      roles: [
        "province_officer",
        "commune_officer",
        "finance_officer",
        "inspector",
        "auditor",
        "administrator",
      ],
      partner_scopes: ["registry:projects:read", "registry:targets:read", "funding:events:read"],
    }),
  "GET /api/identity/v1/accounts": page([SELF, OFFICER]),
  "GET /api/identity/v1/partner-clients": page([PARTNER]),
};

function render(path: string, routes: Record<string, Handler> = {}, user: User | null = ADMIN) {
  return renderApp({ path, user, routes: { ...BASE, ...routes } });
}

/** The table row of an account or a client. */
async function row(text: string): Promise<HTMLElement> {
  const cell = await screen.findByText(text);
  const tr = cell.closest("tr");
  if (!tr) throw new Error(`no row for ${text}`);
  return tr;
}

/** Open an antd Select by its field id and pick the option titled `option`, searching first. */
async function pick(fieldId: string, option: string | RegExp, search?: string) {
  const input = document.querySelector(`#${fieldId}`) as HTMLElement;
  fireEvent.mouseDown(input);
  if (search) fireEvent.change(input, { target: { value: search } });
  fireEvent.click(await screen.findByTitle(option));
}

describe("officer accounts", () => {
  it("lists accounts with their roles, the names of their areas and their state", async () => {
    render("/admin/accounts");
    const officer = await row("xa.haiduong");
    await waitFor(() => expect(officer).toHaveTextContent("10525 · Phường Hải Dương"));
    expect(officer).toHaveTextContent("Cán bộ cấp xã");
    expect(officer).toHaveTextContent("Đang hoạt động");
    expect(button(officer, "Khoá")).toBeInTheDocument();
    // An administrator cannot lock themselves out: no "disable" on their own row.
    const self = await row("quantri");
    expect(self).toHaveTextContent("Bạn");
    expect(button(self, "Khoá", false)).toBeNull();
  });

  it("creates an account and shows its first password once, with a copy button", {
    timeout: 40_000,
  }, async () => {
    const sent: unknown[] = [];
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    render("/admin/accounts", {
      "POST /api/identity/v1/accounts": async (request) => {
        sent.push(await request.json());
        return json(
          {
            ...account("xa.anlao", { version: 1, area_codes: ["11560"] }),
            initial_password: "Xy9-once-only",
          },
          { status: 201, headers: { ETag: 'W/"1"' } },
        );
      },
    });
    await row("xa.haiduong");
    fireEvent.click(button(document.body, "Thêm tài khoản"));
    const form = await dialog();
    // The provider's rules are checked before anything is sent.
    fireEvent.click(button(form, "Thêm tài khoản"));
    expect(await within(form).findByText(/Chỉ gồm chữ thường không dấu/)).toBeInTheDocument();
    expect(within(form).getAllByText("Hãy chọn ít nhất một.")).toHaveLength(2);
    expect(sent).toEqual([]);

    fireEvent.change(within(form).getByLabelText("Tên đăng nhập"), { target: { value: "xa.anlao" } });
    fireEvent.change(within(form).getByLabelText("Họ tên, đơn vị"), {
      target: { value: "Nguyễn Thị Hoa — UBND phường Thuỷ Nguyên" },
    });
    await pick("field-roles", "Cán bộ cấp xã");
    // Names are found with or without their accents.
    await pick("field-area_codes", "Phường Thuỷ Nguyên (11560)", "thuy nguyen");
    fireEvent.click(button(form, "Thêm tài khoản"));

    const secret = await screen.findByTestId("one-time-secret");
    expect(secret).toHaveValue("Xy9-once-only");
    expect(sent).toEqual([
      {
        username: "xa.anlao",
        name: "Nguyễn Thị Hoa — UBND phường Thuỷ Nguyên",
        roles: ["commune_officer"],
        area_codes: ["11560"],
      },
    ]);
    const shown = await dialog();
    expect(shown).toHaveTextContent("Mật khẩu chỉ hiển thị một lần này");
    fireEvent.click(button(shown, "Sao chép"));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith("Xy9-once-only"));
    expect(await within(shown).findByText("Đã sao chép")).toBeInTheDocument();
    fireEvent.click(button(shown, "Tôi đã lưu mật khẩu"));
    await waitFor(() => expect(screen.queryByDisplayValue("Xy9-once-only")).toBeNull());
  });

  it("moves an officer to another commune with If-Match; a 412 is explained and reloads", {
    timeout: 40_000,
  }, async () => {
    const sent: { ifMatch: string | null; body: unknown }[] = [];
    render("/admin/accounts", {
      "PATCH /api/identity/v1/accounts/xa.haiduong": async (request) => {
        sent.push({ ifMatch: request.headers.get("If-Match"), body: await request.json() });
        if (sent.length === 1) return problem(412, "precondition_failed", { detail: "The record changed." });
        return json(account("xa.haiduong", { area_codes: ["11560"], version: 4 }), {
          headers: { ETag: 'W/"4"' },
        });
      },
      "GET /api/identity/v1/accounts/xa.haiduong": () =>
        json({ ...OFFICER, version: 3 }, { headers: { ETag: 'W/"3"' } }),
    });
    fireEvent.click(button(await row("xa.haiduong"), "Sửa"));
    const form = await dialog();
    expect(within(form).getByLabelText("Tên đăng nhập")).toBeDisabled();
    const move = async () => {
      const tag = await within(form).findByTitle(/Phường Hải Dương \(10525\)/);
      fireEvent.click(tag.querySelector(".ant-select-selection-item-remove") as HTMLElement);
      await pick("field-area_codes", "Phường Thuỷ Nguyên (11560)");
      fireEvent.click(button(form, "Sửa tài khoản"));
    };
    await move();
    const alert = await within(form).findByTestId("problem");
    expect(alert).toHaveTextContent("Có người khác vừa sửa bản ghi này");
    fireEvent.click(button(alert, "Tải lại"));
    await waitFor(() => expect(within(form).queryByTestId("problem")).toBeNull());
    await move();
    expect(await screen.findByText("Đã lưu.")).toBeInTheDocument();
    expect(sent).toEqual([
      { ifMatch: 'W/"2"', body: { area_codes: ["11560"] } },
      { ifMatch: 'W/"3"', body: { area_codes: ["11560"] } },
    ]);
  });

  it("puts the provider's field errors next to their fields", { timeout: 30_000 }, async () => {
    render("/admin/accounts", {
      "PATCH /api/identity/v1/accounts/xa.haiduong": () =>
        problem(422, "validation_failed", {
          errors: [{ pointer: "/name", code: "string_too_long", message: "String should have at most 200" }],
        }),
    });
    fireEvent.click(button(await row("xa.haiduong"), "Sửa"));
    const form = await dialog();
    fireEvent.change(within(form).getByLabelText("Họ tên, đơn vị"), { target: { value: "Tên mới" } });
    fireEvent.click(button(form, "Sửa tài khoản"));
    expect(await within(form).findByText("Nội dung quá dài.")).toBeInTheDocument();
    expect(within(form).getByTestId("problem")).toHaveTextContent("Một số thông tin chưa hợp lệ");
  });

  it("disables an account once confirmed, with the version read", async () => {
    const sent: (string | null)[] = [];
    render("/admin/accounts", {
      "POST /api/identity/v1/accounts/xa.haiduong/disable": (request) => {
        sent.push(request.headers.get("If-Match"));
        return json({ ...OFFICER, enabled: false, version: 3 });
      },
    });
    fireEvent.click(button(await row("xa.haiduong"), "Khoá"));
    const confirm = await dialog();
    expect(confirm).toHaveTextContent("Khoá tài khoản xa.haiduong?");
    fireEvent.click(button(confirm, "Khoá tài khoản"));
    expect(await screen.findByText("Đã khoá tài khoản.")).toBeInTheDocument();
    expect(sent).toEqual(['W/"2"']);
  });

  it("is not offered to other roles, and the provider is not called", async () => {
    const app = render("/admin/accounts", {}, USERS.province);
    expect(await screen.findByText("Không có quyền truy cập")).toBeInTheDocument();
    expect(app.calls.some((r) => r.url.includes("/api/identity/"))).toBe(false);
  });
});

describe("partner clients", () => {
  it("registers a client (a taken id shown by its field) and shows its secret once, with a warning", {
    timeout: 40_000,
  }, async () => {
    const sent: unknown[] = [];
    render("/admin/partner-clients", {
      "GET /api/identity/v1/partner-clients": page([]),
      "POST /api/identity/v1/partner-clients": async (request) => {
        sent.push(await request.json());
        if (sent.length === 1) return problem(409, "client_exists", { detail: "The client id is taken." });
        return json(
          { ...PARTNER, client_id: "cuc-thong-ke", client_secret: "only-now-4Fq" },
          { status: 201 },
        );
      },
    });
    await screen.findByText("Không có dữ liệu.");
    fireEvent.click(button(document.body, "Đăng ký đối tác"));
    const form = await dialog();
    fireEvent.change(within(form).getByLabelText("Mã ứng dụng (client_id)"), {
      target: { value: "cuc-thong-ke" },
    });
    fireEvent.change(within(form).getByLabelText("Tên đối tác"), { target: { value: "Cục Thống kê" } });
    fireEvent.click(await within(form).findByRole("checkbox", { name: /Chỉ tiêu và tiến độ nhà ở/ }));
    fireEvent.change(within(form).getByLabelText("Hạn mức (yêu cầu/phút)"), { target: { value: "30" } });
    fireEvent.click(button(form, "Đăng ký đối tác"));
    const taken = await within(form).findAllByText("Mã ứng dụng này đã có. Hãy chọn mã khác.");
    expect(taken[0]?.closest(".ant-form-item")).toHaveTextContent("Mã ứng dụng (client_id)");
    await waitFor(() => expect(button(form, "Đăng ký đối tác")).not.toHaveClass("ant-btn-loading"));
    fireEvent.click(button(form, "Đăng ký đối tác"));
    const secret = await screen.findByTestId("one-time-secret");
    expect(secret).toHaveValue("only-now-4Fq");
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual({
      client_id: "cuc-thong-ke",
      name: "Cục Thống kê",
      scopes: ["registry:targets:read"],
      quota_per_minute: 30,
    });
    const shown = await dialog();
    expect(shown).toHaveTextContent("Khoá bí mật chỉ hiển thị một lần này");
    fireEvent.click(button(shown, "Tôi đã lưu khoá bí mật"));
    await waitFor(() => expect(screen.queryByDisplayValue("only-now-4Fq")).toBeNull());
  });

  it("rotates a secret with If-Match and shows the new one", async () => {
    const sent: (string | null)[] = [];
    render("/admin/partner-clients", {
      "POST /api/identity/v1/partner-clients/bo-xay-dung/rotate-secret": (request) => {
        sent.push(request.headers.get("If-Match"));
        return json({ ...PARTNER, version: 2, client_secret: "new-secret-9" });
      },
    });
    const partner = await row("bo-xay-dung");
    expect(partner).toHaveTextContent("Dự án nhà ở xã hội");
    expect(partner).toHaveTextContent("120/phút");
    fireEvent.click(button(partner, "Đổi khoá bí mật"));
    const confirm = await dialog();
    expect(confirm).toHaveTextContent("Khoá cũ hết hiệu lực ngay");
    fireEvent.click(button(confirm, "Đổi khoá bí mật"));
    expect(await screen.findByTestId("one-time-secret")).toHaveValue("new-secret-9");
    expect(sent).toEqual(['W/"1"']);
  });
});

describe("partner clients' changes", () => {
  it("sends only the changed quota and scopes, with If-Match", { timeout: 30_000 }, async () => {
    const sent: { ifMatch: string | null; body: unknown }[] = [];
    render("/admin/partner-clients", {
      "PATCH /api/identity/v1/partner-clients/bo-xay-dung": async (request) => {
        sent.push({ ifMatch: request.headers.get("If-Match"), body: await request.json() });
        return json({ ...PARTNER, quota_per_minute: 600, version: 2 });
      },
    });
    fireEvent.click(button(await row("bo-xay-dung"), "Sửa"));
    const form = await dialog();
    expect(within(form).getByLabelText("Mã ứng dụng (client_id)")).toBeDisabled();
    fireEvent.change(within(form).getByLabelText("Hạn mức (yêu cầu/phút)"), { target: { value: "600" } });
    fireEvent.click(await within(form).findByRole("checkbox", { name: /Luồng sự kiện: nguồn vốn/ }));
    fireEvent.click(button(form, "Sửa ứng dụng đối tác"));
    expect(await screen.findByText("Đã lưu.")).toBeInTheDocument();
    expect(sent).toEqual([
      {
        ifMatch: 'W/"1"',
        body: { scopes: ["registry:projects:read", "funding:events:read"], quota_per_minute: 600 },
      },
    ]);
  });
});

describe("the administration log", () => {
  it("shows who changed what, in words", async () => {
    render("/admin/audit", {
      "GET /api/identity/v1/audit-events": page([
        {
          seq: 7,
          at: "2026-11-02T03:04:05Z",
          actor: "quantri",
          action: "account.updated",
          target_type: "account",
          target_id: "xa.haiduong",
          details: { area_codes: { from: ["10525"], to: ["11560"] } },
        },
        {
          seq: 8,
          at: "2026-11-02T03:05:00Z",
          actor: "quantri",
          action: "partner_client.secret_rotated",
          target_type: "partner_client",
          target_id: "bo-xay-dung",
          details: {},
        },
      ]),
    });
    const moved = await row("xa.haiduong");
    expect(moved).toHaveTextContent("Sửa tài khoản");
    expect(moved).toHaveTextContent("Địa bàn: 10525 → 11560");
    expect(await row("bo-xay-dung")).toHaveTextContent("Đổi khoá bí mật");
  });
});
