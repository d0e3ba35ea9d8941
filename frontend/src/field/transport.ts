/** The sync API over HTTP (through the gateway), with the session's bearer token. */
import { authFetch, type TokenSource } from "@/api/client";
import type { ChangePage, ConflictRead, MutationResult, PhotoRecord } from "./model";
import { TransientError, type Transport, type UploadAnswer } from "./sync";

interface Problem {
  code?: string;
  detail?: string;
  title?: string;
}

export class HttpTransport implements Transport {
  private readonly fetchFn: typeof fetch;

  constructor(
    private readonly base: string,
    tokens: TokenSource,
    baseFetch?: typeof fetch,
  ) {
    this.fetchFn = authFetch(tokens, baseFetch);
  }

  private async call(path: string, init: RequestInit = {}): Promise<Response> {
    if (typeof navigator !== "undefined" && navigator.onLine === false) {
      throw new TransientError("offline", "offline");
    }
    let response: Response;
    try {
      response = await this.fetchFn(this.base + path, {
        ...init,
        headers: { Accept: "application/json, application/problem+json", ...(init.headers ?? {}) },
      });
    } catch (exc) {
      if (exc instanceof Error && exc.name === "SessionExpiredError")
        throw new TransientError(exc.message, "auth");
      throw new TransientError(exc instanceof Error ? exc.message : String(exc), "offline");
    }
    if (response.status === 401) throw new TransientError("unauthorized", "auth");
    if (response.status >= 500 || response.status === 429 || response.status === 408) {
      throw new TransientError(`server answered ${response.status}`, "server");
    }
    return response;
  }

  private async json<T>(response: Response): Promise<T> {
    if (!response.ok) {
      const problem = (await response.json().catch(() => ({}))) as Problem;
      throw new TransientError(problem.detail ?? problem.title ?? `answered ${response.status}`, "server");
    }
    return (await response.json()) as T;
  }

  async pull(cursor: string | null): Promise<ChangePage> {
    const query = new URLSearchParams({ limit: "200" });
    if (cursor) query.set("cursor", cursor);
    return this.json<ChangePage>(await this.call(`/v1/field-sync/changes?${query}`));
  }

  async uploadPhoto(photo: PhotoRecord): Promise<UploadAnswer> {
    const query = new URLSearchParams({
      latitude: String(photo.latitude),
      longitude: String(photo.longitude),
      captured_at: photo.capturedAt,
    });
    if (photo.accuracy !== null) query.set("gps_accuracy_m", String(Math.round(photo.accuracy * 10) / 10));
    const response = await this.call(`/v1/inspection-cases/${photo.caseId}/photos?${query}`, {
      method: "POST",
      headers: { "Content-Type": photo.type || "image/jpeg" },
      body: photo.blob,
    });
    if (response.ok) {
      const body = (await response.json()) as { id: string; sha256: string };
      return { ok: true, evidenceId: body.id, sha256: body.sha256 };
    }
    const problem = (await response.json().catch(() => ({}))) as Problem;
    return {
      ok: false,
      code: problem.code ?? `http_${response.status}`,
      detail: problem.detail ?? problem.title ?? "",
    };
  }

  async push(deviceId: string, mutations: Record<string, unknown>[]): Promise<MutationResult[]> {
    const response = await this.call("/v1/field-sync/batches", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ device_id: deviceId, mutations }),
    });
    return (await this.json<{ results: MutationResult[] }>(response)).results;
  }

  async conflict(id: string): Promise<ConflictRead> {
    return this.json<ConflictRead>(await this.call(`/v1/field-sync/conflicts/${id}`));
  }

  async resolve(
    id: string,
    version: number,
    resolution: "keep_server" | "apply_client",
  ): Promise<ConflictRead> {
    const response = await this.call(`/v1/field-sync/conflicts/${id}/resolve`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "If-Match": `W/"${version}"` },
      body: JSON.stringify({ resolution }),
    });
    return this.json<ConflictRead>(response);
  }
}
