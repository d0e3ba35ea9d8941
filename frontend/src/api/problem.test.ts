import { describe, expect, it } from "vitest";
import {
  ApiProblem,
  pointerToField,
  problemFromResponse,
  toProblem,
  unwrap,
  unwrapWithEtag,
} from "./problem";

const problemResponse = (status: number, body: unknown, contentType = "application/problem+json") =>
  new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "Content-Type": contentType, "X-Request-ID": "rid-1" },
  });

describe("problem normalisation", () => {
  it("maps JSON pointers into the body onto form fields", () => {
    expect(pointerToField("/body/name")).toBe("name");
    expect(pointerToField("/body/items/0/code")).toBe("items.0.code");
    expect(pointerToField("/body/a~1b")).toBe("a/b");
    expect(pointerToField("/query/cursor")).toBeNull();
    expect(pointerToField("/body")).toBeNull();
  });

  it("keeps code, detail, field errors and the request id of an RFC 9457 answer", () => {
    const body = {
      type: "https://noxh.haiphong.gov.vn/problems/validation-failed",
      title: "The request is not valid",
      status: 422,
      detail: "Some fields are missing or invalid.",
      code: "validation_failed",
      errors: [
        {
          pointer: "/body/name",
          code: "string_too_short",
          message: "String should have at least 1 character",
        },
        { pointer: "/query/limit", code: "less_than_equal", message: "..." },
      ],
    };
    const problem = problemFromResponse(problemResponse(422, body), body);
    expect(problem).toBeInstanceOf(ApiProblem);
    expect(problem).toMatchObject({ status: 422, code: "validation_failed", requestId: "rid-1" });
    expect(problem.fieldErrors).toEqual([
      {
        pointer: "/body/name",
        field: "name",
        code: "string_too_short",
        message: "String should have at least 1 character",
      },
    ]);
    expect(problem.errors).toHaveLength(2);
  });

  it("gives answers that are not problems a code from their status", () => {
    const html = problemFromResponse(
      problemResponse(502, "<html>bad gateway</html>", "text/html"),
      "<html>…",
    );
    expect(html.code).toBe("upstream_unavailable");
    const teapot = problemFromResponse(new Response("", { status: 418 }), "");
    expect(teapot.code).toBe("http_418");
  });

  it("names network failures and an ended session", () => {
    expect(toProblem(new TypeError("Failed to fetch"))).toMatchObject({ status: 0, code: "network_error" });
    const expired = new Error("gone");
    expired.name = "SessionExpiredError";
    expect(toProblem(expired)).toMatchObject({ status: 401, code: "session_expired" });
  });

  it("unwraps openapi-fetch results: data and ETag, or a thrown problem", async () => {
    const ok = new Response("{}", { status: 200, headers: { ETag: 'W/"4"' } });
    expect(await unwrapWithEtag(Promise.resolve({ data: { id: 1 }, response: ok }))).toEqual({
      data: { id: 1 },
      etag: 'W/"4"',
    });
    const stale = {
      code: "precondition_failed",
      title: "The resource changed since you read it",
      status: 412,
    };
    await expect(
      unwrap(Promise.resolve({ error: stale, response: problemResponse(412, stale) })),
    ).rejects.toMatchObject({ status: 412, code: "precondition_failed" });
    await expect(unwrap(Promise.reject(new TypeError("Failed to fetch")))).rejects.toMatchObject({
      code: "network_error",
    });
  });
});
