import { describe, expect, it, vi } from "vitest";
import { loadConfig } from "@/config";
import { authFetch, createApi, type TokenSource } from "./client";
import { unwrap } from "./problem";

function tokens(initial = "t1"): TokenSource & { current: string } {
  const source = {
    current: initial,
    getAccessToken: vi.fn(async () => source.current),
    renew: vi.fn(async () => {
      source.current = "t2";
    }),
    expire: vi.fn(),
  };
  return source;
}

describe("authFetch", () => {
  it("sends the bearer token", async () => {
    const seen: string[] = [];
    const base = async (req: RequestInfo | URL) => {
      seen.push((req as Request).headers.get("Authorization") ?? "");
      return new Response("{}");
    };
    await authFetch(tokens(), base as typeof fetch)("http://x/api/registry/v1/admin-units");
    expect(seen).toEqual(["Bearer t1"]);
  });

  it("renews once on a 401 and repeats the call, body included", async () => {
    const source = tokens();
    const seen: [string, string][] = [];
    const base = async (req: RequestInfo | URL) => {
      const request = req as Request;
      seen.push([request.headers.get("Authorization") ?? "", await request.text()]);
      return new Response("{}", { status: seen.length === 1 ? 401 : 201 });
    };
    const response = await authFetch(source, base as typeof fetch)(
      "http://x/api/funding/v1/funding-sources",
      {
        method: "POST",
        body: '{"name":"Quỹ"}',
      },
    );
    expect(response.status).toBe(201);
    expect(seen).toEqual([
      ["Bearer t1", '{"name":"Quỹ"}'],
      ["Bearer t2", '{"name":"Quỹ"}'],
    ]);
    expect(source.renew).toHaveBeenCalledOnce();
    expect(source.expire).not.toHaveBeenCalled();
  });

  it("ends the session when the renewed token is refused too", async () => {
    const source = tokens();
    const base = async () => new Response("{}", { status: 401 });
    const response = await authFetch(source, base as typeof fetch)("http://x/y");
    expect(response.status).toBe(401);
    expect(source.expire).toHaveBeenCalledOnce();
  });
});

describe("typed clients", () => {
  it("call each service under its gateway prefix with typed query parameters", async () => {
    const urls: string[] = [];
    const base = async (req: RequestInfo | URL) => {
      urls.push((req as Request).url);
      return Response.json({ items: [], next_cursor: "c2" });
    };
    const api = createApi(loadConfig("http://spa.test"), tokens(), base as typeof fetch);
    const page = await unwrap(
      api.registry.GET("/v1/admin-units", {
        params: { query: { parent_code: "31", limit: 20, cursor: "c1" } },
      }),
    );
    expect(page.next_cursor).toBe("c2");
    expect(urls).toEqual(["http://spa.test/api/registry/v1/admin-units?parent_code=31&limit=20&cursor=c1"]);
  });

  it("send If-Match on updates and turn a 412 into a problem", async () => {
    let ifMatch: string | null = null;
    const base = async (req: RequestInfo | URL) => {
      ifMatch = (req as Request).headers.get("If-Match");
      return new Response(JSON.stringify({ code: "precondition_failed", status: 412, title: "changed" }), {
        status: 412,
        headers: { "Content-Type": "application/problem+json" },
      });
    };
    const api = createApi(loadConfig("http://spa.test"), tokens(), base as typeof fetch);
    const call = api.funding.PATCH("/v1/funding-sources/{source_id}", {
      params: {
        path: { source_id: "0190e1c2-0000-7000-8000-000000000001" },
        header: { "If-Match": 'W/"2"' },
      },
      body: { name: "Quỹ mới" },
    });
    await expect(unwrap(call)).rejects.toMatchObject({ status: 412, code: "precondition_failed" });
    expect(ifMatch).toBe('W/"2"');
  });
});
