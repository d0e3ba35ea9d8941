/* NOXH field app service worker (scope /field/). Hand-written, no library:
 *  - the APIs (/api/) and the sign-in (/auth/) are never touched here: network only;
 *  - Vite's hashed bundles (/assets/) and the app's static files (/field/*.png, .svg, manifest) are
 *    cache first (a hashed file never changes);
 *  - pages (navigations under /field/) are network first, falling back to the cached app shell, so the
 *    app opens with no network and a new release arrives as soon as there is one.
 * On install the shell and the bundles it names are cached; on activate older caches are dropped.
 * The logic lives in `fieldWorker(scope)` so the unit test runs it against a fake worker scope. */

function fieldWorker(sw) {
  const CACHE = "noxh-field-v1";
  const SHELL = "/field/index.html";
  const STATIC = [
    "/field/manifest.webmanifest",
    "/field/icon.svg",
    "/field/icon-192.png",
    "/field/icon-512.png",
  ];

  /** "network" (leave it alone), "asset" (cache first) or "page" (network first, the shell offline). */
  const strategy = (request) => {
    const url = new URL(request.url);
    if (request.method !== "GET" || url.origin !== sw.location.origin) return "network";
    if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/auth/")) return "network";
    if (request.mode === "navigate") return url.pathname.startsWith("/field") ? "page" : "network";
    if (url.pathname.startsWith("/assets/")) return "asset";
    if (url.pathname.startsWith("/field/") && url.pathname !== "/field/sw.js") return "asset";
    return "network";
  };

  /** The bundles the shell names (script and link tags). */
  const assetsOf = (html) => [
    ...new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1])),
  ];

  const install = async () => {
    const cache = await sw.caches.open(CACHE);
    const response = await sw.fetch(SHELL, { cache: "no-cache" });
    if (!response.ok) throw new Error(`the app shell answered ${response.status}`);
    const html = await response.clone().text();
    await cache.put(SHELL, response);
    await cache.addAll([...STATIC, ...assetsOf(html)]);
  };

  const activate = async () => {
    const keys = await sw.caches.keys();
    await Promise.all(
      keys.filter((k) => k.startsWith("noxh-field-") && k !== CACHE).map((k) => sw.caches.delete(k)),
    );
  };

  const asset = async (request) => {
    const cache = await sw.caches.open(CACHE);
    const hit = await cache.match(request);
    if (hit) return hit;
    const response = await sw.fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  };

  const page = async (request) => {
    const cache = await sw.caches.open(CACHE);
    try {
      const response = await sw.fetch(request);
      // Every /field/ page is the shell: keep it fresh for the next time offline.
      if (response.ok && (response.headers.get("Content-Type") ?? "").startsWith("text/html")) {
        await cache.put(SHELL, response.clone());
      }
      return response;
    } catch {
      const hit = await cache.match(SHELL);
      return hit ?? new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } });
    }
  };

  sw.addEventListener("install", (event) => event.waitUntil(install().then(() => sw.skipWaiting())));
  sw.addEventListener("activate", (event) => event.waitUntil(activate().then(() => sw.clients.claim())));
  sw.addEventListener("fetch", (event) => {
    const how = strategy(event.request);
    if (how === "asset") event.respondWith(asset(event.request));
    else if (how === "page") event.respondWith(page(event.request));
  });

  return { strategy, assetsOf, install, activate, asset, page, CACHE };
}

if (typeof self !== "undefined" && typeof self.skipWaiting === "function") fieldWorker(self);
