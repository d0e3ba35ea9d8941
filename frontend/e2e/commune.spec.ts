import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { choose, screenshot, settled, signIn } from "./helpers";

/** The commune officer's journey against the real stack, in Vietnamese and in English: register a
 * household with two members (a wrong citizen ID first, refused by the service next to its field),
 * add its dilapidated dwelling with the assessment, record it in this year's review, propose a repair
 * under the campaign; then the province officer approves the proposal. */

const WORDS = {
  vi: {
    register: "Đăng ký hộ mới",
    address: "Địa chỉ",
    hamlet: "Thôn/tổ dân phố",
    residenceArea: "Khu vực",
    urban: "Thành thị",
    fullName: "Họ và tên",
    gender: "Giới tính",
    female: "Nữ",
    dateOfBirth: "Ngày sinh",
    citizenId: "Số định danh cá nhân (CCCD)",
    phone: "Số điện thoại di động",
    addMember: "Thêm thành viên",
    submitHousehold: "Đăng ký hộ",
    birthYearMismatch: "Chữ số thứ 5 và 6 không khớp với năm sinh.",
    registered: "Đã đăng ký hộ gia đình.",
    addDwelling: "Thêm nhà ở",
    dwellingDialog: "Thêm nhà ở và đánh giá hiện trạng",
    builtYear: "Năm xây dựng (không bắt buộc)",
    assessor: "Người, tổ đánh giá",
    floorArea: "Diện tích sử dụng (m²)",
    residents: "Số người đang ở",
    foundationState: "Móng: tình trạng",
    wallsState: "Khung, tường: tình trạng",
    roofState: "Mái: tình trạng",
    unsafe: "Nguy hiểm, mất an toàn",
    damaged: "Hư hỏng",
    dilapidated: "Nhà dột nát",
    recordReview: (year: number) => `Ghi kết quả rà soát ${year}`,
    meetingHeldOn: "Ngày họp thôn",
    meetingAgreement: "Tỷ lệ đồng ý",
    save: "Lưu",
    reviewDone: (year: number) => `Đã ghi kết quả rà soát năm ${year}.`,
    propose: "Đề xuất hỗ trợ",
    proposeDialog: "Đề xuất hỗ trợ nhà ở",
    proposed: "Đã đề xuất",
    approve: "Phê duyệt",
    approved: "Đã phê duyệt",
  },
  en: {
    register: "Register a household",
    address: "Address",
    hamlet: "Hamlet / residential group",
    residenceArea: "Area",
    urban: "Urban",
    fullName: "Full name",
    gender: "Gender",
    female: "Female",
    dateOfBirth: "Date of birth",
    citizenId: "Personal identification number (CCCD)",
    phone: "Mobile phone",
    addMember: "Add a member",
    submitHousehold: "Register the household",
    birthYearMismatch: "Digits 5 and 6 do not match the year of birth.",
    registered: "Household registered.",
    addDwelling: "Add a dwelling",
    dwellingDialog: "Add a dwelling and assess its condition",
    builtYear: "Year built (optional)",
    assessor: "Assessor or survey team",
    floorArea: "Floor area (m²)",
    residents: "People living there",
    foundationState: "Foundation: condition",
    wallsState: "Frame and walls: condition",
    roofState: "Roof: condition",
    unsafe: "Unsafe",
    damaged: "Damaged",
    dilapidated: "Dilapidated house",
    recordReview: (year: number) => `Record the ${year} review`,
    meetingHeldOn: "Village meeting date",
    meetingAgreement: "Share agreeing",
    save: "Save",
    reviewDone: (year: number) => `The ${year} review result was recorded.`,
    propose: "Propose support",
    proposeDialog: "Propose housing support",
    proposed: "Proposed",
    approve: "Approve",
    approved: "Approved",
  },
} as const;

type Language = keyof typeof WORDS;

/** Today in Hải Phòng, as the services count legal dates. */
function localToday(): { iso: string; shown: string; year: number } {
  const [y, m, d] = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh" })
    .format(new Date())
    .split("-");
  return { iso: `${y}-${m}-${d}`, shown: `${d}/${m}/${y}`, year: Number(y) };
}

