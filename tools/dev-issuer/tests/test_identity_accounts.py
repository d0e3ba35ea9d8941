"""Account administration through `/identity/v1`: who may, what changes, what the next token carries."""

from __future__ import annotations

import json
from typing import Any

import pytest
from issuer_helpers import PASSWORD, SPA, Env, claims_of

from dev_issuer import cli
from dev_issuer.cli import mint_token

BASE = "/identity/v1"


def admin_headers(env: Env, **extra: str) -> dict[str, str]:
    token = mint_token(env.settings, "administrator", "dev-issuer")
    return {"Authorization": "Bearer " + token, **extra}


async def read(env: Env, username: str) -> tuple[dict[str, Any], str]:
    response = await env.client.get(f"{BASE}/accounts/{username}", headers=admin_headers(env))
    assert response.status_code == 200, response.text
    return response.json(), response.headers["ETag"]


async def audit(env: Env) -> list[dict[str, Any]]:
    response = await env.client.get(f"{BASE}/audit-events", params={"limit": 100}, headers=admin_headers(env))
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_an_officer_moved_to_another_commune_gets_only_it_in_the_next_token(env: Env) -> None:
    tokens = await env.person_tokens(username="xa.haiduong")
    assert claims_of(tokens["access_token"])["area_codes"] == ["10525"]
    _, etag = await read(env, "xa.haiduong")

    moved = await env.client.patch(
        f"{BASE}/accounts/xa.haiduong",
        json={"area_codes": ["11560"], "name": "Trần Thị Bình — UBND phường Thuỷ Nguyên"},
        headers=admin_headers(env, **{"If-Match": etag}),
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["area_codes"] == ["11560"]
    assert moved.headers["ETag"] == 'W/"2"'

    refreshed = await env.client.post(
        "/token",
        data={"grant_type": "refresh_token", "client_id": SPA, "refresh_token": tokens["refresh_token"]},
    )
    assert refreshed.status_code == 200, refreshed.text
    claims = claims_of(refreshed.json()["access_token"])
    assert claims["area_codes"] == ["11560"]
    assert claims["name"] == "Trần Thị Bình — UBND phường Thuỷ Nguyên"
    fresh = await env.person_tokens(username="xa.haiduong")
    assert claims_of(fresh["access_token"])["area_codes"] == ["11560"]

    event = (await audit(env))[-1]
    assert event["action"] == "account.updated"
    assert event["actor"] == "quantri"
    assert event["target_id"] == "xa.haiduong"
    assert event["details"]["area_codes"] == {"from": ["10525"], "to": ["11560"]}


async def test_a_disabled_account_cannot_sign_in_and_its_refresh_tokens_stop(env: Env) -> None:
    tokens = await env.person_tokens(username="thanhtra")
    _, etag = await read(env, "thanhtra")
    disabled = await env.client.post(
        f"{BASE}/accounts/thanhtra/disable", headers=admin_headers(env, **{"If-Match": etag})
    )
    assert disabled.status_code == 200, disabled.text
    assert disabled.json()["enabled"] is False

    login = await env.login(username="thanhtra", password=PASSWORD)
    assert login.status_code == 200  # the form again, no redirect with a code
    assert "location" not in login.headers
    refresh = await env.client.post(
        "/token",
        data={"grant_type": "refresh_token", "client_id": SPA, "refresh_token": tokens["refresh_token"]},
    )
    assert refresh.status_code == 400
    assert refresh.json()["error"] == "invalid_grant"

    enabled = await env.client.post(
        f"{BASE}/accounts/thanhtra/enable",
        headers=admin_headers(env, **{"If-Match": disabled.headers["ETag"]}),
    )
    assert enabled.status_code == 200
    assert (await env.login(username="thanhtra", password=PASSWORD)).status_code == 303
    # The old session stays ended: enabling does not revive revoked refresh tokens.
    again = await env.client.post(
        "/token",
        data={"grant_type": "refresh_token", "client_id": SPA, "refresh_token": tokens["refresh_token"]},
    )
    assert again.status_code == 400
    actions = [e["action"] for e in await audit(env)]
    assert actions[-2:] == ["account.disabled", "account.enabled"]


async def test_create_list_read_and_reset_password(env: Env) -> None:
    created = await env.client.post(
        f"{BASE}/accounts",
        json={
            "username": "xa.anlao",
            "name": "Bùi Văn Khánh — UBND xã An Lão",
            "roles": ["commune_officer"],
            "area_codes": ["11527"],
        },
        headers=admin_headers(env),
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["enabled"] is True
    assert created.headers["Location"] == "accounts/xa.anlao"
    first_password = body.pop("initial_password")
    assert len(first_password) >= 16
    # The password works, the demo password does not; the password is nowhere in the store in clear.
    assert (await env.login(username="xa.anlao", password=first_password)).status_code == 303
    assert "location" not in (await env.login(username="xa.anlao", password=PASSWORD)).headers
    data_dir = env.settings.DATA_DIR
    for name in ("accounts.json", "audit.jsonl"):
        assert first_password not in (data_dir / name).read_text()
    tokens = await env.person_tokens(username="xa.anlao", password=first_password)
    claims = claims_of(tokens["access_token"])
    assert claims["roles"] == ["commune_officer"]
    assert claims["area_codes"] == ["11527"]

    read_back, etag = await read(env, "xa.anlao")
    assert read_back == body
    reset = await env.client.post(
        f"{BASE}/accounts/xa.anlao/reset-password", headers=admin_headers(env, **{"If-Match": etag})
    )
    assert reset.status_code == 200, reset.text
    new_password = reset.json()["temporary_password"]
    assert "location" not in (await env.login(username="xa.anlao", password=first_password)).headers
    assert (await env.login(username="xa.anlao", password=new_password)).status_code == 303
    # Resetting the password ends the account's sessions.
    refresh = await env.client.post(
        "/token",
        data={"grant_type": "refresh_token", "client_id": SPA, "refresh_token": tokens["refresh_token"]},
    )
    assert refresh.status_code == 400

    # Keyset pages of 3 cover every account once, in username order.
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = await env.client.get(f"{BASE}/accounts", params=params, headers=admin_headers(env))
        assert page.status_code == 200
        seen += [a["username"] for a in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen)
    assert len(seen) == len(set(seen)) == 8
    assert "xa.anlao" in seen
    actions = [e["action"] for e in await audit(env) if e["target_id"] == "xa.anlao"]
    assert actions == ["account.created", "account.password_reset"]


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"username": "Bad Name", "name": "x", "roles": ["inspector"], "area_codes": ["31"]}, "/username"),
        ({"username": "new.one", "name": "", "roles": ["inspector"], "area_codes": ["31"]}, "/name"),
        ({"username": "new.one", "name": "x", "roles": ["service"], "area_codes": ["31"]}, "/roles"),
        ({"username": "new.one", "name": "x", "roles": [], "area_codes": ["31"]}, "/roles"),
        ({"username": "new.one", "name": "x", "roles": ["inspector"], "area_codes": ["123"]}, "/area_codes"),
        ({"username": "new.one", "name": "x", "roles": ["inspector"]}, "/area_codes"),
        (
            {"username": "new.one", "name": "x", "roles": ["inspector"], "area_codes": ["31"], "x": 1},
            "/x",
        ),
    ],
)
async def test_bad_input_is_a_problem_with_field_errors_and_changes_nothing(
    env: Env, body: dict[str, Any], pointer: str
) -> None:
    before = await audit(env)
    response = await env.client.post(f"{BASE}/accounts", json=body, headers=admin_headers(env))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "validation_failed"
    assert problem["type"] == "https://noxh.haiphong.gov.vn/problems/validation-failed"
    assert pointer in [e["pointer"] for e in problem["errors"]]
    assert (await env.client.get(f"{BASE}/accounts/new.one", headers=admin_headers(env))).status_code == 404
    assert await audit(env) == before


