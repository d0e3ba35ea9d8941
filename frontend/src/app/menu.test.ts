import { describe, expect, it } from "vitest";
import type { User } from "@/auth/claims";
import { en } from "@/i18n/en";
import { vi as viMessages } from "@/i18n/vi";
import { groupScreens, MAX_ROWS, MENU_SECTIONS, shouldFold, unfoldedRows } from "./menu";
import { canRead } from "./screen";
import { SCREENS } from "./screens";

const ROLES = [
  "province_officer",
  "commune_officer",
  "finance_officer",
  "inspector",
  "auditor",
  "administrator",
];

const person = (role: string): User => ({
  subject: role,
  name: role,
  username: role,
  roles: [role],
  areaCodes: ["31"],
  expiresAt: 4_102_444_800,
});

function lookup(tree: object, key: string): string {
  return key
    .split(".")
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree) as string;
}

describe("the sidebar's sections", () => {
  it("hold every screen exactly once, and only screens that exist", () => {
    const listed = MENU_SECTIONS.flatMap((s) => s.screens);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(SCREENS.map((s) => s.id).sort());
    expect(groupScreens(SCREENS).loose).toEqual([]);
  });

  it.each(ROLES)("fit a 1366x768 screen for a %s, one section open", (role) => {
    const visible = SCREENS.filter((s) => canRead(s, person(role), new Set()));
    const { groups } = groupScreens(visible);
    const rows = shouldFold(visible)
      ? 1 + groups.length + Math.max(...groups.map((g) => g.screens.length))
      : unfoldedRows(visible);
    expect(rows).toBeLessThanOrEqual(MAX_ROWS);
  });

  it("keep the administration section for administrators", () => {
    for (const role of ROLES) {
      const visible = SCREENS.filter((s) => canRead(s, person(role), new Set()));
      const sections = groupScreens(visible).groups.map((g) => g.section.id);
      expect(sections.includes("administration"), role).toBe(role === "administrator");
    }
  });

  it.each([
    ["vi", viMessages],
    ["en", en],
  ])("have short titles in %s", (_, messages) => {
    for (const section of MENU_SECTIONS) {
      const label = lookup(messages, section.labelKey);
      expect(typeof label).toBe("string");
      expect(label.length, label).toBeLessThanOrEqual(22);
    }
  });
});