/** A citizen ID the service accepts for this birth: digit 4 encodes century and gender, digits 5-6
 * the year; the last six are random, so runs never collide. */
function citizenId(birthYear: number, female: boolean, yearDigits = birthYear % 100): string {
  const centuryGender = Math.floor((birthYear - 1900) / 100) * 2 + (female ? 1 : 0);
  const serial = String(Math.floor(Math.random() * 1_000_000)).padStart(6, "0");
  return `031${centuryGender}${String(yearDigits).padStart(2, "0")}${serial}`;
}

/** This year's review must be open today: the province opens it for the whole year when it is not. */
async function ensureOpenReview(browser: Browser): Promise<void> {
  const { year } = localToday();
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "so.xaydung", "/review-campaigns");
  const link = page.getByRole("link", { name: `Rà soát năm ${year}`, exact: true });
  await expect(page.locator(".ant-table-tbody tr.ant-table-row").first()).toBeVisible();
  if (!(await link.isVisible())) {
    await page.getByRole("button", { name: "Mở đợt rà soát" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Năm rà soát").fill(String(year));
    await dialog.getByLabel("Ngày bắt đầu (không bắt buộc)").fill(`${year}-01-01`);
    await dialog.getByLabel("Ngày kết thúc (không bắt buộc)").fill(`${year}-12-31`);
    await dialog.getByRole("button", { name: "Mở đợt rà soát" }).click();
    await expect(page).toHaveURL(/\/review-campaigns\/[0-9a-f-]{36}$/);
  }
  await context.close();
}

async function journey(page: Page, browser: Browser, language: Language): Promise<void> {
  const w = WORDS[language];
  const today = localToday();
  const suffix = `${language}-${Date.now() % 100000}`;
  const headName = language === "vi" ? "Phạm Văn Khải" : "Đỗ Văn Lâm";
  const wifeName = language === "vi" ? "Lương Thị Mận" : "Vũ Thị Ngân";

  await signIn(page, "xa.haiduong", "/households");
  if (language === "en") {
    await page.getByText("English", { exact: true }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
  }

  // 1. The household, its head and a member.
  await page.getByRole("link", { name: w.register }).click();
  await expect(page).toHaveURL(/\/households\/new$/);
  await page.getByLabel(w.address, { exact: true }).fill(`Số ${suffix}, ngõ 12 Trần Hưng Đạo`);
  await page.getByLabel(w.hamlet, { exact: true }).fill("Tổ dân phố số 3");
  await choose(page, w.residenceArea, w.urban, page);
  const head = page.getByTestId("head");
  await head.getByLabel(w.fullName, { exact: true }).fill(headName);
  await head.getByLabel(w.dateOfBirth, { exact: true }).fill("1980-05-12");
  await head.getByLabel(w.citizenId, { exact: true }).fill(citizenId(1980, false));
  await head.getByLabel(w.phone, { exact: true }).fill("0912 345 678");
  await page.getByRole("button", { name: w.addMember }).click();
  const member = page.getByTestId("member-0");
  await member.getByLabel(w.fullName, { exact: true }).fill(wifeName);
  await choose(page, w.gender, w.female, member);
  await member.getByLabel(w.dateOfBirth, { exact: true }).fill("1983-02-20");
  // Digits 5-6 say 1984: the service refuses it, next to the member's field.
  const wifeId = member.getByLabel(w.citizenId, { exact: true });
  await wifeId.fill(citizenId(1983, true, 84));
  await page.getByRole("button", { name: w.submitHousehold, exact: true }).click();
  await expect(member.getByText(w.birthYearMismatch)).toBeVisible();
  await expect(page.getByTestId("problem")).toBeVisible();
  await settled(page);
  await screenshot(page, `commune-register-field-error-${language}`);
  await wifeId.fill(citizenId(1983, true));
  await page.getByRole("button", { name: w.submitHousehold, exact: true }).click();
  await expect(page).toHaveURL(/\/households\/[0-9a-f-]{36}$/);
  await expect(page.getByText(w.registered)).toBeVisible();
  const members = page.getByTestId("members").locator("tr.ant-table-row");
  await expect(members).toHaveCount(2);
  await expect(members.first()).toContainText(headName);
  await expect(members.nth(1)).toContainText(wifeName);
  // The numbers come back masked.
  await expect(members.first().locator("[data-testid^=citizen-id-]")).toHaveText(/^\*+\d{3}$/);

  // 2. A dilapidated dwelling: durable materials, two structures unsafe.
  const dwelling = page.getByTestId("dwelling");
  await dwelling.getByRole("button", { name: w.addDwelling }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel(w.builtYear, { exact: true }).fill("1998");
  await dialog.getByLabel(w.assessor, { exact: true }).fill("Tổ khảo sát phường Hải Dương");
  await dialog.getByLabel(w.floorArea, { exact: true }).fill("42");
  await dialog.getByLabel(w.residents, { exact: true }).fill("2");
  await choose(page, w.foundationState, w.unsafe, dialog);
  await choose(page, w.wallsState, w.unsafe, dialog);
  await choose(page, w.roofState, w.damaged, dialog);
  await dialog.getByRole("button", { name: w.dwellingDialog }).click();
  await expect(dialog).toBeHidden();
  await expect(dwelling.locator(".ant-tag")).toHaveText(w.dilapidated);

  // 3. This year's review: a new poor household.
  await page.getByRole("button", { name: w.recordReview(today.year) }).click();
  const review = page.getByRole("dialog");
  const meeting = review.getByLabel(w.meetingHeldOn, { exact: true });
  await meeting.click();
  await meeting.fill(today.shown);
  await meeting.press("Enter");
  await review.getByLabel(w.meetingAgreement, { exact: true }).fill("85");
  await review.getByRole("button", { name: w.save, exact: true }).click();
  await expect(page.getByText(w.reviewDone(today.year))).toBeVisible();
  await expect(page.getByTestId("review-recorded")).toBeVisible();
  await settled(page);
  await screenshot(page, `commune-household-${language}`);

  // 4. A repair under the campaign, with the amount that applies.
  await page.getByRole("button", { name: w.propose, exact: true }).click();
  const proposal = page.getByRole("dialog");
  await expect(proposal.getByTestId("support-rate")).toContainText(
    language === "vi" ? "30.000.000" : "30,000,000",
  );
  await settled(page);
  await screenshot(page, `commune-support-proposal-${language}`);
  await proposal.getByRole("button", { name: w.proposeDialog }).click();
  await expect(page).toHaveURL(/\/support-cases\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("case-status")).toHaveText(w.proposed);
  const caseUrl = page.url();

  // 5. The province approves it.
  const province = await browser.newContext();
  const officer = await province.newPage();
  await signIn(officer, "so.xaydung", new URL(caseUrl).pathname);
  if (language === "en") await officer.getByText("English", { exact: true }).click();
  await expect(officer.getByTestId("case-status")).toHaveText(w.proposed);
  await officer.getByRole("button", { name: w.approve, exact: true }).click();
  await officer.getByRole("dialog").getByRole("button", { name: w.approve, exact: true }).click();
  await expect(officer.getByTestId("case-status")).toHaveText(w.approved);
  await settled(officer);
  await screenshot(officer, `commune-support-approved-${language}`);
  await province.close();
}

test.describe("the commune officer's journey", () => {
  test.beforeAll(async ({ browser }) => {
    await ensureOpenReview(browser);
  });

  test("in Vietnamese: a household with two members, its dilapidated house, the review, a support proposal approved by the province", async ({
    page,
    browser,
  }) => {
    test.setTimeout(240_000);
    await journey(page, browser, "vi");
  });

  test("in English: the same journey", async ({ page, browser }) => {
    test.setTimeout(240_000);
    await journey(page, browser, "en");
  });
});