async def test_not_json_duplicates_and_bad_paging_are_problems(env: Env) -> None:
    not_json = await env.client.post(
        f"{BASE}/accounts", content=b"{", headers=admin_headers(env, **{"Content-Type": "application/json"})
    )
    assert not_json.status_code == 422
    taken = await env.client.post(
        f"{BASE}/accounts",
        json={"username": "so.xaydung", "name": "x", "roles": ["inspector"], "area_codes": ["31"]},
        headers=admin_headers(env),
    )
    assert taken.status_code == 409
    assert taken.json()["code"] == "account_exists"
    for params in ({"limit": "0"}, {"limit": "101"}, {"limit": "x"}):
        page = await env.client.get(f"{BASE}/accounts", params=params, headers=admin_headers(env))
        assert page.status_code == 422, params
    for path in ("/accounts", "/audit-events"):
        page = await env.client.get(BASE + path, params={"cursor": "%%%"}, headers=admin_headers(env))
        assert page.status_code == 400
        assert page.json()["code"] == "invalid_cursor"
    page = await env.client.get(BASE + "/audit-events", params={"cursor": "YWJj"}, headers=admin_headers(env))
    assert page.status_code == 400
    missing = await env.client.get(f"{BASE}/accounts/nobody", headers=admin_headers(env))
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


