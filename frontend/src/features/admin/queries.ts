import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { useMemo } from "react";
import type { Api } from "@/api/client";
import { useUser } from "@/app/services";
import { provinceCodes } from "@/auth/claims";
import { useAreaNames, useCommunes } from "@/features/admin-units/queries";
import { listAccounts, listAuditEvents, listPartners, readCatalogue } from "./api";
import type { AdminPageSearch } from "./search";

export const identityKey = ["identity"] as const;
export const accountsKey = [...identityKey, "accounts"] as const;
export const partnersKey = [...identityKey, "partner-clients"] as const;
export const auditKey = [...identityKey, "audit-events"] as const;
export const PAGE_SIZE = 50;

export function accountsQuery(api: Api, search: AdminPageSearch) {
  return queryOptions({
    queryKey: [...accountsKey, search],
    queryFn: ({ signal }) => listAccounts(api.identity, { cursor: search.cursor, limit: PAGE_SIZE, signal }),
    placeholderData: keepPreviousData,
    meta: { screen: "admin-accounts" },
  });
}

export function partnersQuery(api: Api, search: AdminPageSearch) {
  return queryOptions({
    queryKey: [...partnersKey, search],
    queryFn: ({ signal }) => listPartners(api.identity, { cursor: search.cursor, limit: PAGE_SIZE, signal }),
    placeholderData: keepPreviousData,
    meta: { screen: "admin-partner-clients" },
  });
}

export function auditQuery(api: Api, search: AdminPageSearch) {
  return queryOptions({
    queryKey: [...auditKey, search],
    queryFn: ({ signal }) =>
      listAuditEvents(api.identity, { cursor: search.cursor, limit: PAGE_SIZE, signal }),
    placeholderData: keepPreviousData,
    meta: { screen: "admin-audit" },
  });
}

/** The roles and scopes an administrator may grant (they change with a release, not by the minute). */
export function catalogueQuery(api: Api) {
  return queryOptions({
    queryKey: [...identityKey, "catalogue"],
    queryFn: ({ signal }) => readCatalogue(api.identity, signal),
    staleTime: 60 * 60 * 1000,
  });
}

/** "Hải Dương" and "hai duong" alike: lower case, no accents, đ as d. */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").replace(/[đĐ]/g, "d").toLowerCase();
}

export interface AreaChoice {
  value: string;
  label: string;
}

/** The areas an administrator assigns: their province(s) and the current communes of the first (a
 * deployment serves one province), from registry-api's administrative units; `shown` are codes on
 * screen that may lie outside that list (a legacy code), named one by one. */
export function useAreaChoices(shown: readonly string[] = []) {
  const user = useUser();
  const provinces = provinceCodes(user);
  const communes = useCommunes(provinces[0]);
  const communeNames = useMemo(
    () => new Map((communes.data ?? []).map((unit) => [unit.code, unit.name])),
    [communes.data],
  );
  const others = [...new Set([...provinces, ...shown])].filter((code) => !communeNames.has(code));
  const otherNames = useAreaNames(communes.isLoading ? provinces : others);
  const name = (code: string): string | undefined => communeNames.get(code) ?? otherNames[code];
  const label = (code: string): string => {
    const known = name(code);
    return known ? `${known} (${code})` : code;
  };
  const choices: AreaChoice[] = [
    ...provinces.map((code) => ({ value: code, label: label(code) })),
    ...(communes.data ?? []).map((unit) => ({ value: unit.code, label: `${unit.name} (${unit.code})` })),
  ];
  return { choices, name, label, loading: communes.isLoading };
}
