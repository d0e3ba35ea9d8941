/** A screen a domain adds to the app: where it lives, its menu entry and who may use it. */
import type { ParseKeys } from "i18next";
import type { ReactNode } from "react";
import { hasRole, type RoleRule } from "@/auth/access";
import type { User } from "@/auth/claims";

export interface Screen {
  id: string;
  path: string;
  labelKey: ParseKeys;
  icon: ReactNode;
  /** Roles that may read (mirrors the service's permissions). */
  read: RoleRule;
  /** Roles that may create and edit. */
  write: RoleRule;
}

export function canRead(screen: Screen, user: User | null, denied: ReadonlySet<string>): boolean {
  return hasRole(user, screen.read) && !denied.has(screen.id);
}

export function canWrite(screen: Screen, user: User | null, denied: ReadonlySet<string>): boolean {
  return canRead(screen, user, denied) && hasRole(user, screen.write);
}
