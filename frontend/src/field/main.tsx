/** Entry of the inspectors' field app (/field/): an installable PWA that works offline. */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { loadConfig } from "@/config";
import { IdbTables, openDatabase } from "./db/idb";
import { FieldApp } from "./FieldApp";
import { ServicesContext } from "./hooks";
import { createFieldI18n, I18nContext } from "./i18n";
import { FieldSession } from "./session";
import { FieldStore } from "./store";
import { SyncEngine } from "./sync";
import { HttpTransport } from "./transport";
import "./field.css";

async function boot(): Promise<void> {
  const config = loadConfig();
  const i18n = createFieldI18n();
  const session = new FieldSession(window.localStorage, config.authority, () => i18n.language);
  const store = new FieldStore(new IdbTables(await openDatabase()));
  const transport = new HttpTransport(config.apiBase.inspection, session);
  const engine = new SyncEngine(store, transport);
  let ownerError: string | null = null;

  const root = document.getElementById("root");
  if (!root) throw new Error("#root is missing");
  const reactRoot = createRoot(root);
  const render = () =>
    reactRoot.render(
      <StrictMode>
        <I18nContext.Provider value={i18n}>
          <ServicesContext.Provider value={{ store, engine, session, transport }}>
            <FieldApp ownerError={ownerError} />
          </ServicesContext.Provider>
        </I18nContext.Provider>
      </StrictMode>,
    );
  render();

  // Sign-in done (or resumed): the device is this inspector's; sync what waits and pull.
  const signedIn = async () => {
    const user = session.getSnapshot().user;
    if (session.getSnapshot().status !== "authenticated" || !user) return;
    const claim = await store.claim(user.subject);
    ownerError = claim === "ok" ? null : claim;
    render();
    if (claim === "ok" && navigator.onLine) await engine.sync();
  };

  window.addEventListener("online", () => {
    void session.resume().then((ok) => (ok ? signedIn() : undefined));
  });
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) session.wake();
  });

  const returnTo = await session.startHere(window.location.href);
  if (returnTo) window.history.replaceState(null, "", returnTo.startsWith("/field") ? returnTo : "/field/");
  await signedIn();

  if ("serviceWorker" in navigator && import.meta.env.PROD) {
    navigator.serviceWorker.register("/field/sw.js", { scope: "/field/" }).catch(() => undefined);
  }
  // Ask the browser not to evict a day of field work under storage pressure.
  void navigator.storage?.persist?.().catch(() => false);
}

void boot();
