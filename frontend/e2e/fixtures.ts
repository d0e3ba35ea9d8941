import { test as base, expect } from "@playwright/test";

/** Every test fails on an uncaught error in the page or a Content-Security-Policy violation (the
 * gateway's CSP is the production one). */
export const test = base.extend<{ pageProblems: string[] }>({
  pageProblems: [
    async ({ context }, use) => {
      const problems: string[] = [];
      const watch = (page: import("@playwright/test").Page) => {
        page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
        page.on("console", (message) => {
          if (/Content Security Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
        });
      };
      context.pages().forEach(watch);
      context.on("page", watch);
      await use(problems);
      expect(problems).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
