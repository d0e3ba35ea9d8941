/** The inspectors' field app: assigned cases, their checklists and findings with photos, all
 * recorded on the device first, and the list of what waits to sync with each item's answer. */
import { useState, useSyncExternalStore } from "react";
import { go, useHashRoute, useLive, useOnline, useServices } from "./hooks";
import { type FieldLanguage, useT } from "./i18n";
import { type ChecklistItem, OUTCOMES, type OutboxEntry, type Outcome } from "./model";
import { captureTime, currentPosition, sha256Hex, shrink } from "./photo";
import type { CaseView as CaseState, FindingView, NewPhoto } from "./store";

function fmtTime(iso: string, language: FieldLanguage): string {
  return new Date(iso).toLocaleString(language === "en" ? "en-GB" : "vi-VN", {
    timeZone: "Asia/Ho_Chi_Minh",
    dateStyle: "short",
    timeStyle: "short",
  });
}

function useSession() {
  const { session } = useServices();
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}

function useSync() {
  const { engine } = useServices();
  return useSyncExternalStore(engine.subscribe, engine.getSnapshot);
}

export function FieldApp({ ownerError }: { ownerError: string | null }) {
  const { t, language, setLanguage } = useT();
  const online = useOnline();
  const session = useSession();
  const { store, session: auth } = useServices();
  const route = useHashRoute();
  const waiting = useLive(() => store.waiting(), []);
  const isInspector = session.user ? session.user.roles.includes("inspector") : true;

  let body: React.ReactNode;
  if (route[0] === "case" && route[1] && route[2] === "finding" && route[3]) {
    body = <FindingForm caseId={route[1]} findingKey={route[3]} itemKey={route[4] ?? null} />;
  } else if (route[0] === "case" && route[1]) {
    body = <CaseView caseId={route[1]} />;
  } else if (route[0] === "sync") {
    body = <SyncView />;
  } else {
    body = <CaseList />;
  }

  return (
    <div className="field">
      <header className="field-header">
        <div className="field-header-row">
          <button type="button" className="field-title" onClick={() => go()}>
            {t("app.title")}
          </button>
          <fieldset className="field-lang" aria-label={t("lang.label")}>
            {(["vi", "en"] as const).map((l) => (
              <button
                key={l}
                type="button"
                className={language === l ? "on" : ""}
                aria-pressed={language === l}
                onClick={() => setLanguage(l)}
              >
                {l.toUpperCase()}
              </button>
            ))}
          </fieldset>
        </div>
        <div className="field-header-row">
          <span data-testid="net-status" className={`field-net ${online ? "online" : "offline"}`}>
            {online ? t("net.online") : t("net.offline")}
          </span>
          <button
            type="button"
            className="field-waiting"
            data-testid="waiting-count"
            onClick={() => go("sync")}
          >
            {t("sync.waiting", { count: waiting?.length ?? 0 })}
          </button>
        </div>
        <div className="field-header-row field-user">
          {session.status === "authenticated" && session.user ? (
            <>
              <span data-testid="current-user">{session.user.name}</span>
              <button type="button" className="field-link" onClick={() => void auth.logout()}>
                {t("auth.signOut")}
              </button>
            </>
          ) : session.status === "loading" ? null : (
            <>
              <span>
                {!online && auth.hasRefreshToken()
                  ? t("auth.resumeOnline")
                  : session.status === "expired"
                    ? t("auth.expired")
                    : t("auth.needed")}
              </span>
              <button
                type="button"
                className="field-button primary"
                disabled={!online}
                onClick={() => void auth.login("/field/")}
              >
                {t("auth.signIn")}
              </button>
            </>
          )}
        </div>
        {!isInspector && <p className="field-alert">{t("auth.notInspector")}</p>}
        {ownerError && <p className="field-alert">{t("auth.otherHasWork")}</p>}
      </header>
      <main className="field-main">{body}</main>
    </div>
  );
}