async def test_changes_need_a_current_if_match(env: Env) -> None:
    url = f"{BASE}/accounts/kiemtoan"
    none = await env.client.patch(url, json={"name": "Khác"}, headers=admin_headers(env))
    assert none.status_code == 428
    assert none.json()["code"] == "precondition_required"
    stale = await env.client.patch(
        url, json={"name": "Khác"}, headers=admin_headers(env, **{"If-Match": 'W/"9"'})
    )
    assert stale.status_code == 412
    disable = await env.client.post(f"{url}/disable", headers=admin_headers(env, **{"If-Match": 'W/"9"'}))
    assert disable.status_code == 412
    for empty in ({}, {"name": None}):
        nothing = await env.client.patch(url, json=empty, headers=admin_headers(env, **{"If-Match": 'W/"1"'}))
        assert nothing.status_code == 422
    record, etag = await read(env, "kiemtoan")
    assert etag == 'W/"1"'
    assert record["name"] == "Vũ Thị Giang — Kiểm toán"
    assert record["enabled"] is True


async def test_only_administrators_with_an_issuer_token_may_call(env: Env) -> None:
    inspector = env.issuer.directory.account("thanhtra")
    assert inspector is not None
    not_admin, _ = env.issuer.minter.person_access_token(
        inspector, client_id=SPA, scope="openid", audience="dev-issuer"
    )
    refused = {
        # tokens for the services, not for the issuer: not a valid token here
        mint_token(env.settings, "commune_officer"): 401,
        mint_token(env.settings, "administrator", "registry-api"): 401,
        mint_token(env.settings, "partner", "registry-api"): 401,
        "not-a-jwt": 401,
        # a token for the issuer, but no administrator
        not_admin: 403,
    }
    for token, status in refused.items():
        for path in ("/accounts", "/accounts/so.xaydung", "/audit-events", "/partner-clients"):
            response = await env.client.get(BASE + path, headers={"Authorization": "Bearer " + token})
            assert response.status_code == status, (path, response.text)
            assert response.headers["content-type"] == "application/problem+json"
    anonymous = await env.client.get(BASE + "/accounts")
    assert anonymous.status_code == 401
    write = await env.client.post(
        f"{BASE}/accounts",
        json={"username": "new.one", "name": "x", "roles": ["administrator"], "area_codes": ["31"]},
        headers={"Authorization": "Bearer " + not_admin},
    )
    assert write.status_code == 403
    assert env.issuer.directory.account("new.one") is None


async def test_an_administrator_cannot_lock_themselves_out_and_a_demoted_one_is_refused(env: Env) -> None:
    _, etag = await read(env, "quantri")
    self_disable = await env.client.post(
        f"{BASE}/accounts/quantri/disable", headers=admin_headers(env, **{"If-Match": etag})
    )
    assert self_disable.status_code == 409
    assert self_disable.json()["code"] == "self_lockout"
    self_demote = await env.client.patch(
        f"{BASE}/accounts/quantri",
        json={"roles": ["auditor"]},
        headers=admin_headers(env, **{"If-Match": etag}),
    )
    assert self_demote.status_code == 409
    # Another administrator demotes this one: the token still valid in time is refused at once.
    token = mint_token(env.settings, "administrator", "dev-issuer")
    env.issuer.directory.update_account("test", "quantri", None, roles=["auditor"])
    demoted = await env.client.get(BASE + "/accounts", headers={"Authorization": "Bearer " + token})
    assert demoted.status_code == 403


