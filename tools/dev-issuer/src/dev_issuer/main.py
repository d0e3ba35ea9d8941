"""The app factory: `uvicorn dev_issuer.main:create_app --factory`."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from dev_issuer import admin, identity, routes
from dev_issuer.grants import Issuer
from dev_issuer.seed import CLIENTS, browser_origins
from dev_issuer.settings import PRODUCTION_REFUSED, Environment, IssuerSettings

# Query parameters that carry secrets (the logout's ID token, a code in a misdirected callback).
_SECRET_QUERY = re.compile(
    r"((?:^|[?&])(?:id_token_hint|code|code_verifier|refresh_token|access_token)=)[^&\s]*"
)


class RedactQuerySecrets(logging.Filter):
    """Keeps tokens and codes out of uvicorn's access log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _SECRET_QUERY.sub(r"\1[redacted]", a) if isinstance(a, str) else a for a in record.args
            )
        return True


class StripIssuerPath:
    """Serve the routes at `/` (behind the gateway, which strips the issuer's path) and also at the
    issuer's own path (`/auth/...`, when reached directly), so the discovery URLs always work."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.prefix and scope["type"] == "http":
            path: str = scope["path"]
            if path == self.prefix or path.startswith(self.prefix + "/"):
                stripped = path[len(self.prefix) :] or "/"
                scope = {**scope, "path": stripped, "raw_path": stripped.encode()}
        await self.app(scope, receive, send)


def _configure_logging(level: str) -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactQuerySecrets) for f in access.filters):
        access.addFilter(RedactQuerySecrets())
    logger = logging.getLogger("dev_issuer")
    logger.setLevel(level)
    # Under uvicorn nothing handles our logger; under a configured root (tests), the root does.
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     dev-issuer: %(message)s"))
        logger.addHandler(handler)


def create_app(settings: IssuerSettings | None = None, *, clock: Callable[[], float] = time.time) -> FastAPI:
    settings = settings or IssuerSettings()
    # Settings refuse production already; settings built without validation are refused here.
    if settings.ENV is Environment.PRODUCTION:
        raise RuntimeError(PRODUCTION_REFUSED)
    _configure_logging(settings.LOG_LEVEL)
    issuer = Issuer(settings, clock=clock)
    issuer.keys.current()  # create the first signing key now, not on the first request
    # No OpenAPI pages: Swagger UI would load from a CDN, and the protocol is documented by OIDC.
    app = FastAPI(title="NOXH dev issuer", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.issuer = issuer
    app.include_router(routes.router(issuer))
    app.include_router(admin.router(issuer))
    app.include_router(identity.router(issuer))
    # The SPA on the Vite dev server (another origin) calls the token and userinfo endpoints itself.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=browser_origins(CLIENTS.values()),
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type"],
        max_age=600,
    )
    app.add_middleware(StripIssuerPath, prefix=settings.issuer_path)
    return app
