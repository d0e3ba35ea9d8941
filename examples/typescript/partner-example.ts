/**
 * A partner's first steps with the NOXH API in TypeScript: openapi-fetch, typed by openapi-typescript
 * from the document the portal publishes (`/docs`).
 *
 *   npm install openapi-fetch@0.17.0
 *   npm install --save-dev openapi-typescript@7.13.0 typescript@5.9.3 @types/node@20
 *   npx openapi-typescript https://<gateway>/docs/specs/registry-api.json -o registry-api.d.ts
 *   npx tsc --module nodenext --target es2022 --strict partner-example.ts
 *   node partner-example.js --base-url https://<gateway> --client-id <id> --client-secret <secret> \
 *     [--webhook-listen 127.0.0.1:8766]
 *
 * The same walk-through as examples/python/partner_example.py: client credentials, the projects page by
 * page, the progress against the targets, the event feed, and (with --webhook-listen) a subscription to
 * a receiver this script runs, whose delivery is verified (Standard Webhooks) and found on the feed.
 * Each step prints one JSON line; the exit code is 0 when every step succeeded.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import { parseArgs } from "node:util";
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./registry-api.js";

type Schemas = components["schemas"];
type Event = Schemas["EventEnvelope"];

const SCOPES = "registry:projects:read registry:targets:read registry:events:read";
const SIGNATURE_TOLERANCE_S = 300; // refuse deliveries signed more than 5 minutes away from now

class StepFailed extends Error {
  constructor(
    readonly step: string,
    reason: string,
  ) {
    super(reason);
  }
}

function say(step: string, facts: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ step, ...facts })}\n`);
}

// ------------------------------------------------------------------------ 1. authenticate

/** Client-credentials tokens; a new one shortly before the last expires (machine tokens live 5 minutes). */
function tokenSource(baseUrl: string, clientId: string, clientSecret: string) {
  let token = "";
  let expiresAt = 0;
  return async (): Promise<string> => {
    if (Date.now() < expiresAt - 30_000) return token;
    const discovery = await fetch(`${baseUrl}/auth/.well-known/openid-configuration`);
    const { token_endpoint } = (await discovery.json()) as { token_endpoint: string };
    const answer = await fetch(token_endpoint, {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ grant_type: "client_credentials", audience: "registry-api", scope: SCOPES }),
    });
    if (!answer.ok) throw new StepFailed("token", `HTTP ${answer.status}: ${await answer.text()}`);
    const body = (await answer.json()) as { access_token: string; expires_in: number };
    token = body.access_token;
    expiresAt = Date.now() + body.expires_in * 1000;
    return token;
  };
}

function registryClient(baseUrl: string, token: () => Promise<string>) {
  // The document's server is the gateway path /api/registry; its paths start with /v1.
  const client = createClient<paths>({ baseUrl: `${baseUrl}/api/registry` });
  const bearer: Middleware = {
    async onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${await token()}`);
      return request;
    },
  };
  client.use(bearer);
  return client;
}
type Registry = ReturnType<typeof registryClient>;

function ok<T>(step: string, result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    throw new StepFailed(step, `HTTP ${result.response.status}: ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

// ------------------------------------------------------------------------ 2-4. read

/** Every project of the partner's area, page by page (keyset cursor, no page numbers). */
async function allProjects(api: Registry, limit: number) {
  const projects: Schemas["PartnerProject"][] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    pages += 1;
    const page = ok(
      "projects",
      await api.GET("/v1/partner/projects", { params: { query: { limit, cursor } } }),
    );
    projects.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return { projects, pages };
}

/** The events after the cursor, until caught up; and the cursor to keep for next time. */
async function readFeed(api: Registry, after: string | undefined) {
  const events: Event[] = [];
  let cursor = after;
  for (;;) {
    const page = ok("events", await api.GET("/v1/events", { params: { query: { after: cursor, limit: 100 } } }));
    events.push(...page.items);
    cursor = page.next_cursor;
    if (page.items.length === 0) return { events, cursor };
  }
}

// ------------------------------------------------------------------------ 5. webhooks

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(" ") : (value ?? "");
}

/** Standard Webhooks: `v1,<base64 HMAC-SHA256>` of `{id}.{timestamp}.{body}`, keyed with the base64
 * part of the `whsec_...` secret; several signatures may be given, space-separated. */
export function verifyWebhook(secret: string, headers: IncomingHttpHeaders, body: Buffer, now = Date.now() / 1000) {
  const id = header(headers, "webhook-id");
  const stamp = header(headers, "webhook-timestamp");
  if (!id || !/^\d+$/.test(stamp)) throw new Error("missing webhook-id or webhook-timestamp");
  if (Math.abs(now - Number(stamp)) > SIGNATURE_TOLERANCE_S) throw new Error("timestamp too far from now");
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${stamp}.`).update(body).digest();
  for (const candidate of header(headers, "webhook-signature").split(" ")) {
    const [version, value] = candidate.split(",", 2);
    const given = Buffer.from(value ?? "", "base64");
    if (version === "v1" && given.length === expected.length && timingSafeEqual(given, expected)) {
      return JSON.parse(body.toString("utf8")) as Event;
    }
  }
  throw new Error("no valid v1 signature");
}

/** A receiver that answers 2xx only to a delivery whose signature verifies. */
function startReceiver(host: string, port: number) {
  const state: { secret?: string; onEvent?: (id: string, event: Event) => void } = {};
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      try {
        if (!state.secret) throw new Error("not subscribed yet");
        const event = verifyWebhook(state.secret, request.headers, Buffer.concat(chunks));
        response.writeHead(204).end();
        state.onEvent?.(header(request.headers, "webhook-id"), event);
      } catch (error) {
        response.writeHead(400).end();
        say("webhook-refused", { reason: String(error) });
      }
    });
  });
  return new Promise<{ url: string; state: typeof state; close: () => void }>((resolve) => {
    server.listen(port, host, () => {
      const address = server.address();
      const bound = typeof address === "object" && address ? address.port : port;
      resolve({ url: `http://${host}:${bound}/noxh-webhooks`, state, close: () => server.close() });
    });
  });
}

