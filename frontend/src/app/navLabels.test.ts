import { describe, expect, it } from "vitest";
import { en } from "@/i18n/en";
import { vi as viMessages } from "@/i18n/vi";
import { SCREENS } from "./screens";

/** The sidebar is 240 px wide; past ~22 characters a label is cut with "…" at 1366 px. */
const MAX = 22;

function lookup(tree: object, key: string): string {
  return key
    .split(".")
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree) as string;
}

describe("sidebar labels", () => {
  it.each([
    ["vi", viMessages],
    ["en", en],
  ])("fit the menu in %s", (_, messages) => {
    for (const screen of SCREENS) {
      const label = lookup(messages, screen.labelKey);
      expect(typeof label, screen.labelKey).toBe("string");
      expect(label.length, `${screen.labelKey}: ${label}`).toBeLessThanOrEqual(MAX);
    }
  });
});
