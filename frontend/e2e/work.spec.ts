import { expect, test } from "./fixtures";
import { choose, clickMenu, menuEntries, screenshot, settled, signIn } from "./helpers";

// Per-role journeys over the funding and inspection screens, on the demo data `make run` seeds.

test("a finance officer allocates funds to an approved support case and sees it", async ({
  browser,
  page,
}) => {
  // The Department of Construction hands the finance officer the case's ID (finance officers do not
  // read the registry's support cases).
  const province = await browser.newContext();
  const officer = await province.newPage();
  await signIn(officer, "so.xaydung", "/support-cases?status=approved");
  await officer.locator(".ant-table-tbody tr.ant-table-row").first().getByRole("link").first().click();
  await expect(officer).toHaveURL(/\/support-cases\/[0-9a-f-]{36}$/);
  const caseId = officer.url().split("/").pop() ?? "";
  await province.close();

  await signIn(page, "taichinh");
  expect((await menuEntries(page)).filter((name) => name.includes("Hồ sơ hỗ trợ nhà ở"))).toEqual([]);
  await clickMenu(page, "Phân bổ, giải ngân vốn");
  await expect(page).toHaveURL(/\/allocations$/);
  await page.getByRole("button", { name: "Phân bổ vốn" }).click();
  await expect(page).toHaveURL(/\/allocations\/new/);

  // Nothing filled: the errors show next to their fields.
  await page.getByRole("button", { name: "Phân bổ vốn" }).click();
  await expect(page.locator(".ant-form-item-has-error")).not.toHaveCount(0);

  await choose(page, "Nguồn vốn", /Gia đình, dòng họ/);
  await page.getByLabel("Hồ sơ hỗ trợ", { exact: true }).fill(caseId);
  await page.getByLabel("Số tiền (đồng)").fill("15000000");
  await page.getByLabel("Số quyết định").fill("E2E-01/QĐ-STC");
  await page.getByRole("button", { name: "Phân bổ vốn" }).click();
  await expect(page).toHaveURL(/\/allocations\/[0-9a-f-]{36}$/);
  const allocation = page.getByTestId("allocation");
  await expect(allocation).toContainText("15.000.000 ₫");
  await expect(allocation).toContainText("Đã phân bổ");
  await expect(allocation).toContainText(caseId);
  const lines = page.getByTestId("funding-lines");
  await expect(lines.locator("tr.ant-table-row", { hasText: "15.000.000 ₫" })).toBeVisible();

  // A disbursement of part of it.
  await page.getByLabel("Số tiền (đồng)").fill("5000000");
  await page.getByLabel("Số chứng từ").fill("UNC-E2E-01");
  await page.getByRole("button", { name: "Ghi nhận giải ngân" }).click();
  await expect(allocation).toContainText("Giải ngân một phần");
  await settled(page);
  await screenshot(page, "funding-allocation");

  // The list, filtered by the case, in the URL.
  await page.getByRole("link", { name: "Quay lại" }).click();
  await page.getByLabel("Mã hồ sơ hỗ trợ").fill(caseId);
  await page.getByLabel("Mã hồ sơ hỗ trợ").press("Enter");
  await expect(page).toHaveURL(new RegExp(`support_case_id=${caseId}`));
  await expect(
    page.getByTestId("allocations").locator("tr.ant-table-row", { hasText: "E2E-01/QĐ-STC" }),
  ).toBeVisible();
});

test("a finance officer reads the ledger, the loan exceptions, the housing fund and the reports", async ({
  page,
}) => {
  await signIn(page, "taichinh");
  await clickMenu(page, "Sổ cái nguồn vốn");
  await expect(page.getByTestId("ledger-accounts").locator("tr.ant-table-row").first()).toBeVisible();
  await clickMenu(page, "Ngoại lệ khoản vay");
  await choose(page, "Trạng thái", "Chờ xử lý");
  await expect(page).toHaveURL(/status=open/);
  const open = page.getByTestId("loan-exceptions").locator("tr.ant-table-row");
  if ((await open.count()) > 0) {
    await open.first().getByRole("button", { name: "Bỏ qua" }).click();
    await page
      .getByRole("dialog")
      .getByLabel("Ghi chú xử lý")
      .fill("Đã đối chiếu với NHCSXH, sai sót nhập liệu");
    await page.getByRole("dialog").getByRole("button", { name: "Bỏ qua" }).click();
    await expect(page.getByText("Đã cập nhật ngoại lệ.")).toBeVisible();
  }
  await clickMenu(page, "Quỹ phát triển nhà ở");
  await expect(page.getByTestId("fund-projection")).toBeVisible();
  await clickMenu(page, "Báo cáo nguồn vốn");
  await expect(page.getByTestId("capital-report").locator("tr.ant-table-row").first()).toBeVisible();
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Tải Excel" }).first().click();
  expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
  await expect(page.getByTestId("vbsp-indicators")).toContainText("Dư nợ");
  const csv = page.waitForEvent("download");
  await page.getByTestId("vbsp-indicators").getByRole("button", { name: "Tải CSV" }).click();
  expect((await csv).suggestedFilename()).toMatch(/\.csv$/);
  await settled(page);
  await screenshot(page, "funding-reports");
});