// ------------------------------------------------------------------------ the walk-through

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "base-url": { type: "string" },
      "client-id": { type: "string" },
      "client-secret": { type: "string" },
      period: { type: "string", default: "2021-2025" },
      "page-size": { type: "string", default: "50" },
      "webhook-listen": { type: "string" },
      "webhook-wait": { type: "string", default: "90" },
      "event-type": { type: "string", multiple: true },
    },
  });
  const baseUrl = (values["base-url"] ?? "").replace(/\/$/, "");
  if (!baseUrl || !values["client-id"] || !values["client-secret"]) {
    throw new StepFailed("arguments", "--base-url, --client-id and --client-secret are required");
  }
  const token = tokenSource(baseUrl, values["client-id"], values["client-secret"]);
  await token();
  say("token", { audience: "registry-api", scope: SCOPES });
  const api = registryClient(baseUrl, token);

  const { projects, pages } = await allProjects(api, Number(values["page-size"]));
  say("projects", { count: projects.length, pages, ids: projects.map((p) => p.id) });

  const progress = ok(
    "progress",
    await api.GET("/v1/partner/progress", { params: { query: { period: values.period ?? "2021-2025" } } }),
  );
  say("progress", { period: values.period, areas: progress.areas.length, targets: progress.targets.length });

  let { events, cursor } = await readFeed(api, undefined);
  say("events", { count: events.length, types: [...new Set(events.map((e) => e.type))].sort(), cursor });

  const listen = values["webhook-listen"];
  if (!listen) return;
  const split = listen.lastIndexOf(":");
  const receiver = await startReceiver(listen.slice(0, split), Number(listen.slice(split + 1)));
  try {
    const delivered = new Promise<{ id: string; event: Event }>((resolve, reject) => {
      const wait = Number(values["webhook-wait"]) * 1000;
      const timer = setTimeout(() => reject(new StepFailed("webhook", `no delivery within ${wait / 1000} s`)), wait);
      receiver.state.onEvent = (id, event) => {
        clearTimeout(timer);
        resolve({ id, event });
      };
    });
    const subscription = ok(
      "subscribe",
      await api.POST("/v1/webhooks/subscriptions", {
        body: { url: receiver.url, event_types: values["event-type"] ?? ["housing_project.created"] },
        // A retry with the same key replays the answer, secret included: nothing is created twice.
        params: { header: { "Idempotency-Key": randomUUID() } },
      }),
    );
    receiver.state.secret = subscription.secret;
    say("subscribed", { id: subscription.id, url: receiver.url, event_types: subscription.event_types });
    const { id, event } = await delivered;
    say("webhook", { verified: true, webhook_id: id, type: event.type, event_id: event.id });

    // The same event is on the feed: a consumer may use either, and dedupe by the event id.
    const deadline = Date.now() + 30_000;
    for (;;) {
      ({ events, cursor } = await readFeed(api, cursor));
      if (events.some((e) => e.id === event.id)) {
        say("feed-follow", { found: true, cursor });
        return;
      }
      if (Date.now() > deadline) throw new StepFailed("feed-follow", `event ${event.id} not on the feed`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    receiver.close();
  }
}

run().then(
  () => process.exit(0),
  (error: unknown) => {
    const step = error instanceof StepFailed ? error.step : "error";
    say(step, { error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);
