/// <reference types="node" />
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

/** The browser journeys' sources (e2e/), read by Vite at test time. */
const SPECS = import.meta.glob<string>("../../e2e/*.ts", { query: "?raw", import: "default", eager: true });
// Vitest runs in frontend/; the README is the repository's.
const ROOT = resolve(process.cwd(), "..");

describe("the README's screenshots", () => {
  it("exist and are taken by a browser journey that publishes them", () => {
    const readme = readFileSync(resolve(ROOT, "README.md"), "utf8");
    const shown = [...readme.matchAll(/!\[[^\]]*\]\(docs\/screenshots\/([a-z0-9-]+)\.png\)/g)].map(
      (m) => m[1] ?? "",
    );
    expect(shown.length).toBeGreaterThanOrEqual(2);
    const helpers = Object.entries(SPECS).find(([file]) => file.endsWith("/helpers.ts"))?.[1] ?? "";
    const published = helpers.match(/PUBLISHED_SCREENSHOTS = \[([^\]]*)\]/)?.[1] ?? "";
    const taken = Object.values(SPECS).join("\n");
    for (const name of shown) {
      expect(existsSync(resolve(ROOT, "docs", "screenshots", `${name}.png`)), `${name}.png`).toBe(true);
      expect(published, `${name} is published by e2e/helpers.ts`).toContain(`"${name}"`);
      expect(taken, `a journey takes ${name}`).toMatch(new RegExp(`screenshot\\(\\w+, "${name}"\\)`));
    }
  });
});
