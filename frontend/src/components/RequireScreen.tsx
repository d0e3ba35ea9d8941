import type { ReactNode } from "react";
import { canRead, canWrite, type Screen } from "@/app/screen";
import { useDeniedScreens, useSession } from "@/app/services";
import { ForbiddenPage } from "@/components/ResultPages";

/** Renders the page only for people whose role may use it; the others get a plain "not allowed". */
export function RequireScreen({
  screen,
  write = false,
  children,
}: {
  screen: Screen;
  write?: boolean;
  children: ReactNode;
}) {
  const { user } = useSession();
  const denied = useDeniedScreens();
  const allowed = write ? canWrite(screen, user, denied) : canRead(screen, user, denied);
  return allowed ? children : <ForbiddenPage />;
}

export function useCanWrite(screen: Screen): boolean {
  const { user } = useSession();
  const denied = useDeniedScreens();
  return canWrite(screen, user, denied);
}
