"""Start one benchmarked app under uvicorn (uvloop + httptools, one worker), as its own process.

    python -m bench.serve registry --port 8710     # the real registry-api app (+ /bench layer routes)
    python -m bench.serve raw --port 8711          # the raw ASGI + asyncpg reference

Tokens are real RS256 JWTs, verified by servicekit's `TokenVerifier` on every request; the issuer's
key lives in `.data/bench-issuer.pem` and its JWKS is served to the verifier in-process (an httpx
MockTransport, as servicekit's test issuer does), so no issuer process is needed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
import uuid
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from devstack.paths import data_dir
from servicekit.tokens import VERIFIED_CACHE_SIZE, JwksCache, TokenVerifier

ISSUER = "http://issuer.bench"
AUDIENCE = "registry-api"
KID = "bench-1"


def _key() -> rsa.RSAPrivateKey:
    path = data_dir() / "bench-issuer.pem"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path.write_bytes(pem)
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(loaded, rsa.RSAPrivateKey)
    return loaded


def mint_token(
    *,
    roles: list[str],
    area_codes: list[str],
    expires_in: int = 3600,
    audience: str = AUDIENCE,
    subject: str | None = None,
    client_id: str = "bench",
    **extra: Any,
) -> str:
    """An RS256 token of the bench issuer for `audience` (registry-api's unless told); `extra` claims
    (a scope, a quota) are added as given."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": audience,
        "sub": subject or "bench-" + uuid.uuid4().hex[:8],
        "iat": now,
        "exp": now + expires_in,
        "azp": client_id,
        "roles": roles,
        "area_codes": area_codes,
        "scope": "",
        **extra,
    }
    return jwt.encode(claims, _key(), algorithm="RS256", headers={"kid": KID})


def bench_verifier(audience: str = AUDIENCE) -> TokenVerifier:
    """servicekit's verifier for `audience` (registry-api's unless told), the issuer's JWKS served in
    process; `BENCH_BEFORE_FIXES=1` turns its memory of verified tokens off."""
    jwk = json.loads(RSAAlgorithm.to_jwk(_key().public_key()))
    jwk.update({"kid": KID, "use": "sig", "alg": "RS256"})
    jwks = {"keys": [jwk]}
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=jwks))
    return TokenVerifier(
        issuer=ISSUER,
        audience=audience,
        jwks=JwksCache(ISSUER + "/jwks", client=httpx.AsyncClient(transport=transport)),
        algorithms=["RS256"],
        cache_size=0 if os.environ.get("BENCH_BEFORE_FIXES") == "1" else VERIFIED_CACHE_SIZE,
    )


def registry_app() -> Any:
    from fastapi import FastAPI

    from bench.apps import bench_router
    from registry_api.main import create_app

    sessionmaker = None
    if os.environ.get("BENCH_BEFORE_FIXES") == "1":
        # As before this session's fixes: SQLAlchemy's pre-ping on every checkout (and no token memory).
        from registry_api.config import get_settings
        from servicekit.db.engine import make_engine, make_sessionmaker

        settings = get_settings()
        engine = make_engine(
            settings.DATABASE_URL.get_secret_value(),
            pool_size=settings.DB_POOL_SIZE,
            statement_timeout_ms=settings.DB_STATEMENT_TIMEOUT_MS,
            app_name=settings.SERVICE_NAME,
            pre_ping=True,
        )
        sessionmaker = make_sessionmaker(engine)
    app: FastAPI = create_app(token_verifier=bench_verifier(), sessionmaker=sessionmaker)
    app.include_router(bench_router())
    return app


def serve_app(app: Any, port: int) -> None:
    """Serve `app` on 127.0.0.1:`port` as every benchmarked server runs (uvloop, httptools, one worker,
    no access log) until SIGINT or SIGTERM."""
    import uvicorn

    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the SIGINT it stopped on
        uvicorn.run(
            app,
            host="127.0.0.1",
            port=port,
            loop="uvloop",
            http="httptools",
            access_log=False,
            log_level="warning",
            lifespan="on",
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("app", choices=["registry", "raw", "fastapi"])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    if args.app == "raw":
        from bench.apps import raw_app

        app: Any = raw_app
    elif args.app == "fastapi":
        from bench.apps import bare_fastapi_app

        app = bare_fastapi_app()
    else:
        app = registry_app()
    sys.stdout.flush()
    profile_to = os.environ.get("BENCH_PROFILE")  # where cProfile stats go (the event loop's thread)
    profiler = None
    if profile_to:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    serve_app(app, args.port)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile_to)


if __name__ == "__main__":
    main()
