import { describe, expect, it } from "vitest";
import { MemoryTables } from "./db/tables";
import { FieldStore } from "./store";
import { SyncEngine, toMutation } from "./sync";
import { FakeServer, testClock } from "./testing";

const CASE = "case-1";
const ME = "inspector-1";

async function setup() {
  const server = new FakeServer();
  server.addCase(CASE, ME);
  const store = new FieldStore(new MemoryTables(), testClock());
  await store.claim(ME);
  const engine = new SyncEngine(store, server);
  await engine.sync();
  return { server, store, engine };
}

const photo = (name: string) => ({
  blob: new Blob([name], { type: "image/png" }),
  type: "image/png",
  sha256: name.padEnd(64, "a"),
  latitude: 20.9,
  longitude: 106.3,
  accuracy: null,
  capturedAt: "2026-11-28T02:00:00.000Z",
});

describe("SyncEngine", () => {
  it("pulls the assigned cases page by page", async () => {
    const { store } = await setup();
    expect((await store.myCases(ME)).map((c) => c.id)).toEqual([CASE]);
  });

  it("uploads photos first, then the mutations in order, and keeps each answer", async () => {
    const { server, store, engine } = await setup();
    const a = await store.recordFinding(CASE, { checklistItemKey: null, outcome: "observation", note: "a" }, [
      photo("p1"),
    ]);
    const view = (await store.findings(CASE)).find((v) => v.createClientId === a.clientId);
    if (!view) throw new Error("missing");
    const report = await engine.sync();
    expect(report.error).toBeNull();
    expect(report.photos).toBe(1);
    expect(report.results.applied).toBe(1);
    const [entry] = await store.outbox();
    expect(entry).toMatchObject({ status: "applied" });
    const [finding] = [...server.findings.values()];
    expect(finding).toMatchObject({ note: "a", version: 1 });
    expect([...server.photos.values()][0]?.finding_id).toBe(finding?.id);
    // The server's finding came back with the pull: it shows as synced, once.
    const views = await store.findings(CASE);
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ serverId: finding?.id, state: "synced" });

    // Syncing again sends nothing and changes nothing.
    const pushes = server.pushes;
    const again = await engine.sync();
    expect(server.pushes).toBe(pushes);
    expect(again.results).toEqual({ applied: 0, duplicate: 0, conflict: 0, rejected: 0 });
    expect(server.findings.size).toBe(1);
  });

  it("resumes a sync cut off halfway: what the server had comes back duplicate, nothing twice", async () => {
    const { server, store, engine } = await setup();
    for (const note of ["one", "two", "three"]) {
      await store.recordFinding(CASE, { checklistItemKey: null, outcome: "observation", note }, []);
    }
    server.cutAfter = 2;
    const cut = await engine.sync();
    expect(cut.error).toBe("connection reset");
    expect(cut.errorReason).toBe("offline");
    expect((await store.outbox()).every((e) => e.status === "pending")).toBe(true);
    expect(server.findings.size).toBe(2);

    const resumed = await engine.sync();
    expect(resumed.results).toMatchObject({ duplicate: 2, applied: 1 });
    expect(server.findings.size).toBe(3);
    expect([...server.findings.values()].map((f) => f.note).sort()).toEqual(["one", "three", "two"]);
  });

  it("sends nothing offline and keeps everything waiting", async () => {
    const { server, store, engine } = await setup();
    await store.recordFinding(CASE, { checklistItemKey: null, outcome: "observation", note: "x" }, [
      photo("p9"),
    ]);
    server.offline = true;
    const report = await engine.sync();
    expect(report.errorReason).toBe("offline");
    expect(await store.waiting()).toHaveLength(1);
    expect((await store.photos())[0]?.status).toBe("pending");
  });

  it("keeps a conflict with both versions and never overwrites the server", async () => {
    const { server, store, engine } = await setup();
    await store.recordFinding(CASE, { checklistItemKey: null, outcome: "observation", note: "mine v1" }, []);
    await engine.sync();
    const [finding] = [...server.findings.values()];
    if (!finding) throw new Error("missing");
    const view = (await store.findings(CASE)).find((v) => v.serverId === finding.id);
    if (!view) throw new Error("missing");
    await store.editFinding(CASE, view, { outcome: "non_compliant", note: "mine v2" }, []);
    server.edit(finding.id, "other device");

    const report = await engine.sync();
    expect(report.results.conflict).toBe(1);
    const conflicted = (await store.outbox()).find((e) => e.status === "conflict");
    expect(conflicted?.conflict).toMatchObject({
      baseVersion: 1,
      serverVersion: 2,
      client: { note: "mine v2", outcome: "non_compliant" },
      server: { note: "other device" },
    });
    expect(server.findings.get(finding.id)?.note).toBe("other device");
    expect((await store.findings(CASE)).find((v) => v.serverId === finding.id)).toMatchObject({
      state: "conflict",
      note: "other device",
    });

    if (!conflicted) throw new Error("missing");
    await engine.resolve(conflicted, "keep_server");
    const resolved = (await store.outbox()).find((e) => e.id === conflicted.id);
    expect(resolved?.conflict).toMatchObject({ status: "resolved", resolution: "keep_server" });
  });

  it("says why a refused photo holds its item back, keeps it, and sends it again on request", async () => {
    const { server, store, engine } = await setup();
    const entry = await store.recordFinding(
      CASE,
      { checklistItemKey: null, outcome: "observation", note: null },
      [photo("bad")],
    );
    server.rejectUploads = true;
    const report = await engine.sync();
    expect(report.results.rejected).toBe(1);
    const rejected = (await store.outbox())[0];
    expect(rejected).toMatchObject({ status: "rejected", result: { code: "photo_not_an_image" } });
    expect(server.pushes).toBe(0);

    server.rejectUploads = false;
    await store.retry(entry.id);
    const again = await engine.sync();
    expect(again.results.applied).toBe(1);
  });

  it("runs one sync at a time", async () => {
    const { engine } = await setup();
    const a = engine.sync();
    const b = engine.sync();
    expect(a).toBe(b);
    await a;
  });

  it("starts, records and concludes a case offline, then sends it all in the order made", async () => {
    const { server, store, engine } = await setup();
    server.addCase("case-2", ME, "assigned");
    await engine.sync();
    expect((await store.caseView("case-2"))?.status).toBe("assigned");

    server.offline = true;
    const start = await store.startCase("case-2", null);
    expect(start).toMatchObject({ action: "case.start", baseVersion: 3, status: "pending" });
    expect((await store.caseView("case-2"))?.status).toBe("in_progress");
    await store.recordFinding("case-2", { checklistItemKey: null, outcome: "non_compliant", note: "x" }, [
      photo("p2"),
    ]);
    const conclude = await store.concludeCase("case-2", "Vi phạm quỹ đất 20%.", "2026-11-28");
    // Made on what the start (still on the device) leaves the case at.
    expect(conclude).toMatchObject({ baseVersion: null, baseClientId: start.clientId });
    expect(await store.caseView("case-2")).toMatchObject({
      status: "concluded",
      conclusion: "Vi phạm quỹ đất 20%.",
    });
    const offline = await engine.sync();
    expect(offline.errorReason).toBe("offline");
    expect(await store.waiting()).toHaveLength(3);

    server.offline = false;
    const report = await engine.sync();
    expect(report.error).toBeNull();
    expect(report.results.applied).toBe(3);
    expect(report.photos).toBe(1);
    expect(server.cases.get("case-2")).toMatchObject({
      status: "concluded",
      conclusion: "Vi phạm quỹ đất 20%.",
      concluded_on: "2026-11-28",
      version: 5,
    });
    const [finding] = [...server.findings.values()];
    expect(finding).toMatchObject({ case_id: "case-2", note: "x" });
    expect([...server.photos.values()][0]?.finding_id).toBe(finding?.id);
    expect((await store.caseById("case-2"))?.status).toBe("concluded");
    expect((await store.caseView("case-2"))?.status).toBe("concluded");

    const pushes = server.pushes;
    await engine.sync();
    expect(server.pushes).toBe(pushes);
  });

  it("concludes on the case version held once the start is back from the server", async () => {
    const { server, store, engine } = await setup();
    server.addCase("case-2", ME, "assigned");
    await engine.sync();
    await store.startCase("case-2", null);
    await engine.sync();
    await store.clearSent();
    const entry = await store.concludeCase("case-2", "Đạt.", "2026-11-28");
    expect(entry).toMatchObject({ baseVersion: 4, baseClientId: null });
    expect(toMutation(entry, new Map())).toMatchObject({
      action: "case.conclude",
      base_version: 4,
      data: { conclusion: "Đạt.", concluded_on: "2026-11-28" },
    });
    expect((await engine.sync()).results.applied).toBe(1);
    expect(server.cases.get("case-2")?.status).toBe("concluded");
  });

  it("keeps a case step made on a stale version as a conflict; the case stays as the server has it", async () => {
    const { server, store, engine } = await setup();
    server.addCase("case-2", ME, "assigned");
    await engine.sync();
    await store.startCase("case-2", null);
    server.touchCase("case-2", { due_on: "2026-12-31" });
    const report = await engine.sync();
    expect(report.results.conflict).toBe(1);
    const [entry] = (await store.outbox()).filter((e) => e.action === "case.start");
    expect(entry?.conflict).toMatchObject({
      baseVersion: 3,
      serverVersion: 4,
      client: { action: "case.start" },
      server: { status: "assigned" },
    });
    expect(server.cases.get("case-2")?.status).toBe("assigned");
    // A step in conflict does not count on the device: the case shows as not started.
    expect((await store.caseView("case-2"))?.status).toBe("assigned");
  });

  it("does not conclude over refused findings; findings still waiting go first", async () => {
    const { server, store, engine } = await setup();
    await store.recordFinding(CASE, { checklistItemKey: null, outcome: "observation", note: "x" }, [
      photo("bad"),
    ]);
    server.rejectUploads = true;
    await engine.sync();
    expect(await store.unsettled(CASE)).toBe(1);
    await expect(store.concludeCase(CASE, "Đạt.", "2026-11-28")).rejects.toThrow("unsettled");

    server.rejectUploads = false;
    const [rejected] = await store.outbox();
    if (!rejected) throw new Error("missing");
    await store.retry(rejected.id);
    expect(await store.unsettled(CASE)).toBe(0);
    await store.concludeCase(CASE, "Đạt.", "2026-11-28");
    const report = await engine.sync();
    expect(report.results.applied).toBe(2);
    expect(server.cases.get(CASE)).toMatchObject({ status: "concluded", version: 4 });
    expect(server.findings.size).toBe(1);
  });
});
