import { expect, test } from "./fixtures";
import { choose, clickMenu, screenshot, settled, signIn } from "./helpers";

/** What a person types without diacritics (the service folds names the same way). */
function fold(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase();
}

test("a commune officer finds a household typed without diacritics and reveals a number for a while", async ({
  page,
}) => {
  await signIn(page, "xa.haiduong");
  await clickMenu(page, "Hộ gia đình");
  await expect(page).toHaveURL(/\/households$/);
  const rows = page.locator(".ant-table-tbody tr.ant-table-row");
  await expect(rows.first()).toBeVisible();

  // A demo head's name (the demo data is generated), as it is written...
  await rows.first().getByRole("link").click();
  const memberRows = page.getByTestId("members").locator("tr.ant-table-row");
  const name = ((await memberRows.first().locator("td").first().textContent()) ?? "").trim();
  expect(fold(name)).not.toBe(name.toLowerCase());
  await page.getByRole("button", { name: "Quay lại" }).click();

  // ...found from its folded form, the query kept in the URL.
  await page.getByLabel("Họ và tên").fill(fold(name));
  await page.getByRole("button", { name: /Tìm/ }).click();
  await expect(page).toHaveURL(/q=/);
  const hit = page.getByRole("link", { name, exact: true }).first();
  await expect(hit).toBeVisible();
  await settled(page);
  await screenshot(page, "household-search");
  await hit.click();

  await expect(page).toHaveURL(/\/households\/[0-9a-f-]{36}$/);
  const head = memberRows.first();
  const number = head.locator("[data-testid^=citizen-id-]");
  await expect(number).toHaveText(/^\*+\d{3}$/);
  const masked = (await number.textContent()) ?? "";
  await expect(page.getByTestId("dwelling")).toBeVisible();

  await head.getByRole("button", { name: "Hiện số" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Lý do cần xem").fill("Đối chiếu hồ sơ hỗ trợ nhà ở");
  await dialog.getByRole("button", { name: "Hiện số" }).click();
  await expect(number).toHaveText(/^\d{12}$/);
  expect((await number.textContent())?.slice(-3)).toBe(masked.slice(-3));
  await settled(page);
  await screenshot(page, "household-reveal");
  await head.getByRole("button", { name: "Ẩn số" }).click();
  await expect(number).toHaveText(masked);
});

test("a province officer approves a proposed support case", async ({ page }) => {
  await signIn(page, "so.xaydung");
  await clickMenu(page, "Hỗ trợ nhà ở");
  await expect(page).toHaveURL(/\/support-cases$/);
  await choose(page, "Trạng thái", "Đã đề xuất");
  await expect(page).toHaveURL(/status=proposed/);
  const rows = page.locator(".ant-table-tbody tr.ant-table-row");
  await expect(rows.first()).toContainText("Đã đề xuất");
  await settled(page);
  await screenshot(page, "support-cases");

  await rows.first().getByRole("link", { name: "Xem" }).click();
  await expect(page).toHaveURL(/\/support-cases\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("case-status")).toHaveText("Đã đề xuất");
  // The funding card shows the case's funding lines, or says that funding-api did not answer.
  await expect(page.getByText("Nguồn vốn cấp cho hồ sơ")).toBeVisible();

  await page.getByRole("button", { name: "Phê duyệt" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Phê duyệt" }).click();
  await expect(page.getByText("Đã phê duyệt.")).toBeVisible();
  await expect(page.getByTestId("case-status")).toHaveText("Đã phê duyệt");
  await expect(page.getByRole("button", { name: "Khởi công" })).toBeVisible();
  await settled(page);
  await screenshot(page, "support-case-approved");
});
