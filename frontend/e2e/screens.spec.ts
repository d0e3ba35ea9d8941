import { expect, test } from "./fixtures";
import { choose, clickMenu, screenshot, settled, signIn } from "./helpers";

// Journeys over the dashboard, reviews, projects and applications, duplicates, imports, household
// editing and the tabs' shared session, on the demo data `make run` seeds.

test("the province's dashboard: targets against progress, charts and the communes' counts", async ({
  page,
}) => {
  await signIn(page, "so.xaydung", "/?boundaries=old");
  const targets = page.getByTestId("targets");
  await expect(page.getByTestId("period-targets")).toContainText("5.860", { timeout: 30_000 });
  await expect(targets.locator("svg").first()).toBeVisible();
  await expect(page.getByTestId("cases-by-status").locator("svg").first()).toBeVisible();
  await expect(page.getByTestId("temporary-houses")).toBeVisible();
  const map = page.getByTestId("commune-map");
  await expect(map.locator(".leaflet-container")).toBeVisible();
  await expect(map.locator(".ant-table-tbody tr.ant-table-row").first()).toBeVisible();
  await settled(page);
  await screenshot(page, "dashboard");

  await choose(page, "Giai đoạn", "2026-2030");
  await expect(page).toHaveURL(/period=2026-2030/);
  await expect(page.getByTestId("period-targets")).toContainText("10.060");
});

test("a province officer approves a commune's submitted review results", async ({ page }) => {
  await signIn(page, "so.xaydung");
  await clickMenu(page, "Rà soát hộ nghèo");
  await expect(page).toHaveURL(/\/review-campaigns$/);
  await page.getByRole("link", { name: "Rà soát năm 2025" }).first().click();
  const progress = page.getByTestId("review-progress");
  const row = progress.locator("tr.ant-table-row", { hasText: "11560" });
  await expect(row).toContainText("Đã gửi");
  await settled(page);
  await screenshot(page, "review-progress");
  await row.getByRole("button", { name: "Phê duyệt" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Phê duyệt" }).click();
  await expect(row.locator(".ant-tag")).toHaveText("Đã phê duyệt");

  await row.getByRole("button", { name: "Xem kết quả" }).click();
  await expect(page).toHaveURL(/commune_code=11560/);
  await expect(page.locator(".ant-table-tbody tr.ant-table-row").nth(1)).toBeVisible();
});

test("an allocated application shows its eligibility trace, its project and the lottery", async ({
  page,
}) => {
  await signIn(page, "so.xaydung", "/applications?status=allocated");
  const rows = page.locator(".ant-table-tbody tr.ant-table-row");
  await rows.first().getByRole("link").click();
  await expect(page).toHaveURL(/\/applications\/[0-9a-f-]{36}$/);
  const trace = page.getByTestId("eligibility-trace");
  await expect(trace.locator("tr.ant-table-row").first()).toBeVisible();
  await expect(trace).toContainText("Đạt");
  await settled(page);
  await screenshot(page, "application-trace");

  await page.getByRole("link", { name: "Xem dự án" }).click();
  await expect(page).toHaveURL(/\/housing-projects\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("milestones")).toBeVisible();

  await clickMenu(page, "Đợt xét chọn, bốc thăm");
  await expect(page).toHaveURL(/\/allocation-rounds$/);
  await page.locator(".ant-table-tbody tr.ant-table-row").first().getByRole("link").first().click();
  const results = page.getByTestId("round-results");
  await expect(results.locator("tr.ant-table-row").first()).toBeVisible();
  await expect(results).toContainText("Trúng");
  await settled(page);
  await screenshot(page, "allocation-round");
});

test("a province officer keeps a possible duplicate apart, with a reason", async ({ page }) => {
  await signIn(page, "so.xaydung");
  await clickMenu(page, "Nhân khẩu trùng");
  const rows = page.locator(".ant-table-tbody tr.ant-table-row");
  await rows.first().getByRole("link").click();
  await expect(page.getByTestId("duplicate-pair")).toBeVisible();
  await settled(page);
  await screenshot(page, "duplicate-pair");
  await page.getByLabel("Lý do").fill("Hai người khác nhau: khác ngày sinh và số định danh");
  await page.getByRole("button", { name: "Lưu quyết định" }).click();
  await expect(page.getByTestId("duplicate-decided")).toContainText("Giữ riêng");
});

test("a commune officer imports a list, reads the refused rows and edits a household", async ({ page }) => {
  await signIn(page, "xa.haiduong", "/imports");
  const csv = [
    "STT;Họ và tên;Số CCCD;Ngày sinh;Giới tính;Thôn/Tổ dân phố;Quan hệ với chủ hộ;Diện hộ;Hiện trạng nhà ở;Diện tích nhà (m²);Số nhân khẩu;Ghi chú",
    "1;Đỗ Văn Kiểm;123;31/02/1970;Nam;Tổ dân phố số 1;Chủ hộ;Hộ nghèo;Nhà tạm;20;3;",
    "2;Lê Thị Thử;0301;01/01/1980;Khác;Tổ dân phố số 2;Chủ hộ;Hộ cận nghèo;Nhà dột nát;25;2;",
  ].join("\r\n");
  await page.locator("input[type=file]").setInputFiles({
    name: "danh_sach_thu.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`\ufeff${csv}\r\n`, "utf-8"),
  });
  await page.getByRole("button", { name: "Tải lên và nhập" }).click();
  await expect(page).toHaveURL(/\/imports\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("import-status")).not.toHaveText(/Đang chờ|Đang nhập/, { timeout: 30_000 });
  const errors = page.getByTestId("import-errors");
  await expect(errors.locator("tr.ant-table-row").first()).toBeVisible();
  await settled(page);
  await screenshot(page, "import-errors");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Tải báo cáo lỗi (.xlsx)" }).click();
  expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);

  await clickMenu(page, "Hộ gia đình");
  await page.locator(".ant-table-tbody tr.ant-table-row").first().getByRole("link").first().click();
  await expect(page).toHaveURL(/\/households\/[0-9a-f-]{36}$/);
  await page.getByRole("button", { name: "Sửa" }).click();
  await expect(page).toHaveURL(/\/edit$/);
  await page.getByLabel("Thôn/tổ dân phố").fill("Tổ dân phố số 9");
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(page).toHaveURL(/\/households\/[0-9a-f-]{36}$/);
  await expect(page.getByText("Tổ dân phố số 9")).toBeVisible();
});

test("tabs share the session: a new tab is signed in, a sign-out ends both", async ({ browser }) => {
  const context = await browser.newContext();
  const first = await context.newPage();
  await signIn(first, "so.xaydung");
  const second = await context.newPage();
  await second.goto("/households");
  await expect(second.getByTestId("current-user")).toBeVisible();
  await expect(second.getByRole("button", { name: /Đăng nhập/ })).toHaveCount(0);
  await first.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(second.getByText("Bạn đã đăng xuất ở một thẻ khác")).toBeVisible();
  await screenshot(second, "signed-out-elsewhere");
  await context.close();
});

test("the dashboard in English", async ({ page }) => {
  await signIn(page, "so.xaydung");
  await page.getByText("English", { exact: true }).click();
  await expect(page.getByText(/Social housing targets and progress/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("commune-map")).toContainText("Communes map");
  await settled(page);
  await screenshot(page, "dashboard-en");
});
