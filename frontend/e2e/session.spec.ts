import { expect, test } from "./fixtures";
import { choose, signIn } from "./helpers";

// The stack issues 12-second access tokens to people here, so renewal happens within a test.

test("the access token is renewed silently before it expires", async ({ page }) => {
  await signIn(page, "so.xaydung", "/admin-units");
  const renewed = page.waitForRequest(
    (r) => r.url().endsWith("/auth/token") && (r.postData() ?? "").includes("grant_type=refresh_token"),
    { timeout: 30_000 },
  );
  const request = await renewed;
  expect((await request.response())?.status()).toBe(200);
  // Calls after the renewal carry the new token and succeed.
  await page.getByRole("button", { name: "Trang sau" }).click();
  await expect(page.getByTestId("page-number")).toHaveText("Trang 2");
  await expect(page.getByTestId("problem")).toHaveCount(0);
});

test("when renewal is refused mid-form, what was typed survives signing in again", async ({ page }) => {
  await signIn(page, "taichinh", "/funding-sources/new");
  await page.getByLabel("Tên nguồn vốn").fill("Quỹ đang nhập dở");
  await choose(page, "Loại nguồn vốn", "Quỹ Vì người nghèo");
  await page.getByLabel("Ghi chú").fill("Ghi chú chưa lưu");

  // The refresh token is no longer valid (as after an issuer restart or a revoked session): the
  // issuer answers the next renewal with invalid_grant.
  await page.evaluate(() => sessionStorage.setItem("noxh.auth.refresh", "revoked-or-unknown"));
  const dialog = page.getByRole("dialog", { name: "Phiên đăng nhập đã hết" });
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  await expect(page.getByLabel("Tên nguồn vốn")).toHaveValue("Quỹ đang nhập dở");

  await dialog.getByRole("button", { name: "Đăng nhập lại" }).click();
  await page.waitForURL(/\/auth\/authorize/);
  await page.locator("#username").fill("taichinh");
  await page.locator("#password").fill("noxh-demo");
  await page.locator("button[type=submit]").click();
  await page.waitForURL(/\/funding-sources\/new$/);
  await expect(page.getByText("Đã khôi phục những gì bạn đang nhập")).toBeVisible();
  await expect(page.getByLabel("Tên nguồn vốn")).toHaveValue("Quỹ đang nhập dở");
  await expect(page.getByLabel("Ghi chú")).toHaveValue("Ghi chú chưa lưu");
  await page.getByRole("button", { name: "Thêm mới" }).click();
  await expect(page).toHaveURL(/\/funding-sources\/[0-9a-f-]{36}$/);
});
