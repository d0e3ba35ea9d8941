/** The inspectors' field app (/field/, an installable PWA): cases loaded before going out, the case
 * started and findings with photos recorded offline, kept across a reload, synced once back online
 * (exactly what was recorded reaches the server, a second sync changes nothing), a second device's
 * edit of the same finding shown as a conflict, never overwritten, and the conclusion recorded offline
 * too, then synced. */
import { createHash } from "node:crypto";
import type { APIRequestContext, Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { screenshot, signIn } from "./helpers";

const PNG = {
  red: "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4IScHRAwQCgAfJgQRoo8irwAAAABJRU5ErkJggg==",
  blue: "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGOQszkBRAwQCgAdHgSJ5Ed7/AAAAABJRU5ErkJggg==",
};
const bytes = (b64: string) => Buffer.from(b64, "base64");
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const POSITION = { latitude: 20.9385, longitude: 106.3303, accuracy: 12 };
const INSPECTION = "/api/inspection/v1";

/** A second device of a person: a token of its own, from the issuer, by the person's sign-in. */
class Device {
  private constructor(
    private readonly request: APIRequestContext,
    private readonly baseURL: string,
    private refresh: string,
    private readonly tokenPath: string,
    readonly subject: string,
  ) {}

  static async signIn(browser: Browser, request: APIRequestContext, baseURL: string, username: string) {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await signIn(page, username, "/field/");
    const refresh = await page.evaluate(() => localStorage.getItem("noxh.auth.refresh"));
    // Closed before its own renewal: from now on only this device uses the refresh token.
    await context.close();
    if (!refresh) throw new Error("no refresh token after sign-in");
    const meta = await (await request.get(`${baseURL}/auth/.well-known/openid-configuration`)).json();
    const device = new Device(request, baseURL, refresh, new URL(meta.token_endpoint).pathname, "");
    const token = await device.token();
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString());
    return new Device(request, baseURL, device.refresh, device.tokenPath, claims.sub as string);
  }

  private async token(): Promise<string> {
    const answer = await this.request.post(this.baseURL + this.tokenPath, {
      form: { grant_type: "refresh_token", client_id: "noxh-inspector-app", refresh_token: this.refresh },
    });
    expect(answer.ok()).toBeTruthy();
    const body = await answer.json();
    this.refresh = body.refresh_token;
    return body.access_token as string;
  }

  async call(method: string, path: string, body?: unknown, etag?: string) {
    const headers: Record<string, string> = { Authorization: `Bearer ${await this.token()}` };
    if (etag) headers["If-Match"] = etag;
    const response = await this.request.fetch(this.baseURL + INSPECTION + path, {
      method,
      headers,
      ...(body === undefined ? {} : { data: body }),
    });
    const text = await response.text();
    if (!response.ok()) throw new Error(`${method} ${path} answered ${response.status()}: ${text}`);
    return { body: text ? JSON.parse(text) : null, etag: response.headers().etag ?? "" };
  }
}

interface Finding {
  id: string;
  checklist_item_key: string | null;
  outcome: string;
  note: string | null;
  version: number;
}
interface Photo {
  id: string;
  finding_id: string | null;
  sha256: string;
  latitude: number;
  longitude: number;
  captured_at: string;
}

async function serverState(device: Device, caseId: string) {
  const findings = (await device.call("GET", `/inspection-cases/${caseId}/findings?limit=100`)).body
    .items as Finding[];
  const photos = (await device.call("GET", `/inspection-cases/${caseId}/photos?limit=100`)).body
    .items as Photo[];
  return { findings, photos };
}

async function openSync(page: Page) {
  await page.getByTestId("waiting-count").click();
  await expect(page.getByRole("heading", { name: /Đồng bộ|Sync/ }).first()).toBeVisible();
}

test.use({
  viewport: { width: 390, height: 844 },
  isMobile: false,
  hasTouch: true,
  geolocation: POSITION,
  permissions: ["geolocation"],
  serviceWorkers: "allow",
});

