import { describe, expect, it } from "vitest";
import { fakeJwt } from "@/test/jwt";
import { communeCodes, decodeJwtPayload, provinceCodes, userFromAccessToken } from "./claims";

describe("claims", () => {
  it("reads the person from the access token, Vietnamese names intact", () => {
    const token = fakeJwt({
      sub: "abc",
      name: "Trần Thị Bình — UBND phường Hải Dương",
      preferred_username: "xa.haiduong",
      roles: ["commune_officer"],
      area_codes: ["10525"],
      exp: 1_900_000_000,
    });
    const user = userFromAccessToken(token);
    expect(user).toEqual({
      subject: "abc",
      name: "Trần Thị Bình — UBND phường Hải Dương",
      username: "xa.haiduong",
      roles: ["commune_officer"],
      areaCodes: ["10525"],
      expiresAt: 1_900_000_000,
    });
    expect(communeCodes(user)).toEqual(["10525"]);
    expect(provinceCodes(user)).toEqual([]);
  });

  it("tolerates missing claims and refuses what is not a JWT", () => {
    const user = userFromAccessToken(fakeJwt({ sub: "x", roles: "not-a-list" }));
    expect(user.roles).toEqual([]);
    expect(user.areaCodes).toEqual([]);
    expect(() => decodeJwtPayload("nope")).toThrow();
  });
});
