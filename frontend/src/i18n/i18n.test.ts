import { describe, expect, it } from "vitest";
import { en } from "./en";
import { createI18n } from "./index";
import { vi as viMessages } from "./vi";

function keys(tree: object, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === "string" ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`),
  );
}

/** Every component's source (tests and the test harness aside), read by Vite at test time. */
const SOURCES = import.meta.glob<string>(["../**/*.tsx", "!../**/*.test.tsx", "!../test/**"], {
  query: "?raw",
  import: "default",
  eager: true,
});

/** Words between a JSX tag's `>` and the next `<` (not an arrow function's `=>`, not code). */
const JSX_TEXT = /(?<![=-])>\s*\p{L}[^<>{}=;()]*</gu;

describe("i18n", () => {
  it("has the same keys in Vietnamese and English, none empty", () => {
    expect(keys(en).sort()).toEqual(keys(viMessages).sort());
    for (const key of keys(viMessages)) expect(key).not.toMatch(/^\s*$/);
  });

  it("starts in Vietnamese and remembers a switch to English", async () => {
    const i18n = createI18n();
    expect(i18n.language).toBe("vi");
    expect(i18n.t("nav.fundingSources")).toBe("Nguồn vốn");
    await i18n.changeLanguage("en");
    expect(i18n.t("nav.fundingSources")).toBe("Funding sources");
    expect(document.documentElement.lang).toBe("en");
    expect(createI18n().language).toBe("en");
  });

  it("would notice a hard-coded word", () => {
    expect("<Button>Lưu</Button>".match(JSX_TEXT)).toEqual([">Lưu<"]);
    expect('onChange={(v) => x}>\n  {t("a")}</'.match(JSX_TEXT)).toBeNull();
  });

  it("has no hard-coded words in the components' markup (every text goes through t())", () => {
    const offenders: string[] = [];
    expect(Object.keys(SOURCES).length).toBeGreaterThan(20);
    for (const [file, text] of Object.entries(SOURCES)) {
      // Text between JSX tags, e.g. <Button>Lưu</Button>, or a literal label/title/placeholder prop.
      const literalText = text.match(JSX_TEXT) ?? [];
      const literalProps = text.match(/\b(title|label|aria-label|subTitle|alt)="[^"]*\p{L}[^"]*"/gu) ?? [];
      for (const hit of [...literalText, ...literalProps]) offenders.push(`${file}: ${hit.trim()}`);
    }
    expect(offenders).toEqual([]);
  });
});
