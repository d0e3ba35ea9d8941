import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { choose, clickMenu, menu, screenshot, settled, signIn } from "./helpers";

// Account and partner administration through the dev issuer's `/identity/v1`, as an administrator
// does it in the SPA. The issuer's data is shared by every spec of a run: this one changes only the
// accounts and clients it creates (their names carry the run's suffix), never the seeded ones.
const RUN = Date.now().toString(36);
const ADMIN = "quantri";

/** Close an antd Select's dropdown by clicking the dialog's title (Escape would close the dialog). */
async function closeDropdown(page: Page): Promise<void> {
  await page.locator(".ant-modal-title:visible").last().click();
  await expect(page.locator(".ant-select-dropdown:visible")).toHaveCount(0);
}

/** Pick a commune in the open dialog's area field, searching without accents. */
async function pickArea(page: Page, search: string, code: string): Promise<void> {
  await page.getByLabel("Địa bàn phụ trách").fill(search);
  await page
    .locator(".ant-select-dropdown:visible")
    .getByTitle(new RegExp(`\\(${code}\\)$`))
    .click();
  await closeDropdown(page);
}

/** Add a commune officer of Phường Hải Dương; returns the first password the page shows once. */
async function addCommuneOfficer(page: Page, username: string): Promise<string> {
  await page.getByRole("button", { name: "Thêm tài khoản" }).click();
  const dialog = page.getByRole("dialog", { name: "Thêm tài khoản" });
  await dialog.getByLabel("Tên đăng nhập").fill(username);
  await dialog.getByLabel("Họ tên, đơn vị").fill(`Cán bộ thử ${username}`);
  await choose(page, "Vai trò", "Cán bộ cấp xã");
  await closeDropdown(page);
  await pickArea(page, "hai duong", "10525");
  await dialog.getByRole("button", { name: "Thêm tài khoản" }).click();

  const shown = page.getByRole("dialog", { name: `Mật khẩu của ${username}` });
  await expect(shown).toContainText("Mật khẩu chỉ hiển thị một lần này");
  const password = await shown.getByTestId("one-time-secret").inputValue();
  expect(password.length).toBeGreaterThanOrEqual(12);
  await shown.getByRole("button", { name: "Tôi đã lưu mật khẩu" }).click();
  await expect(shown).toHaveCount(0);
  // Shown once: nowhere on the page any more.
  await expect(page.locator("body")).not.toContainText(password);
  await expect(page.locator("tr", { hasText: username })).toContainText("10525");
  return password;
}

/** A browser of its own, signed in as `username`. */
async function officerPage(browser: Browser, username: string, password: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, username, "/", password);
  return page;
}

test("an administrator moves an officer to another commune and disables another account", async ({
  browser,
  page,
}) => {
  test.setTimeout(180_000);
  const moved = `e2e.moved.${RUN}`;
  const locked = `e2e.locked.${RUN}`;
  await signIn(page, ADMIN);
  await clickMenu(page, "Tài khoản cán bộ");
  await expect(page).toHaveURL(/\/admin\/accounts$/);
  const movedPassword = await addCommuneOfficer(page, moved);
  const lockedPassword = await addCommuneOfficer(page, locked);

  // Both officers sign in with their first password and see Phường Hải Dương.
  const officer = await officerPage(browser, moved, movedPassword);
  await expect(officer.getByTestId("area-codes")).toContainText("10525");
  const lockedOfficer = await officerPage(browser, locked, lockedPassword);
  await expect(lockedOfficer.getByTestId("area-codes")).toContainText("10525");

  // The administrator moves the first to Phường Thuỷ Nguyên.
  const row = page.locator("tr", { hasText: moved });
  await row.getByRole("button", { name: "Sửa" }).click();
  const edit = page.getByRole("dialog", { name: "Sửa tài khoản" });
  await expect(edit.getByLabel("Tên đăng nhập")).toBeDisabled();
  await edit
    .locator(".ant-select-selection-item", { hasText: "10525" })
    .locator(".ant-select-selection-item-remove")
    .click();
  await pickArea(page, "thuy nguyen", "11560");
  await edit.getByRole("button", { name: "Sửa tài khoản" }).click();
  await expect(page.getByText("Đã lưu.")).toBeVisible();
  await expect(row).toContainText("11560");
  await expect(row).not.toContainText("10525");

  // ... and disables the second.
  const lockedRow = page.locator("tr", { hasText: locked });
  await lockedRow.getByRole("button", { name: "Khoá" }).click();
  const confirm = page.getByRole("dialog", { name: "Khoá tài khoản" });
  await expect(confirm).toContainText(`Khoá tài khoản ${locked}?`);
  await confirm.getByRole("button", { name: "Khoá tài khoản" }).click();
  await expect(page.getByText("Đã khoá tài khoản.")).toBeVisible();
  await expect(lockedRow).toContainText("Đã khoá");
  await settled(page);
  await screenshot(page, "admin-accounts");

  // The moved officer's next token (the session renews by itself) covers only the new commune ...
  await expect(officer.getByTestId("area-codes")).toContainText("11560", { timeout: 30_000 });
  await expect(officer.getByTestId("area-codes")).not.toContainText("10525");
  // ... and so does a new sign-in.
  const again = await officerPage(browser, moved, movedPassword);
  await expect(again.getByTestId("area-codes")).toContainText("11560");
  await expect(again.getByTestId("area-codes")).not.toContainText("10525");
  await expect(again.getByTestId("home-areas")).toContainText("11560");

  // The disabled account's open session ends at its next renewal, and it cannot sign in again.
  await expect(lockedOfficer.getByText("Phiên đăng nhập đã hết")).toBeVisible({ timeout: 30_000 });
  const refused = await (await browser.newContext()).newPage();
  await refused.goto("/");
  await refused.getByRole("button", { name: /Đăng nhập/ }).click();
  await refused.waitForURL(/\/auth\/authorize/);
  await refused.locator("#username").fill(locked);
  await refused.locator("#password").fill(lockedPassword);
  await refused.locator("button[type=submit]").click();
  await expect(refused.getByRole("alert")).toContainText("Tên đăng nhập hoặc mật khẩu không đúng");
  await expect(refused).toHaveURL(/\/auth\/authorize/);

  // Every change is in the issuer's audit log.
  await clickMenu(page, "Nhật ký quản trị");
  const log = page.getByTestId("audit-events");
  await expect(log.locator("tr", { hasText: moved }).filter({ hasText: "Sửa tài khoản" })).toContainText(
    "10525 → 11560",
  );
  await expect(log.locator("tr", { hasText: locked }).filter({ hasText: "Khoá tài khoản" })).toHaveCount(1);
});

