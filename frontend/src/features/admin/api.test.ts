import { describe, expect, it } from "vitest";
import { createApi } from "@/api/client";
import { ApiProblem } from "@/api/problem";
import { loadConfig } from "@/config";
import { FakeSession, fakeFetch, type Handler, json, problem, USERS } from "@/test/harness";
import {
  changeAccount,
  createAccount,
  listAccounts,
  listAuditEvents,
  readCatalogue,
  registerPartner,
  rotateSecret,
  setAccountEnabled,
} from "./api";

const ACCOUNT = {
  username: "xa.anlao",
  subject: "6f1c…",
  name: "Nguyễn Thị Hoa — UBND xã An Lão",
  roles: ["commune_officer"],
  area_codes: ["11311"],
  enabled: true,
  version: 3,
  created_at: "2026-11-01T02:00:00Z",
  updated_at: "2026-11-02T02:00:00Z",
};

const PARTNER = {
  client_id: "bo-xay-dung",
  name: "Bộ Xây dựng — báo cáo",
  scopes: ["registry:projects:read"],
  quota_per_minute: 120,
  status: "active",
  version: 1,
  created_at: "2026-11-01T02:00:00Z",
  updated_at: "2026-11-01T02:00:00Z",
  secret_rotated_at: "2026-11-01T02:00:00Z",
};

function identity(routes: Record<string, Handler>) {
  const fake = fakeFetch(routes);
  const api = createApi(loadConfig("http://spa.test"), new FakeSession(USERS.province), fake.fetch);
  return { client: api.identity, calls: fake.calls };
}

async function rejection(promise: Promise<unknown>): Promise<ApiProblem> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiProblem) return error;
    throw error;
  }
  throw new Error("the call succeeded");
}

describe("the identity provider's administration API", () => {
  it("pages accounts through the gateway with the bearer token", async () => {
    const { client, calls } = identity({
      "GET /api/identity/v1/accounts": () => json({ items: [ACCOUNT], next_cursor: "eGEuYW5sYW8" }),
    });
    const page = await listAccounts(client, { cursor: "abc", limit: 50 });
    expect(page).toEqual({ items: [ACCOUNT], next_cursor: "eGEuYW5sYW8" });
    const url = new URL(calls[0]?.url ?? "");
    expect(url.origin + url.pathname).toBe("http://spa.test/api/identity/v1/accounts");
    expect(url.searchParams.get("cursor")).toBe("abc");
    expect(url.searchParams.get("limit")).toBe("50");
    expect(calls[0]?.headers.get("Authorization")).toBe("Bearer test-access-token");
  });

  it("sends changes with If-Match and returns the new ETag", async () => {
    const { client, calls } = identity({
      "PATCH /api/identity/v1/accounts/xa.anlao": () =>
        json({ ...ACCOUNT, area_codes: ["11560"], version: 4 }, { headers: { ETag: 'W/"4"' } }),
    });
    const result = await changeAccount(client, "xa.anlao", 'W/"3"', { area_codes: ["11560"] });
    expect(result.etag).toBe('W/"4"');
    expect(result.data.area_codes).toEqual(["11560"]);
    expect(calls[0]?.headers.get("If-Match")).toBe('W/"3"');
    expect(calls[0]?.headers.get("Content-Type")).toBe("application/json");
    expect(await calls[0]?.json()).toEqual({ area_codes: ["11560"] });
  });

  it("disables with an empty POST and If-Match", async () => {
    const { client, calls } = identity({
      "POST /api/identity/v1/accounts/xa.anlao/disable": () =>
        json({ ...ACCOUNT, enabled: false, version: 4 }),
    });
    const result = await setAccountEnabled(client, "xa.anlao", 'W/"3"', false);
    expect(result.data.enabled).toBe(false);
    expect(calls[0]?.headers.get("If-Match")).toBe('W/"3"');
    expect(await calls[0]?.text()).toBe("");
  });

  it("returns the one-time password and secret of what it creates", async () => {
    const { client } = identity({
      "POST /api/identity/v1/accounts": () =>
        json({ ...ACCOUNT, version: 1, initial_password: "s3cr3t-once" }, { status: 201 }),
      "POST /api/identity/v1/partner-clients": () =>
        json({ ...PARTNER, client_secret: "partner-secret" }, { status: 201 }),
      "POST /api/identity/v1/partner-clients/bo-xay-dung/rotate-secret": () =>
        json({ ...PARTNER, version: 2, client_secret: "rotated" }),
    });
    const account = await createAccount(client, {
      username: "xa.anlao",
      name: ACCOUNT.name,
      roles: ["commune_officer"],
      area_codes: ["11311"],
    });
    expect(account.data.initial_password).toBe("s3cr3t-once");
    const partner = await registerPartner(client, {
      client_id: "bo-xay-dung",
      name: PARTNER.name,
      scopes: PARTNER.scopes,
      quota_per_minute: 120,
    });
    expect(partner.data.client_secret).toBe("partner-secret");
    expect((await rotateSecret(client, "bo-xay-dung", 'W/"1"')).data.client_secret).toBe("rotated");
  });

  it("keys a body's field errors by form field, as the services' are", async () => {
    const { client } = identity({
      "POST /api/identity/v1/accounts": () =>
        problem(422, "validation_failed", {
          errors: [
            { pointer: "/username", code: "string_pattern_mismatch", message: "String should match pattern" },
            { pointer: "/roles/0", code: "value_error", message: "unknown or machine-only roles: service" },
          ],
        }),
    });
    const failure = await rejection(
      createAccount(client, { username: "X", name: "x", roles: ["service"], area_codes: ["31"] }),
    );
    expect(failure.code).toBe("validation_failed");
    expect(failure.errors.map((e) => e.field)).toEqual(["username", "roles.0"]);
    expect(failure.requestId).toBe("req-123");
  });

  it("turns a refusal into a problem with its code (a stale ETag, a taken name)", async () => {
    const { client } = identity({
      "PATCH /api/identity/v1/accounts/xa.anlao": () => problem(412, "precondition_failed"),
      "POST /api/identity/v1/partner-clients": () => problem(409, "client_exists"),
    });
    expect((await rejection(changeAccount(client, "xa.anlao", 'W/"1"', { name: "x" }))).status).toBe(412);
    const taken = await rejection(
      registerPartner(client, { client_id: "bo-xay-dung", name: "x", scopes: ["a"], quota_per_minute: 1 }),
    );
    expect(taken.code).toBe("client_exists");
  });

  it("refuses an answer that is not what the provider promises", async () => {
    const { client } = identity({
      "GET /api/identity/v1/catalogue": () => json({ roles: "administrator" }),
      "GET /api/identity/v1/audit-events": () =>
        json({
          items: [
            {
              seq: 1,
              at: "2026-11-01T02:00:00Z",
              actor: "quantri",
              action: "account.updated",
              target_type: "account",
              target_id: "xa.anlao",
              details: { area_codes: { from: ["10525"], to: ["11560"] } },
            },
          ],
          next_cursor: null,
        }),
    });
    expect((await rejection(readCatalogue(client))).code).toBe("invalid_response");
    const audit = await listAuditEvents(client);
    expect(audit.items[0]?.details).toEqual({ area_codes: { from: ["10525"], to: ["11560"] } });
  });

  it("reports an unreachable provider as a network problem", async () => {
    const api = createApi(loadConfig("http://spa.test"), new FakeSession(USERS.province), async () => {
      throw new TypeError("Failed to fetch");
    });
    expect((await rejection(listAccounts(api.identity))).code).toBe("network_error");
  });
});
