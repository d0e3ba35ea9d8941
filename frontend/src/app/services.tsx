/** The app's long-lived objects (session, API clients, drafts, access), made once in main.tsx and
 * handed down by context, so tests build their own. */
import { createContext, type ReactNode, useContext, useSyncExternalStore } from "react";
import type { Api } from "@/api/client";
import type { AccessStore } from "@/auth/access";
import type { User } from "@/auth/claims";
import type { DraftStore } from "@/auth/drafts";
import type { SessionState } from "@/auth/session";
import type { AppConfig } from "@/config";

/** What the UI needs of the session (AuthSession implements it; tests may fake it). */
export interface SessionPort {
  subscribe(listener: () => void): () => void;
  getSnapshot(): SessionState;
  login(returnTo?: string): Promise<void>;
  logout(): Promise<void>;
}

export interface AppServices {
  config: AppConfig;
  session: SessionPort;
  api: Api;
  drafts: DraftStore;
  access: AccessStore;
}

const ServicesContext = createContext<AppServices | null>(null);

export function ServicesProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error("useServices outside ServicesProvider");
  return services;
}

export function useApi(): Api {
  return useServices().api;
}

export function useSession(): SessionState {
  const { session } = useServices();
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}

/** The signed-in person; screens render only inside the signed-in layout, so it is there. */
export function useUser(): User {
  const { user } = useSession();
  if (!user) throw new Error("useUser without a signed-in user");
  return user;
}

export function useDeniedScreens(): ReadonlySet<string> {
  const { access } = useServices();
  return useSyncExternalStore(access.subscribe, access.getSnapshot);
}
