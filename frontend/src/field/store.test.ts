import { describe, expect, it } from "vitest";
import { MemoryTables } from "./db/tables";
import type { OutboxEntry } from "./model";
import { FieldStore, type NewPhoto } from "./store";
import { testClock } from "./testing";

const CASE = "case-1";
const ME = "inspector-1";

function photo(text: string): NewPhoto {
  return {
    blob: new Blob([text], { type: "image/png" }),
    type: "image/png",
    sha256: text.padEnd(64, "0"),
    latitude: 20.94,
    longitude: 106.33,
    accuracy: 8,
    capturedAt: "2026-11-28T02:00:00.000Z",
  };
}

async function seeded() {
  const tables = new MemoryTables();
  const store = new FieldStore(tables, testClock());
  await store.claim(ME);
  await store.applyChanges(
    [
      {
        entity_type: "inspection_case",
        entity_id: CASE,
        op: "upsert",
        data: { id: CASE, status: "in_progress", assigned_inspector: ME, title: "A", due_on: null },
      },
      {
        entity_type: "inspection_finding",
        entity_id: "f-1",
        op: "upsert",
        data: {
          id: "f-1",
          case_id: CASE,
          checklist_item_key: "a",
          outcome: "observation",
          note: "old",
          version: 2,
        },
      },
    ],
    "c1",
  );
  return { tables, store };
}

describe("FieldStore", () => {
  it("applies a pull page and its cursor together, or neither", async () => {
    const { tables, store } = await seeded();
    expect(await store.meta("cursor")).toBe("c1");
    tables.failNextWrite = true;
    await expect(
      store.applyChanges(
        [{ entity_type: "inspection_finding", entity_id: "f-1", op: "delete", data: null }],
        "c2",
      ),
    ).rejects.toThrow();
    expect(await store.meta("cursor")).toBe("c1");
    expect(await tables.get("inspection_finding", "f-1")).toBeDefined();
  });

  it("lists only the open cases assigned to the inspector", async () => {
    const { store } = await seeded();
    await store.applyChanges(
      [
        {
          entity_type: "inspection_case",
          entity_id: "other",
          op: "upsert",
          data: { id: "other", status: "in_progress", assigned_inspector: "someone", title: "B" },
        },
      ],
      "c2",
    );
    expect((await store.myCases(ME)).map((c) => c.id)).toEqual([CASE]);
  });

  it("queues a new finding with its photos, and shows it waiting", async () => {
    const { store } = await seeded();
    const entry = await store.recordFinding(
      CASE,
      { checklistItemKey: "b", outcome: "non_compliant", note: "crack" },
      [photo("p1"), photo("p2")],
    );
    expect(entry).toMatchObject({ action: "finding.create", status: "pending", sentAt: null });
    expect(entry.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(entry.photoIds).toHaveLength(2);
    expect(await store.photos()).toHaveLength(2);
    const views = await store.findings(CASE);
    const local = views.find((v) => v.key === `local:${entry.clientId}`);
    expect(local).toMatchObject({ outcome: "non_compliant", note: "crack", state: "waiting" });
    expect(local?.photos).toHaveLength(2);
    expect(await store.waiting()).toHaveLength(1);
  });

  it("amends an unsent create in place, but queues an update once it was sent", async () => {
    const { store } = await seeded();
    const created = await store.recordFinding(
      CASE,
      { checklistItemKey: null, outcome: "observation", note: null },
      [],
    );
    let view = (await store.findings(CASE)).find((v) => v.createClientId === created.clientId);
    if (!view) throw new Error("missing");
    await store.editFinding(CASE, view, { outcome: "compliant", note: "fine" }, []);
    let entries = await store.outbox();
    expect(entries).toHaveLength(1);
    expect(entries[0]?.data).toEqual({ outcome: "compliant", note: "fine" });

    await store.saveEntry({ ...(entries[0] as OutboxEntry), sentAt: "2026-11-28T02:00:00Z" });
    view = (await store.findings(CASE)).find((v) => v.createClientId === created.clientId);
    if (!view) throw new Error("missing");
    await store.editFinding(CASE, view, { outcome: "non_compliant", note: "worse" }, []);
    entries = await store.outbox();
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({
      action: "finding.update",
      findingClientId: created.clientId,
      findingId: null,
      baseVersion: 1,
    });
  });

  it("makes an update of a server finding on the version it saw, shown on top of it", async () => {
    const { store } = await seeded();
    const view = (await store.findings(CASE)).find((v) => v.serverId === "f-1");
    if (!view) throw new Error("missing");
    const entry = await store.editFinding(CASE, view, { outcome: "non_compliant", note: "new" }, [
      photo("p3"),
    ]);
    expect(entry).toMatchObject({ action: "finding.update", findingId: "f-1", baseVersion: 2 });
    const shown = (await store.findings(CASE)).find((v) => v.serverId === "f-1");
    expect(shown).toMatchObject({ note: "new", outcome: "non_compliant", state: "waiting" });
    expect(shown?.photos).toHaveLength(1);
  });

  it("never drops another inspector's waiting work when someone else signs in", async () => {
    const { store } = await seeded();
    await store.recordFinding(CASE, { checklistItemKey: null, outcome: "observation", note: null }, []);
    expect(await store.claim("someone-else")).toBe("other_has_work");
    expect(await store.waiting()).toHaveLength(1);
    expect(await store.claim(ME)).toBe("ok");
  });

  it("gives each mutation a fresh id in order", async () => {
    const { store } = await seeded();
    const a = await store.recordFinding(
      CASE,
      { checklistItemKey: null, outcome: "observation", note: null },
      [],
    );
    const b = await store.recordFinding(
      CASE,
      { checklistItemKey: null, outcome: "observation", note: null },
      [],
    );
    expect(b.id).toBe(a.id + 1);
    expect(b.clientId).not.toBe(a.clientId);
  });
});
