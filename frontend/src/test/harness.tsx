/** Renders the real app (routes, providers, i18n) around a fake session and a fake `fetch`, so
 * components and the data layer are tested together without a server. */
import { createMemoryHistory } from "@tanstack/react-router";
import { render } from "@testing-library/react";
import { createApi } from "@/api/client";
import { App } from "@/app/App";
import { createQueryClient } from "@/app/queryClient";
import { createAppRouter } from "@/app/router";
import type { SessionPort } from "@/app/services";
import { AccessStore } from "@/auth/access";
import type { User } from "@/auth/claims";
import { DraftStore } from "@/auth/drafts";
import type { SessionState } from "@/auth/session";
import { loadConfig } from "@/config";
import { createI18n, type Language } from "@/i18n";

export const ORIGIN = "http://spa.test";

export const USERS = {
  province: user("so.xaydung", "Nguyễn Văn An — Sở Xây dựng", ["province_officer"], ["31"]),
  commune: user("xa.haiduong", "Trần Thị Bình — UBND phường Hải Dương", ["commune_officer"], ["10525"]),
  finance: user("taichinh", "Phạm Thị Dung — Sở Tài chính", ["finance_officer"], ["31"]),
  auditor: user("kiemtoan", "Vũ Thị Giang — Kiểm toán", ["auditor"], ["31"]),
} as const;

function user(username: string, name: string, roles: string[], areaCodes: string[]): User {
  return { subject: `sub-${username}`, name, username, roles, areaCodes, expiresAt: 4_102_444_800 };
}

export class FakeSession implements SessionPort {
  state: SessionState;
  readonly listeners = new Set<() => void>();
  logins: string[] = [];
  constructor(user: User | null) {
    this.state = { status: user ? "authenticated" : "anonymous", user, error: null };
  }
  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getSnapshot = () => this.state;
  set(next: Partial<SessionState>) {
    this.state = { ...this.state, ...next };
    for (const l of this.listeners) l();
  }
  login = async (returnTo = "/") => {
    this.logins.push(returnTo);
  };
  logout = async () => {
    this.set({ status: "anonymous", user: null });
  };
  // TokenSource
  getAccessToken = async () => "test-access-token";
  renew = async () => undefined;
  expire = () => this.set({ status: "expired" });
}

export type Handler = (request: Request, url: URL) => Response | Promise<Response>;

export const json = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), {
    status: 200,
    ...init,
    headers: { "Content-Type": "application/json", ...(init.headers ?? {}) },
  });

export const problem = (status: number, code: string, extra: Record<string, unknown> = {}) =>
  new Response(
    JSON.stringify({
      type: `https://noxh.haiphong.gov.vn/problems/${code}`,
      title: code,
      status,
      code,
      ...extra,
    }),
    {
      status,
      headers: { "Content-Type": "application/problem+json", "X-Request-ID": "req-123" },
    },
  );

/** A fetch answering "METHOD /path" (the path without the origin and query); unknown calls fail. */
export function fakeFetch(routes: Record<string, Handler>) {
  const calls: Request[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    calls.push(request.clone());
    const url = new URL(request.url);
    const handler = routes[`${request.method} ${url.pathname}`];
    if (!handler)
      return problem(404, "not_found", { detail: `no fake for ${request.method} ${url.pathname}` });
    return handler(request, url);
  };
  return { fetch: fetchFn as typeof fetch, calls };
}

export const ADMIN_UNIT_31 = {
  scheme: "2025",
  level: "province",
  code: "31",
  name: "Thành phố Hải Phòng",
  division_type: "thành phố trung ương",
  codename: "thanh_pho_hai_phong",
  parent_code: null,
  valid_from: "2025-07-01",
  valid_to: null,
  source: "test",
};

export function renderApp(options: {
  path: string;
  user?: User | null;
  routes?: Record<string, Handler>;
  language?: Language;
}) {
  const config = loadConfig(ORIGIN);
  const session = new FakeSession(options.user === undefined ? USERS.province : options.user);
  const routes: Record<string, Handler> = {
    "GET /api/registry/v1/admin-units/31": () => json(ADMIN_UNIT_31),
    ...options.routes,
  };
  const fake = fakeFetch(routes);
  const drafts = new DraftStore(sessionStorage);
  const access = new AccessStore();
  const api = createApi(config, session, fake.fetch);
  const queryClient = createQueryClient(access);
  queryClient.setDefaultOptions({ queries: { retry: false, staleTime: 30_000 } });
  const router = createAppRouter(queryClient, createMemoryHistory({ initialEntries: [options.path] }));
  const i18n = createI18n(options.language ?? "vi");
  const view = render(
    <App
      services={{ config, session, api, drafts, access }}
      queryClient={queryClient}
      router={router}
      i18n={i18n}
    />,
  );
  return { ...view, session, calls: fake.calls, router, drafts, access, queryClient, i18n };
}
