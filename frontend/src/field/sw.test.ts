/** The hand-written service worker (public/field/sw.js), run against a fake worker scope. */
import { describe, expect, it } from "vitest";
import source from "../../public/field/sw.js?raw";

type Handler = (event: {
  request?: Request;
  respondWith?: (r: Promise<Response>) => void;
  waitUntil?: (p: Promise<unknown>) => void;
}) => void;

const ORIGIN = "https://noxh.example";

function fakeCaches() {
  const stores = new Map<string, Map<string, Response>>();
  const keyOf = (r: RequestInfo | URL) =>
    new URL(typeof r === "string" ? r : r instanceof URL ? r.href : r.url, ORIGIN).pathname;
  return {
    stores,
    open: async (name: string) => {
      let store = stores.get(name);
      if (!store) {
        store = new Map();
        stores.set(name, store);
      }
      const s = store;
      return {
        match: async (r: RequestInfo) => s.get(keyOf(r))?.clone(),
        put: async (r: RequestInfo, response: Response) => void s.set(keyOf(r), response),
        addAll: async (urls: string[]) => {
          for (const u of urls) s.set(keyOf(u), new Response(`cached ${u}`));
        },
      };
    },
    keys: async () => [...stores.keys()],
    delete: async (name: string) => stores.delete(name),
  };
}

function load(fetchImpl: (r: RequestInfo) => Promise<Response>) {
  const handlers = new Map<string, Handler>();
  const caches = fakeCaches();
  const scope = {
    location: { origin: ORIGIN },
    caches,
    fetch: fetchImpl,
    clients: { claim: async () => undefined },
    skipWaiting: async () => undefined,
    addEventListener: (type: string, handler: Handler) => handlers.set(type, handler),
  };
  const make = new Function(`${source}\nreturn fieldWorker;`)() as (s: typeof scope) => {
    strategy: (r: Request) => string;
    assetsOf: (html: string) => string[];
    CACHE: string;
  };
  const worker = make(scope);
  return { worker, handlers, caches };
}

async function dispatch(handlers: Map<string, Handler>, type: string, request?: Request) {
  let answer: Promise<Response> | null = null;
  let waited: Promise<unknown> | null = null;
  handlers.get(type)?.({
    ...(request ? { request } : {}),
    respondWith: (r) => {
      answer = r;
    },
    waitUntil: (p) => {
      waited = p;
    },
  });
  if (waited) await waited;
  return answer ? await (answer as Promise<Response>) : null;
}

const nav = (path: string) => {
  const r = new Request(ORIGIN + path);
  Object.defineProperty(r, "mode", { value: "navigate" });
  return r;
};

describe("field service worker", () => {
  it("leaves the APIs, the sign-in and other writes to the network", () => {
    const { worker } = load(async () => new Response("x"));
    expect(worker.strategy(new Request(`${ORIGIN}/api/inspection/v1/field-sync/changes`))).toBe("network");
    expect(worker.strategy(new Request(`${ORIGIN}/auth/token`))).toBe("network");
    expect(worker.strategy(new Request(`${ORIGIN}/assets/a.js`, { method: "POST" }))).toBe("network");
    expect(worker.strategy(new Request("https://elsewhere.example/assets/a.js"))).toBe("network");
    expect(worker.strategy(new Request(`${ORIGIN}/field/sw.js`))).toBe("network");
    expect(worker.strategy(new Request(`${ORIGIN}/assets/field-abc.js`))).toBe("asset");
    expect(worker.strategy(nav("/field/"))).toBe("page");
    expect(worker.strategy(nav("/households"))).toBe("network");
  });

  it("caches the shell and the bundles it names on install; serves the shell offline", async () => {
    let online = true;
    const calls: string[] = [];
    const html =
      '<script type="module" src="/assets/field-1.js"></script><link rel="stylesheet" href="/assets/field-1.css">';
    const { handlers, caches, worker } = load(async (r) => {
      const url = typeof r === "string" ? r : r.url;
      calls.push(url);
      if (!online) throw new TypeError("Failed to fetch");
      return new Response(html, { headers: { "Content-Type": "text/html" } });
    });
    expect(worker.assetsOf(html)).toEqual(["/assets/field-1.js", "/assets/field-1.css"]);
    await dispatch(handlers, "install");
    const cached = caches.stores.get(worker.CACHE);
    expect([...(cached?.keys() ?? [])].sort()).toEqual(
      [
        "/assets/field-1.css",
        "/assets/field-1.js",
        "/field/icon-192.png",
        "/field/icon-512.png",
        "/field/icon.svg",
        "/field/index.html",
        "/field/manifest.webmanifest",
      ].sort(),
    );
    online = false;
    const page = await dispatch(handlers, "fetch", nav("/field/case/1"));
    expect(await page?.text()).toBe(html);
    const asset = await dispatch(handlers, "fetch", new Request(`${ORIGIN}/assets/field-1.js`));
    expect(await asset?.text()).toBe("cached /assets/field-1.js");
    // The API is not answered by the worker at all.
    expect(await dispatch(handlers, "fetch", new Request(`${ORIGIN}/api/inspection/v1/x`))).toBeNull();
  });

  it("fetches a missing asset once and keeps it; drops older caches on activate", async () => {
    let fetched = 0;
    const { handlers, caches, worker } = load(async () => {
      fetched += 1;
      return new Response("bundle");
    });
    await caches.open("noxh-field-v0");
    await caches.open("other-app");
    await dispatch(handlers, "fetch", new Request(`${ORIGIN}/assets/late.js`));
    await dispatch(handlers, "fetch", new Request(`${ORIGIN}/assets/late.js`));
    expect(fetched).toBe(1);
    await dispatch(handlers, "activate");
    expect((await caches.keys()).sort()).toEqual([worker.CACHE, "other-app"].sort());
  });
});