test("an inspector dismisses one profiteering flag and confirms another, then opens the case", async ({
  page,
}) => {
  await signIn(page, "thanhtra");
  await clickMenu(page, "Cảnh báo trục lợi");
  await choose(page, "Trạng thái", "Chờ xem xét");
  await expect(page).toHaveURL(/status=open/);
  const rows = page.getByTestId("flags").locator("tr.ant-table-row");
  await expect(rows.first()).toBeVisible();
  await expect(page.locator(".ant-select-dropdown:visible")).toHaveCount(0);
  await settled(page);
  await screenshot(page, "flag-review");

  await rows.first().getByRole("button", { name: "Bỏ qua" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Bỏ qua" }).click();
  await expect(dialog.locator(".ant-form-item-has-error")).toBeVisible();
  await dialog.getByLabel("Lý do").fill("Hai lần hỗ trợ thuộc hai chương trình khác nhau, đúng quy định");
  await dialog.getByRole("button", { name: "Bỏ qua" }).click();
  await expect(page.getByText("Đã bỏ qua cảnh báo.")).toBeVisible();

  await choose(page, "Trạng thái", "Chờ xem xét");
  await rows.first().getByRole("button", { name: "Xác nhận, mở vụ việc" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Xác nhận, mở vụ việc" }).click();
  await expect(page.getByText("Đã mở vụ việc.")).toBeVisible();
  await choose(page, "Trạng thái", "Đã xác nhận");
  await rows.first().getByRole("link", { name: "Xem vụ việc" }).click();
  await expect(page).toHaveURL(/\/inspection-cases\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("inspection-case-status")).toHaveText("Kế hoạch");
  await settled(page);
  await screenshot(page, "flag-case");
});

test("an inspector works a case in progress: finding, violation, site photo, conclusion and sanction", async ({
  page,
}) => {
  await signIn(page, "thanhtra", "/inspection-cases?status=in_progress");
  const rows = page.getByTestId("inspection-cases").locator("tr.ant-table-row");
  await rows.first().getByRole("link").first().click();
  await expect(page.getByTestId("inspection-case-status")).toHaveText("Đang kiểm tra");
  await page.getByLabel("Ghi chú").fill("Chủ hộ cho thuê lại căn hộ");
  await page.getByRole("button", { name: "Ghi kết quả" }).click();
  await expect(page.getByText("Chủ hộ cho thuê lại căn hộ")).toBeVisible();
  await choose(page, "Hành vi vi phạm", null);
  await page.getByLabel("Mô tả").fill("Cho thuê lại nhà ở xã hội trong thời hạn cấm");
  await page.getByRole("button", { name: "Ghi vi phạm" }).click();
  await expect(page.getByText("Cho thuê lại nhà ở xã hội trong thời hạn cấm")).toBeVisible();
  // A 1x1 PNG, with where and when it was taken.
  const png = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    "base64",
  );
  await page
    .getByLabel("Tệp ảnh (JPEG, PNG)")
    .setInputFiles({ name: "hien-truong.png", mimeType: "image/png", buffer: png });
  await page.getByLabel("Vĩ độ").fill("20.94");
  await page.getByLabel("Kinh độ").fill("106.33");
  await page.getByRole("button", { name: "Tải ảnh lên" }).click();
  await expect(page.getByTestId("case-photos").locator("img")).toBeVisible();
  await settled(page);
  await screenshot(page, "inspection-case");

  // Concluded, then sanctioned within the violation's fine range.
  await page.getByRole("button", { name: "Kết luận" }).click();
  const modal = page.getByRole("dialog");
  await modal
    .getByLabel("Kết luận", { exact: true })
    .fill("Chủ hộ cho thuê lại căn hộ nhà ở xã hội, vi phạm điều kiện sử dụng");
  await modal.getByRole("button", { name: "Kết luận" }).click();
  await expect(page.getByTestId("inspection-case-status")).toHaveText("Đã kết luận");
  await choose(page, "Vi phạm", null);
  const range = (await page.getByText(/Khung phạt:/).textContent()) ?? "";
  const min = (range.match(/Khung phạt: ([\d.]+)/)?.[1] ?? "0").replace(/\./g, "");
  await page.getByLabel("Số quyết định").fill(`E2E-${Date.now()}/QĐ-XPVPHC`);
  await page.getByLabel("Tiền phạt (đồng)").fill(min);
  await page.getByRole("button", { name: "Quyết định xử phạt" }).click();
  await expect(page.getByTestId("inspection-case-status")).toHaveText("Đã xử phạt");
});

test("in English: the land reserve obligations, overdue ones, with the parcel on the map", async ({
  page,
}) => {
  await signIn(page, "thanhtra");
  await page.getByText("English", { exact: true }).click();
  await clickMenu(page, "20% land reserve");
  await expect(page.getByRole("heading", { name: "20% social housing land reserve" })).toBeVisible();
  await page.getByRole("checkbox", { name: "Only overdue obligations" }).check();
  await expect(page).toHaveURL(/overdue=true/);
  await page.getByRole("checkbox", { name: "Only overdue obligations" }).uncheck();
  const rows = page.getByTestId("obligations").locator("tr.ant-table-row");
  await rows.first().getByRole("link").first().click();
  await expect(page.getByTestId("obligation-timeline")).toBeVisible();
  await expect(page.getByText("Stages")).toBeVisible();
  await expect(page.getByTestId("parcel-map").first().locator(".leaflet-container")).toBeVisible();
  await expect(page.getByTestId("parcel-map").first().locator("path.leaflet-interactive")).toBeVisible();
  await settled(page);
  await screenshot(page, "land-reserve-en");
});
