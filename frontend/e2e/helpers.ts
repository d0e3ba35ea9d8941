import { join } from "node:path";
import { expect, type Page } from "@playwright/test";
import { FRONTEND } from "./stack";

export const PASSWORD = "noxh-demo";

/** Sign in through the issuer's own login page, as a person does; ends back on `path`. A tab opened
 * next to a signed-in one of the same browser gets the session from it (auth/tabs.ts). */
export async function signIn(page: Page, username: string, path = "/"): Promise<void> {
  await page.goto(path);
  const signedIn = page.getByTestId("current-user");
  const button = page.getByRole("button", { name: /Đăng nhập|Sign in/ });
  await expect(signedIn.or(button)).toBeVisible();
  if (await signedIn.isVisible()) return;
  await button.click();
  await page.waitForURL(/\/auth\/authorize/);
  await page.locator("#username").fill(username);
  await page.locator("#password").fill(PASSWORD);
  await page.locator("button[type=submit]").click();
  await page.waitForURL((url) => !url.pathname.startsWith("/auth/") && url.pathname !== "/callback");
  await expect(page.getByTestId("current-user")).toBeVisible();
}

/** No table still loading, no toast still showing: what a person would look at. */
export async function settled(page: Page): Promise<void> {
  await expect(page.locator(".ant-spin-spinning")).toHaveCount(0);
  await expect(page.locator(".ant-message-notice")).toHaveCount(0);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({
    path: join(FRONTEND, "test-results", "screenshots", `${name}.png`),
    fullPage: false,
  });
}

export function menu(page: Page) {
  return page.getByRole("navigation");
}

/** Pick an option of an antd Select (opened by its form label). */
export async function choose(page: Page, label: string | RegExp, option: string | RegExp): Promise<void> {
  await page.getByLabel(label, { exact: typeof label === "string" }).click();
  await page.locator(".ant-select-dropdown:visible").getByTitle(option).first().click();
}
