import { expect, test } from "./fixtures";
import { choose, clickMenu, menu, menuEntries, menuLink, screenshot, settled, signIn } from "./helpers";

test("a province officer sees their role and area, and pages through administrative units", async ({
  page,
}) => {
  await signIn(page, "so.xaydung");
  await expect(page.getByRole("heading", { name: /Xin chào, Nguyễn Văn An/ })).toBeVisible();
  await expect(page.getByTestId("home-roles")).toContainText("Cán bộ cấp thành phố");
  await expect(page.getByTestId("area-codes")).toContainText("31");
  await expect(page.getByTestId("area-codes")).toContainText("Hải Phòng");

  await clickMenu(page, "Đơn vị hành chính");
  await expect(page).toHaveURL(/\/admin-units$/);
  const rows = page.locator(".ant-table-tbody tr.ant-table-row");
  await expect(rows).toHaveCount(20);
  const firstCode = (await rows.first().locator("td").first().textContent()) ?? "";

  await page.getByRole("button", { name: "Trang sau" }).click();
  await expect(page).toHaveURL(/cursor=.+page=2|page=2.+cursor=/);
  await expect(page.getByTestId("page-number")).toHaveText("Trang 2");
  await expect(rows.first().locator("td").first()).not.toHaveText(firstCode);
  await page.getByRole("button", { name: "Trang trước" }).click();
  await expect(page.getByTestId("page-number")).toHaveText("Trang 1");
  await expect(rows.first().locator("td").first()).toHaveText(firstCode);

  // The filter lives in the URL: a reload (the session resumes from the tab's refresh token) keeps it.
  await page.getByLabel("Mã đơn vị cấp trên").fill("31");
  await page.getByRole("button", { name: "Lọc", exact: true }).click();
  await expect(page).toHaveURL(/parent_code=31/);
  await page.reload();
  await expect(page.getByLabel("Mã đơn vị cấp trên")).toHaveValue("31");
  await expect(rows.first()).toContainText("31");
  await settled(page);
  await screenshot(page, "admin-units");
});

