import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createApi } from "@/api/client";
import { App } from "@/app/App";
import { createQueryClient } from "@/app/queryClient";
import { createAppRouter } from "@/app/router";
import { AccessStore } from "@/auth/access";
import { DraftStore } from "@/auth/drafts";
import { AuthSession } from "@/auth/session";
import { createTabChannel } from "@/auth/tabs";
import { loadConfig } from "@/config";
import { createI18n, currentLanguage } from "@/i18n";

const config = loadConfig();
const i18n = createI18n();
const drafts = new DraftStore(window.sessionStorage);
const session = new AuthSession({
  authority: config.authority,
  clientId: config.clientId,
  scope: config.scope,
  storage: window.sessionStorage,
  drafts,
  language: () => currentLanguage(i18n),
  // The other tabs of this browser share renewals and the sign-out (auth/tabs.ts).
  tabs: createTabChannel(),
});
const access = new AccessStore();
const api = createApi(config, session);
const queryClient = createQueryClient(access);
const router = createAppRouter(queryClient);

// Another person signing in on this tab (after an ended session) starts from a clean cache.
let subject: string | null = null;
session.subscribe(() => {
  const next = session.getSnapshot().user?.subject ?? null;
  if (subject !== null && next !== null && next !== subject) {
    queryClient.clear();
    access.reset();
  }
  if (next !== null) subject = next;
});
document.addEventListener("visibilitychange", () => {
  if (!document.hidden) session.wake();
});

const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");
createRoot(root).render(
  <StrictMode>
    <App
      services={{ config, session, api, drafts, access }}
      queryClient={queryClient}
      router={router}
      i18n={i18n}
    />
  </StrictMode>,
);

// Finish a login (the /callback answer) or resume this tab's session, outside React so the one-time
// code is exchanged exactly once.
void session.start(new URL(window.location.href)).then((returnTo) => {
  if (returnTo) router.history.replace(returnTo);
});
