import { describe, expect, it } from "vitest";
import { FieldSession } from "./session";

describe("FieldSession", () => {
  it("comes back to /field/callback and goes out from /field/", () => {
    const session = new FieldSession(localStorage, "https://noxh.example/auth", () => "vi");
    expect(session.redirectUri).toBe(`${window.location.origin}/field/callback`);
  });

  it("keeps the refresh token when a renewal failed for want of network, not otherwise", () => {
    const session = new FieldSession(localStorage, "https://noxh.example/auth", () => "vi");
    localStorage.setItem("noxh.auth.refresh", "r1");
    session.expire("network");
    expect(session.getSnapshot().status).toBe("expired");
    expect(session.hasRefreshToken()).toBe(true);
    session.expire("invalid_grant");
    expect(session.hasRefreshToken()).toBe(false);
  });
});