test("a finance officer creates and edits a funding source; a stale edit is explained", async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "taichinh", "/funding-sources");
  await expect(menu(page).getByRole("link", { name: "Nguồn vốn", exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Thêm mới" }).click();
  await expect(page).toHaveURL(/\/funding-sources\/new$/);

  // Client-side rules first: nothing typed, two fields say why.
  await page.getByRole("button", { name: "Thêm mới" }).click();
  await expect(page.locator(".ant-form-item-explain-error")).toHaveCount(2);

  // Each run starts from empty databases, so names are plain.
  const name = "Ngân sách thành phố hỗ trợ nhà ở xã hội 2026";
  await page.getByLabel("Tên nguồn vốn").fill(name);
  await choose(page, "Loại nguồn vốn", "Ngân sách địa phương");
  await page.getByLabel("Số quyết định").fill("1234/QĐ-UBND");
  await page.getByRole("button", { name: "Thêm mới" }).click();
  await expect(page).toHaveURL(/\/funding-sources\/[0-9a-f-]{36}$/);
  await expect(page.getByText("Đã thêm mới.")).toBeVisible();
  await expect(page.getByLabel("Tên nguồn vốn")).toHaveValue(name);
  const editUrl = page.url();

  // A second tab of the same person edits first; this tab's save then meets a 412.
  const other = await context.newPage();
  await signIn(other, "taichinh", new URL(editUrl).pathname);
  await other.getByLabel("Ghi chú").fill("Sửa từ tab khác");
  await other.getByRole("button", { name: "Lưu" }).click();
  await expect(other.getByText("Đã lưu.")).toBeVisible();
  await other.close();

  await page.getByLabel("Tên nguồn vốn").fill(`${name} (sửa)`);
  await page.getByRole("button", { name: "Lưu" }).click();
  const problem = page.getByTestId("problem");
  await expect(problem).toContainText("Có người khác vừa sửa bản ghi này");
  await expect(problem).toHaveAttribute("data-code", "precondition_failed");
  await expect(page.locator(".ant-message-notice")).toHaveCount(0);
  await screenshot(page, "funding-source-stale");
  await problem.getByRole("button", { name: "Tải lại" }).click();
  await expect(page.getByLabel("Ghi chú")).toHaveValue("Sửa từ tab khác");
  await expect(page.getByLabel("Tên nguồn vốn")).toHaveValue(name);

  await page.getByLabel("Tên nguồn vốn").fill(`${name} (sửa)`);
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(page.getByText("Đã lưu.")).toBeVisible();
  await page.getByRole("button", { name: "Quay lại" }).click();
  await expect(page.getByRole("link", { name: `${name} (sửa)` })).toBeVisible();
  await settled(page);
  await screenshot(page, "funding-sources");

  // A taken name is the service's rule: its 409 is shown next to the field.
  await page.getByRole("button", { name: "Thêm mới" }).click();
  await page.getByLabel("Tên nguồn vốn").fill(`${name} (sửa)`);
  await choose(page, "Loại nguồn vốn", "Quỹ phát triển nhà ở");
  await page.getByRole("button", { name: "Thêm mới" }).click();
  await expect(page.locator(".ant-form-item-explain-error")).toContainText("đã có một nguồn vốn cùng tên");
});

test("a commune officer is not offered what the services refuse them", async ({ page }) => {
  await signIn(page, "xa.haiduong");
  await expect(page.getByTestId("area-codes")).toContainText("10525");
  const entries = await menuEntries(page);
  expect(entries).toEqual(expect.arrayContaining(["Đơn vị hành chính", "Quy hoạch sử dụng đất"]));
  expect(entries).not.toContain("Nguồn vốn");

  // Land-use plans: readable, not writable (no "add" button).
  await clickMenu(page, "Quy hoạch sử dụng đất");
  await expect(page.getByRole("heading", { name: "Quy hoạch sử dụng đất" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Thêm mới" })).toHaveCount(0);

  // Typed in by hand, the funding screen says plainly that the role may not see it.
  await page.goto("/funding-sources");
  await expect(page.getByText("Không có quyền truy cập")).toBeVisible();
  await screenshot(page, "commune-officer-forbidden");

  // Signing out ends the session at the issuer too and comes back to the sign-in page.
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(page.getByRole("button", { name: /Đăng nhập/ })).toBeVisible();
  expect(await page.evaluate(() => sessionStorage.getItem("noxh.auth.refresh"))).toBeNull();
});

test("an inspector records a land-use plan; the decision rule is explained before saving", async ({
  page,
}) => {
  await signIn(page, "thanhtra", "/land-use-plans/new");
  const name = "Quy hoạch chi tiết khu nhà ở xã hội phường Hải Dương";
  await page.getByLabel("Tên quy hoạch").fill(name);
  await choose(page, "Cấp quy hoạch", "Quy hoạch chi tiết");
  await choose(page, "Xã/Phường", /Phường Hải Dương/);
  await choose(page, "Tình trạng", "Đã phê duyệt");
  await page.getByLabel("Đất nhà ở xã hội (m²)").fill("12500");
  await page.getByRole("button", { name: "Thêm mới" }).click();
  await expect(page.locator(".ant-form-item-explain-error").first()).toContainText(
    "cần có số và ngày quyết định",
  );

  await page.getByLabel("Số quyết định").fill("15/QĐ-UBND");
  await page.getByLabel("Ngày quyết định").fill("15/03/2026");
  await page.getByLabel("Ngày quyết định").press("Tab");
  await page.getByRole("button", { name: "Thêm mới" }).click();
  await expect(page).toHaveURL(/\/land-use-plans\/[0-9a-f-]{36}$/);
  await expect(page.getByLabel("Xã/Phường")).toBeDisabled();
  await expect(page.getByText("Phường Hải Dương (10525)")).toBeVisible();

  await choose(page, "Tình trạng", "Đã bị thay thế");
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(page.getByText("Đã lưu.")).toBeVisible();
  await page.getByRole("button", { name: "Quay lại" }).click();
  const row = page.locator("tr", { hasText: name });
  await expect(row).toContainText("Đã bị thay thế");
  await expect(row).toContainText("10525");
  await expect(row).toContainText("12.500");
});

test("the language switches to English and stays so", async ({ page }) => {
  await signIn(page, "so.xaydung", "/funding-sources");
  await page.getByText("English", { exact: true }).click();
  await expect(menu(page).getByRole("link", { name: "Funding sources", exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Funding sources" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByRole("button", { name: "Add new" }).click();
  await page.getByLabel("Decision date").click();
  // antd's own texts follow (its date picker), not only ours.
  await expect(page.locator(".ant-picker-dropdown:visible")).toContainText("Today");
  await page.keyboard.press("Escape");
  await page.reload();
  await expect(page.getByRole("heading", { name: "Add a funding source" })).toBeVisible();
  await page.goto("/");
  await expect(page.getByTestId("home-areas")).toContainText("Hải Phòng");
  await screenshot(page, "home-english");
  await page.getByText("Tiếng Việt", { exact: true }).click();
  // Home: the sidebar's funding section is folded until opened.
  await expect(await menuLink(page, "Nguồn vốn", { exact: true })).toBeVisible();
});
