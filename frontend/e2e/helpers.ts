import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { expect, type Locator, type Page } from "@playwright/test";
import { FRONTEND } from "./stack";

export const PASSWORD = "noxh-demo";

/** Sign in through the issuer's own login page, as a person does; ends back on `path`. A tab opened
 * next to a signed-in one of the same browser gets the session from it (auth/tabs.ts). */
export async function signIn(page: Page, username: string, path = "/", password = PASSWORD): Promise<void> {
  await page.goto(path);
  const signedIn = page.getByTestId("current-user");
  const button = page.getByRole("button", { name: /Đăng nhập|Sign in/ });
  await expect(signedIn.or(button)).toBeVisible();
  if (await signedIn.isVisible()) return;
  await button.click();
  await page.waitForURL(/\/auth\/authorize/);
  await page.locator("#username").fill(username);
  await page.locator("#password").fill(password);
  await page.locator("button[type=submit]").click();
  await page.waitForURL((url) => !url.pathname.startsWith("/auth/") && url.pathname !== "/callback");
  await expect(page.getByTestId("current-user")).toBeVisible();
}

/** No table still loading, no toast still showing: what a person would look at. */
export async function settled(page: Page): Promise<void> {
  await expect(page.locator(".ant-spin-spinning")).toHaveCount(0);
  await expect(page.locator(".ant-message-notice")).toHaveCount(0);
}

/** The pictures the repository's README shows: with E2E_PUBLISH_SCREENSHOTS=1 the journey that takes
 * one also writes it to docs/screenshots/ (otherwise a test run leaves the committed files alone). */
export const PUBLISHED_SCREENSHOTS = ["dashboard", "application-trace", "commune-support-proposal-vi"];

export async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(FRONTEND, "test-results", "screenshots", `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  if (process.env.E2E_PUBLISH_SCREENSHOTS === "1" && PUBLISHED_SCREENSHOTS.includes(name)) {
    copyFileSync(path, join(FRONTEND, "..", "docs", "screenshots", `${name}.png`));
  }
}

export function menu(page: Page) {
  return page.getByRole("navigation");
}

/** The sidebar's sections fold (one open at a time) when a role has many screens: open the sections
 * one by one until the link shows. */
export async function menuLink(
  page: Page,
  name: string,
  options: { exact?: boolean } = {},
): Promise<Locator> {
  const nav = menu(page);
  const link = nav.getByRole("link", { name, ...options });
  await expect(nav.getByRole("link").first()).toBeVisible();
  if (await link.isVisible()) return link;
  const titles = nav.locator(".ant-menu-submenu-title");
  for (let i = 0; i < (await titles.count()); i += 1) {
    const title = titles.nth(i);
    if ((await title.getAttribute("aria-expanded")) === "true") continue;
    await title.click();
    await expect(title).toHaveAttribute("aria-expanded", "true");
    if (
      await link.waitFor({ state: "visible", timeout: 1_000 }).then(
        () => true,
        () => false,
      )
    )
      return link;
  }
  return link;
}

export async function clickMenu(page: Page, name: string, options: { exact?: boolean } = {}): Promise<void> {
  await (await menuLink(page, name, options)).click();
}

/** Every entry of the sidebar, each section opened in turn. */
export async function menuEntries(page: Page): Promise<string[]> {
  const nav = menu(page);
  await expect(nav.getByRole("link").first()).toBeVisible();
  const names = new Set((await nav.getByRole("link").allInnerTexts()).map((n) => n.trim()));
  const titles = nav.locator(".ant-menu-submenu-title");
  for (let i = 0; i < (await titles.count()); i += 1) {
    const title = titles.nth(i);
    if ((await title.getAttribute("aria-expanded")) !== "true") await title.click();
    await expect(title).toHaveAttribute("aria-expanded", "true");
    const entries = nav.locator(`[id="${await title.getAttribute("aria-controls")}"]`).getByRole("link");
    await expect(entries.first()).toBeVisible();
    for (const name of await entries.allInnerTexts()) names.add(name.trim());
  }
  return [...names];
}

/** Pick an option of an antd Select opened by its form label: the option whose title matches, or
 * the first one when `option` is null. `scope` narrows the label to a dialog when the page's filters
 * share it. The pick is checked (the select shows the option; a single select's list has closed) and
 * made again when a click was lost, up to three times. A multiple select's list stays open for the
 * caller to close. */
export async function choose(
  page: Page,
  label: string | RegExp,
  option: string | RegExp | null,
  scope: Page | Locator = page,
): Promise<void> {
  const select = scope.getByLabel(label, { exact: typeof label === "string" });
  const shown = select.locator(
    "xpath=ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' ant-select ')][1]",
  );
  const list = page.locator(".ant-select-dropdown:visible");
  const multiple = await shown.evaluate((element) => element.classList.contains("ant-select-multiple"));
  for (let attempt = 1; ; attempt++) {
    if (!multiple || (await list.count()) === 0) {
      await expect(list).toHaveCount(0);
      await select.click();
      await expect(list).toHaveCount(1);
    }
    const target =
      option === null
        ? list.locator(".ant-select-item-option").first()
        : list.getByTitle(option, { exact: true }).first();
    await expect(target).toBeVisible();
    const title = (await target.getAttribute("title")) ?? (await target.textContent()) ?? "";
    await target.click();
    try {
      if (!multiple) await expect(list).toHaveCount(0, { timeout: 2_000 });
      await expect(shown).toContainText(title.trim(), { timeout: 2_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      if (!multiple && (await list.count()) > 0) await select.press("Escape");
    }
  }
}
