import { createContext, useContext, useEffect, useState, useSyncExternalStore } from "react";
import type { FieldSession } from "./session";
import type { FieldStore } from "./store";
import type { SyncEngine, Transport } from "./sync";

export interface FieldServices {
  store: FieldStore;
  engine: SyncEngine;
  session: FieldSession;
  transport: Transport;
}

export const ServicesContext = createContext<FieldServices | null>(null);

export function useServices(): FieldServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error("ServicesContext missing");
  return services;
}

/** An async read of the store, read again whenever the store changes. */
export function useLive<T>(read: () => Promise<T>, deps: unknown[]): T | undefined {
  const { store } = useServices();
  const [value, setValue] = useState<T>();
  const [tick, setTick] = useState(0);
  useEffect(() => store.subscribe(() => setTick((n) => n + 1)), [store]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the read depends on
  useEffect(() => {
    let live = true;
    read().then((v) => {
      if (live) setValue(v);
    });
    return () => {
      live = false;
    };
  }, [tick, ...deps]);
  return value;
}

export function useOnline(): boolean {
  return useSyncExternalStore(
    (cb) => {
      window.addEventListener("online", cb);
      window.addEventListener("offline", cb);
      return () => {
        window.removeEventListener("online", cb);
        window.removeEventListener("offline", cb);
      };
    },
    () => navigator.onLine,
  );
}

export function useHashRoute(): string[] {
  const hash = useSyncExternalStore(
    (cb) => {
      window.addEventListener("hashchange", cb);
      return () => window.removeEventListener("hashchange", cb);
    },
    () => window.location.hash,
  );
  return hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
}

export function go(...parts: string[]): void {
  window.location.hash = `#/${parts.map(encodeURIComponent).join("/")}`;
}
