"""servicekit's web layer end to end, through the sample service on a real PostgreSQL."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from collections.abc import Callable

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from fastapi import Depends, FastAPI
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sample_service.models import Widget
from servicekit.testing.tokens import TestIssuer
from servicekit.web.auth import publish_roles, require_roles

Auth = Callable[..., dict[str, str]]
PROBLEM = "application/problem+json"
OFFICER = {"roles": ["commune_officer"], "area_codes": ["10525"]}


def widget(name: str = "w", commune: str | None = "10525", province: str = "31") -> dict[str, object]:
    return {"name": name, "province_code": province, "commune_code": commune}


async def create(client: httpx.AsyncClient, auth: Auth, **body: object) -> dict[str, object]:
    response = await client.post("/v1/widgets", json=widget(**body), headers=auth(**OFFICER))  # type: ignore[arg-type]
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


class TestProblems:
    async def test_unknown_route_is_a_problem_404(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/v1/nowhere")
        assert response.status_code == 404
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["code"] == "not_found"
        assert response.json()["instance"] == "/v1/nowhere"

    async def test_wrong_method_is_a_problem_405(self, client: httpx.AsyncClient, auth: Auth) -> None:
        response = await client.put("/v1/widgets", headers=auth(**OFFICER))
        assert response.status_code == 405
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["code"] == "method_not_allowed"

    async def test_unknown_field_is_refused_with_a_pointer(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        response = await client.post(
            "/v1/widgets", json={**widget(), "is_admin": True}, headers=auth(**OFFICER)
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == PROBLEM
        errors = response.json()["errors"]
        assert errors == [
            {
                "pointer": "/body/is_admin",
                "code": "extra_forbidden",
                "message": "Extra inputs are not permitted",
            }
        ]

    async def test_a_query_parameter_given_twice_is_a_422(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        assert (await client.get("/v1/widgets?limit=5", headers=auth(**OFFICER))).status_code == 200
        response = await client.get("/v1/widgets?limit=5&limit=6", headers=auth(**OFFICER))
        assert response.status_code == 422
        assert response.headers["content-type"] == PROBLEM
        assert [(e["pointer"], e["code"]) for e in response.json()["errors"]] == [
            ("/query/limit", "multiple_values")
        ]

    async def test_a_list_query_parameter_may_repeat(self, client: httpx.AsyncClient, auth: Auth) -> None:
        headers = auth(roles=["service"], area_codes=["31"], scopes=["events:read"])
        response = await client.get("/v1/events?type=a&type=b", headers=headers)
        assert response.status_code == 200, response.text

    async def test_a_body_that_is_not_text_is_a_422_too(self, client: httpx.AsyncClient, auth: Auth) -> None:
        # Found by Schemathesis: FastAPI answered 400 (undocumented) for bytes that are not UTF-8.
        response = await client.post(
            "/v1/widgets",
            content=b"\xff\x4a\x35\xd0\x23\x3c",
            headers={**auth(**OFFICER), "content-type": "application/json"},
        )
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["errors"][0]["pointer"] == "/body"

    async def test_a_nul_character_in_text_is_a_422(self, client: httpx.AsyncClient, auth: Auth) -> None:
        # Found by Schemathesis: PostgreSQL refuses U+0000 in text, which answered 500.
        response = await client.post("/v1/widgets", json=widget(name="a\u0000b"), headers=auth(**OFFICER))
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == PROBLEM

    async def test_malformed_json_is_a_422(self, client: httpx.AsyncClient, auth: Auth) -> None:
        response = await client.post(
            "/v1/widgets",
            content=b"{not json",
            headers={**auth(**OFFICER), "content-type": "application/json"},
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == PROBLEM

    async def test_an_unexpected_error_is_a_500_without_trace_or_personal_data(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        response = await client.get("/v1/boom", headers=auth(**OFFICER))
        assert response.status_code == 500
        assert response.headers["content-type"] == PROBLEM
        assert "001234567890" not in response.text
        assert "Traceback" not in response.text

    async def test_validation_errors_never_echo_the_input(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        response = await client.post(
            "/v1/widgets", json={"name": ["001234567890"], "province_code": "31"}, headers=auth(**OFFICER)
        )
        assert response.status_code == 422
        assert "001234567890" not in response.text


class TestAuthentication:
    async def test_no_token(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/v1/widgets")
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.headers["content-type"] == PROBLEM

    async def test_expired_token(self, client: httpx.AsyncClient, auth: Auth) -> None:
        response = await client.get("/v1/widgets", headers=auth(**OFFICER, expires_in=-60))
        assert response.status_code == 401
        assert "expired" in response.json()["detail"]

    async def test_wrong_audience(self, client: httpx.AsyncClient, auth: Auth) -> None:
        response = await client.get("/v1/widgets", headers=auth(**OFFICER, audience="funding-api"))
        assert response.status_code == 401

    async def test_wrong_issuer(self, client: httpx.AsyncClient, auth: Auth) -> None:
        response = await client.get("/v1/widgets", headers=auth(**OFFICER, issuer="http://evil.test"))
        assert response.status_code == 401

    async def test_unknown_signing_key(self, client: httpx.AsyncClient, auth: Auth) -> None:
        response = await client.get("/v1/widgets", headers=auth(**OFFICER, rogue=True))
        assert response.status_code == 401

    async def test_unsigned_token(self, client: httpx.AsyncClient, test_issuer: TestIssuer) -> None:
        claims = jwt.decode(test_issuer.token(audience="sample-api"), options={"verify_signature": False})
        unsigned = jwt.encode(claims, key=None, algorithm="none", headers={"kid": test_issuer.kid})
        response = await client.get("/v1/widgets", headers={"Authorization": f"Bearer {unsigned}"})
        assert response.status_code == 401

    async def test_hmac_token_signed_with_the_public_key_is_refused(
        self, client: httpx.AsyncClient, test_issuer: TestIssuer
    ) -> None:
        # The classic algorithm-confusion attack: HS256 keyed with the published RSA key.
        # pyjwt refuses to build such a token, so it is assembled by hand.
        def b64(data: bytes) -> str:
            return base64.urlsafe_b64encode(data).decode().rstrip("=")

        header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": test_issuer.kid}).encode())
        claims = b64(
            json.dumps(
                {"sub": "x", "aud": "sample-api", "iss": test_issuer.issuer, "exp": 9999999999, "iat": 1}
            ).encode()
        )
        public_pem = test_issuer.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        signature = b64(hmac.new(public_pem, f"{header}.{claims}".encode(), hashlib.sha256).digest())
        forged = f"{header}.{claims}.{signature}"
        response = await client.get("/v1/widgets", headers={"Authorization": f"Bearer {forged}"})
        assert response.status_code == 401

    async def test_garbage_token(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/v1/widgets", headers={"Authorization": "Bearer not.a.jwt"})
        assert response.status_code == 401

    async def test_wrong_role_is_403(self, client: httpx.AsyncClient, auth: Auth) -> None:
        response = await client.post(
            "/v1/widgets", json=widget(), headers=auth(roles=["auditor"], area_codes=["31"])
        )
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"


class TestAreaScoping:
    async def test_another_communes_row_is_invisible_even_by_id(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        created = await create(client, auth)
        other = auth(roles=["commune_officer"], area_codes=["11560"])
        assert (await client.get(f"/v1/widgets/{created['id']}", headers=other)).status_code == 404
        listed = await client.get("/v1/widgets", headers=other)
        assert listed.json()["items"] == []

    async def test_the_province_sees_its_communes(self, client: httpx.AsyncClient, auth: Auth) -> None:
        created = await create(client, auth)
        province = auth(roles=["province_officer"], area_codes=["31"])
        assert (await client.get(f"/v1/widgets/{created['id']}", headers=province)).status_code == 200

    async def test_another_province_sees_nothing(self, client: httpx.AsyncClient, auth: Auth) -> None:
        created = await create(client, auth)
        hanoi = auth(roles=["province_officer"], area_codes=["01"])
        assert (await client.get(f"/v1/widgets/{created['id']}", headers=hanoi)).status_code == 404

    async def test_writing_into_another_area_is_403(self, client: httpx.AsyncClient, auth: Auth) -> None:
        response = await client.post("/v1/widgets", json=widget(commune="11560"), headers=auth(**OFFICER))
        assert response.status_code == 403

    async def test_a_token_without_areas_sees_nothing(self, client: httpx.AsyncClient, auth: Auth) -> None:
        await create(client, auth)
        response = await client.get("/v1/widgets", headers=auth(roles=["province_officer"]))
        assert response.json()["items"] == []


class TestConcurrencyControl:
    async def test_etag_and_if_match(self, client: httpx.AsyncClient, auth: Auth) -> None:
        created = await create(client, auth)
        url = f"/v1/widgets/{created['id']}"
        read = await client.get(url, headers=auth(**OFFICER))
        etag = read.headers["etag"]
        assert etag == 'W/"1"'
        missing = await client.patch(url, json={"colour": "red"}, headers=auth(**OFFICER))
        assert missing.status_code == 428
        updated = await client.patch(
            url, json={"colour": "red"}, headers={**auth(**OFFICER), "If-Match": etag}
        )
        assert updated.status_code == 200, updated.text
        assert updated.headers["etag"] == 'W/"2"'
        stale = await client.patch(
            url, json={"colour": "blue"}, headers={**auth(**OFFICER), "If-Match": etag}
        )
        assert stale.status_code == 412
        assert stale.headers["content-type"] == PROBLEM
        garbage = await client.patch(
            url, json={"colour": "blue"}, headers={**auth(**OFFICER), "If-Match": "*"}
        )
        assert garbage.status_code == 412

    async def test_racing_updates_one_wins_one_gets_412(
        self, committing_client: httpx.AsyncClient, auth: Auth
    ) -> None:
        created = await create(committing_client, auth)
        url = f"/v1/widgets/{created['id']}"
        headers = {**auth(**OFFICER), "If-Match": 'W/"1"'}
        results = await asyncio.gather(
            committing_client.patch(url, json={"colour": "red"}, headers=headers),
            committing_client.patch(url, json={"colour": "blue"}, headers=headers),
        )
        assert sorted(r.status_code for r in results) == [200, 412]


class TestTransactionOwnership:
    async def test_a_commit_time_failure_never_answers_2xx(
        self,
        committing_client: httpx.AsyncClient,
        committing_sessionmaker: async_sessionmaker[AsyncSession],
        auth: Auth,
    ) -> None:
        response = await committing_client.post(
            "/v1/widgets/pair", json=widget("twin"), headers=auth(**OFFICER)
        )
        assert response.status_code == 500
        assert response.headers["content-type"] == PROBLEM
        async with committing_sessionmaker() as session:
            count = (await session.execute(select(func.count()).select_from(Widget))).scalar_one()
        assert count == 0

    async def test_a_successful_request_is_committed_before_the_response(
        self,
        committing_client: httpx.AsyncClient,
        committing_sessionmaker: async_sessionmaker[AsyncSession],
        auth: Auth,
    ) -> None:
        created = await create(committing_client, auth, name="kept")
        async with committing_sessionmaker() as session:
            assert await session.get(Widget, __import__("uuid").UUID(str(created["id"]))) is not None


class TestPaginationAndCount:
    async def test_keyset_pages_cover_every_row_once(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth
    ) -> None:
        for i in range(45):
            db_session.add(Widget(name=f"w{i}", province_code="31", commune_code="10525"))
        await db_session.commit()
        seen: list[str] = []
        cursor: str | None = None
        pages = 0
        while True:
            params: dict[str, object] = {"limit": 20, **({"cursor": cursor} if cursor else {})}
            body = (await client.get("/v1/widgets", params=params, headers=auth(**OFFICER))).json()  # type: ignore[arg-type]
            seen += [w["id"] for w in body["items"]]
            pages += 1
            cursor = body.get("next_cursor")
            if cursor is None:
                break
        assert pages == 3
        assert len(seen) == len(set(seen)) == 45

    async def test_count_is_exact_below_ten_thousand(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth
    ) -> None:
        for i in range(3):
            db_session.add(Widget(name=f"c{i}", province_code="31", commune_code="10525"))
        await db_session.commit()
        body = (await client.get("/v1/widgets/count", headers=auth(**OFFICER))).json()
        assert body == {"total": 3, "exact": True}

    async def test_count_is_estimated_above_ten_thousand(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth
    ) -> None:
        await db_session.execute(
            text(
                "INSERT INTO widget (id, name, province_code, commune_code, version) "
                "SELECT gen_random_uuid(), 'bulk' || g, '31', '10525', 1 FROM generate_series(1, 12000) g"
            )
        )
        await db_session.execute(text("ANALYZE widget"))
        await db_session.commit()
        body = (await client.get("/v1/widgets/count", headers=auth(**OFFICER))).json()
        assert body["exact"] is False
        assert body["total"] > 10_000


class TestOperationalEndpoints:
    async def test_healthz(self, client: httpx.AsyncClient) -> None:
        assert (await client.get("/healthz")).json() == {"status": "ok"}

    async def test_readyz_checks_the_schema(self, client: httpx.AsyncClient) -> None:
        assert (await client.get("/readyz")).status_code == 200

    async def test_readyz_fails_when_not_at_head(
        self, client: httpx.AsyncClient, db_session: AsyncSession
    ) -> None:
        await db_session.execute(text("UPDATE alembic_version SET version_num = 'elsewhere'"))
        await db_session.commit()
        response = await client.get("/readyz")
        assert response.status_code == 503
        assert response.headers["content-type"] == PROBLEM

    async def test_metrics_count_requests_by_route_template(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        await client.get("/v1/widgets", headers=auth(**OFFICER))
        body = (await client.get("/metrics")).text
        assert 'http_requests_total{method="GET",route="/v1/widgets",status="200"}' in body

    async def test_request_id_is_kept_or_made(self, client: httpx.AsyncClient) -> None:
        kept = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
        assert kept.headers["x-request-id"] == "abc-123"
        made = await client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
        assert made.headers["x-request-id"] != "bad id with spaces"
        assert len(made.headers["x-request-id"]) == 36


class TestDeclaredRoles:
    """`require_roles` is published per operation as `x-roles` (the authorization matrix reads it)."""

    async def test_operations_list_the_roles_they_admit(self, client: httpx.AsyncClient) -> None:
        paths = (await client.get("/openapi.json")).json()["paths"]
        assert paths["/v1/widgets"]["post"]["x-roles"] == ["commune_officer", "province_officer"]
        assert paths["/v1/widgets/{widget_id}"]["patch"]["x-roles"] == ["commune_officer", "province_officer"]
        # Token only: no role check declared, no extension.
        assert "x-roles" not in paths["/v1/widgets/{widget_id}"]["get"]
        # Found by Schemathesis: answers every route can give are documented even when the route
        # does not list them (401 with a token, 403 with roles).
        count = paths["/v1/widgets/count"]["get"]["responses"]
        assert "401" in count
        assert "403" not in count
        assert {"401", "403"} <= set(paths["/v1/widgets"]["post"]["responses"])
        # FastAPI's default 422 (application/json) is documented as the problem+json it really is.
        assert list(paths["/v1/widgets"]["get"]["responses"]["422"]["content"]) == [PROBLEM]
        # The platform lists document their 400 for a bad cursor.
        assert "400" in paths["/v1/events"]["get"]["responses"]

    def test_nested_checks_intersect(self) -> None:
        app = FastAPI()
        both = require_roles("auditor", "inspector")

        async def narrower(_: object = Depends(both)) -> None:
            return None

        @app.get("/x", dependencies=[Depends(require_roles("inspector", "partner")), Depends(narrower)])
        async def x() -> None:
            return None

        publish_roles(app)
        assert app.openapi()["paths"]["/x"]["get"]["x-roles"] == ["inspector"]
