import { describe, expect, it } from "vitest";
import funding from "../../../services/funding-api/openapi.json";
import inspection from "../../../services/inspection-api/openapi.json";
import registry from "../../../services/registry-api/openapi.json";
import { vi as messages } from "./vi";

/** The operations the SPA's screens call; each problem code they may answer needs its own words. */
const USED: [{ paths: object }, string, string][] = [
  [registry, "get", "/v1/admin-units"],
  [registry, "get", "/v1/admin-units/{code}"],
  [registry, "get", "/v1/households"],
  [registry, "get", "/v1/households/{household_id}"],
  [registry, "get", "/v1/persons/search"],
  [registry, "post", "/v1/persons/{person_id}/reveal"],
  [registry, "get", "/v1/households/{household_id}/categories"],
  [registry, "get", "/v1/households/{household_id}/dwellings"],
  [registry, "get", "/v1/dwellings/{dwelling_id}/assessments"],
  [registry, "get", "/v1/households/{household_id}/support-history"],
  [registry, "get", "/v1/support-cases"],
  [registry, "get", "/v1/support-cases/{case_id}"],
  [registry, "post", "/v1/support-cases/{case_id}/approve"],
  [registry, "post", "/v1/support-cases/{case_id}/start"],
  [registry, "post", "/v1/support-cases/{case_id}/complete"],
  [registry, "post", "/v1/support-cases/{case_id}/accept"],
  [registry, "post", "/v1/support-cases/{case_id}/withdraw"],
  [funding, "get", "/v1/funding-sources"],
  [funding, "post", "/v1/funding-sources"],
  [funding, "get", "/v1/funding-sources/{source_id}"],
  [funding, "patch", "/v1/funding-sources/{source_id}"],
  [inspection, "get", "/v1/land-use-plans"],
  [inspection, "post", "/v1/land-use-plans"],
  [inspection, "get", "/v1/land-use-plans/{plan_id}"],
  [inspection, "patch", "/v1/land-use-plans/{plan_id}"],
];

describe("problem codes of the screens' operations", () => {
  it("all have a message in plain words", () => {
    const missing: string[] = [];
    for (const [spec, method, path] of USED) {
      const operation = (spec.paths as Record<string, Record<string, unknown>>)[path]?.[method];
      expect(operation, `${method} ${path} is in the service's openapi.json`).toBeDefined();
      const codes = JSON.stringify(operation).match(/"code":"[a-z_]+"/g) ?? [];
      for (const code of codes.map((c) => c.slice(8, -1))) {
        if (!(code in messages.problems)) missing.push(`${method} ${path}: ${code}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