function CaseList() {
  const { t, language } = useT();
  const { store, engine } = useServices();
  const online = useOnline();
  const session = useSession();
  const sync = useSync();
  const today = new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Ho_Chi_Minh" });
  const data = useLive(async () => {
    const subject = (await store.meta<string>("subject")) ?? "";
    return { cases: await store.myCases(subject), pulledAt: await store.meta<string>("pulledAt") };
  }, []);
  return (
    <section>
      <h1>{t("cases.title")}</h1>
      <p className="field-muted">
        {data?.pulledAt
          ? t("cases.pulledAt", { at: fmtTime(data.pulledAt, language) })
          : t("cases.neverPulled")}
      </p>
      <button
        type="button"
        className="field-button"
        data-testid="pull"
        disabled={!online || session.status !== "authenticated" || sync.running}
        onClick={() => void engine.sync({ push: false })}
      >
        {sync.running ? t("sync.running") : t("cases.pull")}
      </button>
      {data && data.cases.length === 0 && <p>{t("cases.none")}</p>}
      <ul className="field-list">
        {data?.cases.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className="field-card"
              data-testid="case-item"
              onClick={() => go("case", c.id)}
            >
              <strong>{c.title}</strong>
              <span>{c.subject}</span>
              <span className="field-muted">
                {t(`status.${c.status}` as "status.assigned")}
                {c.due_on ? ` · ${t("cases.due", { date: c.due_on })}` : ""}
                {c.due_on && c.due_on <= today ? (
                  <span className="field-badge waiting">
                    {" "}
                    {c.due_on === today ? t("cases.today") : t("cases.overdue")}
                  </span>
                ) : null}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function StateBadge({ state }: { state: FindingView["state"] }) {
  const { t } = useT();
  return (
    <span className={`field-badge ${state}`} data-testid="finding-state">
      {t(`state.${state}`)}
    </span>
  );
}

function FindingRow({ caseId, view, editable }: { caseId: string; view: FindingView; editable: boolean }) {
  const { t } = useT();
  return (
    <li className="field-finding" data-testid="finding-row" data-key={view.key}>
      <button
        type="button"
        className="field-card"
        disabled={!editable}
        onClick={() => go("case", caseId, "finding", view.key)}
      >
        <span>
          <strong>{t(`outcome.${view.outcome}`)}</strong> <StateBadge state={view.state} />
        </span>
        {view.note && <span data-testid="finding-note">{view.note}</span>}
        <span className="field-muted">
          {t("finding.photos")}: {view.photos.length}
        </span>
      </button>
    </li>
  );
}

function CaseView({ caseId }: { caseId: string }) {
  const { t } = useT();
  const { store } = useServices();
  const data = useLive(async () => {
    const view = await store.caseView(caseId);
    if (!view) return null;
    return {
      view,
      items: await store.checklist(view.row, view.checklistVersionId),
      findings: await store.findings(caseId),
    };
  }, [caseId]);
  if (data === undefined) return null;
  if (data === null) return <p>404</p>;
  const { view, items, findings } = data;
  const row = view.row;
  const status = view.status;
  const editable = status === "in_progress";
  const keys = new Set(items.map((i) => i.key));
  const free = findings.filter((f) => !f.checklistItemKey || !keys.has(f.checklistItemKey));
  return (
    <section>
      <button type="button" className="field-link" onClick={() => go()}>
        ← {t("nav.back")}
      </button>
      <h1 data-testid="case-title">{row.title}</h1>
      <p>{row.subject}</p>
      <p className="field-muted" data-testid="case-status" data-status={status}>
        {t(`status.${status}` as "status.assigned")}
      </p>
      {status === "assigned" && <StartForm view={view} />}
      {view.start && status !== "assigned" && <p className="field-muted">{t("case.startWaiting")}</p>}
      {!editable && status !== "assigned" && <p className="field-alert">{t("case.readOnly")}</p>}
      <h2>{t("case.checklist")}</h2>
      {items.length === 0 && <p className="field-muted">{t("case.noChecklist")}</p>}
      <ol className="field-list">
        {items.map((item: ChecklistItem) => (
          <li key={item.key} className="field-item" data-testid="checklist-item" data-item={item.key}>
            <p>{item.text}</p>
            {item.legal_basis && <p className="field-muted">{item.legal_basis}</p>}
            <ul className="field-list">
              {findings
                .filter((f) => f.checklistItemKey === item.key)
                .map((f) => (
                  <FindingRow key={f.key} caseId={caseId} view={f} editable={editable} />
                ))}
            </ul>
            {editable && (
              <button
                type="button"
                className="field-button"
                onClick={() => go("case", caseId, "finding", "new", item.key)}
              >
                {t("case.record")}
              </button>
            )}
          </li>
        ))}
      </ol>
      <h2>{t("case.free")}</h2>
      <ul className="field-list">
        {free.map((f) => (
          <FindingRow key={f.key} caseId={caseId} view={f} editable={editable} />
        ))}
      </ul>
      {editable && (
        <button
          type="button"
          className="field-button"
          data-testid="add-free"
          onClick={() => go("case", caseId, "finding", "new")}
        >
          {t("case.addFree")}
        </button>
      )}
      <h2>{t("case.conclusion")}</h2>
      {view.conclusion ? (
        <>
          <p data-testid="conclusion">{view.conclusion}</p>
          {view.concludedOn && (
            <p className="field-muted">
              {t("case.concludedOn")}: {view.concludedOn}
            </p>
          )}
          {view.conclude && <p className="field-muted">{t("case.concludeQueued")}</p>}
        </>
      ) : editable ? (
        <ConcludeForm caseId={row.id} />
      ) : (
        <p>{t("case.noConclusion")}</p>
      )}
    </section>
  );
}

/** Start the case on this device (offline too), on a checklist version of its kind. */
function StartForm({ view }: { view: CaseState }) {
  const { t } = useT();
  const { store } = useServices();
  const versions = useLive(() => store.checklistVersions(view.row.kind), [view.row.kind]);
  const [choice, setChoice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fixed = view.row.checklist_version_id;
  const chosen = fixed ?? choice ?? versions?.[0]?.id ?? "";
  const submit = async () => {
    setError(null);
    try {
      await store.startCase(view.row.id, fixed ? null : chosen || null);
    } catch (exc) {
      setError(exc instanceof Error ? exc.message : String(exc));
    }
  };
  return (
    <div>
      <p className="field-alert">{t("case.notStarted")}</p>
      {!fixed && (
        <>
          <label className="field-label" htmlFor="start-checklist">
            {t("case.startChecklist")}
          </label>
          <select
            id="start-checklist"
            className="field-textarea"
            value={chosen}
            onChange={(e) => setChoice(e.target.value)}
          >
            {(versions ?? []).map((v) => (
              <option key={v.id} value={v.id}>
                {v.title} · v{v.number}
              </option>
            ))}
            <option value="">{t("case.noChecklistChoice")}</option>
          </select>
        </>
      )}
      {error && (
        <p className="field-alert" role="alert">
          {error}
        </p>
      )}
      <button
        type="button"
        className="field-button primary"
        data-testid="start-case"
        onClick={() => void submit()}
      >
        {t("case.start")}
      </button>
    </div>
  );
}

/** Conclude on this device (offline too): queued after the case's findings. Findings refused or in
 * conflict must be settled first, since a concluded case takes no more findings. */
function ConcludeForm({ caseId }: { caseId: string }) {
  const { t } = useT();
  const { store } = useServices();
  const sync = useSync();
  const unsettled = useLive(() => store.unsettled(caseId), [caseId]);
  const [text, setText] = useState("");
  const [day, setDay] = useState(() =>
    new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Ho_Chi_Minh" }),
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setError(null);
    setBusy(true);
    try {
      await store.concludeCase(caseId, text.trim(), day);
    } catch (exc) {
      const message = exc instanceof Error ? exc.message : String(exc);
      setError(message === "unsettled" ? t("case.concludeWaiting") : message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <label className="field-label" htmlFor="conclusion">
        {t("case.conclusion")}
      </label>
      <textarea
        id="conclusion"
        className="field-textarea"
        rows={4}
        maxLength={20000}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <label className="field-label" htmlFor="concluded-on">
        {t("case.concludedOn")}
      </label>
      <input
        id="concluded-on"
        className="field-textarea"
        type="date"
        value={day}
        onChange={(e) => setDay(e.target.value)}
      />
      <p className="field-muted">{t("case.conclusionNote")}</p>
      {(unsettled ?? 0) > 0 && <p className="field-alert">{t("case.concludeWaiting")}</p>}
      {error && (
        <p className="field-alert" role="alert">
          {error}
        </p>
      )}
      <button
        type="button"
        className="field-button primary"
        data-testid="conclude"
        disabled={sync.running || busy || !text.trim() || !day || (unsettled ?? 1) > 0}
        onClick={() => void submit()}
      >
        {t("case.conclude")}
      </button>
    </div>
  );
}

interface Draft {
  photo: NewPhoto;
  url: string;
}

function FindingForm({
  caseId,
  findingKey,
  itemKey,
}: {
  caseId: string;
  findingKey: string;
  itemKey: string | null;
}) {
  const { t, language } = useT();
  const { store } = useServices();
  const sync = useSync();
  const checklist = useLive(async () => {
    const view = await store.caseView(caseId);
    return view ? await store.checklist(view.row, view.checklistVersionId) : [];
  }, [caseId]);
  const existing = useLive(
    async () =>
      findingKey === "new"
        ? null
        : ((await store.findings(caseId)).find((f) => f.key === findingKey) ?? null),
    [caseId, findingKey],
  );
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [drafts, setDrafts] = useState<Draft[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [locating, setLocating] = useState(false);
  if (existing === undefined) return null;
  const shownOutcome = outcome ?? existing?.outcome ?? null;
  const shownNote = note ?? existing?.note ?? "";
  const key = existing?.checklistItemKey ?? itemKey;
  const itemText = checklist?.find((i) => i.key === key)?.text;

  const addFiles = async (files: File[]) => {
    if (files.length === 0) return;
    setMessage(null);
    setLocating(true);
    const position = await currentPosition().finally(() => setLocating(false));
    if (!position.ok) {
      setMessage(
        position.reason === "denied"
          ? t("finding.denied")
          : `${t("finding.noPosition")} ${t("finding.unavailable")}`,
      );
      return;
    }
    const added: Draft[] = [];
    for (const file of files) {
      const blob = await shrink(file);
      const photo: NewPhoto = {
        blob,
        type: blob.type || file.type || "image/jpeg",
        sha256: await sha256Hex(blob),
        latitude: position.latitude,
        longitude: position.longitude,
        accuracy: position.accuracy,
        capturedAt: captureTime(file),
      };
      added.push({ photo, url: URL.createObjectURL(blob) });
    }
    setDrafts((d) => [...d, ...added]);
  };

  const save = async () => {
    if (!shownOutcome) {
      setMessage(t("finding.chooseOutcome"));
      return;
    }
    const photos = drafts.map((d) => d.photo);
    const cleanNote = shownNote.trim() ? shownNote.trim() : null;
    if (existing) {
      await store.editFinding(caseId, existing, { outcome: shownOutcome, note: cleanNote }, photos);
    } else {
      await store.recordFinding(
        caseId,
        { checklistItemKey: key, outcome: shownOutcome, note: cleanNote },
        photos,
      );
    }
    for (const d of drafts) URL.revokeObjectURL(d.url);
    go("case", caseId);
  };

  return (
    <section>
      <button type="button" className="field-link" onClick={() => go("case", caseId)}>
        ← {t("nav.back")}
      </button>
      <h1>{t("finding.title")}</h1>
      {key && <p data-testid="finding-item">{itemText ?? key}</p>}
      <fieldset className="field-outcomes">
        <legend>{t("finding.outcome")}</legend>
        {OUTCOMES.map((o) => (
          <label key={o} className={shownOutcome === o ? "on" : ""}>
            <input
              type="radio"
              name="outcome"
              value={o}
              checked={shownOutcome === o}
              onChange={() => setOutcome(o)}
            />
            {t(`outcome.${o}`)}
          </label>
        ))}
      </fieldset>
      <label className="field-label" htmlFor="finding-note">
        {t("finding.note")}
      </label>
      <textarea
        id="finding-note"
        className="field-textarea"
        rows={4}
        maxLength={20000}
        value={shownNote}
        onChange={(e) => setNote(e.target.value)}
      />
      <h2>{t("finding.photos")}</h2>
      <div className="field-photo-buttons">
        <label className="field-button">
          {t("finding.camera")}
          <input
            type="file"
            accept="image/jpeg,image/png,image/webp"
            capture="environment"
            data-testid="photo-camera"
            hidden
            onChange={(e) => {
              // Copied first: clearing the input (to take the same photo again) empties its list.
              const files = Array.from(e.target.files ?? []);
              e.target.value = "";
              void addFiles(files).catch((exc: unknown) => setMessage(String(exc)));
            }}
          />
        </label>
        <label className="field-button">
          {t("finding.file")}
          <input
            type="file"
            accept="image/jpeg,image/png,image/webp"
            multiple
            data-testid="photo-file"
            hidden
            onChange={(e) => {
              // Copied first: clearing the input (to take the same photo again) empties its list.
              const files = Array.from(e.target.files ?? []);
              e.target.value = "";
              void addFiles(files).catch((exc: unknown) => setMessage(String(exc)));
            }}
          />
        </label>
      </div>
      {locating && <p className="field-muted">{t("finding.locating")}</p>}
      <ul className="field-photos" data-testid="photo-list">
        {existing?.photos.map((p) => (
          <li key={p.sha256} data-testid="photo">
            {t("finding.photoAt", {
              time: fmtTime(p.capturedAt, language),
              lat: p.latitude.toFixed(5),
              lon: p.longitude.toFixed(5),
            })}
            {p.local && p.local.status !== "uploaded" ? ` · ${t("finding.localPhoto")}` : ""}
          </li>
        ))}
        {drafts.map((d) => (
          <li key={d.url} data-testid="photo">
            <img src={d.url} alt="" />
            {t("finding.photoAt", {
              time: fmtTime(d.photo.capturedAt, language),
              lat: d.photo.latitude.toFixed(5),
              lon: d.photo.longitude.toFixed(5),
            })}
          </li>
        ))}
      </ul>
      {message && (
        <p className="field-alert" role="alert">
          {message}
        </p>
      )}
      {sync.running && <p className="field-muted">{t("finding.busy")}</p>}
      <button
        type="button"
        className="field-button primary"
        data-testid="save-finding"
        disabled={sync.running || locating}
        onClick={() => void save()}
      >
        {t("finding.save")}
      </button>
    </section>
  );
}

function Values({ values }: { values: Record<string, unknown> }) {
  const { t } = useT();
  const outcome = values.outcome as Outcome | undefined;
  return (
    <dl className="field-values">
      {"outcome" in values && (
        <div>
          <dt>{t("finding.outcome")}</dt>
          <dd>{outcome && OUTCOMES.includes(outcome) ? t(`outcome.${outcome}`) : String(outcome ?? "—")}</dd>
        </div>
      )}
      {"note" in values && (
        <div>
          <dt>{t("finding.note")}</dt>
          <dd>{String(values.note ?? "—")}</dd>
        </div>
      )}
      {"status" in values && (
        <div>
          <dt>{t("sync.caseStatus")}</dt>
          <dd>{t(`status.${String(values.status)}` as "status.assigned")}</dd>
        </div>
      )}
      {"conclusion" in values && (
        <div>
          <dt>{t("case.conclusion")}</dt>
          <dd>{String(values.conclusion ?? "—")}</dd>
        </div>
      )}
      {"concluded_on" in values && (
        <div>
          <dt>{t("case.concludedOn")}</dt>
          <dd>{String(values.concluded_on ?? "—")}</dd>
        </div>
      )}
    </dl>
  );
}

const ACTION_LABEL = {
  "finding.create": "sync.create",
  "finding.update": "sync.update",
  "case.start": "sync.caseStart",
  "case.conclude": "sync.caseConclude",
} as const;

function EntryRow({ entry }: { entry: OutboxEntry }) {
  const { t } = useT();
  const { store, engine } = useServices();
  const online = useOnline();
  const sync = useSync();
  const [error, setError] = useState<string | null>(null);
  const resolve = async (resolution: "keep_server" | "apply_client") => {
    try {
      setError(null);
      await engine.resolve(entry, resolution);
    } catch (exc) {
      setError(exc instanceof Error ? exc.message : String(exc));
    }
  };
  return (
    <li className={`field-entry ${entry.status}`} data-testid="outbox-entry" data-status={entry.status}>
      <strong data-testid="entry-action" data-action={entry.action}>
        {t(ACTION_LABEL[entry.action])}
      </strong>{" "}
      <span className="field-badge" data-testid="entry-status">
        {t(`sync.outcomeLabel.${entry.status}`)}
      </span>
      <Values values={entry.data as Record<string, unknown>} />
      {entry.photoIds.length > 0 && (
        <p className="field-muted">
          {t("finding.photos")}: {entry.photoIds.length}
        </p>
      )}
      {entry.lastError && <p className="field-muted">{entry.lastError}</p>}
      {entry.status === "rejected" && (
        <>
          <p className="field-alert" data-testid="entry-why">
            {t("sync.why", { detail: entry.result?.detail ?? "", code: entry.result?.code ?? "" })}
          </p>
          <button type="button" className="field-button" onClick={() => void store.retry(entry.id)}>
            {t("sync.retry")}
          </button>
        </>
      )}
      {entry.status === "conflict" &&
        (entry.conflict ? (
          <div className="field-conflict" data-testid="conflict">
            <div data-testid="conflict-mine">
              <h3>{t("sync.mine", { version: entry.conflict.baseVersion })}</h3>
              <Values values={entry.conflict.client} />
            </div>
            <div data-testid="conflict-server">
              <h3>{t("sync.server", { version: entry.conflict.serverVersion })}</h3>
              <Values values={entry.conflict.server} />
            </div>
            {entry.conflict.status === "resolved" ? (
              <p>{t("sync.resolved", { resolution: entry.conflict.resolution ?? "" })}</p>
            ) : (
              <div className="field-photo-buttons">
                <button
                  type="button"
                  className="field-button"
                  disabled={!online || sync.running}
                  onClick={() => void resolve("keep_server")}
                >
                  {t("sync.keepServer")}
                </button>
                <button
                  type="button"
                  className="field-button"
                  disabled={!online || sync.running}
                  onClick={() => void resolve("apply_client")}
                >
                  {t("sync.applyMine")}
                </button>
              </div>
            )}
            {error && <p className="field-alert">{error}</p>}
          </div>
        ) : (
          <p className="field-muted">{t("sync.conflictPending")}</p>
        ))}
    </li>
  );
}

function SyncView() {
  const { t, language } = useT();
  const { store, engine } = useServices();
  const online = useOnline();
  const session = useSession();
  const sync = useSync();
  const data = useLive(async () => ({ entries: await store.outbox(), photos: await store.photos() }), []);
  const entries = data?.entries ?? [];
  const waiting = entries.filter((e) => e.status === "pending");
  const attention = entries.filter((e) => e.status === "conflict" || e.status === "rejected");
  const sent = entries.filter((e) => e.status === "applied" || e.status === "duplicate");
  const photosWaiting = (data?.photos ?? []).filter((p) => p.status === "pending").length;
  const last = sync.last;
  return (
    <section>
      <h1>{t("sync.title")}</h1>
      <button
        type="button"
        className="field-button primary"
        data-testid="sync-now"
        disabled={!online || session.status !== "authenticated" || sync.running}
        onClick={() => void engine.sync()}
      >
        {sync.running ? t("sync.running") : t("sync.now")}
      </button>
      {session.status !== "authenticated" && <p className="field-muted">{t("sync.signInFirst")}</p>}
      {last && (
        <p className="field-muted" data-testid="last-sync">
          {t("sync.last", {
            at: fmtTime(last.at, language),
            photos: last.photos,
            applied: last.results.applied,
            duplicate: last.results.duplicate,
            conflict: last.results.conflict,
            rejected: last.results.rejected,
          })}
        </p>
      )}
      {last?.error && (
        <p className="field-alert" data-testid="sync-error">
          {t("sync.failed", { reason: t(`sync.reason.${last.errorReason ?? "server"}`) })}
        </p>
      )}
      <h2>{t("sync.waiting", { count: waiting.length })}</h2>
      {photosWaiting > 0 && (
        <p className="field-muted">{t("sync.photosWaiting", { count: photosWaiting })}</p>
      )}
      {waiting.length === 0 && <p className="field-muted">{t("sync.nothingWaiting")}</p>}
      <ul className="field-list" data-testid="waiting-list">
        {waiting.map((e) => (
          <EntryRow key={e.id} entry={e} />
        ))}
      </ul>
      <h2>{t("sync.attention", { count: attention.length })}</h2>
      <ul className="field-list" data-testid="attention-list">
        {attention.map((e) => (
          <EntryRow key={e.id} entry={e} />
        ))}
      </ul>
      <h2>{t("sync.sent", { count: sent.length })}</h2>
      <ul className="field-list" data-testid="sent-list">
        {sent.map((e) => (
          <EntryRow key={e.id} entry={e} />
        ))}
      </ul>
      {sent.length > 0 && (
        <button type="button" className="field-button" onClick={() => void store.clearSent()}>
          {t("sync.clearSent")}
        </button>
      )}
    </section>
  );
}