test("an administrator registers a partner client and sees its secret once", async ({ page }) => {
  const clientId = `e2e-partner-${RUN}`;
  await signIn(page, ADMIN);
  await clickMenu(page, "Ứng dụng đối tác");
  await page.getByRole("button", { name: "Đăng ký đối tác" }).click();
  const dialog = page.getByRole("dialog", { name: "Đăng ký đối tác" });
  await dialog.getByLabel("Mã ứng dụng (client_id)").fill(clientId);
  await dialog.getByLabel("Tên đối tác").fill("Cục Thống kê thành phố (thử)");
  await dialog.getByRole("checkbox", { name: /Dự án nhà ở xã hội/ }).check();
  await dialog.getByLabel("Hạn mức (yêu cầu/phút)").fill("30");
  await dialog.getByRole("button", { name: "Đăng ký đối tác" }).click();

  const shown = page.getByRole("dialog", { name: `Khoá bí mật của ${clientId}` });
  await expect(shown).toContainText("Khoá bí mật chỉ hiển thị một lần này");
  const secret = await shown.getByTestId("one-time-secret").inputValue();
  // The registration dialog has gone and this one has finished opening.
  await expect(
    page.locator(".ant-modal-root [class*='-leave'], .ant-modal-root [class*='-active']"),
  ).toHaveCount(0);
  await screenshot(page, "admin-partner-secret");
  await shown.getByRole("button", { name: "Tôi đã lưu khoá bí mật" }).click();
  await expect(shown).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(secret);
  const row = page.locator("tr", { hasText: clientId });
  await expect(row).toContainText("Dự án nhà ở xã hội");
  await expect(row).toContainText("30/phút");

  // The secret is the partner's key to a token (client credentials at the issuer, via the gateway).
  const token = (clientSecret: string) =>
    page.request.post("/auth/token", {
      form: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret },
    });
  expect((await token(secret)).status()).toBe(200);

  // Rotated: the new secret is shown once, the old one stops working.
  await row.getByRole("button", { name: "Đổi khoá bí mật" }).click();
  await page
    .getByRole("dialog", { name: "Đổi khoá bí mật" })
    .getByRole("button", { name: "Đổi khoá bí mật" })
    .click();
  const rotated = page.getByRole("dialog", { name: `Khoá bí mật của ${clientId}` });
  const newSecret = await rotated.getByTestId("one-time-secret").inputValue();
  expect(newSecret).not.toBe(secret);
  await rotated.getByRole("button", { name: "Tôi đã lưu khoá bí mật" }).click();
  expect((await token(secret)).status()).toBe(401);
  expect((await token(newSecret)).status()).toBe(200);

  // Revoked: no token any more.
  await row.getByRole("button", { name: "Thu hồi" }).click();
  await page
    .getByRole("dialog", { name: "Thu hồi ứng dụng đối tác" })
    .getByRole("button", { name: "Thu hồi ứng dụng đối tác" })
    .click();
  await expect(row).toContainText("Đã thu hồi");
  expect((await token(newSecret)).status()).toBe(401);
});

test("the sidebar fits a 1366x768 screen and works from the keyboard", async ({ page }) => {
  // A maximised browser on a 1366x768 screen leaves the page about 650 px of height.
  await page.setViewportSize({ width: 1366, height: 650 });
  // An auditor reads the most screens (22): the sections fold, one open at a time.
  await signIn(page, "kiemtoan", "/funding-sources");
  const sider = page.locator(".ant-layout-sider");
  const overflow = () => sider.evaluate((el) => el.scrollHeight - el.clientHeight);
  await expect(menu(page).getByRole("link", { name: "Nguồn vốn", exact: true })).toBeVisible();
  expect(await overflow()).toBeLessThanOrEqual(0);

  // Keyboard only: Home, down to the households section, Enter opens it (and folds funding), down
  // to its first entry, Enter follows it.
  await page.locator("nav ul[role=menu]").first().focus();
  await page.keyboard.press("Home");
  await expect(menu(page).getByRole("link", { name: "Trang chủ" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  const households = menu(page).getByRole("menuitem", { name: "Hộ gia đình, hỗ trợ" });
  await expect(households).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(households).toHaveAttribute("aria-expanded", "true");
  await expect(menu(page).getByRole("menuitem", { name: "Tài chính, nguồn vốn" })).toHaveAttribute(
    "aria-expanded",
    "false",
  );
  await page.keyboard.press("ArrowDown");
  await expect(menu(page).getByRole("link", { name: "Hộ gia đình", exact: true })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/households/);
  await expect(households).toHaveAttribute("aria-expanded", "true");
  expect(await overflow()).toBeLessThanOrEqual(0);
  await settled(page);
  await screenshot(page, "sidebar-1366x768");
});
