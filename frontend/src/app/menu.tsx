/** The sidebar's sections: the screens grouped by service and domain, so that at 1366x768 the menu
 * fits without scrolling (when the open menu would not, one section at a time, the others folded to
 * their titles). */
import {
  AuditOutlined,
  BankOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
} from "@ant-design/icons";
import type { ParseKeys } from "i18next";
import type { ReactNode } from "react";
import type { Screen } from "./screen";

export interface MenuSection {
  id: string;
  labelKey: ParseKeys;
  icon: ReactNode;
  /** Screen ids, in menu order. */
  screens: readonly string[];
}

export const MENU_SECTIONS: readonly MenuSection[] = [
  {
    id: "households",
    labelKey: "nav.groups.households",
    icon: <ProfileOutlined aria-hidden />,
    screens: ["households", "review-campaigns", "support-cases", "duplicates", "imports", "admin-units"],
  },
  {
    id: "housing",
    labelKey: "nav.groups.housing",
    icon: <SafetyCertificateOutlined aria-hidden />,
    screens: ["housing-projects", "applications", "allocation-rounds"],
  },
  {
    id: "funding",
    labelKey: "nav.groups.funding",
    icon: <BankOutlined aria-hidden />,
    screens: [
      "funding-sources",
      "funding-commitments",
      "allocations",
      "ledger",
      "loans",
      "loan-exceptions",
      "vbsp-entrustments",
      "housing-fund",
      "finance-reports",
    ],
  },
  {
    id: "inspection",
    labelKey: "nav.groups.inspection",
    icon: <AuditOutlined aria-hidden />,
    screens: [
      "land-use-plans",
      "profiteering-flags",
      "inspection-cases",
      "land-reserve-obligations",
      "commercial-projects",
      "sync-conflicts",
    ],
  },
  {
    id: "administration",
    labelKey: "nav.groups.administration",
    icon: <SettingOutlined aria-hidden />,
    screens: ["admin-accounts", "admin-partner-clients", "admin-audit"],
  },
];

/** Menu rows (36 px + 4 px margins) under the 64 px title that a 1366x768 screen shows without
 * scrolling: 14 take 624 px of the ~650 px a maximised browser leaves. */
export const MAX_ROWS = 14;

export interface MenuGroup {
  section: MenuSection;
  screens: Screen[];
}

/** The visible screens by section (sections without any left out); a screen no section names is
 * returned apart, so it is still offered (as a top-level entry) until it gets a section. */
export function groupScreens(screens: readonly Screen[]): { groups: MenuGroup[]; loose: Screen[] } {
  const byId = new Map(screens.map((s) => [s.id, s]));
  const placed = new Set<string>();
  const groups: MenuGroup[] = [];
  for (const section of MENU_SECTIONS) {
    const members = section.screens.flatMap((id) => {
      const screen = byId.get(id);
      if (!screen) return [];
      placed.add(id);
      return [screen];
    });
    if (members.length) groups.push({ section, screens: members });
  }
  return { groups, loose: screens.filter((s) => !placed.has(s.id)) };
}

export function sectionOf(screenId: string | undefined): string | undefined {
  return MENU_SECTIONS.find((section) => screenId && section.screens.includes(screenId))?.id;
}

/** Rows of the menu with every section open: Home, each section's title, every entry. */
export function unfoldedRows(screens: readonly Screen[]): number {
  const { groups, loose } = groupScreens(screens);
  return 1 + groups.length + loose.length + groups.reduce((n, g) => n + g.screens.length, 0);
}

/** True when the open menu would not fit: then one section is open at a time. */
export const shouldFold = (screens: readonly Screen[]): boolean => unfoldedRows(screens) > MAX_ROWS;