test("an inspector records findings with photos offline and syncs them exactly once", async ({
  page,
  context,
  browser,
  request,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const base = baseURL ?? "";
  // ---- setup through the API: a case of today, assigned to thanhtra (not started: that is done offline).
  const officer = await Device.signIn(browser, request, base, "so.xaydung");
  const inspector = await Device.signIn(browser, request, base, "thanhtra");
  const title = `Kiểm tra hiện trường e2e ${Date.now()}`;
  const created = await officer.call("POST", "/inspection-cases", {
    kind: "construction_check",
    title,
    subject: "Khu nhà ở xã hội thử nghiệm (e2e)",
    province_code: "31",
    commune_code: "10525",
    due_on: new Date().toISOString().slice(0, 10),
  });
  const caseId = created.body.id as string;
  await officer.call(
    "POST",
    `/inspection-cases/${caseId}/assign`,
    { inspector_subject: inspector.subject },
    created.etag,
  );
  const templates = (await inspector.call("GET", "/checklist-templates?kind=construction_check")).body.items;
  const versions = (await inspector.call("GET", `/checklist-templates/${templates[0].id}/versions`)).body
    .items;
  const version = versions[versions.length - 1];
  const firstItem = version.items[0] as { key: string; text: string };

  // ---- before going out: sign in, the assigned cases and their checklists are pulled.
  await signIn(page, "thanhtra", "/field/");
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await expect(page.getByTestId("net-status")).toHaveText("Có mạng");
  const caseCard = page.getByTestId("case-item").filter({ hasText: title });
  await expect(caseCard).toBeVisible();
  await screenshot(page, "field-cases");

  // ---- offline: start the case on a checklist, record a checklist finding with two photos (camera
  // and file) and a free finding.
  await context.setOffline(true);
  await expect(page.getByTestId("net-status")).toHaveText(/Mất mạng/);
  await caseCard.click();
  await expect(page.getByTestId("case-title")).toHaveText(title);
  await expect(page.getByTestId("case-status")).toHaveAttribute("data-status", "assigned");
  await page.getByLabel("Danh mục kiểm tra sử dụng").selectOption(version.id);
  await page.getByTestId("start-case").click();
  await expect(page.getByTestId("case-status")).toHaveAttribute("data-status", "in_progress");
  await expect(page.getByTestId("waiting-count")).toHaveText("Chờ đồng bộ (1)");
  const item = page.locator(`[data-testid=checklist-item][data-item="${firstItem.key}"]`);
  await item.getByRole("button", { name: "Ghi nhận" }).click();
  await page.getByLabel("Không đạt").check();
  await page.getByLabel("Ghi chú").fill("Chưa có hạ tầng kỹ thuật trên quỹ đất 20%.");
  // Location refused: the photo is not taken without a position, and the inspector is told why.
  await context.clearPermissions();
  await page
    .getByTestId("photo-camera")
    .setInputFiles({ name: "a.png", mimeType: "image/png", buffer: bytes(PNG.red) });
  await expect(page.getByRole("alert")).toContainText("vị trí", { timeout: 20_000 });
  await expect(page.getByTestId("photo")).toHaveCount(0);
  await context.grantPermissions(["geolocation"]);
  await page
    .getByTestId("photo-camera")
    .setInputFiles({ name: "a.png", mimeType: "image/png", buffer: bytes(PNG.red) });
  await expect(page.getByTestId("photo")).toHaveCount(1);
  await page
    .getByTestId("photo-file")
    .setInputFiles({ name: "b.png", mimeType: "image/png", buffer: bytes(PNG.blue) });
  await expect(page.getByTestId("photo")).toHaveCount(2);
  await expect(page.getByTestId("photo").first()).toContainText("20.93850, 106.33030");
  await screenshot(page, "field-finding-offline");
  await page.getByTestId("save-finding").click();
  await expect(item.getByTestId("finding-state")).toHaveText("Chờ đồng bộ");
  await page.getByTestId("add-free").click();
  await page.getByLabel("Ghi nhận").check();
  await page.getByLabel("Ghi chú").fill("Biển báo công trình bị che khuất.");
  await page.getByTestId("save-finding").click();
  await expect(page.getByTestId("finding-row")).toHaveCount(2);
  await expect(page.getByTestId("waiting-count")).toHaveText("Chờ đồng bộ (3)");

  // ---- reload while offline: the app opens from its service worker, the work is still there.
  await page.reload();
  await expect(page.getByTestId("net-status")).toHaveText(/Mất mạng/);
  await expect(page.getByTestId("waiting-count")).toHaveText("Chờ đồng bộ (3)");
  await expect(page.getByTestId("case-title")).toHaveText(title);
  await expect(page.getByTestId("case-status")).toHaveAttribute("data-status", "in_progress");
  await expect(page.getByTestId("finding-row")).toHaveCount(2);
  await expect(page.getByTestId("photo-list")).toHaveCount(0);
  await openSync(page);
  await expect(page.getByTestId("waiting-list").getByTestId("outbox-entry")).toHaveCount(3);
  await expect(page.getByTestId("waiting-list").getByTestId("entry-action").first()).toHaveAttribute(
    "data-action",
    "case.start",
  );
  await expect(page.getByTestId("sync-now")).toBeDisabled();
  await screenshot(page, "field-waiting-offline");

  // ---- back online: the app signs back in, starts the case, uploads the photos (a case takes them
  // once in progress), then pushes the findings in order.
  await context.setOffline(false);
  await expect(page.getByTestId("sent-list").locator("[data-status=applied]")).toHaveCount(3, {
    timeout: 30_000,
  });
  await expect(page.getByTestId("waiting-count")).toHaveText("Chờ đồng bộ (0)");
  await screenshot(page, "field-synced");

  const started = (await inspector.call("GET", `/inspection-cases/${caseId}`)).body;
  expect(started).toMatchObject({ status: "in_progress", checklist_version_id: version.id });
  const after = await serverState(inspector, caseId);
  expect(after.findings).toHaveLength(2);
  const checked = after.findings.find((f) => f.checklist_item_key === firstItem.key);
  const free = after.findings.find((f) => f.checklist_item_key === null);
  expect(checked).toMatchObject({
    outcome: "non_compliant",
    note: "Chưa có hạ tầng kỹ thuật trên quỹ đất 20%.",
    version: 1,
  });
  expect(free).toMatchObject({
    outcome: "observation",
    note: "Biển báo công trình bị che khuất.",
    version: 1,
  });
  expect(after.photos.map((p) => p.sha256).sort()).toEqual(
    [sha256(bytes(PNG.red)), sha256(bytes(PNG.blue))].sort(),
  );
  for (const photo of after.photos) {
    expect(photo.finding_id).toBe(checked?.id);
    expect(photo.latitude).toBeCloseTo(POSITION.latitude, 5);
    expect(photo.longitude).toBeCloseTo(POSITION.longitude, 5);
    expect(Date.now() - Date.parse(photo.captured_at)).toBeLessThan(10 * 60_000);
  }

  // ---- syncing again changes nothing.
  await page.getByTestId("sync-now").click();
  await expect(page.getByTestId("last-sync")).toContainText(
    "0 ảnh, 0 áp dụng, 0 trùng, 0 xung đột, 0 bị từ chối",
  );
  expect(await serverState(inspector, caseId)).toEqual(after);

  // ---- a conflict: offline, the inspector edits the free finding; a second device edits it too.
  await context.setOffline(true);
  await page.goto(`/field/#/case/${caseId}`);
  await page.getByTestId("finding-row").filter({ hasText: "Biển báo" }).getByRole("button").click();
  await page.getByLabel("Ghi chú").fill("Biển báo đã được dựng lại (máy này).");
  await page.getByTestId("save-finding").click();
  await expect(page.getByTestId("waiting-count")).toHaveText("Chờ đồng bộ (1)");
  const office = await inspector.call(
    "PATCH",
    `/inspection-cases/${caseId}/findings/${free?.id}`,
    { note: "Đã đối chiếu ảnh với hồ sơ (máy khác)." },
    'W/"1"',
  );
  expect(office.body.version).toBe(2);
  await context.setOffline(false);
  await openSync(page);
  const conflict = page.getByTestId("attention-list").locator("[data-status=conflict]");
  await expect(conflict).toHaveCount(1, { timeout: 30_000 });
  await expect(conflict.getByTestId("conflict-mine")).toContainText("Biển báo đã được dựng lại (máy này).");
  await expect(conflict.getByTestId("conflict-server")).toContainText(
    "Đã đối chiếu ảnh với hồ sơ (máy khác).",
  );
  await expect(page.getByTestId("waiting-count")).toHaveText("Chờ đồng bộ (0)");
  await screenshot(page, "field-conflict");
  const final = await serverState(inspector, caseId);
  expect(final.findings.find((f) => f.id === free?.id)).toMatchObject({
    note: "Đã đối chiếu ảnh với hồ sơ (máy khác).",
    version: 2,
  });
  expect(final.findings).toHaveLength(2);
  expect(final.photos).toHaveLength(2);

  // ---- the inspector keeps the server's version, then concludes the case offline too.
  await conflict.getByRole("button", { name: "Giữ bản máy chủ" }).click();
  await expect(conflict).toContainText("Đã xử lý: keep_server");
  await context.setOffline(true);
  await page.goto(`/field/#/case/${caseId}`);
  await expect(page.getByTestId("net-status")).toHaveText(/Mất mạng/);
  await page.getByLabel("Kết luận", { exact: true }).fill("Chủ đầu tư chưa hoàn thành hạ tầng quỹ đất 20%.");
  await page.getByTestId("conclude").click();
  await expect(page.getByTestId("conclusion")).toHaveText("Chủ đầu tư chưa hoàn thành hạ tầng quỹ đất 20%.");
  await expect(page.getByTestId("case-status")).toHaveAttribute("data-status", "concluded");
  await expect(page.getByTestId("waiting-count")).toHaveText("Chờ đồng bộ (1)");
  expect((await inspector.call("GET", `/inspection-cases/${caseId}`)).body.status).toBe("in_progress");
  await screenshot(page, "field-concluded-offline");
  await context.setOffline(false);
  await expect(page.getByTestId("waiting-count")).toHaveText("Chờ đồng bộ (0)", { timeout: 30_000 });
  await expect(page.getByTestId("case-status")).toHaveAttribute("data-status", "concluded");
  const today = new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Ho_Chi_Minh" });
  const concluded = (await inspector.call("GET", `/inspection-cases/${caseId}`)).body;
  expect(concluded).toMatchObject({
    status: "concluded",
    conclusion: "Chủ đầu tư chưa hoàn thành hạ tầng quỹ đất 20%.",
    concluded_on: today,
  });
  expect((await serverState(inspector, caseId)).findings).toEqual(final.findings);

  // ---- English on demand.
  await page.getByRole("button", { name: "EN" }).click();
  await expect(page.getByTestId("waiting-count")).toHaveText("Waiting to sync (0)");
});
