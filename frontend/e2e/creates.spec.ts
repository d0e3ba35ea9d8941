import { expect, test } from "./fixtures";
import { choose, clickMenu, screenshot, settled, signIn } from "./helpers";

// The create forms added to the officers' screens: the province records a commercial project and its
// 20% land-reserve obligation, opens a review and sees the field-sync conflicts; finance records a
// housing-fund movement and reverses it, and adds a contributor with a pledge.

test("a province officer records a commercial project, its land-reserve obligation, and opens a review", async ({
  page,
}) => {
  await signIn(page, "so.xaydung", "/commercial-projects");
  const name = `Dự án E2E ${Date.now()}`;
  await page.getByRole("button", { name: "Thêm dự án thương mại" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Tên dự án").fill(name);
  await dialog.getByLabel("Chủ đầu tư").fill("Công ty CP Đầu tư E2E");
  await dialog.getByLabel("Mã xã/phường").fill("10525");
  await dialog.getByLabel("Diện tích đất ở (m²)").fill("52000");
  await dialog.getByRole("button", { name: "Thêm dự án thương mại" }).click();
  await expect(page.getByText("Đã thêm.")).toBeVisible();
  await expect(dialog).toBeHidden();

  await page.goto("/land-reserve-obligations");
  await page.getByRole("button", { name: "Thêm nghĩa vụ quỹ đất" }).click();
  const obligation = page.getByRole("dialog");
  await choose(page, "Dự án thương mại", name, obligation);
  await obligation.getByLabel("Ngày quyết định").fill("2026-05-04");
  await obligation.getByLabel("Số quyết định").fill("E2E/QĐ-UBND");
  await obligation.getByRole("button", { name: "Thêm nghĩa vụ quỹ đất" }).click();
  await expect(page).toHaveURL(/\/land-reserve-obligations\/[0-9a-f-]{36}$/);
  await settled(page);
  await screenshot(page, "land-reserve-obligation-created");

  await clickMenu(page, "Rà soát hộ nghèo");
  await page.getByRole("button", { name: "Mở đợt rà soát" }).click();
  const review = page.getByRole("dialog");
  await review.getByLabel("Năm rà soát").fill("2029");
  await review.getByRole("button", { name: "Mở đợt rà soát" }).click();
  await expect(page).toHaveURL(/\/review-campaigns\/[0-9a-f-]{36}$/);

  await clickMenu(page, "Xung đột đồng bộ");
  await expect(page.getByTestId("sync-conflicts")).toBeVisible();
});

test("a finance officer records a housing-fund movement, reverses it, and records a pledge", async ({
  page,
}) => {
  await signIn(page, "taichinh", "/housing-fund");
  const doc = `E2E-${Date.now()}/QĐ`;
  await page.getByRole("button", { name: "Ghi nhận thu, chi" }).click();
  const dialog = page.getByRole("dialog");
  await choose(page, "Khoản mục", "Tài trợ, ủng hộ", dialog);
  await dialog.getByLabel("Số tiền (đồng)").fill("1000000000");
  await dialog.getByLabel("Số chứng từ, quyết định").fill(doc);
  await dialog.getByRole("button", { name: "Ghi nhận thu, chi" }).click();
  await expect(page.getByText("Đã ghi nhận.")).toBeVisible();
  const row = page.getByTestId("fund-movements").locator("tr.ant-table-row", { hasText: doc }).first();
  await row.getByRole("button", { name: "Đảo khoản" }).click();
  const reversal = page.getByRole("dialog");
  await reversal.getByLabel("Số chứng từ, quyết định").fill(`${doc}-R`);
  await reversal.getByLabel("Lý do đảo khoản").fill("Ghi nhầm khoản tài trợ");
  await reversal.getByRole("button", { name: "Đảo khoản" }).click();
  await expect(page.getByText("Đã đảo khoản.")).toBeVisible();
  await expect(page.getByTestId("fund-movements")).toContainText(`${doc}-R`);
  await settled(page);
  await screenshot(page, "housing-fund-reversal");

  await clickMenu(page, "Cam kết, đóng góp vốn");
  const giver = `Công ty E2E ${Date.now()}`;
  await page.getByRole("button", { name: "Thêm nhà tài trợ" }).click();
  const contributor = page.getByRole("dialog");
  await contributor.getByLabel("Tên", { exact: true }).fill(giver);
  await contributor.getByRole("button", { name: "Thêm nhà tài trợ" }).click();
  await expect(contributor).toBeHidden();

  await page.getByRole("button", { name: "Thêm cam kết" }).click();
  const pledge = page.getByRole("dialog");
  await choose(page, "Loại", "Cam kết tài trợ", pledge);
  await choose(page, "Nhà tài trợ", giver, pledge);
  await choose(page, "Nguồn vốn", /^Ngân sách tỉnh/, pledge);
  await pledge.getByLabel("Số tiền (đồng)").fill("2000000000");
  await pledge.getByLabel("Số quyết định").fill("E2E/QĐ-UBND");
  await pledge.getByLabel("Ngày quyết định").fill("2026-03-02");
  await pledge.getByLabel("Cơ quan ban hành").fill("UBND thành phố Hải Phòng");
  await pledge.getByRole("button", { name: "Thêm cam kết" }).click();
  await expect(pledge).toBeHidden();
  await expect(page.getByTestId("commitments")).toContainText(giver);
});

test("a finance officer records a VBSP entrustment contract, a transfer and a utilisation report", async ({
  page,
}) => {
  await signIn(page, "taichinh");
  await clickMenu(page, "Ủy thác qua NHCSXH");
  const number = `E2E-UT-${Date.now()}`;
  await page.getByRole("button", { name: "Thêm hợp đồng" }).click();
  const contract = page.getByRole("dialog");
  await contract.getByLabel("Số hợp đồng").fill(number);
  await contract.getByLabel("Ngày ký").fill("2026-01-10");
  await contract.getByLabel("Bên ủy thác").fill("UBND thành phố Hải Phòng");
  await contract.getByLabel("Chi nhánh NHCSXH").fill("NHCSXH chi nhánh Hải Phòng");
  await contract.getByLabel("Số tiền (đồng)").fill("50000000000");
  await contract.getByLabel("Từ ngày").fill("2026-01-10");
  await contract.getByLabel("Đến ngày").fill("2030-12-31");
  await contract.getByLabel("Căn cứ pháp lý").fill("Nghị định 100/2024/NĐ-CP");
  await contract.getByRole("button", { name: "Thêm hợp đồng" }).click();
  await expect(page).toHaveURL(/\/vbsp-entrustments\/[0-9a-f-]{36}$/);

  await page.getByRole("button", { name: "Ghi nhận chuyển vốn" }).click();
  const transfer = page.getByRole("dialog");
  await transfer.getByLabel("Số tiền (đồng)").fill("20000000000");
  await transfer.getByLabel("Ngày quyết định").fill("2026-02-01");
  await transfer.getByLabel("Ngày chuyển").fill("2026-02-05");
  await transfer.getByLabel("Số quyết định").fill("E2E/QĐ-CV");
  await transfer.getByRole("button", { name: "Ghi nhận chuyển vốn" }).click();
  await expect(page.getByTestId("entrustment-transfers")).toContainText("E2E/QĐ-CV");

  await page.getByRole("button", { name: "Nộp báo cáo sử dụng" }).click();
  const report = page.getByRole("dialog");
  await report.getByLabel("Từ ngày").fill("2026-02-05");
  await report.getByLabel("Đến ngày").fill("2026-06-30");
  await report.getByLabel("Đã cho vay").fill("15000000000");
  await report.getByLabel("Số khách hàng").fill("30");
  await report.getByLabel("Dư nợ").fill("14500000000");
  await report.getByLabel("Đã thu nợ").fill("500000000");
  await report.getByRole("button", { name: "Nộp báo cáo sử dụng" }).click();
  await expect(page.getByTestId("entrustment-reports")).toContainText("30");
  await expect(page.getByTestId("entrustment-summary")).toContainText("20.000.000.000");
  await settled(page);
  await screenshot(page, "vbsp-entrustment");
});