async def test_an_administrators_login_token_reaches_the_identity_api(env: Env) -> None:
    tokens = await env.person_tokens(username="quantri")
    claims = claims_of(tokens["access_token"])
    assert "dev-issuer" in claims["aud"]
    response = await env.client.get(
        BASE + "/catalogue", headers={"Authorization": "Bearer " + tokens["access_token"]}
    )
    assert response.status_code == 200
    assert "commune_officer" in response.json()["roles"]
    assert "registry:projects:read" in response.json()["partner_scopes"]


def test_move_areas_dry_run_then_for_real(
    env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = env.issuer.directory
    directory.update_account("test", "xa.thuynguyen", None, area_codes=["10526", "11560"])
    directory.update_account("test", "xa.haiduong", None, area_codes=["10525", "10527"])
    monkeypatch.setattr(cli, "IssuerSettings", lambda: env.settings)
    before = (env.settings.DATA_DIR / "accounts.json").read_text()
    audit_lines = (env.settings.DATA_DIR / "audit.jsonl").read_text().count("\n")

    assert cli.main(["move-areas", "--from", "10526,10527", "--to", "10525", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "xa.thuynguyen: 10526,11560 -> 10525,11560" in out
    assert "xa.haiduong: 10525,10527 -> 10525" in out
    assert "would move 2 account(s)" in out
    assert (env.settings.DATA_DIR / "accounts.json").read_text() == before

    assert cli.main(["move-areas", "--from", "10526,10527", "--to", "10525"]) == 0
    assert "moved 2 account(s)" in capsys.readouterr().out
    account = directory.account("xa.thuynguyen")
    assert account is not None
    assert account.area_codes == ("10525", "11560")
    other = directory.account("xa.haiduong")
    assert other is not None
    assert other.area_codes == ("10525",)
    lines = (env.settings.DATA_DIR / "audit.jsonl").read_text().splitlines()
    moved = [json.loads(line) for line in lines[audit_lines:]]
    assert [e["action"] for e in moved] == ["account.areas_moved", "account.areas_moved"]
    assert all(e["actor"].startswith("cli:") for e in moved)

    assert cli.main(["move-areas", "--from", "1052", "--to", "10525"]) == 2
    assert cli.main(["move-areas", "--from", "10525", "--to", "10525"]) == 2


def test_seeded_accounts_are_initial_data_in_the_store(env: Env) -> None:
    directory = env.issuer.directory
    first = json.loads(directory.accounts_path.read_text())["accounts"]
    assert first["kiemtoan"]["name"] == "Vũ Thị Giang — Kiểm toán"
    assert first["kiemtoan"]["version"] == 1
    directory.update_account("test", "kiemtoan", None, name="Vũ Thị Giang")
    stored = json.loads(directory.accounts_path.read_text())["accounts"]
    assert set(stored) == {
        "so.xaydung",
        "xa.haiduong",
        "xa.thuynguyen",
        "taichinh",
        "thanhtra",
        "kiemtoan",
        "quantri",
    }
    assert stored["kiemtoan"]["name"] == "Vũ Thị Giang"
    assert stored["kiemtoan"]["password_hash"] is None  # keeps the demo password
    assert oct(directory.accounts_path.stat().st_mode & 0o777) == "0o600"


async def test_unknown_paths_and_methods_are_problems(env: Env) -> None:
    unknown = await env.client.get(f"{BASE}/nothing/here", headers=admin_headers(env))
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    wrong = await env.client.delete(f"{BASE}/accounts/kiemtoan", headers=admin_headers(env))
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "GET, PATCH"
    assert wrong.json()["code"] == "method_not_allowed"
